"""Linking Salesforce accounts to Xero contacts, in DESIGN.md's order:

1. an explicit link (a person chose it, or Paidup created the contact) — never touched here;
2. the configured id field: the account's ``salesforce.account_contact_field`` value equals the
   contact's ContactNumber;
3. the exact normalised name (``bot.domain.names.name_key``);
4. the email domain: the account's website domain equals the contact's email domain.

The first rule that finds anything decides. Fuzzy matches (rapidfuzz) become suggestions for a
person, never links. Several contacts for one account, or several accounts for one contact, are
linked as found and reported as duplicates — never merged.

Links are made inside the sync (they decide whose invoices an answer shows). Suggestions are for a
person to look at later, so a big scoring job (more than ``INLINE_PAIRS`` account × contact pairs:
a first sync of 50,000 unmatched accounts against 50,000 contacts takes tens of seconds) is left
out of the sync: the sync marks them due (``kv`` row ``SUGGESTIONS_DUE``) and
``suggest_pending`` scores them — every minute in `paidup serve`'s scheduler, and at the end of
`paidup sync`. Until then the previous suggestions stay open.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy
from rapidfuzz import fuzz, process
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.base import utcnow
from bot.store.mirror import SfAccount, XeroContact
from bot.store.session import Database, LeaseBusy
from bot.store.state import AccountLink, Kv, LinkSuggestion
from bot.store.upsert import insert_ignoring_duplicates

AUTOMATIC = ("id_field", "name", "email_domain")
MANUAL = ("explicit", "created")
SUGGESTION_CUTOFF = 85
SUGGESTION_BLOCK = 500
SUGGESTIONS_PER_ACCOUNT = 3
INLINE_PAIRS = 10_000_000  # more account × contact pairs than this are scored after the sync (~0.2 s here)
SUGGESTIONS_DUE = "linking.suggestions_due"
SUGGESTIONS_LEASE = "link-suggestions"


@dataclass(frozen=True)
class LinkCounts:
    linked: int
    suggestions: int


@dataclass(frozen=True)
class _Contact:
    id: str
    name_key: str
    contact_number: str | None
    email_domain: str | None


def _id_field_value(account: Any, field: str | None) -> str | None:
    if not field:
        return None
    if field == "Id":
        return account.id
    if field == "AccountNumber":
        return account.account_number
    value = (account.raw or {}).get(field)
    return str(value) if value not in (None, "") else None


class _ContactIndex:
    def __init__(self, contacts: list[_Contact]) -> None:
        self.by_number: dict[str, list[str]] = defaultdict(list)
        self.by_name: dict[str, list[str]] = defaultdict(list)
        self.by_domain: dict[str, list[str]] = defaultdict(list)
        for c in contacts:
            if c.contact_number:
                self.by_number[c.contact_number].append(c.id)
            if c.name_key:
                self.by_name[c.name_key].append(c.id)
            if c.email_domain:
                self.by_domain[c.email_domain].append(c.id)
        self.names = {c.id: c.name_key for c in contacts if c.name_key}

    def match(self, account: Any, id_field: str | None) -> tuple[str, list[str]] | None:
        rules = (("id_field", self.by_number, _id_field_value(account, id_field)),
                 ("name", self.by_name, account.name_key),
                 ("email_domain", self.by_domain, account.website_domain))
        for method, index, key in rules:
            if key and index.get(key):
                return method, index[key]
        return None


def _load_contacts(session: Session) -> list[_Contact]:
    rows = session.execute(select(XeroContact.id, XeroContact.name_key, XeroContact.contact_number,
                                  XeroContact.email_domain).where(XeroContact.status != "GDPRREQUEST")).all()
    return [_Contact(*row) for row in rows]


@dataclass
class _Plan:
    """The links the rules want, and the accounts no rule matched, for the mirror as it is now."""

    index: _ContactIndex
    wanted: dict[tuple[str, str], str]
    unmatched: list[Any]


def _plan(session: Session, id_field: str | None) -> _Plan:
    index = _ContactIndex(_load_contacts(session))
    manual = set(session.scalars(select(AccountLink.sf_account_id).where(AccountLink.method.in_(MANUAL))))
    accounts = session.execute(select(SfAccount.id, SfAccount.name_key, SfAccount.account_number,
                                      SfAccount.website_domain, SfAccount.raw)
                               .where(SfAccount.is_deleted.is_(False))).all()
    wanted: dict[tuple[str, str], str] = {}
    unmatched = []
    for account in accounts:
        if account.id in manual:
            continue
        found = index.match(account, id_field)
        if found is None:
            unmatched.append(account)
            continue
        for contact_id in found[1]:
            wanted[(account.id, contact_id)] = found[0]
    return _Plan(index, wanted, unmatched)


def _linked_contacts(session: Session, wanted: dict[tuple[str, str], str]) -> set[str]:
    return {c for _, c in wanted} | set(session.scalars(
        select(AccountLink.xero_contact_id).where(AccountLink.method.in_(MANUAL))))


def relink(session: Session, id_field: str | None, now: datetime,
           suggest_for: Collection[str] | None = None) -> LinkCounts:
    """Bring the automatic links in line with the mirror as it is now (only the difference is
    written), and refresh fuzzy suggestions for the unmatched accounts in ``suggest_for``
    (None: every unmatched account — the first and the full syncs). A scoring job bigger than
    ``INLINE_PAIRS`` is marked due for ``suggest_pending`` instead (``suggestions`` is then 0)."""
    plan = _plan(session, id_field)
    index, wanted, unmatched = plan.index, plan.wanted, plan.unmatched
    existing = {(a, c): (link_id, m) for link_id, a, c, m in session.execute(
        select(AccountLink.id, AccountLink.sf_account_id, AccountLink.xero_contact_id, AccountLink.method)
        .where(AccountLink.method.in_(AUTOMATIC)))}
    stale = [link_id for pair, (link_id, method) in existing.items() if wanted.get(pair) != method]
    for start in range(0, len(stale), 500):
        session.execute(delete(AccountLink).where(AccountLink.id.in_(stale[start:start + 500])))
    fresh = [{"sf_account_id": a, "xero_contact_id": c, "method": m, "created_at": now}
             for (a, c), m in wanted.items() if existing.get((a, c), (None, None))[1] != m]
    insert_ignoring_duplicates(session, AccountLink, fresh, ["sf_account_id", "xero_contact_id"])
    if suggest_for is not None:
        unmatched = [a for a in unmatched if a.id in suggest_for]
    linked = _linked_contacts(session, wanted)
    if len(unmatched) * max(len(index.names) - len(linked), 0) > INLINE_PAIRS:
        _mark_suggestions_due(session, now)
        return LinkCounts(linked=len(wanted), suggestions=0)
    suggestions = _suggest(session, unmatched, index, linked, now, replace_all=suggest_for is None)
    return LinkCounts(linked=len(wanted), suggestions=suggestions)


def _mark_suggestions_due(session: Session, now: datetime) -> None:
    row = session.get(Kv, SUGGESTIONS_DUE)
    if row is None:
        session.add(Kv(key=SUGGESTIONS_DUE, value=now.isoformat()))
    else:
        row.value = now.isoformat()


def suggestions_due(session: Session) -> datetime | None:
    """When a sync left suggestions to score (None: nothing is waiting)."""
    row = session.get(Kv, SUGGESTIONS_DUE)
    return datetime.fromisoformat(row.value) if row is not None else None


def suggest_pending(db: Database, id_field: str | None, clock: Callable[[], datetime] = utcnow) -> int | None:
    """Score the suggestions a sync left due: every unmatched account against every contact no one
    is linked to, replacing the open suggestions (decided ones stay decided). The number of open
    suggestions written, or None when nothing was due or another process is scoring them."""
    with db.session() as s:
        due = suggestions_due(s)
    if due is None:
        return None
    try:
        with db.lease(SUGGESTIONS_LEASE, ttl=timedelta(minutes=30)), db.session() as s:
            if suggestions_due(s) is None:
                return None  # scored by another process meanwhile
            plan = _plan(s, id_field)
            written = _suggest(s, plan.unmatched, plan.index, _linked_contacts(s, plan.wanted), clock(),
                               replace_all=True)
            row = s.get(Kv, SUGGESTIONS_DUE)
            if row is not None and row.value == due.isoformat():  # a sync that marked them again since: keep
                s.delete(row)
            return written
    except LeaseBusy:
        return None


def _suggest(session: Session, accounts: list[Any], index: _ContactIndex, linked: set[str],
             now: datetime, replace_all: bool) -> int:
    """Fuzzy candidates among contacts nobody is linked to; kept open until a person decides.
    The scoring only reads; the open suggestions are replaced at the end, so a long scoring job
    holds no write lock."""
    choices = [(cid, name) for cid, name in index.names.items() if cid not in linked]
    decided_rows = session.execute(select(LinkSuggestion.sf_account_id, LinkSuggestion.xero_contact_id)
                                   .where(LinkSuggestion.status != "open"))
    decided = {tuple(row) for row in decided_rows}
    rows = _score([a for a in accounts if a.name_key], choices, decided, now)
    stale = delete(LinkSuggestion).where(LinkSuggestion.status == "open")
    if not replace_all:
        stale = stale.where(LinkSuggestion.sf_account_id.in_([a.id for a in accounts]))
    session.execute(stale)
    insert_ignoring_duplicates(session, LinkSuggestion, rows, ["sf_account_id", "xero_contact_id"])
    return len(rows)


def _score(accounts: list[Any], choices: list[tuple[str, str]], decided: set[tuple[str, str]],
           now: datetime) -> list[dict[str, Any]]:
    """Scores every account against every candidate contact in C (``process.cdist``, both cores),
    a block of accounts at a time so memory stays small; the best few at or above the cutoff."""
    if not accounts or not choices:
        return []
    names = [name for _, name in choices]
    rows = []
    for start in range(0, len(accounts), SUGGESTION_BLOCK):
        block = accounts[start:start + SUGGESTION_BLOCK]
        scores = process.cdist([a.name_key for a in block], names, scorer=fuzz.ratio, dtype=numpy.uint8,
                               score_cutoff=SUGGESTION_CUTOFF, workers=-1)
        hits: dict[int, list[tuple[int, int]]] = defaultdict(list)  # below the cutoff cdist wrote 0
        for row, column in zip(*numpy.nonzero(scores), strict=True):
            hits[int(row)].append((-int(scores[row, column]), int(column)))
        for row, found in hits.items():
            account = block[row]
            for minus_score, column in sorted(found)[:SUGGESTIONS_PER_ACCOUNT]:
                contact_id = choices[column][0]
                if (account.id, contact_id) not in decided:
                    rows.append({"sf_account_id": account.id, "xero_contact_id": contact_id,
                                 "score": Decimal(-minus_score), "status": "open", "created_at": now})
    return rows


@dataclass(frozen=True)
class Duplicate:
    """One record on one side linked to several on the other."""

    side: str  # "salesforce" (one account, several contacts) or "xero" (one contact, several accounts)
    record_id: str
    linked_ids: tuple[str, ...]


def duplicates(session: Session) -> list[Duplicate]:
    by_account: dict[str, list[str]] = defaultdict(list)
    by_contact: dict[str, list[str]] = defaultdict(list)
    for account_id, contact_id in session.execute(select(AccountLink.sf_account_id, AccountLink.xero_contact_id)):
        by_account[account_id].append(contact_id)
        by_contact[contact_id].append(account_id)
    found = [Duplicate("salesforce", a, tuple(sorted(c))) for a, c in by_account.items() if len(c) > 1]
    found += [Duplicate("xero", c, tuple(sorted(a))) for c, a in by_contact.items() if len(a) > 1]
    return sorted(found, key=lambda d: (d.side, d.record_id))


def link_explicitly(session: Session, sf_account_id: str, xero_contact_id: str, by: str, now: datetime,
                    method: str = "explicit") -> None:
    """A person's (or Paidup's own) link: replaces the account's automatic links."""
    session.execute(delete(AccountLink).where(AccountLink.sf_account_id == sf_account_id,
                                              AccountLink.method.in_(AUTOMATIC)))
    insert_ignoring_duplicates(session, AccountLink, [{"sf_account_id": sf_account_id,
                                                       "xero_contact_id": xero_contact_id, "method": method,
                                                       "created_by": by, "created_at": now}],
                               ["sf_account_id", "xero_contact_id"])
    for suggestion in session.scalars(select(LinkSuggestion).where(LinkSuggestion.sf_account_id == sf_account_id,
                                                                   LinkSuggestion.status == "open")):
        suggestion.status = "accepted" if suggestion.xero_contact_id == xero_contact_id else "dismissed"
        suggestion.decided_by = by
