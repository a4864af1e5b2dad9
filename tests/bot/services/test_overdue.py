"""Overdue lists from the synced demo mirror: owners, Unassigned, aging buckets, per-currency totals."""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal

from bot.app import Paidup
from bot.domain.money import Money
from bot.services.overdue import OverdueReport, OverdueService
from integrations import demo_data as demo


def at_noon_utc(paidup: Paidup) -> OverdueService:
    """Noon UTC today: the sandbox's today (UTC) is also today in Europe/London."""
    noon = datetime.combine(datetime.now(UTC).date(), time(12), tzinfo=UTC)
    return OverdueService(paidup.db, paidup.config, clock=lambda: noon)


def money(*pairs: tuple[str, str]) -> list[Money]:
    return [Money(code, Decimal(amount)) for code, amount in pairs]


def by_owner(report: OverdueReport) -> dict[str, list[str]]:
    return {g.owner_name: [i.number for i in g.invoices] for g in report.groups}


def test_everyone_grouped_by_owner_with_unassigned_last(paidup: Paidup) -> None:
    report = at_noon_utc(paidup).for_everyone()
    assert report.scope == "all" and report.count == 8
    assert by_owner(report) == {
        "Rita Rep": ["INV-0060", "INV-0003", "INV-0002", "INV-0043"],
        "Sam Seller": ["INV-0010", "INV-0090"],
        "Unassigned": ["INV-0100", "INV-0080"],  # Wayne (no account) and Umbrela (only a suggestion)
    }
    rita, sam, unassigned = report.groups
    assert rita.owner_id == demo.REP.id and unassigned.owner_id is None
    assert rita.totals == money(("EUR", "6480.00"), ("GBP", "4800.00"), ("USD", "9100.00"))
    assert sam.totals == money(("EUR", "9600.00"), ("USD", "7700.00"))
    assert unassigned.totals == money(("GBP", "10800.00"), ("USD", "1056.00"))
    assert report.totals == money(("EUR", "16080.00"), ("GBP", "15600.00"), ("USD", "17856.00"))
    assert [(b.label, b.count, b.totals) for b in report.buckets] == [
        ("1–30", 4, money(("USD", "17856.00"))),
        ("31–60", 2, money(("GBP", "15600.00"))),
        ("61–90", 1, money(("EUR", "6480.00"))),
        ("90+", 1, money(("EUR", "9600.00"))),
    ]
    inv = rita.invoices[0]
    assert (inv.number, inv.account_name, inv.days_overdue, inv.bucket) == ("INV-0060", "O'Brien & Sons", 62, "61–90")
    assert inv.xero_url and "!pD3mo" in inv.xero_url
    assert unassigned.invoices[0].account_name == "Wayne Enterprises" and unassigned.invoices[0].sf_account_id is None
    assert report.as_of is not None


def test_mine_is_the_invoices_i_own(paidup: Paidup) -> None:
    service = at_noon_utc(paidup)
    sam = service.for_owner(demo.SELLER.id)
    assert sam.scope == "mine" and by_owner(sam) == {"Sam Seller": ["INV-0010", "INV-0090"]}
    assert [b.count for b in sam.buckets] == [1, 0, 0, 1]
    assert service.for_owner(demo.FINANCE.id).groups == []
    limited = service.for_owner(demo.REP.id, limit=2)
    assert [i.number for i in limited.groups[0].invoices] == ["INV-0060", "INV-0003"]
    assert limited.groups[0].more == 2 and limited.groups[0].count == limited.count == 4


def test_due_today_is_not_overdue_and_the_paidup_property_works(paidup: Paidup) -> None:
    report = paidup.overdue.for_everyone()
    numbers = {i.number for g in report.groups for i in g.invoices}
    assert "INV-0004" not in numbers and "INV-0042" not in numbers  # not yet due; paid
    assert "INV-0091" not in numbers  # SUBMITTED, not authorised
