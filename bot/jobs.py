"""The scheduler inside `paidup serve`: APScheduler triggers from app.yml, each job calling one
service. Every job is safe with several processes on one database: syncs hold a per-source
lease (a second process finds it busy and skips), jobs that post hold their own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import AppConfig, ConfigError
from bot.domain.cron import cron_trigger
from bot.services.alerts import AlertService
from bot.services.invoicing import InvoicingService
from bot.services.reports.weekly import WeeklyReport
from bot.sync import linking
from bot.sync.service import SyncService

log = logging.getLogger(__name__)
RETRY_EVERY = timedelta(minutes=1)
INVOICE_RECOVERY_EVERY = timedelta(minutes=1)
WEBHOOK_SWEEP_EVERY = timedelta(minutes=1)
SUGGESTIONS_EVERY = timedelta(minutes=1)
PAYMENT_NOTICES_EVERY = timedelta(minutes=1)  # a safety net: the webhook worker sends them at once


def _guarded(name: str, job: Callable[[], object]) -> Callable[[], None]:
    """Run a job; log what it did or why it failed, never let it kill the scheduler."""

    def run() -> None:
        try:
            result = job()
        except ConfigError as exc:
            log.warning("job.not_configured", extra={"job": name, "reason": str(exc)})
            return
        except Exception:
            log.exception("job.crashed", extra={"job": name})
            return
        status = getattr(result, "status", None)
        log.info("job.done", extra={"job": name, **({"status": status} if status else {})})

    return run


def sync_jobs(config: AppConfig, sync: SyncService) -> list[tuple[str, Callable[[], None], object]]:
    """(id, function, trigger) for every sync job app.yml asks for."""
    tz = config.alerts.timezone
    every = IntervalTrigger(minutes=config.sync.every_minutes, timezone=tz)
    return [
        ("sync-salesforce", _guarded("sync-salesforce", lambda: sync.sync("salesforce")), every),
        ("sync-xero", _guarded("sync-xero", lambda: sync.sync("xero")), every),
        ("reconcile-salesforce", _guarded("reconcile-salesforce", lambda: sync.sync("salesforce", full=True)),
         cron_trigger(config.sync.full_reconcile_cron, tz)),
        ("reconcile-xero", _guarded("reconcile-xero", lambda: sync.sync("xero", full=True)),
         cron_trigger(config.sync.full_reconcile_cron, tz)),
        ("retry-failures", _guarded("retry-failures", sync.retry_failures),
         IntervalTrigger(seconds=RETRY_EVERY.total_seconds(), timezone=tz)),
        ("webhook-sweep", _guarded("webhook-sweep", sync.process_webhooks),
         IntervalTrigger(seconds=WEBHOOK_SWEEP_EVERY.total_seconds(), timezone=tz)),
        ("link-suggestions", _guarded("link-suggestions", lambda: linking.suggest_pending(
            sync.db, config.salesforce.account_contact_field, sync.clock)),  # the ones a big sync left due
         IntervalTrigger(seconds=SUGGESTIONS_EVERY.total_seconds(), timezone=tz)),
    ]


def alert_jobs(config: AppConfig, alerts: AlertService) -> list[tuple[str, Callable[[], None], object]]:
    """(id, function, trigger) for the alert jobs: the overdue digest and failed-sync alerts on
    their crons in ``alerts.timezone``, payment notices every minute. Each post is claimed in the
    alert log, so several processes running these post each alert once."""
    tz = config.alerts.timezone
    return [
        ("alerts-overdue", _guarded("alerts-overdue", alerts.run_overdue),
         cron_trigger(config.alerts.overdue.cron, tz)),
        ("alerts-failed-sync", _guarded("alerts-failed-sync", alerts.run_failed_sync),
         cron_trigger(config.alerts.failed_sync.cron, tz)),
        ("alerts-payments", _guarded("alerts-payments", alerts.run_payments),
         IntervalTrigger(seconds=PAYMENT_NOTICES_EVERY.total_seconds(), timezone=tz)),
    ]


def report_jobs(config: AppConfig, weekly: WeeklyReport) -> list[tuple[str, Callable[[], None], object]]:
    """The weekly report on ``reports.cron`` in the reports' zone, when its channel is set
    (``reports.channel``, or ``teams.reports_conversation`` for a bot set up for Teams only); its
    lease and alert-log claim make it post once a week across processes."""
    if weekly.channel is None:
        return []
    zone = config.reports.zone(config.alerts)
    return [("reports-weekly", _guarded("reports-weekly", weekly.run), cron_trigger(config.reports.cron, zone))]


def invoicing_jobs(config: AppConfig, invoicing: InvoicingService) -> list[tuple[str, Callable[[], None], object]]:
    """Invoice drafts a crash left between a Xero call and its commit, finished every minute by repeating
    the same call with the same Idempotency-Key (Xero does it once; the draft's state machine moves once)."""
    every = IntervalTrigger(seconds=INVOICE_RECOVERY_EVERY.total_seconds(), timezone=config.alerts.timezone)
    return [("invoices-recover", _guarded("invoices-recover", invoicing.recover), every)]


START_AT_ONCE = ("sync-salesforce", "sync-xero")


def build_scheduler(jobs: list[tuple[str, Callable[[], None], object]], timezone: str) -> BackgroundScheduler:
    """A background scheduler: one instance of each job at a time, a missed run coalesced; the
    syncs also run as soon as it starts, so a fresh deployment has a mirror within minutes."""
    scheduler = BackgroundScheduler(timezone=timezone, job_defaults={"coalesce": True, "max_instances": 1,
                                                                     "misfire_grace_time": 300})
    now = datetime.now(ZoneInfo(timezone))
    for job_id, function, trigger in jobs:
        first = {"next_run_time": now} if job_id in START_AT_ONCE else {}
        scheduler.add_job(function, trigger, id=job_id, name=job_id, replace_existing=True, **first)
    return scheduler
