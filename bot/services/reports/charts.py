"""The report's charts as PNG bytes (matplotlib, Agg backend: no display, thread-safe when each
chart has its own ``Figure``), chat-agnostic; the chat adapter uploads them.

- aging: receivables by aging bucket, one panel per currency (amounts in different currencies never
  share an axis);
- invoiced vs collected by month: the last 12 months to the period's end, one panel per currency.

Sized for Slack's preview (1000 px wide at 100 dpi, large type), Okabe–Ito colours (safe for the
common colour-vision deficiencies), every axis labelled with its currency, values on the bars.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from bot.services.reports.service import Report

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {"orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
             "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000"}
AGING_COLOURS = (OKABE_ITO["green"], OKABE_ITO["sky_blue"], OKABE_ITO["orange"], OKABE_ITO["vermillion"],
                 OKABE_ITO["purple"])
INVOICED_COLOUR, COLLECTED_COLOUR = OKABE_ITO["blue"], OKABE_ITO["orange"]
MAX_PANELS = 4  # currencies drawn; the rest are in the message
WIDTH_IN, PANEL_HEIGHT_IN, DPI = 10.0, 3.2, 100


@dataclass(frozen=True)
class Chart:
    filename: str
    title: str
    alt_text: str  # what the chart shows, for screen readers
    png: bytes


def _short(value: float) -> str:
    """1234567 → 1.2M, 12345 → 12.3k, 950 → 950."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.1f}{suffix}"
    return f"{value:.0f}"


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _figure(panels: int, title: str) -> Figure:
    figure = Figure(figsize=(WIDTH_IN, 1.0 + PANEL_HEIGHT_IN * panels), layout="constrained")
    figure.suptitle(title, fontsize=16, fontweight="bold")
    return figure


def _style(axes, currency: str, ylabel: str) -> None:  # type: ignore[no-untyped-def]
    axes.set_ylabel(f"{ylabel} ({currency})", fontsize=12)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _short(value)))
    axes.tick_params(labelsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)


def aging_chart(report: Report) -> Chart | None:
    shown = [c for c in report.currencies if c.receivable > 0][:MAX_PANELS]
    if not shown:
        return None
    figure = _figure(len(shown), f"Receivables by age, {report.today:%d %b %Y}")
    for axes, figures in zip(figure.subplots(len(shown), 1, squeeze=False)[:, 0], shown, strict=True):
        labels = [label for label, _ in figures.aging]
        values = [float(amount) for _, amount in figures.aging]
        bars = axes.bar(labels, values, color=AGING_COLOURS, edgecolor="black", linewidth=0.5)
        axes.bar_label(bars, labels=[_short(v) if v else "" for v in values], fontsize=11, padding=2)
        axes.set_title(f"{figures.currency}: {_short(float(figures.receivable))} due, "
                       f"{_short(float(figures.overdue))} overdue", fontsize=13, loc="left")
        axes.set_xlabel("Days past due date", fontsize=12)
        _style(axes, figures.currency, "Amount due")
        axes.margins(y=0.15)
    alt = "; ".join(f"{c.currency} " + ", ".join(f"{label} {amount}" for label, amount in c.aging) for c in shown)
    return Chart("receivables-aging.png", "Receivables by age", f"Receivables by age per currency: {alt}",
                 _png(figure))


def monthly_chart(report: Report) -> Chart | None:
    shown = [m for m in report.monthly if any(m.invoiced) or any(m.collected)][:MAX_PANELS]
    if not shown:
        return None
    figure = _figure(len(shown), "Invoiced vs collected by month")
    for axes, series in zip(figure.subplots(len(shown), 1, squeeze=False)[:, 0], shown, strict=True):
        positions = list(range(len(series.months)))
        width = 0.4
        axes.bar([p - width / 2 for p in positions], [float(v) for v in series.invoiced], width,
                 label="Invoiced", color=INVOICED_COLOUR)
        axes.bar([p + width / 2 for p in positions], [float(v) for v in series.collected], width,
                 label="Collected", color=COLLECTED_COLOUR, hatch="//", edgecolor="white", linewidth=0)
        axes.set_xticks(positions, [f"{m:%b}\n{m:%Y}" if m.month == 1 or n == 0 else f"{m:%b}"
                                    for n, m in enumerate(series.months)])
        axes.set_title(f"{series.currency}: {_short(float(sum(series.invoiced, Decimal(0))))} invoiced, "
                       f"{_short(float(sum(series.collected, Decimal(0))))} collected in 12 months",
                       fontsize=13, loc="left")
        axes.set_xlabel("Month", fontsize=12)
        _style(axes, series.currency, "Amount")
        axes.legend(fontsize=11, frameon=False, loc="upper left")
    first, last = shown[0].months[0], shown[0].months[-1]
    alt = "; ".join(f"{s.currency} invoiced {sum(s.invoiced, Decimal(0))}, collected {sum(s.collected, Decimal(0))}"
                    for s in shown)
    return Chart("invoiced-vs-collected.png", "Invoiced vs collected by month",
                 f"Invoiced vs collected per month, {first:%b %Y} to {last:%b %Y}: {alt}", _png(figure))


def report_charts(report: Report) -> list[Chart]:
    """The charts this report has data for (none for an empty report)."""
    return [chart for chart in (aging_chart(report), monthly_chart(report)) if chart is not None]
