"""`paidup serve` as a person runs it: HTTP mode answers /healthz and a signed `/paidup help`, then
stops cleanly on SIGTERM; missing Slack secrets are one clear message and exit 2."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from integrations.loopback import LoopbackServer
from integrations.slack_sandbox import DEFAULT_BOT_TOKEN, SlackRequestSigner, SlackState, create_slack_sandbox
from integrations.slack_sandbox.signing import post_signed
from tests.conftest import ROOT
from tests.handlers.slack.socket_mode_stub import SocketModeStub
from tests.test_cli import run

PAIDUP = Path(sys.executable).with_name("paidup")
SIGNING_SECRET = "0123456789abcdef0123456789abcdef"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "app.yml").write_text((ROOT / "app.yml").read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


@pytest.fixture
def slack() -> Iterator[tuple[SlackState, str]]:
    state, app = create_slack_sandbox()
    with LoopbackServer(app) as server:
        yield state, server.url


def wait_for_health(url: str, process: subprocess.Popen[str], timeout: float = 30.0) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited early: {process.communicate()[1]}")
        try:
            return httpx.get(url + "/healthz", timeout=2)
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("serve did not start listening")


@dataclass
class Served:
    process: subprocess.Popen[str]
    stderr: str = ""


@contextmanager
def serving(args: list[str], cwd: Path, env: dict[str, str]) -> Iterator[Served]:
    """`paidup <args>` with ``env`` over an environment cleared of every Paidup setting; SIGTERM
    when the block ends (its stderr kept), killed if the block fails."""
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("PAIDUP_", "SLACK_", "XERO_", "SALESFORCE_", "TEAMS_")) and k != "DATABASE_URL"}
    process = subprocess.Popen([str(PAIDUP), *args], cwd=cwd, env={**clean, **env},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    served = Served(process)
    try:
        yield served
        process.send_signal(signal.SIGTERM)
        _, served.stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_serve_http_answers_then_stops_on_sigterm(workdir: Path, slack: tuple[SlackState, str]) -> None:
    state, slack_url = slack
    port = free_port()
    env = {"SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
           "SLACK_API_URL": slack_url + "/api", "DATABASE_URL": f"sqlite:///{workdir / 'paidup.db'}"}
    with serving(["serve", "--http", "--port", str(port)], workdir, env) as served:
        url = f"http://127.0.0.1:{port}"
        health = wait_for_health(url, served.process)
        assert health.status_code == 200 and health.json()["database"] == "ok"
        signer = SlackRequestSigner(SIGNING_SECRET, sandbox_url=slack_url)
        answer = post_signed(url + "/slack/events", signer.slash_command("U0REP0001", "help"))
        assert answer.status_code == 200 and answer.json()["text"].startswith("Paidup help")
        forged = SlackRequestSigner("not-the-secret").slash_command("U0REP0001", "help")
        assert post_signed(url + "/slack/events", forged).status_code == 401
        assert state.last("auth.test").ok  # the bot verified its token against SLACK_API_URL (slash added)
    assert served.process.returncode == 0, served.stderr
    assert "Paidup stopped." in served.stderr and "Traceback" not in served.stderr


def test_serve_without_slack_secrets_says_which_and_exits_2(workdir: Path) -> None:
    result = run("serve", "--http", cwd=workdir)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET not set" in result.stderr


def test_socket_mode_needs_the_bot_token_not_the_signing_secret(workdir: Path) -> None:
    result = run("serve", cwd=workdir, env={"SLACK_APP_TOKEN": "xapp-1-test"})
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN not set" in result.stderr and "SLACK_SIGNING_SECRET" not in result.stderr.split(":")[1]


def test_serve_in_socket_mode_acks_a_slash_command_with_the_help_then_stops(workdir: Path) -> None:
    stub = SocketModeStub()
    env = {"SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN, "SLACK_APP_TOKEN": "xapp-1-A0PAIDUPAPP-test",
           "SLACK_API_URL": stub.api_url, "DATABASE_URL": f"sqlite:///{workdir / 'paidup.db'}"}
    try:
        with serving(["serve"], workdir, env) as served:
            command = SlackRequestSigner(SIGNING_SECRET).slash_command("U0REP0001", "help").payload()
            stub.send({"envelope_id": "env-1", "type": "slash_commands", "payload": command,
                       "accepts_response_payload": True})
            ack = stub.acks.get(timeout=30)
            assert ack["envelope_id"] == "env-1" and ack["payload"]["text"].startswith("Paidup help")
            assert "apps.connections.open" in stub.api_calls
    finally:
        stub.close()
    assert served.process.returncode == 0, served.stderr
    assert "Socket Mode" in served.stderr and "Paidup stopped." in served.stderr and "Traceback" not in served.stderr


def test_a_bot_token_slack_refuses_is_one_message_and_exit_2(workdir: Path, slack: tuple[SlackState, str]) -> None:
    _, slack_url = slack
    result = run("serve", "--http", cwd=workdir, env={
        "SLACK_BOT_TOKEN": "xoxb-revoked", "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": slack_url + "/api/",
        "DATABASE_URL": f"sqlite:///{workdir / 'paidup.db'}"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "Slack refused SLACK_BOT_TOKEN" in result.stderr and "invalid_auth" in result.stderr
    assert "xoxb-revoked" not in result.stderr
