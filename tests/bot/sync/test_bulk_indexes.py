"""A first big pull fills the empty mirror tables without their secondary indexes and builds them
once at its end (bot.store.indexes): the indexes come back exactly as the migrations made them,
also when the pull failed, and a pull that died with them dropped leaves them to the next run."""

from __future__ import annotations

import json

from sqlalchemy import text

from bot.store.session import Database
from bot.sync.service import BULK_TABLES
from integrations import demo_data as demo
from tests.bot.sync.conftest import World

XERO_TABLES = [table.name for table in BULK_TABLES["xero"]]


def index_definitions(db: Database, tables: list[str]) -> dict[str, str]:
    """Every index of ``tables`` as the database itself states it."""
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "postgresql":
            rows = connection.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(:t)"),
                                      {"t": tables})
        else:
            rows = connection.execute(text("SELECT name, coalesce(sql, 'automatic') FROM sqlite_master "
                                           "WHERE type = 'index' AND tbl_name IN (SELECT value FROM json_each(:t))"),
                                      {"t": json.dumps(tables)})
        return {name: definition for name, definition in rows}


def test_a_first_big_pull_builds_the_indexes_once_at_its_end(world: World) -> None:
    migrated = index_definitions(world.db, XERO_TABLES)
    assert "ix_xero_invoices_open" in migrated and "ix_xero_invoice_lines_invoice_id" in migrated
    world.xero.add_invoices(2500, contacts=20)
    seen: dict[str, set[str]] = {}

    def look(entity: str, stored: int) -> None:
        seen.setdefault(entity, set()).update(index_definitions(world.db, XERO_TABLES))

    run = world.paidup().sync.sync("xero", progress=look)
    assert run.status == "ok" and run.index_seconds > 0
    assert "ix_xero_invoices_open" not in seen["invoices"]  # put off while the pages went in
    assert "ix_xero_invoices_dated" not in seen["invoices"]
    assert set(migrated) - seen["invoices"] <= {name for name in migrated if name.startswith("ix_")}
    assert index_definitions(world.db, XERO_TABLES) == migrated  # back, exactly as the migrations made them

    again = world.paidup().sync.sync("xero", progress=look)  # not empty any more: nothing is dropped
    assert again.status == "ok" and again.index_seconds == 0
    assert index_definitions(world.db, XERO_TABLES) == migrated


def test_a_small_first_pull_keeps_its_indexes(world: World) -> None:
    migrated = index_definitions(world.db, XERO_TABLES)
    seen: list[set[str]] = []
    run = world.paidup().sync.sync("xero", progress=lambda entity, stored: seen.append(
        set(index_definitions(world.db, XERO_TABLES))))
    assert run.status == "ok" and run.index_seconds == 0
    assert len(demo.INVOICES) < 1000 and seen and all(names == set(migrated) for names in seen)


def test_a_pull_that_fails_midway_still_builds_them(world: World) -> None:
    migrated = index_definitions(world.db, XERO_TABLES)
    world.xero.add_invoices(2500, contacts=20)

    def power_cut(entity: str, stored: int) -> None:
        if entity == "invoices" and stored >= 1000:
            assert "ix_xero_invoices_number" not in index_definitions(world.db, XERO_TABLES)
            raise RuntimeError("power cut")

    failed = world.paidup().sync.sync("xero", progress=power_cut)
    assert failed.status == "failed" and "power cut" in failed.error
    assert index_definitions(world.db, XERO_TABLES) == migrated


def test_indexes_a_dead_pull_left_dropped_are_built_by_the_next_run(world: World) -> None:
    migrated = index_definitions(world.db, XERO_TABLES)
    assert world.paidup().sync.sync("xero").status == "ok"
    with world.db.engine.begin() as connection:  # what a process killed mid-pull leaves behind
        for name in ("ix_xero_invoices_open", "ix_xero_invoices_number", "ix_xero_payments_date"):
            connection.execute(text(f"DROP INDEX {name}"))
    assert "ix_xero_invoices_open" not in index_definitions(world.db, XERO_TABLES)
    assert world.paidup().sync.sync("xero").status == "ok"  # an incremental run: nothing to pull
    assert index_definitions(world.db, XERO_TABLES) == migrated
