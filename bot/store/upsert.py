"""Bulk writes for the sync: INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL, for rows
that must exist once, and ``insert_rows`` for pages of new rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

Processor = Callable[[Any], Any] | None


def insert_ignoring_duplicates(session: Session, model: type, rows: Sequence[dict[str, Any]],
                               conflict_columns: Sequence[str]) -> None:
    """Insert the rows that don't collide on ``conflict_columns``; the others are left alone."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    if rows:
        statement = insert(model.__table__).on_conflict_do_nothing(index_elements=list(conflict_columns))
        session.execute(statement, list(rows))  # executemany: one compiled statement, batched by the driver


class _CompiledInsert:
    """``INSERT INTO table (keys...)`` compiled once for a dialect, with each column's bind processor."""

    def __init__(self, table: Table, keys: tuple[str, ...], dialect: Dialect) -> None:
        compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
        self.sql = str(compiled)
        self.positional = bool(compiled.positional)
        self.order: tuple[str, ...] = tuple(compiled.positiontup or ()) if self.positional else keys
        if set(self.order) != set(keys):
            raise ValueError(f"{table.name}: bind names {self.order} are not the columns {keys}")
        self.processors: tuple[Processor, ...] = tuple(
            table.c[key].type.dialect_impl(dialect).bind_processor(dialect) for key in self.order)


_compiled: dict[tuple[str, tuple[str, ...], str], _CompiledInsert] = {}


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT new rows (dicts with the same keys, as the sync's pages build them) in one executemany.

    The same statement and the same column types' bind processors as ``session.execute(insert(table),
    rows)``, without SQLAlchemy's per-row parameter bookkeeping (about three quarters of the time of
    storing a page of invoices). Rows whose keys differ, or that leave out a column with a Python-side
    default, go through ``session.execute`` as before."""
    if not rows:
        return
    keys = tuple(rows[0])
    width = len(keys)
    missing_defaults = any(c.default is not None and c.key not in keys for c in table.columns)
    if missing_defaults or any(len(row) != width for row in rows):
        session.execute(insert(table), list(rows))
        return
    connection = session.connection()
    dialect = connection.dialect
    cache_key = (table.name, keys, dialect.name)
    statement = _compiled.get(cache_key)
    if statement is None:
        statement = _compiled[cache_key] = _CompiledInsert(table, keys, dialect)
    order, processors = statement.order, statement.processors
    try:  # column by column: the processors run through map(), not a Python loop per value
        columns = [[row[key] for row in rows] for key in order]
    except KeyError:  # same width, other keys
        session.execute(insert(table), list(rows))
        return
    values = list(zip(*(column if process is None else list(map(process, column))
                        for column, process in zip(columns, processors, strict=True)), strict=True))
    parameters: list[Any] = values if statement.positional else [dict(zip(order, v, strict=True)) for v in values]
    connection.exec_driver_sql(statement.sql, parameters)
