"""What the Bot Framework stand-in knows and records: the bot's registration, the tenant's users,
the tokens it issued, and every connector call with the activities as each conversation now shows them."""

from __future__ import annotations

import base64
import itertools
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TeamsUser:
    """A person in the tenant: their Teams (``29:…``) id, Entra object id, name and email/UPN."""

    id: str
    aad_object_id: str
    name: str
    email: str | None
    user_principal_name: str


@dataclass(frozen=True)
class ConnectorCall:
    method: str
    path: str
    conversation_id: str | None
    activity_id: str | None
    body: Any


@dataclass
class PostedActivity:
    """An activity the bot posted, as the conversation shows it now (``updates`` keeps each PUT)."""

    id: str
    conversation_id: str
    activity: dict[str, Any]
    updates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def cards(self) -> list[dict[str, Any]]:
        """The Adaptive Cards' content, in attachment order."""
        return [a["content"] for a in self.activity.get("attachments") or []
                if a.get("contentType") == "application/vnd.microsoft.card.adaptive"]

    @property
    def images(self) -> list[tuple[str, bytes]]:
        """Inline images sent in the message (base64 ``data:`` URLs), as (name, bytes)."""
        return [(str(a.get("name") or ""), base64.b64decode(a["contentUrl"].partition(",")[2]))
                for a in self.activity.get("attachments") or []
                if str(a.get("contentType", "")).startswith("image/")
                and str(a.get("contentUrl", "")).startswith("data:")]


class TeamsState:
    def __init__(self, app_id: str, app_password: str, tenant_id: str, bot_id: str | None = None) -> None:
        self.app_id = app_id
        self.app_password = app_password
        self.tenant_id = tenant_id
        self.bot_id = bot_id or f"28:{app_id}"
        self.bot_name = "Paidup"
        self.users: dict[str, TeamsUser] = {}  # by Teams id (29:…)
        self.conversation_members: dict[str, set[str]] = {}  # conversation id → Teams ids
        self.issued_tokens: set[str] = set()
        self.calls: list[ConnectorCall] = []
        self.posted: dict[str, PostedActivity] = {}  # by activity id
        # "POST" / "PUT" / "GET" / "token" → HTTP status, once; "POST image": the next post with an image
        self.fail_next: dict[str, int] = {}
        self.signing_kid = "sandbox-key-1"  # the key activities are signed with now
        self.published_kids = ["sandbox-key-1"]  # the keys the JWKS lists (Microsoft rolls them over)
        self._ids = itertools.count(1)
        self.lock = threading.RLock()

    # --- setup ---------------------------------------------------------------------------

    def add_user(self, name: str, email: str | None, *, aad_object_id: str | None = None) -> TeamsUser:
        with self.lock:
            n = len(self.users) + 1
            aad = aad_object_id or f"00000000-0000-4000-8000-{n:012d}"
            user = TeamsUser(f"29:1user{n}-{secrets.token_hex(4)}", aad, name, email, email or f"user{n}@example.com")
            self.users[user.id] = user
            return user

    def personal_conversation(self, user: TeamsUser) -> str:
        conversation = f"a:1personal-{user.aad_object_id}"
        self.join(conversation, user)
        return conversation

    def join(self, conversation_id: str, *users: TeamsUser) -> None:
        with self.lock:
            self.conversation_members.setdefault(conversation_id, set()).update(u.id for u in users)

    def roll_keys(self, kid: str) -> None:
        """Sign with a new key from now on, published beside the old one (as a key rollover does)."""
        with self.lock:
            self.signing_kid = kid
            self.published_kids = [*self.published_kids, kid][-2:]

    def clear(self) -> None:
        with self.lock:
            self.calls.clear()
            self.posted.clear()
            self.fail_next.clear()

    # --- recording -----------------------------------------------------------------------

    def new_activity_id(self) -> str:
        return f"1{next(self._ids):012d}"

    def record(self, call: ConnectorCall) -> None:
        with self.lock:
            self.calls.append(call)

    def in_conversation(self, conversation_id: str) -> list[PostedActivity]:
        """What the bot posted to a conversation, oldest first (cards as updated since)."""
        with self.lock:
            return [p for p in self.posted.values() if p.conversation_id == conversation_id]

    def calls_of(self, method: str, kind: str = "activities") -> list[ConnectorCall]:
        with self.lock:
            return [c for c in self.calls if c.method == method and f"/{kind}" in c.path]

    def failure_for(self, kind: str) -> int | None:
        with self.lock:
            return self.fail_next.pop(kind, None)
