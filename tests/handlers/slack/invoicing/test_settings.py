"""What app.yml changes: Xero emails the approved invoice (`xero.send_on_approve`), tax-inclusive
amounts (`xero.line_amount_types`), and a write-back field the org no longer has (`salesforce.writeback`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from integrations import demo_data as demo
from tests.bot.sync.conftest import World
from tests.conftest import ROOT
from tests.handlers.slack.conftest import RunningBot, RunningSlack, eventually

from .conftest import FINANCE, REP, card, click, dms, drafts, slash, start_bot, submit, text_of, xero_invoices

ACME_EXPANSION = demo.OPPORTUNITIES[0]


@pytest.fixture
def configured(world: World, slack: RunningSlack, tmp_path: Path, request: pytest.FixtureRequest,
               ) -> Iterator[RunningBot]:
    text = (ROOT / "app.yml").read_text()
    for old, new in request.param:
        assert old in text
        text = text.replace(old, new)
    (tmp_path / "app.yml").write_text(text)
    yield from start_bot(world, slack, tmp_path / "app.yml")


def approve_acme(bot: RunningBot) -> None:
    ack, _ = submit(bot, REP, slash(bot, "invoice Acme Corporation - Expansion"))
    assert ack["response_action"] == "update", ack
    click(bot, FINANCE, "invoice_approve", message=card(bot))
    eventually(lambda: drafts(bot)[0].status == "approved")


@pytest.mark.parametrize("configured", [[("send_on_approve: false", "send_on_approve: true")]], indirect=True)
def test_send_on_approve_has_xero_email_the_invoice(configured: RunningBot, world: World) -> None:
    approve_acme(configured)
    [invoice] = xero_invoices(world, ACME_EXPANSION.name)
    assert world.xero.sent_emails == [{"InvoiceID": invoice["InvoiceID"], "To": "accounts@acme.example"}]
    assert invoice["SentToContact"] is True


@pytest.mark.parametrize("configured", [[("line_amount_types: Exclusive", "line_amount_types: Inclusive")]],
                         indirect=True)
def test_tax_inclusive_amounts(configured: RunningBot, world: World) -> None:
    bot = configured
    form = slash(bot, "invoice Acme Corporation - Expansion")
    assert "*Total $14,900.00 USD*" in text_of(form.definition["blocks"])  # the 10% is inside the amounts
    assert "amounts include tax" in text_of(form.definition["blocks"])
    submit(bot, REP, form)
    [invoice] = xero_invoices(world, ACME_EXPANSION.name)
    assert invoice["LineAmountTypes"] == "Inclusive" and invoice["Total"] == Decimal("14900.00")
    assert invoice["TotalTax"] == Decimal("1354.54")  # 1,090.91 + 218.18 + 45.45, per line
    assert drafts(bot)[0].total_tax == Decimal("1354.54") and "Xero's totals differ" not in text_of(card(bot).blocks)


def test_a_missing_write_back_field_is_told_not_hidden(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    world.salesforce.drop_field("Opportunity", "Xero_Invoice_Status__c")  # an admin deleted it since the sync
    approve_acme(bot)
    [invoice] = xero_invoices(world, ACME_EXPANSION.name)
    assert invoice["Status"] == "AUTHORISED"  # approved all the same
    note = eventually(lambda: [m for m in bot.slack.state.ephemeral_for(FINANCE) if "write-back" in m.text])
    assert note and "Opportunity has no field Xero_Invoice_Status__c" in note[-1].text
    assert "Salesforce write-back failed" in text_of(card(bot).blocks)
    assert eventually(lambda: dms(bot, REP))


def test_a_write_back_salesforce_refused_for_a_while_is_retried(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    world.salesforce.fail_next(1, 503)  # Salesforce is down when finance approves
    approve_acme(bot)
    assert eventually(lambda: "Salesforce write-back failed, Paidup retries it" in text_of(card(bot).blocks))
    assert world.salesforce.get("Opportunity", ACME_EXPANSION.id).get("Xero_Invoice_Number__c") is None
    [draft] = drafts(bot)
    assert bot.paidup.invoicing.recover(older_than=timedelta(0)) == [draft.id]  # the scheduler's minute job
    [invoice] = xero_invoices(world, ACME_EXPANSION.name)
    assert world.salesforce.get("Opportunity", ACME_EXPANSION.id)["Xero_Invoice_Number__c"] == invoice["InvoiceNumber"]
    assert eventually(lambda: "write-back failed" not in text_of(card(bot).blocks))
    assert drafts(bot)[0].last_error is None and bot.paidup.invoicing.recover(older_than=timedelta(0)) == []
