"""The authorization-code flow with PKCE behind ``paidup connect xero``.

``AuthorizationCodeFlow.start()`` builds the login URL (``response_type=code``, space-separated
scopes, a random ``state``, an S256 ``code_challenge``); ``finish()`` checks the callback's
``state``, exchanges the code with the verifier and saves the tokens in the ``TokenStore``.
``authorize_on_loopback`` runs the whole thing with a local callback on 127.0.0.1 (redirect URI
``http://localhost:<port>/callback``, which Xero allows over plain http).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from integrations.loopback import LoopbackServer
from integrations.tokens import TokenSet, TokenStore
from integrations.xero.callback import OAuthCallbackReceiver
from integrations.xero.errors import XeroAuthError
from integrations.xero.identity import LOGIN_URL, PROVIDER, SCOPES, IdentityClient


@dataclass(frozen=True)
class Pkce:
    verifier: str = field(repr=False)
    challenge: str

    @classmethod
    def generate(cls) -> Pkce:
        """A 64-character verifier of unreserved characters and its S256 challenge (RFC 7636)."""
        verifier = secrets.token_urlsafe(48)  # 64 chars of A-Z a-z 0-9 - _
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        return cls(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii"))


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    redirect_uri: str
    pkce: Pkce


class AuthorizationCodeFlow:
    def __init__(self, identity: IdentityClient, store: TokenStore, *, client_id: str, redirect_uri: str,
                 scopes: tuple[str, ...] = SCOPES, login_url: str = LOGIN_URL, provider: str = PROVIDER) -> None:
        self._identity = identity
        self._store = store
        self._client_id = client_id
        self.redirect_uri = redirect_uri
        self._scopes = scopes
        self._login_url = login_url
        self._provider = provider

    def start(self) -> AuthorizationRequest:
        pkce = Pkce.generate()
        state = secrets.token_urlsafe(24)
        query = urlencode({
            "response_type": "code", "client_id": self._client_id, "redirect_uri": self.redirect_uri,
            "scope": " ".join(self._scopes), "state": state,
            "code_challenge": pkce.challenge, "code_challenge_method": "S256",
        })
        return AuthorizationRequest(f"{self._login_url}?{query}", state, self.redirect_uri, pkce)

    def finish(self, request: AuthorizationRequest, callback: Mapping[str, str]) -> TokenSet:
        """Exchange the callback's code for tokens and store them; refuse a wrong ``state``."""
        if callback.get("error"):
            raise XeroAuthError(f"Xero authorisation was not granted: {callback['error']}")
        if not secrets.compare_digest(callback.get("state", ""), request.state):
            raise XeroAuthError("the authorisation callback's state does not match this request")
        code = callback.get("code")
        if not code:
            raise XeroAuthError("the authorisation callback carried no code")
        tokens = self._identity.exchange_code(code, redirect_uri=request.redirect_uri,
                                              code_verifier=request.pkce.verifier)
        with self._store.lock(self._provider):
            self._store.save(self._provider, tokens)
        return tokens


def authorize_on_loopback(identity: IdentityClient, store: TokenStore, open_url: Callable[[str], object], *,
                          client_id: str, port: int = 0, scopes: tuple[str, ...] = SCOPES,
                          login_url: str = LOGIN_URL, timeout: float = 300.0) -> TokenSet:
    """Run the flow with a callback server on 127.0.0.1:``port``; ``open_url`` shows the login page."""
    receiver = OAuthCallbackReceiver()
    with LoopbackServer(receiver, port=port) as server:
        flow = AuthorizationCodeFlow(identity, store, client_id=client_id, scopes=scopes, login_url=login_url,
                                     redirect_uri=f"http://localhost:{server.port}{receiver.path}")
        request = flow.start()
        open_url(request.url)
        callback = receiver.wait(timeout)
    return flow.finish(request, callback)
