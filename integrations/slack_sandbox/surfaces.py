"""What people see in the stand-in: messages per channel, modal stacks and Home tabs per user,
shared files, and the record of every Web API call.

These are plain dataclasses; ``SlackState`` hands out deep copies, so a reader never sees a
value change under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from integrations.slack_sandbox.workspace import (
    APP_ID,
    BOT_ID,
    BOT_NAME,
    BOT_USER_ID,
    CREATED,
    TEAM_ID,
    TEAM_URL,
    TokenIdentity,
)


@dataclass
class MessageVersion:
    """One version of a message's content (chat.update and replace_original add versions)."""

    text: str
    blocks: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    at_ts: str  # when this version was written


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    user: str  # the author's user id (the bot user for the app's own messages)
    bot_id: str | None = BOT_ID
    thread_ts: str | None = None
    ephemeral_for: str | None = None  # the only user who sees it, for ephemeral messages
    attachments: list[dict[str, Any]] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] | None = None
    reactions: dict[str, list[str]] = field(default_factory=dict)  # emoji name -> user ids
    via: Literal["web_api", "response_url", "user"] = "web_api"
    edited_ts: str | None = None
    deleted: bool = False
    versions: list[MessageVersion] = field(default_factory=list)  # every version, oldest first

    @property
    def is_ephemeral(self) -> bool:
        return self.ephemeral_for is not None

    def to_api(self) -> dict[str, Any]:
        """The message object as chat.postMessage and interaction payloads carry it."""
        body: dict[str, Any] = {"type": "message", "text": self.text, "user": self.user, "ts": self.ts, "team": TEAM_ID}
        if self.bot_id is not None:
            body["bot_id"] = self.bot_id
            body["bot_profile"] = bot_profile_json()
        if self.blocks:
            body["blocks"] = self.blocks
        if self.attachments:
            body["attachments"] = self.attachments
        if self.files:
            body["files"] = self.files
        if self.thread_ts is not None:
            body["thread_ts"] = self.thread_ts
        if self.reactions:
            body["reactions"] = [{"name": n, "users": u, "count": len(u)} for n, u in self.reactions.items()]
        return body


def bot_profile_json() -> dict[str, Any]:
    icons = {f"image_{n}": f"https://avatars.slack-edge.com/{APP_ID}_{n}.png" for n in (36, 48, 72)}
    return {"id": BOT_ID, "deleted": False, "name": BOT_NAME, "updated": CREATED, "app_id": APP_ID,
            "icons": icons, "team_id": TEAM_ID}


@dataclass
class View:
    """A modal (in a user's stack) or a Home tab, as the app last sent it."""

    id: str
    user_id: str
    definition: dict[str, Any]  # the view object the app sent (type, title, blocks, ...)
    hash: str
    root_view_id: str
    previous_view_id: str | None = None
    values: dict[str, dict[str, Any]] = field(default_factory=dict)  # state.values
    errors: dict[str, str] = field(default_factory=dict)  # response_action "errors" shown inline
    closed: bool = False

    @property
    def type(self) -> str:
        return str(self.definition.get("type", ""))

    @property
    def callback_id(self) -> str:
        return str(self.definition.get("callback_id", ""))

    @property
    def private_metadata(self) -> str:
        return str(self.definition.get("private_metadata", ""))

    @property
    def external_id(self) -> str:
        return str(self.definition.get("external_id", ""))

    def to_api(self) -> dict[str, Any]:
        """The view object as views.* responses and interaction payloads carry it."""
        body: dict[str, Any] = {
            "id": self.id, "team_id": TEAM_ID, "type": self.type, "blocks": self.definition.get("blocks", []),
            "private_metadata": self.private_metadata, "callback_id": self.callback_id,
            "state": {"values": self.values}, "hash": self.hash,
            "clear_on_close": bool(self.definition.get("clear_on_close", False)),
            "notify_on_close": bool(self.definition.get("notify_on_close", False)),
            "close": self.definition.get("close"), "submit": self.definition.get("submit"),
            "previous_view_id": self.previous_view_id, "root_view_id": self.root_view_id, "app_id": APP_ID,
            "external_id": self.external_id, "app_installed_team_id": TEAM_ID, "bot_id": BOT_ID,
        }
        if "title" in self.definition:
            body["title"] = self.definition["title"]
        if "submit_disabled" in self.definition:
            body["submit_disabled"] = self.definition["submit_disabled"]
        return body


@dataclass
class SlackFile:
    id: str
    filename: str
    length: int
    user: str
    created: int
    title: str = ""
    content: bytes | None = None  # None until the bytes arrive at the upload URL
    channels: list[str] = field(default_factory=list)
    alt_txt: str | None = None

    def to_api(self) -> dict[str, Any]:
        """The file object as files.info returns it."""
        ext = self.filename.rsplit(".", 1)[-1].lower() if "." in self.filename else "binary"
        url = f"https://files.slack.com/files-pri/{TEAM_ID}-{self.id}/{self.filename}"
        return {
            "id": self.id, "created": self.created, "timestamp": self.created, "name": self.filename,
            "title": self.title or self.filename, "mimetype": _MIME_TYPES.get(ext, "application/octet-stream"),
            "filetype": ext, "pretty_type": ext.upper(), "user": self.user, "editable": False,
            "size": len(self.content) if self.content is not None else self.length, "mode": "hosted",
            "is_external": False, "external_type": "", "is_public": any(c.startswith("C") for c in self.channels),
            "public_url_shared": False, "display_as_bot": False, "username": "",
            "url_private": url, "url_private_download": url + "?download=1",
            "permalink": f"{TEAM_URL}files/{self.user}/{self.id}/{self.filename}",
            "channels": [c for c in self.channels if c.startswith("C")],
            "groups": [c for c in self.channels if c.startswith("G")],
            "ims": [c for c in self.channels if c.startswith("D")], "comments_count": 0,
        }


_MIME_TYPES = {"png": "image/png", "jpg": "image/jpeg", "csv": "text/csv", "pdf": "application/pdf",
               "txt": "text/plain", "json": "application/json"}


@dataclass
class ApiCall:
    """One Web API call as the stand-in received and answered it."""

    method: str
    params: dict[str, Any]  # query, form and JSON body merged; JSON-encoded fields decoded
    http_method: str
    content_type: str
    token: str | None
    identity: TokenIdentity | None
    at: float
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))


SurfaceChangeKind = Literal[
    "message_posted", "message_updated", "message_deleted", "reaction_added",
    "view_opened", "view_pushed", "view_updated", "view_closed", "home_published",
]


@dataclass(frozen=True)
class SurfaceChange:
    """What a listener hears: a message or a view changed (copies, safe to keep)."""

    kind: SurfaceChangeKind
    message: Message | None = None
    view: View | None = None

    @property
    def is_from_bot(self) -> bool:
        return self.message is not None and self.message.user == BOT_USER_ID
