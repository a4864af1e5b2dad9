"""What the invoicing service takes and returns: plain data, no chat concepts.

``InvoiceInput`` is what a person submitted (from a Slack modal, a Teams card, a test); field names
in ``FieldError.field`` are stable so an adapter can put each message next to its input:
``contact``, ``currency``, ``invoice_date``, ``due_date``, ``reference``, ``lines`` and, per line,
``line:<key>:description|quantity|unit_amount|discount_rate|account_code|tax_type``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from bot.domain.money import Money

NEW_CONTACT = "new"  # the contact choice "create a Xero contact from the Salesforce account"


@dataclass(frozen=True)
class LineInput:
    key: str  # stable per form line (the adapter's block ids hang on it)
    description: str
    quantity: Decimal | None
    unit_amount: Decimal | None
    discount_rate: Decimal | None = None
    account_code: str = ""
    tax_type: str = ""
    item_code: str | None = None


@dataclass(frozen=True)
class InvoiceInput:
    opportunity_id: str
    contact: str  # a Xero ContactID, or NEW_CONTACT
    currency: str
    invoice_date: date | None
    due_date: date | None
    reference: str
    lines: list[LineInput]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class ContactChoice:
    value: str  # ContactID or NEW_CONTACT
    label: str
    kind: str  # linked, suggested, named, new
    archived: bool = False


@dataclass(frozen=True)
class TaxChoice:
    value: str  # TaxType
    label: str
    rate: Decimal
    for_revenue: bool


@dataclass(frozen=True)
class NewContactDetails:
    name: str
    address: list[str]  # billing address lines from the Salesforce account


@dataclass(frozen=True)
class OpportunitySummary:
    id: str
    name: str
    account_id: str | None
    account_name: str | None
    amount: Money | None
    close_date: date | None
    owner_name: str | None


@dataclass(frozen=True)
class LineTotal:
    key: str
    line_amount: Decimal
    tax_amount: Decimal


@dataclass(frozen=True)
class Totals:
    currency: str
    sub_total: Decimal
    total_tax: Decimal
    total: Decimal
    total_discount: Decimal
    lines: list[LineTotal] = field(default_factory=list)


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass(frozen=True)
class InvoiceForm:
    """A form pre-filled from an opportunity (or a draft, when editing), with its choices."""

    opportunity: OpportunitySummary
    input: InvoiceInput
    contacts: list[ContactChoice]
    new_contact: NewContactDetails | None
    currencies: list[Choice]
    accounts: list[Choice]
    tax_rates: list[TaxChoice]
    line_amount_types: str
    totals: Totals
    draft_id: int | None = None  # set when the form edits an existing draft
    notes: list[str] = field(default_factory=list)
    # the due date when it is the one the contact's terms give (it then follows the contact and the
    # invoice date: InvoicingService.follow_terms); None when someone chose another
    derived_due: date | None = None


@dataclass(frozen=True)
class OpportunityOption:
    id: str
    label: str  # "Acme Corporation - Expansion 2027 · $14,900.00"


@dataclass(frozen=True)
class DraftLine:
    description: str
    quantity: Decimal
    unit_amount: Decimal
    discount_rate: Decimal | None
    account_code: str
    tax_type: str
    item_code: str | None
    line_amount: Decimal


@dataclass(frozen=True)
class MessageRef:
    """Where a chat adapter posted something it may change later (opaque to the service)."""

    channel: str
    ts: str


@dataclass(frozen=True)
class DraftSummary:
    id: int
    status: str
    version: int
    requested_by: str
    opportunity_id: str | None
    opportunity_name: str | None
    account_name: str | None
    contact_name: str | None
    currency: str
    line_amount_types: str
    invoice_date: date
    due_date: date
    reference: str | None
    lines: list[DraftLine]
    sub_total: Money
    total_tax: Money
    total: Money
    xero_invoice_id: str | None
    xero_invoice_number: str | None
    xero_url: str | None
    decided_by: str | None
    decided_at: datetime | None
    reject_reason: str | None
    last_error: str | None
    approval_message: MessageRef | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class SubmitOutcome:
    """``ok``: the draft exists in Xero and waits for approval. Otherwise ``errors`` say why, each on
    its field (Xero's own words where Xero refused)."""

    ok: bool
    draft: DraftSummary | None = None
    errors: list[FieldError] = field(default_factory=list)
    repeated: bool = False  # the same submission was seen before (double click, retry)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class XeroChange:
    field: str
    ours: str
    xeros: str


@dataclass(frozen=True)
class DecisionOutcome:
    """What became of an approve / reject / edit. ``code`` for the adapter, ``message`` in words."""

    ok: bool
    code: str  # approved, rejected, updated, already_decided, busy, not_allowed, four_eyes, changed_in_xero,
    #            xero_error, not_found, invalid
    message: str
    draft: DraftSummary | None = None
    changes: list[XeroChange] = field(default_factory=list)  # when the draft was changed in Xero meanwhile
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
