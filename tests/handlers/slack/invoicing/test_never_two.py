"""Never two invoices: a double-clicked submit, two approvers at once, and a crash between the Xero
call and the commit that records it (a thread stopped at the service's seam) all end with one
invoice and one status change. Also: Xero's totals checked against Paidup's."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import HealthReport
from bot.services.invoicing import InvoicingService
from bot.store.state import AuditEntry
from handlers.slack.answers.overdue import slack_profile_lookup
from handlers.slack.invoicing import form_listeners
from integrations import demo_data as demo
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
    slash,
    start_bot,
    submit,
    text_of,
    xero_invoices,
)

ACME_EXPANSION = demo.OPPORTUNITIES[0]


class Crash(BaseException):
    """The process dies here (not an error anything in Paidup could catch and handle)."""


def audit_actions(bot: RunningBot) -> list[str]:
    with bot.paidup.db.session() as s:
        return [a.action for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_double_submit_makes_one_invoice(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    form = slash(bot, "invoice Acme Corporation - Expansion")
    requests = [bot.signer.view_submission(REP, form) for _ in range(2)]  # the same view, twice
    with ThreadPoolExecutor(2) as pool:
        responses = list(pool.map(bot.post, requests))
    assert [r.status_code for r in responses] == [200, 200]
    assert all(r.json()["response_action"] == "update" for r in responses)
    assert len(xero_invoices(world, ACME_EXPANSION.name)) == 1
    assert len(drafts(bot)) == 1
    card(bot)  # exactly one approval card
    ack, _ = submit(bot, REP, form)  # and once more, later: the same draft, shown again
    assert "not a second invoice" in text_of(ack["view"]["blocks"])
    assert len(xero_invoices(world, ACME_EXPANSION.name)) == 1 and len(finance_cards(bot)) == 1


def test_two_approvers_at_once_make_one_status_change(world: World, slack: RunningSlack, tmp_path: Path) -> None:
    config = tmp_path / "app.yml"
    config.write_text((ROOT / "app.yml").read_text().replace("approvers: [U0FINANCE1]",
                                                            "approvers: [U0FINANCE1, U0REP0002]"))
    running = start_bot(world, slack, config)
    bot = next(running)
    try:
        form = slash(bot, "invoice Acme Corporation - Expansion")
        submit(bot, REP, form)
        approval = card(bot)
        barrier = threading.Barrier(2)

        def approve(user: str) -> None:
            barrier.wait()
            click(bot, user, "invoice_approve", message=approval)

        with ThreadPoolExecutor(2) as pool:
            list(pool.map(approve, (FINANCE, SELLER)))
        eventually(lambda: drafts(bot)[0].status == "approved")
        [invoice] = xero_invoices(world, ACME_EXPANSION.name)
        assert invoice["Status"] == "AUTHORISED"
        assert eventually(lambda: len(dms(bot, REP)) == 1)
        assert audit_actions(bot).count("approved") == 1 and audit_actions(bot).count("approval_started") == 1
        winner = drafts(bot)[0].decided_by
        loser = SELLER if winner == FINANCE else FINANCE
        assert eventually(lambda: [m for m in slack.state.ephemeral_for(loser)
                                   if "being approved" in m.text or "already approved" in m.text])
        assert len([m for m in dms(bot, REP) if "was approved" in m.text]) == 1
    finally:
        running.close()


def test_crash_after_the_xero_create_before_the_commit(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    service = bot.paidup.invoicing
    outcome = service.form_for(ACME_EXPANSION.id, REP, slack_profile_lookup(lambda: bot.slack.client()))
    assert outcome.form is not None
    entered, died = outcome.form.input, []

    def crash_after_xero(step: str) -> None:
        if step == "xero_created":
            raise Crash(step)

    def rep_submits() -> None:
        try:
            service.submit(REP, entered, "V0CRASHED1")
        except Crash:
            died.append(True)  # the thread ends here, as the process would

    service.checkpoint = crash_after_xero
    worker = threading.Thread(target=rep_submits)
    worker.start()
    worker.join()
    assert died
    [draft] = drafts(bot)
    [invoice] = xero_invoices(world, ACME_EXPANSION.name)  # Xero has it; Paidup never recorded it
    assert draft.status == "submitting" and draft.xero_invoice_id is None and finance_cards(bot) == []
    stuck = HealthReport(bot.paidup.db, timedelta(minutes=15), stuck_after=timedelta(0)).check().stuck_drafts
    assert [(d.draft_id, d.status) for d in stuck] == [(draft.id, "submitting")]

    service.checkpoint = lambda step: None
    again = service.submit(REP, entered, "V0CRASHED1")  # the same submission at once: not a second call
    assert again.repeated and not again.ok and len(xero_invoices(world, ACME_EXPANSION.name)) == 1
    assert service.recover(older_than=timedelta(0)) == [draft.id]  # same Idempotency-Key: Xero replays it
    [recovered] = drafts(bot)
    assert recovered.status == "awaiting_approval" and recovered.xero_invoice_id == invoice["InvoiceID"]
    assert len(xero_invoices(world, ACME_EXPANSION.name)) == 1 and len(world.xero.ledger.tables["Invoices"]) == \
        len(demo.INVOICES) + 1
    card(bot)
    assert service.recover(older_than=timedelta(0)) == []


def test_crash_after_authorising_before_the_commit(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    service = bot.paidup.invoicing
    submit(bot, REP, slash(bot, "invoice Acme Corporation - Expansion"))
    [draft] = drafts(bot)

    def crash_after_xero(step: str) -> None:
        if step == "xero_authorised":
            raise Crash(step)

    service.checkpoint = crash_after_xero
    died = []
    worker = threading.Thread(target=lambda: died.append(_approve_dies(service, draft.id)))
    worker.start()
    worker.join()
    assert died == [True] and drafts(bot)[0].status == "approving"
    assert xero_invoices(world, ACME_EXPANSION.name)[0]["Status"] == "AUTHORISED"
    service.checkpoint = lambda step: None
    assert service.recover(older_than=timedelta(0)) == [draft.id]
    assert drafts(bot)[0].status == "approved" and audit_actions(bot).count("approved") == 1
    assert eventually(lambda: len(dms(bot, REP)) == 1)
    assert world.salesforce.get("Opportunity", ACME_EXPANSION.id)["Xero_Invoice_Status__c"] == "AUTHORISED"


def _approve_dies(service: InvoicingService, draft_id: int) -> bool:
    try:
        service.approve(draft_id, FINANCE)
    except Crash:
        return True
    return False


def test_xero_totals_that_differ_are_reported(invoicing_bot: RunningBot, world: World) -> None:
    bot = invoicing_bot
    form = slash(bot, "invoice Acme Corporation - Expansion")
    world.xero.ledger.tables["TaxRates"]["output"]["EffectiveRate"] = Decimal("12.5")  # changed since the sync
    ack, _ = submit(bot, REP, form)
    assert ack["response_action"] == "update"
    shown = text_of(ack["view"]["blocks"])
    assert "Xero's totals differ from Paidup's: total $16,762.50 in Xero, $16,390.00 computed" in shown
    assert "Xero's totals differ" in text_of(card(bot).blocks) and "$16,762.50" in text_of(card(bot).blocks)
    [draft] = drafts(bot)
    assert draft.total == Decimal("16762.50") and "totals_mismatch" in audit_actions(bot)
    click(bot, FINANCE, "invoice_approve", message=card(bot))
    eventually(lambda: drafts(bot)[0].status == "approved")


def test_two_people_invoicing_the_same_deal_at_once_make_one_draft(invoicing_bot: RunningBot,
                                                                    world: World) -> None:
    bot = invoicing_bot
    mine, theirs = slash(bot, "invoice Acme Corporation - Expansion"), slash(bot, "invoice Acme Corporation - "
                                                                                  "Expansion", user=FINANCE)
    requests = [bot.signer.view_submission(REP, mine), bot.signer.view_submission(FINANCE, theirs)]
    with ThreadPoolExecutor(2) as pool:
        acks = [r.json() for r in pool.map(bot.post, requests)]
    assert sorted(a["response_action"] for a in acks) == ["errors", "update"]
    refused = next(a for a in acks if a["response_action"] == "errors")
    assert "already has invoice draft" in refused["errors"]["invoice_contact"]
    assert len(xero_invoices(world, ACME_EXPANSION.name)) == 1 and len(drafts(bot)) == 1


def test_a_slow_xero_is_acknowledged_then_the_modal_updated(invoicing_bot: RunningBot, world: World,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    bot = invoicing_bot
    form = slash(bot, "invoice Acme Corporation - Expansion")
    monkeypatch.setattr(form_listeners, "SUBMIT_BUDGET", 0.3)  # 2 s in production; shorter keeps the test quick
    world.xero.faults.slow_next(1, 1.0)  # the create call: longer than the submission may wait
    ack, _ = submit(bot, REP, form)
    assert ack["response_action"] == "update" and "Creating the draft in Xero" in text_of(ack["view"]["blocks"])
    done = eventually(lambda: (v := bot.slack.state.open_view_for(REP)) and "is a DRAFT in Xero" in text_of(
        v.definition["blocks"]) and v, timeout=10)
    assert done and done.id == form.id and len(xero_invoices(world, ACME_EXPANSION.name)) == 1
    card(bot)


def test_a_slow_xero_refusal_is_shown_under_its_field(invoicing_bot: RunningBot, world: World,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    bot = invoicing_bot
    form = slash(bot, "invoice Acme Corporation - Expansion")
    monkeypatch.setattr(form_listeners, "SUBMIT_BUDGET", 0.3)
    world.xero.faults.slow_next(1, 1.0)
    world.xero.faults.reject_writes_to(ACME_EXPANSION.name, "The document date cannot be before the end of year "
                                                            "lock date, currently set at 31 December 2030.")
    ack, _ = submit(bot, REP, form)
    assert "Creating the draft in Xero" in text_of(ack["view"]["blocks"])
    shown = eventually(lambda: (v := bot.slack.state.open_view_for(REP)) and "invoice_date_error" in text_of(
        v.definition["blocks"]) and v, timeout=10)
    assert shown and shown.definition["callback_id"] == "invoice_form"
    assert "Xero: The document date cannot be before" in text_of(shown.definition["blocks"])
    assert xero_invoices(world, ACME_EXPANSION.name) == [] and drafts(bot)[0].status == "failed"
