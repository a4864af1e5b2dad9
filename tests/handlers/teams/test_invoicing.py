"""Invoices in Teams, end to end through `POST /api/messages`: "invoice <deal>" offers the deal, its
button opens the pre-filled form dialog (task/fetch), Submit creates the Xero DRAFT (task/submit),
the approval card lands in the finance conversation, Approve / Reject (Action.Execute) decide and
replace the card in place; four-eyes, approvers by email or Entra id, double clicks and double
submits make one invoice; the rep hears back in their 1:1 chat."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal

from integrations import demo_data as demo
from integrations.teams_sandbox import TeamsUser
from tests.bot.sync.conftest import World, world  # noqa: F401
from tests.handlers.slack.invoicing.conftest import drafts, xero_invoices

from .invoicing_world import InvoicingWorld, find_action, inputs_of, invoicing  # noqa: F401

ACME_EXPANSION = demo.OPPORTUNITIES[0]  # USD, three lines, Acme linked by ContactNumber
ADAPTIVE = "application/vnd.microsoft.card.adaptive"


def open_form(on: InvoicingWorld, user: TeamsUser | None = None) -> dict:
    user = user or on.rita
    picker = on.bot.ask(user, "invoice Acme Corporation - Expansion")
    [button] = picker.cards[0]["actions"]
    assert button["title"].startswith("Acme Corporation - Expansion 2027") and button["data"]["task"] == "new_invoice"
    dialog = on.fetch(user, button["data"])
    assert dialog["type"] == "continue"
    return dialog


def submitted(on: InvoicingWorld, user: TeamsUser | None = None) -> None:
    response = on.submit(user or on.rita, open_form(on, user))
    assert response.status_code == 200 and response.json()["task"]["type"] == "message", response.text


def test_the_form_is_pre_filled_and_submit_makes_a_xero_draft(invoicing: InvoicingWorld) -> None:  # noqa: F811
    dialog = open_form(invoicing)
    card = dialog["value"]["card"]
    assert dialog["value"]["title"] == f"Invoice {ACME_EXPANSION.name}" and card["contentType"] == ADAPTIVE
    shown = inputs_of(card["content"])
    assert shown["contact"] == demo.XERO_CONTACT["acme"].id and shown["currency"] == "USD"
    assert shown["line:l2:quantity"] == "10" and shown["line:l2:unit_amount"] == "240"
    assert shown["line:l3:account_code"] == "260" and shown["reference"] == ACME_EXPANSION.name
    assert "**Total $16,390.00 USD**" in json.dumps(card["content"], ensure_ascii=False)  # 14,900.00 + 10% OUTPUT
    response = invoicing.submit(invoicing.rita, dialog)
    closing = response.json()["task"]
    assert closing["type"] == "message" and "sent to finance for approval" in closing["value"]
    [created] = xero_invoices(invoicing.world, ACME_EXPANSION.name)
    assert created["Status"] == "DRAFT" and created["Total"] == Decimal("16390.00") and len(created["LineItems"]) == 3
    [approval] = invoicing.approval_cards()
    card = approval.cards[0]
    assert card["body"][0]["text"] == "Invoice draft for approval"
    facts = {f["title"]: f["value"] for f in card["body"][1]["facts"]}
    assert facts["Total"] == "$16,390.00 USD" and facts["Requested by"] == "Rita Rep"
    assert facts["Xero"].startswith(f"[{created['InvoiceNumber']}](") and facts["Xero"].endswith("(DRAFT)")
    assert [a["title"] for a in card["actions"]] == ["Approve", "Reject", "Edit"]


def test_approve_in_place_then_a_double_click_changes_nothing(invoicing: InvoicingWorld) -> None:  # noqa: F811
    submitted(invoicing)
    [approval] = invoicing.approval_cards()
    approve = find_action(approval.cards[0], "Approve")
    stale = invoicing.channel.execute(invoicing.otto, approve["verb"], approve["data"], reply_to=approval.id,
                                      conversation=approval.conversation_id)
    response = invoicing.execute(invoicing.fiona, approval, "Approve")
    body = response.json()
    assert response.status_code == 200 and body["type"] == ADAPTIVE
    assert body["value"]["body"][0]["text"] == "Invoice approved" and "actions" not in body["value"]
    assert "✅ Approved by Fiona Finance on " in json.dumps(body["value"], ensure_ascii=False)
    [created] = xero_invoices(invoicing.world, ACME_EXPANSION.name)
    assert created["Status"] == "AUTHORISED"
    assert approval.cards[0]["body"][0]["text"] == "Invoice approved"  # the posted card updated too (PUT)
    opp = invoicing.world.salesforce.get("Opportunity", ACME_EXPANSION.id)
    assert opp["Xero_Invoice_Number__c"] == created["InvoiceNumber"]
    told = [p.activity.get("summary", "") for p in invoicing.chat_of(invoicing.rita)]
    assert any("was approved by Fiona Finance and is AUTHORISED in Xero" in t for t in told), told
    again = invoicing.bot.post(stale).json()  # Approve on the card as it was, a second after
    assert "is already approved by Fiona Finance" in json.dumps(again, ensure_ascii=False)
    [draft] = drafts(invoicing.bot)  # type: ignore[arg-type]
    assert draft.status == "approved" and draft.decided_by == invoicing.fiona.aad_object_id
    assert len(xero_invoices(invoicing.world, ACME_EXPANSION.name)) == 1


def test_four_eyes_and_who_may_approve(invoicing: InvoicingWorld) -> None:  # noqa: F811
    submitted(invoicing, invoicing.fiona)  # finance may invoice anyone's deal, but not approve it too
    [approval] = invoicing.approval_cards()
    own = invoicing.execute(invoicing.fiona, approval, "Approve").json()
    assert own["type"] == "application/vnd.microsoft.activity.message"
    assert own["value"].startswith("Four eyes: you asked for this invoice")
    rep = invoicing.execute(invoicing.sam, approval, "Approve").json()
    assert rep["value"].startswith("Only finance approvers (the approvers named in app.yml) can approve")
    assert drafts(invoicing.bot)[0].status == "awaiting_approval"  # type: ignore[arg-type]
    by_entra_id = invoicing.execute(invoicing.otto, approval, "Approve").json()
    assert by_entra_id["value"]["body"][0]["text"] == "Invoice approved"
    assert xero_invoices(invoicing.world, ACME_EXPANSION.name)[0]["Status"] == "AUTHORISED"


def test_a_double_submit_makes_one_invoice(invoicing: InvoicingWorld) -> None:  # noqa: F811
    dialog = open_form(invoicing)
    with ThreadPoolExecutor(2) as pool:
        responses = list(pool.map(lambda _: invoicing.submit(invoicing.rita, dialog), range(2)))
    assert [r.status_code for r in responses] == [200, 200]
    assert all(r.json()["task"]["type"] == "message" for r in responses)
    assert len(xero_invoices(invoicing.world, ACME_EXPANSION.name)) == 1
    assert len(drafts(invoicing.bot)) == 1 and len(invoicing.approval_cards()) == 1  # type: ignore[arg-type]


def test_reject_with_a_reason_then_fix_and_resubmit(invoicing: InvoicingWorld) -> None:  # noqa: F811
    submitted(invoicing)
    [approval] = invoicing.approval_cards()
    empty = invoicing.execute(invoicing.fiona, approval, "Reject", reason="  ").json()
    assert empty["value"].startswith("Say why the draft is rejected")
    rejected = invoicing.execute(invoicing.fiona, approval, "Reject", reason="Wrong PO number").json()
    assert rejected["value"]["body"][0]["text"] == "Invoice draft rejected"
    assert "Rejected by Fiona Finance" in json.dumps(rejected, ensure_ascii=False)
    assert xero_invoices(invoicing.world, ACME_EXPANSION.name)[0]["Status"] == "DELETED"
    dm = next(p for p in invoicing.chat_of(invoicing.rita) if "was rejected by" in p.activity.get("summary", ""))
    assert "“Wrong PO number”" in dm.activity["summary"]
    [fix] = dm.cards[0]["actions"]
    dialog = invoicing.fetch(invoicing.rita, fix["data"])
    assert dialog["type"] == "continue" and "Wrong PO number" in json.dumps(dialog, ensure_ascii=False)
    fix_needed = invoicing.submit(invoicing.rita, dialog, {"line:l2:quantity": ""}).json()["task"]
    assert fix_needed["type"] == "continue"  # the resubmit dialog stays open with what to fix
    closing = invoicing.submit(invoicing.rita, dialog, {"reference": "PO-7731"}).json()["task"]
    assert closing["type"] == "message"
    assert [d.status for d in drafts(invoicing.bot)] == ["rejected", "awaiting_approval"]  # type: ignore[arg-type]
    assert len(invoicing.approval_cards()) == 2


def test_what_needs_fixing_stays_in_the_dialog(invoicing: InvoicingWorld) -> None:  # noqa: F811
    dialog = open_form(invoicing)
    response = invoicing.submit(invoicing.rita, dialog, {"line:l2:quantity": "", "due_date": "not a date"})
    again = response.json()["task"]
    assert again["type"] == "continue"
    body = again["value"]["card"]["content"]["body"]
    errors = [b["text"] for b in body if b.get("color") == "Attention"]
    assert errors, "no error shown"
    assert xero_invoices(invoicing.world, ACME_EXPANSION.name) == [] and invoicing.approval_cards() == []
    recalculated = invoicing.submit(invoicing.rita, dialog, {"line:l2:quantity": "20"}, action=1).json()["task"]
    assert "**Total $19,030.00 USD**" in json.dumps(recalculated, ensure_ascii=False)  # 10 more at $240 + 10%


def test_nothing_to_invoice_is_said_plainly(invoicing: InvoicingWorld) -> None:  # noqa: F811
    reply = invoicing.bot.ask(invoicing.sam, "invoice Acme")
    assert reply.activity["text"].startswith("No uninvoiced closed-won opportunity matches")
    stranger = invoicing.bot.teams.state.add_user("Stan Ger", "stan@elsewhere.example")
    unknown = invoicing.bot.ask(stranger, "invoice")  # the service's own words, no chat named in them
    assert unknown.activity["text"] == ("I can't tell who you are in Salesforce (no Salesforce user has your email "
                                        "address), so I can't list your opportunities.")


def test_finance_edits_the_draft_in_the_dialog(invoicing: InvoicingWorld) -> None:  # noqa: F811
    submitted(invoicing)
    [approval] = invoicing.approval_cards()
    edit = next(a for a in approval.cards[0]["actions"] if a["title"] == "Edit")
    dialog = invoicing.fetch(invoicing.fiona, edit["data"])
    assert dialog["type"] == "continue" and dialog["value"]["card"]["content"]["actions"][0]["title"] == "Save changes"
    closing = invoicing.submit(invoicing.fiona, dialog, {"line:l2:quantity": "20"}).json()["task"]
    assert closing["type"] == "message", closing
    [created] = xero_invoices(invoicing.world, ACME_EXPANSION.name)
    assert created["Status"] == "DRAFT" and created["Total"] == Decimal("19030.00")
    assert "$19,030.00 USD" in json.dumps(approval.cards[0], ensure_ascii=False)  # the card shows the edit
    assert any("Finance edited your invoice draft" in p.activity.get("summary", "")
               for p in invoicing.chat_of(invoicing.rita))


def test_two_approvers_at_once_make_one_approval(invoicing: InvoicingWorld) -> None:  # noqa: F811
    submitted(invoicing)
    [approval] = invoicing.approval_cards()
    approve = find_action(approval.cards[0], "Approve")
    clicks = [invoicing.channel.execute(user, approve["verb"], approve["data"], reply_to=approval.id,
                                        conversation=approval.conversation_id) for user in (invoicing.fiona,
                                                                                            invoicing.otto)]
    with ThreadPoolExecutor(2) as pool:
        answers = [r.json() for r in pool.map(invoicing.bot.post, clicks)]
    shown = [json.dumps(a, ensure_ascii=False) for a in answers]
    assert sum("✅ Approved by" in s and "already" not in s for s in shown) == 1, shown
    assert sum("already approved by" in s or "being approved" in s for s in shown) == 1, shown
    [created] = xero_invoices(invoicing.world, ACME_EXPANSION.name)
    assert created["Status"] == "AUTHORISED" and drafts(invoicing.bot)[0].status == "approved"  # type: ignore[arg-type]


def test_the_due_date_follows_the_invoice_date_until_the_person_sets_it(invoicing: InvoicingWorld) -> None:  # noqa: F811
    dialog = open_form(invoicing)
    shown = inputs_of(dialog["value"]["card"]["content"])
    issued, due = date.fromisoformat(shown["invoice_date"]), date.fromisoformat(shown["due_date"])
    terms = due - issued  # Acme's terms in Xero, else xero.due_days
    later = issued + timedelta(days=5)
    again = invoicing.submit(invoicing.rita, dialog, {"invoice_date": later.isoformat()}, action=1).json()["task"]
    assert inputs_of(again["value"]["card"]["content"])["due_date"] == (later + terms).isoformat()
    own = later + timedelta(days=60)  # the person's own due date stays when the invoice date moves again
    mine = invoicing.submit(invoicing.rita, again, {"due_date": own.isoformat()}, action=1).json()["task"]
    moved = invoicing.submit(invoicing.rita, mine, {"invoice_date": issued.isoformat()}, action=1).json()["task"]
    assert inputs_of(moved["value"]["card"]["content"])["due_date"] == own.isoformat()
    assert invoicing.submit(invoicing.rita, moved).json()["task"]["type"] == "message"
    [created] = xero_invoices(invoicing.world, ACME_EXPANSION.name)
    assert own.isoformat() in str(created["DueDate"])


def test_add_and_remove_lines_in_the_dialog(invoicing: InvoicingWorld) -> None:  # noqa: F811
    dialog = open_form(invoicing)
    titles = [a["title"] for a in dialog["value"]["card"]["content"]["actions"]]
    assert titles == ["Submit for approval", "Recalculate total", "Add line"]
    added = invoicing.submit(invoicing.rita, dialog, action=2).json()["task"]
    shown = inputs_of(added["value"]["card"]["content"])
    assert shown["line:t1:quantity"] == "1" and shown["line:t1:account_code"] == "200"  # app.yml's defaults
    body = added["value"]["card"]["content"]["body"]
    remove_first = next(b["actions"][0] for b in body if b["type"] == "ActionSet"
                        and b["actions"][0]["title"] == "Remove line 1")
    removed = invoicing.bot.post(invoicing.channel.task_submit(invoicing.rita, {
        **inputs_of(added["value"]["card"]["content"]), **remove_first["data"]})).json()["task"]
    left = inputs_of(removed["value"]["card"]["content"])
    assert "line:l1:quantity" not in left and "line:t1:quantity" in left
    done = invoicing.submit(invoicing.rita, removed, {"line:t1:description": "Travel", "line:t1:unit_amount": "150"})
    assert done.json()["task"]["type"] == "message", done.text
    [created] = xero_invoices(invoicing.world, ACME_EXPANSION.name)
    assert [line["Description"] for line in created["LineItems"]][-1] == "Travel" and len(created["LineItems"]) == 3
    assert created["Total"] == Decimal("3355.00")  # line 1 gone: (2,400.00 + 500.00 + 150.00) + 10% OUTPUT
