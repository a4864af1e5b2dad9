"""The invoice modal, pure Block Kit from the service's plain data: the opportunity picker, the
pre-filled form (one set of inputs per line, a live total) and the confirmation. At most 3 views:
picker → form → confirmation replace each other in one modal (``response_action: update``).

Everything the modal needs later travels in the view itself: what the person entered comes back in
``view.state.values``, the rest in ``private_metadata`` (``FormMeta``), so any process can serve the
next step."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from bot.domain.money import format_money
from bot.services.invoicing import DraftSummary, InvoiceForm, InvoiceInput, LineInput, SubmitOutcome
from bot.services.invoicing.form import MAX_LINES as FORM_LINES
from bot.services.invoicing.model import Choice, Totals
from bot.services.invoicing.service import Picker
from handlers.common.text import cut
from handlers.slack.blocks.status import mrkdwn_escape
from handlers.slack.invoicing import ids
from handlers.slack.invoicing.meta import FormMeta

MAX_LINES = FORM_LINES  # seven blocks per line; a modal holds 100 blocks
AMOUNT_TYPES_WORDS = {"Exclusive": "amounts exclusive of tax", "Inclusive": "amounts include tax",
                      "NoTax": "no tax"}


def plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(text, limit) or " ", "emoji": True}


def option(value: str, label: str) -> dict[str, Any]:
    return {"text": plain(label), "value": value[:150]}


# --- the picker ----------------------------------------------------------------------------


def picker_view(picker: Picker, *, channel: str | None = None, query: str = "",
                preselect: tuple[str, str] | None = None) -> dict[str, Any]:
    whose = "any closed-won opportunity" if picker.everyone else "one of your closed-won opportunities"
    intro = f"Pick {whose} that has no invoice yet; type part of its or the account's name."
    blocks: list[dict[str, Any]] = [{"type": "section", "block_id": "invoice_pick_intro",
                                     "text": {"type": "mrkdwn", "text": intro}}]
    if picker.message:
        blocks.append({"type": "context", "block_id": "invoice_pick_note",
                       "elements": [{"type": "mrkdwn", "text": mrkdwn_escape(picker.message)}]})
    select: dict[str, Any] = {"type": "external_select", "action_id": ids.OPPORTUNITY_ACTION, "min_query_length": 0,
                              "placeholder": plain("Search opportunities")}
    if preselect is not None:
        select["initial_option"] = option(*preselect)
    blocks.append({"type": "input", "block_id": ids.OPPORTUNITY_BLOCK, "label": plain("Opportunity"),
                   "element": select})
    return {"type": "modal", "callback_id": ids.PICK_VIEW, "title": plain("Create an invoice", 24),
            "submit": plain("Next", 24), "close": plain("Cancel", 24), "blocks": blocks,
            "private_metadata": json.dumps({"c": channel, "q": query[:200]})}


# --- the form ------------------------------------------------------------------------------


def _select(action_id: str, choices: list[Choice], selected: str | None, placeholder: str) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "static_select", "action_id": action_id, "placeholder": plain(placeholder),
                               "options": [option(c.value, c.label) for c in choices[:100]]}
    chosen = next((c for c in choices if c.value == selected), None)
    if chosen is not None:
        element["initial_option"] = option(chosen.value, chosen.label)
    return element


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False, hint: str | None = None,
           dispatch: bool = False) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "input", "block_id": block_id, "label": plain(label, 2000), "element": element,
                             "optional": optional}
    if hint:
        block["hint"] = plain(hint, 2000)
    if dispatch:
        block["dispatch_action"] = True
    return block


def _number(action_id: str, value: Decimal | None, *, decimals: bool = True, dispatch: bool = False,
            minimum: str | None = "0", maximum: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "number_input", "action_id": action_id, "is_decimal_allowed": decimals}
    if value is not None:
        element["initial_value"] = decimal_text(value)
    if minimum is not None:
        element["min_value"] = minimum
    if maximum is not None:
        element["max_value"] = maximum
    if dispatch:
        element["dispatch_action_config"] = {"trigger_actions_on": ["on_enter_pressed"]}
    return element


def decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def totals_text(totals: Totals, line_amount_types: str) -> str:
    def m(amount: Decimal) -> str:
        return format_money(amount, totals.currency) if totals.currency else f"{amount:,.2f}"
    parts = [f"Subtotal {m(totals.sub_total)}", f"Tax {m(totals.total_tax)}"]
    if totals.total_discount:
        parts.insert(1, f"Discount {m(totals.total_discount)}")
    words = AMOUNT_TYPES_WORDS.get(line_amount_types, line_amount_types)
    return f"{' · '.join(parts)}\n*Total {m(totals.total)} {totals.currency}*  _({words}; press Enter in a field " \
           "to update)_"


def line_blocks(n: int, line: LineInput, form: InvoiceForm, currency: str) -> list[dict[str, Any]]:
    key = line.key
    item = f" (Xero item {line.item_code})" if line.item_code else ""
    tax_options = [Choice(t.value, t.label) for t in form.tax_rates]
    return [
        _input(ids.line_block(key, "description"), f"Line {n}{item}",
               {"type": "plain_text_input", "action_id": "description", "initial_value": line.description[:3000],
                "max_length": 3000, "placeholder": plain("What is invoiced")}),
        _input(ids.line_block(key, "quantity"), f"Line {n} quantity",
               _number("quantity", line.quantity, dispatch=True, minimum="0"), dispatch=True),
        _input(ids.line_block(key, "unit_amount"), f"Line {n} unit price ({currency})",
               _number("unit_amount", line.unit_amount, dispatch=True, minimum=None), dispatch=True),
        _input(ids.line_block(key, "discount_rate"), f"Line {n} discount %",
               _number("discount_rate", line.discount_rate, dispatch=True, minimum="0", maximum="100"),
               optional=True, dispatch=True),
        _input(ids.line_block(key, "account_code"), f"Line {n} account",
               _select("account_code", form.accounts, line.account_code, "Revenue account")),
        _input(ids.line_block(key, "tax_type"), f"Line {n} tax rate",
               _select("tax_type", tax_options, line.tax_type, "Tax rate"), dispatch=True),
    ]


def form_view(form: InvoiceForm, meta: FormMeta, entered: InvoiceInput | None = None,
              notes: list[str] | None = None) -> dict[str, Any]:
    """The pre-filled form; ``entered`` (what the person has typed so far) wins over the pre-fill."""
    data = entered or form.input
    opp = form.opportunity
    title = {"edit": f"Edit draft {meta.draft_id}", "resubmit": "Fix and resubmit"}.get(meta.mode, "Invoice a deal")
    about = f"*{mrkdwn_escape(cut(opp.name, 150))}*"
    if opp.account_name:
        about += f"\n{mrkdwn_escape(cut(opp.account_name, 150))}"
    if opp.amount is not None:
        about += f" · {format_money(opp.amount.amount, opp.amount.currency)} {opp.amount.currency}"
    if opp.close_date:
        about += f" · closed {opp.close_date.isoformat()}"
    if opp.owner_name:
        about += f" · {mrkdwn_escape(opp.owner_name)}"
    blocks: list[dict[str, Any]] = [{"type": "section", "block_id": "invoice_about",
                                     "text": {"type": "mrkdwn", "text": about}}]
    shown_notes = [*form.notes, *(notes or [])]
    if shown_notes:
        blocks.append({"type": "context", "block_id": "invoice_notes",
                       "elements": [{"type": "mrkdwn", "text": cut(mrkdwn_escape(n), 2000)} for n in shown_notes[:10]]})
    contact_hint = None
    if form.new_contact is not None and any(c.value == "new" for c in form.contacts):
        address = ", ".join(form.new_contact.address) or "no billing address in Salesforce"
        contact_hint = f"“New Xero contact” creates “{form.new_contact.name}”, {address}, linked to the account."
    contacts = [Choice(c.value, c.label) for c in form.contacts]
    blocks.append(_input(ids.CONTACT_BLOCK, "Xero contact",
                         _select(ids.CONTACT_ACTION, contacts, data.contact, "Choose the contact to invoice"),
                         hint=contact_hint, dispatch=True))
    blocks.append(_input(ids.CURRENCY_BLOCK, "Currency",
                         _select(ids.CURRENCY_ACTION, form.currencies, data.currency, "Currency")))
    date_el: dict[str, Any] = {"type": "datepicker", "action_id": ids.DATE_ACTION}
    if data.invoice_date:
        date_el["initial_date"] = data.invoice_date.isoformat()
    due_el: dict[str, Any] = {"type": "datepicker", "action_id": ids.DUE_ACTION}
    if data.due_date:
        due_el["initial_date"] = data.due_date.isoformat()
    blocks.append(_input(ids.DATE_BLOCK, "Invoice date", date_el, dispatch=True))
    blocks.append(_input(ids.due_block(meta.due_version), "Due date", due_el,
                         hint="From the contact's payment terms in Xero (else xero.due_days in app.yml); it follows "
                              "the contact and the invoice date until you change it."))
    blocks.append(_input(ids.REFERENCE_BLOCK, "Reference",
                         {"type": "plain_text_input", "action_id": ids.REFERENCE_ACTION, "max_length": 255,
                          "initial_value": data.reference[:255]}, optional=True))
    currency = data.currency
    for n, line in enumerate(data.lines[:MAX_LINES], start=1):
        blocks.append({"type": "divider", "block_id": f"line_{line.key}_divider"})
        blocks += line_blocks(n, line, form, currency)
    buttons: list[dict[str, Any]] = []
    if len(data.lines) < MAX_LINES:
        buttons.append({"type": "button", "action_id": ids.ADD_LINE_ACTION, "text": plain("Add a line"),
                        "value": "add"})
    for n, line in enumerate(data.lines[:MAX_LINES], start=1):
        buttons.append({"type": "button", "action_id": f"{ids.REMOVE_LINE_ACTION}_{line.key}",
                        "text": plain(f"Remove line {n}"), "value": line.key})
    if buttons:
        blocks.append({"type": "actions", "block_id": ids.LINES_BLOCK, "elements": buttons[:25]})
    blocks.append({"type": "section", "block_id": ids.TOTAL_BLOCK,
                   "text": {"type": "mrkdwn", "text": totals_text(form.totals, form.line_amount_types)}})
    footer = ("Saving updates the Xero draft." if meta.mode == "edit" else
              "Submitting creates a DRAFT invoice in Xero and asks finance to approve it.")
    blocks.append({"type": "context", "block_id": "invoice_footer", "elements": [{"type": "mrkdwn", "text": footer}]})
    submit = "Save" if meta.mode == "edit" else "Submit for approval"
    return {"type": "modal", "callback_id": ids.FORM_VIEW, "title": plain(title, 24), "submit": plain(submit, 24),
            "close": plain("Cancel", 24), "blocks": blocks, "private_metadata": meta.dump()}


def with_form_errors(view: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """The form again with the errors shown under their fields (for a views.update after the ack)."""
    blocks = []
    for block in view["blocks"]:
        blocks.append(block)
        message = errors.get(block.get("block_id", ""))
        if message:
            blocks.append({"type": "context", "block_id": f"{block['block_id']}_error",
                           "elements": [{"type": "mrkdwn", "text": f":warning: {cut(mrkdwn_escape(message), 2900)}"}]})
    return {**view, "blocks": blocks[:100]}


# --- after submitting ----------------------------------------------------------------------


def draft_link(draft: DraftSummary) -> str:
    number = draft.xero_invoice_number or f"draft {draft.id}"
    return f"<{draft.xero_url}|{mrkdwn_escape(number)}>" if draft.xero_url else mrkdwn_escape(number)


def done_view(outcome: SubmitOutcome, finance_channel: str | None) -> dict[str, Any]:
    draft = outcome.draft
    assert draft is not None
    where = f"<#{finance_channel}>" if finance_channel else "finance"
    if draft.status == "awaiting_approval":
        text = (f":white_check_mark: {draft_link(draft)} is a DRAFT in Xero for "
                f"{mrkdwn_escape(draft.contact_name or '')}: *{format_money(draft.total.amount, draft.currency)} "
                f"{draft.currency}*.\nIt is waiting for approval in {where}; I'll tell you when it is decided.")
    elif draft.status == "submitting":
        text = (f":hourglass_flowing_sand: Draft {draft.id} is being created in Xero. I'll post it to {where} "
                "as soon as Xero confirms it.")
    else:
        text = f"Draft {draft.id} is {draft.status.replace('_', ' ')}."
    if outcome.repeated:
        text += "\n_(You submitted this form already; this is the same draft, not a second invoice.)_"
    blocks: list[dict[str, Any]] = [{"type": "section", "block_id": "invoice_done",
                                     "text": {"type": "mrkdwn", "text": text}}]
    if outcome.warnings:
        blocks.append({"type": "context", "block_id": "invoice_done_warnings",
                       "elements": [{"type": "mrkdwn", "text": f":warning: {cut(mrkdwn_escape(w), 2900)}"}
                                    for w in outcome.warnings[:5]]})
    return {"type": "modal", "callback_id": ids.DONE_VIEW, "title": plain("Invoice submitted", 24),
            "close": plain("Done", 24), "blocks": blocks}


def working_view(title: str, text: str) -> dict[str, Any]:
    return {"type": "modal", "callback_id": ids.DONE_VIEW, "title": plain(title, 24), "close": plain("Close", 24),
            "blocks": [{"type": "section", "block_id": "invoice_working", "text": {"type": "mrkdwn", "text": text}}]}


def message_view(title: str, text: str) -> dict[str, Any]:
    return working_view(title, mrkdwn_escape(text))


def reject_view(draft: DraftSummary, channel: str | None, ts: str | None) -> dict[str, Any]:
    about = (f"Reject {draft_link(draft)} for {mrkdwn_escape(draft.contact_name or '')} "
             f"({format_money(draft.total.amount, draft.currency)} {draft.currency}), asked for by "
             f"<@{draft.requested_by}>. The Xero draft is deleted and the rep gets your reason.")
    return {"type": "modal", "callback_id": ids.REJECT_VIEW, "title": plain("Reject the draft", 24),
            "submit": plain("Reject", 24), "close": plain("Cancel", 24),
            "private_metadata": json.dumps({"d": draft.id, "c": channel, "t": ts}),
            "blocks": [{"type": "section", "block_id": "reject_about", "text": {"type": "mrkdwn", "text": about}},
                       _input(ids.REASON_BLOCK, "Why?", {"type": "plain_text_input", "action_id": ids.REASON_ACTION,
                                                         "multiline": True, "max_length": 2000,
                                                         "placeholder": plain("What should the rep fix?")})]}
