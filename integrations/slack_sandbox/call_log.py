"""The record of every Web API call, and the fault switches that make the next calls fail."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from integrations.slack_sandbox.core import StateCore
from integrations.slack_sandbox.surfaces import ApiCall


class CallRecorder(StateCore):
    _calls: list[ApiCall]

    def _reset_calls(self) -> None:
        with self._lock:
            self._calls = []

    def record_call(self, call: ApiCall) -> None:
        with self._lock:
            self._calls.append(copy.deepcopy(call))

    def calls(self, method: str | None = None) -> list[ApiCall]:
        """Every call so far, oldest first; only those to ``method`` when given ("chat.postMessage")."""
        with self._lock:
            return [copy.deepcopy(c) for c in self._calls if method is None or c.method == method]

    def last(self, method: str | None = None) -> ApiCall | None:
        """The latest call (to ``method``), or None."""
        with self._lock:
            found = next((c for c in reversed(self._calls) if method is None or c.method == method), None)
            return copy.deepcopy(found)

    def count(self, method: str) -> int:
        with self._lock:
            return sum(1 for c in self._calls if c.method == method)

    def call_count(self) -> int:
        """How many calls so far, to any method (cheap: the terminal client polls it to see activity)."""
        with self._lock:
            return len(self._calls)

    def clear_calls(self) -> None:
        self._reset_calls()


@dataclass
class Fault:
    """How the next ``remaining`` calls to a method fail: HTTP 429 with Retry-After, or ok:false."""

    remaining: int
    status: int = 200
    error: str = "fatal_error"
    retry_after: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.error, **self.extra}

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}


class FaultSwitches(StateCore):
    """Per-method queues of staged failures; ``"*"`` stages a failure for whichever method comes next."""

    _faults: dict[str, list[Fault]]

    def _reset_faults(self) -> None:
        with self._lock:
            self._faults = {}

    def rate_limit_next(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """The next ``times`` calls to ``method`` answer HTTP 429, ``Retry-After: retry_after``, error ratelimited."""
        self._stage(method, Fault(times, status=429, error="ratelimited", retry_after=retry_after))

    def fail_next(self, method: str, error: str, times: int = 1, status: int = 200,
                  extra: dict[str, Any] | None = None) -> None:
        """The next ``times`` calls to ``method`` answer ``{"ok": false, "error": error, **extra}``."""
        self._stage(method, Fault(times, status=status, error=error, extra=dict(extra or {})))

    def clear_faults(self) -> None:
        self._reset_faults()

    def take_fault(self, method: str) -> Fault | None:
        """The failure staged for this call to ``method`` (consuming one use), or None."""
        with self._lock:
            for key in (method, "*"):
                queue = self._faults.get(key)
                if queue:
                    fault = queue[0]
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        queue.pop(0)
                    return copy.deepcopy(fault)
        return None

    def _stage(self, method: str, fault: Fault) -> None:
        if fault.remaining < 1:
            raise ValueError("a fault must apply to at least one call")
        with self._lock:
            self._faults.setdefault(method, []).append(fault)
