"""Each auth flow against the sandbox's OAuth server, single-flight renewal, and secret hygiene."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest

from integrations.salesforce import (
    ClientCredentialsAuth,
    JwtBearerAuth,
    Pkce,
    SalesforceClient,
    WebServerAuth,
)
from integrations.salesforce.auth import default_audience
from integrations.salesforce.errors import SalesforceAuthError, SalesforceConfigError
from integrations.salesforce.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from integrations.tokens import MemoryTokenStore

from .conftest import Org, RsaKeys

USERNAME = "rita.rep@paidup.example"
REDIRECT = "http://127.0.0.1:8765/salesforce/callback"


def _cc(org: Org, http: httpx.Client, store: MemoryTokenStore | None = None,
        secret: str = DEFAULT_CLIENT_SECRET) -> ClientCredentialsAuth:
    return ClientCredentialsAuth(http, org.url, DEFAULT_CLIENT_ID, secret, store=store or MemoryTokenStore(),
                                 clock=org.clock)


def _jwt(org: Org, http: httpx.Client, key: bytes, username: str = USERNAME, **kw: object) -> JwtBearerAuth:
    return JwtBearerAuth(http, org.url, DEFAULT_CLIENT_ID, username, key, clock=org.clock, **kw)  # type: ignore[arg-type]


def _web(org: Org, http: httpx.Client, store: MemoryTokenStore) -> WebServerAuth:
    return WebServerAuth(http, org.url, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, REDIRECT, store=store,
                         clock=org.clock)


# --- client credentials ---------------------------------------------------------------------------


def test_client_credentials_token_is_cached_in_the_store(org: Org, http: httpx.Client) -> None:
    store = MemoryTokenStore()
    assert SalesforceClient(http, _cc(org, http, store)).org_currency() == "USD"
    assert SalesforceClient(http, _cc(org, http, store)).org_currency() == "USD"  # a second worker
    assert org.state.oauth.token_requests == {"client_credentials": 1}
    tokens = store.load("salesforce")
    assert tokens is not None and tokens.extra["instance_url"] == org.url and tokens.refresh_token is None


def test_a_session_past_its_lifetime_is_renewed_before_use(org: Org, http: httpx.Client) -> None:
    client = SalesforceClient(http, _cc(org, http))
    client.describe("Account")
    org.clock.tick(timedelta(hours=2).total_seconds())
    client.describe("Opportunity")
    assert org.state.oauth.token_requests == {"client_credentials": 2}


def test_wrong_secret_is_an_auth_error_without_the_secret(org: Org, http: httpx.Client,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "not-the-secret-0123456789"
    with pytest.raises(SalesforceAuthError) as raised:
        SalesforceClient(http, _cc(org, http, secret=secret)).describe("Account")
    assert raised.value.error == "invalid_client"
    assert raised.value.error_description == "invalid client credentials"
    for text in (str(raised.value), repr(raised.value), caplog.text, repr(_cc(org, http, secret=secret))):
        assert secret not in text


@pytest.mark.parametrize("host", ["https://login.salesforce.com", "https://test.salesforce.com/"])
def test_client_credentials_needs_my_domain(http: httpx.Client, host: str) -> None:
    with pytest.raises(SalesforceConfigError) as raised:
        ClientCredentialsAuth(http, host, "id", "secret-value")
    assert "my.salesforce.com" in raised.value.hint and "SALESFORCE_LOGIN_URL" in str(raised.value)
    assert "secret-value" not in str(raised.value)


# --- JWT bearer -----------------------------------------------------------------------------------


def test_jwt_bearer_flow(org: Org, http: httpx.Client, rsa_keys: RsaKeys) -> None:
    auth = _jwt(org, http, rsa_keys.private_pem)
    claims = jwt.decode(auth.assertion(), rsa_keys.public_pem, algorithms=["RS256"], audience=org.url,
                        options={"verify_exp": False})
    assert claims["iss"] == DEFAULT_CLIENT_ID and claims["sub"] == USERNAME
    assert 0 < claims["exp"] - org.clock().timestamp() <= 180
    assert SalesforceClient(http, auth).users_by_email(USERNAME)[0].username == USERNAME
    assert org.state.oauth.token_requests == {"urn:ietf:params:oauth:grant-type:jwt-bearer": 1}


def test_jwt_signed_with_another_key_is_refused(org: Org, http: httpx.Client, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
    key_file = tmp_path / "other.pem"
    key_file.write_bytes(other)
    auth = JwtBearerAuth.from_key_file(http, org.url, DEFAULT_CLIENT_ID, USERNAME, key_file, clock=org.clock)
    with pytest.raises(SalesforceAuthError) as raised:
        SalesforceClient(http, auth).describe("Account")
    assert (raised.value.error, raised.value.error_description) == ("invalid_grant", "invalid assertion")
    assert "PRIVATE KEY" not in str(raised.value) and "eyJ" not in str(raised.value)


@pytest.mark.parametrize(("username", "audience", "expected"), [
    ("olga.old@paidup.example", None, "inactive user"),
    ("nobody@paidup.example", None, "user hasn't approved this consumer"),
    (USERNAME, "https://evil.example", "audience is invalid"),
])
def test_jwt_claims_are_checked(org: Org, http: httpx.Client, rsa_keys: RsaKeys, username: str,
                                audience: str | None, expected: str) -> None:
    auth = _jwt(org, http, rsa_keys.private_pem, username=username, audience=audience)
    with pytest.raises(SalesforceAuthError) as raised:
        SalesforceClient(http, auth).describe("Account")
    assert raised.value.error_description == expected


def test_jwt_audience_defaults() -> None:
    assert default_audience("https://acme.my.salesforce.com") == "https://login.salesforce.com"
    assert default_audience("https://acme--uat.sandbox.my.salesforce.com") == "https://test.salesforce.com"
    assert default_audience("https://test.salesforce.com") == "https://test.salesforce.com"
    assert default_audience("http://127.0.0.1:9000/") == "http://127.0.0.1:9000"


def test_a_bad_private_key_is_a_config_error(http: httpx.Client, tmp_path: Path) -> None:
    with pytest.raises(SalesforceConfigError) as raised:
        JwtBearerAuth(http, "https://login.salesforce.com", "id", USERNAME, "-----BEGIN PRIVATE KEY-----\nc2VjcmV0")
    assert "c2VjcmV0" not in str(raised.value)
    with pytest.raises(SalesforceConfigError, match="cannot read"):
        JwtBearerAuth.from_key_file(http, "https://login.salesforce.com", "id", USERNAME, tmp_path / "missing.pem")


# --- web server flow ------------------------------------------------------------------------------


def _connect(org: Org, http: httpx.Client, auth: WebServerAuth, pkce: Pkce | None) -> None:
    """What `paidup connect salesforce` does, with the sandbox auto-approving in place of a browser."""
    url = auth.authorization_url("state-123", pkce)
    query = parse_qs(urlsplit(url).query)
    assert query["scope"] == ["api refresh_token"] and query["redirect_uri"] == [REDIRECT]
    redirect = http.get(url, follow_redirects=False)
    assert redirect.status_code == 302
    location = urlsplit(redirect.headers["location"])
    callback = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    assert callback["state"] == ["state-123"]
    auth.exchange_code(callback["code"][0], pkce)


def test_web_server_flow_with_pkce_and_refresh(org: Org, http: httpx.Client) -> None:
    store = MemoryTokenStore()
    auth = _web(org, http, store)
    _connect(org, http, auth, Pkce.generate())
    client = SalesforceClient(http, auth)
    assert client.org_currency() == "USD"
    org.state.expire_sessions()
    assert client.describe("Account").has_field("Name")
    assert org.state.oauth.token_requests == {"authorization_code": 1, "refresh_token": 1}
    assert store.load("salesforce").refresh_token  # type: ignore[union-attr]


def test_rotating_refresh_tokens_are_stored(make_org: Callable[..., Org], http: httpx.Client) -> None:
    org = make_org(rotate_refresh_tokens=True)
    store = MemoryTokenStore()
    auth = _web(org, http, store)
    _connect(org, http, auth, None)
    first = store.load("salesforce").refresh_token  # type: ignore[union-attr]
    auth.renew(auth.session())
    second = store.load("salesforce").refresh_token  # type: ignore[union-attr]
    assert second and second != first
    spent = http.post(f"{org.url}/services/oauth2/token", data={
        "grant_type": "refresh_token", "refresh_token": first, "client_id": DEFAULT_CLIENT_ID,
        "client_secret": DEFAULT_CLIENT_SECRET})
    assert spent.status_code == 400 and spent.json()["error"] == "invalid_grant"
    auth.renew(auth.session())  # the stored, rotated token still works


def test_a_wrong_pkce_verifier_is_refused(org: Org, http: httpx.Client) -> None:
    auth = _web(org, http, MemoryTokenStore())
    url = auth.authorization_url("s", Pkce.generate())
    code = parse_qs(urlsplit(http.get(url, follow_redirects=False).headers["location"]).query)["code"][0]
    with pytest.raises(SalesforceAuthError, match="invalid code verifier"):
        auth.exchange_code(code, Pkce.generate())


def test_not_connected_and_revoked_say_what_to_run(org: Org, http: httpx.Client) -> None:
    store = MemoryTokenStore()
    auth = _web(org, http, store)
    with pytest.raises(SalesforceAuthError) as raised:
        auth.session()
    assert raised.value.error == "not_connected" and "paidup connect salesforce" in raised.value.hint
    _connect(org, http, auth, None)
    org.state.revoke_refresh_tokens()
    org.state.expire_sessions()
    with pytest.raises(SalesforceAuthError) as raised:
        SalesforceClient(http, auth).describe("Account")
    assert raised.value.error == "invalid_grant" and "paidup connect salesforce" in str(raised.value)


def test_authorize_errors_do_not_redirect(org: Org, http: httpx.Client) -> None:
    auth = WebServerAuth(http, org.url, "someone-else", None, REDIRECT)
    assert http.get(auth.authorization_url("s"), follow_redirects=False).status_code == 400
    auth = WebServerAuth(http, org.url, DEFAULT_CLIENT_ID, None, "https://evil.example/callback")
    response = http.get(auth.authorization_url("s"), follow_redirects=False)
    assert response.status_code == 400 and "redirect_uri_mismatch" in response.text


# --- single flight --------------------------------------------------------------------------------


def test_concurrent_renewals_make_one_token_request(org: Org, http: httpx.Client) -> None:
    store = MemoryTokenStore()
    SalesforceClient(http, _cc(org, http, store)).describe("Account")
    org.state.expire_sessions()
    barrier, errors = threading.Barrier(6), []

    def worker() -> None:
        with httpx.Client(timeout=5) as own_http:
            client = SalesforceClient(own_http, _cc(org, own_http, store))
            barrier.wait()
            try:
                client.describe("Opportunity")
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert org.state.oauth.token_requests == {"client_credentials": 2}


def test_no_secret_reaches_the_logs(org: Org, http: httpx.Client, rsa_keys: RsaKeys,
                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store = MemoryTokenStore()
    client = SalesforceClient(http, _jwt(org, http, rsa_keys.private_pem, store=store))
    client.describe("Account")
    org.state.expire_sessions()
    client.org_currency()
    token = store.load("salesforce").access_token  # type: ignore[union-attr]
    for secret in (token, DEFAULT_CLIENT_SECRET, "eyJ", "PRIVATE KEY"):
        assert secret not in caplog.text
