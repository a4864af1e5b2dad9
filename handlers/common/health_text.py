"""`health` in both chats: when a source is stale, its API quota, and the one-line verdict."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.services.health import Health, SourceHealth
from handlers.common.text import SOURCE_NAMES


def is_stale(source: SourceHealth, now: datetime, stale_after: timedelta) -> bool:
    return source.last_success is None or now - source.last_success > stale_after


def quota_text(quota: dict[str, int]) -> str:
    if not quota:
        return "quota: not reported yet"
    return "quota left: " + ", ".join(f"{k.replace('_remaining', '').replace('_', ' ')} {v:,}"
                                      for k, v in sorted(quota.items()))


def health_text(report: Health, now: datetime, stale_after: timedelta) -> str:
    bad = [s for s in report.sources if is_stale(s, now, stale_after) or s.open_failures or s.last_error]
    if not bad:
        return "Paidup health: both sources synced recently, no open failures."
    return "Paidup health: attention needed for " + ", ".join(SOURCE_NAMES.get(s.source, s.source) for s in bad) + "."
