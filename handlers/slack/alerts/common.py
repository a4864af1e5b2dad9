"""What the alert listeners share: the alert service from the port, and a private reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.services.alerts import AlertService, FailureOutcome
from bot.services.alerts.follow_ups import FollowUpRefused
from handlers.slack.blocks.help import not_available_text
from handlers.slack.blocks.status import mrkdwn_escape
from handlers.slack.services import SlackServices


def alert_service(services: SlackServices, respond: Respond) -> AlertService | None:
    """The bot's alert service; None (and the person told) while it is not available."""
    service = services.find("alerts")
    if isinstance(service, AlertService):
        return service
    tell(respond, not_available_text("alerts"))
    return None


def tell(respond: Respond, text: str) -> None:
    """A reply only the person who clicked sees; the alert itself stays as it is."""
    respond(text=text, response_type="ephemeral", replace_original=False)


def note_in_thread(client: WebClient, channel: str, thread_ts: str, text: str) -> None:
    """A note under a digest posted in a channel (a DM needs none: the person knows what they did)."""
    if channel[:1] in ("C", "G") and thread_ts:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)


def digest_thread(body: dict[str, Any]) -> tuple[str, str]:
    """(channel, thread ts) of the digest message a click came from (a continuation: its parent)."""
    message = body.get("message") or {}
    channel = str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")
    return channel, str(message.get("thread_ts") or message.get("ts") or "")


def clicker(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id") or "")


def failure_button(services: SlackServices, act: Callable[[AlertService, int, str], FailureOutcome]
                   ) -> Callable[..., None]:
    """A Retry or Ignore click on a failed-sync alert (value: the failure id): ``act`` does it and
    updates the alert; the person who clicked is told the outcome."""

    def on_click(ack: Ack, respond: Respond, action: dict[str, Any], body: dict[str, Any]) -> None:
        ack()
        service = alert_service(services, respond)
        value = str(action.get("value", ""))
        if service is None or not value.isdigit():
            return
        try:
            outcome = act(service, int(value), clicker(body))
        except FollowUpRefused as exc:
            tell(respond, str(exc))
            return
        tell(respond, mrkdwn_escape(outcome.message))

    return on_click
