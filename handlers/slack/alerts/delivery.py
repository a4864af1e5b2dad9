"""``AlertDelivery`` for Slack: renders each alert with ``blocks/`` and posts it, paced to about one
message per second per channel (chat.postMessage's limit, FACTS §7).

A 429 is waited out by slack_sdk's ``RateLimitErrorRetryHandler`` on the client the composition
root gives (it sleeps ``Retry-After`` and tries again); if Slack still refuses, the error goes
back to the alert service, which keeps the alert (alert log / outbox) for the next run: queued,
never dropped. A DM goes to the channel ``conversations.open`` names for the person (``im:write``;
remembered per process) rather than to the bare user id, so it lands in the one DM conversation
whatever accepts the post; the reply's channel is kept, so the message can be updated later.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.alerts.port import (
    Alert,
    AllClear,
    FailedRecordAlert,
    MessageRef,
    OverdueDigest,
    PaymentNotice,
    Recipient,
    SourceOutage,
)
from handlers.slack.blocks.alerts import failure_message, outage_message, payment_message
from handlers.slack.blocks.digest import SlackMessage, all_clear_message, digest_messages

log = logging.getLogger(__name__)
PER_CHANNEL_INTERVAL = 1.0  # seconds between two posts to one channel


def render(alert: Alert) -> list[SlackMessage]:
    """The messages for an alert: the first is the alert, the others go in its thread."""
    if isinstance(alert, OverdueDigest):
        return digest_messages(alert)
    if isinstance(alert, AllClear):
        return [all_clear_message(alert)]
    if isinstance(alert, PaymentNotice):
        return [payment_message(alert)]
    if isinstance(alert, FailedRecordAlert):
        return [failure_message(alert)]
    if isinstance(alert, SourceOutage):
        return [outage_message(alert)]
    raise TypeError(f"no Slack rendering for {type(alert).__name__}")


class ChannelPacer:
    """At most one post per ``interval`` seconds per channel, across this process's threads."""

    def __init__(self, interval: float = PER_CHANNEL_INTERVAL, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval, self.clock, self.sleep = interval, clock, sleep
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def wait(self, channel: str) -> None:
        with self._lock:
            now = self.clock()
            slot = max(now, self._next.get(channel, now))
            self._next[channel] = slot + self.interval
        if slot > now:
            self.sleep(slot - now)


class SlackAlertDelivery:
    platform = "slack"  # person Recipients are Slack user ids

    def __init__(self, client: WebClient, pacer: ChannelPacer | None = None) -> None:
        self.client = client
        self.pacer = pacer or ChannelPacer()
        self._dm_channels: dict[str, str] = {}

    def deliver(self, to: Recipient, alert: Alert) -> MessageRef:
        first, *rest = render(alert)
        posted = self._post(self._dm_channel(to.id) if to.kind == "person" else to.id, first)
        ref = MessageRef(str(posted["channel"]), str(posted["ts"]))
        for n, message in enumerate(rest, start=1):
            try:
                self._post(ref.channel, message, thread_ts=ref.id)
            except SlackApiError as exc:  # the alert is out: a missing continuation beats posting it twice
                log.warning("slack.alert_thread_reply_failed", extra={"channel": ref.channel, "reply": n,
                                                                      "error": str(exc.response.get("error"))})
                break
        return ref

    def update(self, ref: MessageRef, alert: Alert) -> None:
        message = render(alert)[0]
        self.pacer.wait(ref.channel)
        self.client.chat_update(channel=ref.channel, ts=ref.id, text=message.text, blocks=message.blocks)

    def person_for_email(self, email: str) -> str | None:
        try:
            user: dict[str, Any] = self.client.users_lookupByEmail(email=email).get("user") or {}
        except SlackApiError as exc:
            if exc.response.get("error") == "users_not_found":
                return None
            raise
        return None if user.get("deleted") or user.get("is_bot") else user.get("id")

    def _dm_channel(self, user_id: str) -> str:
        """The id of the bot's DM conversation with ``user_id`` (conversations.open, once per person)."""
        if user_id not in self._dm_channels:
            opened = self.client.conversations_open(users=user_id)
            self._dm_channels[user_id] = str((opened.get("channel") or {}).get("id") or user_id)
        return self._dm_channels[user_id]

    def _post(self, channel: str, message: SlackMessage, thread_ts: str | None = None) -> dict[str, Any]:
        self.pacer.wait(channel)
        response = self.client.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks,
                                                thread_ts=thread_ts, unfurl_links=False, unfurl_media=False)
        return response.data if isinstance(response.data, dict) else {}
