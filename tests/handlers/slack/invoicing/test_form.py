"""Issue 7 end to end, the form: `/paidup invoice`, the picker, the pre-filled modal, validation on
its blocks and the Xero DRAFT, through signed requests to the bot's HTTP endpoint with the Slack
stand-in and both sandboxes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from bot.store.mirror import XeroInvoice
from bot.store.state import AccountLink, AuditEntry
from integrations import demo_data as demo
from integrations.slack_sandbox import check_message_blocks
from integrations.slack_sandbox.surfaces import View
from tests.bot.sync.conftest import World
from tests.handlers.slack.conftest import RunningBot, eventually

from .conftest import (
    FINANCE,
    REP,
    SELLER,
    add_opportunity,
    block,
    card,
    click,
    dms,
    drafts,
    modal_after,
    selected,
    slash,
    submit,
    text_of,
    xero_invoices,
)

ACME_EXPANSION = demo.OPPORTUNITIES[0]  # USD, three lines, Acme linked by ContactNumber
MULLER = demo.OPPORTUNITIES[2]  # EUR, no line items, Sam Seller's
STARK = demo.OPPORTUNITIES[3]  # USD, Stark Industries has no Xero contact


def blocks_of(view: View) -> str:
    return text_of(view.definition["blocks"])


def test_usd_happy_path_submit_then_approve(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    form = slash(bot, "invoice Acme Corporation - Expansion")
    assert form.definition["callback_id"] == "invoice_form"
    assert block(form, "invoice_contact")["element"]["initial_option"]["value"] == demo.XERO_CONTACT["acme"].id
    assert block(form, "invoice_currency")["element"]["initial_option"]["value"] == "USD"
    assert block(form, "line_l1_description")["label"]["text"] == "Line 1 (Xero item PLAT-ANNUAL)"
    assert block(form, "line_l2_quantity")["element"]["initial_value"] == "10"
    assert block(form, "line_l2_unit_amount")["element"]["initial_value"] == "240"
    assert block(form, "line_l3_account_code")["element"]["initial_option"]["value"] == "260"  # ONBOARD's account
    assert block(form, "invoice_reference")["element"]["initial_value"] == ACME_EXPANSION.name
    assert "*Total $16,390.00 USD*" in block(form, "invoice_total")["text"]["text"]  # 14,900.00 + 10% OUTPUT

    ack, top = submit(bot, REP, form)
    assert ack["response_action"] == "update", ack
    assert top is not None and "is a DRAFT in Xero" in blocks_of(top) and "$16,390.00" in blocks_of(top)
    created = xero_invoices(world, ACME_EXPANSION.name)
    assert len(created) == 1 and created[0]["Status"] == "DRAFT" and created[0]["Total"] == Decimal("16390.00")
    assert created[0]["CurrencyCode"] == "USD" and len(created[0]["LineItems"]) == 3

    approval = card(bot)
    assert created[0]["InvoiceNumber"] in approval.text and "Approve" in text_of(approval.blocks)
    click(bot, FINANCE, "invoice_approve", message=approval)
    eventually(lambda: xero_invoices(world, ACME_EXPANSION.name)[0]["Status"] == "AUTHORISED")
    assert eventually(lambda: "Approved by <@U0FINANCE1>" in text_of(card(bot).blocks))
    assert "invoice_approve" not in text_of(card(bot).blocks)  # decided: no buttons left
    assert bot.slack.state.calls("chat.update")
    told = eventually(lambda: dms(bot, REP))
    assert told and "was approved by" in told[-1].text and check_message_blocks(told[-1].blocks) == []
    [draft] = drafts(bot)
    assert draft.status == "approved" and draft.decided_by == FINANCE and draft.total == Decimal("16390.00")

    def mirrored() -> tuple[str, Decimal] | None:  # the mirror has it at once: "has Acme paid?" shows it
        with bot.paidup.db.session() as s:
            row = s.get(XeroInvoice, created[0]["InvoiceID"])
            return (row.status, row.total) if row is not None else None
    assert eventually(mirrored) == ("AUTHORISED", Decimal("16390.00"))
    with bot.paidup.db.session() as s:
        actions = [a.action for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["submitted", "xero_draft_created", "approval_started", "approved"]
    opp = world.salesforce.get("Opportunity", ACME_EXPANSION.id)
    assert opp["Xero_Invoice_Number__c"] == created[0]["InvoiceNumber"]
    assert opp["Xero_Invoice_Status__c"] == "AUTHORISED"
    assert created[0]["InvoiceID"] in opp["Xero_Invoice_URL__c"]


def test_eur_with_lines_tax_and_discount(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    name = "O'Brien & Sons - Platform EU"
    add_opportunity(world, name, "obrien", demo.REP, "EUR",
                    [("PLAT-ANNUAL", "1", "9000.00", "10"), ("CUSTOM-INT", "3", "360.00", None)])
    assert bot.paidup.sync.sync("salesforce").status == "ok"
    form = slash(bot, "invoice O'Brien & Sons - Platform")
    assert block(form, "invoice_currency")["element"]["initial_option"]["value"] == "EUR"
    assert "No Xero item for product code CUSTOM-INT" in blocks_of(form)
    contact = block(form, "invoice_contact")["element"]
    obrien = demo.XERO_CONTACT["obrien"].id
    assert obrien in text_of(contact["options"])
    values = {"invoice_contact": {"contact": selected(obrien)["selected_option"] and selected(obrien)},
              "line_l1_tax_type": {"tax_type": selected("TAX001")},
              "line_l2_tax_type": {"tax_type": selected("TAX001")}}
    ack, _ = submit(bot, REP, form, values)
    assert ack["response_action"] == "update", ack
    [invoice] = xero_invoices(world, name)
    # 8,100.00 (9,000 less 10%) + 1,080.00 = 9,180.00; VAT 20% = 1,836.00
    assert invoice["CurrencyCode"] == "EUR" and invoice["SubTotal"] == Decimal("9180.00")
    assert invoice["TotalTax"] == Decimal("1836.00") and invoice["Total"] == Decimal("11016.00")
    first = invoice["LineItems"][0]
    assert first["DiscountRate"] == Decimal("10") and first["ItemCode"] == "PLAT-ANNUAL"
    approval = card(bot)
    assert "€11,016.00 EUR" in text_of(approval.blocks) and "less 10%" in text_of(approval.blocks)
    [draft] = drafts(bot)
    assert (draft.sub_total, draft.total_tax, draft.total) == (Decimal("9180.00"), Decimal("1836.00"),
                                                                Decimal("11016.00"))
    with bot.paidup.db.session() as s:  # the suggested contact the rep confirmed is now linked
        assert s.scalar(select(AccountLink).where(AccountLink.sf_account_id == demo.SF_ACCOUNT["obrien"].id,
                                                  AccountLink.xero_contact_id == obrien)) is not None


def test_opportunity_without_line_items_gets_one_line_from_its_amount(invoicing_bot: RunningBot,
                                                                      world: World) -> None:
    bot = invoicing_bot
    form = slash(bot, "invoice Müller", user=SELLER)
    assert "no line items: one line for its amount" in blocks_of(form)
    assert block(form, "line_l1_description")["element"]["initial_value"] == MULLER.name
    assert block(form, "line_l1_unit_amount")["element"]["initial_value"] == "7500"
    assert "line_l2_description" not in blocks_of(form)
    ack, _ = submit(bot, SELLER, form)
    assert ack["response_action"] == "update", ack
    [invoice] = xero_invoices(world, MULLER.name)
    assert invoice["CurrencyCode"] == "EUR" and invoice["SubTotal"] == Decimal("7500.00")
    assert invoice["ContactID"] == demo.XERO_CONTACT["muller"].id


def test_contact_created_from_the_salesforce_account(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    form = slash(bot, f"invoice {STARK.id}")
    contact = block(form, "invoice_contact")
    assert contact["element"]["initial_option"]["value"] == "new"
    assert "10880 Malibu Point" in contact["hint"]["text"]
    ack, _ = submit(bot, REP, form)
    assert ack["response_action"] == "update", ack
    [invoice] = xero_invoices(world, STARK.name)
    created = world.xero.ledger.tables["Contacts"][invoice["ContactID"].lower()] \
        if invoice["ContactID"].lower() in world.xero.ledger.tables["Contacts"] \
        else world.xero.ledger.contact(invoice["ContactID"])
    assert created["Name"] == "Stark Industries" and created["ContactNumber"] == demo.SF_ACCOUNT["stark"].id
    assert created["Addresses"][0]["AddressLine1"] == "10880 Malibu Point"
    with bot.paidup.db.session() as s:
        link = s.scalar(select(AccountLink).where(AccountLink.sf_account_id == demo.SF_ACCOUNT["stark"].id))
        assert link is not None and link.method == "created" and link.xero_contact_id == invoice["ContactID"]
    assert "Stark Industries (new contact)" not in card(bot).text  # the card names the contact now in the mirror


def test_picker_type_ahead_then_the_form(invoicing_bot: RunningBot) -> None:
    bot = invoicing_bot
    picker = slash(bot, "invoice")
    assert picker.definition["callback_id"] == "invoice_pick"
    response = bot.post(bot.signer.block_suggestion(REP, "opportunity", "glob", view=picker))
    assert response.status_code == 200
    options = response.json()["options"]
    assert [o["text"]["text"] for o in options] == ["Globex - UK rollout · £9,180.00"]
    everything = bot.post(bot.signer.block_suggestion(REP, "opportunity", "", view=picker)).json()["options"]
    assert {o["value"] for o in everything} == {demo.OPPORTUNITIES[n].id for n in (0, 1, 3)}  # Rita's, uninvoiced
    finance = bot.post(bot.signer.block_suggestion(FINANCE, "opportunity", "", view=picker)).json()["options"]
    assert MULLER.id in {o["value"] for o in finance}  # finance can pick anyone's
    ack, form = submit(bot, REP, picker, {"invoice_opportunity": {"opportunity": {"selected_option": options[0]}}})
    assert ack["response_action"] == "update" and form is not None
    assert form.definition["callback_id"] == "invoice_form" and "Globex - UK rollout" in blocks_of(form)
    # Globex pays in 14 days (its Xero payment terms)
    issued = block(form, "invoice_date")["element"]["initial_date"]
    due = block(form, "invoice_due_date")["element"]["initial_date"]
    from datetime import date
    assert (date.fromisoformat(due) - date.fromisoformat(issued)).days == 14


def test_the_due_date_follows_the_contact_and_invoice_date_until_the_person_sets_it(invoicing_bot: RunningBot,
                                                                                 world: World) -> None:
    bot = invoicing_bot
    state = bot.slack.state
    days = timedelta(days=bot.paidup.config.xero.due_days)
    form = slash(bot, "invoice Globex - UK rollout")
    issued = date.fromisoformat(block(form, "invoice_date")["element"]["initial_date"])
    assert block(form, "invoice_due_date")["element"]["initial_date"] == (issued + timedelta(days=14)).isoformat()

    def change(values: dict[str, Any], action_id: str) -> View:
        state.set_view_values(form.id, values)
        click(bot, REP, action_id, view=state.open_view_for(REP))
        return modal_after(bot, REP, form)

    # a new contact from the Salesforce account has no terms in Xero: xero.due_days
    form = change({"invoice_contact": {"contact": {"type": "static_select", **selected("new")}}}, "contact")
    assert block(form, "invoice_due_date_1")["element"]["initial_date"] == (issued + days).isoformat()
    assert "invoice_due_date" not in [b.get("block_id") for b in form.definition["blocks"]]
    # a later invoice date moves it along
    later = issued + timedelta(days=3)
    form = change({"invoice_date": {"date": {"type": "datepicker", "selected_date": later.isoformat()}}}, "date")
    assert block(form, "invoice_due_date_2")["element"]["initial_date"] == (later + days).isoformat()
    # the person's own due date stays when the contact changes back to Globex (14 days)
    own = later + timedelta(days=45)
    state.set_view_values(form.id, {"invoice_due_date_2": {"due_date": {"type": "datepicker",
                                                                         "selected_date": own.isoformat()}}})
    globex = demo.XERO_CONTACT["globex"].id
    form = change({"invoice_contact": {"contact": {"type": "static_select", **selected(globex)}}}, "contact")
    assert block(form, "invoice_due_date_2")["element"]["initial_date"] == own.isoformat()
    ack, _ = submit(bot, REP, form)
    assert ack is not None and ack["response_action"] == "update", ack
    [created] = xero_invoices(world, "Globex - UK rollout")
    assert own.isoformat() in str(created["DueDate"])
    assert created["ContactID"] == globex


def test_live_total_add_and_remove_lines(invoicing_bot: RunningBot) -> None:
    bot = invoicing_bot
    form = slash(bot, "invoice Stark Industries - Pilot")
    assert "*Total $5,280.00 USD*" in block(form, "invoice_total")["text"]["text"]  # 20 × 240 + 10%
    bot.slack.state.set_view_values(form.id, {"line_l1_quantity": {"quantity": {"type": "number_input",
                                                                                "value": "25"}}})
    form = bot.slack.state.open_view_for(REP)
    click(bot, REP, "quantity", view=form)
    form = modal_after(bot, REP, form)
    assert "*Total $6,600.00 USD*" in block(form, "invoice_total")["text"]["text"]
    click(bot, REP, "invoice_add_line", view=form)
    form = modal_after(bot, REP, form)
    assert block(form, "line_l2_quantity")["element"]["initial_value"] == "1"
    click(bot, REP, "invoice_remove_line_l1", view=form)
    form = modal_after(bot, REP, form)
    assert "line_l1_quantity" not in blocks_of(form) and "line_l2_description" in blocks_of(form)
    assert len(form.definition["blocks"]) <= 100


def test_create_invoice_from_the_app_home_and_a_dm(invoicing_bot: RunningBot) -> None:
    bot = invoicing_bot
    assert bot.post(bot.signer.app_home_opened(REP)).status_code == 200
    home = eventually(lambda: bot.slack.state.home_for(REP))
    buttons = block(home, "home_deal_actions")["elements"]
    assert [b["text"]["text"] for b in buttons][-1] == "Invoice another deal…"
    stark = next(b for b in buttons if b["value"] == STARK.id)
    click(bot, REP, stark["action_id"], view=home)
    form = modal_after(bot, REP)
    assert form.definition["callback_id"] == "invoice_form" and STARK.name in blocks_of(form)
    bot.slack.state.close_all_views(REP)
    assert bot.post(bot.signer.message_im(REP, "create an invoice for globex")).status_code == 200
    offer = eventually(lambda: [m for m in dms(bot, REP) if "Open the invoice form" in text_of(m.blocks)])
    click(bot, REP, "create_invoice", message=offer[-1])
    form = modal_after(bot, REP)
    assert form.definition["callback_id"] == "invoice_form" and "Globex - UK rollout" in blocks_of(form)


def test_the_message_shortcut_opens_the_form_for_the_deal_it_names(invoicing_bot: RunningBot) -> None:
    bot = invoicing_bot
    message = bot.slack.state.post_as_user(REP, "Signed! Stark Industries - Pilot is closed-won, can we bill it?",
                                           channel="C0SALES")
    assert bot.post(bot.signer.message_action(REP, "create_invoice_from_message", message)).status_code == 200
    form = modal_after(bot, REP)
    assert form.definition["callback_id"] == "invoice_form" and STARK.name in blocks_of(form)


def test_a_long_opportunity_fits_the_modal(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    add_opportunity(world, "Acme Corporation - Many seats", "acme", demo.REP, "USD",
                    [("SEAT", str(n), "240.00", None) for n in range(1, 13)])
    assert bot.paidup.sync.sync("salesforce").status == "ok"
    form = slash(bot, "invoice Many seats")
    assert "Only the first 10 of 12 line items fit; add the rest in Xero." in blocks_of(form)
    assert "line_l10_quantity" in blocks_of(form) and "line_l11_quantity" not in blocks_of(form)
    assert len(form.definition["blocks"]) <= 100 and "invoice_add_line" not in blocks_of(form)
    ack, _ = submit(bot, REP, form)
    assert ack["response_action"] == "update", ack
    [invoice] = xero_invoices(world, "Acme Corporation - Many seats")
    assert len(invoice["LineItems"]) == 10 and invoice["SubTotal"] == Decimal("13200.00")  # 55 seats × 240
