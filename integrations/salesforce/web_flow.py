"""The OAuth web server (authorization code) flow, for ``paidup connect salesforce``.

1. ``authorization_url(state, pkce)``: send the admin's browser there;
2. Salesforce redirects to ``redirect_uri?code=…&state=…``; check ``state``;
3. ``exchange_code(code, pkce)`` stores access + refresh token in the ``TokenStore``;
4. later, ``renew`` spends the refresh token (single-flight; with rotation enabled Salesforce
   returns a new refresh token and invalidates the old one, which we then store).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

from integrations.salesforce.auth import SalesforceSession, TokenEndpointAuth, session_of
from integrations.salesforce.errors import SalesforceAuthError
from integrations.tokens import TokenSet

DEFAULT_SCOPES = ("api", "refresh_token")


@dataclass(frozen=True)
class Pkce:
    """A PKCE verifier and its S256 challenge (RFC 7636)."""

    verifier: str = field(repr=False)
    challenge: str
    method: str = "S256"

    @classmethod
    def generate(cls) -> Pkce:
        verifier = secrets.token_urlsafe(64)[:96]
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        return cls(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii"))


class WebServerAuth(TokenEndpointAuth):
    """Authorization code grant with refresh tokens; the refresh token lives in the TokenStore."""

    def __init__(self, http: httpx.Client, login_url: str, client_id: str, client_secret: str | None,
                 redirect_uri: str, *, scopes: Sequence[str] = DEFAULT_SCOPES, **kwargs: Any) -> None:
        super().__init__(http, login_url, **kwargs)
        self._client_id = client_id
        self._client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.scopes = tuple(scopes)

    def __repr__(self) -> str:
        return f"WebServerAuth(login_url={self.login_url!r}, client_id={self._client_id!r})"

    def authorization_url(self, state: str, pkce: Pkce | None = None, *, prompt: str | None = None) -> str:
        params = {"response_type": "code", "client_id": self._client_id, "redirect_uri": self.redirect_uri,
                  "scope": " ".join(self.scopes), "state": state}
        if pkce is not None:
            params |= {"code_challenge": pkce.challenge, "code_challenge_method": pkce.method}
        if prompt:
            params["prompt"] = prompt
        return f"{self.login_url}/services/oauth2/authorize?{urlencode(params)}"

    def exchange_code(self, code: str, pkce: Pkce | None = None) -> SalesforceSession:
        """Trade the callback's ``code`` for tokens and store them."""
        form = {"grant_type": "authorization_code", "code": code, "client_id": self._client_id,
                "redirect_uri": self.redirect_uri}
        if self._client_secret:
            form["client_secret"] = self._client_secret
        if pkce is not None:
            form["code_verifier"] = pkce.verifier
        with self._store.lock(self._provider):
            tokens = self._request_tokens(form)
            if not tokens.refresh_token:
                raise SalesforceAuthError("no_refresh_token", "Salesforce returned no refresh token",
                                          hint="add the refresh_token scope to the connected app's OAuth scopes")
            self._store.save(self._provider, tokens)
            self._cached = tokens
        return session_of(tokens)

    def renew(self, stale: SalesforceSession | None) -> SalesforceSession:
        try:
            return super().renew(stale)
        except SalesforceAuthError as exc:
            if exc.error != "invalid_grant" or exc.hint:
                raise
            raise SalesforceAuthError(exc.error, exc.error_description, status_code=exc.status_code,
                                      hint="the refresh token was revoked or has expired: run `paidup connect "
                                           "salesforce` again") from None

    def _grant(self, current: TokenSet | None) -> dict[str, str]:
        if current is None or not current.refresh_token:
            raise SalesforceAuthError("not_connected", "no Salesforce refresh token is stored",
                                      hint="run `paidup connect salesforce`")
        form = {"grant_type": "refresh_token", "refresh_token": current.refresh_token, "client_id": self._client_id}
        if self._client_secret:
            form["client_secret"] = self._client_secret
        return form
