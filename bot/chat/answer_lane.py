"""Acks first, answers a few at a time: how the Bolt app shares its process between the two.

A listener acks (within Slack's 3 seconds), then does the slow work: reads the mirror, renders,
posts. Bolt runs each listener in a thread of its ``listener_executor``; with a small pool a new
request waits for a free thread *before* its listener can ack, so under load the acks queued
behind other people's answers (p95 ack ~300 ms with 20 questions in flight). With a large pool
every listener reaches its ack at once, but then twenty answers share one GIL and every ack
waits its turn among them.

``AnswerLane`` does both: a large pool, so any listener starts (and acks) at once, and a gate
that a listener passes right after its ``ack()``: at most ``answers`` listeners do their
after-the-ack work at the same time, in arrival order; the others wait (blocked, not holding
the GIL) until one finishes. A listener that acks last (a view submission that validates first)
is gated only for what follows its ack. Acks Bolt makes itself (Events API deliveries, acked
before the listener starts, in the dispatching thread) are never gated.

    lane = AnswerLane(answers=2)
    app = App(..., listener_executor=lane.executor)
    app.use(lane.middleware)        # first, so every listener gets the gated ack
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from slack_bolt import Ack, BoltContext, BoltResponse

LISTENER_THREADS = 64  # listeners that may start (and ack) at once; more wait for a thread
# Listeners doing after-the-ack work at the same time. Answers are mostly CPU under one GIL, so more
# at once only adds threads that every ack waits behind: with 20 questions outstanding on the bench
# mirror (bench/answers.py) the ack p95 was ~120-200 ms with 4, ~95-155 ms with 2 (and ~35-75 ms
# with 1, but then one slow answer, a report or a live Xero refresh, holds up every other).
ANSWERS_AT_ONCE = 2


class _Slots:
    """A counting semaphore that hands a freed slot to the longest waiter (``threading.Semaphore``
    lets a newcomer take it first, so under steady load one answer could wait indefinitely)."""

    def __init__(self, count: int) -> None:
        self._lock = threading.Lock()
        self._free = count
        self._waiting: deque[threading.Event] = deque()

    def acquire(self) -> None:
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait()  # release() passed its slot straight to us

    def release(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._free += 1


class _LaneExecutor(ThreadPoolExecutor):
    """Bolt's listener pool: marks its threads as listener threads, and frees a listener's
    answer slot when the listener returns (however it returns)."""

    def __init__(self, lane: AnswerLane, threads: int) -> None:
        super().__init__(max_workers=threads, thread_name_prefix="slack-listener")
        self._lane = lane

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        lane = self._lane

        def run() -> Any:
            lane._local.in_listener = True
            try:
                return fn(*args, **kwargs)
            finally:
                lane._local.in_listener = False
                lane._leave()

        return super().submit(run)


class GatedAck(Ack):
    """Bolt's ``ack``; in a listener thread, returns once this listener may do its answer work."""

    def __init__(self, lane: AnswerLane) -> None:
        super().__init__()
        self._lane = lane

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        response = super().__call__(*args, **kwargs)
        self._lane._enter()
        return response

    # Bolt's thread runner, when a listener raises after it acked, sets ``ack.response = None`` ("already
    # acknowledged") while the request thread may still be polling ``ack.response`` for the ack to send:
    # seeing None it answers Slack 404 ("didn't call ack()") for a request that was acked. An ack that
    # was given stays given.
    @property
    def response(self) -> BoltResponse | None:
        return self._response

    @response.setter
    def response(self, value: BoltResponse | None) -> None:
        if value is not None or getattr(self, "_response", None) is None:
            self._response = value


class AnswerLane:
    def __init__(self, answers: int = ANSWERS_AT_ONCE, threads: int = LISTENER_THREADS) -> None:
        if answers < 1 or threads < answers:
            raise ValueError("need 1 <= answers <= threads")
        self._slots = _Slots(answers)
        self._local = threading.local()
        self.executor = _LaneExecutor(self, threads)

    def middleware(self, context: BoltContext, next: Callable[[], None]) -> None:
        """Global Bolt middleware: the listener's ``ack`` becomes a ``GatedAck``."""
        context["ack"] = GatedAck(self)
        next()

    def _enter(self) -> None:
        local = self._local
        if getattr(local, "in_listener", False) and not getattr(local, "holds_slot", False):
            self._slots.acquire()
            local.holds_slot = True

    def _leave(self) -> None:
        local = self._local
        if getattr(local, "holds_slot", False):
            local.holds_slot = False
            self._slots.release()

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
