"""Exactly once: claims in the alert log, raced from threads that each have their own engine (as
separate processes would), on SQLite and on PostgreSQL when DATABASE_URL names one."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from bot.services.alerts.alert_log import STALE_CLAIM, AlertLog
from bot.services.alerts.port import MessageRef
from bot.store.session import Database

NOON = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_one_of_many_racing_claims_wins(db: Database) -> None:
    racers = 8
    engines = [Database(db.url) for _ in range(racers)]
    start = threading.Barrier(racers)
    won: list[object] = []

    def race(database: Database) -> None:
        log = AlertLog(database, lambda: NOON)
        start.wait()
        for day in range(5):
            claim = log.claim("overdue_digest", "channel:C0ALERTS", f"2026-12-0{day + 1}")
            if claim is not None:
                won.append(claim)

    threads = [threading.Thread(target=race, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    for engine in engines:
        engine.dispose()
    assert sorted(c.period for c in won) == [f"2026-12-0{d}" for d in range(1, 6)]  # each day claimed once


def test_posted_is_final_failed_can_be_claimed_again(db: Database) -> None:
    log = AlertLog(db, lambda: NOON)
    claim = log.claim("payment_notice", "payment:p1", "dm:U1")
    assert claim is not None and log.claim("payment_notice", "payment:p1", "dm:U1") is None
    log.failed(claim)
    again = log.claim("payment_notice", "payment:p1", "dm:U1")
    assert again is not None and again.id == claim.id
    log.posted(again, MessageRef("D1", "1.0001"), "f1")
    assert log.claim("payment_notice", "payment:p1", "dm:U1") is None
    entry = log.entry("payment_notice", "payment:p1", "dm:U1")
    assert entry is not None and (entry.status, entry.ref, entry.fingerprint) == ("posted", MessageRef("D1", "1.0001"),
                                                                                  "f1")


def test_a_pending_claim_of_a_process_that_died_is_taken_over_after_a_while(db: Database) -> None:
    now = [NOON]
    log = AlertLog(db, lambda: now[0])
    assert log.claim("sync_failure", "xero:invoices:i1", "2026-11-30") is not None  # then the process died
    now[0] = NOON + STALE_CLAIM - timedelta(seconds=1)
    assert log.claim("sync_failure", "xero:invoices:i1", "2026-11-30") is None  # maybe still posting
    now[0] = NOON + STALE_CLAIM + timedelta(seconds=1)
    assert log.claim("sync_failure", "xero:invoices:i1", "2026-11-30") is not None
    assert log.claim("sync_failure", "xero:invoices:i1", "2026-11-30") is None


def test_deliver_marks_failed_when_the_post_raises(db: Database) -> None:
    log = AlertLog(db, lambda: NOON)
    claim = log.claim("overdue_dm", "owner:005", "2026-11-30")
    assert claim is not None

    def refused() -> MessageRef:
        raise RuntimeError("ratelimited")

    with pytest.raises(RuntimeError):
        log.deliver(claim, refused)
    entry = log.entry("overdue_dm", "owner:005", "2026-11-30")
    assert entry is not None and entry.status == "failed"
    assert log.claim("overdue_dm", "owner:005", "2026-11-30") is not None
