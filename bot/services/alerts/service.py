"""``AlertService`` (``Paidup.alerts``): the three alert jobs as plain methods — what the
scheduler, `paidup alerts run`, the webhook worker and the terminal demo call — and what people
do from an alert (snooze, promise to pay, remind me when paid, retry or ignore a failure).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import update

from bot.config import AppConfig
from bot.domain.aging import local_today
from bot.services.alerts import follow_ups
from bot.services.alerts.alert_log import AlertLog
from bot.services.alerts.digest import OverdueDigestJob
from bot.services.alerts.failed_sync import FailedSyncJob, record_alert, record_label
from bot.services.alerts.follow_ups import FollowUp, FollowUpRefused, Watch
from bot.services.alerts.jobs import AlertChannels, JobResult, OwnerFinder
from bot.services.alerts.payments import PaymentNoticeJob
from bot.services.alerts.port import AlertDelivery, FailedRecordAlert
from bot.services.overdue import OverdueService
from bot.services.people import PeopleService
from bot.store.base import utcnow
from bot.store.session import Database, LeaseBusy
from bot.store.state import SyncFailure
from bot.sync.service import SyncService

JOBS = ("overdue", "payments", "failed-sync")
JOB_LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class FailureOutcome:
    """What a Retry or Ignore click did; ``alert`` is the failure as it stands now."""

    alert: FailedRecordAlert
    message: str  # for the person who clicked


class AlertService:
    def __init__(self, db: Database, config: AppConfig, sync: Callable[[], SyncService], people: PeopleService,
                 delivery: Callable[[], AlertDelivery], channels: AlertChannels,
                 clock: Callable[[], datetime] = utcnow) -> None:
        """``delivery`` builds the chat adapter on first use (it raises ConfigError when the chat
        platform is not set up); ``channels`` are the alerts and ops channel ids."""
        self.db, self.config, self.clock = db, config, clock
        self._sync = sync
        self.delivery = delivery
        self.log = AlertLog(db, clock)
        owners = OwnerFinder(db, people, delivery)
        self.overdue = OverdueService(db, config, clock)
        self.digest = OverdueDigestJob(db, config, self.overdue, owners, delivery, channels, self.log, clock)
        self.payments = PaymentNoticeJob(db, owners, delivery, channels, config.alerts.payments.post_to_channel,
                                         self.log, clock)
        self.failed_sync = FailedSyncJob(db, delivery, channels.ops, self.log, clock)

    # --- jobs --------------------------------------------------------------------------------

    def run(self, job: str) -> JobResult:
        """One job now, as the scheduler runs it: ``overdue``, ``payments`` or ``failed-sync``."""
        if job == "payments":  # the outbox consumer holds its own lease
            return self.run_payments()
        runner = {"overdue": self.run_overdue, "failed-sync": self.run_failed_sync}[job]
        return runner()

    def run_overdue(self) -> JobResult:
        return self._leased("overdue", self.digest.run)

    def run_payments(self) -> JobResult:
        self.delivery()  # not set up: ConfigError now, before an event is taken
        return self.payments.run()

    def run_failed_sync(self) -> JobResult:
        return self._leased("failed-sync", self.failed_sync.run)

    def _leased(self, job: str, run: Callable[[], JobResult]) -> JobResult:
        """One run at a time across processes (the alert log already makes each post once; this
        spares a second process the work)."""
        self.delivery()
        try:
            with self.db.lease(f"alerts:{job}", ttl=JOB_LEASE):
                return run()
        except LeaseBusy:
            return JobResult(job, skipped=[f"another process is running the {job} job"])

    # --- what people do from an alert --------------------------------------------------------

    def today(self) -> date:
        return local_today(self.clock(), self.config.alerts.timezone)

    def snooze(self, invoice_id: str, user_id: str, days: int = follow_ups.SNOOZE_DAYS) -> FollowUp:
        """Leave an invoice out of digests for ``days`` days (today counts as the first)."""
        today = self.today()
        return follow_ups.follow_up(self.db, invoice_id, "snooze", today + timedelta(days=days - 1), user_id, today,
                                    self.clock())

    def promise(self, invoice_id: str, user_id: str, pay_by: date) -> FollowUp:
        """The customer promised to pay by ``pay_by``: left out of digests up to that day."""
        return follow_ups.follow_up(self.db, invoice_id, "promise", pay_by, user_id, self.today(), self.clock())

    def watch(self, invoice_ids: list[str], user_id: str) -> Watch:
        """"Remind me when paid": a DM to ``user_id`` at each payment on these invoices, until paid."""
        return follow_ups.watch(self.db, invoice_ids, user_id, self.clock())

    def retry_failure(self, failure_id: int, user_id: str) -> FailureOutcome:
        """Fetch the failed record again now; its alert is updated when it syncs."""
        row = self._failure(failure_id)
        if row.resolved_at is None:
            self._sync().retry_failures([(row.source, row.entity, row.record_id)])
        return self._settle(failure_id, "retry")

    def ignore_failure(self, failure_id: int, user_id: str) -> FailureOutcome:
        with self.db.session() as s:
            s.execute(update(SyncFailure).where(SyncFailure.id == failure_id, SyncFailure.resolved_at.is_(None),
                                                SyncFailure.ignored_at.is_(None))
                      .values(ignored_at=self.clock(), ignored_by=user_id, next_retry_at=None))
        return self._settle(failure_id, "ignore")

    def _failure(self, failure_id: int) -> SyncFailure:
        with self.db.session() as s:
            row = s.get(SyncFailure, failure_id)
        if row is None:
            raise FollowUpRefused("That sync failure is no longer recorded.")
        return row

    def _settle(self, failure_id: int, action: Literal["retry", "ignore"]) -> FailureOutcome:
        """Update the failure's alert to what it is now, and say what happened."""
        row = self._failure(failure_id)
        alert = record_alert(row, record_label(self.db, row))
        self.failed_sync.refresh_records(JobResult("failed-sync"))
        if alert.state == "resolved":
            return FailureOutcome(alert, f"{alert.record} synced: resolved.")
        if alert.state == "ignored":
            return FailureOutcome(alert, f"{alert.record} is ignored: no more retries or alerts for it.")
        return FailureOutcome(alert, f"{alert.record} still fails: {alert.error}"
                              + (" (it will be retried automatically)" if action == "retry" else ""))
