"""The sandbox's identity side: authorize (auto-approve), the token endpoint, access checks.

Follows FACTS.md §9: authorization codes (with PKCE S256 when a challenge was sent) live five
minutes and are single use; access tokens live 30 minutes; refresh tokens rotate, and a used
refresh token is refused with ``invalid_grant``; ``client_credentials`` (custom connections)
gets an access token only. API calls are checked for a live token, the ``xero-tenant-id`` of a
connected organisation (401 ``TokenExpired`` / 403 ``AuthenticationUnsuccessful``) and scope.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from integrations.xero.clock import Clock

ACCESS_SECONDS = 1800
REFRESH_DAYS = 60
CODE_SECONDS = 300
IDENTITY_SCOPES = {"openid", "profile", "email", "offline_access"}
GRANULAR_SCOPES = {f"accounting.{name}{suffix}" for name in ("invoices", "payments", "banktransactions",
                   "manualjournals", "classicexpenses", "contacts", "settings", "attachments")
                   for suffix in ("", ".read")}
BROAD_SCOPES = {"accounting.transactions", "accounting.transactions.read", "accounting.reports.read",
                "accounting.journals.read", "accounting.budgets.read"}


@dataclass
class Grant:
    """An access token and what it may do."""

    token: str
    expires_at: datetime
    scopes: frozenset[str]
    custom_connection: bool = False


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    scopes: frozenset[str]
    challenge: str | None
    method: str
    expires_at: datetime


@dataclass
class _Refresh:
    client_id: str
    scopes: frozenset[str]
    expires_at: datetime
    used: bool = False


@dataclass
class Denied:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def problem(status: int, title: str, detail: str) -> dict[str, Any]:
    return {"Type": None, "Title": title, "Status": status, "Detail": detail, "Instance": str(uuid.uuid4()),
            "Extensions": {}}


class SandboxOAuth:
    def __init__(self, *, client_id: str, client_secret: str, tenant: dict[str, Any], clock: Clock,
                 granular_only: bool = True) -> None:
        self.client_id = client_id
        self._client_secret = client_secret
        self.tenant = tenant  # the one organisation: {"tenantId", "tenantName", "tenantType"}
        self._clock = clock
        self.granular_only = granular_only
        self._codes: dict[str, _Code] = {}
        self._refresh: dict[str, _Refresh] = {}
        self.grants: dict[str, Grant] = {}
        self.connections: list[dict[str, Any]] = []
        self.deny_next_authorization = False
        self.token_requests: list[str] = []  # grant types asked for, in order (tests count refreshes)

    # --- authorize -----------------------------------------------------------------------

    def scope_error(self, scopes: set[str]) -> str | None:
        known = IDENTITY_SCOPES | GRANULAR_SCOPES | (set() if self.granular_only else BROAD_SCOPES)
        return "invalid_scope" if not scopes or scopes - known else None

    def authorize(self, params: dict[str, str]) -> tuple[str | None, dict[str, str]]:
        """(redirect_uri or None for an error page, query to append or the page's error)."""
        redirect_uri = params.get("redirect_uri", "")
        if params.get("client_id") != self.client_id or not redirect_uri.startswith(("http://", "https://")):
            return None, {"error": "unauthorized_client"}
        state = {"state": params["state"]} if "state" in params else {}
        scopes = set(params.get("scope", "").split())
        error = ("unsupported_response_type" if params.get("response_type") != "code" else self.scope_error(scopes))
        if self.deny_next_authorization:
            self.deny_next_authorization, error = False, "access_denied"
        if error:
            return redirect_uri, {"error": error, **state}
        code = secrets.token_urlsafe(32)
        self._codes[code] = _Code(self.client_id, redirect_uri, frozenset(scopes), params.get("code_challenge"),
                                  params.get("code_challenge_method", "plain"),
                                  self._clock.now() + timedelta(seconds=CODE_SECONDS))
        return redirect_uri, {"code": code, "scope": " ".join(sorted(scopes)), **state,
                              "session_state": secrets.token_hex(8)}

    # --- token endpoint ------------------------------------------------------------------

    def _client(self, form: dict[str, str], authorization: str | None) -> tuple[str, bool] | None:
        """(client_id, authenticated with the secret) or None when the client is not recognised."""
        if authorization and authorization.lower().startswith("basic "):
            try:
                client_id, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                return None
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if client_id != self.client_id or (secret and not secrets.compare_digest(secret, self._client_secret)):
            return None
        return client_id, bool(secret)

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict[str, Any]]:
        grant_type = form.get("grant_type", "")
        self.token_requests.append(grant_type)
        client = self._client(form, authorization)
        if client is None:
            return 401, {"error": "invalid_client"}
        if grant_type == "authorization_code":
            return self._exchange_code(form, confidential=client[1])
        if grant_type == "refresh_token":
            return self._rotate(form)
        if grant_type == "client_credentials":
            if not client[1]:
                return 401, {"error": "invalid_client"}
            return self._custom_connection(form)
        return 400, {"error": "unsupported_grant_type"}

    def _exchange_code(self, form: dict[str, str], *, confidential: bool) -> tuple[int, dict[str, Any]]:
        code = self._codes.pop(form.get("code", ""), None)
        if code is None or code.expires_at < self._clock.now() or code.redirect_uri != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant"}
        if code.challenge or not confidential:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            expected = digest if code.method == "S256" else verifier
            if not code.challenge or not verifier or not secrets.compare_digest(expected, code.challenge):
                return 400, {"error": "invalid_grant"}
        self._connect()
        return 200, self.issue(code.scopes)

    def _rotate(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        stored = self._refresh.get(form.get("refresh_token", ""))
        if stored is None or stored.used or stored.expires_at < self._clock.now():
            return 400, {"error": "invalid_grant"}
        stored.used = True
        return 200, self.issue(stored.scopes)

    def _custom_connection(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        scopes = set(form.get("scope", "").split()) or (GRANULAR_SCOPES - {"accounting.payments"})
        if self.scope_error(scopes) or scopes & IDENTITY_SCOPES:
            return 400, {"error": "invalid_scope"}
        return 200, self.issue(frozenset(scopes), custom_connection=True)

    def _connect(self) -> None:
        if not any(c["tenantId"] == self.tenant["tenantId"] for c in self.connections):
            now = self._clock.now().replace(tzinfo=None).isoformat(timespec="microseconds")
            self.connections.append({"id": str(uuid.uuid4()), "authEventId": str(uuid.uuid4()), **self.tenant,
                                     "createdDateUtc": now, "updatedDateUtc": now})

    def issue(self, scopes: frozenset[str] | set[str], *, custom_connection: bool = False) -> dict[str, Any]:
        """A token response for ``scopes`` (also used by tests and the demo to skip the browser)."""
        access = secrets.token_urlsafe(40)
        self.grants[access] = Grant(access, self._clock.now() + timedelta(seconds=ACCESS_SECONDS),
                                    frozenset(scopes), custom_connection)
        body: dict[str, Any] = {"access_token": access, "expires_in": ACCESS_SECONDS, "token_type": "Bearer",
                                "scope": " ".join(sorted(scopes))}
        if "offline_access" in scopes and not custom_connection:
            refresh = secrets.token_urlsafe(32)
            self._refresh[refresh] = _Refresh(self.client_id, frozenset(scopes),
                                              self._clock.now() + timedelta(days=REFRESH_DAYS))
            body["refresh_token"] = refresh
        if "openid" in scopes:
            body["id_token"] = secrets.token_urlsafe(60)
        if not custom_connection:
            self._connect()
        return body

    # --- API access ----------------------------------------------------------------------

    def check(self, authorization: str | None, tenant_id: str | None, allowed_scopes: set[str] | None,
              *, needs_tenant: bool = True) -> Grant | Denied:
        token = authorization[7:].strip() if authorization and authorization.lower().startswith("bearer ") else ""
        grant = self.grants.get(token)
        if grant is None:
            return Denied(401, problem(401, "Unauthorized", "AuthenticationUnsuccessful"))
        if grant.expires_at <= self._clock.now():
            stamp = grant.expires_at.strftime("%m/%d/%Y %H:%M:%S")
            return Denied(401, problem(401, "Unauthorized", f"TokenExpired: token expired at {stamp}"))
        if needs_tenant and not self._tenant_allowed(grant, tenant_id):
            return Denied(403, problem(403, "Forbidden", "AuthenticationUnsuccessful"))
        if allowed_scopes is not None and not grant.scopes & allowed_scopes:
            return Denied(401, problem(401, "Unauthorized", "AuthorizationUnsuccessful"),
                          {"WWW-Authenticate": 'Bearer error="insufficient_scope"'})
        return grant

    def _tenant_allowed(self, grant: Grant, tenant_id: str | None) -> bool:
        if grant.custom_connection:  # one organisation; the header is optional
            return tenant_id is None or tenant_id.lower() == self.tenant["tenantId"]
        return tenant_id is not None and tenant_id.lower() in {c["tenantId"] for c in self.connections}

    def disconnect(self, connection_id: str) -> bool:
        before = len(self.connections)
        self.connections = [c for c in self.connections if c["id"] != connection_id]
        return len(self.connections) < before

    def expire_access_tokens(self) -> None:
        for grant in self.grants.values():
            grant.expires_at = self._clock.now() - timedelta(seconds=1)
