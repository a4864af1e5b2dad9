"""The "Create invoice" message shortcut: the invoice form for the opportunity the message names, or
the opportunity picker (``handlers.slack.invoicing``)."""

from __future__ import annotations

from bot.services.manifest import CREATE_INVOICE_SHORTCUT
from handlers.slack.invoicing.listeners import create_invoice_shortcut as create_invoice_from_message

CALLBACK_ID = CREATE_INVOICE_SHORTCUT

__all__ = ["CALLBACK_ID", "create_invoice_from_message"]
