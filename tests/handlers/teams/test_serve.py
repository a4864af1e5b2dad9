"""`paidup serve` for a bot set up for Teams only: HTTP with `POST /api/messages` (a signed activity
answered through the connector stand-in, a bad token refused), then a clean stop on SIGTERM."""

from __future__ import annotations

from pathlib import Path

import pytest

from integrations.slack_sandbox import DEFAULT_BOT_TOKEN
from integrations.teams_sandbox import TeamsChannel
from tests.conftest import ROOT
from tests.handlers.slack.conftest import eventually
from tests.handlers.slack.socket_mode_stub import SocketModeStub
from tests.test_serve import free_port, serving, wait_for_health

from .conftest import RunningTeams


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "app.yml").write_text((ROOT / "app.yml").read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_serve_teams_only_answers_then_stops(workdir: Path, teams: RunningTeams) -> None:
    port = free_port()
    env = {**teams.settings(), "DATABASE_URL": f"sqlite:///{workdir / 'paidup.db'}"}
    with serving(["serve", "--port", str(port)], workdir, env) as served:
        url = f"http://127.0.0.1:{port}"
        assert wait_for_health(url, served.process).status_code == 200
        channel = TeamsChannel(teams.state, teams.url)
        rita = teams.state.add_user("Rita Rep", "rita.rep@paidup.example")
        assert channel.post(url + "/api/messages", channel.message(rita, "help")).status_code == 200
        [reply] = teams.state.in_conversation(channel.personal(rita))
        assert reply.cards[0]["body"][0]["text"] == "What Paidup answers"
        assert channel.post(url + "/api/messages", channel.message(rita, "help"), "expired").status_code == 401
    stderr = served.stderr
    assert served.process.returncode == 0, stderr
    assert "serving Microsoft Teams over HTTP" in stderr and "Paidup stopped." in stderr and "Traceback" not in stderr


def test_slack_socket_mode_and_teams_over_http_in_one_process(workdir: Path, teams: RunningTeams) -> None:
    stub = SocketModeStub()
    port = free_port()
    env = {**teams.settings(), "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN,
           "SLACK_APP_TOKEN": "xapp-1-A0PAIDUPAPP-test", "SLACK_API_URL": stub.api_url,
           "DATABASE_URL": f"sqlite:///{workdir / 'paidup.db'}"}
    try:
        with serving(["serve", "--port", str(port)], workdir, env) as served:
            url = f"http://127.0.0.1:{port}"
            assert wait_for_health(url, served.process).status_code == 200
            channel = TeamsChannel(teams.state, teams.url)
            rita = teams.state.add_user("Rita Rep", "rita.rep@paidup.example")
            assert channel.post(url + "/api/messages", channel.message(rita, "help")).status_code == 200
            assert teams.state.in_conversation(channel.personal(rita))[0].cards[0]["body"][0]["text"] == \
                "What Paidup answers"
            # and Slack connects over Socket Mode: /healthz answers before that handler has connected
            assert eventually(lambda: "apps.connections.open" in stub.api_calls, timeout=30), stub.api_calls
    finally:
        stub.close()
    assert served.process.returncode == 0, served.stderr
    assert "Socket Mode, and Microsoft Teams over HTTP" in served.stderr and "Paidup stopped." in served.stderr
