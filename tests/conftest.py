"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL when DATABASE_URL names
one), settings that never read a developer's .env, and the repository's paths.

The database is migrated once per test session (through Alembic, as `paidup db upgrade` does)
and emptied between tests.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, exists, literal, make_url, select, text, union_all

from bot.store.migrate import upgrade
from bot.store.models import Base
from bot.store.session import Database
from integrations.loopback import LoopbackServer

ROOT = Path(__file__).resolve().parent.parent


def share_bytecode() -> None:
    """With PYTHONDONTWRITEBYTECODE set, every `paidup` the tests start (~40 per pass) compiled its
    ~1,100 modules again: 5-7 s of CPU each, most of a CLI test's time. The cache goes to a
    directory of its own (PYTHONPYCACHEPREFIX) instead, so the source tree still gets no
    __pycache__; this process fills it as it imports, its children read and add to it."""
    if not sys.dont_write_bytecode:
        return  # bytecode is cached as usual, next to the sources
    prefix = Path(tempfile.gettempdir()) / f"paidup-tests-pycache-{os.getuid()}"
    sys.pycache_prefix, sys.dont_write_bytecode = str(prefix), False
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(prefix)


share_bytecode()  # at collection, so that the modules the tests import are cached by this process

SERVER_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SERVER_URL.startswith(("postgres://", "postgresql"))


class SwappableApp:
    """An ASGI app that forwards to whichever app the current test plugged in: one loopback server
    serves a fresh sandbox per test (starting and stopping uvicorn costs ~0.2 s a test)."""

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


@pytest.fixture(scope="session")
def sandbox_servers() -> Iterator[tuple[tuple[SwappableApp, str], tuple[SwappableApp, str]]]:
    """One loopback server each for Xero and Salesforce for the whole session, into which each
    ``world`` (tests/bot/sync/conftest.py) plugs fresh sandboxes. Here, not there, because test
    modules elsewhere import ``world`` alone."""
    xero, salesforce = SwappableApp(), SwappableApp()
    with LoopbackServer(xero) as xero_server, LoopbackServer(salesforce) as sf_server:
        yield (xero, xero_server.url), (salesforce, sf_server.url)


def postgres_url(database: str) -> str:
    url = make_url(SERVER_URL.replace("postgres://", "postgresql://", 1))
    return url.set(drivername="postgresql+psycopg", database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def migrated_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head for this test session; dropped at the end."""
    if not ON_POSTGRES:
        path = tmp_path_factory.mktemp("db") / "template.db"
        url = f"sqlite:///{path}"
        template = Database(url)
        upgrade(template)
        template.dispose()  # closing the last connection checkpoints the WAL into the file we copy
        yield url
        return
    name = f"paidup_test_{uuid.uuid4().hex[:10]}"
    admin = Database(postgres_url("postgres"))
    with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = postgres_url(name)
    migrated = Database(url)
    upgrade(migrated)
    migrated.dispose()
    yield url
    with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# Which tables hold rows: one statement (a TRUNCATE of all 32 took 0.4-0.8 s a test, most of them empty).
USED_TABLES = union_all(*(select(literal(table.name)).where(exists().select_from(table))
                          for table in Base.metadata.sorted_tables))
RESTART_SEQUENCES = text("""DO $$ DECLARE s record; BEGIN
    FOR s IN SELECT schemaname, sequencename FROM pg_sequences WHERE last_value IS NOT NULL LOOP
        EXECUTE format('ALTER SEQUENCE %I.%I RESTART', s.schemaname, s.sequencename);
    END LOOP; END $$""")


def empty_postgres(conn: Connection) -> None:
    """Empty every table as ``TRUNCATE ... RESTART IDENTITY`` would, in ~0.05 s: DELETE only from
    the tables that hold rows (children first), then restart each sequence that was used (an
    insert rolled back uses one too)."""
    conn.execute(text("SET LOCAL synchronous_commit = off"))  # test data: no need to wait for the disk
    used = set(conn.execute(USED_TABLES).scalars())
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in used:
            conn.execute(table.delete())
    conn.execute(RESTART_SEQUENCES)


@pytest.fixture
def db(migrated_url: str, tmp_path: Path) -> Iterator[Database]:
    """An empty, migrated database for one test."""
    if ON_POSTGRES:
        database = Database(migrated_url)
        with database.engine.begin() as conn:
            empty_postgres(conn)
    else:
        path = tmp_path / "paidup.db"
        shutil.copyfile(make_url(migrated_url).database, path)
        database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()
