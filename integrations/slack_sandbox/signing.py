"""Requests signed exactly as Slack signs them, for tests and the demo's terminal client.

Slack sends ``X-Slack-Request-Timestamp: <ts>`` and ``X-Slack-Signature: v0=<hex>``, where hex is
HMAC-SHA256(signing_secret, f"v0:{ts}:{raw_body}"). ``SlackRequestSigner`` builds slash commands
(form), interactivity payloads (``payload=<url-encoded JSON>``) and Events API envelopes (JSON),
each as a ``SignedRequest(body, headers)``; ``post_signed`` sends one with httpx.

    signer = SlackRequestSigner("secret", sandbox_url=slack_server.url)
    body, headers = signer.slash_command("U0REP0001", "acme")
    response = post_signed(bot_url + "/slack/events", signer.slash_command("U0REP0001", "acme"))
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

import httpx

from integrations.slack_sandbox.event_payloads import (
    app_home_opened_event,
    app_mention_event,
    event_envelope,
    message_event,
    url_verification,
)
from integrations.slack_sandbox.ids import dm_channel_id, new_trigger_id, response_url_for
from integrations.slack_sandbox.interaction_payloads import AppContext, base_payload
from integrations.slack_sandbox.interactions import InteractionBuilder
from integrations.slack_sandbox.signatures import FORM, JSON, SignedRequest, signed_headers, slack_signature
from integrations.slack_sandbox.workspace import BOT_USER_ID, SlackUser, default_users

__all__ = ["SignedRequest", "SlackRequestSigner", "post_signed", "signed_headers", "slack_signature"]


def post_signed(url: str, request: SignedRequest, *, client: httpx.Client | None = None,
                timeout: float = 10.0) -> httpx.Response:
    """POST a signed request to the app (e.g. ``http://127.0.0.1:3000/slack/events``)."""
    if client is not None:
        return client.post(url, content=request.body, headers=request.headers, timeout=timeout)
    return httpx.post(url, content=request.body, headers=request.headers, timeout=timeout)


class SlackRequestSigner(InteractionBuilder):
    """Builds and signs what Slack sends the app. ``timestamp`` defaults to now; pass an old one to
    test replay protection. With ``sandbox_url`` set, response_urls point at the stand-in."""

    def __init__(self, signing_secret: str, *, sandbox_url: str | None = None, app: AppContext | None = None,
                 users: Iterable[SlackUser] | None = None, bot_user_id: str = BOT_USER_ID,
                 clock: Callable[[], float] = time.time) -> None:
        if not signing_secret:
            raise ValueError("a signing secret is required")
        self.signing_secret = signing_secret
        self.sandbox_url = sandbox_url
        self.app = app or AppContext()
        self.bot_user_id = bot_user_id
        self.clock = clock
        self.user_names = {u.id: u.name for u in (default_users() if users is None else users)}

    # --- the pieces InteractionBuilder asks for ---------------------------------------------

    def user_name(self, user_id: str) -> str:
        return self.user_names.get(user_id, user_id.lower())

    def trigger_id(self, user_id: str) -> str:
        return new_trigger_id(user_id, self.clock())

    def response_url(self, channel_id: str, user_id: str, message_ts: str | None = None) -> str:
        if self.sandbox_url is None:
            return f"https://hooks.slack.com/actions/{self.app.team_id}/0/{self.trigger_id(user_id).split('.')[-1]}"
        return response_url_for(self.sandbox_url, channel_id, user_id, self.clock(), message_ts)

    def action_ts(self) -> str:
        return f"{self.clock():.6f}"

    def sign_form(self, fields: dict[str, str], timestamp: int | None = None) -> SignedRequest:
        body = urlencode(fields).encode()
        return SignedRequest(body, signed_headers(self.signing_secret, body, self._ts(timestamp), FORM))

    def sign_payload(self, payload: dict[str, Any], timestamp: int | None = None) -> SignedRequest:
        """An interactivity request: ``payload=<url-encoded JSON>``."""
        return self.sign_form({"payload": json.dumps(payload)}, timestamp)

    def sign_json(self, body_json: dict[str, Any], timestamp: int | None = None, *, retry_num: int | None = None,
                  retry_reason: str | None = None) -> SignedRequest:
        body = json.dumps(body_json).encode()
        headers = signed_headers(self.signing_secret, body, self._ts(timestamp), JSON,
                                 retry_num=retry_num, retry_reason=retry_reason)
        return SignedRequest(body, headers)

    def _ts(self, timestamp: int | None) -> int:
        return int(self.clock()) if timestamp is None else int(timestamp)

    # --- slash commands ---------------------------------------------------------------------

    def slash_command(self, user_id: str, text: str = "", *, command: str = "/paidup",
                      channel_id: str | None = None, channel_name: str | None = None,
                      timestamp: int | None = None) -> SignedRequest:
        """``/paidup <text>`` typed by ``user_id`` (in their DM with the app unless ``channel_id`` is given)."""
        channel_id = channel_id or dm_channel_id(user_id)
        fields = {
            "token": self.app.verification_token, "team_id": self.app.team_id,
            "team_domain": self.app.team_domain, "channel_id": channel_id,
            "channel_name": channel_name or self._channel_name(channel_id),
            "user_id": user_id, "user_name": self.user_name(user_id), "command": command, "text": text,
            "api_app_id": self.app.api_app_id, "is_enterprise_install": "false",
            "response_url": self.response_url(channel_id, user_id), "trigger_id": self.trigger_id(user_id),
        }
        return self.sign_form(fields, timestamp)

    # --- Events API -------------------------------------------------------------------------

    def event(self, event: dict[str, Any], *, event_id: str | None = None, timestamp: int | None = None,
              retry_num: int | None = None, retry_reason: str | None = None) -> SignedRequest:
        """Any event in an ``event_callback`` envelope; give the same ``event_id`` to model a retry."""
        envelope = event_envelope(event, self.app, self.bot_user_id, event_id=event_id,
                                  event_time=self._ts(timestamp))
        return self.sign_json(envelope, timestamp, retry_num=retry_num, retry_reason=retry_reason)

    def message_im(self, user_id: str, text: str, *, ts: str | None = None, thread_ts: str | None = None,
                   **envelope: Any) -> SignedRequest:
        """A direct message to the app (message.im); ``text`` as typed (escaped as Slack does)."""
        event = message_event(user_id, text, dm_channel_id(user_id), ts or self.action_ts(), channel_type="im",
                              team_id=self.app.team_id, thread_ts=thread_ts)
        return self.event(event, **envelope)

    def app_mention(self, user_id: str, text: str, channel_id: str, *, ts: str | None = None,
                    thread_ts: str | None = None, **envelope: Any) -> SignedRequest:
        event = app_mention_event(user_id, text, channel_id, ts or self.action_ts(), bot_user_id=self.bot_user_id,
                                  team_id=self.app.team_id, thread_ts=thread_ts)
        return self.event(event, **envelope)

    def app_home_opened(self, user_id: str, *, view: dict[str, Any] | None = None, tab: str = "home",
                        **envelope: Any) -> SignedRequest:
        event = app_home_opened_event(user_id, dm_channel_id(user_id), self.action_ts(), tab=tab, view=view)
        return self.event(event, **envelope)

    def url_verification(self, challenge: str, timestamp: int | None = None) -> SignedRequest:
        return self.sign_json(url_verification(challenge, self.app), timestamp)

    def base_payload(self, kind: str, user_id: str) -> dict[str, Any]:
        return base_payload(kind, user_id, self.user_name(user_id), self.app)
