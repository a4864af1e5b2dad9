"""What every alert job shares: where alerts go, how a job reports what it did, and finding the
chat user behind a Salesforce owner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from bot.services.alerts.port import AlertDelivery
from bot.services.people import PeopleService
from bot.store.mirror import SfUser
from bot.store.session import Database


@dataclass(frozen=True)
class AlertChannels:
    """Channel ids from app.yml: overdue digests and payment notices; failed-sync alerts."""

    alerts: str | None
    ops: str | None


@dataclass
class JobResult:
    """What one run of an alert job did, in lines for a person (``paidup alerts run`` prints them)."""

    job: str
    posted: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # nothing to post, already posted, nobody to tell
    failed: list[str] = field(default_factory=list)  # kept to try again on the next run

    @property
    def status(self) -> Literal["ok", "partial"]:
        return "partial" if self.failed else "ok"

    def lines(self) -> list[str]:
        return ([f"posted: {line}" for line in self.posted] + [f"updated: {line}" for line in self.updated]
                + [f"skipped: {line}" for line in self.skipped] + [f"failed: {line}" for line in self.failed])


@dataclass(frozen=True)
class Owner:
    sf_user_id: str
    name: str
    email: str | None
    chat_user_id: str | None
    active: bool = True


class OwnerFinder:
    """A Salesforce user's chat user: one who already talked to the bot (cached mapping), else
    the chat platform's user with the same email."""

    def __init__(self, db: Database, people: PeopleService, delivery: Callable[[], AlertDelivery]) -> None:
        self.db = db
        self.people = people
        self.delivery = delivery

    def find(self, sf_user_id: str) -> Owner | None:
        with self.db.session() as s:
            user = s.get(SfUser, sf_user_id)
            if user is None:
                return None
            name, email, active = user.name, user.email, user.is_active
        if not active:
            return Owner(sf_user_id, name, email, None, active=False)
        delivery = self.delivery()
        known = self.people.chat_users_for(sf_user_id, delivery.platform)
        if known:
            return Owner(sf_user_id, name, email, known[0])
        return Owner(sf_user_id, name, email, delivery.person_for_email(email) if email else None)

