"""A "which one do you mean?" button: answers with that account's status card, in place of the
question."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, Respond

from handlers.common.desks import StatusDesk
from handlers.slack.answers.status import card_reply
from handlers.slack.blocks.help import not_available_text
from handlers.slack.services import SlackServices

ACTION = re.compile(r"^pick_account(_\d+)?$")
GONE = "That account is no longer in Paidup's copy of Salesforce and Xero. Ask again by name."


def pick_account(services: SlackServices) -> Callable[..., None]:
    def on_pick_account(ack: Ack, respond: Respond, action: dict[str, Any]) -> None:
        ack()
        desk = services.find("status_desk")
        if not isinstance(desk, StatusDesk):
            respond(text=not_available_text("status"), response_type="ephemeral", replace_original=False)
            return
        answer = desk.status.for_key(str(action.get("value", "")))
        if answer is None:
            respond(text=GONE, response_type="ephemeral", replace_original=False)
            return
        respond(replace_original=True, **card_reply(answer, desk.salesforce_url()).as_response())

    return on_pick_account
