"""Big pulls parse their pages in the worker process (bot.sync.workers): the same mirror as
parsing here, bad records still failing alone, results in order, and a worker that dies costing a
failed run, never a skipped page."""

from __future__ import annotations

import os
import signal
import sys
import time
import types

import pytest
from sqlalchemy import func, select

from bot.store.migrate import upgrade
from bot.store.mirror import XeroInvoice, XeroInvoiceLine, XeroPayment
from bot.store.session import Database
from bot.store.state import SyncFailure
from bot.sync import workers, xero_rows
from integrations import demo_data as demo
from integrations.xero.pages import CONTACTS, INVOICES, PAYMENTS
from tests.bot.sync.conftest import World

BIG = 2500  # three pages of 1,000: the first two are full, so they go to the worker


@pytest.fixture
def worker() -> workers.Worker:
    started = workers.worker()
    assert started.ready.wait(120), "the worker process did not start"
    return started


def square(n: int) -> int:
    if n == 3:
        raise ValueError("three is not welcome")
    return n * n


def test_ordered_keeps_the_order_and_hands_back_the_workers_errors(worker: workers.Worker) -> None:
    sent = worker.sent
    assert list(workers.ordered([0, 1, 2, 4, 5], square, parallel=lambda n: n >= 1)) == [0, 1, 4, 16, 25]
    assert worker.sent - sent == 4  # 0 was worked on here, the rest in the worker
    seen = []
    with pytest.raises(ValueError, match="three is not welcome"):
        for value in workers.ordered(range(6), square, parallel=lambda n: True):
            seen.append(value)
    assert seen == [0, 1, 4]  # everything before the failing item, in order
    assert list(workers.ordered([6, 7], square, parallel=lambda n: True)) == [36, 49]  # still answers in step


def test_a_pull_stopped_early_leaves_the_worker_answering_its_next_pull(worker: workers.Worker) -> None:
    pages = workers.ordered(range(10), square, parallel=lambda n: n != 3)
    assert [next(pages), next(pages)] == [0, 1]
    pages.close()  # answers of pages still in the worker are read and dropped
    assert list(workers.ordered([8, 9], square, parallel=lambda n: True)) == [64, 81]


def test_a_request_the_worker_cannot_read_is_answered_with_its_error_in_its_place(worker: workers.Worker) -> None:
    # A function of a module that exists only in this process: the worker fails to unpickle the request
    # (as when its code on disk no longer matches ours). It must answer that error in the request's
    # place and keep answering, not stop reading and leave the pull waiting for ever.
    only_here = types.ModuleType("paidup_only_in_the_test_process")
    exec("def double(n):\n    return 2 * n\n", only_here.__dict__)  # noqa: S102 - a fixed test function
    only_here.double.__module__ = only_here.__name__
    sys.modules[only_here.__name__] = only_here
    try:
        with pytest.raises(ModuleNotFoundError, match="paidup_only_in_the_test_process"):
            list(workers.ordered([1, 2], only_here.double, parallel=lambda n: True))
    finally:
        del sys.modules[only_here.__name__]
    assert list(workers.ordered([4, 5], square, parallel=lambda n: True)) == [16, 25]


def test_a_worker_no_pull_has_used_for_a_while_is_stopped_and_the_next_pull_starts_another(monkeypatch) -> None:
    workers.shutdown()
    monkeypatch.setattr(workers, "IDLE_SECONDS", 1.0)
    try:
        first = workers.worker()
        assert first.ready.wait(120), "the worker process did not start"
        assert list(workers.ordered([2, 4], square, parallel=lambda n: True)) == [4, 16]
        assert first.sent == 2 and first.alive
        deadline = time.monotonic() + 30
        while first.alive and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not first.alive and workers.current_pid() is None  # stopped once idle, and forgotten
        assert not first.busy.acquire(blocking=False)  # no pull can take it any more
        assert list(workers.ordered([5, 6], square, parallel=lambda n: True)) == [25, 36]  # here, meanwhile
        second = workers.worker()
        assert second is not first and second.ready.wait(120)
        assert list(workers.ordered([7, 8], square, parallel=lambda n: True)) == [49, 64]
        assert second.sent == 2
    finally:
        workers.shutdown()  # the next tests' worker is started with the usual idle time


