"""Access tokens for API calls: stored authorization-code tokens (refreshed with rotation) or a
custom connection's client-credentials token.

Refreshing is single-flight across threads and processes: under ``store.lock(provider)`` the
auth reloads the stored tokens and refreshes only if they are still the stale ones it saw;
otherwise another worker already refreshed and its tokens are used. A rotated refresh token
is therefore spent exactly once.
"""

from __future__ import annotations

from typing import Protocol

from integrations.tokens import TokenSet, TokenStore
from integrations.xero.clock import Clock, SystemClock
from integrations.xero.errors import XeroNotConnected
from integrations.xero.identity import PROVIDER, IdentityClient

REFRESH_MARGIN_SECONDS = 60.0  # refresh a minute before expiry, as xero-python does


class XeroAuth(Protocol):
    """What ``XeroClient`` needs from an auth: a token, a way to replace a rejected one, tenancy."""

    sends_tenant_header: bool

    def access_token(self) -> str: ...

    def token_rejected(self, rejected: str) -> None:
        """The API answered 401 to ``rejected``: get a new token unless another worker already did."""
        ...

    def stored_tenant_id(self) -> str | None: ...


class _SingleFlightAuth:
    def __init__(self, identity: IdentityClient, store: TokenStore, *, provider: str = PROVIDER,
                 clock: Clock | None = None, refresh_margin: float = REFRESH_MARGIN_SECONDS) -> None:
        self._identity = identity
        self._store = store
        self._provider = provider
        self._clock = clock or SystemClock()
        self._margin = refresh_margin

    def access_token(self) -> str:
        tokens = self._store.load(self._provider)
        if tokens is None or tokens.expires_within(self._margin, self._clock.now()):
            tokens = self._renew(tokens.access_token if tokens else None)
        return tokens.access_token

    def token_rejected(self, rejected: str) -> None:
        self._renew(rejected)

    def stored_tenant_id(self) -> str | None:
        tokens = self._store.load(self._provider)
        value = tokens.extra.get("tenant_id") if tokens else None
        return str(value) if value else None

    def _renew(self, stale_access_token: str | None) -> TokenSet:
        with self._store.lock(self._provider):
            current = self._store.load(self._provider)
            if (current is not None and current.access_token != stale_access_token
                    and not current.expires_within(self._margin, self._clock.now())):
                return current  # another worker refreshed while we waited for the lock
            fresh = self._fetch(current)
            self._store.save(self._provider, fresh)
            return fresh

    def _fetch(self, current: TokenSet | None) -> TokenSet:
        raise NotImplementedError


class RefreshingTokenAuth(_SingleFlightAuth):
    """Tokens stored by ``paidup connect xero`` (authorization code + PKCE), refreshed with rotation."""

    sends_tenant_header = True

    def _fetch(self, current: TokenSet | None) -> TokenSet:
        if current is None or not current.refresh_token:
            raise XeroNotConnected("Xero is not connected (no refresh token stored); run `paidup connect xero`")
        return self._identity.refresh(current.refresh_token, extra=current.extra)


class ClientCredentialsAuth(_SingleFlightAuth):
    """A Xero custom connection: ``client_credentials`` tokens for one organisation, no tenant header.

    ``scopes`` empty asks for every scope the connection was granted (e.g. ``SCOPES[1:]`` to narrow it).
    """

    sends_tenant_header = False

    def __init__(self, identity: IdentityClient, store: TokenStore, *, scopes: tuple[str, ...] = (),
                 provider: str = PROVIDER, clock: Clock | None = None,
                 refresh_margin: float = REFRESH_MARGIN_SECONDS) -> None:
        super().__init__(identity, store, provider=provider, clock=clock, refresh_margin=refresh_margin)
        self._scopes = scopes

    def _fetch(self, current: TokenSet | None) -> TokenSet:
        fresh = self._identity.client_credentials(self._scopes)
        return fresh.model_copy(update={"extra": dict(current.extra) if current else {}})
