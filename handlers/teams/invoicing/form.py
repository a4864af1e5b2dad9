"""The invoice form as a dialog card (task module), pre-filled from the opportunity by the invoicing
service, and what a person submitted read back into the service's ``InvoiceInput``. A value that does
not parse is kept as None, so the service's validation says what to fix, next to its input."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    Choice,
    ChoiceSetInput,
    DateInput,
    NumberInput,
    SubmitAction,
    TextBlock,
    TextInput,
)

from bot.domain.money import format_money
from bot.services.invoicing import FieldError, InvoiceForm, InvoiceInput, LineInput
from bot.services.invoicing.form import MAX_LINES
from handlers.common.text import cut
from handlers.teams.cards.common import ADAPTIVE_CARD, card_content, plain
from handlers.teams.invoicing.cards import SUBMIT_TASK

PRICE_TASK, ADD_LINE_TASK, REMOVE_LINE_TASK = "price_invoice", "add_invoice_line", "remove_invoice_line"
LINE_FIELDS = ("description", "quantity", "unit_amount", "discount_rate", "account_code", "tax_type")
AMOUNT_TYPES = {"Exclusive": "tax exclusive", "Inclusive": "tax inclusive", "NoTax": "no tax"}


@dataclass(frozen=True)
class FormMeta:
    """What the dialog is for, carried in its buttons' data (Teams sends it back with the inputs)."""

    mode: str  # new, edit, resubmit
    opportunity_id: str
    submission: str  # one per opened dialog: the same submission twice makes one draft
    draft_id: int | None = None
    lines: list[tuple[str, str | None]] = field(default_factory=list)  # (key, Xero item code)
    due: date | None = None  # the due date as Paidup set it from the contact's terms; None: the person chose

    def data(self, task: str, **more: Any) -> dict[str, Any]:
        return {"task": task, "mode": self.mode, "opportunity": self.opportunity_id, "submission": self.submission,
                "draft": self.draft_id, "lines": [[k, i] for k, i in self.lines],
                "due": self.due.isoformat() if self.due else None, **more}

    def with_lines(self, lines: list[tuple[str, str | None]]) -> FormMeta:
        return replace(self, lines=lines)

    def new_key(self) -> str:
        used = {key for key, _ in self.lines}
        return next(f"t{n}" for n in range(1, MAX_LINES + 2) if f"t{n}" not in used)

    @classmethod
    def read(cls, data: dict[str, Any]) -> FormMeta | None:
        try:
            lines = [(str(k), str(i) if i else None) for k, i in (data.get("lines") or [])[:MAX_LINES]]
            draft = data.get("draft")
            due = data.get("due")
            return cls(str(data["mode"]), str(data["opportunity"]), str(data["submission"])[:100],
                       int(draft) if draft is not None else None, lines,
                       date.fromisoformat(due) if isinstance(due, str) and due else None)
        except (KeyError, TypeError, ValueError):
            return None


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return str(value).strip() if value is not None else ""


def _decimal(data: dict[str, Any], key: str) -> Decimal | None:
    raw = _text(data, key).replace(",", "")
    try:
        return Decimal(raw) if raw else None
    except InvalidOperation:
        return None


def _date(data: dict[str, Any], key: str) -> date | None:
    try:
        return date.fromisoformat(_text(data, key)) if _text(data, key) else None
    except ValueError:
        return None


def read_input(meta: FormMeta, data: dict[str, Any]) -> InvoiceInput:
    lines = [LineInput(key, _text(data, f"line:{key}:description"), _decimal(data, f"line:{key}:quantity"),
                       _decimal(data, f"line:{key}:unit_amount"), _decimal(data, f"line:{key}:discount_rate"),
                       _text(data, f"line:{key}:account_code"), _text(data, f"line:{key}:tax_type"), item)
             for key, item in meta.lines]
    return InvoiceInput(meta.opportunity_id, _text(data, "contact"), _text(data, "currency").upper(),
                        _date(data, "invoice_date"), _date(data, "due_date"), _text(data, "reference"), lines)


