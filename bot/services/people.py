"""Chat users to Salesforce users, by email, cached in ``ChatUser``.

The chat adapter passes in how to look up a user's email (Slack: ``users.info``), so nothing
here knows about Slack. A cached mapping is used until it is ``cache_for`` old; the email is
then looked up again. Several active Salesforce users with one email, or only inactive ones,
map to nobody and say why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.base import utcnow
from bot.store.mirror import SfUser
from bot.store.session import Database
from bot.store.state import ChatUser

CACHE_FOR = timedelta(hours=24)

MappingOutcome = Literal["matched", "no_email", "no_match", "several", "inactive"]


@dataclass(frozen=True)
class ChatProfile:
    """What the chat platform says about a user."""

    email: str | None
    display_name: str | None = None


@dataclass(frozen=True)
class SalesforceUserRef:
    id: str
    name: str
    email: str | None
    is_active: bool


@dataclass(frozen=True)
class UserMapping:
    chat_user_id: str
    outcome: MappingOutcome
    email: str | None
    display_name: str | None
    sf_user: SalesforceUserRef | None  # set only for "matched"
    candidates: tuple[SalesforceUserRef, ...] = ()  # the users behind "several" or "inactive"
    from_cache: bool = False

    @property
    def sf_user_id(self) -> str | None:
        return self.sf_user.id if self.sf_user else None


ProfileLookup = Callable[[str], ChatProfile | None]


class PeopleService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow, cache_for: timedelta = CACHE_FOR) -> None:
        self.db = db
        self.clock = clock
        self.cache_for = cache_for

    def salesforce_user(self, chat_user_id: str, lookup: ProfileLookup, platform: str | None = None) -> UserMapping:
        """The Salesforce user behind a chat user; ``lookup`` is called only when the cache is old.
        ``platform`` names the chat the id belongs to ("slack", "teams"); None keeps what the cache
        says (a service that only has an id), and a new entry without one is a Slack user."""
        now = self.clock()
        with self.db.session() as s:
            cached = s.get(ChatUser, chat_user_id)
            if cached is not None and now - cached.fetched_at < self.cache_for:
                mapping = _match(s, chat_user_id, cached.email, cached.display_name)
                cached.sf_user_id = mapping.sf_user_id
                return replace(mapping, from_cache=True)
        profile = lookup(chat_user_id)  # outside a transaction: it may be a network call
        email = profile.email.strip().lower() if profile and profile.email else None
        name = profile.display_name if profile else None
        with self.db.session() as s:
            mapping = _match(s, chat_user_id, email, name)
            row = s.get(ChatUser, chat_user_id) or ChatUser(user_id=chat_user_id)
            row.platform = platform or row.platform or "slack"
            row.email, row.display_name = email, name
            row.sf_user_id, row.fetched_at = mapping.sf_user_id, now
            s.add(row)
        return mapping

    def known_profile(self, chat_user_id: str) -> ChatProfile | None:
        """What the cache holds about a chat user (email and name), without asking the chat platform;
        None for someone Paidup has not looked up yet."""
        with self.db.session() as s:
            row = s.get(ChatUser, chat_user_id)
            return ChatProfile(row.email, row.display_name) if row is not None else None

    def chat_users_for(self, sf_user_id: str, platform: str = "slack") -> list[str]:
        """Chat user ids known to be this Salesforce user (for DMs to an owner)."""
        with self.db.session() as s:
            return list(s.scalars(select(ChatUser.user_id).where(
                ChatUser.sf_user_id == sf_user_id, ChatUser.platform == platform).order_by(ChatUser.user_id)))

    def forget(self, chat_user_id: str) -> None:
        """Drop a cached mapping (e.g. the person's email changed)."""
        with self.db.session() as s:
            row = s.get(ChatUser, chat_user_id)
            if row is not None:
                s.delete(row)


def _match(session: Session, chat_user_id: str, email: str | None, name: str | None) -> UserMapping:
    if not email:
        return UserMapping(chat_user_id, "no_email", None, name, None)
    rows = session.scalars(select(SfUser).where(SfUser.email == email).order_by(SfUser.id))  # stored lower-case
    users = [SalesforceUserRef(u.id, u.name, u.email, u.is_active) for u in rows]
    active = [u for u in users if u.is_active]
    if len(active) == 1:
        return UserMapping(chat_user_id, "matched", email, name, active[0])
    if len(active) > 1:
        return UserMapping(chat_user_id, "several", email, name, None, tuple(active))
    if users:
        return UserMapping(chat_user_id, "inactive", email, name, None, tuple(users))
    return UserMapping(chat_user_id, "no_match", email, name, None)
