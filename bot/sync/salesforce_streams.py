"""Salesforce streams: users, accounts, opportunities with their line items, and deletions.

Each reads ``WHERE SystemModstamp > cursor ORDER BY SystemModstamp, Id`` page by page (the
cursor is the last record's SystemModstamp and Id, stored with its page); deletions come from
``queryAll`` on ``IsDeleted = true`` from their own cursor.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.config import SalesforceConfig
from bot.domain.names import name_key, website_domain
from bot.store.mirror import SfAccount, SfOpportunity, SfOpportunityLine, SfUser
from bot.store.upsert import insert_rows, update_rows
from bot.sync.engine import Page, Stored
from bot.sync.failures import RecordFailure
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.errors import SalesforceNotFound
from integrations.salesforce.models import Account, DeletedRecord, Opportunity, SObject, User
from integrations.salesforce.paging import ModstampCursor, QueryPage
from integrations.salesforce.soql import in_

SOURCE = "salesforce"
log = logging.getLogger(__name__)


def format_cursor(cursor: ModstampCursor | None) -> str | None:
    if cursor is None:
        return None
    return f"{cursor.modstamp.isoformat()}|{cursor.last_id or ''}"


def parse_cursor(text: str | None) -> ModstampCursor | None:
    if not text:
        return None
    stamp, _, last_id = text.partition("|")
    return ModstampCursor(datetime.fromisoformat(stamp), last_id or None)


def _failures(entity: str, page: QueryPage[Any]) -> list[RecordFailure]:
    return [RecordFailure(SOURCE, entity, f.id or "unknown", f"Salesforce sent a record Paidup can't read: {f.error}",
                          str(f.raw.get("Name") or "") or None) for f in page.failures]


def _known(session: Session, model: type, ids: Sequence[str]) -> dict[str, datetime | None]:
    rows = session.execute(select(model.id, model.system_modstamp).where(model.id.in_(list(ids)))).all()
    return dict(rows)


def _split(session: Session, model: type, rows: list[dict[str, Any]], targeted: bool
           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(new rows, rows whose SystemModstamp differs from what is stored)."""
    known = _known(session, model, [r["id"] for r in rows])
    new = [r for r in rows if r["id"] not in known]
    changed = [r for r in rows if r["id"] in known and (targeted or known[r["id"]] != r["system_modstamp"])]
    return new, changed


class SalesforceStream:
    source = SOURCE
    entity = ""
    model: type[SObject] = SObject

    def __init__(self, client: SalesforceClient, config: SalesforceConfig, *, ids: Sequence[str] = ()) -> None:
        self.client = client
        self.config = config
        self.ids = list(ids)  # a targeted fetch (retries) instead of a cursor pull

    def custom_fields(self) -> list[str]:
        return []

    def pages(self, cursor: str | None) -> Iterator[Page]:
        where = in_("Id", self.ids) if self.ids else None
        pages = self.client.changed_pages(self.model, None if self.ids else parse_cursor(cursor),
                                          custom_fields=self.custom_fields(), where=where)
        for page in pages:
            yield Page(page.records, _failures(self.entity, page),
                       cursor=None if self.ids else format_cursor(page.cursor))


class UserStream(SalesforceStream):
    entity = "users"
    model = User

    def store(self, session: Session, page: Page, now: datetime) -> Stored:
        users: list[User] = list(page.items)
        rows = [{"id": u.id, "name": u.name, "email": (u.email or "").lower() or None, "is_active": u.is_active,
                 "system_modstamp": u.system_modstamp} for u in users]
        return _write(session, SfUser, rows, page, bool(self.ids))


class AccountStream(SalesforceStream):
    entity = "accounts"
    model = Account

    def custom_fields(self) -> list[str]:
        field = self.config.account_contact_field
        return [field] if field and field not in ("Id", "AccountNumber") else []

    def store(self, session: Session, page: Page, now: datetime) -> Stored:
        accounts: list[Account] = list(page.items)
        rows = [{"id": a.id, "name": a.name, "name_key": name_key(a.name), "account_number": a.account_number,
                 "website": a.website, "website_domain": website_domain(a.website), "owner_id": a.owner_id,
                 "billing_street": a.billing_street, "billing_city": a.billing_city,
                 "billing_state": a.billing_state, "billing_postal_code": a.billing_postal_code,
                 "billing_country": a.billing_country, "raw": {k: v for k, v in a.custom_fields.items()},
                 "is_deleted": a.is_deleted, "system_modstamp": a.system_modstamp, "synced_at": now}
                for a in accounts]
        return _write(session, SfAccount, rows, page, bool(self.ids))


