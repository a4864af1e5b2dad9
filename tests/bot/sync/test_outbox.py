"""The event outbox: each event stored once, handed to its consumer until the consumer succeeds,
and never handled twice — also with two consumers racing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from bot.domain.events import PAYMENT_RECEIVED, payment_event
from bot.store.session import Database
from bot.store.state import DomainEvent
from bot.sync import outbox

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def emit_payments(db: Database, *ids: str) -> None:
    with db.session() as s:
        outbox.emit(s, [payment_event(i, "inv", Decimal("5.00"), "USD", None) for i in ids], NOW)


def test_the_same_change_is_one_event(db: Database) -> None:
    emit_payments(db, "p1", "p2")
    emit_payments(db, "p1")
    with db.session() as s:
        assert sorted(s.scalars(select(DomainEvent.subject_id))) == ["p1", "p2"]


def test_a_failing_consumer_leaves_the_event_for_next_time(db: Database) -> None:
    emit_payments(db, "p1", "p2")
    seen: list[str] = []

    def flaky(event: DomainEvent) -> None:
        seen.append(event.subject_id)
        if event.subject_id == "p1":
            raise RuntimeError("slack said no")

    assert outbox.consume(db, "alerts", [PAYMENT_RECEIVED], flaky) == 1
    with db.session() as s:
        p1 = s.scalar(select(DomainEvent).where(DomainEvent.subject_id == "p1"))
        assert p1.handled_at is None and p1.attempts == 1 and "slack said no" in p1.last_error
    assert outbox.consume(db, "alerts", [PAYMENT_RECEIVED], seen.append) == 1
    assert outbox.consume(db, "alerts", [PAYMENT_RECEIVED], seen.append) == 0
    assert [getattr(e, "subject_id", e) for e in seen] == ["p1", "p2", "p1"]


def test_two_consumers_racing_handle_each_event_once(db: Database) -> None:
    emit_payments(db, *(f"p{n}" for n in range(20)))
    handled: list[str] = []
    lock, start = threading.Lock(), threading.Barrier(2)

    def consumer(database: Database) -> None:
        start.wait()
        for _ in range(5):
            outbox.consume(database, "alerts", [PAYMENT_RECEIVED],
                           lambda e: (lock.acquire(), handled.append(e.subject_id), lock.release()))

    other = Database(db.url)
    threads = [threading.Thread(target=consumer, args=(d,)) for d in (db, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(handled) == sorted(f"p{n}" for n in range(20))
    other.dispose()
