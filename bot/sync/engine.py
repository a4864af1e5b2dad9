"""The sync engine: for each stream of a source, read pages from the cursor on and store each
page, its failures, its events and the advanced cursor in one transaction.

A crash between pages re-reads from the last committed cursor, never skips; a change seen twice
is applied once (rows are compared with what is stored, events are de-duplicated). One sync per
source runs at a time, across processes (a database lease).

While a page is being stored, the next one is already being read (``Prefetch``: one page ahead,
in a thread), so the platform's time to produce a page overlaps ours to store the last one. Pages
are still stored one at a time, in order, each in its own transaction with its cursor.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from bot.domain.events import Event
from bot.store import indexes
from bot.store.base import utcnow
from bot.store.session import Database, LeaseBusy
from bot.store.state import SyncCursor, SyncRun
from bot.sync import failures, outbox
from bot.sync.failures import RecordFailure

log = logging.getLogger(__name__)
LEASE_TTL = timedelta(minutes=15)
BULK_PAGE = 1000  # records in a page of a full pull from which the empty tables' indexes are built at the end
RENEW_EVERY = 30.0  # seconds between renewals of the lease while pages are stored


@dataclass
class Stored:
    """What storing one page did."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    synced_ids: list[str] = field(default_factory=list)
    failures: list[RecordFailure] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    cursor: str | None = None  # the cursor this page advances to; None: leave it


@dataclass(frozen=True)
class Page:
    """One page from a platform: parsed records, and the ones that failed to parse."""

    items: Sequence[Any]
    invalid: Sequence[RecordFailure] = ()
    cursor: str | None = None  # where the platform says this page ends, when it says so


class Stream(Protocol):
    """One entity of one source: where to read it from and how to store it."""

    source: str
    entity: str

    def pages(self, cursor: str | None) -> Iterator[Page]: ...

    def store(self, session: Session, page: Page, now: datetime) -> Stored: ...


