"""`paidup doctor` for a bot set up for Teams: the TEAMS_* settings checked, Slack not asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_cli import run

PASSWORD = "teams-secret-value-that-must-not-show"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "app.yml").write_text((ROOT / "app.yml").read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_doctor_checks_teams_and_does_not_ask_for_slack(workdir: Path) -> None:
    result = run("-v", "doctor", cwd=workdir, env={"TEAMS_APP_ID": "6d1f2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b",
                                                   "TEAMS_APP_PASSWORD": PASSWORD})
    assert "✓ teams       TEAMS_APP_ID and TEAMS_APP_PASSWORD are set" in result.stdout, result.stdout
    assert "TEAMS_TENANT_ID is not set" in result.stdout and "single-tenant" in result.stdout
    assert "SLACK_BOT_TOKEN" not in result.stdout and "Microsoft Teams only" in result.stdout
    assert PASSWORD not in result.stdout + result.stderr


def test_doctor_says_a_teams_password_without_the_id(workdir: Path) -> None:
    result = run("doctor", cwd=workdir, env={"TEAMS_APP_PASSWORD": PASSWORD})
    assert "✗ teams       TEAMS_APP_ID and TEAMS_APP_PASSWORD are not set" in result.stdout
    assert result.returncode == 1 and PASSWORD not in result.stdout + result.stderr
