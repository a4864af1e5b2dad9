"""Paidup's own state: links, sync bookkeeping, the event outbox, invoice drafts and
approvals, the audit and alert logs, encrypted OAuth tokens, and small caches.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Select,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.store.base import Base, Money, Precise, UTCDateTime, utcnow
from bot.store.mirror import SalesforceId, XeroId

# --- linking Salesforce accounts and Xero contacts -----------------------------------------


class AccountLink(Base):
    """A Salesforce Account tied to a Xero Contact, and how the tie was made."""

    __tablename__ = "account_links"
    __table_args__ = (UniqueConstraint("sf_account_id", "xero_contact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sf_account_id: Mapped[str] = mapped_column(SalesforceId, index=True)
    xero_contact_id: Mapped[str] = mapped_column(XeroId, index=True)
    method: Mapped[str] = mapped_column(String(20))  # explicit, created, id_field, name, email_domain
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LinkSuggestion(Base):
    """A fuzzy candidate for a person to confirm or dismiss; never a link by itself."""

    __tablename__ = "link_suggestions"
    __table_args__ = (UniqueConstraint("sf_account_id", "xero_contact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sf_account_id: Mapped[str] = mapped_column(SalesforceId, index=True)
    xero_contact_id: Mapped[str] = mapped_column(XeroId, index=True)
    score: Mapped[Decimal] = mapped_column(Precise())
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, accepted, dismissed
    decided_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# --- sync bookkeeping ----------------------------------------------------------------------


class SyncCursor(Base):
    """Where the next incremental pull of one entity starts. Advanced in the transaction that
    stores the page it covers."""

    __tablename__ = "sync_cursors"

    source: Mapped[str] = mapped_column(String(20), primary_key=True)  # xero, salesforce
    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    cursor: Mapped[str | None] = mapped_column(String(100))
    page: Mapped[int] = mapped_column(Integer, default=0)  # last page stored within the current pull
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    full_synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SyncRun(Base):
    __tablename__ = "sync_runs"
    __table_args__ = (Index("ix_sync_runs_source_started", "source", "started_at"),
                      Index("ix_sync_runs_source_finished", "source", "finished_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))  # full, incremental, webhook, reconcile, retry
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20), default="running")  # running, ok, partial, failed
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    calls: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)  # why the whole run failed, in words
    error_kind: Mapped[str | None] = mapped_column(String(40))  # auth_revoked, day_quota, outage, ...


WHOLE_SYNC_KINDS = ("full", "incremental", "reconcile")  # runs that pull a whole source (not a webhook or refresh)


def last_good_sync(source: str, kinds: Iterable[str] = WHOLE_SYNC_KINDS) -> Select[tuple[datetime]]:
    """When the newest ok (or partly ok) run of ``kinds`` for ``source`` finished. Newest first by
    ``ix_sync_runs_source_finished``, stopping at the first match: ``max(finished_at)`` with these
    conditions read every run of the source (a run every few minutes is ~100,000 runs a year), and it
    is asked before every answer."""
    return (select(SyncRun.finished_at)
            .where(SyncRun.source == source, SyncRun.finished_at.is_not(None), SyncRun.status.in_(("ok", "partial")),
                   SyncRun.kind.in_(tuple(kinds)))
            .order_by(SyncRun.finished_at.desc()).limit(1))


class SyncFailure(Base):
    """One record that could not be synced; retried with backoff until it syncs or is ignored."""

    __tablename__ = "sync_failures"
    __table_args__ = (UniqueConstraint("source", "entity", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(64))
    record_label: Mapped[str | None] = mapped_column(String(255))  # e.g. "INV-0042" or an account name
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ignored_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ignored_by: Mapped[str | None] = mapped_column(String(64))


class WebhookEvent(Base):
    """A Xero webhook event, kept once per (resourceId, eventDateUtc) until its fetch is done."""

    __tablename__ = "webhook_events"
    __table_args__ = (UniqueConstraint("resource_id", "event_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[str] = mapped_column(String(64))
    event_date: Mapped[datetime] = mapped_column(UTCDateTime())
    category: Mapped[str] = mapped_column(String(20))  # INVOICE, CONTACT, CREDITNOTE
    event_type: Mapped[str] = mapped_column(String(20))
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class DomainEvent(Base):
    """The outbox: what a sync found (invoice paid, became overdue, payment received...).

    ``dedupe_key`` makes a change that arrives twice one event; ``handled_at`` is set only
    after the consumer succeeded.
    """

    __tablename__ = "domain_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    subject_id: Mapped[str] = mapped_column(String(64))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class Lease(Base):
    """A named lock with an expiry, taken by a conditional UPDATE: safe across processes on
    SQLite and PostgreSQL alike (one sync per source, one refresh per token, one job run)."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    owner: Mapped[str | None] = mapped_column(String(100))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


# --- invoice drafts and approvals ----------------------------------------------------------


