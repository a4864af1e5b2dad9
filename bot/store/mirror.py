"""The mirror: Paidup's local copy of Xero and Salesforce records, which answers questions.

Columns keep the platforms' meaning with our names; ``raw`` keeps what we don't model yet.
Every table carries the platform's own modification time (``updated_at_xero``,
``system_modstamp``) so a re-delivered older version never overwrites a newer one.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.store.base import Base, Money, Precise, Rate, UTCDateTime, utcnow

XeroId = String(36)
_OPEN = "status = 'AUTHORISED' AND amount_due > 0"  # ix_xero_invoices_open holds these invoices only
SalesforceId = String(18)


# --- Xero ----------------------------------------------------------------------------------


class XeroContact(Base):
    __tablename__ = "xero_contacts"

    id: Mapped[str] = mapped_column(XeroId, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    name_key: Mapped[str] = mapped_column(String(255), index=True)  # normalised for matching
    contact_number: Mapped[str | None] = mapped_column(String(50), index=True)
    account_number: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(255))
    email_domain: Mapped[str | None] = mapped_column(String(255), index=True)
    status: Mapped[str] = mapped_column(String(20), default="ACTIVE")
    default_currency: Mapped[str | None] = mapped_column(String(3))
    sales_terms_days: Mapped[int | None]
    sales_terms_type: Mapped[str | None] = mapped_column(String(30))
    is_customer: Mapped[bool] = mapped_column(Boolean, default=False)
    raw: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at_xero: Mapped[datetime | None] = mapped_column(UTCDateTime())
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # last live one-contact refresh


class XeroInvoice(Base):
    __tablename__ = "xero_invoices"
    __table_args__ = (
        Index("ix_xero_invoices_status_due", "status", "due_date"),
        Index("ix_xero_invoices_contact_status", "contact_id", "status"),
        # Reports (bot.services.reports.figures): per-contact sums and the monthly series read these
        # covering indexes in their own order, without touching or sorting the table.
        Index("ix_xero_invoices_report", "contact_id", "currency", "type", "status", "date", "due_date", "total",
              "amount_due", "currency_rate"),
        # the open invoices only (receivables, aging, top overdue), and invoices by date with their owner's
        # columns (the period, DSO and the monthly series): migration 0004
        Index("ix_xero_invoices_open", "type", "status", "currency", "contact_id", "due_date", "amount_due",
              "currency_rate", "number", sqlite_where=text(_OPEN), postgresql_where=text(_OPEN)),
        Index("ix_xero_invoices_dated", "type", "date", "currency", "status", "total", "currency_rate", "amount_due",
              "contact_id", "number"),
    )

    id: Mapped[str] = mapped_column(XeroId, primary_key=True)
    number: Mapped[str | None] = mapped_column(String(255), index=True)
    type: Mapped[str] = mapped_column(String(20), default="ACCREC")
    contact_id: Mapped[str] = mapped_column(XeroId)
    status: Mapped[str] = mapped_column(String(20))
    date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    currency_rate: Mapped[Decimal | None] = mapped_column(Rate())
    line_amount_types: Mapped[str | None] = mapped_column(String(20))
    reference: Mapped[str | None] = mapped_column(String(255))
    sub_total: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    total_tax: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    total: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    amount_due: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    amount_paid: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    amount_credited: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    fully_paid_on: Mapped[date | None] = mapped_column(Date)
    sent_to_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    online_url: Mapped[str | None] = mapped_column(Text)
    updated_at_xero: Mapped[datetime | None] = mapped_column(UTCDateTime())
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    lines: Mapped[list[XeroInvoiceLine]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="XeroInvoiceLine.position")


class XeroInvoiceLine(Base):
    __tablename__ = "xero_invoice_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("xero_invoices.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    line_item_id: Mapped[str | None] = mapped_column(XeroId)
    description: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[Decimal | None] = mapped_column(Precise())
    unit_amount: Mapped[Decimal | None] = mapped_column(Precise())
    discount_rate: Mapped[Decimal | None] = mapped_column(Precise())
    item_code: Mapped[str | None] = mapped_column(String(30))
    account_code: Mapped[str | None] = mapped_column(String(10))
    tax_type: Mapped[str | None] = mapped_column(String(50))
    tax_amount: Mapped[Decimal | None] = mapped_column(Money())
    line_amount: Mapped[Decimal | None] = mapped_column(Money())

    invoice: Mapped[XeroInvoice] = relationship(back_populates="lines")


class XeroPayment(Base):
    __tablename__ = "xero_payments"
    __table_args__ = (Index("ix_xero_payments_date", "date", "status", "currency", "amount", "invoice_id",
                            "payment_type"),)  # reports: collected by day

    id: Mapped[str] = mapped_column(XeroId, primary_key=True)
    invoice_id: Mapped[str | None] = mapped_column(XeroId, index=True)
    credit_note_id: Mapped[str | None] = mapped_column(XeroId)
    date: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str | None] = mapped_column(String(3))
    reference: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default="AUTHORISED")
    payment_type: Mapped[str | None] = mapped_column(String(30))
    updated_at_xero: Mapped[datetime | None] = mapped_column(UTCDateTime())
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class XeroCreditNote(Base):
    __tablename__ = "xero_credit_notes"

    id: Mapped[str] = mapped_column(XeroId, primary_key=True)
    number: Mapped[str | None] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(20), default="ACCRECCREDIT")
    contact_id: Mapped[str | None] = mapped_column(XeroId, index=True)
    status: Mapped[str] = mapped_column(String(20))
    date: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    remaining_credit: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    updated_at_xero: Mapped[datetime | None] = mapped_column(UTCDateTime())
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class XeroTaxRate(Base):
    __tablename__ = "xero_tax_rates"

    tax_type: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    rate: Mapped[Decimal] = mapped_column(Precise())
    status: Mapped[str] = mapped_column(String(20))
    can_apply_to_revenue: Mapped[bool] = mapped_column(Boolean, default=True)


class XeroAccount(Base):
    __tablename__ = "xero_accounts"

    id: Mapped[str] = mapped_column(XeroId, primary_key=True)
    code: Mapped[str | None] = mapped_column(String(10), index=True)
    name: Mapped[str] = mapped_column(String(150))
    type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    tax_type: Mapped[str | None] = mapped_column(String(50))


class XeroCurrency(Base):
    __tablename__ = "xero_currencies"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    description: Mapped[str] = mapped_column(String(100), default="")


class XeroItem(Base):
    __tablename__ = "xero_items"

    id: Mapped[str] = mapped_column(XeroId, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), index=True)
    name: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text)
    unit_price: Mapped[Decimal | None] = mapped_column(Precise())
    account_code: Mapped[str | None] = mapped_column(String(10))
    tax_type: Mapped[str | None] = mapped_column(String(50))


class XeroOrganisation(Base):
    __tablename__ = "xero_organisation"

    id: Mapped[str] = mapped_column(XeroId, primary_key=True)
    tenant_id: Mapped[str | None] = mapped_column(XeroId)
    name: Mapped[str] = mapped_column(String(255))
    short_code: Mapped[str | None] = mapped_column(String(20))
    base_currency: Mapped[str] = mapped_column(String(3))
    timezone: Mapped[str | None] = mapped_column(String(60))


# --- Salesforce ----------------------------------------------------------------------------


class SfUser(Base):
    __tablename__ = "sf_users"

    id: Mapped[str] = mapped_column(SalesforceId, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255), index=True)  # stored lower-case
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    system_modstamp: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SfAccount(Base):
    __tablename__ = "sf_accounts"

    id: Mapped[str] = mapped_column(SalesforceId, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    name_key: Mapped[str] = mapped_column(String(255), index=True)
    account_number: Mapped[str | None] = mapped_column(String(40), index=True)
    website: Mapped[str | None] = mapped_column(String(255))
    website_domain: Mapped[str | None] = mapped_column(String(255), index=True)
    owner_id: Mapped[str | None] = mapped_column(SalesforceId, index=True)
    billing_street: Mapped[str | None] = mapped_column(Text)
    billing_city: Mapped[str | None] = mapped_column(String(100))
    billing_state: Mapped[str | None] = mapped_column(String(100))
    billing_postal_code: Mapped[str | None] = mapped_column(String(40))
    billing_country: Mapped[str | None] = mapped_column(String(100))
    raw: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # e.g. the configured link field's value
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    system_modstamp: Mapped[datetime | None] = mapped_column(UTCDateTime())
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SfOpportunity(Base):
    __tablename__ = "sf_opportunities"
    __table_args__ = (Index("ix_sf_opportunities_owner_won", "owner_id", "is_won", "xero_invoice_number"),
                      # reports: an invoice's deal owner (the latest close date wins) without a sort
                      Index("ix_sf_opportunities_invoice_owner", "xero_invoice_number", "close_date", "id",
                            "is_deleted", "owner_id"))

    id: Mapped[str] = mapped_column(SalesforceId, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    account_id: Mapped[str | None] = mapped_column(SalesforceId, index=True)
    owner_id: Mapped[str | None] = mapped_column(SalesforceId)
    stage: Mapped[str] = mapped_column(String(255))
    is_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    is_won: Mapped[bool] = mapped_column(Boolean, default=False)
    close_date: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3))
    has_line_items: Mapped[bool] = mapped_column(Boolean, default=False)
    xero_invoice_number: Mapped[str | None] = mapped_column(String(255))
    xero_invoice_url: Mapped[str | None] = mapped_column(Text)
    xero_invoice_status: Mapped[str | None] = mapped_column(String(40))
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    system_modstamp: Mapped[datetime | None] = mapped_column(UTCDateTime())
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    lines: Mapped[list[SfOpportunityLine]] = relationship(
        back_populates="opportunity", cascade="all, delete-orphan", order_by="SfOpportunityLine.sort_order")


class SfOpportunityLine(Base):
    __tablename__ = "sf_opportunity_lines"

    id: Mapped[str] = mapped_column(SalesforceId, primary_key=True)
    opportunity_id: Mapped[str] = mapped_column(ForeignKey("sf_opportunities.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[str | None] = mapped_column(SalesforceId)
    product_code: Mapped[str | None] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(376))
    description: Mapped[str | None] = mapped_column(String(255))
    quantity: Mapped[Decimal] = mapped_column(Precise())
    unit_price: Mapped[Decimal] = mapped_column(Precise())
    discount: Mapped[Decimal | None] = mapped_column(Precise())
    total_price: Mapped[Decimal | None] = mapped_column(Money())
    service_date: Mapped[date | None] = mapped_column(Date)
    sort_order: Mapped[int | None]

    opportunity: Mapped[SfOpportunity] = relationship(back_populates="lines")
