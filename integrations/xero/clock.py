"""Time as a collaborator: the limiter, retries, token expiry and the sandbox all ask a ``Clock``.

``SystemClock`` is the real one. ``ManualClock`` never moves by itself: ``sleep`` advances it
instantly, so tests of rate limits and backoff run in milliseconds, and one instance can be
shared by a client and the sandbox so both see the same time.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware UTC wall time."""
        ...

    def monotonic(self) -> float:
        """Seconds, for measuring intervals."""
        ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class ManualClock:
    """A clock that moves only when told (``advance``) or slept on; records every sleep."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
        self._elapsed = 0.0
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        with self._lock:
            return self._elapsed

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)
            self._elapsed += seconds

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if seconds > 0:
            self.advance(seconds)
