"""Which account a person means: "acme", "Globex Inc", "INV-0042".

Invoice numbers resolve directly (case-insensitive). Names are tried in order — exact, normalised
(``name_key``), the start of a name, every word in a name, then fuzzy (rapidfuzz) — over
Salesforce accounts and Xero contacts merged through ``AccountLink``, so a linked pair is one
candidate. The first step that finds anything decides: one account is an answer, several are a
choice for the person, none gives the closest names.

Matching runs on an in-memory index of names, rebuilt only when the mirror changed (a finished
sync run or a changed link); user text never reaches SQL except as a bound parameter.
"""

from __future__ import annotations

import bisect
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process
from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bot.domain.intents import MAX_QUERY_CHARS
from bot.domain.names import name_key
from bot.store.mirror import SfAccount, XeroContact, XeroInvoice
from bot.store.session import Database
from bot.store.state import AccountLink, SyncRun

MAX_CANDIDATES = 5
CLOSEST_NAMES = 3
FUZZY_WINNER = 90  # a fuzzy score at least this, clearly ahead of the next, is the answer
FUZZY_LEAD = 8
FUZZY_CANDIDATE = 75
FUZZY_CLOSEST = 40
BACKGROUND_REBUILD_ABOVE = 5_000  # a bigger index is rebuilt in a thread while the old one answers
WHOLE_SOURCE_RUNS = ("full", "incremental", "reconcile")

Outcome = Literal["one", "several", "none"]


@dataclass(frozen=True)
class AccountRef:
    """A customer as people think of it: a Salesforce account with its linked Xero contacts, or
    a Xero contact that no account is linked to."""

    key: str  # "sf:<account id>" or "xero:<contact id>": stable, fits a button value
    name: str  # the Salesforce name where there is an account, else the Xero name
    sf_account_id: str | None
    xero_contact_ids: tuple[str, ...]
    owner_id: str | None = None  # the Salesforce account owner


@dataclass(frozen=True)
class Resolution:
    query: str
    outcome: Outcome
    method: str  # invoice, exact, normalised, prefix, words, fuzzy, none
    candidates: tuple[AccountRef, ...] = ()  # one for "one"; the choice for "several"
    more: int = 0  # candidates left out of a long choice
    closest: tuple[str, ...] = ()  # for "none": the nearest names, to suggest
    invoice_id: str | None = None  # when an invoice number matched

    @property
    def account(self) -> AccountRef | None:
        return self.candidates[0] if self.outcome == "one" else None


@dataclass
class _NameIndex:
    entries: list[AccountRef] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)  # AccountRef.key -> its place in entries
    by_exact: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_name_key: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_word: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_contact: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    sorted_keys: list[str] = field(default_factory=list)
    by_initial: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # fuzzy scans these first

    def add(self, ref: AccountRef, names: Iterable[tuple[str, str]]) -> None:
        position = len(self.entries)
        self.entries.append(ref)
        for name, key in names:
            if position not in self.by_exact[name.casefold()]:
                self.by_exact[name.casefold()].append(position)
            if key and position not in self.by_name_key[key]:
                self.by_name_key[key].append(position)
            for word in key.split():
                self.by_word[word].add(position)
        for contact_id in ref.xero_contact_ids:
            self.by_contact[contact_id].append(position)

    def finish(self) -> None:
        self.sorted_keys = sorted(self.by_name_key)
        for key in self.sorted_keys:
            self.by_initial[key[0]].append(key)
        self.positions = {ref.key: n for n, ref in enumerate(self.entries)}


def build_name_index(session: Session) -> _NameIndex:
    accounts = session.execute(select(SfAccount.id, SfAccount.name, SfAccount.name_key, SfAccount.owner_id)
                               .where(SfAccount.is_deleted.is_(False)).order_by(SfAccount.name)).all()
    contacts = {row.id: row for row in session.execute(
        select(XeroContact.id, XeroContact.name, XeroContact.name_key)
        .where(XeroContact.status != "GDPRREQUEST").order_by(XeroContact.name))}
    linked: dict[str, list[str]] = defaultdict(list)
    for account_id, contact_id in session.execute(
            select(AccountLink.sf_account_id, AccountLink.xero_contact_id).order_by(AccountLink.xero_contact_id)):
        if contact_id in contacts:
            linked[account_id].append(contact_id)
    index = _NameIndex()
    taken: set[str] = set()
    for account in accounts:
        contact_ids = tuple(linked.get(account.id, ()))
        taken.update(contact_ids)
        names = [(account.name, account.name_key)] + [(contacts[c].name, contacts[c].name_key) for c in contact_ids]
        index.add(AccountRef(f"sf:{account.id}", account.name, account.id, contact_ids, account.owner_id), names)
    for contact in contacts.values():
        if contact.id not in taken:
            index.add(AccountRef(f"xero:{contact.id}", contact.name, None, (contact.id,)),
                      [(contact.name, contact.name_key)])
    index.finish()
    return index


