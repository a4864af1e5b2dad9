""""Remind me when paid" on a status card (value: the card's open invoice ids): the person gets a
DM at each payment on them, with what remains, until each is paid in full."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, Respond

from bot.services.alerts.follow_ups import FollowUpRefused
from handlers.common.status_text import watched_text
from handlers.slack.alerts.common import alert_service, clicker, tell
from handlers.slack.blocks.status import REMIND_ACTION, mrkdwn_escape
from handlers.slack.services import SlackServices

ACTION = REMIND_ACTION


def remind_when_paid(services: SlackServices) -> Callable[..., None]:
    def on_remind(ack: Ack, respond: Respond, action: dict[str, Any], body: dict[str, Any]) -> None:
        ack()
        service = alert_service(services, respond)
        ids = [i for i in str(action.get("value", "")).split(",") if i]
        if service is None or not ids:
            return
        try:
            watch = service.watch(ids, clicker(body))
        except FollowUpRefused as exc:
            tell(respond, str(exc))
            return
        numbers = [mrkdwn_escape(number or "an invoice") for _, number in watch.invoices]
        tell(respond, watched_text(numbers, [mrkdwn_escape(n or "the invoice") for n in watch.already_paid]))

    return on_remind
