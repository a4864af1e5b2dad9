"""What an alert says, and the port a chat platform implements to deliver it.

The alert services decide *what* to tell *whom* and *when*; an adapter (Slack: ``handlers.slack.
alerts.delivery``; a Teams one later) decides how it looks and gets it there. Everything here is
plain data: no Block Kit, no Adaptive Cards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, Protocol

from bot.domain.money import Money
from bot.services.overdue import OverdueReport


@dataclass(frozen=True)
class Recipient:
    """A channel (by id) or a person (by chat user id: the adapter opens the DM)."""

    kind: Literal["channel", "person"]
    id: str

    def key(self) -> str:
        return f"{'ch' if self.kind == 'channel' else 'dm'}:{self.id}"


@dataclass(frozen=True)
class MessageRef:
    """A delivered message, opaque to the services: where it is and its id there (Slack: channel
    and ``ts``), stored in the alert log to update it later."""

    channel: str
    id: str


@dataclass(frozen=True)
class OverdueDigest:
    """The overdue list for a channel (``owner_name`` None) or one owner's DM."""

    today: date
    report: OverdueReport  # groups worst offenders first; every invoice, the adapter summarises
    owner_name: str | None
    hidden: int  # overdue invoices left out: snoozed or promised to pay
    min_days_overdue: int
    missed_promises: Mapping[str, date] = field(default_factory=dict)  # invoice id → the promised day, past


@dataclass(frozen=True)
class AllClear:
    today: date
    hidden: int


@dataclass(frozen=True)
class PaymentNotice:
    """A payment landed on an invoice: "Acme paid INV-0042: $5,000.00 — fully paid"."""

    account_name: str
    invoice_id: str
    invoice_number: str | None
    xero_url: str | None
    amount: Money
    remaining: Money  # zero: fully paid
    paid_on: date | None
    reason: Literal["owner", "watch", "channel"]  # why this recipient hears of it

    @property
    def fully_paid(self) -> bool:
        return self.remaining.amount <= 0


@dataclass(frozen=True)
class FailedRecordAlert:
    """One record that does not sync (``state`` open), or its alert once resolved or ignored."""

    failure_id: int
    source: str  # xero, salesforce
    entity: str  # invoices, contacts, accounts, ...
    record: str  # a label people know (INV-0042, an account name) or the record id
    record_id: str
    error: str  # in words
    attempts: int
    first_seen: datetime
    state: Literal["open", "resolved", "ignored"]
    by: str | None = None  # who ignored it (chat user id)
    at: datetime | None = None  # when it was resolved or ignored


@dataclass(frozen=True)
class SourceOutage:
    """A whole source down (auth revoked, daily quota used up, a setting missing): one alert with
    what to do, updated when the source syncs again."""

    source: str
    kind: str  # auth_revoked, day_quota, config
    error: str  # the run's error in words, with what to do
    fix: str  # the command or step that fixes it
    since: datetime
    failed_runs: int
    state: Literal["open", "resolved"]
    resolved_at: datetime | None = None


Alert = OverdueDigest | AllClear | PaymentNotice | FailedRecordAlert | SourceOutage


class AlertDelivery(Protocol):
    """Implemented by each chat adapter. Both calls raise on failure (the caller keeps the alert
    to deliver later); a rate limit is waited out inside, never dropped."""

    platform: str  # whose user ids a person Recipient carries: "slack", "teams" (as in PeopleService)

    def deliver(self, to: Recipient, alert: Alert) -> MessageRef:
        """Post ``alert`` (long ones may span several messages); the reference of the first."""
        ...

    def update(self, ref: MessageRef, alert: Alert) -> None:
        """Replace a delivered alert's content (a failure resolved, an outage over)."""
        ...

    def person_for_email(self, email: str) -> str | None:
        """The chat user with this email address (to DM a Salesforce owner), None if none."""
        ...
