"""The Events API de-duplication store: one answer per event id, across processes sharing a database."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.seen_events import KEEP_FOR, SeenEvents
from bot.store.base import utcnow
from bot.store.session import Database
from bot.store.state import SeenChatEvent


def test_first_time_only_once_even_from_a_second_process(db: Database) -> None:
    one, other = SeenEvents(db), SeenEvents(Database(str(db.engine.url)))
    assert one.first_time("T0PAIDUP:Ev1") is True
    assert other.first_time("T0PAIDUP:Ev1") is False
    assert other.first_time("T0OTHER:Ev1") is True  # the same id in another workspace is another event
    other.db.dispose()


def test_old_ids_are_pruned(db: Database) -> None:
    seen = SeenEvents(db)
    seen.first_time("T:old")
    seen.first_time("T:new")
    with db.session() as session:
        session.get(SeenChatEvent, "T:old").seen_at = utcnow() - KEEP_FOR - timedelta(minutes=1)
    assert seen.prune() == 1
    assert seen.first_time("T:old") is True and seen.first_time("T:new") is False
