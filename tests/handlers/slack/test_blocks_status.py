"""The status card and the pick/not-found builders as pure functions: fixed data, fixed ``now``."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bot.domain.money import Money
from bot.services.account_ledger import InvoiceSummary, PaymentSummary, UninvoicedDeal
from bot.services.resolution import AccountRef, Resolution
from bot.services.status import StatusAnswer
from handlers.common.text import money_list
from handlers.slack.blocks.accounts import choice_blocks, not_found_blocks
from handlers.slack.blocks.status import status_blocks, status_text
from integrations.slack_sandbox import check_message_blocks

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
ACME = AccountRef("sf:001A", "Acme <Corp> & Co", "001A", ("c1",), "005R")


def usd(amount: str) -> Money:
    return Money("USD", Decimal(amount))


def invoice(n: int, days_late: int, amount: str = "100.00", status: str = "AUTHORISED") -> InvoiceSummary:
    return InvoiceSummary(f"i{n}", f"INV-{n:04d}", status, "USD", TODAY, TODAY - timedelta(days=days_late),
                          days_late, usd(amount), usd("0.00"), usd(amount), None, None, "!code",
                          f"https://go.xero.com/x?InvoiceID=i{n}", None)


def answer(**changes: object) -> StatusAnswer:
    base = StatusAnswer(
        account=ACME, display_name=ACME.name, sf_account_id="001A", salesforce_path="/lightning/r/Account/001A/view",
        owner_id="005R", owner_name="Rita Rep", xero_contact_ids=("c1",), due=[Money("GBP", Decimal("4800")),
        usd("6350")], overdue=[usd("6350")], open_invoices=[invoice(2, 10, "6350.00"), invoice(4, 0)],
        more_open_invoices=0, asked_invoice=None,
        last_payment=PaymentSummary("p1", date(2026, 11, 1), usd("3000"), "i2", "INV-0002", None),
        credit=[], uninvoiced_deals=[UninvoicedDeal("006X", "Expansion", usd("14900"), TODAY, True)],
        today=TODAY, as_of=NOW - timedelta(minutes=7), stale=False, refreshed_live=False)
    return replace(base, **changes)


def test_the_card_shows_figures_per_currency_links_and_freshness() -> None:
    blocks = status_blocks(answer(), NOW, salesforce_url="https://acme.my.salesforce.com/")
    assert check_message_blocks(blocks) == []
    assert blocks[0]["text"] == {"type": "plain_text", "text": "Acme <Corp> & Co"}
    fields = [f["text"] for f in blocks[1]["fields"]]
    assert fields[0] == "*Amount due*\n£4,800.00 GBP + $6,350.00 USD"
    assert fields[2] == "*Last payment*\n$3,000.00 USD on 2026-11-01 for INV-0002"
    assert fields[3] == "*Credit notes*\nNone open"
    lines = blocks[2]["text"]["text"]
    assert "<https://go.xero.com/x?InvoiceID=i2|INV-0002>: $6,350.00 USD due 2026-11-19, *10 days overdue*" in lines
    context = json.dumps(blocks[3])
    assert "as of 7 min ago" in context and "https://acme.my.salesforce.com/lightning/r/Account/001A/view" in context
    assert [e["action_id"] for e in blocks[4]["elements"]] == ["create_invoice", "remind_when_paid", "share_status"]
    assert blocks[4]["elements"][0]["value"] == "006X"
    assert blocks[4]["elements"][1]["value"] == "i2,i4"  # "Remind me when paid": the card's open invoices
    assert status_text(answer()).startswith("Acme <Corp> & Co: due £4,800.00 GBP + $6,350.00 USD")


def test_stale_shared_and_paid_variants() -> None:
    paid = replace(invoice(42, 0, "5000.00", "PAID"), fully_paid_on=date(2026, 11, 19))
    blocks = status_blocks(answer(stale=True, asked_invoice=paid, uninvoiced_deals=[]), NOW, shared_by="U1")
    text = json.dumps(blocks, ensure_ascii=False)
    assert "*paid in full* on 2026-11-19" in text and ":warning:" in text and "Shared by <@U1>" in text
    assert all(b["type"] != "actions" for b in blocks) and check_message_blocks(blocks) == []
    assert "Salesforce account 001A" in json.dumps(status_blocks(answer(), NOW))


def test_a_huge_account_is_capped() -> None:
    many = [invoice(n, n, "123456789.00") for n in range(10)]
    blocks = status_blocks(answer(open_invoices=many, more_open_invoices=990, display_name="A" * 400), NOW)
    assert check_message_blocks(blocks) == [] and len(blocks) <= 50
    assert "990 more open invoices" in blocks[2]["text"]["text"]
    assert len(blocks[0]["text"]["text"]) == 150


def test_pick_and_not_found() -> None:
    refs = tuple(AccountRef(f"sf:{n}", f"Acme {n}", str(n), ()) for n in range(5))
    blocks = choice_blocks(Resolution("acme", "several", "prefix", refs, more=3))
    assert check_message_blocks(blocks) == [] and [e["value"] for e in blocks[1]["elements"]][:2] == ["sf:0", "sf:1"]
    assert "3 more match" in blocks[0]["text"]["text"]
    missing = not_found_blocks(Resolution("<@U1> globx", "none", "none", closest=("Globex, Inc.",)))
    assert "*Globex, Inc.*" in missing[0]["text"]["text"] and "&lt;@U1&gt;" in missing[0]["text"]["text"]
    assert money_list([]) == "nothing"
