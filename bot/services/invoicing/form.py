"""Pre-filling the invoice form from the mirror: the opportunity and its line items, the linked Xero
contact (or the suggestions, or "create from the Salesforce account"), the currency, account codes and
tax types from app.yml, the due date from the contact's payment terms or ``xero.due_days``."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.config import AppConfig
from bot.domain.money import Money, format_money
from bot.services.invoicing import states
from bot.services.invoicing.model import (
    NEW_CONTACT,
    Choice,
    ContactChoice,
    InvoiceInput,
    LineInput,
    NewContactDetails,
    OpportunityOption,
    OpportunitySummary,
    TaxChoice,
)
from bot.store.mirror import (
    SfAccount,
    SfOpportunity,
    SfUser,
    XeroAccount,
    XeroContact,
    XeroCurrency,
    XeroItem,
    XeroTaxRate,
)
from bot.store.state import AccountLink, InvoiceDraft, LinkSuggestion

REVENUE_TYPES = ("REVENUE", "SALES", "OTHERINCOME")
MAX_LINES = 10  # a Slack modal holds 100 blocks; each line takes seven there
OPTIONS_SHOWN = 50


def opportunity_summary(session: Session, opp: SfOpportunity) -> OpportunitySummary:
    account = session.get(SfAccount, opp.account_id) if opp.account_id else None
    owner = session.get(SfUser, opp.owner_id) if opp.owner_id else None
    amount = Money(opp.currency, opp.amount) if opp.amount is not None else None
    return OpportunitySummary(opp.id, opp.name, opp.account_id, account.name if account else None, amount,
                              opp.close_date, owner.name if owner else None)


def open_draft_for(session: Session, opportunity_id: str) -> InvoiceDraft | None:
    """A draft of this opportunity that is not finished with (waiting, or approved)."""
    return session.scalar(select(InvoiceDraft).where(
        InvoiceDraft.opportunity_id == opportunity_id,
        InvoiceDraft.status.in_((*states.WAITING, states.APPROVED))).order_by(InvoiceDraft.id.desc()).limit(1))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.casefold()}%"


def uninvoiced(session: Session, owner_id: str | None, query: str,
               limit: int = OPTIONS_SHOWN) -> list[OpportunityOption]:
    """Closed-won opportunities without an invoice or a draft in flight, newest first; ``owner_id``
    None means everyone's. ``query`` matches the opportunity or account name, or the id."""
    busy = select(InvoiceDraft.opportunity_id).where(
        InvoiceDraft.opportunity_id.is_not(None), InvoiceDraft.status.in_((*states.WAITING, states.APPROVED)))
    wanted = [SfOpportunity.is_won.is_(True), SfOpportunity.is_deleted.is_(False),
              SfOpportunity.xero_invoice_number.is_(None), SfOpportunity.id.not_in(busy)]
    if owner_id is not None:
        wanted.append(SfOpportunity.owner_id == owner_id)
    text = query.strip()
    if text:
        pattern = _like(text)
        wanted.append(or_(func.lower(SfOpportunity.name).like(pattern, escape="\\"),
                          func.lower(SfAccount.name).like(pattern, escape="\\"), SfOpportunity.id == text))
    rows = session.execute(
        select(SfOpportunity.id, SfOpportunity.name, SfOpportunity.amount, SfOpportunity.currency)
        .outerjoin(SfAccount, SfAccount.id == SfOpportunity.account_id).where(*wanted)
        .order_by(SfOpportunity.close_date.desc().nulls_last(), SfOpportunity.name, SfOpportunity.id)
        .limit(limit)).all()
    return [OpportunityOption(opp_id, option_label(name, amount, currency)) for opp_id, name, amount, currency in rows]


def option_label(name: str, amount: Decimal | None, currency: str) -> str:
    money = f" · {format_money(amount, currency)}" if amount is not None else ""
    room = 75 - len(money)
    return (name if len(name) <= room else name[: room - 1] + "…") + money


# --- choices -------------------------------------------------------------------------------


def contact_choices(session: Session, account: SfAccount | None) -> tuple[list[ContactChoice], str]:
    """The contacts to offer and the one chosen by default ("" when a person must choose)."""
    if account is None:
        return [], ""
    choices: list[ContactChoice] = []
    seen: set[str] = set()

    def add(contact: XeroContact, kind: str) -> None:
        if contact.id in seen:
            return
        seen.add(contact.id)
        archived = contact.status != "ACTIVE"
        label = contact.name + (" (archived in Xero)" if archived else "")
        label = {"suggested": f"{label} (suggested match)"}.get(kind, label)
        choices.append(ContactChoice(contact.id, label[:75], kind, archived))

    linked = session.scalars(select(XeroContact).join(AccountLink, AccountLink.xero_contact_id == XeroContact.id)
                             .where(AccountLink.sf_account_id == account.id).order_by(XeroContact.name)).all()
    for contact in sorted(linked, key=lambda c: c.status != "ACTIVE"):
        add(contact, "linked")
    suggested = session.scalars(
        select(XeroContact).join(LinkSuggestion, LinkSuggestion.xero_contact_id == XeroContact.id)
        .where(LinkSuggestion.sf_account_id == account.id, LinkSuggestion.status == "open")
        .order_by(LinkSuggestion.score.desc()).limit(5)).all()
    for contact in suggested:
        add(contact, "suggested")
    new_label = f"New Xero contact from the Salesforce account “{account.name}”"
    choices.append(ContactChoice(NEW_CONTACT, new_label if len(new_label) <= 75 else "New Xero contact from the "
                                 "Salesforce account", "new"))
    default = linked[0].id if linked else "" if suggested else NEW_CONTACT
    return choices, default


