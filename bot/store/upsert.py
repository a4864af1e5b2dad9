"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL, for rows that must exist once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignoring_duplicates(session: Session, model: type, rows: Sequence[dict[str, Any]],
                               conflict_columns: Sequence[str]) -> None:
    """Insert the rows that don't collide on ``conflict_columns``; the others are left alone."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    if rows:
        statement = insert(model.__table__).on_conflict_do_nothing(index_elements=list(conflict_columns))
        session.execute(statement, list(rows))  # executemany: one compiled statement, batched by the driver
