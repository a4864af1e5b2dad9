""""Create invoice" on a status card (value: the opportunity id): until invoicing is built
(issue 7) the person is told so, plainly, instead of a silent button."""

from __future__ import annotations

import re
from collections.abc import Callable

from slack_bolt import Ack, Respond

from handlers.slack.blocks.help import not_available_text
from handlers.slack.services import SlackServices

ACTION = re.compile(r"^create_invoice(_\d+)?$")


def create_invoice(services: SlackServices) -> Callable[..., None]:
    def on_create_invoice(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text=not_available_text("invoice") + " Create it in Xero for now.", response_type="ephemeral",
                replace_original=False)

    return on_create_invoice
