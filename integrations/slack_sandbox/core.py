"""The stand-in's shared core: one lock, the clock, timestamps, tokens, the workspace directory
and the listeners that hear about every message and view as it is recorded."""

from __future__ import annotations

import copy
import logging
import threading
import time
from collections.abc import Callable, Iterable

from integrations.slack_sandbox.ids import TimestampSequence, dm_channel_id
from integrations.slack_sandbox.surfaces import SurfaceChange
from integrations.slack_sandbox.workspace import (
    BOT_ID,
    BOT_USER_ID,
    Channel,
    SlackUser,
    TokenIdentity,
    Usergroup,
)

log = logging.getLogger(__name__)
SurfaceListener = Callable[[SurfaceChange], None]


class StateCore:
    def __init__(self, *, bot_token: str, app_token: str | None, users: Iterable[SlackUser],
                 usergroups: Iterable[Usergroup], channels: Iterable[Channel],
                 clock: Callable[[], float] = time.time) -> None:
        self._lock = threading.RLock()
        self._clock = clock
        self._timestamps = TimestampSequence()
        self._listeners: list[SurfaceListener] = []
        self._tokens: dict[str, TokenIdentity] = {bot_token: TokenIdentity("bot", BOT_USER_ID, BOT_ID)}
        if app_token:
            self._tokens[app_token] = TokenIdentity("app", None, None)
        self._users = {u.id: u for u in users}
        self._usergroups = {g.id: g for g in usergroups}
        self._channels = {c.id: c for c in channels}

    # --- clock and ids ---------------------------------------------------------------------

    def now(self) -> float:
        return self._clock()

    def next_ts(self) -> str:
        return self._timestamps.next(self._clock())

    # --- tokens and directory --------------------------------------------------------------

    def identity_for(self, token: str) -> TokenIdentity | None:
        with self._lock:
            return self._tokens.get(token)

    def add_token(self, token: str, identity: TokenIdentity) -> None:
        with self._lock:
            self._tokens[token] = identity

    def user(self, user_id: str) -> SlackUser | None:
        with self._lock:
            return self._users.get(user_id)

    def users(self) -> list[SlackUser]:
        with self._lock:
            return list(self._users.values())

    def user_by_email(self, email: str) -> SlackUser | None:
        wanted = email.strip().lower()
        with self._lock:
            return next((u for u in self._users.values() if (u.email or "").lower() == wanted), None)

    def add_user(self, user: SlackUser) -> None:
        with self._lock:
            self._users[user.id] = user

    def usergroup(self, group_id: str) -> Usergroup | None:
        with self._lock:
            return self._usergroups.get(group_id)

    def usergroups(self) -> list[Usergroup]:
        with self._lock:
            return list(self._usergroups.values())

    def set_usergroup(self, group: Usergroup) -> None:
        with self._lock:
            self._usergroups[group.id] = group

    def channel(self, channel_id: str) -> Channel | None:
        with self._lock:
            return self._channels.get(channel_id)

    def add_channel(self, channel: Channel) -> None:
        with self._lock:
            self._channels[channel.id] = channel

    def resolve_channel(self, ref: str) -> str | None:
        """A conversation id for what chat.* accepts as ``channel``: an id, a "#name", or a user id (DM)."""
        with self._lock:
            if ref in self._channels:
                return ref
            if ref in self._users:
                return dm_channel_id(ref)
            dm_user = self.dm_user(ref)
            if dm_user is not None:
                return ref
            name = ref.removeprefix("#")
            return next((c.id for c in self._channels.values() if c.name == name), None)

    def dm_user(self, channel_id: str) -> str | None:
        """The user whose DM with the bot ``channel_id`` is, if it is one."""
        if not channel_id.startswith("D"):
            return None
        with self._lock:
            return next((u.id for u in self._users.values() if dm_channel_id(u.id) == channel_id), None)

    # --- listeners -------------------------------------------------------------------------

    def subscribe(self, listener: SurfaceListener) -> Callable[[], None]:
        """Call ``listener`` with every message and view change; returns a function that unsubscribes.

        Listeners run on the thread that made the change (usually the server's), after the change
        is stored and outside the lock, so they may read the state; keep them quick.
        """
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, change: SurfaceChange) -> None:
        """Tell listeners, outside the lock (a listener may read the state); a failing listener is logged."""
        with self._lock:
            listeners = list(self._listeners)
        change = copy.deepcopy(change)
        for listener in listeners:
            try:
                listener(change)
            except Exception:
                log.exception("Slack stand-in listener failed on %s", change.kind)
