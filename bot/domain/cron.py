"""Crontab expressions as people write them, turned into APScheduler triggers.

APScheduler's ``CronTrigger.from_crontab`` reads a numeric day of week as 0 = Monday, while
crontab (and everyone who writes app.yml) means 0 = Sunday. Names (``mon-fri``) mean the same in
both, so numeric days are translated to names here and the rest is left to APScheduler.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

_DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _day_of_week_names(field: str) -> str:
    def name(match: re.Match[str]) -> str:
        n = int(match.group(0))
        if n > 7:
            raise ValueError(f"day of week {n} is out of range (0-7, 0 and 7 are Sunday)")
        return _DAY_NAMES[n]

    # Leave step values (*/2) alone: only numbers that are days, not steps.
    parts = []
    for part in field.split(","):
        base, _, step = part.partition("/")
        numeric_range = re.fullmatch(r"(\d+)-(\d+)", base)
        if numeric_range and not step:
            # APScheduler orders days mon..sun, so a crontab range like 0-5 (sun..fri) is listed out.
            first, last = int(numeric_range.group(1)), int(numeric_range.group(2))
            if first > last:
                raise ValueError(f"day-of-week range {base} runs backwards")
            parts.append(",".join(_DAY_NAMES[n] for n in range(first, min(last, 7) + 1)))
            continue
        base = re.sub(r"\d+", name, base)
        parts.append(f"{base}/{step}" if step else base)
    return ",".join(parts)


def cron_trigger(expression: str, timezone: str | ZoneInfo) -> CronTrigger:
    """A CronTrigger for a 5-field crontab expression; ValueError with a readable reason."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"a cron expression has 5 fields (minute hour day month weekday), got {len(fields)}")
    fields[4] = _day_of_week_names(fields[4])
    try:
        return CronTrigger.from_crontab(" ".join(fields), timezone=timezone)
    except ValueError as exc:
        raise ValueError(str(exc)) from None
