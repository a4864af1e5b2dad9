"""The sync engine against the sandboxes over loopback, into a real database."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from pydantic import SecretStr
from sqlalchemy import func, select

from bot.domain import events
from bot.store.mirror import SfAccount, SfOpportunity, SfOpportunityLine, XeroContact, XeroInvoice, XeroPayment
from bot.store.state import AccountLink, DomainEvent, LinkSuggestion, SyncFailure, SyncRun
from bot.sync import linking
from bot.sync.linking import duplicates
from integrations import demo_data as demo
from tests.bot.sync.conftest import World


def count(world: World, model: type, *where: object) -> int:
    with world.db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def event_kinds(world: World, pending_only: bool = True) -> list[tuple[str, str]]:
    with world.db.session() as s:
        query = select(DomainEvent.kind, DomainEvent.subject_id).order_by(DomainEvent.id)
        if pending_only:
            query = query.where(DomainEvent.handled_at.is_(None))
        return [tuple(row) for row in s.execute(query)]


def test_first_sync_is_full_and_the_next_costs_one_call_per_entity(world: World) -> None:
    sync = world.paidup().sync
    first_sf, first_xero = sync.sync("salesforce"), sync.sync("xero")
    assert (first_sf.kind, first_sf.status, first_xero.kind, first_xero.status) == ("full", "ok", "full", "ok")
    assert first_xero.per_entity["invoices"]["created"] == len(demo.INVOICES)
    assert first_xero.per_entity["contacts"]["created"] == len(demo.CONTACTS_XERO)
    assert first_sf.per_entity["opportunities"]["created"] == len(demo.OPPORTUNITIES)

    second_sf, second_xero = sync.sync("salesforce"), sync.sync("xero")
    assert second_xero.kind == "incremental" and second_xero.calls == 4  # contacts, invoices, payments, credit notes
    assert second_sf.calls == 5  # users, accounts, opportunities, and deletions of each
    assert second_xero.created == second_xero.updated == second_sf.created == second_sf.updated == 0


def test_the_mirror_holds_what_the_platforms_hold(world: World) -> None:
    sync = world.paidup().sync
    sync.sync("salesforce"), sync.sync("xero")
    with world.db.session() as s:
        inv = s.scalar(select(XeroInvoice).where(XeroInvoice.number == "INV-0002"))
        assert (inv.status, inv.currency, inv.total, inv.amount_paid, inv.amount_due) == (
            "AUTHORISED", "USD", Decimal("9350.00"), Decimal("3000.00"), Decimal("6350.00"))
        assert [line.line_amount for line in inv.lines] == [Decimal("6000.00"), Decimal("2500.00")]
        assert s.scalar(select(func.count()).select_from(XeroPayment)
                        .where(XeroPayment.invoice_id == inv.id)) == 1
        opportunity = s.get(SfOpportunity, demo.OPPORTUNITIES[1].id)
        assert (opportunity.currency, opportunity.is_won, opportunity.amount) == ("GBP", True, Decimal("9180.00"))
        assert s.scalar(select(func.count()).select_from(SfOpportunityLine)
                        .where(SfOpportunityLine.opportunity_id == opportunity.id)) == 2
        renewal = s.get(SfOpportunity, demo.OPPORTUNITIES[4].id)
        assert renewal.xero_invoice_number == "INV-0001"  # the write-back field, read from Salesforce
        archived = s.scalar(select(XeroContact).where(XeroContact.name == "Cyberdyne Systems"))
        assert archived.status == "ARCHIVED"


def test_linking_follows_the_rules_in_order_and_never_links_a_near_miss(world: World) -> None:
    sync = world.paidup().sync
    sync.sync("salesforce"), sync.sync("xero")
    with world.db.session() as s:
        links = {(a, c): m for a, c, m in s.execute(select(AccountLink.sf_account_id, AccountLink.xero_contact_id,
                                                           AccountLink.method))}
        account, contact = demo.SF_ACCOUNT, demo.XERO_CONTACT
        assert links[(account["acme"].id, contact["acme"].id)] == "id_field"
        assert links[(account["globex"].id, contact["globex"].id)] == "name"
        assert links[(account["obrien"].id, contact["obrien"].id)] == "name"  # "Ltd" and "&" don't matter
        assert links[(account["muller"].id, contact["muller"].id)] == "name"
        assert links[(account["initech"].id, contact["initech"].id)] == "email_domain"
        assert not any(a == account["umbrella"].id for a, _ in links)  # Umbrella Corp vs Umbrela Corporation
        suggestion = s.scalar(select(LinkSuggestion).where(LinkSuggestion.sf_account_id == account["umbrella"].id))
        assert suggestion.xero_contact_id == contact["umbrella"].id and suggestion.status == "open"
        assert not any(a == account["stark"].id for a, _ in links)
        assert not any(c == contact["wayne"].id for _, c in links)
        dupes = duplicates(s)
        assert [(d.side, d.record_id, set(d.linked_ids)) for d in dupes] == [
            ("salesforce", account["hooli"].id, {contact["hooli"].id, contact["hooli-inc"].id})]


def test_a_big_suggestion_job_is_left_out_of_the_sync_and_scored_after_it(world: World, monkeypatch) -> None:
    monkeypatch.setattr(linking, "INLINE_PAIRS", 0)  # every scoring job counts as big here
    paidup = world.paidup()
    umbrella = LinkSuggestion.sf_account_id == demo.SF_ACCOUNT["umbrella"].id
    sync_sf, sync_xero = paidup.sync.sync("salesforce"), paidup.sync.sync("xero")
    assert (sync_sf.status, sync_xero.status) == ("ok", "ok")
    assert count(world, AccountLink) > 0 and count(world, LinkSuggestion) == 0  # links now, suggestions later
    with world.db.session() as s:
        assert linking.suggestions_due(s) is not None
    assert paidup.health_report.check().open_suggestions == 0

    assert linking.suggest_pending(world.db, paidup.config.salesforce.account_contact_field) == 1
    with world.db.session() as s:
        suggestion = s.scalar(select(LinkSuggestion).where(umbrella))
        assert suggestion.xero_contact_id == demo.XERO_CONTACT["umbrella"].id and suggestion.status == "open"
        assert linking.suggestions_due(s) is None
    assert linking.suggest_pending(world.db, paidup.config.salesforce.account_contact_field) is None  # done

    with world.db.session() as s:  # a person dismissed it: a full sync and its scoring keep that decision
        s.scalar(select(LinkSuggestion).where(umbrella)).status = "dismissed"
    paidup.sync.sync("xero", full=True)
    assert linking.suggest_pending(world.db, paidup.config.salesforce.account_contact_field) == 0
    assert count(world, LinkSuggestion, LinkSuggestion.status == "open") == 0
    assert count(world, LinkSuggestion, umbrella, LinkSuggestion.status == "dismissed") == 1


def test_changes_deletions_and_payments_appear_with_their_events_once(world: World) -> None:
    sync = world.paidup().sync
    sync.sync("salesforce"), sync.sync("xero")
    assert event_kinds(world) == []  # what the first sync finds is history, not news
    world.xero.record_payment("INV-0043", notify=False)  # pays Globex's overdue onboarding in full
    world.xero.record_payment("INV-0090", "2000.00", notify=False)
    world.salesforce.delete("Opportunity", demo.OPPORTUNITIES[6].id)
    xero_run, sf_run = sync.sync("xero"), sync.sync("salesforce")
    assert xero_run.status == sf_run.status == "ok"
    assert sf_run.deleted == 1
    with world.db.session() as s:
        assert s.get(SfOpportunity, demo.OPPORTUNITIES[6].id).is_deleted
        paid = s.scalar(select(XeroInvoice).where(XeroInvoice.number == "INV-0043"))
        part = s.scalar(select(XeroInvoice).where(XeroInvoice.number == "INV-0090"))
        assert (paid.status, paid.amount_due) == ("PAID", Decimal("0.00"))
        assert (part.status, part.amount_paid, part.amount_due) == ("AUTHORISED", Decimal("2000.00"),
                                                                    Decimal("5700.00"))
    kinds = sorted(kind for kind, _ in event_kinds(world))
    assert kinds == sorted([events.INVOICE_PAID, events.PAYMENT_RECEIVED, events.INVOICE_PART_PAID,
                            events.PAYMENT_RECEIVED])
    sync.sync("xero", full=True)  # a reconcile sees the same state again: nothing new
    assert sorted(kind for kind, _ in event_kinds(world)) == kinds


def test_a_crash_between_pages_resumes_without_skipping(world: World, tmp_path) -> None:
    world.xero.add_invoices(2500, contacts=20)
    sync = world.paidup().sync
    sync.sync("salesforce")
    pages_seen = []

    def crash_after_two_pages(entity: str, stored: int) -> None:
        pages_seen.append((entity, stored))
        if entity == "invoices" and stored >= 2000:
            raise RuntimeError("power cut")

    crashed = sync.sync("xero", progress=crash_after_two_pages)
    assert crashed.status == "failed" and "power cut" in crashed.error
    assert count(world, XeroInvoice) == 2000 + 0  # the two pages committed, nothing of the third
    resumed = sync.sync("xero")
    assert resumed.status == "ok"
    total = len(demo.INVOICES) + 2500
    assert count(world, XeroInvoice) == total

    clean = type(world)(world.xero, world.salesforce, world.settings, _fresh_db(tmp_path))
    clean.paidup().sync.sync("xero")
    assert _mirror(world) == _mirror(clean)


def _fresh_db(tmp_path):
    from bot.store.migrate import upgrade
    from bot.store.session import Database

    fresh = Database(f"sqlite:///{tmp_path / 'clean.db'}")
    upgrade(fresh)
    return fresh


def _mirror(world: World) -> list[tuple]:
    with world.db.session() as s:
        return [tuple(r) for r in s.execute(
            select(XeroInvoice.id, XeroInvoice.number, XeroInvoice.status, XeroInvoice.total, XeroInvoice.amount_due,
                   XeroInvoice.due_date).order_by(XeroInvoice.id))]


def test_one_bad_record_fails_alone_and_is_retried(world: World) -> None:
    bad = demo.demo_uuid("invoice:INV-0043")
    world.xero.faults.corrupt_in_listings(bad)
    sync = world.paidup().sync
    run = sync.sync("xero")
    assert run.status == "partial" and run.failed == 1
    assert count(world, XeroInvoice) == len(demo.INVOICES) - 1
    with world.db.session() as s:
        failure = s.scalar(select(SyncFailure))
        assert (failure.record_id, failure.entity, failure.attempts) == (bad, "invoices", 1)
        assert "Date" in failure.error and failure.next_retry_at is not None and failure.resolved_at is None
    world.xero.faults.clear()
    retried = sync.retry_failures([("xero", "invoices", bad)])
    assert [r.status for r in retried] == ["ok"]
    with world.db.session() as s:
        assert s.scalar(select(SyncFailure)).resolved_at is not None
    assert count(world, XeroInvoice) == len(demo.INVOICES)


def test_a_429_mid_sync_is_waited_out(world: World) -> None:
    sync = world.paidup().sync
    world.xero.faults.fail_next(1, status=429, retry_after=1, problem="minute")
    run = sync.sync("xero")
    assert run.status == "ok" and run.per_entity["invoices"]["created"] == len(demo.INVOICES)


def test_the_day_limit_fails_the_run_with_a_reason(world: World) -> None:
    sync = world.paidup().sync
    world.xero.faults.fail_next(1, status=429, retry_after=40000, problem="day")
    run = sync.sync("xero")
    assert run.status == "failed" and run.error_kind == "day_quota"
    assert "daily API limit" in run.error
    with world.db.session() as s:
        stored = s.scalar(select(SyncRun).order_by(SyncRun.id.desc()))
        assert (stored.status, stored.error_kind) == ("failed", "day_quota")


def test_revoked_salesforce_credentials_fail_the_run_with_what_to_do(world: World) -> None:
    world.settings = world.settings.model_copy(update={"salesforce_client_secret": SecretStr("wrong")})
    run = world.paidup().sync.sync("salesforce")
    assert run.status == "failed" and run.error_kind == "auth_revoked"
    assert "Salesforce" in run.error


def test_two_syncs_of_one_source_never_run_at_once(world: World) -> None:
    first, second = world.paidup(), world.paidup()
    with first.db.lease("sync:xero"):
        busy = second.sync.sync("xero")
    assert busy.status == "busy"
    assert count(world, SfAccount) == 0


def test_two_processes_syncing_at_the_same_moment_run_one_sync(world: World) -> None:
    import threading

    from bot.store.session import Database

    processes = [world.paidup(), type(world)(world.xero, world.salesforce, world.settings,
                                             Database(world.db.url)).paidup()]
    start, results = threading.Barrier(2), []

    def run(paidup) -> None:
        start.wait()
        results.append(paidup.sync.sync("xero").status)

    threads = [threading.Thread(target=run, args=(p,)) for p in processes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["busy", "ok"]
    assert count(world, SyncRun) == 1


def test_the_scheduler_runs_the_syncs_at_once_and_on_the_interval(world: World) -> None:
    import time

    from bot.jobs import build_scheduler, sync_jobs

    paidup = world.paidup()
    scheduler = build_scheduler(sync_jobs(paidup.config, paidup.sync), paidup.config.alerts.timezone)
    assert {job.id for job in scheduler.get_jobs()} == {"sync-salesforce", "sync-xero", "reconcile-salesforce",
                                                        "reconcile-xero", "retry-failures", "webhook-sweep",
                                                        "link-suggestions"}
    scheduler.start()
    try:
        deadline = time.monotonic() + 20
        while count(world, SyncRun, SyncRun.status == "ok") < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        scheduler.shutdown()
    assert count(world, XeroInvoice) == len(demo.INVOICES) and count(world, SfAccount) == len(demo.ACCOUNTS_SF)


def test_health_reports_freshness_failures_links_and_quota(world: World) -> None:
    from datetime import timedelta

    from bot.services.health import health
    from bot.store.base import utcnow

    world.xero.faults.corrupt_in_listings(demo.demo_uuid("invoice:INV-0050"))
    sync = world.paidup().sync
    sync.sync("salesforce"), sync.sync("xero")
    report = health(world.db, stuck_before=utcnow() - timedelta(hours=1))
    xero, salesforce = report.sources
    assert (xero.source, xero.last_run_status, xero.open_failures) == ("xero", "partial", 1)
    assert xero.last_success is not None and xero.quota["day_remaining"] > 4900
    assert salesforce.quota["day_limit"] == 100_000 and salesforce.open_failures == 0
    assert report.unlinked_accounts == 2  # Umbrella (a near miss) and Stark (no Xero contact)
    assert report.unlinked_contacts_with_open_invoices == 2  # Umbrela Corporation and Wayne Enterprises
    assert report.open_suggestions == 1 and len(report.duplicates) == 1


def test_a_full_reconcile_rewrites_only_what_differs(world: World) -> None:
    sync = world.paidup().sync
    sync.sync("salesforce"), sync.sync("xero")
    with world.xero.lock:  # a due date changed without UpdatedDateUTC moving (FACTS.md §5)
        record = world.xero.ledger.invoice("INV-0090")
        record["DueDate"] = record["DueDate"] + timedelta(days=14)
    assert sync.sync("xero").per_entity["invoices"]["updated"] == 0  # invisible to If-Modified-Since
    reconcile = sync.sync("xero", full=True)
    assert reconcile.per_entity["invoices"]["updated"] == 1
