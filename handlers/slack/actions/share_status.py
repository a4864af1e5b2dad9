""""Share in channel" on a status card: the same card, fresh from the mirror, posted for everyone
through the response_url (the asker's copy stays as it is)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, Respond

from bot.services.status import StatusAnswer, StatusService
from handlers.common.desks import StatusDesk
from handlers.slack.actions.pick_account import GONE
from handlers.slack.answers.status import card_reply
from handlers.slack.blocks.help import not_available_text
from handlers.slack.blocks.status import SHARE_ACTION
from handlers.slack.services import SlackServices

ACTION = SHARE_ACTION


def shared_answer(service: StatusService, value: str) -> StatusAnswer | None:
    """The card's account again (``key`` or ``key|invoice id``, see ``blocks.status.share_value``)."""
    key, _, invoice_id = value.partition("|")
    if not invoice_id:
        return service.for_key(key)
    account = service.resolver.by_key(key)
    return service.for_account(account, asked_invoice_id=invoice_id) if account else None


def share_status(services: SlackServices) -> Callable[..., None]:
    def on_share_status(ack: Ack, respond: Respond, action: dict[str, Any], body: dict[str, Any]) -> None:
        ack()
        desk = services.find("status_desk")
        if not isinstance(desk, StatusDesk):
            respond(text=not_available_text("status"), response_type="ephemeral", replace_original=False)
            return
        answer = shared_answer(desk.status, str(action.get("value", "")))
        if answer is None:
            respond(text=GONE, response_type="ephemeral", replace_original=False)
            return
        shared_by = str((body.get("user") or {}).get("id") or "") or "someone"
        respond(replace_original=False, **card_reply(answer, desk.salesforce_url(), shared_by=shared_by).as_response())

    return on_share_status
