"""Overdue invoices grouped by owner, with aging buckets and totals per currency, from an
``OverdueReport`` (the same content as Slack's overdue answer, cut to fit one Teams message)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from microsoft_teams.cards import AdaptiveCard, TextBlock

from bot.domain.aging import days_overdue_words
from bot.services.overdue import OverdueInvoice, OverdueReport, OwnerOverdue
from handlers.common.overdue_text import buckets_line, overdue_text, overdue_title
from handlers.common.text import cut, minutes_ago, money_list
from handlers.teams.cards.common import CardReply, card_content, plain

GROUPS_SHOWN = 10
LINES_PER_GROUP = 5  # Teams refuses messages over 28 KB: a few lines per owner, then "…and N more"


def overdue_line(invoice: OverdueInvoice) -> str:
    number = plain(invoice.number or "(no number)")
    linked = f"[{number}]({invoice.xero_url})" if invoice.xero_url else number
    return (f"- {linked} {plain(cut(invoice.account_name, 60))}: {invoice.amount_due.formatted()} "
            f"{invoice.amount_due.currency}, {days_overdue_words(invoice.days_overdue)}")


def group_blocks(group: OwnerOverdue) -> list[TextBlock]:
    head = f"**{plain(group.owner_name)}**: {group.count} overdue, {money_list(group.totals)}"
    lines = [overdue_line(i) for i in group.invoices[:LINES_PER_GROUP]]
    rest = group.count - len(lines)
    if rest:
        lines.append(f"…and {rest} more")
    return [TextBlock(text=head, wrap=True, spacing="Medium"),
            TextBlock(text=buckets_line(group.buckets), wrap=True, is_subtle=True, spacing="None"),
            *(TextBlock(text=line, wrap=True, spacing="None") for line in lines)]


def overdue_reply(report: OverdueReport, now: datetime, who: str | None = None) -> CardReply:
    body: list[Any] = [TextBlock(text=plain(overdue_title(report, who)), size="Large", weight="Bolder", wrap=True)]
    if not report.count:
        body.append(TextBlock(text="Nothing is overdue. 🎉", wrap=True))
    else:
        plural = "s" if report.count != 1 else ""
        body.append(TextBlock(text=f"**{report.count} overdue invoice{plural}**: {money_list(report.totals)}",
                              wrap=True))
        body.append(TextBlock(text=buckets_line(report.buckets), wrap=True, is_subtle=True, spacing="None"))
        for group in report.groups[:GROUPS_SHOWN]:
            body += group_blocks(group)
        if len(report.groups) > GROUPS_SHOWN:
            body.append(TextBlock(text=f"…and {len(report.groups) - GROUPS_SHOWN} more owners.", wrap=True))
    body.append(TextBlock(text=f"Overdue on {report.today.isoformat()}; Xero {minutes_ago(report.as_of, now)}.",
                          wrap=True, is_subtle=True, size="Small"))
    text = overdue_text(report, who)
    return CardReply(text, card_content(AdaptiveCard(body=body, fallback_text=text)))