class OpportunityStream(SalesforceStream):
    entity = "opportunities"
    model = Opportunity

    def custom_fields(self) -> list[str]:
        writeback = self.config.writeback
        return [f for f in (writeback.invoice_number, writeback.invoice_url, writeback.invoice_status) if f]

    def store(self, session: Session, page: Page, now: datetime) -> Stored:
        opportunities: list[Opportunity] = list(page.items)
        writeback = self.config.writeback

        def custom(o: Opportunity, field: str | None) -> Any:
            return o.custom_fields.get(field) if field else None

        rows = [{"id": o.id, "name": o.name, "account_id": o.account_id, "owner_id": o.owner_id,
                 "stage": o.stage_name, "is_closed": o.is_closed, "is_won": o.is_won, "close_date": o.close_date,
                 "amount": o.amount, "currency": o.currency, "has_line_items": o.has_line_items or bool(o.line_items),
                 "xero_invoice_number": custom(o, writeback.invoice_number),
                 "xero_invoice_url": custom(o, writeback.invoice_url),
                 "xero_invoice_status": custom(o, writeback.invoice_status),
                 "is_deleted": o.is_deleted, "system_modstamp": o.system_modstamp, "synced_at": now}
                for o in opportunities]
        stored = _write(session, SfOpportunity, rows, page, bool(self.ids))
        touched = {r["id"] for r in rows}
        if touched:
            session.execute(delete(SfOpportunityLine).where(SfOpportunityLine.opportunity_id.in_(touched)))
        lines = [{"id": li.id, "opportunity_id": o.id, "product_id": li.product2_id,
                  "product_code": li.product_code or (li.product2.product_code if li.product2 else None),
                  "name": li.name or (li.product2.name if li.product2 else None), "description": li.description,
                  "quantity": li.quantity, "unit_price": li.unit_price, "discount": li.discount,
                  "total_price": li.total_price, "service_date": li.service_date, "sort_order": li.sort_order}
                 for o in opportunities for li in o.line_items if not li.is_deleted]
        if lines:
            insert_rows(session, SfOpportunityLine.__table__, lines)
        return stored


class DeletionStream(SalesforceStream):
    """Accounts and opportunities deleted in Salesforce (``queryAll``), flagged in the mirror."""

    def __init__(self, client: SalesforceClient, config: SalesforceConfig, model: type[SObject],
                 table: type) -> None:
        super().__init__(client, config)
        self.model, self.table = model, table
        self.entity = f"{model.sobject.lower()}_deletions"

    def pages(self, cursor: str | None) -> Iterator[Page]:
        try:
            for page in self.client.deleted_pages(self.model, parse_cursor(cursor)):
                yield Page(page.records, _failures(self.entity, page), cursor=format_cursor(page.cursor))
        except SalesforceNotFound as exc:  # an org API without queryAll: deletions are not seen, the rest syncs
            log.warning("salesforce.deletions_not_served", extra={"entity": self.entity, "error": str(exc)})

    def store(self, session: Session, page: Page, now: datetime) -> Stored:
        records: list[DeletedRecord] = list(page.items)
        ids = [r.id for r in records]
        deleted = 0
        if ids:
            deleted = session.execute(update(self.table).where(self.table.id.in_(ids), self.table.is_deleted.is_(False))
                                      .values(is_deleted=True, synced_at=now)).rowcount or 0
        return Stored(deleted=deleted, synced_ids=[], cursor=page.cursor)


def _write(session: Session, model: type, rows: list[dict[str, Any]], page: Page, targeted: bool) -> Stored:
    new, changed = _split(session, model, rows, targeted)
    if new:
        insert_rows(session, model.__table__, new)
    if changed:
        update_rows(session, model.__table__, changed)
    return Stored(created=len(new), updated=len(changed), synced_ids=[r["id"] for r in rows],
                  cursor=page.cursor)
