"""The invoice listeners: entry points (`/paidup invoice [deal]`, "Create invoice" buttons, the
message shortcut), the picker's type-ahead, the form's live total and line buttons, submission,
and the approval card's Approve / Edit / Reject.

Each listener acks within Slack's 3 s, calls the invoicing service (found through the
``SlackServices`` port) and renders with ``modal`` / ``cards``. A submission that takes Xero longer
than ``SUBMIT_BUDGET`` is acked with a "creating…" view and finished with views.update."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.domain.intents import InvoiceIntent
from bot.services.invoicing import (
    InvoiceForm,
    InvoicingService,
)
from bot.services.people import ProfileLookup
from handlers.common.questions import Question
from handlers.slack.answers.overdue import slack_profile_lookup
from handlers.slack.blocks.help import not_available_text
from handlers.slack.invoicing import ids
from handlers.slack.invoicing.meta import FormMeta
from handlers.slack.invoicing.modal import form_view, message_view, picker_view
from handlers.slack.services import SlackServices

log = logging.getLogger(__name__)
SUBMIT_BUDGET = 2.0  # seconds of Slack's 3 to wait for Xero before acking with a "creating…" view
SALESFORCE_ID = re.compile(r"^006[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$")
_work = ThreadPoolExecutor(max_workers=4, thread_name_prefix="paidup-invoice")


def invoicing(services: SlackServices) -> InvoicingService | None:
    service = services.find("invoicing")
    return service if isinstance(service, InvoicingService) else None


def lookup_for(client: WebClient) -> ProfileLookup:
    return slack_profile_lookup(lambda: client)


def user_of(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id") or body.get("user_id") or "")


def channel_of(body: dict[str, Any]) -> str | None:
    channel = body.get("channel")
    return str(channel.get("id")) if isinstance(channel, dict) else (body.get("channel_id") or None)


# --- opening the modal ---------------------------------------------------------------------


def first_view(service: InvoicingService, client: WebClient, user_id: str, query: str,
               channel: str | None) -> dict[str, Any]:
    """The form when ``query`` names one opportunity (an id, or one match), else the picker."""
    lookup = lookup_for(client)
    query = query.strip()
    if SALESFORCE_ID.match(query):
        return form_or_message(service, lookup, user_id, query, channel)
    picker = service.picker(user_id, query, lookup)
    if query and len(picker.options) == 1:
        return form_or_message(service, lookup, user_id, picker.options[0].id, channel)
    if query and len(picker.options) > 1:
        picker = replace(picker, message=f"{len(picker.options)} opportunities match “{query}”: pick one.")
    return picker_view(picker, channel=channel, query=query)


def form_or_message(service: InvoicingService, lookup: ProfileLookup, user_id: str, opportunity_id: str,
                    channel: str | None) -> dict[str, Any]:
    outcome = service.form_for(opportunity_id, user_id, lookup)
    if outcome.form is None:
        return message_view("Create an invoice", outcome.message or "That opportunity can't be invoiced.")
    return form_view(outcome.form, meta_for(outcome.form, "new", None, channel))


def meta_for(form: InvoiceForm, mode: str, draft_id: int | None, channel: str | None) -> FormMeta:
    return FormMeta(mode, form.opportunity.id, draft_id, [(line.key, line.item_code) for line in form.input.lines],
                    len(form.input.lines) + 1, channel, form.derived_due)


def open_modal(client: WebClient, trigger_id: str, view: dict[str, Any]) -> None:
    client.views_open(trigger_id=trigger_id, view=view)


def is_invoice_command(body: dict[str, Any]) -> bool:
    """`/paidup invoice [deal]` (and "create invoice for …"): the invoice listener takes it, not the answers."""
    question = Question.parse(str(body.get("user_id", "")), str(body.get("channel_id", "")), str(body.get("text", "")))
    return isinstance(question.intent, InvoiceIntent)


def invoice_command(services: SlackServices) -> Callable[..., None]:
    def on_invoice_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        service = invoicing(services)
        if service is None:
            ack(text=not_available_text("invoice"))
            return
        ack()
        question = Question.parse(str(body.get("user_id", "")), str(body.get("channel_id", "")),
                                  str(body.get("text", "")))
        query = getattr(question.intent, "query", "")
        open_modal(client, str(body["trigger_id"]),
                   first_view(service, client, user_of(body), query, channel_of(body)))

    return on_invoice_command


def create_invoice_button(services: SlackServices) -> Callable[..., None]:
    """"Create invoice" on a status card or the App Home (value: the opportunity id), or the button a
    DM answer offers (value ``q:<what was asked>``)."""
    def on_create_invoice(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        service = invoicing(services)
        if service is None:
            open_modal(client, str(body["trigger_id"]),
                       message_view("Create an invoice", not_available_text("invoice")))
            return
        value = str(action.get("value") or "")
        query = value[2:] if value.startswith("q:") else value
        open_modal(client, str(body["trigger_id"]), first_view(service, client, user_of(body), query, channel_of(body)))

    return on_create_invoice


def create_invoice_shortcut(services: SlackServices) -> Callable[..., None]:
    """The message shortcut: the form for the one opportunity the message names, else the picker."""
    def on_shortcut(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        service = invoicing(services)
        trigger = str(body["trigger_id"])
        if service is None:
            open_modal(client, trigger, message_view("Create an invoice", not_available_text("invoice")))
            return
        user, text = user_of(body), str((body.get("message") or {}).get("text") or "").casefold()
        lookup = lookup_for(client)
        picker = service.picker(user, "", lookup)
        named = [o for o in picker.options if o.label.split(" · ")[0].casefold() in text]
        if len(named) == 1:
            open_modal(client, trigger, form_or_message(service, lookup, user, named[0].id, channel_of(body)))
        else:
            open_modal(client, trigger, picker_view(picker, channel=channel_of(body)))

    return on_shortcut


# --- the picker ----------------------------------------------------------------------------


def opportunity_options(services: SlackServices) -> Callable[..., None]:
    def on_options(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        service = invoicing(services)
        if service is None:
            ack(options=[])
            return
        picker = service.picker(user_of(body), str(body.get("value") or ""), lookup_for(client))
        ack(options=[{"text": {"type": "plain_text", "text": o.label}, "value": o.id} for o in picker.options[:100]])

    return on_options


def picked(services: SlackServices) -> Callable[..., None]:
    def on_picked(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        service = invoicing(services)
        values = (view.get("state") or {}).get("values") or {}
        chosen = ((values.get(ids.OPPORTUNITY_BLOCK) or {}).get(ids.OPPORTUNITY_ACTION) or {}).get("selected_option")
        if service is None or not chosen:
            ack(response_action="errors", errors={ids.OPPORTUNITY_BLOCK: "Pick an opportunity."})
            return
        channel = (json.loads(view.get("private_metadata") or "{}") or {}).get("c")
        outcome = service.form_for(str(chosen["value"]), user_of(body), lookup_for(client))
        if outcome.form is None:
            ack(response_action="errors", errors={ids.OPPORTUNITY_BLOCK: outcome.message or "Not possible."})
            return
        ack(response_action="update", view=form_view(outcome.form, meta_for(outcome.form, "new", None, channel)))

    return on_picked
