"""The personal App Home: for one chat user, plain data about their money.

- my overdue invoices (``OverdueService.for_owner``, capped),
- my closed-won deals not invoiced yet (opportunity owner = my Salesforce user; capped, with a
  count of the rest),
- my invoice drafts waiting for approval (requested by me, not yet decided),
- for approvers (``approvals.approvers`` and members of ``approvals.approver_groups``, asked through
  the invoicing service's approver check), everyone's drafts waiting for approval,
- how fresh the mirror is, per source.

Who the viewer is in Salesforce comes from ``PeopleService`` with a lookup the chat adapter passes
in, so nothing here knows about Slack. A viewer who maps to nobody still gets the freshness.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config import AppConfig
from bot.domain.money import Money
from bot.services.invoicing import states
from bot.services.overdue import OverdueReport, OverdueService
from bot.services.people import PeopleService, ProfileLookup, UserMapping
from bot.store.base import utcnow
from bot.store.mirror import SfAccount, SfOpportunity
from bot.store.session import Database
from bot.store.state import InvoiceDraft, last_good_sync

OVERDUE_SHOWN = 10
DEALS_SHOWN = 10
DRAFTS_SHOWN = 15
SOURCES = ("salesforce", "xero")
WAITING = states.WAITING  # a draft waits from its Xero DRAFT until approved or rejected (bot.services.invoicing)
WHOLE_SYNCS = ("full", "incremental", "reconcile")
T = TypeVar("T")


@dataclass(frozen=True)
class UninvoicedDeal:
    opportunity_id: str
    name: str
    account_name: str | None
    amount: Money | None  # None: the opportunity has no amount
    close_date: date | None


@dataclass(frozen=True)
class WaitingDraft:
    draft_id: int
    requested_by: str  # chat user id
    account_name: str | None
    total: Money
    status: str
    since: datetime  # when it was asked for


@dataclass(frozen=True)
class Freshness:
    source: str  # "salesforce", "xero"
    as_of: datetime | None  # the last whole sync that succeeded; None: never


@dataclass(frozen=True)
class Listed(Generic[T]):
    items: list[T]
    more: int  # not listed

    @property
    def count(self) -> int:
        return len(self.items) + self.more


@dataclass(frozen=True)
class HomeData:
    viewer: str  # chat user id
    mapping: UserMapping
    overdue: OverdueReport | None  # None: the viewer maps to no Salesforce user
    deals: Listed[UninvoicedDeal]
    my_drafts: Listed[WaitingDraft]
    approval_queue: Listed[WaitingDraft] | None  # None: the viewer is not an approver
    freshness: list[Freshness]

    @property
    def who(self) -> str | None:
        return self.mapping.sf_user.name if self.mapping.sf_user else None


class HomeService:
    def __init__(self, db: Database, config: AppConfig, overdue: OverdueService, people: PeopleService,
                 clock: Callable[[], datetime] = utcnow, is_approver: Callable[[str], bool] | None = None) -> None:
        self.db = db
        self.config = config
        self.overdue = overdue
        self.people = people
        self.clock = clock
        self._is_approver = is_approver

    def is_approver(self, chat_user_id: str) -> bool:
        if self._is_approver is not None:
            return self._is_approver(chat_user_id)
        return chat_user_id in self.config.approvals.approvers

    def for_viewer(self, chat_user_id: str, lookup: ProfileLookup) -> HomeData:
        mapping = self.people.salesforce_user(chat_user_id, lookup)
        sf_user_id = mapping.sf_user_id
        overdue = self.overdue.for_owner(sf_user_id, limit=OVERDUE_SHOWN) if sf_user_id else None
        with self.db.session() as s:
            deals = _uninvoiced_deals(s, sf_user_id) if sf_user_id else Listed([], 0)
            mine = _waiting_drafts(s, chat_user_id)
            queue = _waiting_drafts(s, None) if self.is_approver(chat_user_id) else None
            freshness = [Freshness(source, _last_sync(s, source)) for source in SOURCES]
        return HomeData(chat_user_id, mapping, overdue, deals, mine, queue, freshness)


def _uninvoiced_deals(session: Session, owner_id: str, limit: int = DEALS_SHOWN) -> Listed[UninvoicedDeal]:
    wanted = (SfOpportunity.owner_id == owner_id, SfOpportunity.is_won.is_(True),
              SfOpportunity.xero_invoice_number.is_(None), SfOpportunity.is_deleted.is_(False))
    total = session.scalar(select(func.count()).select_from(SfOpportunity).where(*wanted)) or 0
    rows = session.execute(
        select(SfOpportunity.id, SfOpportunity.name, SfAccount.name, SfOpportunity.amount, SfOpportunity.currency,
               SfOpportunity.close_date)
        .outerjoin(SfAccount, SfAccount.id == SfOpportunity.account_id)
        .where(*wanted)
        .order_by(SfOpportunity.close_date.desc().nulls_last(), SfOpportunity.name, SfOpportunity.id)
        .limit(limit)).all()
    deals = [UninvoicedDeal(opp_id, name, account, Money(currency, amount) if amount is not None else None, closed)
             for opp_id, name, account, amount, currency, closed in rows]
    return Listed(deals, max(total - len(deals), 0))


def _waiting_drafts(session: Session, requested_by: str | None, limit: int = DRAFTS_SHOWN) -> Listed[WaitingDraft]:
    """Drafts waiting for a decision: one person's, or everyone's (``requested_by`` None), oldest first."""
    wanted = [InvoiceDraft.status.in_(WAITING)]
    if requested_by is not None:
        wanted.append(InvoiceDraft.requested_by == requested_by)
    total = session.scalar(select(func.count()).select_from(InvoiceDraft).where(*wanted)) or 0
    rows = session.execute(
        select(InvoiceDraft.id, InvoiceDraft.requested_by, SfAccount.name, InvoiceDraft.total, InvoiceDraft.currency,
               InvoiceDraft.status, InvoiceDraft.created_at)
        .outerjoin(SfAccount, SfAccount.id == InvoiceDraft.sf_account_id)
        .where(*wanted)
        .order_by(InvoiceDraft.created_at, InvoiceDraft.id)
        .limit(limit)).all()
    drafts = [WaitingDraft(draft_id, who, account, Money(currency, amount), status, since)
              for draft_id, who, account, amount, currency, status, since in rows]
    return Listed(drafts, max(total - len(drafts), 0))


def _last_sync(session: Session, source: str) -> datetime | None:
    return session.scalar(last_good_sync(source, WHOLE_SYNCS))
