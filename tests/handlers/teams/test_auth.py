"""`POST /api/messages` lets in only activities with a valid Bot Framework token for this bot:
every invalid variant is 401 and nothing is sent; malformed bodies are 4xx, never 5xx."""

from __future__ import annotations

import json

import httpx
import pytest

from bot.app import Paidup
from bot.config import Settings, load_app_config
from bot.store.session import Database
from integrations.loopback import LoopbackServer
from integrations.teams_sandbox import TOKEN_VARIANTS, TokenVariant
from tests.conftest import ROOT

from .conftest import RunningTeamsBot

INVALID: list[TokenVariant] = [v for v in TOKEN_VARIANTS if v != "valid"]


def test_a_valid_token_is_answered(bot: RunningTeamsBot) -> None:
    rita = bot.teams.state.add_user("Rita Rep", "rita.rep@paidup.example")
    reply = bot.ask(rita, "help")
    assert reply.cards[0]["body"][0]["text"] == "What Paidup answers"
    [post] = bot.teams.state.calls_of("POST")
    assert post.conversation_id == bot.channel.personal(rita) and post.body["replyToId"].startswith("f:")


@pytest.mark.parametrize("variant", INVALID)
def test_every_invalid_token_is_refused(bot: RunningTeamsBot, variant: TokenVariant) -> None:
    rita = bot.teams.state.add_user("Rita Rep", "rita.rep@paidup.example")
    response = bot.post(bot.channel.message(rita, "help"), variant)
    assert response.status_code == 401 and response.json() == {"error": "Unauthorized"}
    assert bot.teams.state.calls == []  # nothing sent, no token asked for


def test_a_token_for_another_service_url_is_refused(bot: RunningTeamsBot) -> None:
    """A genuine token, but the activity points replies elsewhere: the bot must not follow it."""
    rita = bot.teams.state.add_user("Rita Rep", "rita.rep@paidup.example")
    activity = bot.channel.message(rita, "help") | {"serviceUrl": "https://attacker.example.com/"}
    token = bot.channel.token("valid")  # serviceurl claim: the stand-in
    response = httpx.post(bot.messages_url, json=activity, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401 and bot.teams.state.calls == []


@pytest.mark.parametrize("body", [b"", b"not json", b"[1, 2]", b'{"type": "message"}',
                                  json.dumps({"serviceUrl": 42}).encode()])
def test_malformed_bodies_are_400(bot: RunningTeamsBot, body: bytes) -> None:
    response = bot.post(body)
    assert response.status_code == 400


def test_malformed_activities_with_a_valid_token_are_4xx_not_5xx(bot: RunningTeamsBot) -> None:
    rita = bot.teams.state.add_user("Rita Rep", "rita.rep@paidup.example")
    good = bot.channel.message(rita, "help")
    broken = [good | {"type": "message", "from": "nobody"}, good | {"conversation": None},
              good | {"type": 7}, good | {"type": "invoke", "name": "adaptiveCard/action", "value": "x"},
              {k: v for k, v in good.items() if k != "from"}]
    for activity in broken:
        response = bot.post(activity)
        assert 400 <= response.status_code < 500, (activity, response.status_code, response.text)
    assert bot.teams.state.calls_of("POST") == []


def test_unknown_invoke_and_other_activity_types(bot: RunningTeamsBot) -> None:
    rita = bot.teams.state.add_user("Rita Rep", "rita.rep@paidup.example")
    typing = bot.channel.message(rita, "") | {"type": "typing"}
    assert bot.post(typing).status_code == 200
    invoke = bot.channel.task_fetch(rita, {}) | {"name": "composeExtension/query"}
    assert bot.post(invoke).status_code == 501  # as the Bot Framework SDKs answer an unhandled invoke
    assert bot.teams.state.calls_of("POST") == []


def test_oversized_body_is_413(bot: RunningTeamsBot) -> None:
    response = bot.post(b"{" + b" " * 1_000_001 + b"}")
    assert response.status_code == 413


def test_without_teams_settings_the_endpoint_is_404(db: Database) -> None:
    paidup = Paidup(Settings(_env_file=None), load_app_config(ROOT / "app.yml"), db=db)
    with LoopbackServer(paidup.web_app()) as server:
        assert httpx.post(server.url + "/api/messages", json={}).status_code == 404


def test_an_oversized_chunked_body_is_413(bot: RunningTeamsBot) -> None:
    def chunks():  # no Content-Length: the endpoint stops reading past the limit
        for _ in range(20):
            yield b" " * 100_000

    token = bot.channel.token("valid")
    response = httpx.post(bot.messages_url, content=chunks(), headers={"Authorization": f"Bearer {token}",
                                                                       "Content-Type": "application/json"})
    assert response.status_code == 413
