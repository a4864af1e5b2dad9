"""Events API deliveries already handled (table ``seen_chat_events``): insert-if-absent, so of two
deliveries of one event (a Slack retry, two processes) exactly one is answered."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError

from bot.store.base import utcnow
from bot.store.session import Database
from bot.store.state import SeenChatEvent

KEEP_FOR = timedelta(days=2)  # Slack retries within ~5 minutes; two days is plenty
PRUNE_EVERY = 500


class SeenEvents:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._inserts = 0

    def first_time(self, key: str) -> bool:
        """True when ``key`` is new (and now recorded), False when it was seen before."""
        try:
            with self.db.session() as session:
                session.execute(insert(SeenChatEvent).values(event_id=key[:100], seen_at=utcnow()))
        except IntegrityError:
            return False
        self._inserts += 1
        if self._inserts % PRUNE_EVERY == 0:
            self.prune()
        return True

    def prune(self) -> int:
        with self.db.session() as session:
            result = session.execute(delete(SeenChatEvent).where(SeenChatEvent.seen_at < utcnow() - KEEP_FOR))
            return result.rowcount or 0
