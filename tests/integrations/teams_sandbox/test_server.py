"""The Bot Framework stand-in keeps the platform's rules, whoever calls it: Entra's token endpoint
refuses bad client credentials in AADSTS words, the connector wants a token it issued, posts only to
conversations the bot is in, refuses messages over 28 KB (base64 inline images apart), requests over
262,144 bytes, malformed Adaptive Card attachments and inline images Teams would not show, and a member
lookup answers TeamsChannelAccount or MemberNotFoundInConversation."""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Iterator

import httpx
import pytest
from PIL import Image

from integrations.loopback import LoopbackServer
from integrations.teams_sandbox import (
    DEFAULT_APP_ID,
    DEFAULT_APP_PASSWORD,
    DEFAULT_TENANT_ID,
    TeamsState,
    create_teams_sandbox,
)

SCOPE = "https://api.botframework.com/.default"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[tuple[TeamsState, str]]:
    state, app = create_teams_sandbox()
    with LoopbackServer(app) as server:
        yield state, server.url


def token(url: str, **form: str) -> httpx.Response:
    body = {"grant_type": "client_credentials", "client_id": DEFAULT_APP_ID, "client_secret": DEFAULT_APP_PASSWORD,
            "scope": SCOPE, **form}
    return httpx.post(f"{url}/{form.pop('tenant', DEFAULT_TENANT_ID)}/oauth2/v2.0/token", data=body)


def test_the_token_endpoint(sandbox: tuple[TeamsState, str]) -> None:
    _, url = sandbox
    good = token(url)
    assert good.status_code == 200 and good.json()["token_type"] == "Bearer" and good.json()["expires_in"] == 3599
    wrong = token(url, client_secret="nope")
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    assert wrong.json()["error_description"].startswith("AADSTS7000215")
    assert token(url, scope="https://graph.microsoft.com/.default").json()["error"] == "invalid_scope"
    assert httpx.post(f"{url}/not-a-tenant/oauth2/v2.0/token", data={}).json()["error_codes"] == [90002]


def test_metadata_names_the_key_set(sandbox: tuple[TeamsState, str]) -> None:
    _, url = sandbox
    metadata = httpx.get(url + "/v1/.well-known/openidconfiguration").json()
    assert metadata["issuer"] == "https://api.botframework.com"
    [key] = httpx.get(metadata["jwks_uri"]).json()["keys"]
    assert key["kty"] == "RSA" and key["use"] == "sig" and key["endorsements"] == ["msteams"] and key["kid"]


def test_the_connector_rules(sandbox: tuple[TeamsState, str]) -> None:
    state, url = sandbox
    rita = state.add_user("Rita Rep", "rita@example.com")
    chat = state.personal_conversation(rita)
    bearer = {"Authorization": f"Bearer {token(url).json()['access_token']}"}
    post = f"{url}/v3/conversations/{chat}/activities"
    assert httpx.post(post, json={"type": "message", "text": "hi"}).status_code == 401  # no token
    assert httpx.post(post, json={"type": "message", "text": "hi"},
                      headers={"Authorization": "Bearer forged"}).status_code == 401
    created = httpx.post(post, json={"type": "message", "text": "hi"}, headers=bearer)
    assert created.status_code == 201 and created.json()["id"]
    elsewhere = httpx.post(f"{url}/v3/conversations/19:other@thread.tacv2/activities",
                           json={"type": "message", "text": "hi"}, headers=bearer)
    assert elsewhere.status_code == 404 and elsewhere.json()["error"]["code"] == "ConversationNotFound"
    big = httpx.post(post, json={"type": "message", "text": "x" * 30_000}, headers=bearer)
    assert big.status_code == 413 and big.json()["error"]["code"] == "MessageSizeTooBig"
    card = {"contentType": "application/vnd.microsoft.card.adaptive", "content": {"type": "AdaptiveCard"}}
    no_version = httpx.post(post, json={"type": "message", "attachments": [card]}, headers=bearer)
    assert no_version.status_code == 400
    assert httpx.post(post, json={"type": "message"}, headers=bearer).status_code == 400  # nothing to show
    missing = httpx.put(f"{post}/1999", json={"type": "message", "text": "x"}, headers=bearer)
    assert missing.status_code == 404
    member = httpx.get(f"{url}/v3/conversations/{chat}/members/{rita.aad_object_id}", headers=bearer).json()
    assert member["id"] == rita.id and member["email"] == "rita@example.com" and member["userPrincipalName"]
    stranger = httpx.get(f"{url}/v3/conversations/{chat}/members/29:someone-else", headers=bearer)
    assert stranger.status_code == 404 and stranger.json()["error"]["code"] == "MemberNotFoundInConversation"


def png(width: int, height: int, noise: bool = False) -> bytes:
    """A PNG of that size: flat grey, or random pixels (which hardly compress)."""
    pixels = os.urandom(width * height * 3) if noise else b"\x80" * (width * height * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def picture(data: bytes, kind: str = "image/png", declared: str | None = None) -> dict[str, str]:
    url = f"data:{declared or kind};base64,{base64.b64encode(data).decode()}"
    return {"contentType": kind, "contentUrl": url, "name": "chart.png"}


def test_inline_images_as_teams_shows_them(sandbox: tuple[TeamsState, str]) -> None:
    state, url = sandbox
    rita = state.add_user("Rita Rep", "rita@example.com")
    post = f"{url}/v3/conversations/{state.personal_conversation(rita)}/activities"
    bearer = {"Authorization": f"Bearer {token(url).json()['access_token']}"}

    def send(*attachments: dict[str, str]) -> httpx.Response:
        return httpx.post(post, json={"type": "message", "text": "chart", "attachments": list(attachments)},
                          headers=bearer)

    noisy = png(250, 200, noise=True)  # ~150 KB: over 28 KB, but base64 images don't count toward it
    assert 100_000 < len(noisy) < 190_000
    sent = send(picture(noisy))
    assert sent.status_code == 201
    assert state.posted[sent.json()["id"]].images == [("chart.png", noisy)]
    assert send({"contentType": "image/png", "contentUrl": "https://example.com/chart.png"}).status_code == 201

    def refused(response: httpx.Response) -> str:
        assert response.status_code == 400 and response.json()["error"]["code"] == "BadArgument"
        return str(response.json()["error"]["message"])

    assert "1100 × 500 px" in refused(send(picture(png(1100, 500))))
    assert "1000 × 1060 px" in refused(send(picture(png(1000, 1060))))  # a three-currency chart as drawn
    assert "says image/jpeg" in refused(send(picture(png(10, 10), declared="image/jpeg")))
    assert "not PNG, JPEG or GIF" in refused(send(picture(png(10, 10), kind="image/bmp")))
    assert "not image/png" in refused(send(picture(b"GIF89a" + b"\0" * 20)))
    not_base64 = {"contentType": "image/png", "contentUrl": "data:image/png;base64,iVBORw0KGgo"}
    assert "not base64" in refused(send(not_base64))
    assert "neither https" in refused(send({"contentType": "image/png", "contentUrl": "http://example.com/a.png"}))
    too_big = send(picture(noisy), picture(noisy))  # two charts in one message: over the request limit
    assert too_big.status_code == 413 and "262144 bytes" in too_big.json()["error"]["message"]
