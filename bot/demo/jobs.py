"""`run overdue|payments|failed-sync` in the demo: an alert job run now, as `paidup alerts run`
runs it (``Paidup.alerts.run``), and what it did in words."""

from __future__ import annotations

from bot.app import Paidup
from integrations.slack_sandbox.client import ChatError

JOBS = ("overdue", "payments", "failed-sync")


def run(paidup: Paidup, name: str) -> str:
    """Run one alert job; a line saying what it posted, skipped or could not deliver."""
    if name not in JOBS:
        raise ChatError(f"no job {name!r}; the jobs are: {', '.join(JOBS)}")
    result = paidup.alerts.run(name)
    lines = result.lines()
    return f"`paidup alerts run {name}`: " + ("; ".join(lines) if lines else "nothing to do")
