"""What Paidup sends to Xero: new invoices, invoice edits, contacts and payments.

Each model dumps to the element Xero expects inside ``{"Invoices": [...]}`` (etc.) with
``to_xero()``; unset fields are left out so Xero applies its defaults.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from integrations.xero.dates import XeroDate
from integrations.xero.models import AccountRef, Address, XeroModel

InvoiceStatus = Literal["DRAFT", "SUBMITTED", "AUTHORISED", "DELETED", "VOIDED"]
LineAmountTypes = Literal["Exclusive", "Inclusive", "NoTax"]


class ContactRef(XeroModel):
    contact_id: str


class NewLineItem(XeroModel):
    description: str
    quantity: Decimal = Decimal(1)
    unit_amount: Decimal | None = None
    account_code: str | None = None
    tax_type: str | None = None
    item_code: str | None = None
    discount_rate: Decimal | None = None
    line_item_id: str | None = None  # set to keep an existing line when editing a draft


class NewInvoice(XeroModel):
    """A sales invoice (``ACCREC``) to create, as DRAFT unless told otherwise."""

    contact: ContactRef
    line_items: list[NewLineItem]
    type: Literal["ACCREC", "ACCPAY"] = "ACCREC"
    status: InvoiceStatus = "DRAFT"
    date: XeroDate | None = None
    due_date: XeroDate | None = None
    currency_code: str | None = None
    line_amount_types: LineAmountTypes | None = None
    reference: str | None = None
    invoice_number: str | None = None
    url: str | None = None


class InvoiceUpdate(XeroModel):
    """Changes to an existing invoice; only the fields set are sent. ``line_items`` replace the set."""

    contact: ContactRef | None = None
    line_items: list[NewLineItem] | None = None
    status: InvoiceStatus | None = None
    date: XeroDate | None = None
    due_date: XeroDate | None = None
    currency_code: str | None = None
    line_amount_types: LineAmountTypes | None = None
    reference: str | None = None
    invoice_number: str | None = None


class NewContact(XeroModel):
    name: str
    contact_number: str | None = None
    email_address: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    default_currency: str | None = None
    addresses: list[Address] = Field(default_factory=list)


class InvoiceIdRef(XeroModel):
    invoice_id: str


class NewPayment(XeroModel):
    """A payment against an AUTHORISED invoice into an account with payments enabled."""

    invoice: InvoiceIdRef
    account: AccountRef
    amount: Decimal
    date: XeroDate
    reference: str | None = None
    currency_rate: Decimal | None = None
