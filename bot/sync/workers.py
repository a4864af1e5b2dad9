"""A worker process for the CPU-heavy half of a big pull: decoding, validating and turning pages
into rows, while this process stores the page before (Python's GIL keeps two threads of one
process on one core; a process can have the other core).

``ordered(pages, work, parallel=...)`` maps ``work`` over ``pages`` in order. Pages that ``parallel``
picks (a full page: more are coming) go to the worker, one being worked on while the caller has
the one before; the others are worked on here, so a small incremental sync never starts a process.
Results come back in the pages' order, so the engine still stores page n, with its cursor, before
page n+1: a crash re-reads from the last committed cursor, never skips.

The worker is ``python -m bot.sync.workers`` with this process's ``sys.path``: a fresh interpreter
that inherits no threads, locks or connections and never imports the caller's main module (which
multiprocessing's spawn would run again). Requests and answers are pickled frames on its stdin and
stdout; it reads requests in a thread, so a request is taken while it writes an answer. It is
started on first use and kept for later syncs while they come: one that no pull has used for
``IDLE_SECONDS`` is stopped (``paidup serve`` needs it for a first pull or a full reconcile, not for
the small syncs in between), and the next big pull starts another. It also exits when this process
closes its stdin (or dies). If it dies mid-pull, the running sync fails like on any other error; the
next one starts a new one.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_HEADER = struct.Struct("!Q")
PRELOAD = ("bot.sync.xero_rows",)  # imported by the worker before it says it is ready
IDLE_SECONDS = 300.0  # a worker no pull has used for this long is stopped


class WorkerDied(RuntimeError):
    """The worker process ended while a page was in it."""


def _write_frame(stream: IO[bytes], payload: Any) -> None:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _read_bytes(stream: IO[bytes]) -> bytes:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("the other side closed the pipe")
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the other side closed the pipe mid-frame")
    return data


def _read_frame(stream: IO[bytes]) -> Any:
    return pickle.loads(_read_bytes(stream))  # noqa: S301 - our own process on the other end of our own pipe


class Worker:
    """One worker process; ``send`` and ``receive`` in the same order (answers come in order)."""

    def __init__(self, preload: tuple[str, ...] = PRELOAD) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self._process = subprocess.Popen([sys.executable, "-m", "bot.sync.workers", *preload],  # noqa: S603
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.busy = threading.Lock()  # one pull at a time uses it; held for good once it is retired
        self.sent = 0  # pages sent to it so far
        self.last_used = time.monotonic()
        self._closed = threading.Event()
        # Starting takes a second or more (imports); pages are worked on here until it says so.
        self.ready = threading.Event()
        threading.Thread(target=self._await_ready, name="sync-worker-start", daemon=True).start()
        threading.Thread(target=self._retire_when_idle, args=(IDLE_SECONDS,), name="sync-worker-idle",
                         daemon=True).start()

    def _await_ready(self) -> None:
        try:
            self.receive()
        except Exception:  # noqa: BLE001 - never ready: a pull keeps working on pages itself
            return
        self.ready.set()

    def _retire_when_idle(self, idle: float) -> None:
        """Stop this worker once no pull has used it for ``idle`` seconds. It keeps ``busy`` held:
        a pull that still has it from ``worker()`` can't take it, and works on its pages itself."""
        while not self._closed.wait(max(idle - (time.monotonic() - self.last_used), 0.05)):
            if time.monotonic() - self.last_used >= idle and self.busy.acquire(blocking=False):
                _discard(self)
                return

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def send(self, work: Callable[[Any], Any], item: Any) -> None:
        try:
            _write_frame(self._process.stdin, (work, item))  # type: ignore[arg-type]
        except (BrokenPipeError, ValueError):
            raise WorkerDied("the sync worker process is gone") from None
        self.sent += 1
        self.last_used = time.monotonic()

    @property
    def pid(self) -> int:
        return self._process.pid

    def receive(self) -> Any:
        try:
            ok, value = _read_frame(self._process.stdout)  # type: ignore[arg-type]
        except EOFError:
            raise WorkerDied(f"the sync worker process ended (exit code {self._process.poll()})") from None
        self.last_used = time.monotonic()
        if not ok:
            raise value
        return value

    def close(self, timeout: float = 5.0) -> None:
        self._closed.set()
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):  # a request still buffered for a worker that is gone
                    pipe.close()
        try:
            self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


