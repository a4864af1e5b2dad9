"""Messages per channel: posted, edited, deleted and reacted to; and what each user sees."""

from __future__ import annotations

import copy
from typing import Any, Literal

from integrations.slack_sandbox.core import StateCore
from integrations.slack_sandbox.ids import dm_channel_id
from integrations.slack_sandbox.surfaces import Message, MessageVersion, SurfaceChange

ReactionOutcome = Literal["ok", "message_not_found", "already_reacted"]


class MessageBoard(StateCore):
    _messages: dict[str, list[Message]]

    def _reset_messages(self) -> None:
        with self._lock:
            self._messages = {}

    # --- writing ---------------------------------------------------------------------------

    def add_message(self, message: Message) -> Message:
        """Record a new message (public or ephemeral) and tell listeners."""
        stored = copy.deepcopy(message)
        stored.versions = [MessageVersion(stored.text, stored.blocks, stored.attachments, stored.ts)]
        with self._lock:
            self._messages.setdefault(stored.channel, []).append(stored)
            snapshot = copy.deepcopy(stored)
        self._notify(SurfaceChange("message_posted", message=snapshot))
        return snapshot

    def post_as_user(self, user_id: str, text: str, channel: str | None = None,
                     thread_ts: str | None = None) -> Message:
        """Record what a person typed (the terminal client's side of a conversation); DM by default."""
        message = Message(channel or dm_channel_id(user_id), self.next_ts(), text, [], user_id, bot_id=None,
                          thread_ts=thread_ts, via="user")
        return self.add_message(message)

    def edit_message(self, channel: str, ts: str, *, text: str | None, blocks: list[dict[str, Any]] | None,
                     attachments: list[dict[str, Any]] | None = None,
                     include_ephemeral: bool = False) -> Message | None:
        """Apply an edit (None keeps a field, as chat.update does); None when there is no such message."""
        with self._lock:
            found = self._find(channel, ts)
            if found is None or (found.is_ephemeral and not include_ephemeral):
                return None
            found.text = found.text if text is None else text
            found.blocks = found.blocks if blocks is None else blocks
            found.attachments = found.attachments if attachments is None else attachments
            found.edited_ts = self.next_ts()
            found.versions.append(MessageVersion(found.text, found.blocks, found.attachments, found.edited_ts))
            snapshot = copy.deepcopy(found)
        self._notify(SurfaceChange("message_updated", message=snapshot))
        return snapshot

    def delete_message(self, channel: str, ts: str, include_ephemeral: bool = False) -> Message | None:
        with self._lock:
            found = self._find(channel, ts)
            if found is None or (found.is_ephemeral and not include_ephemeral):
                return None
            found.deleted = True
            snapshot = copy.deepcopy(found)
        self._notify(SurfaceChange("message_deleted", message=snapshot))
        return snapshot

    def add_reaction(self, channel: str, ts: str, name: str, user_id: str) -> ReactionOutcome:
        with self._lock:
            found = self._find(channel, ts)
            if found is None or found.is_ephemeral:
                return "message_not_found"
            users = found.reactions.setdefault(name, [])
            if user_id in users:
                return "already_reacted"
            users.append(user_id)
            snapshot = copy.deepcopy(found)
        self._notify(SurfaceChange("reaction_added", message=snapshot))
        return "ok"

    def _find(self, channel: str, ts: str) -> Message | None:
        return next((m for m in self._messages.get(channel, []) if m.ts == ts and not m.deleted), None)

    # --- reading ---------------------------------------------------------------------------

    def message(self, channel: str, ts: str) -> Message | None:
        """The live message (public or ephemeral) at ``channel``/``ts``."""
        with self._lock:
            return copy.deepcopy(self._find(channel, ts))

    def messages(self, channel: str, *, include_replies: bool = True, include_deleted: bool = False) -> list[Message]:
        """Public messages in a channel, oldest first (what everyone in it sees)."""
        with self._lock:
            return [
                copy.deepcopy(m) for m in self._messages.get(channel, [])
                if not m.is_ephemeral and (include_deleted or not m.deleted)
                and (include_replies or m.thread_ts is None or m.thread_ts == m.ts)
            ]

    def thread(self, channel: str, thread_ts: str) -> list[Message]:
        """Replies in the thread under ``thread_ts`` (not the parent), oldest first."""
        return [m for m in self.messages(channel) if m.thread_ts == thread_ts and m.ts != thread_ts]

    def ephemeral_for(self, user_id: str, channel: str | None = None) -> list[Message]:
        """Ephemeral messages only ``user_id`` sees, oldest first, across channels unless one is given."""
        with self._lock:
            return [
                copy.deepcopy(m) for ch, items in self._messages.items() if channel is None or ch == channel
                for m in items if m.ephemeral_for == user_id and not m.deleted
            ]

    def visible_to(self, user_id: str, channel: str) -> list[Message]:
        """What ``user_id`` sees in ``channel`` now: public messages and their own ephemeral ones, by ts."""
        seen = self.messages(channel) + self.ephemeral_for(user_id, channel)
        return sorted(seen, key=lambda m: float(m.ts))

    def dm_with(self, user_id: str) -> list[Message]:
        """The bot's direct-message conversation with a user, as that user sees it."""
        return self.visible_to(user_id, dm_channel_id(user_id))

    def all_messages(self) -> list[Message]:
        """Every message in every channel, deleted and ephemeral ones included, by ts."""
        with self._lock:
            everything = [copy.deepcopy(m) for items in self._messages.values() for m in items]
        return sorted(everything, key=lambda m: float(m.ts))

