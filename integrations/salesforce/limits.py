"""API usage from ``Sforce-Limit-Info`` and the retry policy for reads.

Salesforce puts ``Sforce-Limit-Info: api-usage=18/5000`` on every REST response (current docs
add ``; api-bursts=1/750``, older ones ``; per-app-api-usage=17/250(appName=...)``). Items are
``;``-separated ``key=used/max``; unknown keys are kept but nobody needs to understand them.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

_ITEM = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=\s*(\d+)\s*/\s*(\d+)")


@dataclass(frozen=True)
class ApiUsage:
    """Calls used out of the allocation (the rolling 24-hour org limit for ``api-usage``)."""

    used: int
    limit: int

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    @property
    def fraction_used(self) -> float:
        return self.used / self.limit if self.limit else 1.0


def parse_limit_info(header: str) -> dict[str, ApiUsage]:
    """``"api-usage=18/5000; per-app-api-usage=17/250(appName=x)"`` → {key: ApiUsage}; junk is skipped."""
    usage: dict[str, ApiUsage] = {}
    for item in header.split(";"):
        match = _ITEM.match(item)
        if match:
            usage[match.group(1).lower()] = ApiUsage(int(match.group(2)), int(match.group(3)))
    return usage


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter for reads that hit 5xx, timeouts or dropped connections."""

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return ceiling / 2 + random.uniform(0, ceiling / 2)