class InvoiceDraft(Base):
    """An invoice a rep asked for, from form to AUTHORISED. ``status`` is a state machine; every
    transition is a conditional UPDATE on (id, version) so two clicks make one change."""

    __tablename__ = "invoice_drafts"
    __table_args__ = (Index("ix_invoice_drafts_status", "status", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[str | None] = mapped_column(SalesforceId, index=True)
    sf_account_id: Mapped[str | None] = mapped_column(SalesforceId)
    requested_by: Mapped[str] = mapped_column(String(64), index=True)  # chat user id
    status: Mapped[str] = mapped_column(String(30), default="new")
    version: Mapped[int] = mapped_column(Integer, default=1)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    xero_contact_id: Mapped[str | None] = mapped_column(XeroId)
    new_contact: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # create-from-account details
    currency: Mapped[str] = mapped_column(String(3))
    line_amount_types: Mapped[str] = mapped_column(String(20), default="Exclusive")
    invoice_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(255))
    sub_total: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    total_tax: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    total: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    xero_invoice_id: Mapped[str | None] = mapped_column(XeroId, unique=True)
    xero_invoice_number: Mapped[str | None] = mapped_column(String(255))
    xero_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # to see edits made in Xero
    approval_channel: Mapped[str | None] = mapped_column(String(64))
    approval_ts: Mapped[str | None] = mapped_column(String(64))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reject_reason: Mapped[str | None] = mapped_column(Text)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    lines: Mapped[list[InvoiceDraftLine]] = relationship(
        back_populates="draft", cascade="all, delete-orphan", order_by="InvoiceDraftLine.position")


class InvoiceDraftLine(Base):
    __tablename__ = "invoice_draft_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("invoice_drafts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Precise())
    unit_amount: Mapped[Decimal] = mapped_column(Precise())
    discount_rate: Mapped[Decimal | None] = mapped_column(Precise())
    item_code: Mapped[str | None] = mapped_column(String(30))
    account_code: Mapped[str] = mapped_column(String(10))
    tax_type: Mapped[str] = mapped_column(String(50))
    line_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))

    draft: Mapped[InvoiceDraft] = relationship(back_populates="lines")


class AuditEntry(Base):
    """Who did what, when, to which record — every step of the invoice lifecycle and more."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))  # chat user id, or "system"
    action: Mapped[str] = mapped_column(String(60))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(64))
    xero_id: Mapped[str | None] = mapped_column(String(64))
    salesforce_id: Mapped[str | None] = mapped_column(String(18))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# --- alerts --------------------------------------------------------------------------------


class AlertLogEntry(Base):
    """One posted alert, keyed by (kind, subject, period): a re-run posts nothing twice."""

    __tablename__ = "alert_log"
    __table_args__ = (UniqueConstraint("kind", "subject", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending, posted, failed
    channel: Mapped[str | None] = mapped_column(String(64))
    ts: Mapped[str | None] = mapped_column(String(64))  # to update the message later
    fingerprint: Mapped[str | None] = mapped_column(String(64))  # what was said, to post again only on change
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class InvoiceFollowUp(Base):
    """A person's note on an invoice: snoozed in digests until a date, or promised to pay."""

    __tablename__ = "invoice_follow_ups"
    __table_args__ = (Index("ix_invoice_follow_ups_invoice", "invoice_id", "until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[str] = mapped_column(XeroId)
    kind: Mapped[str] = mapped_column(String(20))  # snooze, promise
    until: Mapped[date] = mapped_column(Date)
    by_user: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PaymentWatch(Base):
    """"Remind me when paid": a person to tell when an invoice is paid."""

    __tablename__ = "payment_watches"
    __table_args__ = (UniqueConstraint("invoice_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[str] = mapped_column(XeroId, index=True)
    user_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


# --- credentials and chat caches -----------------------------------------------------------


class OAuthToken(Base):
    """A provider's tokens, Fernet-encrypted with PAIDUP_SECRET_KEY. Never stored in clear."""

    __tablename__ = "oauth_tokens"

    provider: Mapped[str] = mapped_column(String(20), primary_key=True)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ChatUser(Base):
    """A chat user mapped to a Salesforce user by email (cached from users.info)."""

    __tablename__ = "chat_users"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(10), default="slack")
    email: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str | None] = mapped_column(String(255))
    sf_user_id: Mapped[str | None] = mapped_column(SalesforceId, index=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SeenChatEvent(Base):
    """Events API ids already handled, so a Slack retry does not answer twice."""

    __tablename__ = "seen_chat_events"

    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class Kv(Base):
    """Small named facts that fit no table (e.g. the connected Xero tenant's name)."""

    __tablename__ = "kv"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


__all__ = [
    "AccountLink", "AlertLogEntry", "AuditEntry", "ChatUser", "DomainEvent", "InvoiceDraft", "InvoiceDraftLine",
    "InvoiceFollowUp", "Kv", "Lease", "LinkSuggestion", "OAuthToken", "PaymentWatch", "SeenChatEvent", "SyncCursor",
    "SyncFailure", "SyncRun", "WebhookEvent",
]
