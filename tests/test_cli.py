"""`paidup` end to end, as a person runs it: help, doctor, db upgrade, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from bot.store.migrate import alembic_config
from tests.conftest import ROOT

PAIDUP = Path(sys.executable).with_name("paidup")


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("PAIDUP_", "SLACK_", "XERO_", "SALESFORCE_")) and k != "DATABASE_URL"}
    return subprocess.run([str(PAIDUP), *args], cwd=cwd, env={**clean, **(env or {})}, capture_output=True,
                          text=True, timeout=60)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "app.yml").write_text((ROOT / "app.yml").read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_help_lists_every_command(workdir: Path) -> None:
    result = run("--help", cwd=workdir)
    assert result.returncode == 0
    for command in ("demo", "serve", "sync", "connect", "alerts", "doctor", "manifest", "db"):
        assert command in result.stdout
    sync_help = run("sync", "--help", cwd=workdir)
    assert "--full" in sync_help.stdout and "records" in sync_help.stdout


def test_doctor_against_the_committed_app_yml_says_what_is_missing(workdir: Path) -> None:
    result = run("doctor", cwd=workdir)
    assert result.returncode == 1
    assert "✓ config      app.yml is valid" in result.stdout
    assert "✗ secrets     PAIDUP_SECRET_KEY is not set" in result.stdout
    assert "SLACK_BOT_TOKEN is not set" in result.stdout
    assert "paidup.db does not exist yet" in result.stdout
    assert not (workdir / "paidup.db").exists()


def test_doctor_never_prints_a_secret(workdir: Path) -> None:
    secrets = {"PAIDUP_SECRET_KEY": "k-very-secret", "SLACK_BOT_TOKEN": "xoxb-secret-bot",
               "SLACK_SIGNING_SECRET": "sig-secret", "XERO_CLIENT_ID": "xero-id", "XERO_CLIENT_SECRET": "xs-secret",
               "XERO_WEBHOOK_KEY": "wh-secret", "SALESFORCE_CLIENT_ID": "sf-id",
               "SALESFORCE_CLIENT_SECRET": "sfs-secret",
               "SALESFORCE_LOGIN_URL": "https://acme.my.salesforce.com"}
    upgrade = run("db", "upgrade", cwd=workdir, env=secrets)
    assert upgrade.returncode == 0, upgrade.stderr
    result = run("-v", "doctor", cwd=workdir, env=secrets)
    output = result.stdout + result.stderr
    for value in secrets.values():
        if "secret" in value:
            assert value not in output
    # nothing answers these made-up hosts and tokens: each connection check fails, naming no secret
    assert result.returncode == 1, output
    assert result.stdout.count("could not connect") == 3


def test_client_credentials_on_the_generic_login_host_is_a_problem(workdir: Path) -> None:
    result = run("doctor", cwd=workdir, env={"SALESFORCE_CLIENT_ID": "id", "SALESFORCE_CLIENT_SECRET": "s"})
    assert "client credentials flow needs your My Domain URL" in result.stdout


def test_bad_config_is_one_message_without_a_traceback(workdir: Path) -> None:
    (workdir / "app.yml").write_text("alerts:\n  timezone: Mars/Olympus\n", encoding="utf-8")
    result = run("manifest", cwd=workdir)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == ("Configuration error: app.yml: alerts.timezone: expected an IANA time zone "
                                     "such as Europe/London, got 'Mars/Olympus'")
    doctor = run("doctor", cwd=workdir)
    assert "✗ config" in doctor.stdout and doctor.returncode == 1


def test_missing_config_file_via_paidup_config(workdir: Path) -> None:
    result = run("manifest", cwd=workdir, env={"PAIDUP_CONFIG": str(workdir / "missing.yml")})
    assert result.returncode == 2
    assert "missing.yml: config file not found" in result.stderr


def test_db_upgrade_creates_and_then_reports_current(workdir: Path) -> None:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    first = run("db", "upgrade", cwd=workdir)
    assert first.returncode == 0 and f"migrated from empty to {head}" in first.stdout
    second = run("db", "upgrade", cwd=workdir)
    assert f"already at revision {head}" in second.stdout


def test_alerts_run_without_slack_says_what_is_missing(workdir: Path) -> None:
    result = run("alerts", "run", "overdue", cwd=workdir)
    assert result.returncode == 2
    assert "Configuration error: SLACK_BOT_TOKEN is not set" in result.stderr
