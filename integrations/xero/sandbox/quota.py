"""Xero's rate limits in the sandbox (FACTS.md §7), configurable so tests and benches can choose.

Per tenant: calls in the last minute, calls in the last 24 hours, calls in flight; per app:
calls in the last minute. Every admitted call gets ``X-MinLimit-Remaining``,
``X-DayLimit-Remaining`` and ``X-AppMinLimit-Remaining``; a refused one gets 429 with
``Retry-After`` (seconds until the window frees) and ``X-Rate-Limit-Problem``. Refused calls do
not count.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict, deque
from dataclasses import dataclass

from integrations.xero.clock import Clock

MINUTE = 60.0
DAY = 86_400.0


@dataclass
class SandboxLimits:
    per_minute: int = 60
    per_day: int = 5000
    app_per_minute: int = 10_000
    concurrent: int = 5


@dataclass(frozen=True)
class Admission:
    admitted: bool
    headers: dict[str, str]
    problem: str | None = None


class SandboxQuota:
    def __init__(self, limits: SandboxLimits, clock: Clock) -> None:
        self.limits = limits
        self._clock = clock
        self._minute: dict[str, deque[float]] = defaultdict(deque)
        self._day: dict[str, deque[float]] = defaultdict(deque)
        self._app: deque[float] = deque()
        self._in_flight: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()

    @staticmethod
    def _prune(calls: deque[float], now: float, window: float) -> None:
        while calls and calls[0] <= now - window:
            calls.popleft()

    @staticmethod
    def _wait(calls: deque[float], now: float, window: float) -> str:
        return str(max(1, math.ceil(calls[0] + window - now))) if calls else "1"

    def admit(self, tenant: str) -> Admission:
        with self._lock:
            now = self._clock.monotonic()
            minute, day = self._minute[tenant], self._day[tenant]
            for calls, window in ((minute, MINUTE), (day, DAY), (self._app, MINUTE)):
                self._prune(calls, now, window)
            refusal = self._refusal(tenant, now)
            if refusal is not None:
                return refusal
            for calls in (minute, day, self._app):
                calls.append(now)
            self._in_flight[tenant] += 1
            return Admission(True, self._remaining(tenant))

    def _refusal(self, tenant: str, now: float) -> Admission | None:
        checks = ((self._day[tenant], self.limits.per_day, DAY, "day"),
                  (self._minute[tenant], self.limits.per_minute, MINUTE, "minute"),
                  (self._app, self.limits.app_per_minute, MINUTE, "appminute"))
        for calls, limit, window, name in checks:
            if len(calls) >= limit:
                return self.refused(tenant, name, self._wait(calls, now, window))
        if self._in_flight[tenant] >= self.limits.concurrent:
            return self.refused(tenant, "concurrent", "1")
        return None

    def refused(self, tenant: str, problem: str, retry_after: str) -> Admission:
        headers = {**self._remaining(tenant), "Retry-After": retry_after, "X-Rate-Limit-Problem": problem}
        return Admission(False, headers, problem)

    def _remaining(self, tenant: str) -> dict[str, str]:
        return {"X-DayLimit-Remaining": str(max(0, self.limits.per_day - len(self._day[tenant]))),
                "X-MinLimit-Remaining": str(max(0, self.limits.per_minute - len(self._minute[tenant]))),
                "X-AppMinLimit-Remaining": str(max(0, self.limits.app_per_minute - len(self._app)))}

    def release(self, tenant: str) -> None:
        with self._lock:
            self._in_flight[tenant] = max(0, self._in_flight[tenant] - 1)

    def remaining(self, tenant: str) -> dict[str, str]:
        with self._lock:
            return self._remaining(tenant)

    def reset(self) -> None:
        with self._lock:
            self._minute.clear()
            self._day.clear()
            self._app.clear()
