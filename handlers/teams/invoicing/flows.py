"""Invoicing from Teams, one function per step; each calls the invoicing service once or twice and
answers with a card, a dialog or a message.

    "invoice [deal]"                  → the person's closed-won deals to invoice (buttons open the form)
    task/fetch new|edit|resubmit      → the form dialog, pre-filled by the service
    task/submit submit_invoice        → InvoicingService.submit (or .edit); errors keep the dialog open
    task/submit price_invoice         → the same form with the total recalculated
    approve_draft / reject_draft      → InvoicingService.approve / .reject; the card replaced in place
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from bot.domain.intents import InvoiceIntent
from bot.services.invoicing import InvoiceInput, InvoicingService, LineInput
from bot.services.invoicing.form import MAX_LINES
from bot.services.invoicing.service import FormOutcome
from bot.services.people import ProfileLookup
from handlers.common.questions import Question
from handlers.teams.cards.common import CardReply
from handlers.teams.invoicing.cards import (
    EDIT_TASK,
    NEW_TASK,
    RESUBMIT_TASK,
    NameOf,
    approval_card,
    humanise,
    picker_card,
)
from handlers.teams.invoicing.form import (
    ADD_LINE_TASK,
    PRICE_TASK,
    REMOVE_LINE_TASK,
    FormMeta,
    closing_message,
    dialog,
    form_card,
    read_input,
)
from handlers.teams.turn import Turn

SERVICE = "teams_invoicing"  # the Paidup property: InvoicingService with Teams approvers and notifier
NOT_AVAILABLE = "Invoicing is not available in this Paidup, so I can't do that."
MESSAGE_ONLY = ("four_eyes", "not_allowed", "not_found", "invalid")  # the card stays as it is


def service_of(turn: Turn) -> InvoicingService | None:
    service = turn.services.find(SERVICE)
    return service if isinstance(service, InvoicingService) else None


def name_of(turn: Turn) -> NameOf:
    return turn.name_of


def known_sender(turn: Turn, service: InvoicingService) -> ProfileLookup:
    """Map the sender to Salesforce as a Teams user (cached) before the service asks by id alone."""
    lookup = turn.profile_lookup()
    service.people.salesforce_user(turn.user_key, lookup, platform="teams")
    return lookup


def answer_invoice(turn: Turn, service: object, question: Question) -> CardReply:
    assert isinstance(service, InvoicingService) and isinstance(question.intent, InvoiceIntent)
    lookup = known_sender(turn, service)
    picker = service.picker(turn.user_key, question.intent.query, lookup)
    if not picker.options:
        return CardReply(humanise(picker.message or "No closed-won opportunity is waiting to be invoiced.",
                                  name_of(turn)))
    return picker_card(picker, question.intent.query)


def _form_outcome(turn: Turn, service: InvoicingService, task: str, data: Mapping[str, Any]) -> FormOutcome | None:
    lookup = known_sender(turn, service)
    draft = data.get("draft")
    if task == NEW_TASK and isinstance(data.get("opportunity"), str):
        return service.form_for(data["opportunity"], turn.user_key, lookup)
    if task in (EDIT_TASK, RESUBMIT_TASK) and isinstance(draft, int) and not isinstance(draft, bool):
        return service.form_for_draft(draft, turn.user_key, resubmit=task == RESUBMIT_TASK)
    return None


def open_form(turn: Turn, data: Mapping[str, Any]) -> dict[str, Any]:
    """``task/fetch``: the form dialog, or a message saying why there is none."""
    service = service_of(turn)
    if service is None:
        return closing_message(NOT_AVAILABLE)
    task = str(data.get("task") or "")
    outcome = _form_outcome(turn, service, task, data)
    if outcome is None:
        return closing_message("That button doesn't say which deal or draft to invoice.")
    if outcome.form is None:
        return closing_message(humanise(outcome.message or "That can't be invoiced now.", name_of(turn)))
    form = outcome.form
    mode = {NEW_TASK: "new", EDIT_TASK: "edit", RESUBMIT_TASK: "resubmit"}[task]
    source = form.draft_id if mode == "edit" else data.get("draft") if mode == "resubmit" else None
    meta = FormMeta(mode, form.opportunity.id, uuid.uuid4().hex, source if isinstance(source, int) else None,
                    [(line.key, line.item_code) for line in form.input.lines], form.derived_due)
    return dialog(f"Invoice {form.opportunity.name}", form_card(form, meta))


def submit_form(turn: Turn, data: Mapping[str, Any]) -> dict[str, Any]:
    """``task/submit``: submit (or save) the form; what needs fixing keeps the dialog open with the errors."""
    service, meta = service_of(turn), FormMeta.read(dict(data))
    if service is None or meta is None:
        return closing_message(NOT_AVAILABLE if service is None else "That form has expired: open it again.")
    entered = read_input(meta, dict(data))
    task = data.get("task")
    if task in (PRICE_TASK, ADD_LINE_TASK, REMOVE_LINE_TASK):
        meta, entered = _reshaped(service, meta, entered, task, data.get("remove"))
        entered, due = service.follow_terms(entered, meta.due)  # the due date follows contact and date if left alone
        return _again(turn, service, replace(meta, due=due), entered, [])
    known_sender(turn, service)
    if meta.mode == "edit" and meta.draft_id is not None:
        decision = service.edit(meta.draft_id, turn.user_key, entered)
        if decision.errors:
            return _again(turn, service, meta, entered, decision.errors)
        return closing_message(humanise(decision.message, name_of(turn)))
    outcome = service.submit(turn.user_key, entered, f"teams:{meta.submission}")
    if not outcome.ok or outcome.draft is None:
        return _again(turn, service, meta, entered, outcome.errors)
    draft = outcome.draft
    total = f"{draft.total.formatted()} {draft.currency}"
    return closing_message(f"Invoice draft {draft.xero_invoice_number or draft.id} for {draft.contact_name}: {total}, "
                           "created in Xero as a DRAFT and sent to finance for approval. I'll tell you when it is "
                           "decided.")


def _reshaped(service: InvoicingService, meta: FormMeta, entered: InvoiceInput, task: object,
              remove: object) -> tuple[FormMeta, InvoiceInput]:
    """The form with a line added (the defaults from app.yml) or one removed, as entered so far."""
    if task == ADD_LINE_TASK and len(meta.lines) < MAX_LINES:
        key = meta.new_key()
        xero = service.config.xero
        line = LineInput(key, "", Decimal(1), None, None, xero.default_account_code, xero.default_tax_type)
        return meta.with_lines([*meta.lines, (key, None)]), replace(entered, lines=[*entered.lines, line])
    if task == REMOVE_LINE_TASK and len(meta.lines) > 1:
        kept = [(k, i) for k, i in meta.lines if k != remove]
        return meta.with_lines(kept), replace(entered, lines=[line for line in entered.lines if line.key != remove])
    return meta, entered


def _again(turn: Turn, service: InvoicingService, meta: FormMeta, entered: Any, errors: list) -> dict[str, Any]:
    if meta.mode == "new":
        outcome = service.form_for(meta.opportunity_id, turn.user_key, turn.profile_lookup())
    else:
        outcome = service.form_for_draft(meta.draft_id or 0, turn.user_key, resubmit=meta.mode == "resubmit") \
            if meta.draft_id is not None else None
    if outcome is None or outcome.form is None:
        words = "; ".join(e.message for e in errors) or (outcome.message if outcome else None) or "It can't be saved."
        return closing_message(humanise(words, name_of(turn)))
    form = replace(outcome.form, input=entered, totals=service.price(entered))
    return dialog(f"Invoice {form.opportunity.name}", form_card(form, meta, errors))


def _decided(turn: Turn, decision: Any) -> CardReply:
    names = name_of(turn)
    message = humanise(decision.message, names)
    if decision.draft is None or decision.code in MESSAGE_ONLY:
        return CardReply(message)
    return approval_card(decision.draft, names, None if decision.ok else message)


def approve_draft(turn: Turn, data: Mapping[str, Any]) -> CardReply:
    service, draft = service_of(turn), data.get("draft")
    if service is None or not isinstance(draft, int):
        return CardReply(NOT_AVAILABLE if service is None else "That button doesn't name a draft.")
    known_sender(turn, service)
    return _decided(turn, service.approve(draft, turn.user_key))


def reject_draft(turn: Turn, data: Mapping[str, Any]) -> CardReply:
    service, draft = service_of(turn), data.get("draft")
    if service is None or not isinstance(draft, int):
        return CardReply(NOT_AVAILABLE if service is None else "That button doesn't name a draft.")
    known_sender(turn, service)
    return _decided(turn, service.reject(draft, turn.user_key, str(data.get("reason") or "")[:2000]))
