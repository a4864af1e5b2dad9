"""The overdue card as a pure function: fixed report, fixed ``now``; big lists stay within limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bot.domain.money import Money
from bot.services.overdue import BucketTotal, OverdueInvoice, OverdueReport, OwnerOverdue
from handlers.common.overdue_text import overdue_text
from handlers.slack.blocks.overdue import overdue_blocks
from integrations.slack_sandbox import check_message_blocks

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
LINK = "https://go.xero.com/organisationlogin/default.aspx?shortcode=!pD3mo&redirecturl=/AccountsReceivable/View.aspx"


def invoice(n: int, days: int) -> OverdueInvoice:
    return OverdueInvoice(f"i{n}", f"INV-{n:04d}", "O'Brien & <Sons>", None, "c1", TODAY - timedelta(days=days),
                          days, "1–30", Money("USD", Decimal("1000")), f"{LINK}?InvoiceID=i{n}")


def buckets(count: int) -> list[BucketTotal]:
    return [BucketTotal("1–30", count, [Money("USD", Decimal(1000 * count))]), BucketTotal("31–60", 0, []),
            BucketTotal("61–90", 0, []), BucketTotal("90+", 0, [])]


def group(name: str, count: int, shown: int = 20) -> OwnerOverdue:
    invoices = [invoice(n, n % 30 + 1) for n in range(min(count, shown))]
    return OwnerOverdue(name, name, invoices, count - len(invoices), count,
                        [Money("USD", Decimal(1000 * count))], buckets(count))


def report(groups: list[OwnerOverdue], scope: str = "all") -> OverdueReport:
    count = sum(g.count for g in groups)
    return OverdueReport(scope, TODAY, groups, count, [Money("USD", Decimal(1000 * count))] if count else [],
                         buckets(count), NOW - timedelta(minutes=4))


def test_one_owner_with_lines_buckets_and_totals() -> None:
    blocks = overdue_blocks(report([group("Rita Rep", 2)], "mine"), NOW, "Rita Rep")
    assert check_message_blocks(blocks) == [] and blocks[0]["text"]["text"] == "Overdue for Rita Rep"
    owner = blocks[1]["text"]["text"]
    assert owner.startswith("*Rita Rep*: 2 overdue, $2,000.00 USD\n1–30 days: 2 ($2,000.00 USD) · 31–60 days: 0")
    assert "|INV-0000> O'Brien &amp; &lt;Sons&gt;: $1,000.00 USD, 1 day overdue" in owner
    assert "Xero as of 4 min ago" in json.dumps(blocks)


def test_many_owners_and_invoices_fit_one_message() -> None:
    big = report([group(f"Owner {n:02d}", 500) for n in range(30)])
    blocks = overdue_blocks(big, NOW)
    assert check_message_blocks(blocks) == [] and len(blocks) <= 50
    assert len(json.dumps(blocks)) < 12_000
    assert "…and 20 more owners." in json.dumps(blocks, ensure_ascii=False) and "more" in blocks[2]["text"]["text"]


def test_nothing_overdue() -> None:
    empty = report([], "mine")
    assert overdue_text(empty) == "Your overdue invoices: nothing overdue."
    assert "Nothing is overdue" in json.dumps(overdue_blocks(empty, NOW))
