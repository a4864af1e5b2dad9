"""The bot's own token for the Bot Connector: Entra client credentials for
``https://api.botframework.com/.default`` (FACTS §2), cached until five minutes before it expires.

Single-tenant bots ask their tenant's token endpoint ``{login_url}/{tenant}/oauth2/v2.0/token``;
without a tenant the multi-tenant ``botframework.com`` tenant is used.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import httpx

from integrations.teams.errors import TeamsAuthError

BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"
MULTI_TENANT = "botframework.com"
REFRESH_EARLY = 300.0


class BotTokenProvider:
    def __init__(self, http: httpx.Client, login_url: str, app_id: str, app_password: str,
                 tenant_id: str | None = None, clock: Callable[[], float] = time.time) -> None:
        self._http = http
        self.token_url = f"{login_url.rstrip('/')}/{tenant_id or MULTI_TENANT}/oauth2/v2.0/token"
        self._app_id = app_id
        self._password = app_password
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0

    def token(self) -> str:
        with self._lock:
            if self._token is None or self._clock() >= self._expires_at - REFRESH_EARLY:
                self._token, self._expires_at = self._fetch()
            return self._token

    def forget(self) -> None:
        """Drop the cached token (the connector said 401: it was revoked or rotated)."""
        with self._lock:
            self._token = None

    def _fetch(self) -> tuple[str, float]:
        form = {"grant_type": "client_credentials", "client_id": self._app_id, "client_secret": self._password,
                "scope": BOT_FRAMEWORK_SCOPE}
        try:
            response = self._http.post(self.token_url, data=form)
        except httpx.HTTPError as exc:
            raise TeamsAuthError(f"cannot reach the Entra token endpoint {self.token_url} ({type(exc).__name__})") \
                from None
        body = _json(response)
        if response.status_code != 200 or not isinstance(body.get("access_token"), str):
            error = body.get("error") or f"HTTP {response.status_code}"
            description = str(body.get("error_description") or "").split("\r\n")[0][:200]
            raise TeamsAuthError(f"Entra refused the bot's credentials: {error} {description}".strip())
        expires_in = body.get("expires_in")
        lifetime = float(expires_in) if isinstance(expires_in, int | float | str) and str(expires_in).isdigit() \
            else 3599.0
        return body["access_token"], self._clock() + lifetime


def _json(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