# Changes when a whole-source sync stored changes, or a link is made or removed. (A record fetched
# alone — a webhook, a live refresh — is named in the index from the next sync on.) One statement,
# built once: it runs before every answer. Each figure is its own subquery so that SQLite still
# answers max(id) from the primary key and count(*) from the smallest index (`SELECT max(id),
# count(id)` over the links would read every row: 6.6 ms at 50,000 links); the last changed run is
# found walking the primary key back from the newest run, which stops at the first match.
MIRROR_VERSION = select(
    select(SyncRun.id).where(SyncRun.kind.in_(WHOLE_SOURCE_RUNS), SyncRun.finished_at.is_not(None),
                             SyncRun.created + SyncRun.updated + SyncRun.deleted > 0)
    .order_by(SyncRun.id.desc()).limit(1).scalar_subquery(),
    select(func.max(AccountLink.id)).scalar_subquery(),
    select(func.count()).select_from(AccountLink).scalar_subquery())
INVOICE_BY_NUMBER = select(XeroInvoice.id, XeroInvoice.contact_id).where(
    XeroInvoice.number.in_(bindparam("numbers", expanding=True))).limit(1)
INVOICE_BY_LOWER_NUMBER = select(XeroInvoice.id, XeroInvoice.contact_id).where(
    func.lower(XeroInvoice.number) == bindparam("number")).limit(1)


def _mirror_version(session: Session) -> tuple[object, ...]:
    return tuple(session.connection().execute(MIRROR_VERSION).one())


class AccountResolver:
    """Resolves names and invoice numbers; safe to share between threads."""

    def __init__(self, db: Database, build_index: Callable[[Session], _NameIndex] = build_name_index,
                 background_above: int = BACKGROUND_REBUILD_ABOVE) -> None:
        self.db = db
        self._build = build_index
        self._background_above = background_above
        self._index: _NameIndex | None = None
        self._version: tuple[object, ...] | None = None
        self._lock = threading.Lock()
        self._rebuilding: threading.Thread | None = None

    def _current_index(self, session: Session) -> _NameIndex:
        version = _mirror_version(session)
        with self._lock:
            if self._index is not None and version == self._version:
                return self._index
            if self._index is not None and len(self._index.entries) > self._background_above:
                if self._rebuilding is None:
                    self._rebuilding = threading.Thread(target=self._rebuild_in_background, args=(version,),
                                                        name="account-index", daemon=True)
                    self._rebuilding.start()
                return self._index  # a minute-old name list beats a slow answer
            self._index, self._version = self._build(session), version
            return self._index

    def _rebuild_in_background(self, version: tuple[object, ...]) -> None:
        try:
            with self.db.session() as s:
                index = self._build(s)
            with self._lock:
                self._index, self._version = index, version
        finally:
            with self._lock:
                self._rebuilding = None

    def wait_for_rebuild(self, timeout: float = 30.0) -> None:
        """Block until a background rebuild (if one is running) has finished."""
        thread = self._rebuilding
        if thread is not None:
            thread.join(timeout)

    def refresh(self) -> None:
        """Rebuild the name index now (e.g. after a sync in the same process)."""
        with self.db.session() as s, self._lock:
            self._index, self._version = self._build(s), _mirror_version(s)

    def by_key(self, key: str) -> AccountRef | None:
        """The account behind an ``AccountRef.key`` (a button's value), if it still exists."""
        with self.db.session() as s:
            index = self._current_index(s)
        position = index.positions.get(key)
        return index.entries[position] if position is not None else None

    def for_contact(self, contact_id: str) -> AccountRef | None:
        with self.db.session() as s:
            index = self._current_index(s)
        positions = index.by_contact.get(contact_id)
        return index.entries[positions[0]] if positions else None

    def resolve(self, query: str, invoice_number: str | None = None) -> Resolution:
        """The account meant by ``invoice_number`` (when it exists) or else by ``query``."""
        query = _printable(query)[:MAX_QUERY_CHARS]
        invoice_number = _printable(invoice_number or "")
        with self.db.session() as s:
            index = self._current_index(s)
            if invoice_number:  # Core statements on the session's connection: no ORM work per query
                found = self._by_invoice_number(s.connection(), index, invoice_number)
                if found is not None:
                    return found
        if not query:
            return Resolution(invoice_number or "", "none", "none")
        return _resolve_name(index, query)

    def _by_invoice_number(self, connection: Connection, index: _NameIndex, number: str) -> Resolution | None:
        number = number[:MAX_QUERY_CHARS]
        row = connection.execute(INVOICE_BY_NUMBER, {"numbers": sorted({number, number.upper()})}).first() or \
            connection.execute(INVOICE_BY_LOWER_NUMBER, {"number": number.lower()}).first()
        if row is None:
            return None
        positions = index.by_contact.get(row.contact_id, [])
        candidates = tuple(index.entries[p] for p in positions)
        if not candidates:  # a contact not in the index (e.g. GDPR-erased): the invoice still answers
            candidates = (AccountRef(f"xero:{row.contact_id}", "", None, (row.contact_id,)),)
        return Resolution(number, "one" if len(candidates) == 1 else "several", "invoice", candidates[:MAX_CANDIDATES],
                          invoice_id=row.id)


