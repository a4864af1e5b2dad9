"""chat.* and reactions.add: messages the app posts, edits, deletes and reacts to."""

from __future__ import annotations

from typing import Any

from integrations.slack_sandbox.method_call import MethodCall, MethodHandler, SlackApiFailure, message_content
from integrations.slack_sandbox.surfaces import Message
from integrations.slack_sandbox.workspace import BOT_USER_ID, TEAM_URL


def post_message(call: MethodCall) -> dict[str, Any]:
    channel = call.channel()
    content = message_content(call)
    metadata = call.params.get("metadata")
    message = Message(channel, call.state.next_ts(), content.text or "", content.blocks or [], BOT_USER_ID,
                      thread_ts=call.text("thread_ts") or None, attachments=content.attachments or [],
                      metadata=metadata if isinstance(metadata, dict) else None)
    stored = call.state.add_message(message)
    return {"ok": True, "channel": channel, "ts": stored.ts, "message": stored.to_api()}


def post_ephemeral(call: MethodCall) -> dict[str, Any]:
    channel = call.channel()
    user_id = call.text("user", missing="user_not_in_channel")
    if call.state.user(user_id) is None:
        raise SlackApiFailure("user_not_in_channel")
    content = message_content(call)
    message = Message(channel, call.state.next_ts(), content.text or "", content.blocks or [], BOT_USER_ID,
                      thread_ts=call.text("thread_ts") or None, ephemeral_for=user_id,
                      attachments=content.attachments or [])
    stored = call.state.add_message(message)
    return {"ok": True, "message_ts": stored.ts}


def update_message(call: MethodCall) -> dict[str, Any]:
    channel = call.channel()
    ts = call.text("ts", missing="message_not_found")
    content = message_content(call)
    _own_message(call, channel, ts, "cant_update_message")
    updated = call.state.edit_message(channel, ts, text=content.text, blocks=content.blocks,
                                      attachments=content.attachments)
    if updated is None:
        raise SlackApiFailure("message_not_found")
    return {"ok": True, "channel": channel, "ts": ts, "text": updated.text, "message": updated.to_api()}


def delete_message(call: MethodCall) -> dict[str, Any]:
    channel = call.channel()
    ts = call.text("ts", missing="message_not_found")
    _own_message(call, channel, ts, "cant_delete_message")
    if call.state.delete_message(channel, ts) is None:
        raise SlackApiFailure("message_not_found")
    return {"ok": True, "channel": channel, "ts": ts}


def get_permalink(call: MethodCall) -> dict[str, Any]:
    channel = call.channel()
    ts = call.text("message_ts", missing="message_not_found")
    message = call.state.message(channel, ts)
    if message is None or message.is_ephemeral:
        raise SlackApiFailure("message_not_found")
    permalink = f"{TEAM_URL}archives/{channel}/p{ts.replace('.', '')}"
    if message.thread_ts and message.thread_ts != ts:
        permalink += f"?thread_ts={message.thread_ts}&cid={channel}"
    return {"ok": True, "channel": channel, "permalink": permalink}


def add_reaction(call: MethodCall) -> dict[str, Any]:
    ts = call.text("timestamp", missing="no_item_specified")
    channel = call.channel()
    name = call.text("name", missing="invalid_name").strip(":")
    outcome = call.state.add_reaction(channel, ts, name, call.identity.user_id or BOT_USER_ID)
    if outcome != "ok":
        raise SlackApiFailure(outcome)
    return {"ok": True}


def _own_message(call: MethodCall, channel: str, ts: str, refusal: str) -> None:
    """The bot may only edit or delete its own (non-ephemeral) messages."""
    message = call.state.message(channel, ts)
    if message is None or message.is_ephemeral:
        raise SlackApiFailure("message_not_found")
    if message.user != (call.identity.user_id or BOT_USER_ID):
        raise SlackApiFailure(refusal)


CHAT_METHODS: dict[str, MethodHandler] = {
    "chat.postMessage": post_message,
    "chat.postEphemeral": post_ephemeral,
    "chat.update": update_message,
    "chat.delete": delete_message,
    "chat.getPermalink": get_permalink,
    "reactions.add": add_reaction,
}