def _error(errors: dict[str, str], key: str) -> list[TextBlock]:
    return [TextBlock(text=plain(errors[key]), color="Attention", wrap=True, spacing="None")] if key in errors else []


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def line_inputs(form: InvoiceForm, meta: FormMeta, line: LineInput, n: int, errors: dict[str, str]) -> list[Any]:
    key = f"line:{line.key}:"
    accounts = [Choice(title=cut(c.label, 60), value=c.value) for c in form.accounts]
    taxes = [Choice(title=cut(t.label, 60), value=t.value) for t in form.tax_rates]
    blocks: list[Any] = [TextBlock(text=f"Line {n}", weight="Bolder", spacing="Medium")]
    blocks += [TextInput(id=key + "description", label="Description", value=line.description, max_length=4000),
               *_error(errors, key + "description"),
               NumberInput(id=key + "quantity", label="Quantity", value=_number(line.quantity)),
               *_error(errors, key + "quantity"),
               NumberInput(id=key + "unit_amount", label=f"Unit price ({form.input.currency})",
                           value=_number(line.unit_amount)),
               *_error(errors, key + "unit_amount"),
               NumberInput(id=key + "discount_rate", label="Discount %", value=_number(line.discount_rate)),
               *_error(errors, key + "discount_rate"),
               ChoiceSetInput(id=key + "account_code", label="Account", choices=accounts, value=line.account_code,
                              style="compact"),
               *_error(errors, key + "account_code"),
               ChoiceSetInput(id=key + "tax_type", label="Tax", choices=taxes, value=line.tax_type, style="compact"),
               *_error(errors, key + "tax_type")]
    if len(meta.lines) > 1:
        blocks.append(ActionSet(actions=[SubmitAction(title=f"Remove line {n}",
                                                      data=meta.data(REMOVE_LINE_TASK, remove=line.key))]))
    return blocks


def form_card(form: InvoiceForm, meta: FormMeta, errors: list[FieldError] | None = None) -> dict[str, Any]:
    """The dialog's card: contact, currency, dates, reference, each line, the total, and Submit."""
    by_field = {e.field: e.message for e in errors or []}
    opp = form.opportunity
    entered = form.input
    amount = f" · {opp.amount.formatted()} {opp.amount.currency}" if opp.amount else ""
    body: list[Any] = [TextBlock(text=plain(cut(opp.name, 150)), size="Large", weight="Bolder", wrap=True),
                       TextBlock(text=plain(f"{opp.account_name or 'No account'}{amount}"), is_subtle=True,
                                 spacing="None", wrap=True)]
    body += [TextBlock(text=plain(note), wrap=True, is_subtle=True, size="Small") for note in form.notes]
    body += _error(by_field, "form") + _error(by_field, "lines")
    contacts = [Choice(title=cut(c.label + (" (archived)" if c.archived else ""), 75), value=c.value)
                for c in form.contacts]
    body += [ChoiceSetInput(id="contact", label="Xero contact", choices=contacts, value=entered.contact,
                            style="compact", is_required=True, error_message="Choose the Xero contact")]
    body += _error(by_field, "contact")
    if form.new_contact is not None and any(c.value == "new" for c in form.contacts):
        address = ", ".join(form.new_contact.address) or "no billing address in Salesforce"
        body.append(TextBlock(text=plain(f"A new contact is created as “{form.new_contact.name}”, {address}."),
                              wrap=True, is_subtle=True, size="Small", spacing="None"))
    currencies = [Choice(title=c.label, value=c.value) for c in form.currencies]
    body += [ChoiceSetInput(id="currency", label="Currency", choices=currencies, value=entered.currency,
                            style="compact"), *_error(by_field, "currency"),
             DateInput(id="invoice_date", label="Invoice date",
                       value=entered.invoice_date.isoformat() if entered.invoice_date else None),
             *_error(by_field, "invoice_date"),
             DateInput(id="due_date", label="Due date",
                       value=entered.due_date.isoformat() if entered.due_date else None),
             *_error(by_field, "due_date"),
             TextInput(id="reference", label="Reference", value=entered.reference, max_length=255),
             *_error(by_field, "reference")]
    for n, line in enumerate(entered.lines[:MAX_LINES], start=1):
        body += line_inputs(form, meta, line, n, by_field)
    totals, currency = form.totals, form.totals.currency
    kind = AMOUNT_TYPES.get(form.line_amount_types, "")
    body.append(TextBlock(text=f"Subtotal {format_money(totals.sub_total, currency)} · Tax "
                               f"{format_money(totals.total_tax, currency)} · **Total "
                               f"{format_money(totals.total, currency)} {currency}** ({kind})",
                          wrap=True, spacing="Medium"))
    label = "Save changes" if meta.mode == "edit" else "Submit for approval"
    actions = [SubmitAction(title=label, data=meta.data(SUBMIT_TASK), style="positive"),
               SubmitAction(title="Recalculate total", data=meta.data(PRICE_TASK))]
    if len(meta.lines) < MAX_LINES:
        actions.append(SubmitAction(title="Add line", data=meta.data(ADD_LINE_TASK)))
    return card_content(AdaptiveCard(body=body, actions=actions, fallback_text=f"Invoice {opp.name}"))


def dialog(title: str, card: dict[str, Any]) -> dict[str, Any]:
    """The ``task/fetch`` / ``task/submit`` response that shows (or keeps showing) a card dialog."""
    return {"task": {"type": "continue", "value": {"title": cut(title, 60), "height": "large", "width": "medium",
                                                   "card": {"contentType": ADAPTIVE_CARD, "content": card}}}}


def closing_message(text: str) -> dict[str, Any]:
    """The response that closes the dialog and shows ``text``."""
    return {"task": {"type": "message", "value": cut(text, 500)}}
