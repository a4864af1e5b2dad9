"""The report card: the same figures as Slack's `/paidup report` (per currency, per owner, top
overdue accounts, revenue at risk, the base-currency line, freshness), from a ``Report``; and its
charts as Teams inline images (one message each), fitted to what Teams takes.

Pure: a ``Report``, ``now`` and the charts in, a ``CardReply`` out. Every amount is written with its
currency and never added across currencies; names from the mirror go through ``plain`` (shown as
typed, never markdown).
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from microsoft_teams.cards import AdaptiveCard, Fact, FactSet, TextBlock
from PIL import Image

from bot.domain.money import Money
from bot.services.reports.charts import Chart
from bot.services.reports.service import CurrencyFigures, OwnerFigures, Report
from handlers.common.report_text import (
    OWNERS_SHOWN,
    SECTION_MAX,
    amount,
    base_text,
    report_text,
    report_title,
)
from handlers.common.report_text import owner_line as common_owner_line
from handlers.common.text import cut, minutes_ago
from handlers.teams.cards.common import CardReply, InlineImage, card_content, plain

CURRENCIES_SHOWN = 10  # with OWNERS_SHOWN and SECTION_MAX a section: the card stays under 28 KB
IMAGE_MAX_PX = 1024  # Teams shows inline images within 1024 × 1024 px, under 1 MB (PNG, JPEG or GIF)
# The connector refuses a request over 262,144 bytes (MessageSizeTooBig): one chart per message, its
# base64 (4/3 of the PNG) plus the message around it within that.
IMAGE_MAX_BYTES = (262_144 - 4_096) * 3 // 4


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def currency_facts(c: CurrencyFigures) -> FactSet:
    aging = " · ".join(f"{label} {Money(c.currency, value).formatted()}" for label, value in c.aging)
    dso = f"{c.dso} days" if c.dso is not None else "n/a (nothing invoiced in 90 days)"
    risk = (f"{amount(c.at_risk, c.currency)} in {_plural(c.at_risk_count, 'closed-won deal')} not invoiced"
            if c.at_risk_count else "none")
    return FactSet(facts=[
        Fact(title="Closed-won", value=f"{amount(c.closed_won, c.currency)} ({c.closed_won_count})"),
        Fact(title="Invoiced", value=f"{amount(c.invoiced, c.currency)} ({c.invoiced_count})"),
        Fact(title="Collected", value=amount(c.collected, c.currency)),
        Fact(title="Receivables", value=amount(c.receivable, c.currency)),
        Fact(title="Overdue", value=f"{amount(c.overdue, c.currency)} ({c.overdue_count})"),
        Fact(title="DSO", value=dso),
        Fact(title="Aging", value=aging),
        Fact(title="Revenue at risk", value=risk),
    ])


def owner_line(owner: OwnerFigures) -> str:
    return common_owner_line(owner, bold=lambda name: f"**{plain(name)}**")


def _heading(text: str) -> TextBlock:
    return TextBlock(text=text, weight="Bolder", wrap=True, spacing="Medium")


def _line(text: str) -> TextBlock:
    return TextBlock(text=text, wrap=True, spacing="None")


def fitting(lines: list[str], total: int, more: str) -> list[str]:
    """The first ``lines`` that fit in ``SECTION_MAX`` characters, then "…and N more" for the rest of
    ``total`` (as Slack cuts each section: a Teams message has a size limit too)."""
    shown: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) > SECTION_MAX:
            break
        shown.append(line)
        used += len(line) + 1
    rest = total - len(shown)
    return [*shown, f"…and {rest} more{more}"] if rest else shown


def owner_blocks(report: Report) -> list[TextBlock]:
    lines = [owner_line(o) for o in report.owners[:OWNERS_SHOWN]]
    return [_heading("By owner"), *(_line(line) for line in fitting(lines, len(report.owners), " owners"))]


def top_overdue_blocks(report: Report) -> list[TextBlock]:
    lines = [f"- {plain(cut(a.name, 60))}: {amount(a.overdue, a.currency)} overdue "
             f"({_plural(a.invoices, 'invoice')}, oldest {a.days_overdue} days)" for a in report.top_overdue]
    shown = fitting(lines, len(lines), "") or ["Nothing overdue."]
    return [_heading("Top overdue accounts"), *(_line(line) for line in shown)]


def uninvoiced_blocks(report: Report) -> list[TextBlock]:
    lines = []
    for d in report.uninvoiced:
        value = amount(d.amount, d.currency) if d.amount is not None else "no amount"
        account = f"{plain(cut(d.account_name, 50))}, " if d.account_name else ""
        waited = f"won {d.days_waiting} days ago" if d.days_waiting is not None else "no close date"
        lines.append(f"- {plain(cut(d.name, 60))} ({account}{plain(d.owner_name)}): {value}, {waited}")
    total = sum(c.at_risk_count for c in report.currencies)
    if total > len(lines):
        lines.append(f"…{total - len(lines)} more in the totals above")
    return [_heading("Closed-won, not invoiced yet (waiting longest first)"), *(_line(line) for line in lines)]


def footer(report: Report, now: datetime, charts_note: str | None) -> str:
    freshness = " · ".join(f"{source.capitalize()} {minutes_ago(at, now)}" for source, at in report.as_of.items())
    text = (f"Periods and aging in {report.timezone} (today {report.today:%d %b %Y}). {freshness}. "
            "DSO = receivables ÷ invoiced in the last 90 days × 90.")
    return f"{text} {charts_note}" if charts_note else text


def report_card(report: Report, now: datetime, charts_note: str | None = None) -> dict[str, Any]:
    body: list[Any] = [TextBlock(text=plain(report_title(report)), size="Large", weight="Bolder", wrap=True)]
    if report.empty:
        body.append(TextBlock(text="No closed-won deals, invoices or payments for this in the mirror.", wrap=True))
    else:
        for figures in report.currencies[:CURRENCIES_SHOWN]:
            body += [_heading(figures.currency), currency_facts(figures)]
        body.append(TextBlock(text=plain(base_text(report)), wrap=True, is_subtle=True, spacing="Small"))
        if report.scope != "me" and report.owners:
            body += owner_blocks(report)
        body += top_overdue_blocks(report)
        if report.uninvoiced:
            body += uninvoiced_blocks(report)
    body.append(TextBlock(text=footer(report, now, charts_note), wrap=True, is_subtle=True, size="Small",
                          spacing="Medium"))
    return card_content(AdaptiveCard(body=body, fallback_text=report_text(report)))


def fitted_png(png: bytes) -> bytes | None:
    """``png`` as Teams takes it inline: scaled down (aspect kept) when a side is over 1024 px, and
    stored with a 256-colour palette (a chart has a few flat colours and anti-aliased edges: a third
    of the bytes, which keeps each message well inside the connector's limit); None when it is still
    too big (``IMAGE_MAX_BYTES``)."""
    with Image.open(io.BytesIO(png)) as drawn:
        image: Image.Image = drawn
        if max(drawn.size) > IMAGE_MAX_PX:
            scale = IMAGE_MAX_PX / max(drawn.size)
            image = drawn.resize((max(1, round(drawn.width * scale)), max(1, round(drawn.height * scale))),
                                 Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(buffer, format="PNG", optimize=True)
    fitted = buffer.getvalue()
    return fitted if len(fitted) <= IMAGE_MAX_BYTES else None


def chart_replies(charts: list[Chart]) -> list[CardReply]:
    """One message per chart that fits (an inline image; its text says what the chart shows, for
    notifications and screen readers)."""
    return [CardReply(cut(chart.alt_text, 1000), images=(InlineImage(chart.filename, png),))
            for chart in charts if (png := fitted_png(chart.png)) is not None]


def report_reply(report: Report, now: datetime, charts: list[Chart]) -> CardReply:
    """The card, then the charts that fit, one message each."""
    pictures = chart_replies(charts)
    note = None
    if pictures:
        note = "Charts in the next messages." if len(pictures) > 1 else "Chart in the next message."
    if len(pictures) < len(charts):
        note = f"{note or ''} {len(charts) - len(pictures)} chart(s) too large for Teams left out.".strip()
    return CardReply(report_text(report), report_card(report, now, note), then=tuple(pictures))
