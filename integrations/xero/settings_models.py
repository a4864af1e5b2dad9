"""Models of the organisation's settings (read in one call each, no paging): tax rates,
currencies, accounts, items and the organisation itself."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from integrations.xero.dates import XeroDate, XeroDateTime
from integrations.xero.models import XeroModel


class TaxRate(XeroModel):
    key_field: ClassVar[str] = "TaxType"
    tax_type: str
    name: str | None = None
    status: str | None = None
    report_tax_type: str | None = None
    can_apply_to_revenue: bool | None = None
    display_tax_rate: Decimal | None = None
    effective_rate: Decimal | None = None


class Currency(XeroModel):
    key_field: ClassVar[str] = "Code"
    code: str
    description: str | None = None


class Account(XeroModel):
    key_field: ClassVar[str] = "AccountID"
    account_id: str
    code: str | None = None
    name: str | None = None
    type: str | None = None
    status: str | None = None
    tax_type: str | None = None
    enable_payments_to_account: bool | None = None
    currency_code: str | None = None
    updated_date_utc: XeroDateTime | None = None


class ItemDetails(XeroModel):
    unit_price: Decimal | None = None
    account_code: str | None = None
    tax_type: str | None = None


class Item(XeroModel):
    key_field: ClassVar[str] = "ItemID"
    item_id: str
    code: str
    name: str | None = None
    description: str | None = None
    is_sold: bool | None = None
    is_purchased: bool | None = None
    sales_details: ItemDetails | None = None
    updated_date_utc: XeroDateTime | None = None


class Organisation(XeroModel):
    key_field: ClassVar[str] = "OrganisationID"
    organisation_id: str
    name: str | None = None
    legal_name: str | None = None
    short_code: str | None = None
    base_currency: str | None = None
    country_code: str | None = None
    timezone: str | None = None
    is_demo_company: bool | None = None
    version: str | None = None
    pays_tax: bool | None = None
    period_lock_date: XeroDate | None = None
    end_of_year_lock_date: XeroDate | None = None
