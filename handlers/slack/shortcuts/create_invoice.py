"""The "Create invoice" message shortcut: acked, and until invoicing is built (issue 7) the person
is told so instead of seeing Slack's timeout error."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, Respond

from bot.services.manifest import CREATE_INVOICE_SHORTCUT
from handlers.slack.blocks.help import not_available_text
from handlers.slack.services import SlackServices

CALLBACK_ID = CREATE_INVOICE_SHORTCUT


def create_invoice_from_message(services: SlackServices) -> Callable[..., None]:
    def on_create_invoice(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text=not_available_text("invoice"), response_type="ephemeral")

    return on_create_invoice
