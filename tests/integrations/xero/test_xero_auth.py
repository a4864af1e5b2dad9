"""Auth against the sandbox: authorization code + PKCE end to end, refresh with rotation,
single-flight refresh across threads, client credentials, tenants, and no secrets in errors."""

from __future__ import annotations

import logging
import threading
from dataclasses import replace

import httpx
import pytest

from integrations.tokens import MemoryTokenStore
from integrations.xero import (
    LEGACY_SCOPES,
    PROVIDER,
    SCOPES,
    AuthorizationCodeFlow,
    ClientCredentialsAuth,
    XeroAuthError,
    XeroAuthRevoked,
    XeroClient,
    XeroForbidden,
    XeroNotConnected,
    authorize_on_loopback,
)
from tests.integrations.xero.conftest import CLIENT_ID, CLIENT_SECRET, PLAIN_HTTP, XeroRig


def browser(url: str) -> None:
    """What a person's browser does: follow the login page's redirect to our callback."""
    httpx.get(url, follow_redirects=True, timeout=5.0, verify=PLAIN_HTTP)


def test_authorization_code_with_pkce_end_to_end(rig: XeroRig) -> None:
    seen: list[str] = []

    def open_url(url: str) -> None:
        seen.append(url)
        browser(url)

    tokens = authorize_on_loopback(rig.identity(), rig.store, open_url, client_id=CLIENT_ID, login_url=rig.login_url,
                                   timeout=5)
    query = httpx.URL(seen[0]).params
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["scope"] == "offline_access accounting.invoices accounting.payments.read accounting.contacts " \
                             "accounting.settings.read" == " ".join(SCOPES)
    assert query["redirect_uri"].startswith("http://localhost:") and query["redirect_uri"].endswith("/callback")
    assert rig.store.load(PROVIDER) == tokens and tokens.refresh_token
    xero = rig.client()
    assert [c.tenant_name for c in xero.connections()] == ["Paidup Demo Ltd"]
    assert xero.tenant_id == rig.state.tenant_id
    assert xero.organisation().name == "Paidup Demo Ltd"


def test_a_callback_with_another_state_is_refused(rig: XeroRig) -> None:
    flow = AuthorizationCodeFlow(rig.identity(), rig.store, client_id=CLIENT_ID, login_url=rig.login_url,
                                 redirect_uri="http://localhost:1/callback")
    request = flow.start()
    redirect = rig.http.get(request.url, follow_redirects=False)
    callback = dict(httpx.URL(redirect.headers["location"]).params)
    with pytest.raises(XeroAuthError, match="state"):
        flow.finish(request, {**callback, "state": "forged"})
    with pytest.raises(XeroAuthRevoked):  # right state, wrong verifier: the sandbox checks PKCE
        flow.finish(replace(request, pkce=replace(request.pkce, verifier="x" * 64)), callback)
    assert rig.store.load(PROVIDER) is None


def test_broad_scopes_are_refused_for_a_new_app(rig: XeroRig) -> None:
    flow = AuthorizationCodeFlow(rig.identity(), rig.store, client_id=CLIENT_ID, login_url=rig.login_url,
                                 redirect_uri="http://localhost:1/callback", scopes=LEGACY_SCOPES)
    request = flow.start()
    callback = dict(httpx.URL(rig.http.get(request.url).headers["location"]).params)
    assert callback["error"] == "invalid_scope" and callback["state"] == request.state
    with pytest.raises(XeroAuthError, match="invalid_scope"):
        flow.finish(request, callback)


def test_an_expired_token_is_refreshed_and_the_old_refresh_token_is_spent(rig: XeroRig, xero: XeroClient) -> None:
    first = rig.store.load(PROVIDER)
    assert first is not None and first.refresh_token
    rig.clock.advance(31 * 60)
    assert xero.organisation().name == "Paidup Demo Ltd"
    second = rig.store.load(PROVIDER)
    assert second is not None and second.refresh_token != first.refresh_token
    assert second.access_token != first.access_token
    with pytest.raises(XeroAuthRevoked):
        rig.identity().refresh(first.refresh_token)


