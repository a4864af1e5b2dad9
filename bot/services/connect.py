"""Connecting Paidup to Xero: the authorization-code flow with PKCE, started by
`paidup connect xero` (or `GET /xero/connect` on a running server) and finished at
`GET /xero/callback`. The pending request (state, PKCE verifier) is kept encrypted in the
database, so the callback may land on any process."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete

from bot.store.session import Database
from bot.store.state import Kv
from bot.store.tokens import SecretBox
from integrations.tokens import TokenStore
from integrations.xero import (
    IDENTITY_URL,
    LOGIN_URL,
    PROVIDER,
    SCOPES,
    AuthorizationCodeFlow,
    AuthorizationRequest,
    IdentityClient,
    Pkce,
    XeroAuthError,
    XeroClient,
)

PENDING = "xero-connect:{state}"


def login_url_for(identity_url: str) -> str:
    """Xero's login page; a non-default identity host (a sandbox) serves it under its own root."""
    if identity_url.rstrip("/") == IDENTITY_URL:
        return LOGIN_URL
    return identity_url.rstrip("/") + "/identity/connect/authorize"


@dataclass(frozen=True)
class Connected:
    tenant_id: str
    tenant_name: str
    organisations: int


class XeroConnector:
    def __init__(self, db: Database, box: SecretBox, identity: IdentityClient, store: TokenStore, client_id: str,
                 identity_url: str, xero: Callable[[], XeroClient], tenant_id: str | None = None) -> None:
        self.db, self.box, self.identity, self.store = db, box, identity, store
        self.client_id, self.login_url = client_id, login_url_for(identity_url)
        self.xero, self.tenant_id = xero, tenant_id

    def _flow(self, redirect_uri: str) -> AuthorizationCodeFlow:
        return AuthorizationCodeFlow(self.identity, self.store, client_id=self.client_id, redirect_uri=redirect_uri,
                                     scopes=SCOPES, login_url=self.login_url)

    def start(self, redirect_uri: str) -> str:
        """The Xero login URL to send the person to; remembers the request for the callback."""
        request = self._flow(redirect_uri).start()
        secret = json.dumps({"url": request.url, "state": request.state, "redirect_uri": request.redirect_uri,
                             "verifier": request.pkce.verifier, "challenge": request.pkce.challenge})
        with self.db.session() as s:
            s.merge(Kv(key=PENDING.format(state=request.state), value=self.box.encrypt(secret.encode()).decode()))
        return request.url

    def finish(self, callback: dict[str, str]) -> Connected:
        """Exchange the callback's code, store the tokens, pick the organisation."""
        state = callback.get("state", "")
        with self.db.session() as s:
            row = s.get(Kv, PENDING.format(state=state))
            pending = json.loads(self.box.decrypt(row.value.encode())) if row else None
            s.execute(delete(Kv).where(Kv.key == PENDING.format(state=state)))
        if pending is None:
            raise XeroAuthError("this Xero authorisation link has expired or was already used; start again with "
                                "`paidup connect xero`")
        request = AuthorizationRequest(pending["url"], pending["state"], pending["redirect_uri"],
                                       Pkce(pending["verifier"], pending["challenge"]))
        tokens = self._flow(request.redirect_uri).finish(request, callback)
        connections = self.xero().connections()
        if not connections:
            raise XeroAuthError("Xero authorised the app but no organisation was connected; try again and pick one")
        chosen = next((c for c in connections if c.tenant_id == self.tenant_id), None) if self.tenant_id else None
        if self.tenant_id and chosen is None:
            raise XeroAuthError(f"XERO_TENANT_ID {self.tenant_id} is not among the connected organisations")
        chosen = chosen or connections[0]
        with self.store.lock(PROVIDER):
            saved = self.store.load(PROVIDER) or tokens
            self.store.save(PROVIDER, saved.model_copy(update={"extra": {**saved.extra, "tenant_id": chosen.tenant_id,
                                                                         "tenant_name": chosen.tenant_name}}))
        return Connected(chosen.tenant_id, chosen.tenant_name or chosen.tenant_id, len(connections))
