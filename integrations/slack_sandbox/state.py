"""``SlackState``: everything the Slack stand-in knows, safe to read from tests and a terminal UI
while the server thread writes to it.

- the call log: ``calls(method)``, ``last(method)``, ``count(method)``, ``clear_calls()``
- fault switches: ``rate_limit_next(method, times, retry_after)``, ``fail_next(method, error, times)``
- messages: ``messages(channel)``, ``ephemeral_for(user)``, ``visible_to(user, channel)``, ``dm_with(user)``,
  ``thread(channel, ts)``, ``message(channel, ts)``; ``post_as_user(...)`` records what a person typed
- views: ``open_view_for(user)``, ``view_stack_for(user)``, ``home_for(user)``, ``view(id)``;
  ``set_view_values``, ``close_view``, ``apply_submission_ack`` play the user's side
- files: ``file(id)``, ``files()``
- listeners: ``subscribe(callback)`` hears every message and view change as it is recorded
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterable

from integrations.slack_sandbox.call_log import CallRecorder, FaultSwitches
from integrations.slack_sandbox.core import StateCore
from integrations.slack_sandbox.messages import MessageBoard
from integrations.slack_sandbox.surfaces import SlackFile
from integrations.slack_sandbox.view_stacks import ViewDesk
from integrations.slack_sandbox.workspace import Channel, SlackUser, Usergroup


class FileShelf(StateCore):
    """Files on their way through files.getUploadURLExternal -> upload URL -> files.completeUploadExternal."""

    _files: dict[str, SlackFile]

    def _reset_files(self) -> None:
        with self._lock:
            self._files = {}

    def new_upload(self, filename: str, length: int, user_id: str, alt_txt: str | None = None) -> SlackFile:
        with self._lock:
            file = SlackFile(f"F{len(self._files) + 1:010d}", filename, length, user_id, int(self.now()),
                             alt_txt=alt_txt)
            self._files[file.id] = file
            return copy.deepcopy(file)

    def receive_upload(self, file_id: str, content: bytes) -> bool:
        with self._lock:
            file = self._files.get(file_id)
            if file is None:
                return False
            file.content = content
            return True

    def complete_upload(self, file_id: str, title: str | None, channel: str | None) -> SlackFile | None:
        """Mark an uploaded file finished (and shared to ``channel``); None if unknown or bytes never came."""
        with self._lock:
            file = self._files.get(file_id)
            if file is None or file.content is None:
                return None
            file.title = title or file.title or file.filename
            if channel and channel not in file.channels:
                file.channels.append(channel)
            return copy.deepcopy(file)

    def file(self, file_id: str) -> SlackFile | None:
        with self._lock:
            return copy.deepcopy(self._files.get(file_id))

    def files(self) -> list[SlackFile]:
        with self._lock:
            return [copy.deepcopy(f) for f in self._files.values()]


class SlackState(CallRecorder, FaultSwitches, MessageBoard, ViewDesk, FileShelf):
    """The Slack stand-in's workspace, call log, fault switches and surfaces (see the module doc)."""

    def __init__(self, *, bot_token: str, app_token: str | None, users: Iterable[SlackUser],
                 usergroups: Iterable[Usergroup], channels: Iterable[Channel],
                 clock: Callable[[], float] = time.time, trigger_ttl: float | None = None) -> None:
        super().__init__(bot_token=bot_token, app_token=app_token, users=users, usergroups=usergroups,
                         channels=channels, clock=clock)
        self.bot_token = bot_token
        self.app_token = app_token
        self.trigger_ttl = trigger_ttl
        self._response_url_uses: dict[str, int] = {}
        self.clear()

    def clear(self) -> None:
        """Forget calls, faults, messages, views, files and used response URLs; keep people and channels."""
        with self._lock:
            self._reset_calls()
            self._reset_faults()
            self._reset_messages()
            self._reset_views()
            self._reset_files()
            self._response_url_uses = {}

    def use_response_url(self, key: str) -> int:
        """Count one more use of a response_url; returns how many times it has been used, this one included."""
        with self._lock:
            self._response_url_uses[key] = self._response_url_uses.get(key, 0) + 1
            return self._response_url_uses[key]
