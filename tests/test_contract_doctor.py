"""`paidup doctor` talks to each platform once: a token Slack accepts and Xero and Salesforce
answering are said; a token refused is a failed check (exit 1) that never prints the secret."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from integrations.loopback import LoopbackServer
from integrations.slack_sandbox import DEFAULT_BOT_TOKEN, create_slack_sandbox
from tests.bot.sync.conftest import SECRET_KEY, SF_ID, SF_SECRET, XERO_ID, XERO_SECRET, World, world  # noqa: F401
from tests.test_cli import run, workdir  # noqa: F401


@pytest.fixture
def slack_url() -> Iterator[str]:
    _, app = create_slack_sandbox()
    with LoopbackServer(app) as server:
        yield server.url + "/api/"


def env_for(world: World, slack_url: str, workdir: Path, **changes: str) -> dict[str, str]:  # noqa: F811
    env = {"DATABASE_URL": f"sqlite:///{workdir / 'paidup.db'}", "PAIDUP_SECRET_KEY": SECRET_KEY,
           "PAIDUP_CONFIG": str(workdir / "app.yml"),
           "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN, "SLACK_SIGNING_SECRET": "0123456789abcdef", "SLACK_API_URL": slack_url,
           "XERO_CLIENT_ID": XERO_ID, "XERO_CLIENT_SECRET": XERO_SECRET, "XERO_GRANT": "client_credentials",
           "XERO_API_URL": world.settings.xero_api_url, "XERO_IDENTITY_URL": world.settings.xero_identity_url,
           "XERO_WEBHOOK_KEY": "k", "SALESFORCE_LOGIN_URL": world.settings.salesforce_login_url,
           "SALESFORCE_CLIENT_ID": SF_ID, "SALESFORCE_CLIENT_SECRET": SF_SECRET}
    return {**env, **changes}


def test_doctor_says_each_platform_answers(world: World, slack_url: str, workdir: Path) -> None:  # noqa: F811
    env = env_for(world, slack_url, workdir)
    assert run("db", "upgrade", cwd=workdir, env=env).returncode == 0
    result = run("doctor", cwd=workdir, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✓ slack       SLACK_BOT_TOKEN works: @paidup" in result.stdout
    assert "✓ xero        Xero answers: organisation Paidup Demo Ltd" in result.stdout
    assert "✓ salesforce  Salesforce answers" in result.stdout


def test_doctor_fails_on_credentials_the_platforms_refuse(world: World, slack_url: str,  # noqa: F811
                                                           workdir: Path) -> None:  # noqa: F811
    env = env_for(world, slack_url, workdir, SLACK_BOT_TOKEN="xoxb-revoked-0000",
                  XERO_CLIENT_SECRET="wrong-xero-secret", SALESFORCE_CLIENT_SECRET="wrong-sf-secret")
    assert run("db", "upgrade", cwd=workdir, env=env).returncode == 0
    result = run("doctor", cwd=workdir, env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    failed = [line for line in result.stdout.splitlines() if line.startswith("✗")]
    assert [line.split()[1] for line in failed] == ["slack", "xero", "salesforce"], result.stdout
    assert all("could not connect" in line for line in failed)
    for secret in ("xoxb-revoked-0000", "wrong-xero-secret", "wrong-sf-secret"):
        assert secret not in result.stdout + result.stderr
