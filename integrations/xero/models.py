"""Pydantic models of the Xero records Paidup reads, with Xero's field names as aliases.

Attributes are snake_case; ``Field`` aliases are Xero's PascalCase (``invoice_id`` ↔
``InvoiceID``, ``updated_date_utc`` ↔ ``UpdatedDateUTC``). Unknown fields are ignored. Money
is ``Decimal`` (parse the JSON with ``parse_float=Decimal``) and travels with the record's
``currency_code``; dates are ``date``, timestamps aware UTC ``datetime``.

Only the identifying fields are required, so a nested summary (the ``Contact`` inside an
invoice, the ``Payments`` inside an invoice) parses with the same model as a full record.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from integrations.xero.dates import XeroDate, XeroDateTime

_UPPER_WORDS = {"id": "ID", "ids": "IDs", "utc": "UTC"}


def xero_alias(name: str) -> str:
    """``invoice_id`` → ``InvoiceID``, ``updated_date_utc`` → ``UpdatedDateUTC``, ``sub_total`` → ``SubTotal``."""
    return "".join(_UPPER_WORDS.get(part, part.capitalize()) for part in name.split("_"))


class XeroModel(BaseModel):
    model_config = ConfigDict(alias_generator=xero_alias, populate_by_name=True, extra="ignore")
    key_field: ClassVar[str] = ""

    def to_xero(self) -> dict[str, Any]:
        """The record in Xero's field names, without unset fields (for request bodies)."""
        return self.model_dump(by_alias=True, exclude_none=True)


class ValidationMessage(XeroModel):
    message: str = ""


class Address(XeroModel):
    address_type: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None


class Phone(XeroModel):
    phone_type: str | None = None
    phone_number: str | None = None


class PaymentTermDays(XeroModel):
    day: int | None = None
    type: str | None = None


class PaymentTerms(XeroModel):
    sales: PaymentTermDays | None = None
    bills: PaymentTermDays | None = None


class Contact(XeroModel):
    key_field: ClassVar[str] = "ContactID"
    contact_id: str
    contact_number: str | None = None
    account_number: str | None = None
    contact_status: str | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email_address: str | None = None
    addresses: list[Address] = Field(default_factory=list)
    phones: list[Phone] = Field(default_factory=list)
    is_supplier: bool | None = None
    is_customer: bool | None = None
    default_currency: str | None = None
    payment_terms: PaymentTerms | None = None
    website: str | None = None
    updated_date_utc: XeroDateTime | None = None


class LineItem(XeroModel):
    line_item_id: str | None = None
    description: str | None = None
    quantity: Decimal | None = None
    unit_amount: Decimal | None = None
    item_code: str | None = None
    account_code: str | None = None
    tax_type: str | None = None
    tax_amount: Decimal | None = None
    line_amount: Decimal | None = None
    discount_rate: Decimal | None = None


class InvoiceRef(XeroModel):
    """The invoice summary nested in a Payment."""

    invoice_id: str
    invoice_number: str | None = None
    type: str | None = None
    currency_code: str | None = None
    contact: Contact | None = None


class AccountRef(XeroModel):
    account_id: str | None = None
    code: str | None = None


class Payment(XeroModel):
    key_field: ClassVar[str] = "PaymentID"
    payment_id: str
    date: XeroDate | None = None
    amount: Decimal | None = None
    bank_amount: Decimal | None = None
    currency_rate: Decimal | None = None
    reference: str | None = None
    status: str | None = None
    payment_type: str | None = None
    is_reconciled: bool | None = None
    invoice: InvoiceRef | None = None
    account: AccountRef | None = None
    updated_date_utc: XeroDateTime | None = None


class CreditNote(XeroModel):
    key_field: ClassVar[str] = "CreditNoteID"
    credit_note_id: str
    credit_note_number: str | None = None
    type: str | None = None
    status: str | None = None
    contact: Contact | None = None
    date: XeroDate | None = None
    line_amount_types: str | None = None
    line_items: list[LineItem] = Field(default_factory=list)
    sub_total: Decimal | None = None
    total_tax: Decimal | None = None
    total: Decimal | None = None
    applied_amount: Decimal | None = None
    remaining_credit: Decimal | None = None
    currency_code: str | None = None
    reference: str | None = None
    updated_date_utc: XeroDateTime | None = None


class Invoice(XeroModel):
    key_field: ClassVar[str] = "InvoiceID"
    invoice_id: str
    type: str
    status: str
    invoice_number: str | None = None
    reference: str | None = None
    contact: Contact | None = None
    date: XeroDate | None = None
    due_date: XeroDate | None = None
    fully_paid_on_date: XeroDate | None = None
    line_amount_types: str | None = None
    line_items: list[LineItem] = Field(default_factory=list)
    currency_code: str | None = None
    currency_rate: Decimal | None = None
    sub_total: Decimal | None = None
    total_tax: Decimal | None = None
    total: Decimal | None = None
    total_discount: Decimal | None = None
    amount_due: Decimal | None = None
    amount_paid: Decimal | None = None
    amount_credited: Decimal | None = None
    payments: list[Payment] = Field(default_factory=list)
    credit_notes: list[CreditNote] = Field(default_factory=list)
    sent_to_contact: bool | None = None
    has_attachments: bool | None = None
    url: str | None = None
    updated_date_utc: XeroDateTime | None = None

    def is_overdue(self, today: date) -> bool:
        """Due strictly before ``today`` with money still owed."""
        return (self.status == "AUTHORISED" and self.due_date is not None and self.due_date < today
                and (self.amount_due or Decimal(0)) > 0)


class Connection(BaseModel):
    """One organisation connected to the token (``GET /connections``); camelCase like Xero sends it."""

    model_config = ConfigDict(extra="ignore")
    id: str
    tenant_id: str = Field(alias="tenantId")
    tenant_type: str | None = Field(default=None, alias="tenantType")
    tenant_name: str | None = Field(default=None, alias="tenantName")
    created_date_utc: datetime | None = Field(default=None, alias="createdDateUtc")
    updated_date_utc: datetime | None = Field(default=None, alias="updatedDateUtc")
