"""The sandbox's OAuth 2.0 server: ``/services/oauth2/token`` and ``/services/oauth2/authorize``.

Grants: client_credentials (runs as the configured execution user, no refresh token),
JWT bearer (RS256 signature checked against the configured public key or certificate; iss =
client id, sub = an active username, aud = login/test.salesforce.com or this server, exp in the
future and at most 3 minutes ahead; no refresh token), authorization_code (with optional PKCE
S256, one-time codes valid 15 minutes) and refresh_token (optionally rotating). Errors use the
OAuth shape ``{"error", "error_description"}`` with HTTP 400, as Salesforce's do.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import jwt
from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from integrations.demo_data import sf_id

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
CODE_LIFETIME = timedelta(minutes=15)
JWT_MAX_AHEAD = timedelta(minutes=3, seconds=5)


class OAuthError(Exception):
    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


@dataclass(frozen=True)
class OAuthConfig:
    client_id: str
    client_secret: str = field(repr=False)
    jwt_public_key: str | bytes | None = field(default=None, repr=False)  # PEM public key or X.509 certificate
    run_as: str = "rita.rep@paidup.example"  # client credentials execution user; approver of the web flow
    redirect_uris: tuple[str, ...] = ()  # empty: any http://127.0.0.1 or http://localhost callback
    rotate_refresh_tokens: bool = False
    auto_approve: bool = True
    org_id: str = sf_id("00D", 1)
    jwt_audiences: tuple[str, ...] = ("https://login.salesforce.com", "https://test.salesforce.com")
    instance_url: str | None = None  # default: the URL the token request came in on


@dataclass(frozen=True)
class Session:
    user_id: str
    issued_at: datetime


@dataclass(frozen=True)
class CodeGrant:
    user_id: str
    redirect_uri: str
    challenge: str | None
    expires_at: datetime


class OAuthServer:
    def __init__(self, config: OAuthConfig, find_user: Callable[[str], dict[str, Any] | None],
                 now: Callable[[], datetime]) -> None:
        self.config = config
        self._find_user = find_user
        self._now = now
        self._public_key = _load_public_key(config.jwt_public_key) if config.jwt_public_key else None
        self._sessions: dict[str, Session] = {}
        self._refresh_tokens: dict[str, str] = {}
        self._codes: dict[str, CodeGrant] = {}
        self.token_requests: Counter[str] = Counter()

    def session(self, access_token: str) -> Session | None:
        return self._sessions.get(access_token)

    def expire_sessions(self) -> None:
        self._sessions.clear()

    def revoke_refresh_tokens(self) -> None:
        self._refresh_tokens.clear()

    # --- token endpoint -------------------------------------------------------------------------

    def token(self, form: Mapping[str, str], basic: tuple[str, str] | None, base_url: str) -> dict[str, Any]:
        grant = form.get("grant_type", "")
        self.token_requests[grant] += 1
        if grant == "client_credentials":
            self._check_client(form, basic, require_secret=True)
            return self._issue(self._user_id(self.config.run_as), base_url, "api")
        if grant == JWT_GRANT:
            return self._issue(self._jwt_user(form.get("assertion", ""), base_url), base_url, "api")
        if grant == "authorization_code":
            return self._exchange_code(form, basic, base_url)
        if grant == "refresh_token":
            return self._refresh(form, basic, base_url)
        raise OAuthError("unsupported_grant_type", "grant type not supported")

    def _check_client(self, form: Mapping[str, str], basic: tuple[str, str] | None, require_secret: bool) -> None:
        client_id, secret = basic if basic else (form.get("client_id", ""), form.get("client_secret"))
        if not hmac.compare_digest(client_id.encode(), self.config.client_id.encode()):
            raise OAuthError("invalid_client_id", "client identifier invalid")
        if secret is None and not require_secret:
            return
        if secret is None or not hmac.compare_digest(secret.encode(), self.config.client_secret.encode()):
            raise OAuthError("invalid_client", "invalid client credentials")

    def _user_id(self, username: str) -> str:
        user = self._find_user(username)
        if user is None:
            raise OAuthError("invalid_grant", "user hasn't approved this consumer")
        if not user.get("IsActive", True):
            raise OAuthError("invalid_grant", "inactive user")
        return str(user["Id"])

    def _jwt_user(self, assertion: str, base_url: str) -> str:
        if self._public_key is None:
            raise OAuthError("invalid_grant", "invalid assertion")  # no certificate uploaded to the app
        try:
            claims = jwt.decode(assertion, self._public_key, algorithms=["RS256"], options={
                "verify_exp": False, "verify_aud": False, "verify_iss": False, "verify_iat": False,
                "verify_nbf": False, "require": ["iss", "sub", "aud", "exp"]})
        except jwt.PyJWTError:
            raise OAuthError("invalid_grant", "invalid assertion") from None
        if claims["iss"] != self.config.client_id:
            raise OAuthError("invalid_client_id", "client identifier invalid")
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if not set(audiences) & {*self.config.jwt_audiences, base_url.rstrip("/")}:
            raise OAuthError("invalid_grant", "audience is invalid")
        now = self._now().timestamp()
        if not isinstance(claims["exp"], int | float) or claims["exp"] <= now:
            raise OAuthError("invalid_grant", "invalid assertion: expired")
        if claims["exp"] > now + JWT_MAX_AHEAD.total_seconds():
            raise OAuthError("invalid_grant", "invalid assertion: exp must be within 3 minutes")
        return self._user_id(str(claims["sub"]))

    def _exchange_code(self, form: Mapping[str, str], basic: tuple[str, str] | None, base_url: str) -> dict[str, Any]:
        grant = self._codes.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier")
        self._check_client(form, basic, require_secret=not (grant and grant.challenge and verifier))
        if grant is None or grant.expires_at < self._now():
            raise OAuthError("invalid_grant", "invalid authorization code")
        if form.get("redirect_uri") != grant.redirect_uri:
            raise OAuthError("redirect_uri_mismatch", "redirect_uri must match configuration")
        if grant.challenge is not None and (verifier is None or _s256(verifier) != grant.challenge):
            raise OAuthError("invalid_grant", "invalid code verifier")
        refresh = secrets.token_urlsafe(32)
        self._refresh_tokens[refresh] = grant.user_id
        return self._issue(grant.user_id, base_url, "api refresh_token", refresh_token=refresh)

    def _refresh(self, form: Mapping[str, str], basic: tuple[str, str] | None, base_url: str) -> dict[str, Any]:
        self._check_client(form, basic, require_secret=False)
        old = form.get("refresh_token", "")
        user_id = self._refresh_tokens.get(old)
        if user_id is None:
            raise OAuthError("invalid_grant", "expired access/refresh token")
        if not self.config.rotate_refresh_tokens:
            return self._issue(user_id, base_url, "api refresh_token")
        del self._refresh_tokens[old]
        new = secrets.token_urlsafe(32)
        self._refresh_tokens[new] = user_id
        return self._issue(user_id, base_url, "api refresh_token", refresh_token=new)

    def _issue(self, user_id: str, base_url: str, scope: str, refresh_token: str | None = None) -> dict[str, Any]:
        now = self._now()
        access_token = f"{self.config.org_id}!{secrets.token_urlsafe(48)}"
        self._sessions[access_token] = Session(user_id, now)
        base = base_url.rstrip("/")
        identity, issued_at = f"{base}/id/{self.config.org_id}/{user_id}", str(int(now.timestamp() * 1000))
        digest = hmac.new(self.config.client_secret.encode(), (identity + issued_at).encode(), hashlib.sha256)
        body = {"access_token": access_token, "instance_url": self.config.instance_url or base, "id": identity,
                "token_type": "Bearer", "issued_at": issued_at, "scope": scope,
                "signature": base64.b64encode(digest.digest()).decode()}
        if refresh_token:
            body["refresh_token"] = refresh_token
        return body

    # --- authorize endpoint -----------------------------------------------------------------------

    def authorize(self, params: Mapping[str, str]) -> str:
        """The Location to redirect the browser to (auto-approving), or OAuthError for an error page."""
        if params.get("client_id") != self.config.client_id:
            raise OAuthError("invalid_client_id", "client identifier invalid")
        redirect_uri = params.get("redirect_uri", "")
        if not self._redirect_allowed(redirect_uri):
            raise OAuthError("redirect_uri_mismatch", "redirect_uri must match configuration")
        if params.get("response_type") != "code":
            raise OAuthError("unsupported_response_type", "response type not supported")
        if params.get("code_challenge_method", "S256") != "S256":
            raise OAuthError("invalid_request", "code_challenge_method must be S256")
        state = {"state": params["state"]} if "state" in params else {}
        if not self.config.auto_approve:
            return _with_query(redirect_uri, {"error": "access_denied",
                                              "error_description": "end-user denied authorization", **state})
        code = secrets.token_urlsafe(24)
        self._codes[code] = CodeGrant(self._user_id(self.config.run_as), redirect_uri,
                                      params.get("code_challenge"), self._now() + CODE_LIFETIME)
        return _with_query(redirect_uri, {"code": code, **state})

    def _redirect_allowed(self, uri: str) -> bool:
        if self.config.redirect_uris:
            return uri in self.config.redirect_uris
        parts = urlsplit(uri)
        return parts.scheme in ("http", "https") and parts.hostname in ("127.0.0.1", "localhost")


def _with_query(uri: str, params: dict[str, str]) -> str:
    return uri + ("&" if "?" in uri else "?") + urlencode(params)


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _load_public_key(pem: str | bytes) -> Any:
    data = pem.encode() if isinstance(pem, str) else pem
    if b"BEGIN CERTIFICATE" in data:
        return x509.load_pem_x509_certificate(data).public_key()
    return load_pem_public_key(data)
