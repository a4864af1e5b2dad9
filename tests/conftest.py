"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL when DATABASE_URL names
one), settings that never read a developer's .env, and the repository's paths.

The database is migrated once per test session (through Alembic, as `paidup db upgrade` does)
and emptied between tests.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from bot.store.migrate import upgrade
from bot.store.models import Base
from bot.store.session import Database

ROOT = Path(__file__).resolve().parent.parent
SERVER_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SERVER_URL.startswith(("postgres://", "postgresql"))


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


@pytest.fixture
def db(migrated_url: str, tmp_path: Path) -> Iterator[Database]:
    """An empty, migrated database for one test."""
    if ON_POSTGRES:
        database = Database(migrated_url)
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with database.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    else:
        path = tmp_path / "paidup.db"
        shutil.copyfile(make_url(migrated_url).database, path)
        database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()
