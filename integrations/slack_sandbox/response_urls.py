"""What the stand-in does with a JSON body the app posts to a ``response_url``.

- ``delete_original: true`` deletes the message the interaction came from;
- ``replace_original: true`` replaces it (keeping it ephemeral if it was);
- otherwise a new message: ``response_type: "in_channel"`` for everyone, else (the default)
  ephemeral for the user who acted.

A response_url works 5 times within 30 minutes, as Slack's do; after that it answers
``used_url`` / ``expired_url`` with HTTP 404.
"""

from __future__ import annotations

from typing import Any

from integrations.slack_sandbox.block_kit import check_message_blocks
from integrations.slack_sandbox.ids import ResponseTarget
from integrations.slack_sandbox.method_call import MESSAGE_TEXT_MAX
from integrations.slack_sandbox.state import SlackState
from integrations.slack_sandbox.surfaces import Message
from integrations.slack_sandbox.workspace import BOT_USER_ID

MAX_USES = 5
LIFETIME_SECONDS = 30 * 60


def answer_response_url(state: SlackState, target: ResponseTarget, body: Any) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body) for one post to a response_url, after applying it to the message model."""
    if state.now() - target.issued_at > LIFETIME_SECONDS:
        return 404, {"ok": False, "error": "expired_url"}
    if state.use_response_url(target.key) > MAX_USES:
        return 404, {"ok": False, "error": "used_url"}
    if not isinstance(body, dict):
        return 400, {"ok": False, "error": "invalid_payload"}
    original = state.message(target.channel, target.message_ts) if target.message_ts else None
    if body.get("delete_original") in (True, "true"):
        if original is not None:
            state.delete_message(original.channel, original.ts, include_ephemeral=True)
        return 200, {"ok": True}
    blocks = body.get("blocks")
    errors = check_message_blocks(blocks) if blocks is not None else []
    if errors:
        return 400, {"ok": False, "error": "invalid_blocks", "errors": errors}
    text = str(body.get("text") or "")[:MESSAGE_TEXT_MAX]
    if not text and not blocks and not body.get("attachments"):
        return 400, {"ok": False, "error": "no_text"}
    if body.get("replace_original") in (True, "true") and original is not None:
        state.edit_message(original.channel, original.ts, text=text, blocks=blocks or [],
                           attachments=body.get("attachments"), include_ephemeral=True)
        return 200, {"ok": True}
    _post_response(state, target, body, text, blocks or [])
    return 200, {"ok": True}


def _post_response(state: SlackState, target: ResponseTarget, body: dict[str, Any], text: str,
                   blocks: list[dict[str, Any]]) -> None:
    in_channel = body.get("response_type") == "in_channel"
    message = Message(target.channel, state.next_ts(), text, blocks, BOT_USER_ID,
                      thread_ts=body.get("thread_ts"), ephemeral_for=None if in_channel else target.user_id,
                      attachments=list(body.get("attachments") or []), via="response_url")
    state.add_message(message)
