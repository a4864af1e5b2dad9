"""Bulk writes for the sync: INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL, for rows
that must exist once, and ``insert_rows`` for pages of new rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Connection, Date, Table, bindparam, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from bot.store.base import ScaledDecimal, UTCDateTime

COPY_FROM = 100  # rows from which PostgreSQL gets a page of new rows by COPY instead of INSERT
Processor = Callable[[Any], Any] | None
Converter = Callable[[list[Any]], list[Any]]
_MISSING = object()


def _identity(values: list[Any]) -> list[Any]:
    return values


def _each(process: Callable[[Any], Any]) -> Converter:
    return lambda values: list(map(process, values))


def _scaled(places: int, process: Callable[[Any], Any]) -> Converter:
    """Money and rates: an exact Decimal scaled to an integer inline (about half the time of a call
    to ``ScaledDecimal.process_bind_param`` each); anything else (None, int, an amount with too many
    places, a float) goes to the column's own processor, which converts it or refuses it."""
    def convert(values: list[Any], _decimal: type = Decimal, _int: type = int) -> list[Any]:
        out = []
        append = out.append
        for value in values:
            if type(value) is _decimal:
                scaled = value.scaleb(places)
                units = _int(scaled)
                if units == scaled:
                    append(units)
                    continue
            append(process(value))
        return out
    return convert


def _memoised(process: Callable[[Any], Any]) -> Converter:
    """Dates and UTC timestamps repeat within a page (synced_at is one value; a year holds 365
    dates): each distinct value is converted once. Only for types whose output depends on nothing
    but the value's equality (a date; an instant, which UTCDateTime stores in UTC)."""
    def convert(values: list[Any]) -> list[Any]:
        seen: dict[Any, Any] = {}
        out = []
        append = out.append
        for value in values:
            bound = seen.get(value, _MISSING)
            if bound is _MISSING:
                bound = seen[value] = process(value)
            append(bound)
        return out
    return convert


def column_converter(column: Column[Any], dialect: Dialect) -> Converter:
    """How a column's values become the driver's: the column type's own bind processor, applied
    to a page's column at once, with faster equivalents for the types a sync binds most."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return _identity
    if isinstance(column.type, ScaledDecimal) and \
            column.type.impl_instance.dialect_impl(dialect).bind_processor(dialect) is None:
        return _scaled(column.type.places, process)
    if isinstance(column.type, UTCDateTime) or type(column.type) is Date:
        return _memoised(process)
    return _each(process)


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
        self.converters: tuple[Converter, ...] = tuple(column_converter(table.c[key], dialect) for key in self.order)


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
    order, converters = statement.order, statement.converters
    try:  # column by column: each column's values converted at once, not a Python call per value
        columns = [[row[key] for row in rows] for key in order]
    except KeyError:  # same width, other keys
        session.execute(insert(table), list(rows))
        return
    values = list(zip(*(convert(column) for column, convert in zip(columns, converters, strict=True)), strict=True))
    if dialect.name == "postgresql" and len(values) >= COPY_FROM:
        _copy(connection, table, order, values)
        return
    parameters: list[Any] = values if statement.positional else [dict(zip(order, v, strict=True)) for v in values]
    connection.exec_driver_sql(statement.sql, parameters)


def _copy(connection: Connection, table: Table, order: tuple[str, ...], values: list[tuple[Any, ...]]) -> None:
    """PostgreSQL: the rows in one ``COPY … FROM STDIN`` (psycopg), in this transaction: the server
    parses and plans nothing per row, where an executemany INSERT still binds and executes each."""
    preparer = connection.dialect.identifier_preparer
    columns = ", ".join(preparer.quote(table.c[key].name) for key in order)
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(f"COPY {preparer.format_table(table)} ({columns}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
    finally:
        cursor.close()


class _CompiledUpdate:
    """``UPDATE table SET keys... WHERE pk = ?`` compiled once for a dialect, with each column's bind
    processor; ``order`` names, per bound value, the row key it comes from."""

    MATCH = "match_pk"

    def __init__(self, table: Table, keys: tuple[str, ...], pk: str, dialect: Dialect) -> None:
        values = {key: bindparam(key, type_=table.c[key].type) for key in keys if key != pk}
        statement = update(table).where(table.c[pk] == bindparam(self.MATCH, type_=table.c[pk].type)).values(values)
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        self.positional = bool(compiled.positional)
        names = tuple(compiled.positiontup or ()) if self.positional else (*values, self.MATCH)
        if set(names) != {*values, self.MATCH}:
            raise ValueError(f"{table.name}: bind names {names} are not the columns {keys}")
        self.names = names
        self.order: tuple[str, ...] = tuple(pk if name == self.MATCH else name for name in names)
        self.converters: tuple[Converter, ...] = tuple(column_converter(table.c[key], dialect) for key in self.order)


_compiled_updates: dict[tuple[str, tuple[str, ...], str], _CompiledUpdate] = {}


def update_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """UPDATE rows by primary key (dicts holding it and the columns to set), one executemany per
    set of keys: what ``session.execute(update(Model), rows)`` does, without the ORM's per-row
    bookkeeping (~0.1 ms a row; a first Xero pull updates each of its payments once, when /Payments
    brings what the invoices' nested payments lack)."""
    if not rows:
        return
    if any(c.onupdate is not None for c in table.columns):
        raise ValueError(f"{table.name} has a Python-side onupdate: update it through the ORM")
    keys = [column.key for column in table.primary_key.columns]
    if len(keys) != 1:
        raise ValueError(f"{table.name}: update_rows matches rows on a one-column primary key")
    pk = keys[0]
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    connection = session.connection()
    dialect = connection.dialect
    for keys, group in groups.items():
        cache_key = (table.name, keys, dialect.name)
        statement = _compiled_updates.get(cache_key)
        if statement is None:
            statement = _compiled_updates[cache_key] = _CompiledUpdate(table, keys, pk, dialect)
        columns = [[row[key] for row in group] for key in statement.order]
        values = list(zip(*(convert(column) for column, convert in zip(columns, statement.converters, strict=True)),
                          strict=True))
        parameters: list[Any] = values if statement.positional else [
            dict(zip(statement.names, v, strict=True)) for v in values]
        connection.exec_driver_sql(statement.sql, parameters)
