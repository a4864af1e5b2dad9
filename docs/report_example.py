"""Draws the README's report example: the report card as text and the two charts as PNGs, from the
hand-checked mirror the report tests use (``tests/bot/services/reports_data.py``).

    .venv/bin/python docs/report_example.py            # prints the card, writes docs/report-*.png
"""

from __future__ import annotations

import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import AppConfig  # noqa: E402
from bot.services.reports import ReportService  # noqa: E402
from bot.services.reports.charts import report_charts  # noqa: E402
from bot.store.migrate import upgrade  # noqa: E402
from bot.store.session import Database  # noqa: E402
from bot.store.state import SyncRun  # noqa: E402
from handlers.slack.blocks.report import report_blocks  # noqa: E402
from tests.bot.services.reports_data import NOW, seed  # noqa: E402


def as_text(blocks: list[dict]) -> str:
    lines = []
    for block in blocks:
        if block["type"] == "header":
            lines.append(f"# {block['text']['text']}")
        elif block["type"] == "section":
            lines.append(block["text"]["text"])
        elif block["type"] == "context":
            lines.append(" ".join(e["text"] for e in block["elements"]))
        elif block["type"] == "divider":
            lines.append("---")
    return "\n".join(lines)


def main() -> None:
    config = AppConfig.model_validate({"reports": {"timezone": "Europe/Berlin"}})
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/example.db")
        upgrade(db)
        seed(db)
        with db.session() as s:  # both sources synced at NOW, so the card says how fresh it is
            s.add_all(SyncRun(source=source, kind="full", started_at=NOW, finished_at=NOW, status="ok")
                      for source in ("salesforce", "xero"))
        report = ReportService(db, config, clock=lambda: NOW).build("all", "last month")
        print(as_text(report_blocks(report, NOW + timedelta(minutes=3), "Charts: sent to you in a DM with Paidup.")))
        for chart in report_charts(report):
            path = ROOT / "docs" / f"report-{chart.filename}"
            path.write_bytes(chart.png)
            print(f"wrote {path.relative_to(ROOT)} ({len(chart.png) // 1024} KiB)", file=sys.stderr)
        db.dispose()


if __name__ == "__main__":
    main()