_lock = threading.Lock()
_worker: Worker | None = None


def worker() -> Worker:
    """This process's worker, started on first use (or again after it died)."""
    global _worker
    with _lock:
        if _worker is None or not _worker.alive:
            _worker = Worker()
        return _worker


def current_pid() -> int | None:
    """The running worker's process id, if one was started (the bench reads its CPU time)."""
    current = _worker
    return current.pid if current is not None and current.alive else None


def _discard(broken: Worker) -> None:
    global _worker
    with _lock:
        if _worker is broken:
            _worker = None
    broken.close(timeout=1.0)


@atexit.register
def shutdown() -> None:
    """Stop the worker (at exit; tests may call it too)."""
    global _worker
    with _lock:
        current, _worker = _worker, None
    if current is not None:
        current.close()


def _identity(value: Any) -> Any:
    return value


def ordered(pages: Iterable[T], work: Callable[[T], R], *, parallel: Callable[[T], bool],
            remote: tuple[Callable[[T], Any], Callable[[Any], R]] | None = None) -> Iterator[R]:
    """``work(page)`` for each page, in order; pages for which ``parallel(page)`` is true are worked
    on in the worker process, one ahead. What the worker runs must pickle (a module-level function
    or a partial of one): ``work``, or with ``remote = (there, back)`` ``there(page)`` in the worker
    and ``back(answer)`` here, for results cheaper to send in a form of their own than pickled.
    When another pull holds the worker, everything is worked on here."""
    there, back = remote or (work, _identity)
    chosen: Worker | None = None
    pending = 0
    try:
        for page in pages:
            if parallel(page) and chosen is None:
                candidate = worker()  # started on the first page that wants it; used once it is ready
                if candidate.ready.is_set() and candidate.busy.acquire(blocking=False):
                    chosen = candidate
            if chosen is not None and parallel(page):
                chosen.send(there, page)
                pending += 1
                if pending > 1:  # keep one in the worker while the caller has the one before
                    pending -= 1
                    yield back(chosen.receive())
                continue
            while pending and chosen is not None:
                pending -= 1
                yield back(chosen.receive())
            yield work(page)
        while pending and chosen is not None:
            pending -= 1
            yield back(chosen.receive())
    except WorkerDied:
        if chosen is not None:
            pending = 0
            _discard(chosen)
        raise
    finally:
        if chosen is not None:
            _settle(chosen, pending)
            chosen.last_used = time.monotonic()  # idle from the end of the pull on
            chosen.busy.release()


def _settle(used: Worker, pending: int) -> None:
    """Read and drop the answers of pages still in the worker (the pull stopped early), so the
    next pull's answers are its own; a worker that cannot answer is replaced."""
    try:
        for _ in range(pending):
            try:
                used.receive()
            except WorkerDied:
                raise
            except Exception:  # noqa: S112, BLE001 - the answer of a page nobody wants any more
                continue
    except WorkerDied:
        _discard(used)


def _serve(preload: list[str]) -> None:
    """The worker's loop: requests read in a thread, worked on in order, answers written in order."""
    requests_in = sys.stdin.buffer
    answers_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not corrupt the answers
    for module in preload:
        importlib.import_module(module)
    _write_frame(answers_out, (True, "ready"))
    inbox: queue.Queue[bytes | None] = queue.Queue()

    def read_requests() -> None:
        # Only bytes here: a request that cannot be unpickled is answered with its error below, in
        # its place, and any failure to read ends the loop, so the caller sees the worker end (EOF)
        # instead of waiting for an answer that a dead reader thread would never let come.
        try:
            while True:
                inbox.put(_read_bytes(requests_in))
        except BaseException:  # noqa: BLE001 - EOF, a closed or broken pipe: no more requests
            inbox.put(None)

    threading.Thread(target=read_requests, name="sync-worker-reader", daemon=True).start()
    while (request := inbox.get()) is not None:
        try:
            work, item = pickle.loads(request)  # noqa: S301 - our own process on the other end of our own pipe
            answer: tuple[bool, Any] = (True, work(item))
        except Exception as exc:  # noqa: BLE001 - handed back to the caller, which raises it
            answer = (False, exc)
        try:
            _write_frame(answers_out, answer)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            _write_frame(answers_out, (False, RuntimeError(f"{type(answer[1]).__name__}: {exc}")))


if __name__ == "__main__":
    _serve(sys.argv[1:])