def _printable(text: str) -> str:
    """Control characters (NUL, which PostgreSQL refuses, among them) out; whitespace collapsed."""
    return " ".join("".join(ch for ch in text[:MAX_QUERY_CHARS * 4] if unicodedata.category(ch)[0] != "C").split())


def _choice(index: _NameIndex, query: str, method: str, positions: list[int]) -> Resolution:
    unique = list(dict.fromkeys(positions))
    refs = tuple(index.entries[p] for p in unique[:MAX_CANDIDATES])
    outcome: Outcome = "one" if len(unique) == 1 else "several"
    return Resolution(query, outcome, method, refs, more=max(len(unique) - MAX_CANDIDATES, 0))


def _resolve_name(index: _NameIndex, query: str) -> Resolution:
    exact = index.by_exact.get(query.casefold())
    if exact:
        return _choice(index, query, "exact", exact)
    key = name_key(query)
    if not key:
        return Resolution(query, "none", "none")
    same = index.by_name_key.get(key, [])
    longer = _starting_with(index, key + " ")
    typed_only_the_key = query.casefold().split() == key.split()
    if same and not (longer and typed_only_the_key):
        return _choice(index, query, "normalised", same)
    if same or longer:  # "acme": Acme Corporation, and Acme Logistics GmbH too
        return _choice(index, query, "normalised" if same else "prefix", same + longer)
    words = _with_every_word(index, key)
    if words:
        return _choice(index, query, "words", words)
    return _fuzzy(index, query, key)


def _starting_with(index: _NameIndex, prefix: str, limit: int = 50) -> list[int]:
    found: list[int] = []
    start = bisect.bisect_left(index.sorted_keys, prefix)
    for name in index.sorted_keys[start:start + limit]:
        if not name.startswith(prefix):
            break
        found.extend(index.by_name_key[name])
    return found


def _with_every_word(index: _NameIndex, key: str) -> list[int]:
    sets = sorted((index.by_word.get(word, set()) for word in key.split()), key=len)
    if not sets or not sets[0]:
        return []
    common = set(sets[0]).intersection(*sets[1:])
    return sorted(common, key=lambda p: (len(index.entries[p].name), index.entries[p].name))


def _fuzzy(index: _NameIndex, query: str, key: str) -> Resolution:
    # Names with the same first letter first (a typo there is rare); all names when none is close.
    scored = process.extract(key, index.by_initial.get(key[0], []), scorer=fuzz.ratio, processor=None, limit=12,
                             score_cutoff=FUZZY_CLOSEST) or process.extract(
        key, index.sorted_keys, scorer=fuzz.ratio, processor=None, limit=12, score_cutoff=FUZZY_CLOSEST)
    ranked: list[tuple[int, float]] = []
    for name, score, _ in scored:
        for position in index.by_name_key[name]:
            if all(p != position for p, _ in ranked):
                ranked.append((position, score))
    if ranked and ranked[0][1] >= FUZZY_WINNER and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= FUZZY_LEAD):
        return _choice(index, query, "fuzzy", [ranked[0][0]])
    likely = [p for p, score in ranked if score >= FUZZY_CANDIDATE]
    if likely:
        return _choice(index, query, "fuzzy", likely)
    closest = tuple(dict.fromkeys(index.entries[p].name for p, _ in ranked))[:CLOSEST_NAMES]
    return Resolution(query, "none", "none", closest=closest)
