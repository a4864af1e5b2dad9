"""Getting and renewing Salesforce access tokens (``POST {login}/services/oauth2/token``).

Every flow keeps its access token and ``instance_url`` in a ``TokenStore`` (so a restart or a
second worker reuses them) and renews single-flight: ``renew(stale)`` takes ``store.lock``,
reloads, and only asks Salesforce when the stored token is still the one that failed.

- ``ClientCredentialsAuth``: client id + secret, runs as the app's execution user. Needs the My
  Domain login URL; login/test.salesforce.com are refused with a hint.
- ``JwtBearerAuth``: an RS256 JWT (iss = client id, sub = username, aud = login host, exp ≤ 3 min).
- ``WebServerAuth`` (in ``web_flow``): authorization code + refresh token, for ``paidup connect``.

Salesforce's token response has no ``expires_in``; the session timeout is an org setting
(default 2 hours), so ``session_lifetime`` is our guess and a 401 triggers a renewal anyway.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
import jwt
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from integrations.salesforce.errors import (
    SalesforceAuthError,
    SalesforceConfigError,
    SalesforceUnavailable,
    auth_error_from_response,
    client_credentials_domain_error,
)
from integrations.tokens import MemoryTokenStore, TokenSet, TokenStore

Clock = Callable[[], datetime]
PROVIDER = "salesforce"
_GENERIC_LOGIN_HOSTS = {"login.salesforce.com", "test.salesforce.com"}
JWT_LIFETIME = timedelta(seconds=150)  # Salesforce wants exp at most 3 minutes ahead


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SalesforceSession:
    """What a REST call needs: the bearer token and the org's instance URL."""

    access_token: str = field(repr=False)
    instance_url: str


class SalesforceAuth(Protocol):
    def session(self) -> SalesforceSession:
        """A usable session, from memory, the store, or the token endpoint."""
        ...

    def renew(self, stale: SalesforceSession | None) -> SalesforceSession:
        """A new session, unless another worker already replaced ``stale``."""
        ...


