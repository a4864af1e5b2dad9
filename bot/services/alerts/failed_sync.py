"""Failed-sync alerts to the ops channel: one message per failing record (per episode: a record
that fails again after it was fixed is a new one), updated in place when its error changes, when
it syncs again (resolved) or when someone ignores it. A whole source down — auth revoked, the
daily quota used up, a setting missing — is one alert saying what to do, posted once per streak of
failed runs and updated when the source syncs again; meanwhile its records are not alerted.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from sqlalchemy import select

from bot.services.alerts.alert_log import AlertLog
from bot.services.alerts.jobs import JobResult
from bot.services.alerts.port import AlertDelivery, FailedRecordAlert, MessageRef, Recipient, SourceOutage
from bot.store.mirror import SfAccount, SfOpportunity, XeroContact, XeroInvoice
from bot.store.session import Database
from bot.store.state import SyncFailure, SyncRun

log = logging.getLogger(__name__)
RECORD, OUTAGE = "sync_failure", "sync_outage"
SOURCES = ("xero", "salesforce")
OUTAGE_KINDS = ("auth_revoked", "day_quota", "config", "outage")
OUTAGE_AFTER_RUNS = {"outage": 3}  # a source not answering is news only when it lasts; the others at once
RECORDS_PER_RUN = 10  # new record alerts per run; more wait for the next run (a flood is an outage anyway)
FIXES = {
    ("xero", "auth_revoked"): "Reconnect Xero: run `paidup connect xero` (or check XERO_CLIENT_ID/SECRET).",
    ("salesforce", "auth_revoked"): "Check the Salesforce credentials, or run `paidup connect salesforce`.",
    ("xero", "day_quota"): "Nothing to do: syncing resumes by itself when Xero's daily limit resets.",
    ("salesforce", "day_quota"): "Nothing to do: syncing resumes when the org's 24-hour API usage drops.",
    ("xero", "outage"): "Check status.xero.com; Paidup keeps trying on every scheduled sync.",
    ("salesforce", "outage"): "Check status.salesforce.com; Paidup keeps trying on every scheduled sync.",
}
DEFAULT_FIX = "Fix the setting named above in app.yml or in the source, then run `paidup sync`."
RECENT_RUNS = 50


NAMES = {("xero", "invoices"): (XeroInvoice, XeroInvoice.number), ("xero", "contacts"): (XeroContact, XeroContact.name),
         ("salesforce", "accounts"): (SfAccount, SfAccount.name),
         ("salesforce", "opportunities"): (SfOpportunity, SfOpportunity.name)}


def record_label(db: Database, row: SyncFailure) -> str:
    """What people call the record: the label the sync kept, else its name or number in the mirror
    (an earlier good copy), else its id."""
    if row.record_label:
        return row.record_label
    model, column = NAMES.get((row.source, row.entity), (None, None))
    if model is None or column is None:
        return row.record_id
    with db.session() as s:
        name = s.scalar(select(column).where(model.id == row.record_id))  # type: ignore[attr-defined]
    return str(name) if name else row.record_id


def record_alert(row: SyncFailure, label: str | None = None) -> FailedRecordAlert:
    state = "resolved" if row.resolved_at else "ignored" if row.ignored_at else "open"
    return FailedRecordAlert(row.id, row.source, row.entity, label or row.record_label or row.record_id, row.record_id,
                             row.error, row.attempts, row.first_seen, state,  # type: ignore[arg-type]
                             row.ignored_by, row.resolved_at or row.ignored_at)


def fingerprint(alert: FailedRecordAlert) -> str:
    return hashlib.sha256(f"{alert.state}|{alert.error}".encode()).hexdigest()[:32]


def record_subject(row: SyncFailure) -> str:
    return f"{row.source}:{row.entity}:{row.record_id}"


def current_outage(db: Database, source: str) -> SourceOutage | None:
    """The source's streak of failed runs of one outage kind, if its latest finished run is one."""
    with db.session() as s:
        runs = s.scalars(select(SyncRun).where(SyncRun.source == source, SyncRun.status != "running")
                         .order_by(SyncRun.started_at.desc(), SyncRun.id.desc()).limit(RECENT_RUNS)).all()
    if not runs or runs[0].status != "failed" or runs[0].error_kind not in OUTAGE_KINDS:
        return None
    kind = runs[0].error_kind
    streak = []
    for run in runs:
        if run.status != "failed" or run.error_kind != kind:
            break
        streak.append(run)
    if len(streak) < OUTAGE_AFTER_RUNS.get(kind, 1):
        return None
    first = streak[-1]
    return SourceOutage(source, kind, runs[0].error or kind, FIXES.get((source, kind), DEFAULT_FIX),
                        first.started_at, len(streak), "open")


def outage_period(outage: SourceOutage) -> str:
    return f"{outage.kind}:{outage.since.strftime('%Y%m%dT%H%M%S')}"


