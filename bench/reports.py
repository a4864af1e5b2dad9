"""Report time: `/paidup report all last month` computed over a big mirror on SQLite.

    .venv/bin/python bench/reports.py                  # 50,000 accounts / 200,000 invoices / 100,000 payments
    .venv/bin/python bench/reports.py --invoices 20000 --runs 3
    .venv/bin/python bench/reports.py --charts         # also time drawing the two PNG charts

Seeds the mirror exactly as ``bench/answers.py`` does (its ``Mirror``: accounts linked to
contacts, invoices in GBP/USD/EUR over the last 400 days, payments on the paid ones, 50,000
opportunities a third of them closed-won, 50 owners), adds the Xero organisation (base currency
GBP, so the base-currency total is computed too), then times ``ReportService.build`` for each
scope and period, best and worst of ``--runs`` runs after one warm-up. The issue's goal: the
all-team report over 200,000 invoices in under 1 s.

Measured at the default sizes on the shared 2-core machine, before (14b1ee4) and after (9602280)
back to back, best of 3 runs, wall / CPU. Other helpers kept the load average at 6-7.4 (the old
code's run at 7.4), so the process often got half a core or less: compare the CPU column.

    scope  period       before wall / CPU       after wall / CPU
    all    last month   8.15 s / 1.74 s         1.59 s / 1.00 s
    all    this month   6.49 s / 1.66 s         1.47 s / 0.71 s
    all    quarter      4.44 s / 1.62 s         1.55 s / 0.83 s
    team   last month  12.43 s / 5.39 s         2.26 s / 1.27 s
    team   this month   8.31 s / 4.45 s         2.30 s / 1.16 s
    team   quarter     11.59 s / 5.40 s         3.28 s / 1.32 s
    me     last month   1.28 s / 0.68 s         1.28 s / 0.52 s
    me     this month   1.28 s / 0.69 s         1.24 s / 0.51 s
    me     quarter      1.73 s / 0.76 s         1.29 s / 0.53 s

On a quiet machine (load 0.9), best / worst of 3 wall: at 9621f53 all last month 0.92 / 1.00 s,
this month 0.63 / 0.70 s, quarter 0.82 / 1.08 s; with the owner-free figures read on a second
connection meanwhile (the commit after): 0.53 / 0.69 s, 0.60 / 0.77 s, 0.61 / 0.64 s — the goal is
met for `all`; team 1.08-1.34 s and me 0.50-0.61 s best.

An earlier pair (old at load 8.8, new 1c2d3d6 at load 5.0): all 1.38-1.74 -> 0.74-0.99 s CPU,
team 3.09-3.82 -> 1.18-1.49 s, me 0.51-0.56 -> 0.43-0.68 s. The < 1 s goal is not met at these
loads: `all` takes 0.71-1.00 s of CPU and 1.5-1.6 s of wall time (README "Tests and benchmarks"
says where the time goes). PostgreSQL, the same mirror at 40,000 invoices, last month, wall best of
2 (load ~7): all 0.84-1.17 -> 0.84 s, team 1.96-3.00 -> 1.10 s, me 13.3-16.6 -> 0.84 s.
The "not met" above was at load 5-8; see the quiet-machine figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.answers import Mirror  # noqa: E402
from bot.config import load_app_config  # noqa: E402
from bot.services.reports import ReportService  # noqa: E402
from bot.services.reports.charts import report_charts  # noqa: E402
from bot.store.migrate import upgrade  # noqa: E402
from bot.store.mirror import XeroOrganisation  # noqa: E402
from bot.store.session import Database  # noqa: E402

GOAL_SECONDS = 1.0


def timed(runs: int, work) -> tuple[float, float, float, object]:
    """Best and worst wall time, and the best CPU time of this process (SQLite runs in it, so CPU time
    is the work itself, whatever else the machine is doing)."""
    work()  # warm-up: SQLite's page cache, SQLAlchemy's statement cache
    times, cpu, result = [], [], None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = work()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return min(times), max(times), min(cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=50_000)
    parser.add_argument("--invoices", type=int, default=200_000)
    parser.add_argument("--payments", type=int, default=100_000)
    parser.add_argument("--opportunities", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--charts", action="store_true", help="also time drawing the charts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="paidup-bench-") as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'mirror.db'}")
        upgrade(db)
        mirror = Mirror(db, args.accounts, args.invoices, args.payments, args.opportunities, args.seed)
        with db.engine.begin() as c:
            c.execute(insert(XeroOrganisation.__table__).values(id="bench-org", name="Bench Ltd", base_currency="GBP"))
        print(f"mirror: {args.accounts:,} accounts, {args.invoices:,} invoices, {mirror.payments:,} payments, "
              f"{args.opportunities:,} opportunities (seeded in {mirror.seconds:.1f} s)")
        service = ReportService(db, load_app_config(ROOT / "app.yml"))
        print(f"ReportService.build, wall best / worst and CPU best of {args.runs} runs "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs):")
        rep = "005B00000000000000"  # the first of the bench's 50 owners
        best_all = 0.0
        report = None
        for scope, period in [(scope, period) for scope in ("all", "team", "me")
                              for period in ("last month", "this month", "quarter")]:
            best, worst, cpu, result = timed(args.runs, lambda s=scope, p=period: service.build(
                s, p, rep if s == "me" else None))
            if scope == "all":
                best_all = max(best_all, best)
                report = report or result
            print(f"  {scope:<5} {period:<11} {best * 1000:8.1f} ms / {worst * 1000:8.1f} ms  CPU {cpu * 1000:7.1f} ms")
        verdict = "met" if best_all < GOAL_SECONDS else "MISSED"
        print(f"goal: the all-team report in < {GOAL_SECONDS:.0f} s: {verdict} (slowest period, best run: "
              f"{best_all * 1000:.0f} ms)")
        if args.charts and report is not None:
            best, worst, cpu, charts = timed(args.runs, lambda: report_charts(report))
            sizes = ", ".join(f"{c.filename} {len(c.png) // 1024} KiB" for c in charts)
            print(f"charts: {best * 1000:.0f} ms / {worst * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms ({sizes})")
        db.dispose()


if __name__ == "__main__":
    main()
