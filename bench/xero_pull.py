"""Pull every invoice from a Xero sandbox holding N of them; print calls, throughput and memory.

    .venv/bin/python bench/xero_pull.py [--invoices 100000] [--per-minute 100000]

The sandbox runs in a child process (``--serve``), so the figures are the client's alone: its
tracemalloc peak, the calls it made (``ceil(N / 1000)`` pages plus one ``GET /connections``)
and invoices per second. Two passes: one timed without tracemalloc (which slows Python down),
one traced for memory. ``--per-minute`` is the client limiter's minute limit: Xero's real 60
would make 101 calls take over 100 s of waiting, which measures the quota, not the code.

Measured back to back with ``--invoices 30000`` (load ~5), before (14b1ee4: stdlib JSON with
``parse_float=Decimal``, the sandbox encoding through a Python hook) and after (bfd3eed: msgspec
both ways, the sandbox's dates formatted once): 7.9 s -> 4.5 s, 3,815 -> 6,645 invoices/s, 31
calls both, peak traced memory 21.8 -> 19.8 MiB (one page at a time).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from integrations.tokens import MemoryTokenStore, TokenSet  # noqa: E402
from integrations.xero import PROVIDER, IdentityClient, QuotaLimiter, RefreshingTokenAuth, XeroClient  # noqa: E402
from integrations.xero.sandbox import SandboxLimits, start_xero_sandbox  # noqa: E402

CLIENT_ID, CLIENT_SECRET = "bench-client", "bench-secret"


def serve(invoices: int) -> None:
    """Child process: a sandbox with ``invoices`` generated invoices; prints how to reach it; runs
    until stdin closes."""
    started = time.perf_counter()
    state, server = start_xero_sandbox(
        today=date.today(), client_id=CLIENT_ID, client_secret=CLIENT_SECRET, seed=False,
        limits=SandboxLimits(per_minute=10**7, per_day=10**8, app_per_minute=10**8, concurrent=50))
    state.add_invoices(invoices, contacts=1000)
    tokens = state.issue_tokens()
    print(json.dumps({"url": server.url, "tokens": tokens.model_dump(mode="json"), "tenant_id": state.tenant_id,
                      "seconds_to_seed": round(time.perf_counter() - started, 1)}), flush=True)
    sys.stdin.readline()
    server.stop()


def pull(url: str, tokens: TokenSet, per_minute: int) -> tuple[int, int, int, float, int]:
    """(invoices, failed records, calls, seconds, bytes held for one parsed page)."""
    store = MemoryTokenStore({PROVIDER: tokens})
    with httpx.Client(timeout=60.0) as http:
        identity = IdentityClient(http, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, identity_url=url)
        xero = XeroClient(http, RefreshingTokenAuth(identity, store), QuotaLimiter(per_minute=per_minute),
                          api_url=url)
        count = failed = page_bytes = 0
        started = time.perf_counter()
        for page in xero.invoice_pages():
            count += len(page.items)
            failed += len(page.failures)
            if tracemalloc.is_tracing() and page.number == 1:
                page_bytes = tracemalloc.get_traced_memory()[0]
        return count, failed, xero.calls_made, time.perf_counter() - started, page_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--per-minute", type=int, default=100_000, help="client limiter's calls per minute")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.invoices)
        return
    child = subprocess.Popen([sys.executable, __file__, "--serve", "--invoices", str(args.invoices)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        ready = json.loads(child.stdout.readline())  # type: ignore[union-attr]
        tokens = TokenSet.model_validate(ready["tokens"])
        print(f"sandbox: {args.invoices:,} invoices seeded in {ready['seconds_to_seed']} s (child process)")
        count, failed, calls, seconds, _ = pull(ready["url"], tokens, args.per_minute)
        tracemalloc.start()
        traced_count, _, _, traced_seconds, page_bytes = pull(ready["url"], tokens, args.per_minute)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    finally:
        child.stdin.close()  # type: ignore[union-attr]
        child.wait(timeout=30)
    expected_calls = math.ceil(args.invoices / 1000) + 1
    print(f"invoices pulled:      {count:,} ({failed} failed records); traced pass {traced_count:,}")
    print(f"calls made:           {calls} (ceil({args.invoices:,} / 1000) + 1 GET /connections = {expected_calls})")
    print(f"time:                 {seconds:.1f} s -> {count / seconds:,.0f} invoices/s "
          f"(traced pass {traced_seconds:.1f} s)")
    print(f"peak memory (traced): {peak / 2**20:.1f} MiB; "
          f"while holding page 1 (1,000 invoices): {page_bytes / 2**20:.1f} MiB")
    print(f"run at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {sys.version.split()[0]}")
    if calls != expected_calls or count != args.invoices:
        sys.exit(1)


if __name__ == "__main__":
    main()
