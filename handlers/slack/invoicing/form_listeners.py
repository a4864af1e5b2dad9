"""The invoice form's listeners: the live total (a changed amount, discount or tax rate redraws the
form with views.update), adding and removing lines, and submission — validated errors go back on their
blocks (``response_action: errors``); a submission that takes Xero longer than ``SUBMIT_BUDGET`` is
acked with a "creating…" view and finished with views.update."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from decimal import Decimal
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.invoicing import FieldError, FormOutcome, InvoiceInput, InvoicingService, LineInput, SubmitOutcome
from handlers.slack.blocks.help import not_available_text
from handlers.slack.invoicing import ids
from handlers.slack.invoicing.listeners import invoicing, lookup_for, user_of
from handlers.slack.invoicing.meta import FormMeta
from handlers.slack.invoicing.modal import done_view, form_view, message_view, with_form_errors, working_view
from handlers.slack.invoicing.state import entered_input
from handlers.slack.services import SlackServices

SUBMIT_BUDGET = 2.0  # seconds of Slack's 3 to wait for Xero before acking with a "creating…" view
_work = ThreadPoolExecutor(max_workers=4, thread_name_prefix="paidup-invoice")

# --- the form: live total and lines -------------------------------------------------------


def _form_again(service: InvoicingService, meta: FormMeta, user_id: str, client: WebClient) -> FormOutcome:
    if meta.mode == "edit" and meta.draft_id is not None:
        return service.form_for_draft(meta.draft_id, user_id)
    if meta.mode == "resubmit" and meta.draft_id is not None:
        return service.form_for_draft(meta.draft_id, user_id, resubmit=True)
    return service.form_for(meta.opportunity_id, user_id, lookup_for(client))


def redraw(service: InvoicingService, body: dict[str, Any], client: WebClient, meta: FormMeta,
           entered: InvoiceInput) -> None:
    """The form again with what was entered and its total now (views.update with the view's hash). A
    due date the person left as Paidup set it follows the contact and invoice date entered now: shown
    in a due date block of a new id when it changes (Slack would keep the old value under the old one)."""
    view = body["view"]
    followed, meta.due = service.follow_terms(entered, meta.due)
    if followed.due_date != entered.due_date:
        meta.due_version += 1
    entered = followed
    outcome = _form_again(service, meta, user_of(body), client)
    if outcome.form is None:
        client.views_update(view_id=view["id"], view=message_view("Create an invoice", outcome.message or ""))
        return
    form = replace(outcome.form, totals=service.price(entered))
    try:
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=form_view(form, meta, entered))
    except SlackApiError as exc:
        if exc.response.get("error") != "hash_conflict":  # a newer update won: it shows a newer total
            raise


def recalculate(services: SlackServices) -> Callable[..., None]:
    def on_change(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        service = invoicing(services)
        meta = FormMeta.load((body.get("view") or {}).get("private_metadata"))
        if service is None or meta is None:
            return
        redraw(service, body, client, meta, entered_input(body["view"], meta))

    return on_change


def add_line(services: SlackServices) -> Callable[..., None]:
    def on_add(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        service = invoicing(services)
        meta = FormMeta.load((body.get("view") or {}).get("private_metadata"))
        if service is None or meta is None:
            return
        entered = entered_input(body["view"], meta)
        key = meta.add_line()
        xero = service.config.xero
        blank = LineInput(key, "", Decimal(1), None, None, xero.default_account_code, xero.default_tax_type)
        redraw(service, body, client, meta, replace(entered, lines=[*entered.lines, blank]))

    return on_add


def remove_line(services: SlackServices) -> Callable[..., None]:
    def on_remove(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        service = invoicing(services)
        meta = FormMeta.load((body.get("view") or {}).get("private_metadata"))
        if service is None or meta is None:
            return
        key = str(action.get("value") or "")
        entered = entered_input(body["view"], meta)
        meta.lines = [(k, item) for k, item in meta.lines if k != key]
        redraw(service, body, client, meta, replace(entered, lines=[line for line in entered.lines if line.key != key]))

    return on_remove


# --- submitting ----------------------------------------------------------------------------


def errors_by_block(errors: list[FieldError], meta: FormMeta) -> dict[str, str]:
    first_line = ids.line_block(meta.lines[0][0], "description") if meta.lines else ids.REFERENCE_BLOCK
    shown: dict[str, str] = {}
    for error in errors:
        block = ids.form_field_block(error.field) or (first_line if error.field == "lines" else ids.CONTACT_BLOCK)
        block = ids.due_block(meta.due_version) if block == ids.DUE_BLOCK else block
        shown[block] = f"{shown[block]} {error.message}" if block in shown else error.message
    return {block: message[:2000] for block, message in shown.items()}


def submitted(services: SlackServices) -> Callable[..., None]:
    def on_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        service = invoicing(services)
        meta = FormMeta.load(view.get("private_metadata"))
        if service is None or meta is None:
            ack(response_action="update", view=message_view("Create an invoice", not_available_text("invoice")))
            return
        user, entered = user_of(body), entered_input(view, meta)
        if meta.mode == "edit" and meta.draft_id is not None:
            save_edit(ack, client, view, service, meta, user, entered)
            return
        errors = service.validate(entered)
        if errors:
            ack(response_action="errors", errors=errors_by_block(errors, meta))
            return
        future = _work.submit(service.submit, user, entered, str(view["id"]), lookup=lookup_for(client))
        try:
            outcome = future.result(timeout=SUBMIT_BUDGET)
        except FutureTimeout:
            ack(response_action="update", view=working_view(
                "Creating the invoice", ":hourglass_flowing_sand: Creating the draft in Xero…"))
            finish_late(client, service, view, meta, future.result())
            return
        if outcome.draft is not None and (outcome.ok or outcome.repeated):
            ack(response_action="update", view=done_view(outcome, service.config.slack.finance_channel))
        else:
            ack(response_action="errors", errors=errors_by_block(outcome.errors, meta))

    return on_submit


def finish_late(client: WebClient, service: InvoicingService, view: dict[str, Any], meta: FormMeta,
                outcome: SubmitOutcome) -> None:
    """Xero answered after the ack: show the result in the same modal (errors under their fields)."""
    if outcome.draft is not None and (outcome.ok or outcome.repeated):
        client.views_update(view_id=view["id"], view=done_view(outcome, service.config.slack.finance_channel))
        return
    again = {key: value for key, value in view.items() if key in ("type", "callback_id", "title", "submit", "close",
                                                                   "blocks", "private_metadata")}
    client.views_update(view_id=view["id"], view=with_form_errors(again, errors_by_block(outcome.errors, meta)))


def save_edit(ack: Ack, client: WebClient, view: dict[str, Any], service: InvoicingService, meta: FormMeta,
              user: str, entered: InvoiceInput) -> None:
    """Save an edit to the Xero draft; errors on their blocks, anything else in words in the modal."""
    assert meta.draft_id is not None
    errors = service.validate(entered)
    if errors:
        ack(response_action="errors", errors=errors_by_block(errors, meta))
        return
    future = _work.submit(service.edit, meta.draft_id, user, entered)
    try:
        outcome = future.result(timeout=SUBMIT_BUDGET)
    except FutureTimeout:
        ack(response_action="update", view=working_view("Saving the draft", ":hourglass_flowing_sand: Saving the "
                                                        "draft in Xero…"))
        outcome = future.result()
        title = "Draft saved" if outcome.ok else "Draft not saved"
        client.views_update(view_id=view["id"], view=message_view(title, outcome.message))
        return
    if outcome.ok:
        ack(response_action="update", view=message_view("Draft saved", outcome.message))
    elif outcome.code == "invalid":
        ack(response_action="errors", errors=errors_by_block(outcome.errors, meta))
    else:
        ack(response_action="update", view=message_view("Draft not saved", outcome.message))
