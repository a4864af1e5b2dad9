"""The bot's real HTTP endpoint (``Paidup.web_app(slack=...)`` on a loopback port), its WebClient on
the Slack stand-in, and a signer that signs requests exactly as Slack does."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import pytest
from slack_sdk import WebClient

from bot.app import Paidup
from bot.config import Settings, load_app_config
from bot.store.session import Database
from integrations.loopback import LoopbackServer
from integrations.slack_sandbox import DEFAULT_BOT_TOKEN, SlackRequestSigner, SlackState, create_slack_sandbox
from integrations.slack_sandbox.signing import SignedRequest, post_signed
from tests.conftest import ROOT

SIGNING_SECRET = "e3b0c44298fc1c149afbf4c8996fb924"
T = TypeVar("T")


@dataclass
class RunningSlack:
    state: SlackState
    url: str

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def client(self) -> WebClient:
        return WebClient(token=DEFAULT_BOT_TOKEN, base_url=self.api_url, timeout=10)


@dataclass
class RunningBot:
    paidup: Paidup
    url: str
    slack: RunningSlack
    signer: SlackRequestSigner

    @property
    def events_url(self) -> str:
        return self.url + "/slack/events"

    def post(self, request: SignedRequest):  # -> httpx.Response
        return post_signed(self.events_url, request)


def slack_settings(slack_api_url: str, **extra: str) -> Settings:
    return Settings(_env_file=None, SLACK_BOT_TOKEN=DEFAULT_BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                    SLACK_API_URL=slack_api_url, **extra)


def eventually(probe: Callable[[], T], timeout: float = 5.0) -> T:
    """The first truthy ``probe()`` (answers come after the ack, from Bolt's worker threads)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


@pytest.fixture(scope="module")
def running_slack() -> Iterator[RunningSlack]:
    state, app = create_slack_sandbox()
    with LoopbackServer(app) as server:
        yield RunningSlack(state, server.url)


@pytest.fixture
def slack(running_slack: RunningSlack) -> RunningSlack:
    running_slack.state.clear()
    return running_slack


@pytest.fixture
def bot(slack: RunningSlack, db: Database) -> Iterator[RunningBot]:
    paidup = Paidup(slack_settings(slack.api_url), load_app_config(ROOT / "app.yml"), db=db)
    with LoopbackServer(paidup.web_app(slack=paidup.slack_endpoint())) as server:
        yield RunningBot(paidup, server.url, slack, SlackRequestSigner(SIGNING_SECRET, sandbox_url=slack.url))
    # no paidup.close(): it joins the webhook worker, which web_app() builds but only `serve` starts
