"""The health card as a pure function: fixed report, fixed ``now``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.services.health import Health, SourceHealth
from bot.sync.linking import Duplicate
from handlers.common.health_text import health_text
from handlers.slack.blocks.health import health_blocks
from integrations.slack_sandbox import check_message_blocks

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
STALE = timedelta(minutes=15)


def report(xero_age: timedelta | None, error: str | None = None, duplicates: int = 0) -> Health:
    xero = SourceHealth("xero", NOW - xero_age if xero_age is not None else None, "failed" if error else "ok",
                        error, "auth" if error else None, 2 if error else 0, {"day_remaining": 4970})
    salesforce = SourceHealth("salesforce", NOW - timedelta(minutes=3), "ok", None, None, 0, {})
    dups = [Duplicate("xero", f"c{n}", ("a", "b")) for n in range(duplicates)]
    return Health([xero, salesforce], 3, 1, 2, dups, [])


def test_fresh_sources_read_as_healthy() -> None:
    healthy = report(timedelta(minutes=5))
    blocks = health_blocks(healthy, NOW, STALE)
    assert check_message_blocks(blocks) == []
    text = json.dumps(blocks)
    assert "*Xero*: last good sync 5 min ago; 0 open failures; quota left: day 4,970" in text
    assert "3 Salesforce accounts not linked" in text and "2 link suggestions" in text
    assert health_text(healthy, NOW, STALE).endswith("no open failures.")


def test_stale_or_failing_sources_are_flagged_with_the_error() -> None:
    failing = report(timedelta(hours=3), error="<token> refused " + "x" * 1000, duplicates=8)
    blocks = health_blocks(failing, NOW, STALE)
    sources = blocks[1]["text"]["text"]
    assert ":warning: *Xero*: last good sync 3 h ago; 2 open failures" in sources
    assert "Last run failed (auth): &lt;token&gt; refused" in sources and len(sources) < 1000
    assert "…and 3 more duplicates" in blocks[2]["text"]["text"]
    assert health_text(failing, NOW, STALE) == "Paidup health: attention needed for Xero."
    assert "never synced" in json.dumps(health_blocks(report(None), NOW, STALE))
