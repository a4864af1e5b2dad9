"""The bot's real HTTP endpoint (``Paidup.web_app()`` on a loopback port, ``POST /api/messages``),
the Bot Framework stand-in (token endpoint, OpenID metadata + JWKS, connector recording replies),
and a channel that sends activities signed as the Bot Framework signs them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from bot.app import Paidup
from bot.config import Settings, load_app_config
from bot.store.session import Database
from integrations.loopback import LoopbackServer
from integrations.teams_sandbox import (
    DEFAULT_APP_ID,
    DEFAULT_APP_PASSWORD,
    DEFAULT_TENANT_ID,
    PostedActivity,
    TeamsChannel,
    TeamsState,
    TeamsUser,
    TokenVariant,
    create_teams_sandbox,
)
from tests.conftest import ROOT


@dataclass
class RunningTeams:
    state: TeamsState
    url: str

    def settings(self) -> dict[str, str]:
        return {"TEAMS_APP_ID": DEFAULT_APP_ID, "TEAMS_APP_PASSWORD": DEFAULT_APP_PASSWORD,
                "TEAMS_TENANT_ID": DEFAULT_TENANT_ID, "TEAMS_LOGIN_URL": self.url,
                "TEAMS_OPENID_URL": self.url + "/v1/.well-known/openidconfiguration"}


@dataclass
class RunningTeamsBot:
    paidup: Paidup
    url: str
    teams: RunningTeams
    channel: TeamsChannel

    @property
    def messages_url(self) -> str:
        return self.url + "/api/messages"

    def post(self, activity: dict[str, Any] | bytes, variant: TokenVariant = "valid") -> httpx.Response:
        return self.channel.post(self.messages_url, activity, variant)

    def ask(self, user: TeamsUser, text: str, conversation: str | None = None, *,
            mention: bool = False) -> PostedActivity:
        """A message from ``user``; the bot's (last) reply, as the conversation shows it."""
        return self.replies(user, text, conversation, mention=mention)[-1]

    def replies(self, user: TeamsUser, text: str, conversation: str | None = None, *,
                mention: bool = False) -> list[PostedActivity]:
        """A message from ``user``; everything the bot posted in answer, oldest first."""
        conversation = conversation or self.channel.personal(user)
        before = len(self.teams.state.in_conversation(conversation))
        response = self.post(self.channel.message(user, text, conversation, mention=mention))
        assert response.status_code == 200, response.text
        posted = self.teams.state.in_conversation(conversation)[before:]
        assert posted, f"no reply to {text!r}"
        return posted


def teams_settings(teams: RunningTeams, **extra: str) -> Settings:
    return Settings(_env_file=None, **teams.settings(), **extra)


@pytest.fixture(scope="module")
def running_teams() -> Iterator[RunningTeams]:
    state, app = create_teams_sandbox()
    with LoopbackServer(app) as server:
        yield RunningTeams(state, server.url)


@pytest.fixture
def teams(running_teams: RunningTeams) -> RunningTeams:
    running_teams.state.clear()
    return running_teams


@pytest.fixture
def bot(teams: RunningTeams, db: Database) -> Iterator[RunningTeamsBot]:
    """The bot with Teams configured and nothing else (no Xero or Salesforce)."""
    paidup = Paidup(teams_settings(teams), load_app_config(ROOT / "app.yml"), db=db)
    with LoopbackServer(paidup.web_app()) as server:
        yield RunningTeamsBot(paidup, server.url, teams, TeamsChannel(teams.state, teams.url))