class RunFailed(Exception):
    """The run as a whole could not complete; ``kind`` is a short reason code."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass
class RunSummary:
    source: str
    kind: str
    status: str = "running"  # ok, partial (records failed), failed (run failed), busy
    created: int = 0
    updated: int = 0
    deleted: int = 0
    failed: int = 0
    calls: int = 0
    seconds: float = 0.0
    fetch_seconds: float = 0.0  # waiting for the next page (platform, network, parsing) beyond storing the last
    store_seconds: float = 0.0  # writing pages, failures, events and cursors to the database
    index_seconds: float = 0.0  # building the indexes a first pull put off (bot.store.indexes)
    error: str | None = None
    error_kind: str | None = None
    per_entity: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, entity: str, stored: Stored, failed: int) -> None:
        self.created += stored.created
        self.updated += stored.updated
        self.deleted += stored.deleted
        self.failed += failed
        counts = self.per_entity.setdefault(entity, {"created": 0, "updated": 0, "deleted": 0, "failed": 0})
        for key, value in (("created", stored.created), ("updated", stored.updated),
                           ("deleted", stored.deleted), ("failed", failed)):
            counts[key] += value


Progress = Callable[[str, int], None]  # (entity, records stored so far in this entity)
ErrorClassifier = Callable[[Exception], RunFailed | None]


def load_cursor(session: Session, source: str, entity: str) -> str | None:
    row = session.get(SyncCursor, (source, entity))
    return row.cursor if row else None


def save_cursor(session: Session, source: str, entity: str, cursor: str | None, now: datetime,
                full: bool = False) -> None:
    row = session.get(SyncCursor, (source, entity))
    if row is None:
        row = SyncCursor(source=source, entity=entity)
        session.add(row)
    if cursor is not None:
        row.cursor = cursor
    row.updated_at = now
    if full:
        row.full_synced_at = now


def reset_cursors(session: Session, source: str) -> None:
    for row in session.scalars(select(SyncCursor).where(SyncCursor.source == source)):
        row.cursor = None


class Prefetch:
    """Iterates ``pages`` one page ahead in a thread: while the caller stores page n, page n+1 is
    read (the platform produces it meanwhile, and our thread waits on the socket without the GIL).
    At most one page waits in the queue, so memory stays flat; the producer's exception comes out
    of ``next()`` in order, after the pages before it. Leaving the ``with`` block stops the
    producer and closes the page generator in its own thread."""

    def __init__(self, pages: Iterable[Page]) -> None:
        self._queue: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, args=(pages,), name="sync-prefetch", daemon=True)

    def __enter__(self) -> Prefetch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def __iter__(self) -> Iterator[Page]:
        return self

    def __next__(self) -> Page:
        kind, value = self._queue.get()
        if kind == "error":
            raise value
        if kind == "end":
            self._queue.put(("end", None))  # next() after the end stays at the end
            raise StopIteration
        return value

    def _produce(self, pages: Iterable[Page]) -> None:
        iterator = iter(pages)
        try:
            for page in iterator:
                if not self._put(("page", page)):
                    return
            self._put(("end", None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer (which classifies it), never lost
            self._put(("error", exc))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()

    def _put(self, item: tuple[str, Any]) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False


class SyncEngine:
    """Runs streams. ``classify`` turns a client's exception into a whole-run failure reason
    (auth revoked, day quota, outage) or None for an unexpected error. ``bulk_tables`` names, per
    source, the mirror tables whose secondary indexes a first pull builds once at its end instead of
    row by row (``bot.store.indexes``)."""

    def __init__(self, db: Database, classify: ErrorClassifier, clock: Callable[[], datetime] = utcnow,
                 bulk_tables: Mapping[str, Sequence[Table]] | None = None) -> None:
        self.db = db
        self.classify = classify
        self.clock = clock
        self.bulk_tables = dict(bulk_tables or {})

    def run(self, source: str, streams: Iterable[Stream], kind: str, calls: Callable[[], int],
            progress: Progress | None = None, after: Callable[[Session, datetime, RunSummary], None] | None = None,
            wait: float = 0.0) -> RunSummary:
        summary = RunSummary(source, kind)
        started, calls_before = self.clock(), calls()
        try:
            with self.db.lease(f"sync:{source}", ttl=LEASE_TTL, wait=wait) as token:
                tables = self.bulk_tables.get(source, ())
                run_id = self._start(source, kind, started)
                try:
                    indexes.ensure(self.db, tables)  # a pull that died with its indexes dropped left them so
                    deferred = indexes.Deferred(self.db, tables if kind == "full" else ())
                    try:
                        for stream in streams:
                            self._run_stream(stream, summary, progress, token, full=kind == "full",
                                             deferred=deferred)
                    finally:
                        summary.index_seconds = deferred.end()
                    if after is not None:
                        with self.db.session() as s:
                            after(s, started, summary)
                    summary.status = "partial" if summary.failed else "ok"
                except Exception as exc:
                    failure = self.classify(exc)
                    if failure is None:
                        log.exception("sync.run_crashed", extra={"source": source})
                        failure = RunFailed("error", f"{type(exc).__name__}: {exc}")
                    summary.status, summary.error, summary.error_kind = "failed", str(failure), failure.kind
                finally:
                    summary.calls = calls() - calls_before
                    summary.seconds = (self.clock() - started).total_seconds()
                    self._finish(run_id, summary)
        except LeaseBusy:
            summary.status, summary.error = "busy", f"a {source} sync is already running"
        return summary

    def _run_stream(self, stream: Stream, summary: RunSummary, progress: Progress | None, token: str,
                    full: bool, deferred: indexes.Deferred) -> None:
        with self.db.session() as s:
            cursor = None if full else load_cursor(s, stream.source, stream.entity)
        with Prefetch(stream.pages(cursor)) as pages:
            self._store_pages(stream, pages, summary, progress, token, deferred)
        finish = getattr(stream, "finish", None)  # optional: a last word once every page is stored
        with self.db.session() as s:
            if finish is not None:
                summary.add(stream.entity, Stored(), finish(s, self.clock()))
            save_cursor(s, stream.source, stream.entity, None, self.clock(), full=full)

    def _store_pages(self, stream: Stream, pages: Prefetch, summary: RunSummary, progress: Progress | None,
                     token: str, deferred: indexes.Deferred) -> None:
        stored_so_far = 0
        renewed = time.monotonic()
        while True:
            fetching = time.perf_counter()
            page = next(pages, None)
            summary.fetch_seconds += time.perf_counter() - fetching
            if page is None:
                break
            storing, now = time.perf_counter(), self.clock()
            if len(page.items) >= BULK_PAGE:
                deferred.begin()
            with self.db.session() as s:
                stored = stream.store(s, page, now)
                every_failure = [*page.invalid, *stored.failures]
                failed = failures.record_failures(s, every_failure, now)
                failures.resolve_failures(s, stream.source, stream.entity, stored.synced_ids, now)
                outbox.emit(s, stored.events, now)
                save_cursor(s, stream.source, stream.entity, stored.cursor, now)
            summary.add(stream.entity, stored, failed)
            summary.store_seconds += time.perf_counter() - storing
            stored_so_far += len(page.items)
            if progress is not None:
                progress(stream.entity, stored_so_far)
            if time.monotonic() - renewed >= RENEW_EVERY:  # a transaction of its own: not after every page
                self.db.renew_lease(f"sync:{stream.source}", token, LEASE_TTL)
                renewed = time.monotonic()

    def _start(self, source: str, kind: str, now: datetime) -> int:
        with self.db.session() as s:
            run = SyncRun(source=source, kind=kind, started_at=now, status="running")
            s.add(run)
            s.flush()
            return run.id

    def _finish(self, run_id: int, summary: RunSummary) -> None:
        with self.db.session() as s:
            run = s.get(SyncRun, run_id)
            assert run is not None
            run.finished_at = self.clock()
            run.status = summary.status
            run.created, run.updated, run.deleted = summary.created, summary.updated, summary.deleted
            run.failed, run.calls = summary.failed, summary.calls
            run.error, run.error_kind = summary.error, summary.error_kind
