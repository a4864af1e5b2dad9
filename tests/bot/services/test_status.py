"""Status answers from the synced mirror: figures per currency, invoice lookups, live refresh of a
stale mirror, and the caps that keep a card small."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import update

from bot.app import Paidup
from bot.domain.money import Money
from bot.store.mirror import XeroContact, XeroCreditNote, XeroInvoice
from bot.store.state import SyncRun
from integrations import demo_data as demo
from tests.bot.sync.conftest import World

ACCOUNT, CONTACT = demo.SF_ACCOUNT, demo.XERO_CONTACT


def usd(amount: str) -> Money:
    return Money("USD", Decimal(amount))


def gbp(amount: str) -> Money:
    return Money("GBP", Decimal(amount))


def utc_today_shift(answer_today: object) -> int:
    """Days between today in alerts.timezone and the sandbox's today (UTC): 0 most of the year."""
    return (answer_today - datetime.now(UTC).date()).days


def test_acme_corporation_in_two_currencies(paidup: Paidup) -> None:
    reply = paidup.status.ask("Acme Corporation")
    answer = reply.answer
    assert reply.resolution.outcome == "one" and answer is not None
    assert (answer.display_name, answer.sf_account_id) == ("Acme Corporation", ACCOUNT["acme"].id)
    assert answer.salesforce_path == f"/lightning/r/Account/{ACCOUNT['acme'].id}/view"
    assert (answer.owner_id, answer.owner_name) == (demo.REP.id, "Rita Rep")
    assert answer.xero_contact_ids == (CONTACT["acme"].id,)
    assert answer.due == [gbp("4800.00"), usd("10310.00")]  # 6,350.00 on INV-0002 + 3,960.00 on INV-0004
    assert answer.overdue == [gbp("4800.00"), usd("6350.00")]
    shift = utc_today_shift(answer.today)
    invoices = {i.number: i for i in answer.open_invoices}
    assert [i.number for i in answer.open_invoices] == ["INV-0003", "INV-0002", "INV-0004"]  # most overdue first
    inv2 = invoices["INV-0002"]
    assert (inv2.status, inv2.currency, inv2.total, inv2.amount_paid, inv2.amount_due) == (
        "AUTHORISED", "USD", usd("9350.00"), usd("3000.00"), usd("6350.00"))
    assert inv2.days_overdue == 10 + shift and inv2.reference == "PO-7781"
    assert inv2.xero_short_code == "!pD3mo"
    assert inv2.xero_url == ("https://go.xero.com/organisationlogin/default.aspx?shortcode=!pD3mo"
                             f"&redirecturl=/AccountsReceivable/View.aspx?InvoiceID={demo.INVOICES[1].id}")
    assert (invoices["INV-0003"].total, invoices["INV-0003"].days_overdue) == (gbp("4800.00"), 45 + shift)
    assert invoices["INV-0004"].days_overdue == 0 and invoices["INV-0004"].amount_due == usd("3960.00")
    assert answer.more_open_invoices == 0 and answer.asked_invoice is None
    payment = answer.last_payment
    assert (payment.invoice_number, payment.amount, payment.reference) == ("INV-0002", usd("3000.00"), "Part payment")
    assert answer.credit == []
    assert [(d.name, d.amount, d.has_line_items) for d in answer.uninvoiced_deals] == [
        ("Acme Corporation - Expansion 2027", usd("14900.00"), True)]
    assert answer.as_of is not None and not answer.stale and not answer.refreshed_live


def test_an_invoice_number_answers_for_its_account(paidup: Paidup) -> None:
    reply = paidup.status.ask("Acme", invoice_number="inv-0042")
    answer = reply.answer
    assert reply.resolution.method == "invoice" and answer.display_name == "Globex, Inc."
    asked = answer.asked_invoice
    assert (asked.number, asked.status, asked.amount_due, asked.amount_paid) == (
        "INV-0042", "PAID", usd("0.00"), usd("5000.00"))
    assert asked.fully_paid_on is not None and asked.days_overdue == 0
    assert [i.number for i in answer.open_invoices] == ["INV-0043"]
    assert answer.overdue == [usd("2750.00")]
    assert [d.name for d in answer.uninvoiced_deals] == ["Globex - UK rollout"]
    assert answer.uninvoiced_deals[0].amount == Money("GBP", Decimal("9180.00"))


