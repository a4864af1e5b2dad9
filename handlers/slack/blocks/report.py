"""`/paidup report`: figures per currency, per owner, top overdue accounts, revenue at risk. Pure:
a ``Report`` and ``now`` in, blocks out; every amount formatted with its currency, never summed
across currencies (the base-currency line says it is a conversion at Xero's rates)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.money import Money
from bot.services.reports.service import CurrencyFigures, Report
from handlers.common.report_text import OWNERS_SHOWN, SECTION_MAX, amount, base_text, owner_line, report_title
from handlers.common.text import cut, minutes_ago
from handlers.slack.blocks.status import mrkdwn_escape


def currency_text(c: CurrencyFigures) -> str:
    aging = " · ".join(f"{label} {Money(c.currency, value).formatted()}" for label, value in c.aging)
    dso = f"{c.dso} days" if c.dso is not None else "n/a (nothing invoiced in 90 days)"
    risk = (f"{amount(c.at_risk, c.currency)} in {c.at_risk_count} closed-won deal"
            f"{'s' if c.at_risk_count != 1 else ''} not invoiced" if c.at_risk_count else "none")
    return (f"*{c.currency}*\n"
            f"Closed-won {amount(c.closed_won, c.currency)} ({c.closed_won_count}) · "
            f"Invoiced {amount(c.invoiced, c.currency)} ({c.invoiced_count}) · "
            f"Collected {amount(c.collected, c.currency)}\n"
            f"Receivables {amount(c.receivable, c.currency)}, overdue {amount(c.overdue, c.currency)} "
            f"({c.overdue_count}) · DSO {dso}\n"
            f"Aging: {aging}\n"
            f"Revenue at risk: {risk}")


def bold(name: str) -> str:
    """An owner's name in bold, as mrkdwn shows it as typed (``owner_line``'s markup in Slack)."""
    return f"*{mrkdwn_escape(name)}*"


def owners_text(report: Report) -> str:
    lines = [owner_line(o, bold) for o in report.owners[:OWNERS_SHOWN]]
    if len(report.owners) > OWNERS_SHOWN:
        lines.append(f"…and {len(report.owners) - OWNERS_SHOWN} more owners")
    return cut("*By owner*\n" + "\n".join(lines), SECTION_MAX)


def top_overdue_text(report: Report) -> str:
    lines = [f"• {mrkdwn_escape(cut(a.name, 60))}: {amount(a.overdue, a.currency)} overdue "
             f"({a.invoices} invoice{'s' if a.invoices != 1 else ''}, oldest {a.days_overdue} days)"
             for a in report.top_overdue]
    return cut("*Top overdue accounts*\n" + ("\n".join(lines) or "Nothing overdue."), SECTION_MAX)


def uninvoiced_text(report: Report) -> str:
    lines = []
    for d in report.uninvoiced:
        value = amount(d.amount, d.currency) if d.amount is not None else "no amount"
        account = f"{mrkdwn_escape(cut(d.account_name, 50))}, " if d.account_name else ""
        waited = f"won {d.days_waiting} days ago" if d.days_waiting is not None else "no close date"
        lines.append(f"• {mrkdwn_escape(cut(d.name, 60))} ({account}{mrkdwn_escape(d.owner_name)}): {value}, {waited}")
    total = sum(c.at_risk_count for c in report.currencies)
    if total > len(lines):
        lines.append(f"…{total - len(lines)} more in the totals above")
    return cut("*Closed-won, not invoiced yet* (waiting longest first)\n" + "\n".join(lines), SECTION_MAX)


def report_blocks(report: Report, now: datetime, charts_note: str | None = None) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "block_id": "report_title", "text": {"type": "plain_text", "text": report_title(report)}}]
    if report.empty:
        blocks.append(_section("report_empty", "No closed-won deals, invoices or payments for this in the mirror."))
    else:
        blocks += [_section(f"report_currency_{c.currency}", currency_text(c)) for c in report.currencies[:10]]
        blocks.append({"type": "context", "block_id": "report_base",
                       "elements": [{"type": "mrkdwn", "text": cut(base_text(report), SECTION_MAX)}]})
        if report.scope != "me" and report.owners:
            blocks += [{"type": "divider"}, _section("report_owners", owners_text(report))]
        blocks.append(_section("report_top_overdue", top_overdue_text(report)))
        if report.uninvoiced:
            blocks.append(_section("report_uninvoiced", uninvoiced_text(report)))
    freshness = " · ".join(f"{source.capitalize()} {minutes_ago(at, now)}" for source, at in report.as_of.items())
    context = (f"Periods and aging in {report.timezone} (today {report.today:%d %b %Y}). {freshness}. "
               "DSO = receivables ÷ invoiced in the last 90 days × 90.")
    if charts_note:
        context += f" {charts_note}"
    blocks.append({"type": "context", "block_id": "report_context",
                   "elements": [{"type": "mrkdwn", "text": cut(context, SECTION_MAX)}]})
    return blocks


def refused_text(command: str) -> str:
    return (f"Team and company reports are for approvers and the managers named in app.yml (`reports.managers`). "
            f"Your own figures are one command away: `{command} report me`.")


def _section(block_id: str, text: str) -> dict[str, Any]:
    return {"type": "section", "block_id": block_id, "text": {"type": "mrkdwn", "text": text}}
