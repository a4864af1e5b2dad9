"""Exactly once: an alert is claimed in the alert log, keyed by (kind, subject, period), before it
is posted, and marked posted (with where it went) after.

The key's unique constraint decides between two processes or threads claiming at once: one
insert wins, the other sees the row and posts nothing. A claim whose post failed is marked
``failed`` and may be claimed again by the next run. A ``pending`` claim older than
``STALE_CLAIM`` belongs to a process that died between claiming and recording the post; it is
taken over, so the alert is not lost. (If that process had already posted, that one alert is
posted twice: the only window left, and a small one — the post and the mark are a few
milliseconds apart.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.services.alerts.port import MessageRef
from bot.store.session import Database
from bot.store.state import AlertLogEntry

log = logging.getLogger(__name__)
STALE_CLAIM = timedelta(minutes=10)


@dataclass(frozen=True)
class Claim:
    id: int
    kind: str
    subject: str
    period: str


@dataclass(frozen=True)
class Posted:
    """An alert log entry that was posted: where, and what it said (``fingerprint``)."""

    id: int
    subject: str
    period: str
    status: str
    ref: MessageRef | None
    fingerprint: str | None


class AlertLog:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    def claim(self, kind: str, subject: str, period: str) -> Claim | None:
        """The right to post this alert, or None when it was posted (or is being posted) already."""
        now = self.clock()
        try:
            with self.db.session() as s:
                row = AlertLogEntry(kind=kind, subject=subject[:200], period=period[:40], status="pending",
                                    created_at=now)
                s.add(row)
                s.flush()
                return Claim(row.id, kind, row.subject, row.period)
        except IntegrityError:
            pass
        with self.db.session() as s:
            row = s.scalar(select(AlertLogEntry).where(
                AlertLogEntry.kind == kind, AlertLogEntry.subject == subject[:200],
                AlertLogEntry.period == period[:40]))
            if row is None or not (row.status == "failed" or (row.status == "pending"
                                                               and row.created_at < now - STALE_CLAIM)):
                return None
            taken = s.execute(update(AlertLogEntry).where(
                AlertLogEntry.id == row.id, AlertLogEntry.status == row.status,
                AlertLogEntry.created_at == row.created_at).values(status="pending", created_at=now)).rowcount
            if taken:
                log.info("alerts.claim_taken_over", extra={"kind": kind, "subject": subject, "was": row.status})
                return Claim(row.id, kind, row.subject, row.period)
        return None

    def posted(self, claim: Claim, ref: MessageRef, fingerprint: str | None = None) -> None:
        with self.db.session() as s:
            s.execute(update(AlertLogEntry).where(AlertLogEntry.id == claim.id).values(
                status="posted", channel=ref.channel, ts=ref.id, fingerprint=fingerprint, posted_at=self.clock()))

    def failed(self, claim: Claim) -> None:
        """The post did not go out: the next run may claim it again."""
        with self.db.session() as s:
            s.execute(update(AlertLogEntry).where(AlertLogEntry.id == claim.id, AlertLogEntry.status == "pending")
                      .values(status="failed"))

    def deliver(self, claim: Claim, send: Callable[[], MessageRef], fingerprint: str | None = None) -> MessageRef:
        """Run ``send`` for a claim: marked posted when it returns, failed when it raises (re-raised)."""
        try:
            ref = send()
        except Exception:
            self.failed(claim)
            raise
        self.posted(claim, ref, fingerprint)
        return ref

    def open_entries(self, kind: str) -> list[Posted]:
        """Posted alerts of ``kind`` not yet closed (``status`` posted), to update when things change."""
        with self.db.session() as s:
            rows = s.scalars(select(AlertLogEntry).where(AlertLogEntry.kind == kind, AlertLogEntry.status == "posted")
                             .order_by(AlertLogEntry.id)).all()
        return [Posted(r.id, r.subject, r.period, r.status, MessageRef(r.channel, r.ts) if r.channel and r.ts else None,
                       r.fingerprint) for r in rows]

    def entry(self, kind: str, subject: str, period: str) -> Posted | None:
        with self.db.session() as s:
            r = s.scalar(select(AlertLogEntry).where(AlertLogEntry.kind == kind, AlertLogEntry.subject == subject,
                                                     AlertLogEntry.period == period))
        if r is None:
            return None
        return Posted(r.id, r.subject, r.period, r.status,
                      MessageRef(r.channel, r.ts) if r.channel and r.ts else None, r.fingerprint)

    def revise(self, entry_id: int, fingerprint: str, *, closed: bool = False) -> bool:
        """Record that an entry's message now says ``fingerprint`` (``closed``: nothing more to
        update). Conditional on the fingerprint having changed, so two runs update once."""
        with self.db.session() as s:
            values: dict[str, str] = {"fingerprint": fingerprint}
            if closed:
                values["status"] = "closed"
            return bool(s.execute(update(AlertLogEntry).where(
                AlertLogEntry.id == entry_id, AlertLogEntry.status == "posted",
                (AlertLogEntry.fingerprint.is_(None)) | (AlertLogEntry.fingerprint != fingerprint))
                .values(**values)).rowcount)
