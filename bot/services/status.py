""""Has Acme paid?": an account's receivables from the mirror, with how fresh they are.

``StatusService.ask("acme")`` resolves the name (``AccountResolver``) and, for one clear account,
builds a ``StatusAnswer``: amounts due and overdue per currency, open invoices (capped, with a
count of the rest), the last payment, open credit, closed-won deals not yet invoiced, and "as
of". When the mirror is older than ``sync.stale_after_minutes`` it first refreshes that
account's contacts and open invoices live (two Xero calls at most); if that fails the answer
comes from the mirror marked ``stale``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Connection

from bot.config import AppConfig
from bot.domain.aging import local_today
from bot.domain.money import Money
from bot.domain.xero_links import salesforce_record_path
from bot.services import account_ledger as ledger
from bot.services.account_ledger import InvoiceSummary, PaymentSummary, UninvoicedDeal
from bot.services.resolution import AccountRef, AccountResolver, Resolution
from bot.store.base import utcnow
from bot.store.mirror import SfUser, XeroContact, XeroInvoice
from bot.store.session import Database
from bot.store.state import SyncRun, last_good_sync
from bot.sync.service import SyncService

log = logging.getLogger(__name__)

MAX_OPEN_INVOICES = 10  # the rest are counted; a status card stays within Block Kit's limits
MAX_DEALS = 5
MAX_REFRESH_IDS = 50
WHOLE_SOURCE_RUNS = ("full", "incremental", "reconcile")
RUNNING_SYNC_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class StatusAnswer:
    account: AccountRef
    display_name: str
    sf_account_id: str | None
    salesforce_path: str | None  # join to the Salesforce instance URL for a link
    owner_id: str | None
    owner_name: str | None
    xero_contact_ids: tuple[str, ...]
    due: list[Money]  # per currency, never mixed
    overdue: list[Money]
    open_invoices: list[InvoiceSummary]  # most overdue first, at most MAX_OPEN_INVOICES
    more_open_invoices: int  # open invoices not listed
    asked_invoice: InvoiceSummary | None  # the invoice named in the question, whatever its status
    last_payment: PaymentSummary | None
    credit: list[Money]  # open credit notes' remaining credit, per currency
    uninvoiced_deals: list[UninvoicedDeal]  # for "Create invoice"
    today: date  # in alerts.timezone; what days overdue count from
    as_of: datetime | None  # the mirror's freshness for this account (aware UTC)
    stale: bool  # older than sync.stale_after_minutes and a live refresh was not possible
    refreshed_live: bool  # refreshed from Xero just now


@dataclass(frozen=True)
class StatusReply:
    """The resolution, and the answer when it found one account."""

    resolution: Resolution
    answer: StatusAnswer | None


class StatusService:
    def __init__(self, db: Database, config: AppConfig, resolver: AccountResolver,
                 sync: Callable[[], SyncService] | None = None, clock: Callable[[], datetime] = utcnow) -> None:
        """``sync`` gives the sync service for live refreshes (None: answer from the mirror only)."""
        self.db = db
        self.config = config
        self.resolver = resolver
        self._sync = sync
        self.clock = clock

    @property
    def stale_after(self) -> timedelta:
        return timedelta(minutes=self.config.sync.stale_after_minutes)

    def ask(self, query: str, invoice_number: str | None = None) -> StatusReply:
        """Resolve ``query`` (or ``invoice_number``, which wins) and answer for one clear account."""
        resolution = self.resolver.resolve(query, invoice_number)
        account = resolution.account
        if account is None:
            return StatusReply(resolution, None)
        return StatusReply(resolution, self.for_account(account, asked_invoice_id=resolution.invoice_id))

    def for_key(self, key: str) -> StatusAnswer | None:
        """The answer for an ``AccountRef.key`` (a "pick one" button's value)."""
        account = self.resolver.by_key(key)
        return self.for_account(account) if account else None

    def for_account(self, account: AccountRef, asked_invoice_id: str | None = None) -> StatusAnswer:
        now = self.clock()
        with self.db.session() as s:
            c = s.connection()  # Core statements on the session's connection: one transaction, no ORM per query
            head = account_header(c, account)
            if not (account.xero_contact_ids and (head.as_of is None or now - head.as_of > self.stale_after)):
                return self._compose(c, account, head, asked_invoice_id, now, head.as_of, False, False)  # fresh
            open_ids = _open_invoice_ids(c, account.xero_contact_ids)
        refreshed = self._refresh(account.xero_contact_ids, [*open_ids, *filter(None, [asked_invoice_id])], now)
        with self.db.session() as s:
            c = s.connection()
            return self._compose(c, account, account_header(c, account), asked_invoice_id, now,
                                 now if refreshed else head.as_of, not refreshed, refreshed)

    def _compose(self, c: Connection, account: AccountRef, head: AccountHeader, asked_invoice_id: str | None,
                 now: datetime, as_of: datetime | None, stale: bool, refreshed: bool) -> StatusAnswer:
        today = local_today(now, self.config.alerts.timezone)
        contacts = account.xero_contact_ids
        totals = ledger.balances(c, contacts, today)
        shown = ledger.shown_invoices(c, contacts, today, MAX_OPEN_INVOICES, head.short_code)
        asked = ledger.invoice_by_id(c, asked_invoice_id, today, head.short_code) if asked_invoice_id else None
        return StatusAnswer(
            account=account, display_name=account.name or head.contact_name or "", sf_account_id=account.sf_account_id,
            salesforce_path=salesforce_record_path("Account", account.sf_account_id) if account.sf_account_id else None,
            owner_id=account.owner_id, owner_name=head.owner_name, xero_contact_ids=contacts,
            due=totals.due, overdue=totals.overdue, open_invoices=shown, more_open_invoices=totals.count - len(shown),
            asked_invoice=asked,
            last_payment=ledger.last_payment(c, contacts), credit=totals.credit,
            uninvoiced_deals=ledger.uninvoiced_deals(c, account.sf_account_id, MAX_DEALS),
            today=today, as_of=as_of, stale=stale, refreshed_live=refreshed)

    def warm(self) -> None:
        """Build the name index and compile every statement an answer runs (on ids that match
        nothing), so that the first questions after a start do not each wait for that: twenty at
        once took ~0.5 s to ack and answer on the bench mirror (bench/answers.py)."""
        self.resolver.refresh()
        self.resolver.resolve("", "-")  # the invoice-number lookups
        nobody = AccountRef("-", "", "-", ("-",), "-")
        with self.db.session() as s:
            c = s.connection()
            head = account_header(c, nobody)
            self._compose(c, nobody, head, "-", self.clock(), head.as_of, False, False)
            _open_invoice_ids(c, nobody.xero_contact_ids)

    def _refresh(self, contact_ids: tuple[str, ...], invoice_ids: list[str], now: datetime) -> bool:
        """Fetch these contacts and invoices from Xero now; False when that was not possible."""
        if self._sync is None or self._xero_sync_running(now):
            return False
        try:
            sync = self._sync()
            runs = [sync.fetch_records("contacts", list(contact_ids[:MAX_REFRESH_IDS]), kind="refresh")]
            if invoice_ids:
                runs.append(sync.fetch_records("invoices", invoice_ids[:MAX_REFRESH_IDS], kind="refresh"))
        except Exception:  # any failure means: answer from the mirror, marked stale
            log.warning("live refresh of Xero contacts %s failed", ",".join(contact_ids), exc_info=True)
            return False
        if any(run.status not in ("ok", "partial") for run in runs):
            log.warning("live refresh of Xero contacts %s: %s", ",".join(contact_ids),
                        "; ".join(run.error or run.status for run in runs))
            return False
        with self.db.session() as s:
            s.execute(update(XeroContact).where(XeroContact.id.in_(contact_ids)).values(refreshed_at=now))
        return True

    def _xero_sync_running(self, now: datetime) -> bool:
        """A Xero sync holds the lease: a refresh would wait for it, so answer from the mirror."""
        with self.db.session() as s:
            return s.scalar(select(func.count()).select_from(SyncRun).where(
                SyncRun.source == "xero", SyncRun.status == "running",
                SyncRun.started_at > now - RUNNING_SYNC_WINDOW)) > 0


@dataclass(frozen=True)
class AccountHeader:
    """An account's single values, read in one statement (``ACCOUNT_HEADER``)."""

    as_of: datetime | None  # the mirror's freshness for these contacts (``freshness``)
    short_code: str | None  # the Xero organisation's, for invoice deep links
    owner_name: str | None  # the Salesforce account owner's name
    contact_name: str | None  # a linked Xero contact's name, when the account has no name


LAST_WHOLE_XERO_SYNC = last_good_sync("xero", WHOLE_SOURCE_RUNS)
CONTACT_REFRESHES = select(func.count().label("contacts"), func.count(XeroContact.refreshed_at).label("refreshed"),
                           func.min(XeroContact.refreshed_at).label("first_refreshed")) \
    .where(XeroContact.id.in_(ledger.CONTACTS)).subquery()
ACCOUNT_HEADER = select(
    LAST_WHOLE_XERO_SYNC.scalar_subquery().label("synced"), CONTACT_REFRESHES,
    ledger.SHORT_CODE.scalar_subquery().label("short_code"),
    select(SfUser.name).where(SfUser.id == bindparam("owner_id")).scalar_subquery().label("owner_name"),
    select(XeroContact.name).where(XeroContact.id.in_(ledger.CONTACTS)).limit(1).scalar_subquery()
    .label("contact_name"))
OPEN_INVOICE_IDS = select(XeroInvoice.id).where(
    XeroInvoice.contact_id.in_(ledger.CONTACTS), XeroInvoice.status.in_(("AUTHORISED", "SUBMITTED"))) \
    .order_by(XeroInvoice.due_date).limit(MAX_REFRESH_IDS)


def account_header(connection: Connection, account: AccountRef) -> AccountHeader:
    row = connection.execute(ACCOUNT_HEADER, {"contacts": list(account.xero_contact_ids),
                                              "owner_id": account.owner_id}).one()
    # Every linked contact must have been refreshed for the refresh to count (else the sync decides).
    refreshed = row.first_refreshed if row.contacts and row.refreshed == row.contacts else None
    return AccountHeader(freshness(row.synced, refreshed), row.short_code, row.owner_name, row.contact_name)


def freshness(synced: datetime | None, refreshed: datetime | None) -> datetime | None:
    """When the mirror last matched Xero for some contacts: the last whole Xero sync that
    succeeded, or the contacts' own live refresh (the earliest of them) when that is later."""
    if synced is None or (refreshed is not None and refreshed > synced):
        return refreshed
    return synced


def _open_invoice_ids(connection: Connection, contact_ids: tuple[str, ...]) -> list[str]:
    if not contact_ids:
        return []
    return list(connection.scalars(OPEN_INVOICE_IDS, {"contacts": list(contact_ids)}))