def test_a_401_mid_flight_renews_the_token_once(rig: XeroRig, xero: XeroClient) -> None:
    xero.organisation()
    rig.state.expire_access_tokens()  # Xero says expired although our clock says it is not
    assert xero.currencies().items
    assert rig.state.oauth.token_requests == ["refresh_token"]


def test_concurrent_workers_refresh_once_and_never_burn_the_refresh_token(rig: XeroRig) -> None:
    rig.connect()
    shared = MemoryTokenStore({PROVIDER: rig.store.load(PROVIDER)})  # type: ignore[dict-item]
    rig.clock.advance(31 * 60)
    workers = [rig.client(auth=rig.auth(shared), tenant_id=rig.state.tenant_id) for _ in range(8)]
    barrier = threading.Barrier(len(workers))
    results: list[object] = []

    def work(client: XeroClient) -> None:
        barrier.wait()
        try:
            results.append(client.organisation().name)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            results.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results == ["Paidup Demo Ltd"] * 8
    assert rig.state.oauth.token_requests == ["refresh_token"]


def test_a_spent_refresh_token_asks_to_reconnect(rig: XeroRig, xero: XeroClient) -> None:
    tokens = rig.store.load(PROVIDER)
    assert tokens is not None and tokens.refresh_token
    rig.identity().refresh(tokens.refresh_token)  # someone else used it
    rig.clock.advance(31 * 60)
    with pytest.raises(XeroAuthRevoked, match="reconnect"):
        xero.organisation()


def test_no_tokens_means_not_connected(rig: XeroRig) -> None:
    with pytest.raises(XeroNotConnected):
        rig.client().organisation()


def test_client_credentials_needs_no_tenant_header(rig: XeroRig) -> None:
    auth = ClientCredentialsAuth(rig.identity(), MemoryTokenStore(), clock=rig.clock)
    xero = rig.client(auth=auth)
    assert xero.organisation().name == "Paidup Demo Ltd"
    assert xero.calls_made == 1  # no GET /connections
    request = rig.recorded("/Organisation")[0][0]
    assert "xero-tenant-id" not in request.headers
    assert rig.state.oauth.token_requests == ["client_credentials"]
    assert [c.tenant_id for c in xero.connections()] == [rig.state.tenant_id]


def test_a_wrong_tenant_is_forbidden(rig: XeroRig) -> None:
    rig.connect()
    xero = rig.client(tenant_id="00000000-0000-0000-0000-00000000dead")
    with pytest.raises(XeroForbidden) as caught:
        xero.organisation()
    assert caught.value.detail == "AuthenticationUnsuccessful"
    assert caught.value.tenant_id == "00000000-0000-0000-0000-00000000dead"


def test_secrets_never_appear_in_errors_or_logs(rig: XeroRig, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    tokens = rig.connect()
    xero = rig.client()
    rig.identity().refresh(tokens.refresh_token or "")  # spend it elsewhere
    rig.clock.advance(31 * 60)
    errors: list[Exception] = []
    for action in (xero.organisation, lambda: rig.identity().refresh("not-a-refresh-token"),
                   lambda: ClientCredentialsAuth(
                       type(rig.identity())(rig.http, client_id=CLIENT_ID, client_secret="wrong-secret",
                                            identity_url=rig.url), MemoryTokenStore()).access_token()):
        with pytest.raises(XeroAuthError) as caught:
            action()
        errors.append(caught.value)
    text = caplog.text + " ".join(f"{e!s} {e!r}" for e in errors) + repr(rig.identity()) + repr(tokens)
    for secret in (CLIENT_SECRET, tokens.access_token, tokens.refresh_token or "-", "wrong-secret"):
        assert secret not in text
