"""`paidup connect`: the browser round trip against the sandboxes' login pages (which approve at
once), tokens stored encrypted, and the next sync using them."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text

from bot.config import ConfigError
from bot.connect_flow import connect_salesforce, connect_xero
from integrations.xero import PROVIDER
from tests.bot.sync.conftest import World


def browser(url: str) -> None:
    """What a person's browser does: open the login page and follow the redirects back."""
    response = httpx.get(url, follow_redirects=True, timeout=30)
    assert response.status_code == 200, response.text


def test_connect_xero_then_sync_with_the_stored_tokens(world: World) -> None:
    world.settings = world.settings.model_copy(update={"xero_grant": "authorization_code"})
    paidup = world.paidup()
    shown: list[str] = []
    name = connect_xero(paidup, lambda url: (shown.append(url), browser(url)), port=0)
    assert name == "Paidup Demo Ltd"
    assert "code_challenge_method=S256" in shown[0] and "offline_access" in shown[0]
    tokens = paidup.token_store.load(PROVIDER)
    assert tokens is not None and tokens.refresh_token and tokens.extra["tenant_id"] == world.xero.tenant_id
    with paidup.db.engine.connect() as connection:
        stored = connection.execute(text("SELECT ciphertext FROM oauth_tokens")).scalar_one()
    assert tokens.access_token.encode() not in bytes(stored)
    assert world.paidup().sync.sync("xero").status == "ok"


def test_a_used_or_unknown_callback_state_is_refused(world: World) -> None:
    world.settings = world.settings.model_copy(update={"xero_grant": "authorization_code"})
    connector = world.paidup().xero_connector
    with pytest.raises(Exception, match="expired or was already used"):
        connector.finish({"state": "forged", "code": "x"})


def test_connect_salesforce_web_server_flow(world: World) -> None:
    paidup = world.paidup()
    where = connect_salesforce(paidup, browser, port=0)
    assert where.startswith("http://127.0.0.1")
    tokens = paidup.token_store.load("salesforce")
    assert tokens is not None and tokens.refresh_token and tokens.extra["redirect_uri"].endswith("/salesforce/callback")
    fresh = world.paidup()
    assert type(fresh.salesforce_auth).__name__ == "WebServerAuth"
    assert fresh.sync.sync("salesforce").status == "ok"


def test_connect_without_a_client_id_says_so(world: World) -> None:
    world.settings = world.settings.model_copy(update={"salesforce_client_id": None})
    with pytest.raises(ConfigError, match="SALESFORCE_CLIENT_ID is not set"):
        connect_salesforce(world.paidup(), browser, port=0)
