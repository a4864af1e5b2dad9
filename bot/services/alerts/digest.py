"""The overdue digest: every overdue invoice, by owner, worst offenders first, to the alerts
channel; with ``dm_owners`` each owner also gets their own list by DM. Once a day per channel
and per owner (the alert log), whatever restarts or second processes do.

Overdue and owners as ``bot.services.overdue`` defines them (due date strictly before today in
``alerts.timezone``; opportunity owner, else account owner, else "Unassigned"), less invoices
under ``min_days_overdue`` and those snoozed or promised to pay.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from bot.config import AppConfig
from bot.domain.aging import local_today
from bot.services.alerts.alert_log import AlertLog
from bot.services.alerts.follow_ups import hidden_invoices, missed_promises
from bot.services.alerts.jobs import AlertChannels, JobResult, OwnerFinder
from bot.services.alerts.port import AlertDelivery, AllClear, OverdueDigest, Recipient
from bot.services.overdue import OverdueInvoice, OverdueReport, OverdueService, OwnerOverdue
from bot.store.session import Database

log = logging.getLogger(__name__)
EVERY_INVOICE = 1_000_000  # the digest carries them all; the chat adapter summarises long lists
DIGEST, OWNER_DM = "overdue_digest", "overdue_dm"


def worst_first(groups: list[OwnerOverdue]) -> list[OwnerOverdue]:
    """Owners whose oldest invoice is the most overdue first; then the most invoices."""
    return sorted(groups, key=lambda g: (-max((i.days_overdue for i in g.invoices), default=0), -g.count,
                                         g.owner_name.casefold()))


def owner_report(report: OverdueReport, group: OwnerOverdue) -> OverdueReport:
    return replace(report, scope="mine", groups=[group], count=group.count, totals=group.totals,
                   buckets=group.buckets)


class OverdueDigestJob:
    def __init__(self, db: Database, config: AppConfig, overdue: OverdueService, owners: OwnerFinder,
                 delivery: Callable[[], AlertDelivery], channels: AlertChannels, alert_log: AlertLog,
                 clock: Callable[[], datetime]) -> None:
        self.db, self.config, self.overdue, self.owners = db, config, overdue, owners
        self.delivery, self.channels, self.log, self.clock = delivery, channels, alert_log, clock

    def report(self) -> tuple[OverdueReport, int]:
        """Today's digest and how many overdue invoices it leaves out (snoozed or promised)."""
        today = local_today(self.clock(), self.config.alerts.timezone)
        hidden = hidden_invoices(self.db, today)
        minimum = self.config.alerts.overdue.min_days_overdue
        left_out: set[str] = set()

        def keep(invoice: OverdueInvoice) -> bool:
            if invoice.days_overdue < minimum:
                return False
            if invoice.invoice_id in hidden:
                left_out.add(invoice.invoice_id)
                return False
            return True

        report = self.overdue.for_everyone(EVERY_INVOICE, keep=keep)
        return replace(report, groups=worst_first(report.groups)), len(left_out)

    def run(self) -> JobResult:
        result = JobResult("overdue")
        report, hidden = self.report()
        period = report.today.isoformat()
        minimum = self.config.alerts.overdue.min_days_overdue
        missed = missed_promises(self.db, report.today)
        if self.channels.alerts is None:
            result.skipped.append("the channel digest: no alerts channel in app.yml (slack.alerts_channel)")
        elif report.count or self.config.alerts.overdue.all_clear:
            alert = (OverdueDigest(report.today, report, None, hidden, minimum, missed) if report.count
                     else AllClear(report.today, hidden))
            what = (f"overdue digest to {self.channels.alerts}: {report.count} invoices, {len(report.groups)} owners"
                    if report.count else f"all clear to {self.channels.alerts}")
            self._post(result, f"channel:{self.channels.alerts}", period, Recipient("channel", self.channels.alerts),
                       alert, what)
        else:
            result.skipped.append("the channel digest: nothing overdue (alerts.overdue.all_clear is off)")
        if self.config.alerts.overdue.dm_owners:
            for group in report.groups:
                self._dm_owner(result, report, group, period, missed)
        return result

    def _dm_owner(self, result: JobResult, report: OverdueReport, group: OwnerOverdue, period: str,
                  missed: dict[str, date]) -> None:
        if group.owner_id is None:
            return  # Unassigned: only in the channel digest
        try:
            owner = self.owners.find(group.owner_id)
        except Exception as exc:  # noqa: BLE001 - the chat platform's user lookup failed: try next run
            result.failed.append(f"DM to {group.owner_name}: could not look up their chat user ({exc})")
            return
        if owner is None or owner.chat_user_id is None:
            why = (f"no chat user with their email ({owner.email})" if owner and owner.email and owner.active
                   else "inactive in Salesforce" if owner and not owner.active else "no email in Salesforce")
            result.skipped.append(f"DM to {group.owner_name}: {why}")
            return
        alert = OverdueDigest(report.today, owner_report(report, group), group.owner_name, 0,
                              self.config.alerts.overdue.min_days_overdue, missed)
        self._post(result, f"owner:{group.owner_id}", period, Recipient("person", owner.chat_user_id), alert,
                   f"overdue list to {group.owner_name} ({owner.chat_user_id}) by DM: {group.count} invoices",
                   kind=OWNER_DM)

    def _post(self, result: JobResult, subject: str, period: str, to: Recipient, alert: OverdueDigest | AllClear,
              what: str, kind: str = DIGEST) -> None:
        claim = self.log.claim(kind, subject, period)
        if claim is None:
            result.skipped.append(f"{what}: already posted for {period}")
            return
        try:
            self.log.deliver(claim, lambda: self.delivery().deliver(to, alert))
        except Exception as exc:  # noqa: BLE001 - kept for the next run, the others still go out
            log.warning("alerts.delivery_failed", extra={"kind": kind, "subject": subject, "error": str(exc)})
            result.failed.append(f"{what}: {exc}")
            return
        result.posted.append(what)
