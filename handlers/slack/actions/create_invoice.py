""""Create invoice" on a status card or the App Home (value: the opportunity id): opens the invoice
modal (``handlers.slack.invoicing``) — the form for that opportunity, or why it can't be invoiced."""

from __future__ import annotations

import re

from handlers.slack.invoicing.listeners import create_invoice_button as create_invoice

ACTION = re.compile(r"^create_invoice(_\d+)?$")

__all__ = ["ACTION", "create_invoice"]
