"""`report` in both chats: the title, the notification text, amounts, one owner's line and the
base-currency line. Every amount is written with its currency, never summed across currencies."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from bot.domain.money import Money
from bot.services.reports.service import OwnerFigures, Report
from handlers.common.text import HEADER_MAX, cut, money_list

OWNERS_SHOWN = 12
SECTION_MAX = 2900


def amount(value: Decimal, currency: str) -> str:
    return f"{Money(currency, value).formatted()} {currency}"


def report_title(report: Report) -> str:
    return cut(f"Report for {report.subject}: {report.period.label}", HEADER_MAX)


def owner_line(owner: OwnerFigures, bold: Callable[[str], str]) -> str:
    """One owner's won · invoiced · collected · overdue, each a list over currencies; ``bold`` marks up
    (and escapes) the name for the chat it goes to: Slack mrkdwn, or Teams' markdown in its card."""
    def listed(index: int) -> str:
        values = [Money(line.currency, (line.closed_won, line.invoiced, line.collected, line.overdue)[index])
                  for line in owner.lines]
        return money_list([m for m in values if m.amount]) if any(m.amount for m in values) else "–"

    return (f"{bold(cut(owner.name, 60))}: won {listed(0)} · invoiced {listed(1)} · "
            f"collected {listed(2)} · overdue {listed(3)}")


def base_text(report: Report) -> str:
    base = report.base
    if base is None:
        return report.base_note or ""
    c = base.currency
    text = (f"In {c} at each invoice's Xero rate: invoiced {amount(base.invoiced, c)}, collected "
            f"{amount(base.collected, c)}, receivables {amount(base.receivable, c)}")
    if base.unrated_invoices:
        text += (f" (leaves out {base.unrated_invoices} invoices in {', '.join(base.unrated_currencies)} "
                 "with no rate)")
    return text


def report_text(report: Report) -> str:
    """The notification text: the title and receivables per currency."""
    if report.empty:
        return f"{report_title(report)}: nothing to report."
    due = money_list([Money(c.currency, c.receivable) for c in report.currencies])
    return f"{report_title(report)}: receivables {due}"
