"""Checks on a submitted invoice before anything is stored or sent to Xero; each error names its
field (see ``model``) so the adapter can show it next to the input."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.invoicing.form import REVENUE_TYPES, enabled_currencies
from bot.services.invoicing.model import NEW_CONTACT, FieldError, InvoiceInput, LineInput
from bot.services.invoicing.totals import compute
from bot.store.mirror import SfAccount, SfOpportunity, XeroAccount, XeroContact, XeroItem, XeroTaxRate

MAX_DESCRIPTION = 4000


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def check_contact(session: Session, form: InvoiceInput, opp: SfOpportunity | None) -> list[FieldError]:
    if not form.contact:
        return [FieldError("contact", "Choose the Xero contact to invoice (or create one from the Salesforce "
                                      "account).")]
    if form.contact == NEW_CONTACT:
        account = session.get(SfAccount, opp.account_id) if opp and opp.account_id else None
        if account is None:
            return [FieldError("contact", "The opportunity has no Salesforce account to create a contact from; "
                                          "choose an existing Xero contact.")]
        return []
    contact = session.get(XeroContact, form.contact)
    if contact is None:
        return [FieldError("contact", "That Xero contact is not in Paidup's copy of Xero any more; choose another.")]
    if contact.status != "ACTIVE":
        return [FieldError("contact", f"{contact.name} is archived in Xero and can't be invoiced: restore it in "
                                      "Xero or choose another contact.")]
    return []


def check_line(line: LineInput, accounts: dict[str, XeroAccount], rates: dict[str, XeroTaxRate]) -> list[FieldError]:
    errors = []

    def error(name: str, message: str) -> None:
        errors.append(FieldError(f"line:{line.key}:{name}", message))

    if not line.description.strip():
        error("description", "Describe the line (Xero requires a description).")
    elif len(line.description) > MAX_DESCRIPTION:
        error("description", f"At most {MAX_DESCRIPTION} characters.")
    if line.quantity is None:
        error("quantity", "Enter a quantity.")
    elif line.quantity <= 0:
        error("quantity", "The quantity must be more than 0 (negative amounts belong on a credit note).")
    elif _places(line.quantity) > 4:
        error("quantity", "At most 4 decimal places.")
    if line.unit_amount is None:
        error("unit_amount", "Enter a unit price.")
    elif line.unit_amount < 0:
        error("unit_amount", "Negative amounts can't be invoiced: raise a credit note in Xero instead.")
    elif _places(line.unit_amount) > 2:
        error("unit_amount", "At most 2 decimal places.")
    if line.discount_rate is not None and not (0 <= line.discount_rate <= 100):
        error("discount_rate", "A discount is a percentage between 0 and 100.")
    account = accounts.get(line.account_code)
    if account is None:
        error("account_code", f"Account {line.account_code or '(none)'} is not an active revenue account in Xero.")
    rate = rates.get(line.tax_type)
    if rate is None:
        error("tax_type", f"Tax type {line.tax_type or '(none)'} is not an active tax rate in Xero.")
    elif account is not None and not rate.can_apply_to_revenue:
        error("tax_type", f"{rate.name} can't be used with account {account.code} {account.name} (a revenue "
                          "account): choose a sales tax rate.")
    return errors


def validate(session: Session, form: InvoiceInput, line_amount_types: str) -> list[FieldError]:
    opp = session.get(SfOpportunity, form.opportunity_id)
    errors = check_contact(session, form, opp)
    if form.currency not in enabled_currencies(session):
        errors.append(FieldError("currency", f"{form.currency or 'No currency'} is not enabled in the Xero "
                                             "organisation: add it in Xero (Settings › Currencies) or choose "
                                             "another."))
    if form.invoice_date is None:
        errors.append(FieldError("invoice_date", "Choose the invoice date."))
    if form.due_date is None:
        errors.append(FieldError("due_date", "Choose the due date."))
    elif form.invoice_date is not None and form.due_date < form.invoice_date:
        errors.append(FieldError("due_date", "The due date can't be before the invoice date."))
    if len(form.reference) > 255:
        errors.append(FieldError("reference", "At most 255 characters."))
    if not form.lines:
        errors.append(FieldError("lines", "Add at least one line to invoice."))
        return errors
    accounts = {a.code or "": a for a in session.scalars(select(XeroAccount).where(
        XeroAccount.status == "ACTIVE", XeroAccount.type.in_(REVENUE_TYPES)))}
    rates = {r.tax_type: r for r in session.scalars(select(XeroTaxRate).where(XeroTaxRate.status == "ACTIVE"))}
    items = {code for (code,) in session.execute(select(XeroItem.code))}
    for line in form.lines:
        errors += check_line(line, accounts, rates)
        if line.item_code and line.item_code not in items:
            errors.append(FieldError(f"line:{line.key}:description", f"Xero item {line.item_code[:30]} no longer "
                                                                     "exists; remove the line and add it again."))
    if not errors:
        totals = compute(form.lines, form.currency, line_amount_types, {k: r.rate for k, r in rates.items()})
        if totals.total <= 0:
            errors.append(FieldError("lines", "The invoice total must be more than zero."))
    return errors


def field_for_xero_message(message: str, form: InvoiceInput) -> str:
    """Which field a Xero validation message is about, as well as words allow; "form" when unknown."""
    lowered = message.casefold()
    for line in form.lines:
        for name, value in (("account_code", line.account_code), ("tax_type", line.tax_type),
                            ("description", line.item_code)):
            if value and (f"'{value.casefold()}'" in lowered or f" {value.casefold()} " in lowered):
                return f"line:{line.key}:{name}"
    rules = (("contact", "contact"), ("currency", "currency"), ("due date", "due_date"), ("duedate", "due_date"),
             ("lock date", "invoice_date"), ("document date", "invoice_date"), ("date", "invoice_date"),
             ("reference", "reference"), ("invoice #", "reference"), ("line item", "lines"),
             ("description", "lines"), ("account", "lines"), ("tax", "lines"), ("discount", "lines"))
    return next((fieldname for word, fieldname in rules if word in lowered), "form")