def test_ambiguous_and_not_found_carry_no_answer(paidup: Paidup) -> None:
    ambiguous = paidup.status.ask("acme")
    assert ambiguous.answer is None and ambiguous.resolution.outcome == "several"
    picked = paidup.status.for_key(ambiguous.resolution.candidates[1].key)
    assert picked.display_name == "Acme Logistics GmbH" and picked.overdue == [Money("EUR", Decimal("9600.00"))]
    missing = paidup.status.ask("Zzyzx Widgets")
    assert missing.answer is None and missing.resolution.outcome == "none"
    assert paidup.status.for_key("sf:001000000000000AAA") is None


def test_hostile_questions_get_normal_answers(paidup: Paidup) -> None:
    for text in ("x' OR Name != '", "a" * 5_000, "🚀💸", "שלום עולם", "\x00", "' OR 1=1 --"):
        reply = paidup.status.ask(text, invoice_number=text[:20])
        assert reply.resolution.outcome in ("one", "several", "none")
    assert paidup.status.ask("Globex").answer.display_name == "Globex, Inc."


def test_accounts_without_a_xero_contact_and_contacts_without_an_account(paidup: Paidup) -> None:
    stark = paidup.status.ask("Stark Industries").answer
    assert stark.xero_contact_ids == () and stark.due == [] and stark.open_invoices == []
    assert [d.name for d in stark.uninvoiced_deals] == ["Stark Industries - Pilot"] and not stark.stale
    wayne = paidup.status.ask("Wayne Enterprises").answer
    assert wayne.sf_account_id is None and wayne.salesforce_path is None and wayne.owner_name is None
    assert wayne.overdue == [gbp("10800.00")] and wayne.uninvoiced_deals == []


def test_open_credit_per_currency_and_the_invoice_cap(paidup: Paidup) -> None:
    contact = CONTACT["acme"].id
    with paidup.db.session() as s:
        for n, (currency, left) in enumerate((("USD", "100.00"), ("USD", "25.50"), ("GBP", "10.00"))):
            s.add(XeroCreditNote(id=f"c0000000-0000-0000-0000-00000000000{n}", number=f"CN-9{n}", contact_id=contact,
                                 status="AUTHORISED", currency=currency, total=Decimal(left),
                                 remaining_credit=Decimal(left)))
        today = datetime.now(UTC).date()
        for n in range(15):
            s.add(XeroInvoice(id=f"a0000000-0000-0000-0000-0000000000{n:02d}", number=f"BULK-{n:02d}",
                              contact_id=contact, status="AUTHORISED", currency="USD",
                              due_date=today + timedelta(days=n + 1), total=Decimal("1.00"),
                              amount_due=Decimal("1.00")))
    answer = paidup.status.ask("Acme Corporation").answer
    assert answer.credit == [gbp("10.00"), usd("125.50")]
    assert len(answer.open_invoices) == 10 and answer.more_open_invoices == 8
    assert answer.due == [gbp("4800.00"), usd("10325.00")]  # the capped ones still count


def make_stale(paidup: Paidup) -> None:
    with paidup.db.session() as s:
        s.execute(update(SyncRun).values(finished_at=datetime.now(UTC) - timedelta(hours=2)))


def test_a_stale_mirror_refreshes_the_contact_live_first(world: World, paidup: Paidup) -> None:
    world.xero.record_payment("INV-0002", "350.00", reference="Late wire", notify=False)
    fresh = paidup.status.ask("Acme Corporation").answer
    assert fresh.due == [gbp("4800.00"), usd("10310.00")] and not fresh.refreshed_live  # fresh: the mirror answers
    make_stale(paidup)
    before = datetime.now(UTC)
    answer = paidup.status.ask("Acme Corporation").answer
    assert answer.refreshed_live and not answer.stale and answer.as_of >= before
    assert answer.due == [gbp("4800.00"), usd("9960.00")]
    assert (answer.last_payment.amount, answer.last_payment.reference) == (usd("350.00"), "Late wire")
    with paidup.db.session() as s:
        assert s.get(XeroContact, CONTACT["acme"].id).refreshed_at >= before
    again = paidup.status.ask("Acme Corporation").answer  # refreshed just now: no second fetch
    assert not again.refreshed_live and again.as_of == answer.as_of


def test_when_the_live_refresh_fails_the_answer_says_it_is_stale(world: World, paidup: Paidup) -> None:
    make_stale(paidup)
    world.xero.faults.fail_next(50, status=401)
    answer = paidup.status.ask("Acme Corporation").answer
    world.xero.faults.clear()
    assert answer.stale and not answer.refreshed_live
    assert answer.as_of is not None and datetime.now(UTC) - answer.as_of > timedelta(hours=1)
    assert answer.due == [gbp("4800.00"), usd("10310.00")]  # from the mirror
