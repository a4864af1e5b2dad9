"""A per-tenant limiter that keeps Paidup under Xero's quota by itself, and the quota Xero reports.

Xero allows, per organisation, 60 calls a minute, 5 in flight at once and 5,000 a day
(FACTS.md §7). ``QuotaLimiter.slot(tenant)`` blocks until a call may start: a concurrency slot
(semaphore) and room in a sliding one-minute window. After each response, ``observe`` reads
``X-MinLimit-Remaining`` / ``X-DayLimit-Remaining`` / ``X-AppMinLimit-Remaining``; ``quota``
returns the last values (what the bot shows as "quota left"). When Xero reports the daily
limit, ``stop_for_day`` makes every further ``slot`` fail fast with ``XeroRateLimited`` until
Retry-After has passed: Xero asks callers not to keep calling once limited.

Time comes from an injectable ``Clock``, so tests move through minutes without waiting.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from integrations.xero.clock import Clock, SystemClock
from integrations.xero.errors import XeroRateLimited

MINUTE_LIMIT = 60
CONCURRENT_LIMIT = 5
WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class Quota:
    """What Xero said was left after the last call (None until a call was made)."""

    minute_remaining: int | None = None
    day_remaining: int | None = None
    app_minute_remaining: int | None = None
    observed_at: datetime | None = None
    stopped_until: datetime | None = None  # set after a daily-limit 429


@dataclass
class _TenantState:
    concurrency: threading.Semaphore
    starts: deque[float] = field(default_factory=deque)
    quota: Quota = field(default_factory=Quota)
    minute_exhausted_at: float | None = None
    stopped_until: float | None = None


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class QuotaLimiter:
    def __init__(self, per_minute: int = MINUTE_LIMIT, concurrent: int = CONCURRENT_LIMIT,
                 clock: Clock | None = None, window_seconds: float = WINDOW_SECONDS) -> None:
        self.per_minute = per_minute
        self.concurrent = concurrent
        self.window_seconds = window_seconds
        self._clock = clock or SystemClock()
        self._tenants: dict[str, _TenantState] = {}
        self._lock = threading.Lock()

    def _state(self, tenant: str) -> _TenantState:
        with self._lock:
            if tenant not in self._tenants:
                self._tenants[tenant] = _TenantState(threading.Semaphore(self.concurrent))
            return self._tenants[tenant]

    @contextmanager
    def slot(self, tenant: str) -> Iterator[None]:
        """Held for the duration of one call to Xero for ``tenant``."""
        state = self._state(tenant)
        self._raise_if_stopped(state)
        with state.concurrency:
            self._wait_for_window(state)
            yield

    def _raise_if_stopped(self, state: _TenantState) -> None:
        with self._lock:
            until = state.stopped_until
        if until is not None:
            left = until - self._clock.monotonic()
            if left > 0:
                raise XeroRateLimited("day", left)
            with self._lock:
                state.stopped_until = None

    def _wait_for_window(self, state: _TenantState) -> None:
        while True:
            with self._lock:
                wait = self._seconds_until_room(state, self._clock.monotonic())
                if wait <= 0:
                    state.starts.append(self._clock.monotonic())
                    return
            self._clock.sleep(wait)

    def _seconds_until_room(self, state: _TenantState, now: float) -> float:
        while state.starts and state.starts[0] <= now - self.window_seconds:
            state.starts.popleft()
        if state.minute_exhausted_at is not None:
            reopens = state.minute_exhausted_at + self.window_seconds
            if now < reopens:
                return reopens - now
            state.minute_exhausted_at = None
        if len(state.starts) < self.per_minute:
            return 0.0
        return state.starts[0] + self.window_seconds - now

    def observe(self, tenant: str, headers: Mapping[str, str]) -> None:
        """Record the remaining quota Xero reported on a response."""
        state = self._state(tenant)
        minute = _header_int(headers, "X-MinLimit-Remaining")
        day = _header_int(headers, "X-DayLimit-Remaining")
        app = _header_int(headers, "X-AppMinLimit-Remaining")
        if minute is None and day is None and app is None:
            return
        with self._lock:
            old = state.quota
            state.quota = Quota(minute if minute is not None else old.minute_remaining,
                                day if day is not None else old.day_remaining,
                                app if app is not None else old.app_minute_remaining,
                                self._clock.now(), old.stopped_until)
            if minute == 0:  # another process may share the quota: wait a window before the next call
                state.minute_exhausted_at = self._clock.monotonic()

    def stop_for_day(self, tenant: str, retry_after: float) -> None:
        """Refuse calls for ``tenant`` until ``retry_after`` seconds have passed (daily limit reached)."""
        state = self._state(tenant)
        with self._lock:
            state.stopped_until = self._clock.monotonic() + retry_after
            until = self._clock.now() + timedelta(seconds=retry_after)
            old = state.quota
            state.quota = Quota(old.minute_remaining, 0, old.app_minute_remaining, self._clock.now(), until)

    def quota(self, tenant: str) -> Quota:
        with self._lock:
            state = self._tenants.get(tenant)
            return state.quota if state else Quota()
