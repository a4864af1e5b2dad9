"""Issue 7 end to end: `/paidup invoice`, the modal, Xero drafts, the approval card and the rep's
DMs, through signed requests to the bot's HTTP endpoint with the Slack stand-in and both sandboxes."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from bot.store.state import AuditEntry, InvoiceDraft
from integrations import demo_data as demo
from tests.bot.sync.conftest import World, world  # noqa: F401

from .conftest import RunningBot, eventually
from .invoicing_helpers import (  # noqa: F401
    FINANCE,
    REP,
    block,
    card,
    click,
    dms,
    invoicing_bot,
    slash,
    submit,
    text_of,
)

ACME_EXPANSION = demo.OPPORTUNITIES[0]


def xero_invoices(world: World, reference: str) -> list[dict]:  # noqa: F811
    return [i for i in world.xero.ledger.tables["Invoices"].values() if i.get("Reference") == reference]


def test_usd_happy_path_submit_approve(invoicing_bot: RunningBot, world: World) -> None:  # noqa: F811
    bot = invoicing_bot
    form = slash(bot, "invoice Acme Corporation - Expansion")
    assert form.definition["callback_id"] == "invoice_form"
    contact = block(form, "invoice_contact")["element"]["initial_option"]
    assert contact["value"] == demo.XERO_CONTACT["acme"].id
    assert block(form, "line_l1_quantity")["element"]["initial_value"] == "1"
    total = block(form, "invoice_total")["text"]["text"]
    assert "*Total $16,390.00 USD*" in total  # 14,900.00 + 10% OUTPUT

    ack, top = submit(bot, REP, form)
    assert ack["response_action"] == "update", ack
    assert top is not None and "is a DRAFT in Xero" in text_of(top.definition["blocks"])
    created = xero_invoices(world, ACME_EXPANSION.name)
    assert len(created) == 1 and created[0]["Status"] == "DRAFT" and created[0]["Total"] == Decimal("16390.00")

    approval = card(bot)
    assert "Approve" in text_of(approval.blocks)
    click(bot, FINANCE, "invoice_approve", message=approval)
    eventually(lambda: xero_invoices(world, ACME_EXPANSION.name)[0]["Status"] == "AUTHORISED")
    updated = eventually(lambda: "Approved by" in text_of(card(bot).blocks) and card(bot))
    assert updated
    told = eventually(lambda: dms(bot, REP))
    assert told and "was approved by" in told[-1].text
    with bot.paidup.db.session() as s:
        draft = s.scalar(select(InvoiceDraft))
        assert draft.status == "approved" and draft.decided_by == FINANCE
        actions = [a.action for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[:2] == ["submitted", "xero_draft_created"] and "approved" in actions
    opp = world.salesforce.get("Opportunity", ACME_EXPANSION.id)
    assert opp["Xero_Invoice_Number__c"] == created[0]["InvoiceNumber"]