class FailedSyncJob:
    def __init__(self, db: Database, delivery: Callable[[], AlertDelivery], ops_channel: str | None,
                 alert_log: AlertLog, clock: Callable[[], datetime]) -> None:
        self.db, self.delivery, self.ops, self.log, self.clock = db, delivery, ops_channel, alert_log, clock

    def run(self) -> JobResult:
        result = JobResult("failed-sync")
        if self.ops is None:
            result.skipped.append("no ops channel in app.yml (slack.ops_channel)")
            return result
        down = set()
        for source in SOURCES:
            outage = current_outage(self.db, source)
            if outage is not None:
                down.add(source)
                self._post_outage(result, outage)
            self._close_outages(result, source, outage)
        self.refresh_records(result)
        with self.db.session() as s:
            rows = s.scalars(select(SyncFailure).where(SyncFailure.resolved_at.is_(None),
                                                       SyncFailure.ignored_at.is_(None))
                             .order_by(SyncFailure.first_seen, SyncFailure.id)).all()
        posted = 0
        for row in [r for r in rows if r.source not in down]:
            if posted >= RECORDS_PER_RUN:
                result.skipped.append("more failing records: they are posted on the next runs")
                break
            posted += self._post_record(result, row)
        if not result.posted and not result.updated and not result.failed:
            result.skipped.append("no new sync failures")
        return result

    # --- whole sources -----------------------------------------------------------------------

    def _post_outage(self, result: JobResult, outage: SourceOutage) -> None:
        what = f"{outage.source} {outage.kind.replace('_', ' ')} alert to {self.ops}"
        claim = self.log.claim(OUTAGE, outage.source, outage_period(outage))
        if claim is None:
            return
        self._deliver(result, what, lambda: self.log.deliver(
            claim, lambda: self.delivery().deliver(Recipient("channel", self.ops or ""), outage), "open"))

    def _close_outages(self, result: JobResult, source: str, current: SourceOutage | None) -> None:
        """Outage alerts of ``source`` that are over (it synced, or another streak began): say so."""
        for entry in self.log.open_entries(OUTAGE):
            if entry.subject != source or entry.ref is None or (current and entry.period == outage_period(current)):
                continue
            kind = entry.period.split(":", 1)[0]
            since = datetime.strptime(entry.period.split(":", 1)[1], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
            over = SourceOutage(source, kind, "", FIXES.get((source, kind), DEFAULT_FIX), since, 0, "resolved",
                                self.clock())
            if self._deliver(result, f"{source} {kind.replace('_', ' ')} alert: resolved",
                             partial(self._update, entry.ref, over), updated=True):
                self.log.revise(entry.id, "resolved", closed=True)

    # --- single records ----------------------------------------------------------------------

    def _post_record(self, result: JobResult, row: SyncFailure) -> bool:
        """Post a failure not alerted yet; True if this run posted (or tried to post) it."""
        claim = self.log.claim(RECORD, record_subject(row), row.first_seen.isoformat())
        if claim is None:
            return False
        alert = record_alert(row, record_label(self.db, row))
        what = f"{row.source} {row.entity} {alert.record}: {row.error[:80]}"
        self._deliver(result, what, lambda: self.log.deliver(
            claim, lambda: self.delivery().deliver(Recipient("channel", self.ops or ""), alert), fingerprint(alert)))
        return True

    def refresh_records(self, result: JobResult) -> None:
        """Posted record alerts whose failure changed (new error, resolved, ignored, a new episode)."""
        for entry in self.log.open_entries(RECORD):
            source, entity, record_id = entry.subject.split(":", 2)
            with self.db.session() as s:
                row = s.scalar(select(SyncFailure).where(SyncFailure.source == source, SyncFailure.entity == entity,
                                                         SyncFailure.record_id == record_id))
            if row is None or entry.ref is None:
                continue
            alert = record_alert(row, record_label(self.db, row))
            if row.first_seen.isoformat() != entry.period:  # failing again later: this episode ended
                alert = FailedRecordAlert(row.id, source, entity, alert.record, record_id, alert.error,
                                          alert.attempts, alert.first_seen, "resolved", None, row.first_seen)
            if fingerprint(alert) == entry.fingerprint:
                continue
            if self._deliver(result, f"{source} {entity} {alert.record}: {alert.state}",
                             partial(self._update, entry.ref, alert), updated=True):
                self.log.revise(entry.id, fingerprint(alert), closed=alert.state != "open")

    def _update(self, ref: MessageRef, alert: FailedRecordAlert | SourceOutage) -> None:
        self.delivery().update(ref, alert)

    def _deliver(self, result: JobResult, what: str, send: Callable[[], object], updated: bool = False) -> bool:
        try:
            send()
        except Exception as exc:  # noqa: BLE001 - kept for the next run, the others still go out
            log.warning("alerts.delivery_failed", extra={"job": "failed-sync", "what": what, "error": str(exc)})
            result.failed.append(f"{what}: {exc}")
            return False
        (result.updated if updated else result.posted).append(what)
        return True
