"""Events API envelopes and events as Slack sends them (message.im, app_mention, app_home_opened,
url_verification), and the HTML escaping Slack applies to message text."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from integrations.slack_sandbox.interaction_payloads import AppContext


def escape_text(text: str) -> str:
    """Slack's escaping of what a person typed: ``&``, ``<`` and ``>`` arrive as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def new_event_id() -> str:
    return "Ev" + secrets.token_hex(5).upper()


def event_envelope(event: dict[str, Any], app: AppContext, bot_user_id: str, *, event_id: str | None = None,
                   event_time: int) -> dict[str, Any]:
    """The ``event_callback`` envelope around one event."""
    return {
        "token": app.verification_token, "team_id": app.team_id, "context_team_id": app.team_id,
        "context_enterprise_id": None, "api_app_id": app.api_app_id, "event": event, "type": "event_callback",
        "event_id": event_id or new_event_id(), "event_time": event_time,
        "authorizations": [{"enterprise_id": None, "team_id": app.team_id, "user_id": bot_user_id,
                            "is_bot": True, "is_enterprise_install": False}],
        "is_ext_shared_channel": False, "event_context": "4-" + secrets.token_urlsafe(24),
    }


def _rich_text(escaped_text: str) -> list[dict[str, Any]]:
    return [{"type": "rich_text", "block_id": secrets.token_hex(3),
             "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": escaped_text}]}]}]


def message_event(user_id: str, text: str, channel_id: str, ts: str, *, channel_type: str, team_id: str,
                  thread_ts: str | None = None) -> dict[str, Any]:
    """A person's message (``channel_type`` "im" for message.im); ``text`` as typed, escaped here."""
    escaped = escape_text(text)
    event: dict[str, Any] = {
        "type": "message", "client_msg_id": str(uuid.uuid4()), "text": escaped, "user": user_id, "ts": ts,
        "blocks": _rich_text(escaped), "team": team_id, "channel": channel_id, "event_ts": ts,
        "channel_type": channel_type,
    }
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    return event


def app_mention_event(user_id: str, text: str, channel_id: str, ts: str, *, bot_user_id: str,
                      team_id: str, thread_ts: str | None = None) -> dict[str, Any]:
    """``@Paidup <text>`` in a channel: the mention is markup, the typed text is escaped."""
    full_text = f"<@{bot_user_id}> {escape_text(text)}"
    event: dict[str, Any] = {
        "type": "app_mention", "client_msg_id": str(uuid.uuid4()), "text": full_text, "user": user_id, "ts": ts,
        "blocks": _rich_text(full_text), "team": team_id, "channel": channel_id, "event_ts": ts,
    }
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    return event


def app_home_opened_event(user_id: str, channel_id: str, event_ts: str, *, tab: str = "home",
                          view: dict[str, Any] | None = None) -> dict[str, Any]:
    """The user opened the app's Home (or Messages) tab; ``view`` is the Home view last published, if any."""
    event: dict[str, Any] = {"type": "app_home_opened", "user": user_id, "channel": channel_id, "tab": tab,
                             "event_ts": event_ts}
    if view is not None:
        event["view"] = view
    return event


def url_verification(challenge: str, app: AppContext) -> dict[str, Any]:
    return {"token": app.verification_token, "challenge": challenge, "type": "url_verification"}