def new_contact_details(account: SfAccount | None) -> NewContactDetails | None:
    if account is None:
        return None
    city_line = " ".join(p for p in (account.billing_city, account.billing_state, account.billing_postal_code) if p)
    lines = [p for p in (account.billing_street, city_line, account.billing_country) if p]
    return NewContactDetails(account.name, lines)


def currency_choices(session: Session, wanted: str) -> list[Choice]:
    rows = session.execute(select(XeroCurrency.code, XeroCurrency.description).order_by(XeroCurrency.code)).all()
    choices = [Choice(code, f"{code} · {description}"[:75] if description else code) for code, description in rows]
    if wanted and wanted not in {c.value for c in choices}:
        choices.insert(0, Choice(wanted, f"{wanted} (not enabled in Xero)"))
    return choices


def enabled_currencies(session: Session) -> set[str]:
    return set(session.scalars(select(XeroCurrency.code)))


def account_choices(session: Session, config: AppConfig) -> list[Choice]:
    rows = session.execute(select(XeroAccount.code, XeroAccount.name).where(
        XeroAccount.status == "ACTIVE", XeroAccount.type.in_(REVENUE_TYPES), XeroAccount.code.is_not(None))
        .order_by(XeroAccount.code)).all()
    choices = [Choice(str(code), f"{code} · {name}"[:75]) for code, name in rows]
    default = config.xero.default_account_code
    if default not in {c.value for c in choices}:
        choices.insert(0, Choice(default, f"{default} (not a revenue account in Xero)"))
    return choices


def tax_choices(session: Session) -> list[TaxChoice]:
    rows = session.scalars(select(XeroTaxRate).where(XeroTaxRate.status == "ACTIVE")
                           .order_by(XeroTaxRate.can_apply_to_revenue.desc(), XeroTaxRate.name)).all()
    return [TaxChoice(r.tax_type, f"{r.name} ({r.rate.normalize():f}%)"[:75], r.rate, r.can_apply_to_revenue)
            for r in rows]


def tax_rates(session: Session) -> dict[str, Decimal]:
    return {tax_type: rate for tax_type, rate in session.execute(select(XeroTaxRate.tax_type, XeroTaxRate.rate))}


# --- the pre-filled input ------------------------------------------------------------------


def lines_from_opportunity(session: Session, opp: SfOpportunity, config: AppConfig) -> list[LineInput]:
    default_account, default_tax = config.xero.default_account_code, config.xero.default_tax_type
    codes = [line.product_code for line in opp.lines if line.product_code]
    items = {item.code: item for item in session.scalars(select(XeroItem).where(XeroItem.code.in_(codes)))} \
        if codes else {}
    lines = []
    for n, line in enumerate(opp.lines[:MAX_LINES], start=1):
        item = items.get(line.product_code or "")
        description = line.description or line.name or (item.description if item else None) or opp.name
        if line.description and line.name and line.description != line.name:
            description = f"{line.name}: {line.description}"
        lines.append(LineInput(
            key=f"l{n}", description=description[:4000], quantity=line.quantity, unit_amount=line.unit_price,
            discount_rate=line.discount or None, account_code=(item.account_code if item else None) or default_account,
            tax_type=(item.tax_type if item else None) or default_tax, item_code=item.code if item else None))
    if not lines:
        lines.append(LineInput("l1", opp.name, Decimal(1), opp.amount if opp.amount is not None else None, None,
                               default_account, default_tax))
    return lines


def due_date(issued: date, contact: XeroContact | None, due_days: int) -> date:
    """The contact's sales payment terms when it has them, else ``xero.due_days`` after the invoice date."""
    days, kind = (contact.sales_terms_days, contact.sales_terms_type) if contact else (None, None)
    if days is None or not kind:
        return issued + timedelta(days=due_days)
    if kind == "DAYSAFTERBILLDATE":
        return issued + timedelta(days=days)
    if kind == "DAYSAFTERBILLMONTH":
        end = issued.replace(day=calendar.monthrange(issued.year, issued.month)[1])
        return end + timedelta(days=days)
    if kind == "OFCURRENTMONTH":
        return _day_of(issued.year, issued.month, days)
    if kind == "OFFOLLOWINGMONTH":
        year, month = (issued.year + 1, 1) if issued.month == 12 else (issued.year, issued.month + 1)
        return _day_of(year, month, days)
    return issued + timedelta(days=due_days)


def _day_of(year: int, month: int, day: int) -> date:
    return date(year, month, min(max(day, 1), calendar.monthrange(year, month)[1]))


def prefilled_input(session: Session, opp: SfOpportunity, contact_id: str, config: AppConfig,
                    today: date) -> InvoiceInput:
    contact = session.get(XeroContact, contact_id) if contact_id and contact_id != NEW_CONTACT else None
    return InvoiceInput(opp.id, contact_id, opp.currency, today, due_date(today, contact, config.xero.due_days),
                        opp.name[:255], lines_from_opportunity(session, opp, config))


def notes_for(opp: SfOpportunity, lines: Sequence[LineInput], suggested: bool) -> list[str]:
    notes = []
    if not opp.lines:
        notes.append("The opportunity has no line items: one line for its amount.")
    elif len(opp.lines) > MAX_LINES:
        notes.append(f"Only the first {MAX_LINES} of {len(opp.lines)} line items fit; add the rest in Xero.")
    unmapped = [line.product_code for line in opp.lines[:MAX_LINES] if line.product_code] if opp.lines else []
    mapped = {line.item_code for line in lines if line.item_code}
    missing = [code for code in unmapped if code not in mapped]
    if missing:
        notes.append("No Xero item for product code " + ", ".join(sorted(set(missing))) + ": plain lines instead.")
    if suggested:
        notes.append("The account is not linked to a Xero contact yet: confirm a suggested match or create one.")
    return notes
