"""Switches that make the sandbox misbehave on purpose, for tests of the client's resilience.

- ``fail_next(n, status)``: the next ``n`` API calls answer ``status`` (429 with ``Retry-After``
  and ``X-Rate-Limit-Problem``; 500/503 with Xero's bodies).
- ``slow_next(n, seconds)``: the next ``n`` API calls wait before answering (client timeouts).
- ``reject_writes_to(record_id, message)``: a write touching that record gets a 400
  ``ValidationException`` with ``message``.
- ``corrupt_in_listings(record_id, field, value)``: that record is listed with a broken field.
- ``deny_next_authorization``: lives on ``SandboxOAuth``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class InjectedFailure:
    status: int
    retry_after: int = 1
    problem: str = "minute"


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: list[InjectedFailure] = []
        self._delays: list[float] = []
        self._rejections: dict[str, str] = {}
        self._corruptions: dict[str, tuple[str, object]] = {}

    def fail_next(self, count: int = 1, status: int = 500, *, retry_after: int = 1, problem: str = "minute") -> None:
        with self._lock:
            self._failures.extend([InjectedFailure(status, retry_after, problem)] * count)

    def slow_next(self, count: int = 1, seconds: float = 1.0) -> None:
        with self._lock:
            self._delays.extend([seconds] * count)

    def reject_writes_to(self, record_id: str, message: str) -> None:
        with self._lock:
            self._rejections[record_id.lower()] = message

    def corrupt_in_listings(self, record_id: str, field: str = "Date", value: object = "/Date(not-a-date)/") -> None:
        with self._lock:
            self._corruptions[record_id.lower()] = (field, value)

    def clear(self) -> None:
        with self._lock:
            self._failures.clear()
            self._delays.clear()
            self._rejections.clear()
            self._corruptions.clear()

    def take_failure(self) -> InjectedFailure | None:
        with self._lock:
            return self._failures.pop(0) if self._failures else None

    def take_delay(self) -> float:
        with self._lock:
            return self._delays.pop(0) if self._delays else 0.0

    def rejection_for(self, record_id: str | None) -> str | None:
        return self._rejections.get(record_id.lower()) if record_id else None

    def corruption_for(self, record_id: str) -> tuple[str, object] | None:
        return self._corruptions.get(record_id.lower()) if self._corruptions else None