class TokenEndpointAuth:
    """Shared machinery: caching, single-flight renewal, the token request and its errors."""

    def __init__(self, http: httpx.Client, login_url: str, *, store: TokenStore | None = None,
                 provider: str = PROVIDER, clock: Clock = utc_now,
                 session_lifetime: timedelta = timedelta(hours=2)) -> None:
        self._http = http
        self.login_url = login_url.rstrip("/")
        self._store: TokenStore = store if store is not None else MemoryTokenStore()
        self._provider = provider
        self._clock = clock
        self._session_lifetime = session_lifetime
        self._cached: TokenSet | None = None
        self.token_requests = 0

    @property
    def token_url(self) -> str:
        return f"{self.login_url}/services/oauth2/token"

    def session(self) -> SalesforceSession:
        if self._cached is None or not self._usable(self._cached):
            stored = self._store.load(self._provider)
            if stored is None or not self._usable(stored):
                return self.renew(None)
            self._cached = stored
        return session_of(self._cached)

    def renew(self, stale: SalesforceSession | None) -> SalesforceSession:
        with self._store.lock(self._provider):
            current = self._store.load(self._provider)
            if current is not None and self._usable(current) and (
                    stale is None or current.access_token != stale.access_token):
                self._cached = current
                return session_of(current)
            tokens = self._request_tokens(self._grant(current), previous=current)
            self._store.save(self._provider, tokens)
            self._cached = tokens
            return session_of(tokens)

    def _grant(self, current: TokenSet | None) -> dict[str, str]:
        raise NotImplementedError

    def _usable(self, tokens: TokenSet) -> bool:
        return bool(tokens.extra.get("instance_url")) and not tokens.expires_within(60, self._clock())

    def _request_tokens(self, form: dict[str, str], previous: TokenSet | None = None) -> TokenSet:
        self.token_requests += 1
        try:
            response = self._http.post(self.token_url, data=form, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise SalesforceUnavailable(f"token endpoint {self.token_url} unreachable ({type(exc).__name__})") from None
        if response.status_code != 200:
            raise auth_error_from_response(response)
        return self._tokens_from(response, previous)

    def _tokens_from(self, response: httpx.Response, previous: TokenSet | None) -> TokenSet:
        try:
            body: dict[str, Any] = json.loads(response.content)
            access_token, instance_url = str(body["access_token"]), str(body["instance_url"]).rstrip("/")
        except (ValueError, KeyError, TypeError):
            raise SalesforceAuthError("invalid_response", "token response without access_token/instance_url",
                                      status_code=response.status_code) from None
        if urlsplit(instance_url).scheme not in ("https", "http"):
            raise SalesforceAuthError("invalid_response", "instance_url is not an http(s) URL")
        issued = self._clock()
        if str(body.get("issued_at", "")).isdigit():
            issued = datetime.fromtimestamp(int(body["issued_at"]) / 1000, UTC)
        lifetime = timedelta(seconds=int(body["expires_in"])) if "expires_in" in body else self._session_lifetime
        refresh = body.get("refresh_token") or (previous.refresh_token if previous else None)
        extra = {"instance_url": instance_url, "id": body.get("id"), "token_type": body.get("token_type", "Bearer")}
        return TokenSet(access_token=access_token, refresh_token=refresh, expires_at=issued + lifetime,
                        scope=str(body.get("scope", "")), extra=extra)


def session_of(tokens: TokenSet) -> SalesforceSession:
    return SalesforceSession(tokens.access_token, str(tokens.extra["instance_url"]))


class ClientCredentialsAuth(TokenEndpointAuth):
    """OAuth client credentials flow; ``login_url`` must be the org's My Domain URL."""

    def __init__(self, http: httpx.Client, login_url: str, client_id: str, client_secret: str,
                 **kwargs: Any) -> None:
        if urlsplit(login_url).hostname in _GENERIC_LOGIN_HOSTS:
            raise client_credentials_domain_error(login_url)
        super().__init__(http, login_url, **kwargs)
        self._client_id = client_id
        self._client_secret = client_secret

    def __repr__(self) -> str:
        return f"ClientCredentialsAuth(login_url={self.login_url!r}, client_id={self._client_id!r})"

    def _grant(self, current: TokenSet | None) -> dict[str, str]:
        return {"grant_type": "client_credentials", "client_id": self._client_id,
                "client_secret": self._client_secret}


def default_audience(login_url: str) -> str:
    """The JWT ``aud``: login.salesforce.com for production hosts (My Domain included),
    test.salesforce.com for sandboxes, else the login URL itself (Experience Cloud, the sandbox)."""
    host = urlsplit(login_url).hostname or ""
    if host == "test.salesforce.com" or host.endswith(".sandbox.my.salesforce.com"):
        return "https://test.salesforce.com"
    if host.endswith("salesforce.com"):
        return "https://login.salesforce.com"
    return login_url.rstrip("/")


class JwtBearerAuth(TokenEndpointAuth):
    """OAuth JWT bearer flow: a fresh RS256 assertion for every token request."""

    def __init__(self, http: httpx.Client, login_url: str, client_id: str, username: str,
                 private_key: str | bytes, *, audience: str | None = None, **kwargs: Any) -> None:
        super().__init__(http, login_url, **kwargs)
        self._client_id = client_id
        self._username = username
        self._key = _load_private_key(private_key)
        self.audience = audience or default_audience(login_url)

    @classmethod
    def from_key_file(cls, http: httpx.Client, login_url: str, client_id: str, username: str,
                      key_file: Path, **kwargs: Any) -> JwtBearerAuth:
        try:
            key = Path(key_file).read_bytes()
        except OSError as exc:
            raise SalesforceConfigError(f"cannot read SALESFORCE_PRIVATE_KEY_FILE {key_file} ({exc.strerror})",
                                        "point it at the PEM private key of the connected app's certificate") from None
        return cls(http, login_url, client_id, username, key, **kwargs)

    def __repr__(self) -> str:
        return (f"JwtBearerAuth(login_url={self.login_url!r}, client_id={self._client_id!r}, "
                f"username={self._username!r})")

    def assertion(self) -> str:
        now = self._clock()
        claims = {"iss": self._client_id, "sub": self._username, "aud": self.audience,
                  "exp": int((now + JWT_LIFETIME).timestamp())}
        return jwt.encode(claims, self._key, algorithm="RS256")

    def _grant(self, current: TokenSet | None) -> dict[str, str]:
        return {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": self.assertion()}


def _load_private_key(data: str | bytes) -> RSAPrivateKey:
    raw = data.encode() if isinstance(data, str) else data
    try:
        key = load_pem_private_key(raw, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        key = None
    if not isinstance(key, RSAPrivateKey):
        raise SalesforceConfigError("the Salesforce private key is not an unencrypted PEM RSA private key",
                                    "use the key whose certificate is uploaded to the connected app")
    return key
