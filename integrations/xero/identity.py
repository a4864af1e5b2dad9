"""Xero's token endpoint (``POST {identity}/connect/token``): code exchange, refresh, client credentials.

The client authenticates with HTTP Basic (``client_id:client_secret``) when it has a secret,
else sends ``client_id`` in the form (a PKCE-only app). Every answer becomes a ``TokenSet``;
refusals become typed errors (``invalid_grant`` → ``XeroAuthRevoked``). Nothing here logs or
raises with a token or the secret in its text.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import httpx

from integrations.tokens import TokenSet
from integrations.xero.clock import Clock, SystemClock
from integrations.xero.errors import XeroAuthError, XeroUnavailable, auth_error_from_response

log = logging.getLogger(__name__)

PROVIDER = "xero"
API_URL = "https://api.xero.com"
IDENTITY_URL = "https://identity.xero.com"
LOGIN_URL = "https://login.xero.com/identity/connect/authorize"
# Granular scopes, required for apps created from 2 March 2026 (FACTS.md §9).
SCOPES: tuple[str, ...] = (
    "offline_access", "accounting.invoices", "accounting.payments.read", "accounting.contacts",
    "accounting.settings.read",
)
# Broad scopes for apps created before March 2026 that have not migrated yet.
LEGACY_SCOPES: tuple[str, ...] = (
    "offline_access", "accounting.transactions", "accounting.contacts", "accounting.settings.read",
)


class IdentityClient:
    def __init__(self, http: httpx.Client, *, client_id: str, client_secret: str | None = None,
                 identity_url: str = IDENTITY_URL, clock: Clock | None = None) -> None:
        self._http = http
        self._client_id = client_id
        self._client_secret = client_secret
        self._token_url = identity_url.rstrip("/") + "/connect/token"
        self._clock = clock or SystemClock()
        self.calls_made = 0

    def __repr__(self) -> str:
        return f"IdentityClient(client_id={self._client_id!r}, token_url={self._token_url!r})"

    def exchange_code(self, code: str, *, redirect_uri: str, code_verifier: str | None) -> TokenSet:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if code_verifier:
            form["code_verifier"] = code_verifier
        return self._request_tokens(form)

    def refresh(self, refresh_token: str, *, extra: Mapping[str, Any] | None = None) -> TokenSet:
        """A new token set; Xero rotates the refresh token, so the old one must never be used again."""
        tokens = self._request_tokens({"grant_type": "refresh_token", "refresh_token": refresh_token})
        return tokens.model_copy(update={"extra": {**(extra or {}), **tokens.extra}})

    def client_credentials(self, scopes: Sequence[str] = ()) -> TokenSet:
        form = {"grant_type": "client_credentials"}
        if scopes:
            form["scope"] = " ".join(scopes)
        return self._request_tokens(form)

    def _request_tokens(self, form: dict[str, str]) -> TokenSet:
        auth: tuple[str, str] | None = None
        if self._client_secret:
            auth = (self._client_id, self._client_secret)
        else:
            form = {**form, "client_id": self._client_id}
        self.calls_made += 1
        try:
            response = self._http.post(self._token_url, data=form, auth=auth, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            log.warning("Xero token endpoint unreachable (%s)", type(exc).__name__)
            raise XeroUnavailable(f"could not reach Xero's token endpoint ({type(exc).__name__})") from None
        if response.status_code != 200:
            error = auth_error_from_response(response)
            log.warning("Xero token endpoint refused %s: %s", form["grant_type"], error.message)
            raise error
        return self._token_set(response)

    def _token_set(self, response: httpx.Response) -> TokenSet:
        try:
            body = response.json()
            expires_in = float(body.get("expires_in", 1800))
            access_token = str(body["access_token"])
        except (ValueError, KeyError, TypeError, AttributeError):
            raise XeroAuthError("Xero's token endpoint answered without an access token",
                                status_code=response.status_code) from None
        return TokenSet(access_token=access_token, refresh_token=body.get("refresh_token"),
                        expires_at=self._clock.now() + timedelta(seconds=expires_in),
                        scope=str(body.get("scope", "")))
