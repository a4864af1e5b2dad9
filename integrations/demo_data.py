"""The demo data set shared by the Xero sandbox, the Salesforce sandbox and `paidup demo`.

One fictional company ("Paidup Demo Ltd", base currency USD) sells to a handful of customers
that exist in Salesforce, in Xero, or both, chosen to exercise every linking rule:

| Salesforce account          | Xero contact                | links by                                  |
| --------------------------- | --------------------------- | ----------------------------------------- |
| Acme Corporation            | Acme Corporation            | ContactNumber = Account Id (id field)     |
| Acme Logistics GmbH         | Acme Logistics GmbH         | ContactNumber = Account Id (makes "acme" ambiguous) |
| Globex, Inc.                | Globex Inc                  | exact normalised name                     |
| Initech LLC                 | Initech Software            | email domain (initech.example)            |
| O'Brien & Sons              | O'Brien & Sons Ltd          | normalised name (legal suffix dropped)    |
| Müller GmbH                 | Müller GmbH                 | exact normalised name                     |
| Umbrella Corp               | Umbrela Corporation         | nothing: a near-duplicate, fuzzy suggestion only |
| Hooli                       | Hooli, Hooli Inc            | two Xero contacts for one account: a duplicate |
| Stark Industries            | —                           | no Xero contact                           |
| —                           | Wayne Enterprises           | no Salesforce account ("Unassigned")      |

Dates are offsets in days from a `today` the caller gives, so "overdue by 45 days" stays true
whenever the demo runs and tests can freeze the clock. Identifiers are deterministic (uuid5 and
18-character Salesforce ids), so tests can name records. Money is `Decimal`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

_NS = uuid.UUID("6b1f0f1e-2c55-4d0e-9a57-70a1d0c0de00")


def demo_uuid(name: str) -> str:
    """A stable UUID for a named demo record (e.g. ``demo_uuid("invoice:INV-0001")``)."""
    return str(uuid.uuid5(_NS, name))


def sf_id(prefix: str, n: int) -> str:
    """An 18-character Salesforce-style id: 3-char key prefix, org-ish filler, a counter."""
    return f"{prefix}5g000001{n:04d}AAA"[:18].ljust(18, "A")


# --- Xero organisation and reference data -------------------------------------------------

ORGANISATION = {
    "OrganisationID": demo_uuid("organisation"),
    "Name": "Paidup Demo Ltd",
    "LegalName": "Paidup Demo Ltd",
    "ShortCode": "!pD3mo",
    "BaseCurrency": "USD",
    "CountryCode": "US",
    "Timezone": "EASTERNSTANDARDTIME",
    "IsDemoCompany": True,
    "Version": "US",
    "OrganisationType": "COMPANY",
    "PaysTax": True,
}
TENANT_ID = demo_uuid("tenant")
TENANT_NAME = "Paidup Demo Ltd"

CURRENCIES = [
    ("USD", "United States Dollar"),
    ("GBP", "British Pound"),
    ("EUR", "Euro"),
    ("AUD", "Australian Dollar"),
]

# (TaxType, Name, rate %, can apply to revenue)
TAX_RATES = [
    ("OUTPUT", "Sales Tax on Income", Decimal("10.00"), True),
    ("TAX001", "Standard VAT 20%", Decimal("20.00"), True),
    ("EXEMPTOUTPUT", "Exempt Income", Decimal("0.00"), True),
    ("NONE", "Tax Exempt", Decimal("0.00"), True),
    ("INPUT", "Sales Tax on Purchases", Decimal("10.00"), False),
]

# (Code, Name, Type, TaxType, EnablePaymentsToAccount)
ACCOUNTS = [
    ("090", "Business Bank Account", "BANK", "NONE", True),
    ("200", "Sales", "REVENUE", "OUTPUT", False),
    ("260", "Other Revenue", "REVENUE", "OUTPUT", False),
    ("270", "Interest Income", "REVENUE", "NONE", False),
    ("400", "Advertising", "EXPENSE", "INPUT", False),
    ("610", "Accounts Receivable", "CURRENT", "NONE", False),
]

# (Code, Name, Description, UnitPrice, AccountCode)
ITEMS = [
    ("PLAT-ANNUAL", "Platform licence (annual)", "Paidup Platform annual licence", Decimal("12000.00"), "200"),
    ("SEAT", "Additional seat", "Additional user seat, 12 months", Decimal("240.00"), "200"),
    ("ONBOARD", "Onboarding", "Onboarding and training package", Decimal("2500.00"), "260"),
    ("SUPPORT-PREM", "Premium support", "Premium support, 12 months", Decimal("3600.00"), "200"),
]


# --- Salesforce users -----------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    id: str
    name: str
    email: str
    slack_id: str  # the Slack stand-in's user with the same email
    is_active: bool = True


USERS = [
    DemoUser(sf_id("005", 1), "Rita Rep", "rita.rep@paidup.example", "U0REP0001"),
    DemoUser(sf_id("005", 2), "Sam Seller", "sam.seller@paidup.example", "U0REP0002"),
    DemoUser(sf_id("005", 3), "Fiona Finance", "fiona.finance@paidup.example", "U0FINANCE1"),
    DemoUser(sf_id("005", 4), "Olga Oldtimer", "olga.old@paidup.example", "U0OLD0001", is_active=False),
]
REP, SELLER, FINANCE, FORMER = USERS


# --- Customers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Address:
    street: str
    city: str
    state: str
    postal_code: str
    country: str


@dataclass(frozen=True)
class DemoAccount:
    """A Salesforce Account."""

    key: str
    id: str
    name: str
    owner: DemoUser
    website: str | None
    account_number: str | None
    billing: Address | None
    phone: str | None = None


@dataclass(frozen=True)
class DemoContact:
    """A Xero Contact. ``contact_number`` is the Salesforce Account Id where the two are tied."""

    key: str
    name: str
    email: str | None
    contact_number: str | None = None
    status: str = "ACTIVE"
    default_currency: str | None = None
    sales_payment_terms_days: int | None = None
    address: Address | None = None

    @property
    def id(self) -> str:
        return demo_uuid(f"contact:{self.key}")


def _acct(n: int, key: str, name: str, owner: DemoUser, website: str | None, billing: Address | None,
          account_number: str | None = None) -> DemoAccount:
    return DemoAccount(key, sf_id("001", n), name, owner, website, account_number, billing)


ACME_ADDR = Address("1 Road Runner Way", "Phoenix", "AZ", "85001", "United States")
ACCOUNTS_SF = [
    _acct(1, "acme", "Acme Corporation", REP, "https://www.acme.example", ACME_ADDR, "ACME-001"),
    _acct(2, "acme-logistics", "Acme Logistics GmbH", SELLER, "https://acme-logistics.example",
          Address("Hafenstraße 5", "Hamburg", "", "20457", "Germany")),
    _acct(3, "globex", "Globex, Inc.", REP, "https://globex.example",
          Address("42 Cypress Creek", "Springfield", "OR", "97477", "United States")),
    _acct(4, "initech", "Initech LLC", SELLER, "http://www.initech.example",
          Address("4120 Freidrich Lane", "Austin", "TX", "78744", "United States")),
    _acct(5, "obrien", "O'Brien & Sons", REP, "https://obrien-sons.example",
          Address("12 Grafton Street", "Dublin", "", "D02", "Ireland")),
    _acct(6, "muller", "Müller GmbH", SELLER, "https://mueller.example",
          Address("Königsallee 1", "Düsseldorf", "", "40212", "Germany")),
    _acct(7, "umbrella", "Umbrella Corp", REP, "https://umbrella.example",
          Address("1 Hive Road", "Raccoon City", "MO", "63101", "United States")),
    _acct(8, "hooli", "Hooli", SELLER, "https://hooli.example",
          Address("1 Hacker Way", "Palo Alto", "CA", "94301", "United States")),
    _acct(9, "stark", "Stark Industries", REP, "https://stark.example",
          Address("10880 Malibu Point", "Malibu", "CA", "90265", "United States")),
]
SF_ACCOUNT = {a.key: a for a in ACCOUNTS_SF}

CONTACTS_XERO = [
    DemoContact("acme", "Acme Corporation", "accounts@acme.example", SF_ACCOUNT["acme"].id,
                default_currency="USD", address=ACME_ADDR),
    DemoContact("acme-logistics", "Acme Logistics GmbH", "buchhaltung@acme-logistics.example",
                SF_ACCOUNT["acme-logistics"].id, default_currency="EUR"),
    DemoContact("globex", "Globex Inc", "ap@globex.example", sales_payment_terms_days=14),
    DemoContact("initech", "Initech Software", "ap@initech.example"),
    DemoContact("obrien", "O'Brien & Sons Ltd", "finance@obrien-sons.example", default_currency="EUR"),
    DemoContact("muller", "Müller GmbH", "rechnung@mueller.example", default_currency="EUR"),
    DemoContact("umbrella", "Umbrela Corporation", "billing@umbrela.example"),
    DemoContact("hooli", "Hooli", "ap@hooli.example"),
    DemoContact("hooli-inc", "Hooli Inc", "payables@hooli.example"),
    DemoContact("wayne", "Wayne Enterprises", "ap@wayne.example", default_currency="GBP"),
    DemoContact("archived", "Cyberdyne Systems", "ap@cyberdyne.example", status="ARCHIVED"),
]
XERO_CONTACT = {c.key: c for c in CONTACTS_XERO}


# --- Invoices -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLine:
    description: str
    quantity: Decimal
    unit_amount: Decimal
    account_code: str = "200"
    tax_type: str = "OUTPUT"
    item_code: str | None = None
    discount_rate: Decimal | None = None


@dataclass(frozen=True)
class DemoPayment:
    days_ago: int
    amount: Decimal
    reference: str = ""

    def id(self, invoice_number: str, n: int) -> str:
        return demo_uuid(f"payment:{invoice_number}:{n}")


@dataclass(frozen=True)
class DemoInvoice:
    """A Xero ACCREC invoice. ``issued_days_ago``/``due_in_days`` are relative to today."""

    number: str
    contact: str  # DemoContact.key
    currency: str
    status: str  # DRAFT, SUBMITTED, AUTHORISED, PAID, VOIDED
    issued_days_ago: int
    due_in_days: int  # negative: overdue
    lines: tuple[DemoLine, ...]
    payments: tuple[DemoPayment, ...] = ()
    reference: str = ""
    line_amount_types: str = "Exclusive"

    @property
    def id(self) -> str:
        return demo_uuid(f"invoice:{self.number}")


def _l(desc: str, qty: str, unit: str, tax: str = "OUTPUT", **kw) -> DemoLine:
    return DemoLine(desc, Decimal(qty), Decimal(unit), tax_type=tax, **kw)


def _p(days_ago: int, amount: str, ref: str = "") -> DemoPayment:
    return DemoPayment(days_ago, Decimal(amount), ref)


INVOICES = [
    # Acme Corporation: two currencies, paid / part-paid overdue / overdue / not yet due / draft / voided
    DemoInvoice("INV-0001", "acme", "USD", "PAID", 90, -60, (_l("Platform licence 2026", "1", "10000.00"),),
                (_p(55, "11000.00", "Wire 55813"),)),
    DemoInvoice("INV-0002", "acme", "USD", "AUTHORISED", 40, -10,
                (_l("Additional seats", "25", "240.00"), _l("Onboarding", "1", "2500.00")),
                (_p(5, "3000.00", "Part payment"),), reference="PO-7781"),
    DemoInvoice("INV-0003", "acme", "GBP", "AUTHORISED", 75, -45,
                (_l("UK subsidiary licence", "1", "4000.00", "TAX001"),),
                reference="PO-UK-12"),
    DemoInvoice("INV-0004", "acme", "USD", "AUTHORISED", 5, 25, (_l("Premium support", "1", "3600.00"),)),
    DemoInvoice("INV-0005", "acme", "USD", "DRAFT", 1, 29, (_l("Extra seats (draft)", "5", "240.00"),)),
    DemoInvoice("INV-0006", "acme", "USD", "VOIDED", 60, -30, (_l("Issued in error", "1", "999.00"),)),
    # Acme Logistics: EUR, overdue 95 days
    DemoInvoice("INV-0010", "acme-logistics", "EUR", "AUTHORISED", 125, -95,
                (_l("Platform licence (EU)", "1", "8000.00", "TAX001"),)),
    # Globex: the famous INV-0042, fully paid; and one overdue
    DemoInvoice("INV-0042", "globex", "USD", "PAID", 30, -16, (_l("Platform licence", "1", "5000.00", "NONE"),),
                (_p(10, "5000.00", "ACH 0042"),)),
    DemoInvoice("INV-0043", "globex", "USD", "AUTHORISED", 20, -6, (_l("Onboarding", "1", "2500.00"),)),
    # Initech: due in the future, nothing overdue
    DemoInvoice("INV-0050", "initech", "USD", "AUTHORISED", 3, 27, (_l("Seats", "10", "240.00"),)),
    # O'Brien & Sons: EUR overdue 62 days, with a discount
    DemoInvoice("INV-0060", "obrien", "EUR", "AUTHORISED", 92, -62,
                (_l("Platform licence", "1", "6000.00", "TAX001", discount_rate=Decimal("10.00")),)),
    # Müller: EUR part-paid, due today (not overdue yet)
    DemoInvoice("INV-0070", "muller", "EUR", "AUTHORISED", 30, 0, (_l("Licence", "2", "1500.00", "TAX001"),),
                (_p(2, "1000.00"),)),
    # Umbrela (Xero spelling): overdue 1 day
    DemoInvoice("INV-0080", "umbrella", "USD", "AUTHORISED", 31, -1, (_l("Seats", "4", "240.00"),)),
    # Hooli twins
    DemoInvoice("INV-0090", "hooli", "USD", "AUTHORISED", 50, -20, (_l("Licence", "1", "7000.00"),)),
    DemoInvoice("INV-0091", "hooli-inc", "USD", "SUBMITTED", 2, 28, (_l("Seats", "3", "240.00"),)),
    # Wayne Enterprises: no Salesforce account, GBP, overdue 33 days
    DemoInvoice("INV-0100", "wayne", "GBP", "AUTHORISED", 63, -33, (_l("Licence", "1", "9000.00", "TAX001"),)),
]


# --- Salesforce products and opportunities --------------------------------------------------


@dataclass(frozen=True)
class DemoProduct:
    id: str
    name: str
    product_code: str  # equals a Xero Item Code where one exists


PRODUCTS = [
    DemoProduct(sf_id("01t", 1), "Platform licence (annual)", "PLAT-ANNUAL"),
    DemoProduct(sf_id("01t", 2), "Additional seat", "SEAT"),
    DemoProduct(sf_id("01t", 3), "Onboarding", "ONBOARD"),
    DemoProduct(sf_id("01t", 4), "Custom integration work", "CUSTOM-INT"),  # no Xero item
]
PRODUCT = {p.product_code: p for p in PRODUCTS}


@dataclass(frozen=True)
class DemoOppLine:
    product: str  # product code
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal | None = None
    description: str | None = None


@dataclass(frozen=True)
class DemoOpportunity:
    n: int
    name: str
    account: str  # DemoAccount.key
    owner: DemoUser
    stage: str
    close_in_days: int  # negative: closed in the past
    currency: str
    amount: Decimal
    lines: tuple[DemoOppLine, ...] = ()
    invoice_number: str | None = None  # already invoiced (write-back field filled)

    @property
    def id(self) -> str:
        return sf_id("006", self.n)

    @property
    def is_closed(self) -> bool:
        return self.stage in ("Closed Won", "Closed Lost")

    @property
    def is_won(self) -> bool:
        return self.stage == "Closed Won"


def _ol(code: str, qty: str, price: str, discount: str | None = None, desc: str | None = None) -> DemoOppLine:
    return DemoOppLine(code, Decimal(qty), Decimal(price), Decimal(discount) if discount else None, desc)


OPPORTUNITIES = [
    # closed-won, not yet invoiced: USD with lines, GBP with lines + discount, EUR without lines
    DemoOpportunity(1, "Acme Corporation - Expansion 2027", "acme", REP, "Closed Won", -3, "USD", Decimal("14900.00"),
                    (_ol("PLAT-ANNUAL", "1", "12000.00"), _ol("SEAT", "10", "240.00", desc="Seats for the ops team"),
                     _ol("ONBOARD", "1", "500.00"))),
    DemoOpportunity(2, "Globex - UK rollout", "globex", REP, "Closed Won", -1, "GBP", Decimal("9180.00"),
                    (_ol("PLAT-ANNUAL", "1", "9000.00", discount="10"), _ol("CUSTOM-INT", "3", "360.00"))),
    DemoOpportunity(3, "Müller GmbH - Jahreslizenz", "muller", SELLER, "Closed Won", -7, "EUR", Decimal("7500.00")),
    DemoOpportunity(4, "Stark Industries - Pilot", "stark", REP, "Closed Won", -2, "USD", Decimal("4800.00"),
                    (_ol("SEAT", "20", "240.00"),)),
    # already invoiced (write-back fields set)
    DemoOpportunity(5, "Acme Corporation - Renewal 2026", "acme", REP, "Closed Won", -92, "USD", Decimal("10000.00"),
                    (_ol("PLAT-ANNUAL", "1", "10000.00"),), invoice_number="INV-0001"),
    DemoOpportunity(6, "Globex - Platform", "globex", REP, "Closed Won", -31, "USD", Decimal("5000.00"),
                    invoice_number="INV-0042"),
    # open and lost
    DemoOpportunity(7, "Initech - Enterprise upgrade", "initech", SELLER, "Negotiation/Review", 20, "USD",
                    Decimal("25000.00")),
    DemoOpportunity(8, "Umbrella Corp - Seats", "umbrella", REP, "Closed Lost", -12, "USD", Decimal("3000.00")),
    DemoOpportunity(9, "Hooli - Platform", "hooli", SELLER, "Closed Won", -51, "USD", Decimal("7000.00"),
                    invoice_number="INV-0090"),
]


def invoice_dates(inv: DemoInvoice, today: date) -> tuple[date, date]:
    """(issue date, due date) of a demo invoice for a given today."""
    return today - timedelta(days=inv.issued_days_ago), today + timedelta(days=inv.due_in_days)


def line_amount(line: DemoLine | DemoOppLine) -> Decimal:
    """Quantity × unit price less the discount percentage, rounded to cents (Xero's LineAmount)."""
    if isinstance(line, DemoLine):
        qty, unit, disc = line.quantity, line.unit_amount, line.discount_rate
    else:
        qty, unit, disc = line.quantity, line.unit_price, line.discount
    gross = qty * unit
    if disc:
        gross = gross * (Decimal(100) - disc) / Decimal(100)
    return gross.quantize(Decimal("0.01"))


TAX_RATE = {t[0]: t[2] for t in TAX_RATES}


def invoice_totals(inv: DemoInvoice) -> tuple[Decimal, Decimal, Decimal]:
    """(SubTotal, TotalTax, Total) of a demo invoice, tax-exclusive lines."""
    sub = sum((line_amount(line) for line in inv.lines), Decimal("0.00"))
    tax = sum(
        ((line_amount(line) * TAX_RATE[line.tax_type] / 100).quantize(Decimal("0.01")) for line in inv.lines),
        Decimal("0.00"),
    )
    return sub, tax, sub + tax


# --- Generated volume (benchmarks, load tests) ----------------------------------------------

_GENERATED_LINES = (
    ("Additional seats", "240.00", "OUTPUT"),
    ("Platform licence", "12000.00", "OUTPUT"),
    ("Onboarding", "2500.00", "OUTPUT"),
    ("Premium support", "3600.00", "NONE"),
)
_GENERATED_STATUSES = ("AUTHORISED", "AUTHORISED", "AUTHORISED", "PAID", "DRAFT")


def generated_contacts(count: int, start: int = 1) -> list[DemoContact]:
    """``count`` deterministic extra customers (``gen-000001``...), for volume tests."""
    return [DemoContact(f"gen-{n:06d}", f"Generated Customer {n:06d}", f"ap@customer-{n:06d}.example",
                        default_currency="USD") for n in range(start, start + count)]


def generated_invoices(count: int, contact_keys: list[str], start: int = 1,
                       number_prefix: str = "GEN-") -> list[DemoInvoice]:
    """``count`` deterministic invoices spread over ``contact_keys``: a mix of statuses, one or
    two lines, dates spread over the last year; PAID ones carry a full payment. Same arguments,
    same invoices (ids derive from the numbers)."""
    invoices = []
    for n in range(start, start + count):
        desc, unit, tax = _GENERATED_LINES[n % len(_GENERATED_LINES)]
        lines = [DemoLine(desc, Decimal(1 + n % 7), Decimal(unit), tax_type=tax)]
        if n % 3 == 0:
            lines.append(DemoLine("Onboarding", Decimal(1), Decimal("500.00")))
        status = _GENERATED_STATUSES[n % len(_GENERATED_STATUSES)]
        issued = n % 365
        invoice = DemoInvoice(f"{number_prefix}{n:06d}", contact_keys[n % len(contact_keys)], "USD", status,
                              issued, 30 - issued, tuple(lines))
        if status == "PAID":
            invoice = DemoInvoice(invoice.number, invoice.contact, "USD", status, issued, 30 - issued, tuple(lines),
                                  (DemoPayment(max(issued - 10, 0), invoice_totals(invoice)[2]),))
        invoices.append(invoice)
    return invoices
