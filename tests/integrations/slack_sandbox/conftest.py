"""One Slack stand-in on a loopback port per test module, emptied before each test, and
slack_sdk's real WebClient pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from slack_sdk import WebClient

from integrations.loopback import LoopbackServer
from integrations.slack_sandbox import DEFAULT_BOT_TOKEN, SlackState, create_slack_sandbox
from integrations.slack_sandbox.signing import SlackRequestSigner

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@dataclass
class RunningSlack:
    state: SlackState
    url: str

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def client(self, token: str = DEFAULT_BOT_TOKEN) -> WebClient:
        return WebClient(token=token, base_url=self.api_url, timeout=10)


@pytest.fixture(scope="module")
def running_slack() -> Iterator[RunningSlack]:
    state, app = create_slack_sandbox()
    with LoopbackServer(app) as server:
        yield RunningSlack(state, server.url)


@pytest.fixture
def slack(running_slack: RunningSlack) -> RunningSlack:
    running_slack.state.clear()
    running_slack.state.trigger_ttl = None
    return running_slack


@pytest.fixture
def client(slack: RunningSlack) -> WebClient:
    return slack.client()


@pytest.fixture
def signer(slack: RunningSlack) -> SlackRequestSigner:
    return SlackRequestSigner(SIGNING_SECRET, sandbox_url=slack.url)
