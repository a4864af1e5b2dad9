"""Several job runners on one database post each alert once: threads with their own engines racing
every job (the claims decide, not the job leases), and two `paidup alerts run` processes at once.
On SQLite and, with DATABASE_URL, PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from bot.app import Paidup
from bot.services.alerts import JobResult
from bot.store.session import Database
from integrations import demo_data as demo
from integrations.slack_sandbox import DEFAULT_BOT_TOKEN
from tests.bot.sync.conftest import world  # noqa: F401
from tests.conftest import ROOT

from .alerting import ALERTS, OPS, AlertWorld, alert_service, alerting  # noqa: F401

PAIDUP = Path(sys.executable).with_name("paidup")
RUNNERS = 4


def test_racing_job_runners_post_each_alert_once(alerting: AlertWorld) -> None:  # noqa: F811
    xero = alerting.world.xero
    xero.faults.corrupt_in_listings(demo.demo_uuid("invoice:INV-0050"))
    xero.record_payment("INV-0080", notify=False)  # Umbrela: Unassigned, so the channel only
    assert alerting.paidup.sync.sync("xero", full=True).failed == 1
    databases = [Database(alerting.world.db.url) for _ in range(RUNNERS)]
    runners = [alert_service(Paidup(alerting.paidup.settings, alerting.paidup.config, db=database),
                             alerting.paidup.config, alerting.clock) for database in databases]
    start = threading.Barrier(RUNNERS)
    results: list[JobResult] = []

    def run(index: int) -> None:
        service = runners[index]
        start.wait()
        jobs = [service.digest.run, service.failed_sync.run, service.run_payments]  # past the job leases
        for job in jobs[index % 3:] + jobs[:index % 3]:
            results.append(job())

    threads = [threading.Thread(target=run, args=(i,)) for i in range(RUNNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for database in databases:
        database.dispose()
    assert all(not r.failed for r in results)
    channel = [m.text.split(":")[0] for m in alerting.posted(ALERTS)]
    assert sorted(channel) == ["Overdue invoices · " + alerting.clock.now.strftime("%a %-d %b %Y"),
                               "Umbrela Corporation paid INV-0080"]
    assert len(alerting.posted(OPS)) == 1
    for owner in (demo.REP, demo.SELLER):
        assert len(alerting.slack.state.dm_with(owner.slack_id)) == 1
    assert sum(len(r.posted) for r in results) == 5


def test_two_paidup_processes_post_the_digest_once(alerting: AlertWorld) -> None:  # noqa: F811
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PAIDUP_", "SLACK_", "XERO_", "SALESFORCE_"))}
    env = {**clean, "DATABASE_URL": alerting.world.db.url, "PAIDUP_CONFIG": str(ROOT / "app.yml"),
           "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN, "SLACK_API_URL": alerting.slack.api_url}
    processes = [subprocess.Popen([str(PAIDUP), "alerts", "run", "overdue"], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=90) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    printed = "".join(out for out, _ in outputs)  # one posted, the other skipped (busy or already posted)
    assert printed.count(f"posted: overdue digest to {ALERTS}: 8 invoices, 3 owners") == 1, printed
    assert printed.count("posted: overdue list to Rita Rep (U0REP0001) by DM: 4 invoices") == 1
    assert len(alerting.posted(ALERTS)) == 1 and len(alerting.slack.state.dm_with(demo.SELLER.slack_id)) == 1
