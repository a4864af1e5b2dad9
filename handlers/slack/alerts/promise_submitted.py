"""The "Promised to pay" modal submitted: the date is stored (the invoice leaves the digests until
then) and the person gets a private confirmation where they clicked; a bad date is shown on the field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.services.alerts import AlertService
from bot.services.alerts.follow_ups import FollowUpRefused
from handlers.slack.alerts.common import note_in_thread
from handlers.slack.blocks.alerts import PROMISE_BLOCK, PROMISE_DATE, PROMISE_VIEW, follow_up_note
from handlers.slack.blocks.help import not_available_text
from handlers.slack.blocks.status import mrkdwn_escape
from handlers.slack.services import SlackServices

CALLBACK = PROMISE_VIEW


def promise_submitted(services: SlackServices) -> Callable[..., None]:
    def on_promise(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        invoice_id, channel, thread_ts = [*str(view.get("private_metadata", "")).split("|"), "", ""][:3]
        picked = (((view.get("state") or {}).get("values") or {}).get(PROMISE_BLOCK) or {}).get(PROMISE_DATE) or {}
        service = services.find("alerts")
        if not isinstance(service, AlertService):
            ack(response_action="errors", errors={PROMISE_BLOCK: not_available_text("alerts")})
            return
        user = str((body.get("user") or {}).get("id") or "")
        try:
            pay_by = date.fromisoformat(str(picked.get("selected_date") or ""))
            promise = service.promise(invoice_id, user, pay_by)
        except ValueError as exc:  # FollowUpRefused, or no date picked
            message = str(exc) if isinstance(exc, FollowUpRefused) else "Pick the date the customer promised."
            ack(response_action="errors", errors={PROMISE_BLOCK: message})
            return
        ack()
        if channel:
            number = mrkdwn_escape(promise.invoice_number or "the invoice")
            client.chat_postEphemeral(channel=channel, user=user, text=(
                f"Noted: {mrkdwn_escape(promise.account_name)} promised to pay {number} by "
                f"{promise.until.isoformat()}. It stays out of overdue digests until then."))
            note_in_thread(client, channel, thread_ts, follow_up_note(promise, user))

    return on_promise
