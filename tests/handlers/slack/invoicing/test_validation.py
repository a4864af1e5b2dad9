"""Each problem lands on its block (``response_action: errors``) before anything reaches Xero, and
Xero's own refusals are shown in words on the right field."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

from integrations import demo_data as demo
from integrations.slack_sandbox.surfaces import View
from tests.bot.sync.conftest import World
from tests.handlers.slack.conftest import RunningBot

from .conftest import REP, add_opportunity, click, drafts, modal_after, selected, slash, submit, xero_invoices

ACME_EXPANSION = demo.OPPORTUNITIES[0]
STARK = demo.OPPORTUNITIES[3]


def refused(bot: RunningBot, view: View, values: dict[str, Any] | None) -> dict[str, str]:
    ack, top = submit(bot, REP, view, values)
    assert ack is not None and ack["response_action"] == "errors", ack
    assert top is not None and top.id == view.id and top.errors == ack["errors"]  # the modal stays open
    return ack["errors"]


def test_each_validation_error_lands_on_its_block(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    form = slash(bot, "invoice Acme Corporation - Expansion")
    errors = refused(bot, form, {"invoice_contact": {"contact": {"selected_option": None}}})
    assert list(errors) == ["invoice_contact"] and "Choose the Xero contact" in errors["invoice_contact"]
    errors = refused(bot, form, {"line_l2_unit_amount": {"unit_amount": {"value": "-240"}},
                                 "line_l3_quantity": {"quantity": {"value": "0"}}})
    assert set(errors) == {"line_l2_unit_amount", "line_l3_quantity"}
    assert "Negative amounts can't be invoiced" in errors["line_l2_unit_amount"]
    errors = refused(bot, form, {"line_l1_tax_type": {"tax_type": selected("INPUT")}})
    assert list(errors) == ["line_l1_tax_type"]
    assert "Sales Tax on Purchases can't be used with account 200 Sales" in errors["line_l1_tax_type"]
    errors = refused(bot, form, {"invoice_due_date": {"due_date": {"selected_date": "2000-01-01"}}})
    assert list(errors) == ["invoice_due_date"] and "before the invoice date" in errors["invoice_due_date"]
    assert xero_invoices(world, ACME_EXPANSION.name) == [] and drafts(bot) == []


def test_no_lines_left(invoicing_bot: RunningBot) -> None:
    bot = invoicing_bot
    form = slash(bot, "invoice Stark Industries - Pilot")
    click(bot, REP, "invoice_remove_line_l1", view=form)
    form = modal_after(bot, REP, form)
    errors = refused(bot, form, None)
    assert list(errors) == ["invoice_reference"] and "at least one line" in errors["invoice_reference"]


def test_currency_not_enabled_in_xero(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    add_opportunity(world, "Acme Corporation - Swiss office", "acme", demo.REP, "CHF", [("SEAT", "5", "240.00", None)])
    assert bot.paidup.sync.sync("salesforce").status == "ok"
    form = slash(bot, "invoice Swiss office")
    errors = refused(bot, form, None)
    assert list(errors) == ["invoice_currency"] and "CHF is not enabled in the Xero organisation" in \
        errors["invoice_currency"]


def test_archived_contact(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    world.xero.archive_contact(demo.XERO_CONTACT["acme"].id, notify=False)
    assert bot.paidup.sync.sync("xero").status == "ok"
    form = slash(bot, "invoice Acme Corporation - Expansion")
    errors = refused(bot, form, None)
    assert list(errors) == ["invoice_contact"] and "Acme Corporation is archived in Xero" in errors["invoice_contact"]


def test_a_xero_validation_error_is_shown_on_its_field_then_fixed(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    lock = "The document date cannot be before the end of year lock date, currently set at 31 December 2030."
    world.xero.faults.reject_writes_to(ACME_EXPANSION.name, lock)
    form = slash(bot, "invoice Acme Corporation - Expansion")
    errors = refused(bot, form, None)
    assert errors == {"invoice_date": f"Xero: {lock}"}
    [draft] = drafts(bot)
    assert draft.status == "failed" and draft.last_error == lock and xero_invoices(world, ACME_EXPANSION.name) == []
    world.xero.faults.clear()  # finance moved the lock date; the rep submits the same modal again
    ack, _ = submit(bot, REP, form, None)
    assert ack["response_action"] == "update", ack
    [draft] = drafts(bot)
    [invoice] = xero_invoices(world, ACME_EXPANSION.name)
    assert draft.status == "awaiting_approval" and draft.xero_invoice_id == invoice["InvoiceID"]
    assert invoice["Total"] == Decimal("16390.00")


def test_a_forged_submission_is_refused(invoicing_bot: RunningBot, world: World) -> None:
    """What Slack sends back can be tampered with: the opportunity and item codes are checked again."""
    bot = invoicing_bot
    form = slash(bot, "invoice Stark Industries - Pilot")
    meta = json.loads(form.definition["private_metadata"])
    someone_elses = {**form.definition, "private_metadata": json.dumps({**meta, "o": demo.OPPORTUNITIES[2].id})}
    errors = refused(bot, replace(form, definition=someone_elses), None)
    assert errors == {"invoice_contact": "Only the opportunity's owner or finance can invoice it."}
    made_up = {**form.definition, "private_metadata": json.dumps({**meta, "l": [["l1", "NOT-AN-ITEM"]]})}
    errors = refused(bot, replace(form, definition=made_up), None)
    assert list(errors) == ["line_l1_description"] and "Xero item NOT-AN-ITEM no longer exists" in \
        errors["line_l1_description"]
    assert drafts(bot) == [] and xero_invoices(world, demo.OPPORTUNITIES[2].name) == []
