"""The database: one engine per process, sessions as units of work, and leases (named locks
that hold across processes on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import create_engine, event, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.base import utcnow
from bot.store.state import Lease


class LeaseBusy(Exception):
    """Someone else holds the lease."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is already running elsewhere")
        self.name = name


SQLITE_CACHE_KIB = 64 * 1024  # each connection's page cache, at most


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # Reads of a big mirror (reports over 200k invoices: bench/reports.py) keep re-reading pages with
    # SQLite's default 2 MiB cache: up to 64 MiB per connection (grown only as pages are read) and the
    # file memory-mapped up to 256 MiB cut the all-team report's time by ~25-40% there.
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10, **kwargs)


class Database:
    """``with db.session() as s: ...`` commits on success, rolls back on error."""

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

    # --- leases ----------------------------------------------------------------------------

    def try_lease(self, name: str, ttl: timedelta) -> str | None:
        """Take the named lease if it is free or expired; the holder's token, or None if busy."""
        token = f"{self.owner}:{uuid.uuid4().hex[:8]}"
        now = utcnow()
        with self.session() as s:
            taken = s.execute(
                update(Lease)
                .where(Lease.name == name)
                .where(Lease.expires_at.is_(None) | (Lease.expires_at < now))
                .values(owner=token, expires_at=now + ttl)
            ).rowcount
            if taken:
                return token
            if s.scalar(select(Lease.name).where(Lease.name == name)):
                return None
        try:
            with self.session() as s:
                s.execute(insert(Lease).values(name=name, owner=token, expires_at=now + ttl))
            return token
        except IntegrityError:  # another process inserted it first
            return None

    def renew_lease(self, name: str, token: str, ttl: timedelta) -> bool:
        """Extend a held lease (long syncs); False if it was lost."""
        with self.session() as s:
            return bool(s.execute(update(Lease).where(Lease.name == name, Lease.owner == token)
                                  .values(expires_at=utcnow() + ttl)).rowcount)

    def release_lease(self, name: str, token: str) -> None:
        with self.session() as s:
            s.execute(update(Lease).where(Lease.name == name, Lease.owner == token)
                      .values(owner=None, expires_at=None))

    @contextmanager
    def lease(self, name: str, ttl: timedelta = timedelta(minutes=10), wait: float = 0.0) -> Iterator[str]:
        """Hold the named lease for the block (yields its token); LeaseBusy if not had within ``wait`` s."""
        deadline = time.monotonic() + wait
        while (token := self.try_lease(name, ttl)) is None:
            if time.monotonic() >= deadline:
                raise LeaseBusy(name)
            time.sleep(0.05)
        try:
            yield token
        finally:
            self.release_lease(name, token)
