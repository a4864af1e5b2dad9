"""The approval card: approve (AUTHORISED, write-back, card updated in place, rep told), four eyes,
non-approvers, approver groups, reject with a reason and resubmit, edit then approve, and a draft
changed in Xero meanwhile."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from integrations import demo_data as demo
from integrations.slack_sandbox.surfaces import Message
from tests.bot.sync.conftest import World
from tests.conftest import ROOT
from tests.handlers.slack.conftest import RunningBot, RunningSlack, eventually

from .conftest import (
    FINANCE,
    REP,
    SELLER,
    card,
    click,
    dms,
    drafts,
    finance_cards,
    modal_after,
    slash,
    start_bot,
    submit,
    text_of,
    xero_invoices,
)

ACME_EXPANSION = demo.OPPORTUNITIES[0]


def submitted(bot: RunningBot, text: str = "invoice Acme Corporation - Expansion", user: str = REP) -> Message:
    form = slash(bot, text, user=user)
    ack, _ = submit(bot, user, form)
    assert ack["response_action"] == "update", ack
    return card(bot)


def told(bot: RunningBot, user: str, words: str) -> Message:
    notes = eventually(lambda: [m for m in bot.slack.state.ephemeral_for(user) if words in m.text])
    assert notes, f"{user} was not told {words!r}"
    return notes[-1]


def test_four_eyes_refuses_the_requester(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    approval = submitted(bot, user=FINANCE)  # finance may invoice anyone's deal, but not approve it too
    click(bot, FINANCE, "invoice_approve", message=approval)
    told(bot, FINANCE, "Four eyes: you asked for this invoice")
    [draft] = drafts(bot)
    assert draft.status == "awaiting_approval" and xero_invoices(world, ACME_EXPANSION.name)[0]["Status"] == "DRAFT"


def test_non_approvers_cannot_decide(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    approval = submitted(bot)
    click(bot, SELLER, "invoice_approve", message=approval)
    told(bot, SELLER, "Only finance approvers")
    click(bot, SELLER, "invoice_reject", message=approval)
    told(bot, SELLER, "Only finance approvers can reject")
    assert bot.slack.state.open_view_for(SELLER) is None
    [draft] = drafts(bot)
    assert draft.status == "awaiting_approval" and xero_invoices(world, ACME_EXPANSION.name)[0]["Status"] == "DRAFT"


def test_reject_with_a_reason_then_fix_and_resubmit(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    approval = submitted(bot)
    click(bot, FINANCE, "invoice_reject", message=approval)
    reason_modal = modal_after(bot, FINANCE)
    ack, _ = submit(bot, FINANCE, reason_modal, {"reject_reason": {"reason": {"value": "  "}}})
    assert ack["response_action"] == "errors" and "reject_reason" in ack["errors"]
    ack, _ = submit(bot, FINANCE, reason_modal, {"reject_reason": {"reason": {"value": "Onboarding is free"}}})
    assert ack is None  # closed at once; the Xero draft is deleted after the ack
    assert eventually(lambda: xero_invoices(world, ACME_EXPANSION.name)[0]["Status"] == "DELETED")
    assert eventually(lambda: "Rejected by <@U0FINANCE1>" in text_of(card(bot).blocks))
    assert "Onboarding is free" in text_of(card(bot).blocks) and "invoice_approve" not in text_of(card(bot).blocks)
    dm = eventually(lambda: dms(bot, REP))[-1]
    assert "was rejected by <@U0FINANCE1>" in dm.text and "Onboarding is free" in dm.text
    confirmation = bot.slack.state.open_view_for(REP)  # the rep's "submitted" view from before
    click(bot, REP, "invoice_resubmit", message=dm)
    form = modal_after(bot, REP, confirmation)
    assert form.definition["title"]["text"] == "Fix and resubmit" and "Onboarding is free" in text_of(
        form.definition["blocks"])
    click(bot, REP, "invoice_remove_line_l3", view=form)
    form = modal_after(bot, REP, form)
    ack, _ = submit(bot, REP, form)
    assert ack["response_action"] == "update", ack
    invoices = xero_invoices(world, ACME_EXPANSION.name)
    assert sorted(i["Status"] for i in invoices) == ["DELETED", "DRAFT"]
    assert next(i for i in invoices if i["Status"] == "DRAFT")["Total"] == Decimal("15840.00")  # 14,400 + 10%
    assert [d.status for d in drafts(bot)] == ["rejected", "awaiting_approval"]
    assert len(eventually(lambda: len(finance_cards(bot)) == 2 and finance_cards(bot))) == 2


def test_edit_then_approve(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    approval = submitted(bot)
    click(bot, FINANCE, "invoice_edit", message=approval)
    form = modal_after(bot, FINANCE)
    assert form.definition["title"]["text"].startswith("Edit draft") and form.definition["submit"]["text"] == "Save"
    ack, top = submit(bot, FINANCE, form, {"line_l2_quantity": {"quantity": {"value": "12"}}})
    assert ack["response_action"] == "update" and "the Xero draft is updated" in text_of(top.definition["blocks"])
    [invoice] = xero_invoices(world, ACME_EXPANSION.name)
    assert invoice["Status"] == "DRAFT" and invoice["Total"] == Decimal("16918.00")  # 15,380 + 10%
    assert "$16,918.00" in text_of(card(bot).blocks) and bot.slack.state.calls("chat.update")
    assert "Finance edited your invoice draft" in eventually(lambda: dms(bot, REP))[-1].text
    click(bot, FINANCE, "invoice_approve", message=card(bot))
    eventually(lambda: xero_invoices(world, ACME_EXPANSION.name)[0]["Status"] == "AUTHORISED")
    [draft] = drafts(bot)
    assert eventually(lambda: drafts(bot)[0].status == "approved") and draft.total == Decimal("16918.00")


def test_a_draft_changed_in_xero_is_shown_not_overwritten(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    approval = submitted(bot)
    [draft] = drafts(bot)
    from integrations.xero.write_models import InvoiceUpdate
    bot.paidup.xero.update_invoice(draft.xero_invoice_id, InvoiceUpdate(reference="PO 4711 (changed in Xero)"))
    click(bot, FINANCE, "invoice_approve", message=approval)
    note = told(bot, FINANCE, "someone changed it in Xero meanwhile")
    assert "PO 4711 (changed in Xero)" in note.text
    invoice = world.xero.ledger.invoice(draft.xero_invoice_id)
    assert invoice["Status"] == "DRAFT" and invoice["Reference"] == "PO 4711 (changed in Xero)"
    assert eventually(lambda: "PO 4711 (changed in Xero)" in text_of(card(bot).blocks))  # the card shows Xero's
    click(bot, FINANCE, "invoice_approve", message=card(bot))  # looked it over: approve what Xero has
    eventually(lambda: world.xero.ledger.invoice(draft.xero_invoice_id)["Status"] == "AUTHORISED")
    assert world.xero.ledger.invoice(draft.xero_invoice_id)["Reference"] == "PO 4711 (changed in Xero)"
    assert eventually(lambda: drafts(bot)[0].status == "approved")


def test_approver_group_members_may_approve(world: World, slack: RunningSlack, tmp_path: Path) -> None:
    config = tmp_path / "app.yml"
    config.write_text((ROOT / "app.yml").read_text().replace("approvers: [U0FINANCE1]", "approvers: []")
                      .replace("approver_groups: []", "approver_groups: [S0FINANCE]"))
    running = start_bot(world, slack, config)
    bot = next(running)
    try:
        approval = submitted(bot)
        click(bot, FINANCE, "invoice_approve", message=approval)  # a member of @finance
        eventually(lambda: xero_invoices(world, ACME_EXPANSION.name)[0]["Status"] == "AUTHORISED")
        assert slack.state.calls("usergroups.users.list")
        assert eventually(lambda: "Approved by <@U0FINANCE1>" in text_of(card(bot).blocks))
        assert not bot.paidup.invoicing.is_approver(SELLER)  # not in @finance; the group was asked once (cached)
        assert len(slack.state.calls("usergroups.users.list")) == 1
    finally:
        running.close()