def _typed(value: object) -> object:
    """A row's values with their types, so that 1 and Decimal(1) or a date and its text differ."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_typed(item) for item in value]
    if hasattr(value, "__struct_fields__"):
        return {field: _typed(getattr(value, field)) for field in value.__struct_fields__}
    return (type(value).__name__, value)


@pytest.mark.parametrize("entity", ["contacts", "invoices", "payments"])
def test_rows_sent_back_from_the_worker_are_the_rows_parsing_here_makes(world: World, entity: str) -> None:
    world.xero.add_invoices(300, contacts=20)  # beside the demo's: part-paid, foreign currency, discounts, credit
    stream = {"contacts": CONTACTS, "invoices": INVOICES, "payments": PAYMENTS}[entity]
    bad = world.xero.invoice("GEN-000200")["InvoiceID"]
    world.xero.faults.corrupt_in_listings(bad)
    raws = list(world.paidup().sync.xero.raw_pages(stream))
    assert raws
    for raw in raws:
        here = xero_rows.PARSERS[entity][0](raw)
        back = xero_rows.unpacked(entity, xero_rows.packed(entity, raw))
        assert _typed(back) == _typed(here)
        assert here.items and here.cursor
    if entity == "invoices":
        assert any(row.payments and row.row["currency_rate"] is not None for row in here.items)
        assert any(bad == record_id for record_id, _, _ in here.invalid)


def _mirror(db: Database) -> tuple[list[tuple], list[tuple], list[tuple]]:
    with db.session() as s:
        invoices = [tuple(r) for r in s.execute(select(
            XeroInvoice.id, XeroInvoice.number, XeroInvoice.status, XeroInvoice.date, XeroInvoice.due_date,
            XeroInvoice.total, XeroInvoice.amount_due, XeroInvoice.amount_paid, XeroInvoice.currency_rate,
            XeroInvoice.updated_at_xero).order_by(XeroInvoice.id))]
        lines = [tuple(r) for r in s.execute(select(
            XeroInvoiceLine.invoice_id, XeroInvoiceLine.position, XeroInvoiceLine.description,
            XeroInvoiceLine.quantity, XeroInvoiceLine.unit_amount, XeroInvoiceLine.line_amount)
            .order_by(XeroInvoiceLine.invoice_id, XeroInvoiceLine.position))]
        payments = [tuple(r) for r in s.execute(select(
            XeroPayment.id, XeroPayment.invoice_id, XeroPayment.amount, XeroPayment.currency, XeroPayment.date)
            .order_by(XeroPayment.id))]
    return invoices, lines, payments


def _fresh(world: World, tmp_path, name: str) -> World:
    db = Database(f"sqlite:///{tmp_path / name}")
    upgrade(db)
    return type(world)(world.xero, world.salesforce, world.settings, db)


def test_a_big_pull_parsed_in_the_worker_mirrors_what_parsing_here_does(world: World, worker: workers.Worker,
                                                                        tmp_path) -> None:
    world.xero.add_invoices(BIG, contacts=20)
    bad = world.xero.invoice("GEN-001200")["InvoiceID"]
    world.xero.faults.corrupt_in_listings(bad)
    sent = worker.sent
    run = world.paidup().sync.sync("xero")
    assert worker.sent - sent >= 2  # the full pages went to the worker
    assert run.status == "partial" and run.failed == 1  # the bad record failed alone
    with world.db.session() as s:
        failure = s.scalar(select(SyncFailure))
        assert failure.record_id == bad and "Date" in failure.error
        assert s.scalar(select(func.count()).select_from(XeroInvoice)) == len(demo.INVOICES) + BIG - 1

    here = _fresh(world, tmp_path, "here.db")
    with worker.busy:  # the worker is taken: every page is parsed in this process
        sent = worker.sent
        assert here.paidup().sync.sync("xero").status == "partial"
        assert worker.sent == sent
    assert _mirror(world.db) == _mirror(here.db)


def test_a_worker_that_dies_mid_pull_fails_the_run_and_the_next_run_completes(world: World, worker: workers.Worker,
                                                                           tmp_path) -> None:
    world.xero.add_invoices(4500, contacts=20)  # four full pages: the fourth is still in the worker at the kill
    sync = world.paidup().sync

    def kill_the_worker(entity: str, stored: int) -> None:
        if entity == "invoices" and stored == 1000:
            os.kill(worker.pid, signal.SIGKILL)

    failed = sync.sync("xero", progress=kill_the_worker)
    assert failed.status == "failed" and "worker" in failed.error
    with world.db.session() as s:
        kept = s.scalar(select(func.count()).select_from(XeroInvoice))
    assert 1000 <= kept < len(demo.INVOICES) + 4500  # whole pages committed, the rest not yet
    resumed = sync.sync("xero")
    assert resumed.status == "ok"
    clean = _fresh(world, tmp_path, "clean.db")
    assert clean.paidup().sync.sync("xero").status == "ok"
    assert _mirror(world.db) == _mirror(clean.db)
