"""What the rest of the bot asks of sync: pull a source now (scheduled, `paidup sync`), fetch
what a webhook named, retry failed records. Composes the streams, the engine and the
post-sync steps (relinking, overdue events, quota)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.config import AppConfig
from bot.domain.events import InvoiceState, overdue_event
from bot.services.health import save_quota
from bot.store.base import utcnow
from bot.store.mirror import (
    SfAccount,
    SfOpportunity,
    XeroContact,
    XeroInvoice,
    XeroInvoiceLine,
    XeroPayment,
)
from bot.store.session import Database
from bot.store.state import SyncCursor, WebhookEvent
from bot.sync import failures, linking, outbox
from bot.sync.engine import Page, Progress, RunFailed, RunSummary, Stored, Stream, SyncEngine
from bot.sync.failures import RecordFailure
from bot.sync.salesforce_streams import AccountStream, DeletionStream, OpportunityStream, UserStream
from bot.sync.xero_settings import SettingsStream
from bot.sync.xero_streams import ContactStream, CreditNoteStream, InvoiceStream, PaymentStream
from integrations.salesforce import errors as sf_errors
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.models import Account, Opportunity
from integrations.xero import XeroClient
from integrations.xero import errors as xero_errors

OVERDUE_LOOKBACK = timedelta(days=7)


def classify(exc: Exception) -> RunFailed | None:
    """A whole-run failure in words, with what to do; None for the unexpected."""
    if isinstance(exc, xero_errors.XeroAuthError | xero_errors.XeroForbidden):
        return RunFailed("auth_revoked", f"{exc}. Reconnect with `paidup connect xero`.")
    if isinstance(exc, xero_errors.XeroRateLimited) and exc.limit == "day":
        return RunFailed("day_quota", f"Xero's daily API limit for this organisation is used up; syncing resumes "
                                      f"in {exc.retry_after / 3600:.1f} h")
    if isinstance(exc, xero_errors.XeroRateLimited | xero_errors.XeroUnavailable):
        return RunFailed("outage", f"Xero is not answering ({exc}); the next sync will try again")
    if isinstance(exc, sf_errors.SalesforceAuthError | sf_errors.SalesforceConfigError):
        return RunFailed("auth_revoked", f"{exc}. Check the Salesforce credentials or run "
                                         "`paidup connect salesforce`.")
    if isinstance(exc, sf_errors.SalesforceLimitExceeded):
        return RunFailed("day_quota", f"Salesforce's API request limit is used up ({exc}); syncing resumes when "
                                      "the org's 24-hour usage drops")
    if isinstance(exc, sf_errors.SalesforceUnavailable):
        return RunFailed("outage", f"Salesforce is not answering ({exc}); the next sync will try again")
    if isinstance(exc, sf_errors.SalesforceInvalidField):
        return RunFailed("config", f"{exc}. Create the field in Salesforce or change app.yml "
                                   "(salesforce.writeback / salesforce.account_contact_field).")
    return None


# The big mirror tables, whose secondary indexes a first pull builds at its end (bot.store.indexes).
# Not sf_opportunity_lines: each page of opportunities deletes its lines by opportunity_id.
BULK_TABLES = {
    "xero": [XeroContact.__table__, XeroInvoice.__table__, XeroInvoiceLine.__table__, XeroPayment.__table__],
    "salesforce": [SfAccount.__table__, SfOpportunity.__table__],
}


class SyncService:
    def __init__(self, db: Database, config: AppConfig, xero: Callable[[], XeroClient],
                 salesforce: Callable[[], SalesforceClient], clock: Callable[[], datetime] = utcnow) -> None:
        """``xero`` and ``salesforce`` build (or return) the clients on first use; they raise
        ConfigError when the source is not set up."""
        self.db = db
        self.config = config
        self._xero = xero
        self._salesforce = salesforce
        self.clock = clock
        self.engine = SyncEngine(db, classify, clock, bulk_tables=BULK_TABLES)

    # --- whole-source pulls ----------------------------------------------------------------

    def sync(self, source: str, *, full: bool = False, progress: Progress | None = None,
             wait: float = 0.0) -> RunSummary:
        if source == "xero":
            return self.sync_xero(full=full, progress=progress, wait=wait)
        return self.sync_salesforce(full=full, progress=progress, wait=wait)

    def _state(self, source: str) -> tuple[bool, dict[str, datetime | None]]:
        """(has never finished a full pull, full_synced_at per entity)."""
        with self.db.session() as s:
            rows = s.execute(select(SyncCursor.entity, SyncCursor.full_synced_at)
                             .where(SyncCursor.source == source)).all()
        finished = {entity: at for entity, at in rows}
        return not any(finished.values()), finished

    def sync_xero(self, *, full: bool = False, progress: Progress | None = None, wait: float = 0.0) -> RunSummary:
        xero = self.xero
        initial, finished = self._state("xero")
        kind = "full" if full or initial else "incremental"
        settings = SettingsStream(xero, initial=initial)
        streams: list[Stream] = []
        if kind == "full" or settings.due(finished.get("settings"), self.clock()):
            streams.append(settings)
        streams += [ContactStream(xero, initial=initial), InvoiceStream(xero, initial=initial, reconcile=full),
                    PaymentStream(xero, initial=initial), CreditNoteStream(xero, initial=initial)]
        return self.engine.run("xero", streams, kind, lambda: xero.calls_made, progress,
                               after=lambda s, started, run: self._after_xero(s, started, run, initial),
                               wait=wait)

    def sync_salesforce(self, *, full: bool = False, progress: Progress | None = None,
                        wait: float = 0.0) -> RunSummary:
        sf = self.salesforce
        initial, _ = self._state("salesforce")
        kind = "full" if full or initial else "incremental"
        config = self.config.salesforce
        streams: list[Stream] = [UserStream(sf, config), AccountStream(sf, config), OpportunityStream(sf, config),
                                 DeletionStream(sf, config, Account, SfAccount),
                                 DeletionStream(sf, config, Opportunity, SfOpportunity)]
        return self.engine.run("salesforce", streams, kind, lambda: sf.calls_made, progress,
                               after=self._after_salesforce, wait=wait)

    @property
    def xero(self) -> XeroClient:
        return self._xero()

    @property
    def salesforce(self) -> SalesforceClient:
        return self._salesforce()

    # --- after a pull ----------------------------------------------------------------------

    def today(self) -> datetime:
        return self.clock().astimezone(ZoneInfo(self.config.alerts.timezone))

    def _relink(self, session: Session, started: datetime, run: RunSummary, entity: str) -> None:
        """Links follow the records: recomputed when accounts or contacts changed; suggestions for
        the accounts this run stored (all unmatched ones on a full run)."""
        counts = run.per_entity.get(entity, {})
        if run.kind not in ("full", "reconcile") and not (counts.get("created") or counts.get("updated")
                                                           or run.deleted):
            return
        suggest_for: set[str] | None = None
        if run.kind != "full":
            suggest_for = set(session.scalars(select(SfAccount.id).where(SfAccount.synced_at >= started))) \
                if entity == "accounts" else set()
        linking.relink(session, self.config.salesforce.account_contact_field, self.clock(), suggest_for)

    def _after_xero(self, session: Session, started: datetime, run: RunSummary, initial: bool) -> None:
        now = self.clock()
        self._relink(session, started, run, "contacts")
        self.emit_overdue(session, now, handled=initial)
        quota = self.xero.quota()
        save_quota(session, "xero", {k: v for k, v in (("minute_remaining", quota.minute_remaining),
                                                       ("day_remaining", quota.day_remaining)) if v is not None})

    def _after_salesforce(self, session: Session, started: datetime, run: RunSummary) -> None:
        self._relink(session, started, run, "accounts")
        usage = self.salesforce.usage
        if usage is not None:
            save_quota(session, "salesforce", {"day_used": usage.used, "day_limit": usage.limit,
                                               "day_remaining": usage.remaining})

    def emit_overdue(self, session: Session, now: datetime, handled: bool = False) -> None:
        """An event for each authorised invoice that fell due in the last week (once per invoice
        and due date): the news is the falling due; older ones are in every digest anyway."""
        today = now.astimezone(ZoneInfo(self.config.alerts.timezone)).date()
        query = (select(XeroInvoice.id, XeroInvoice.number, XeroInvoice.status, XeroInvoice.amount_paid,
                        XeroInvoice.amount_due, XeroInvoice.currency, XeroInvoice.due_date)
                 .where(XeroInvoice.status == "AUTHORISED", XeroInvoice.amount_due > 0, XeroInvoice.due_date < today))
        rows = session.execute(query.where(XeroInvoice.due_date >= today - OVERDUE_LOOKBACK)).all()
        events = [overdue_event(InvoiceState(*row)) for row in rows]
        outbox.emit(session, events, now, handled=handled)

    # --- targeted fetches ------------------------------------------------------------------

    def fetch_records(self, entity: str, ids: Sequence[str], kind: str = "webhook") -> RunSummary:
        """Fetch just these Xero invoices or contacts (batched by IDs); ids Xero doesn't return
        are recorded as failures ("not found")."""
        xero = self.xero
        stream_type = {"invoices": InvoiceStream, "contacts": ContactStream}[entity]
        stream = stream_type(xero, ids=list(dict.fromkeys(ids)))
        return self.engine.run("xero", [_ReportMissing(stream, ids)], kind, lambda: xero.calls_made,
                               after=lambda s, started, run: self._after_xero(s, started, run, False), wait=30.0)

    def process_webhooks(self) -> RunSummary | None:
        """Fetch the records named by webhook events not yet processed; mark them processed."""
        with self.db.session() as s:
            pending = s.execute(select(WebhookEvent.id, WebhookEvent.category, WebhookEvent.resource_id)
                                .where(WebhookEvent.processed_at.is_(None))).all()
        if not pending:
            return None
        summary: RunSummary | None = None
        for category, entity in (("INVOICE", "invoices"), ("CONTACT", "contacts")):
            ids = [rid for _, cat, rid in pending if cat == category]
            if ids:
                summary = self.fetch_records(entity, ids)
                if summary.status in ("failed", "busy"):
                    return summary
        with self.db.session() as s:
            s.execute(update(WebhookEvent).where(WebhookEvent.id.in_([p[0] for p in pending]))
                      .values(processed_at=self.clock()))
        return summary

    def retry_failures(self, record_ids: Sequence[tuple[str, str, str]] | None = None) -> list[RunSummary]:
        """Fetch again the failed records whose retry time has come (or exactly these
        (source, entity, id) triples, e.g. from a Retry button)."""
        now = self.clock()
        if record_ids is None:
            with self.db.session() as s:
                due = [(source, entity, rid) for source in ("xero", "salesforce")
                       for entity, rids in failures.due_for_retry(s, source, now).items() for rid in rids]
        else:
            due = list(record_ids)
        summaries = []
        for source, entity in {(src, ent) for src, ent, _ in due}:
            ids = [rid for src, ent, rid in due if (src, ent) == (source, entity)]
            if source == "xero" and entity in ("invoices", "contacts"):
                summaries.append(self.fetch_records(entity, ids, kind="retry"))
            elif source == "salesforce":
                summaries.append(self._retry_salesforce(entity, ids))
        return summaries

    def _retry_salesforce(self, entity: str, ids: Sequence[str]) -> RunSummary:
        sf = self.salesforce
        config = self.config.salesforce
        types = {"users": UserStream, "accounts": AccountStream, "opportunities": OpportunityStream}
        stream = types.get(entity, OpportunityStream)(sf, config, ids=ids)
        return self.engine.run("salesforce", [_ReportMissing(stream, ids)], "retry", lambda: sf.calls_made,
                               after=self._after_salesforce, wait=30.0)


class _ReportMissing:
    """Wraps a targeted stream: ids asked for but not returned become "not found" failures."""

    def __init__(self, stream: Stream, ids: Sequence[str]) -> None:
        self.stream, self.source, self.entity = stream, stream.source, stream.entity
        self.missing = set(ids)

    def pages(self, cursor: str | None) -> Iterator[Page]:
        yield from self.stream.pages(cursor)

    def store(self, session: Session, page: Page, now: datetime) -> Stored:
        stored = self.stream.store(session, page, now)
        self.missing -= set(stored.synced_ids) | {f.record_id for f in [*page.invalid, *stored.failures]}
        return stored

    def finish(self, session: Session, now: datetime) -> int:
        return failures.record_failures(session, [
            RecordFailure(self.source, self.entity, rid, f"{self.source.title()} has no such record (deleted, or not "
                          "in this organisation)") for rid in sorted(self.missing)], now)

