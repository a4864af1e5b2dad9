""""Snooze 7 days" / "Mark as promised to pay" from an invoice's menu in an overdue digest: a snooze
is stored at once; a promise opens a small modal for the date (``promise_submitted`` saves it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.services.alerts.follow_ups import FollowUpRefused
from handlers.slack.alerts.common import alert_service, clicker, digest_thread, note_in_thread, tell
from handlers.slack.blocks.alerts import follow_up_note, promise_modal
from handlers.slack.blocks.digest import FOLLOW_UP_ACTION, PROMISE, SNOOZE
from handlers.slack.blocks.status import mrkdwn_escape
from handlers.slack.services import SlackServices

ACTION = FOLLOW_UP_ACTION


def follow_up(services: SlackServices) -> Callable[..., None]:
    def on_follow_up(ack: Ack, respond: Respond, action: dict[str, Any], body: dict[str, Any],
                     client: WebClient) -> None:
        ack()
        kind, _, invoice_id = str((action.get("selected_option") or {}).get("value", "")).partition("|")
        service = alert_service(services, respond)
        if service is None or not invoice_id or kind not in (SNOOZE, PROMISE):
            return
        channel, thread_ts = digest_thread(body)
        if kind == PROMISE:
            client.views_open(trigger_id=body["trigger_id"],
                              view=promise_modal(invoice_id, channel, thread_ts, service.today()))
            return
        try:
            snoozed = service.snooze(invoice_id, clicker(body))
        except FollowUpRefused as exc:
            tell(respond, str(exc))
            return
        number = mrkdwn_escape(snoozed.invoice_number or "The invoice")
        tell(respond, f"Snoozed {number} ({mrkdwn_escape(snoozed.account_name)}) until "
                      f"{snoozed.until.isoformat()}: it stays out of overdue digests until then.")
        note_in_thread(client, channel, thread_ts, follow_up_note(snoozed, clicker(body)))

    return on_follow_up
