"""`run overdue|payments|failed-sync` in the demo: the alert jobs, run as `paidup alerts run` runs them."""

from __future__ import annotations

from bot.app import Paidup
from integrations.slack_sandbox.client import ChatError

JOBS = ("overdue", "payments", "failed-sync")


def run(paidup: Paidup, name: str) -> str:
    """Run one alert job now; what it did, in words. ChatError when there is no such job."""
    if name not in JOBS:
        raise ChatError(f"no job {name!r}; the jobs are: {', '.join(JOBS)}")
    raise ChatError(f"the {name} alerts are not built yet (issue 8), so there is nothing to run")
