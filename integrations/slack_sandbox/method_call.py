"""What a Web API method handler receives, and how it refuses a call the way Slack does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from integrations.slack_sandbox.block_kit import check_message_blocks
from integrations.slack_sandbox.state import SlackState
from integrations.slack_sandbox.workspace import TokenIdentity

MESSAGE_TEXT_MAX = 40_000  # Slack truncates longer text


class SlackApiFailure(Exception):
    """Answer ``{"ok": false, "error": error, **extra}`` (HTTP 200, like Slack)."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.error, **self.extra}


def invalid_arguments(*messages: str) -> SlackApiFailure:
    return SlackApiFailure("invalid_arguments", response_metadata={"messages": [f"[ERROR] {m}" for m in messages]})


@dataclass
class MethodCall:
    state: SlackState
    params: dict[str, Any]
    identity: TokenIdentity
    base_url: str  # where the stand-in is served, e.g. "http://127.0.0.1:4567"

    def text(self, name: str, *, missing: str | None = None) -> str:
        """A string parameter; "" when absent, or ``SlackApiFailure(missing)`` when that is given."""
        value = self.params.get(name)
        if value is None or value == "":
            if missing is not None:
                raise SlackApiFailure(missing)
            return ""
        return str(value)

    def flag(self, name: str) -> bool:
        value = self.params.get(name)
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("1", "true", "yes")

    def json_list(self, name: str, bad_format_error: str) -> list[Any] | None:
        """A JSON array parameter (already decoded from form strings by the server), or None."""
        value = self.params.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, list):
            raise SlackApiFailure(bad_format_error)
        return value

    def channel(self) -> str:
        """The conversation id ``channel`` names (an id, "#name" or a user id); channel_not_found otherwise."""
        resolved = self.state.resolve_channel(self.text("channel", missing="channel_not_found"))
        if resolved is None:
            raise SlackApiFailure("channel_not_found")
        return resolved


@dataclass(frozen=True)
class MessageContent:
    text: str | None
    blocks: list[dict[str, Any]] | None
    attachments: list[dict[str, Any]] | None


def message_content(call: MethodCall, *, require: bool = True) -> MessageContent:
    """text, blocks and attachments of a chat.* call, checked as Slack checks them."""
    blocks = call.json_list("blocks", "invalid_blocks_format")
    if blocks is not None:
        errors = check_message_blocks(blocks)
        if errors:
            raise SlackApiFailure("invalid_blocks", errors=errors,
                                  response_metadata={"messages": [f"[ERROR] {e}" for e in errors]})
    attachments = call.json_list("attachments", "invalid_attachments")
    if attachments is not None and len(attachments) > 100:
        raise SlackApiFailure("too_many_attachments")
    raw_text = call.params.get("text")
    text = None if raw_text is None else str(raw_text)[:MESSAGE_TEXT_MAX]
    if require and not text and not blocks and not attachments:
        raise SlackApiFailure("no_text")
    return MessageContent(text, blocks, attachments)


MethodHandler = Callable[[MethodCall], dict[str, Any]]
