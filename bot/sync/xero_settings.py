"""The Xero organisation's settings: tax rates, currencies, accounts, items and the organisation
itself. Small, unpaged, rarely changed: read whole (one call each) on the first sync, on a full
sync, and when the stored copy is more than a day old. A settings collection the Xero answering
does not serve (404) is stored as empty and logged, so the contacts and invoices still sync."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from bot.store.mirror import XeroAccount, XeroCurrency, XeroItem, XeroOrganisation, XeroTaxRate
from bot.sync.engine import Page, Stored
from bot.sync.xero_streams import SOURCE, XeroStream, _failures
from integrations.xero import XeroNotFound
from integrations.xero.pages import Page as XeroPage

log = logging.getLogger(__name__)
MAX_AGE = timedelta(days=1)


def _served(read: Callable[[], XeroPage[Any]]) -> XeroPage[Any]:
    """``read()``, or an empty page when Xero answers 404 for the collection."""
    try:
        return read()
    except XeroNotFound as exc:
        log.warning("xero.settings_not_served", extra={"error": str(exc)})
        return XeroPage(number=1, items=[], failures=[], raw_count=0)


class SettingsStream(XeroStream):
    """One page: everything, replaced in one transaction."""

    entity = "settings"

    def due(self, last_full: datetime | None, now: datetime) -> bool:
        return last_full is None or now - last_full > MAX_AGE

    def pages(self, cursor: str | None) -> Iterator[Page]:
        tax_rates, currencies = _served(self.xero.tax_rates), _served(self.xero.currencies)
        accounts, items = _served(self.xero.accounts), _served(self.xero.items)
        organisation = self.xero.organisation()
        invalid = [f for page, name in ((tax_rates, "tax_rates"), (currencies, "currencies"), (accounts, "accounts"),
                                        (items, "items")) for f in _failures(name, page)]
        yield Page([(tax_rates.items, currencies.items, accounts.items, items.items, organisation)], invalid)

    def store(self, session: Session, page: Page, now: datetime) -> Stored:
        tax_rates, currencies, accounts, items, organisation = page.items[0]
        for model in (XeroTaxRate, XeroCurrency, XeroAccount, XeroItem, XeroOrganisation):
            session.execute(delete(model))
        if tax_rates:
            session.execute(insert(XeroTaxRate.__table__), [
                {"tax_type": t.tax_type, "name": t.name or t.tax_type,
                 "rate": t.effective_rate if t.effective_rate is not None else (t.display_tax_rate or Decimal(0)),
                 "status": t.status or "ACTIVE", "can_apply_to_revenue": t.can_apply_to_revenue is not False}
                for t in tax_rates])
        if currencies:
            session.execute(insert(XeroCurrency.__table__), [{"code": c.code, "description": c.description or ""}
                                                   for c in currencies])
        if accounts:
            session.execute(insert(XeroAccount.__table__), [
                {"id": a.account_id, "code": a.code, "name": a.name or a.code or "", "type": a.type or "",
                 "status": a.status or "ACTIVE", "tax_type": a.tax_type} for a in accounts])
        if items:
            session.execute(insert(XeroItem.__table__), [
                {"id": i.item_id, "code": i.code, "name": i.name, "description": i.description,
                 "unit_price": i.sales_details.unit_price if i.sales_details else None,
                 "account_code": i.sales_details.account_code if i.sales_details else None,
                 "tax_type": i.sales_details.tax_type if i.sales_details else None} for i in items])
        session.add(XeroOrganisation(id=organisation.organisation_id, tenant_id=self.xero.tenant_id,
                                     name=organisation.name or "", short_code=organisation.short_code,
                                     base_currency=organisation.base_currency or "USD",
                                     timezone=organisation.timezone))
        count = len(tax_rates) + len(currencies) + len(accounts) + len(items) + 1
        return Stored(updated=count, synced_ids=[], cursor=now.isoformat())


__all__ = ["SOURCE", "SettingsStream"]
