"""The event outbox: sync writes events in the transaction that stores the change; consumers
mark an event handled only after they succeeded, so each is acted on once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.domain.events import Event
from bot.store.base import utcnow
from bot.store.session import Database, LeaseBusy
from bot.store.state import DomainEvent
from bot.store.upsert import insert_ignoring_duplicates

log = logging.getLogger(__name__)


def emit(session: Session, events: Iterable[Event], now: datetime, handled: bool = False) -> None:
    """Store events not seen before (by dedupe key). ``handled`` records them as already acted
    on (what the first sync finds is history, not news)."""
    rows = [{"kind": e.kind, "subject_id": e.subject_id, "dedupe_key": e.dedupe_key, "payload": e.payload,
             "created_at": now, "attempts": 0, "handled_at": now if handled else None} for e in events]
    insert_ignoring_duplicates(session, DomainEvent, rows, ["dedupe_key"])


def pending(session: Session, kinds: Iterable[str], limit: int = 200) -> list[DomainEvent]:
    return list(session.scalars(
        select(DomainEvent).where(DomainEvent.kind.in_(list(kinds)), DomainEvent.handled_at.is_(None))
        .order_by(DomainEvent.id).limit(limit)))


def consume(db: Database, consumer: str, kinds: Iterable[str], handle: Callable[[DomainEvent], None]) -> int:
    """Hand each pending event of ``kinds`` to ``handle``; mark it handled when that returns.

    One consumer runs at a time across processes (a lease); an event whose handler raises stays
    pending, with the error and attempt count, for the next run.
    """
    kinds = list(kinds)
    try:
        with db.lease(f"outbox:{consumer}", ttl=timedelta(minutes=5)):
            with db.session() as s:
                events = pending(s, kinds)
            handled = 0
            for event in events:
                try:
                    handle(event)
                except Exception as exc:  # noqa: BLE001 - any failure leaves the event for the next run
                    log.warning("outbox.handler_failed", extra={"consumer": consumer, "event_id": event.id,
                                                                "kind": event.kind, "error": str(exc)})
                    with db.session() as s:
                        s.execute(update(DomainEvent).where(DomainEvent.id == event.id)
                                  .values(attempts=DomainEvent.attempts + 1, last_error=str(exc)[:2000]))
                    continue
                with db.session() as s:
                    s.execute(update(DomainEvent).where(DomainEvent.id == event.id, DomainEvent.handled_at.is_(None))
                              .values(handled_at=utcnow(), attempts=DomainEvent.attempts + 1, last_error=None))
                handled += 1
            return handled
    except LeaseBusy:
        log.info("outbox.busy", extra={"consumer": consumer})
        return 0
