"""Secondary indexes put off during a first pull.

Filling an empty mirror table page by page writes every row into each of its secondary indexes as
it goes: for ``xero_invoices`` that is seven B-trees, most of them keyed by random ids, so once they
outgrow the page cache each insert lands on a page that has to be found and dirtied again. Building
an index once over a full table is one sort (what PostgreSQL's manual advises for a bulk load,
"Populating a Database", and what SQLite's ``CREATE INDEX`` does too).

``Deferred`` drops the secondary indexes of the given tables that are empty, and builds them again
when the pull is over, whatever way it ends. Primary keys and unique indexes stay: the sync looks
rows up by id and relies on them to refuse a duplicate. If the process dies in between, the indexes
are missing until ``ensure`` runs: the engine calls it before every run, under the source's lease.
The indexes are the models' own (``Table.indexes``), which the migrations create too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from sqlalchemy import Connection, Index, Table, inspect, select

from bot.store.session import SQLITE_CACHE_KIB, Database

log = logging.getLogger(__name__)
# SQLite's sort for CREATE INDEX keeps up to cache_size of keys in memory: with the 64 MiB of the
# readers' cache that grew with N (+37 MiB at 200,000 invoices, +58 MiB at 400,000); at 16 MiB it
# spills to temporary files instead, in about the same time (1.8-3.9 s for 200,000-400,000).
SORT_MEMORY_KIB = 16 * 1024


def secondary(table: Table) -> list[Index]:
    """The indexes the sync can do without while it fills the table: all but the unique ones."""
    return sorted((index for index in table.indexes if not index.unique), key=lambda index: str(index.name))


def _present(connection: Connection, table: Table) -> set[str]:
    return {str(index["name"]) for index in inspect(connection).get_indexes(table.name)}


def _empty(connection: Connection, table: Table) -> bool:
    return connection.execute(select(1).select_from(table).limit(1)).first() is None


def _build(db: Database, tables: Sequence[Table]) -> list[str]:
    """Create the secondary indexes of ``tables`` that are missing; their names."""
    with db.engine.begin() as connection:
        missing: list[Index] = []
        for table in tables:
            present = _present(connection, table)
            missing += [index for index in secondary(table) if index.name not in present]
        if not missing:
            return []
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # SQLite sorts an index's keys in memory up to cache_size, then in temporary files
            connection.exec_driver_sql(f"PRAGMA cache_size=-{SORT_MEMORY_KIB}")
        try:
            for index in missing:
                index.create(connection)
        finally:
            if sqlite:
                connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    return [str(index.name) for index in missing]


def ensure(db: Database, tables: Sequence[Table]) -> list[str]:
    """Create any secondary index of ``tables`` that is missing (left dropped by a pull that died);
    the names of the ones built."""
    built = _build(db, tables)
    if built:
        log.warning("store.indexes_rebuilt", extra={"indexes": built})
    return built


class Deferred:
    """The secondary indexes of ``tables``, put off for one pull: ``begin`` drops those of the tables
    that are empty at that moment (once; later calls do nothing), ``end`` builds them again. The
    engine calls ``begin`` when a first pull brings its first full page (a small pull is not worth
    two schema changes) and ``end`` when the pull is over, however it ended."""

    def __init__(self, db: Database, tables: Sequence[Table]) -> None:
        self.db = db
        self.tables = list(tables)
        self.begun = False
        self.dropped: list[Table] = []

    def begin(self) -> None:
        if self.begun:
            return
        self.begun = True
        with self.db.engine.begin() as connection:
            for table in self.tables:
                if not _empty(connection, table):
                    continue
                present = _present(connection, table)
                for index in secondary(table):
                    if index.name in present:
                        index.drop(connection)
                self.dropped.append(table)

    def end(self) -> float:
        """Build the dropped indexes again; the seconds it took."""
        if not self.dropped:
            return 0.0
        started = time.perf_counter()
        built = _build(self.db, self.dropped)
        self.dropped = []
        seconds = round(time.perf_counter() - started, 2)
        log.info("store.indexes_built", extra={"indexes": len(built), "seconds": seconds})
        return seconds
