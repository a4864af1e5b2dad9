"""The Bot Connector client and the inbound token validator against the Bot Framework stand-in
over loopback: tokens fetched once and reused, a revoked token refreshed once, errors in words
without secrets, ids percent-encoded, and the JWT rules one by one."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from integrations.loopback import LoopbackServer
from integrations.teams import (
    BotTokenProvider,
    ConnectorClient,
    InboundTokenValidator,
    InvalidInboundToken,
    TeamsApiError,
    TeamsAuthError,
)
from integrations.teams_sandbox import (
    DEFAULT_APP_ID,
    DEFAULT_APP_PASSWORD,
    DEFAULT_TENANT_ID,
    TOKEN_VARIANTS,
    TeamsChannel,
    TeamsState,
    create_teams_sandbox,
)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[tuple[TeamsState, str]]:
    state, app = create_teams_sandbox()
    with LoopbackServer(app) as server:
        yield state, server.url


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def connector(http: httpx.Client, url: str, password: str = DEFAULT_APP_PASSWORD) -> ConnectorClient:
    return ConnectorClient(http, BotTokenProvider(http, url, DEFAULT_APP_ID, password, DEFAULT_TENANT_ID))


def test_send_update_and_member_with_one_token(sandbox: tuple[TeamsState, str], http: httpx.Client) -> None:
    state, url = sandbox
    rita = state.add_user("Rita Rep", "rita@example.com")
    channel = "19:general0001@thread.tacv2;messageid=1700000000000"  # ids hold : ; @ =
    state.join(channel, rita)
    client = connector(http, url)
    issued = len(state.issued_tokens)
    activity_id = client.send(url + "/", channel, {"type": "message", "text": "hello"})
    client.update(url, channel, activity_id, {"type": "message", "text": "hello again"})
    member = client.member(url, channel, rita.id)
    assert member is not None and member.email == "rita@example.com" and member.aad_object_id == rita.aad_object_id
    assert client.member(url, channel, "29:not-a-member") is None
    assert len(state.issued_tokens) == issued + 1  # one client-credentials token for all four calls
    [posted] = state.in_conversation(channel)
    assert posted.activity["text"] == "hello again" and posted.updates[0]["id"] == activity_id
    assert state.calls_of("POST")[-1].conversation_id == channel


def test_a_revoked_token_is_replaced_once(sandbox: tuple[TeamsState, str], http: httpx.Client) -> None:
    state, url = sandbox
    rita = state.add_user("Rita Rep", "rita@example.com")
    conversation = state.personal_conversation(rita)
    client = connector(http, url)
    client.send(url, conversation, {"type": "message", "text": "one"})
    state.issued_tokens.clear()  # revoked on Microsoft's side
    client.send(url, conversation, {"type": "message", "text": "two"})
    assert [p.activity["text"] for p in state.in_conversation(conversation)][-2:] == ["one", "two"]


def test_errors_are_typed_and_never_show_the_secret(sandbox: tuple[TeamsState, str], http: httpx.Client) -> None:
    _, url = sandbox
    with pytest.raises(TeamsAuthError) as refused:
        connector(http, url, password="wrong-secret").send(url, "a:1", {"type": "message", "text": "x"})
    assert "invalid_client" in str(refused.value) and "AADSTS7000215" in str(refused.value)
    assert "wrong-secret" not in str(refused.value)
    with pytest.raises(TeamsApiError) as missing:
        connector(http, url).send(url, "19:nowhere@thread.tacv2", {"type": "message", "text": "x"})
    assert missing.value.status == 404 and missing.value.code == "ConversationNotFound"


def test_the_validator_accepts_only_a_valid_token(sandbox: tuple[TeamsState, str], http: httpx.Client) -> None:
    state, url = sandbox
    channel = TeamsChannel(state, url)
    validator = InboundTokenValidator(http, url + "/v1/.well-known/openidconfiguration", DEFAULT_APP_ID)
    claims = validator.validate(f"Bearer {channel.token('valid')}", channel.service_url, "msteams")
    assert claims["aud"] == DEFAULT_APP_ID and claims["serviceurl"] == channel.service_url
    for variant in TOKEN_VARIANTS:
        if variant in ("valid", "missing"):
            continue
        with pytest.raises(InvalidInboundToken):
            validator.validate(f"Bearer {channel.token(variant)}", channel.service_url, "msteams")
    with pytest.raises(InvalidInboundToken, match="not endorsed"):
        validator.validate(f"Bearer {channel.token('valid')}", channel.service_url, "webchat")
    for header in (None, "", "Basic abc", "Bearer ", "Bearer not.a.jwt"):
        with pytest.raises(InvalidInboundToken):
            validator.validate(header, channel.service_url, "msteams")


def test_an_unreachable_key_set_refuses_rather_than_accepts(http: httpx.Client) -> None:
    state, _ = create_teams_sandbox()
    channel = TeamsChannel(state, "http://127.0.0.1:9")
    validator = InboundTokenValidator(http, "http://127.0.0.1:9/v1/.well-known/openidconfiguration", DEFAULT_APP_ID)
    with pytest.raises(InvalidInboundToken, match="cannot read the Bot Framework signing keys"):
        validator.validate(f"Bearer {channel.token('valid')}", channel.service_url, "msteams")


def test_a_key_rollover_is_followed_without_refetching_on_every_unknown_key(http: httpx.Client) -> None:
    state, app = create_teams_sandbox()
    now = [1_000_000.0]
    with LoopbackServer(app) as server:
        channel = TeamsChannel(state, server.url)
        validator = InboundTokenValidator(http, server.url + "/v1/.well-known/openidconfiguration", DEFAULT_APP_ID,
                                          clock=lambda: now[0])
        validator.validate(f"Bearer {channel.token()}", channel.service_url, "msteams")
        state.roll_keys("sandbox-key-2")  # Microsoft publishes a new key and signs with it
        rolled = f"Bearer {channel.token()}"
        with pytest.raises(InvalidInboundToken, match="unknown key"):
            validator.validate(rolled, channel.service_url, "msteams")  # keys read a moment ago: not again yet
        now[0] += 61
        assert validator.validate(rolled, channel.service_url, "msteams")["aud"] == DEFAULT_APP_ID
