"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL, for rows that must exist once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignoring_duplicates(session: Session, model: type, rows: Sequence[dict[str, Any]],
                               conflict_columns: Sequence[str]) -> int:
    """Insert the rows that don't collide on ``conflict_columns``; how many were inserted."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(list(rows)).on_conflict_do_nothing(index_elements=list(conflict_columns))
    return session.execute(statement).rowcount or 0
