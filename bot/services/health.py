"""How healthy the mirror is: freshness per source, the last error, open failures, unlinked and
duplicate records, API quota left. Used by `/paidup health`, the App Home and `paidup sync`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from bot.services.invoicing import states as invoice_states
from bot.store.mirror import SfAccount, XeroContact, XeroInvoice
from bot.store.session import Database
from bot.store.state import AccountLink, InvoiceDraft, Kv, LinkSuggestion, SyncFailure, SyncRun, last_good_sync
from bot.sync.linking import Duplicate, duplicates

SOURCES = ("xero", "salesforce")
QUOTA_KEY = "quota:{source}"
WHOLE_SOURCE_RUNS = ("full", "incremental")


@dataclass(frozen=True)
class SourceHealth:
    source: str
    last_success: datetime | None
    last_run_status: str | None
    last_error: str | None
    last_error_kind: str | None
    open_failures: int
    quota: dict[str, int] = field(default_factory=dict)  # e.g. {"day_remaining": 4970, "minute_remaining": 58}


@dataclass(frozen=True)
class StuckDraft:
    draft_id: int
    status: str
    requested_by: str
    updated_at: datetime


@dataclass(frozen=True)
class Health:
    sources: list[SourceHealth]
    unlinked_accounts: int
    unlinked_contacts_with_open_invoices: int
    open_suggestions: int
    duplicates: list[Duplicate]
    stuck_drafts: list[StuckDraft]


def save_quota(session: Session, source: str, quota: dict[str, int]) -> None:
    """Remember the quota a source last reported (the sync calls this after each run)."""
    key = QUOTA_KEY.format(source=source)
    row = session.get(Kv, key)
    if row is None:
        session.add(Kv(key=key, value=json.dumps(quota)))
    else:
        row.value = json.dumps(quota)


def source_health(session: Session, source: str) -> SourceHealth:
    # Freshness is the last whole-source pull; a webhook fetch or a one-contact refresh is not.
    last_ok = session.scalar(last_good_sync(source, WHOLE_SOURCE_RUNS))
    last = session.scalars(select(SyncRun).where(SyncRun.source == source, SyncRun.finished_at.is_not(None))
                           .order_by(SyncRun.finished_at.desc()).limit(1)).first()
    failures = session.scalar(select(func.count()).select_from(SyncFailure).where(
        SyncFailure.source == source, SyncFailure.resolved_at.is_(None), SyncFailure.ignored_at.is_(None)))
    quota_row = session.get(Kv, QUOTA_KEY.format(source=source))
    return SourceHealth(
        source=source,
        last_success=last_ok,
        last_run_status=last.status if last else None,
        last_error=last.error if last and last.status == "failed" else None,
        last_error_kind=last.error_kind if last and last.status == "failed" else None,
        open_failures=failures or 0,
        quota=json.loads(quota_row.value) if quota_row else {},
    )


def stuck_drafts(session: Session, older_than: datetime) -> list[StuckDraft]:
    """Drafts sitting in a transitional state (or awaiting approval) since before ``older_than``."""
    rows = session.scalars(select(InvoiceDraft).where(
        InvoiceDraft.status.not_in(invoice_states.FINAL), InvoiceDraft.updated_at < older_than)
        .order_by(InvoiceDraft.updated_at))
    return [StuckDraft(d.id, d.status, d.requested_by, d.updated_at) for d in rows]


def health(db: Database, stuck_before: datetime) -> Health:
    with db.session() as s:
        linked_account = exists().where(AccountLink.sf_account_id == SfAccount.id)
        linked_contact = exists().where(AccountLink.xero_contact_id == XeroContact.id)
        open_invoice = exists().where(XeroInvoice.contact_id == XeroContact.id,
                                      XeroInvoice.status.in_(("AUTHORISED", "SUBMITTED")))
        return Health(
            sources=[source_health(s, source) for source in SOURCES],
            unlinked_accounts=s.scalar(select(func.count()).select_from(SfAccount)
                                       .where(SfAccount.is_deleted.is_(False), ~linked_account)) or 0,
            unlinked_contacts_with_open_invoices=s.scalar(select(func.count()).select_from(XeroContact)
                                                          .where(~linked_contact, open_invoice)) or 0,
            open_suggestions=s.scalar(select(func.count()).select_from(LinkSuggestion)
                                      .where(LinkSuggestion.status == "open")) or 0,
            duplicates=duplicates(s),
            stuck_drafts=stuck_drafts(s, stuck_before),
        )
