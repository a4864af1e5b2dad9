"""`paidup sync` as a person runs it: progress, a summary, and exit codes 0 / 1 / 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.store.session import Database
from integrations import demo_data as demo
from tests.bot.sync.conftest import World
from tests.conftest import ROOT

PAIDUP = Path(sys.executable).with_name("paidup")


def run_sync(world: World, *args: str, drop: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    settings = world.settings
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAIDUP_", "SLACK_", "XERO_", "SALESFORCE_"))}
    env.update({
        "PAIDUP_CONFIG": str(ROOT / "app.yml"), "DATABASE_URL": world.db.url,
        "PAIDUP_SECRET_KEY": settings.secret_key.get_secret_value(), "XERO_API_URL": settings.xero_api_url,
        "XERO_IDENTITY_URL": settings.xero_identity_url, "XERO_CLIENT_ID": settings.xero_client_id,
        "XERO_CLIENT_SECRET": settings.xero_client_secret.get_secret_value(), "XERO_GRANT": "client_credentials",
        "SALESFORCE_LOGIN_URL": settings.salesforce_login_url, "SALESFORCE_CLIENT_ID": settings.salesforce_client_id,
        "SALESFORCE_CLIENT_SECRET": settings.salesforce_client_secret.get_secret_value(), "COLUMNS": "120",
    })
    for name in drop:
        env.pop(name)
    return subprocess.run([str(PAIDUP), "sync", *args], env=env, capture_output=True, text=True, timeout=120)


def test_sync_both_sources_prints_what_changed(world: World, db: Database) -> None:
    result = run_sync(world)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✓ salesforce full sync: ok" in result.stdout
    assert f"✓ xero full sync: ok — {len(demo.INVOICES) + len(demo.CONTACTS_XERO)} created" in result.stdout
    assert "invoices" in result.stdout and "API calls" in result.stdout
    again = run_sync(world, "xero")
    assert again.returncode == 0 and "xero incremental sync: ok — 0 created, 0 updated" in again.stdout


def test_failed_records_exit_1(world: World) -> None:
    world.xero.faults.corrupt_in_listings(demo.demo_uuid("invoice:INV-0050"))
    result = run_sync(world, "xero")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "! xero full sync: partial" in result.stdout and "1 failed" in result.stdout
    assert "retried with backoff" in result.stdout


def test_a_run_that_cannot_complete_exits_2_with_the_reason(world: World) -> None:
    world.xero.faults.fail_next(1, status=429, retry_after=50000, problem="day")
    result = run_sync(world, "xero")
    assert result.returncode == 2
    assert "daily API limit" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_source_that_is_not_set_up_says_what_is_missing(world: World) -> None:
    result = run_sync(world, "xero", drop=("XERO_CLIENT_ID",))
    assert result.returncode == 2
    assert "XERO_CLIENT_ID is not set" in result.stdout
