"""`/paidup overdue [mine|all]`: overdue invoices grouped by owner, with aging buckets and totals per
currency. Pure: an ``OverdueReport`` and ``now`` in, blocks out. Long lists are cut to fit one
message (FACTS §6: 50 blocks; and well under the ~13k characters Slack refuses in practice)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.aging import days_overdue_words
from bot.services.overdue import OverdueInvoice, OverdueReport, OwnerOverdue
from handlers.common.overdue_text import buckets_line, overdue_title
from handlers.common.text import cut, minutes_ago, money_list
from handlers.slack.blocks.status import mrkdwn_escape

GROUPS_SHOWN = 10
LINES_PER_GROUP_MAX = 10
CHARACTER_BUDGET = 9_000  # all section texts together


def overdue_line(invoice: OverdueInvoice) -> str:
    number = mrkdwn_escape(invoice.number or "(no number)")
    linked = f"<{invoice.xero_url}|{number}>" if invoice.xero_url else number
    return (f"• {linked} {mrkdwn_escape(cut(invoice.account_name, 60))}: {invoice.amount_due.formatted()} "
            f"{invoice.amount_due.currency}, {days_overdue_words(invoice.days_overdue)}")


def group_text(group: OwnerOverdue, lines: int) -> str:
    head = (f"*{mrkdwn_escape(group.owner_name)}*: {group.count} overdue, {money_list(group.totals)}\n"
            f"{buckets_line(group.buckets)}")
    shown = [overdue_line(i) for i in group.invoices[:lines]]
    rest = group.count - len(shown)
    if rest:
        shown.append(f"…and {rest} more")
    return cut("\n".join([head, *shown]), 3000)


def group_texts(groups: list[OwnerOverdue]) -> list[str]:
    """As many invoice lines per owner as fit the character budget (at least the totals)."""
    for lines in range(LINES_PER_GROUP_MAX, -1, -1):
        texts = [group_text(g, lines) for g in groups]
        if sum(len(t) for t in texts) <= CHARACTER_BUDGET or lines == 0:
            return texts
    return []


def overdue_blocks(report: OverdueReport, now: datetime, who: str | None = None) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [{"type": "header", "block_id": "overdue_title",
                                     "text": {"type": "plain_text", "text": overdue_title(report, who)}}]
    if not report.count:
        blocks.append(_section("overdue_none", "Nothing is overdue. :tada:"))
    else:
        summary = (f"*{report.count} overdue invoice{'s' if report.count != 1 else ''}*: "
                   f"{money_list(report.totals)}\n{buckets_line(report.buckets)}")
        if len(report.groups) > 1:  # one owner: their own section says it all
            blocks.append(_section("overdue_summary", summary))
        shown = report.groups[:GROUPS_SHOWN]
        for n, text in enumerate(group_texts(shown)):
            blocks.append(_section(f"overdue_owner_{n}", text))
        if len(report.groups) > GROUPS_SHOWN:
            blocks.append(_section("overdue_more", f"…and {len(report.groups) - GROUPS_SHOWN} more owners."))
    context = f"Overdue on {report.today.isoformat()}; Xero {minutes_ago(report.as_of, now)}."
    blocks.append({"type": "context", "block_id": "overdue_context", "elements": [{"type": "mrkdwn", "text": context}]})
    return blocks


def _section(block_id: str, text: str) -> dict[str, Any]:
    return {"type": "section", "block_id": block_id, "text": {"type": "mrkdwn", "text": cut(text, 3000)}}
