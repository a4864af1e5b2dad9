"""The Bot Connector REST API (FACTS §2): replies and proactive messages are outbound calls, not
the HTTP response.

    POST {serviceUrl}/v3/conversations/{conversationId}/activities               a new message
    PUT  {serviceUrl}/v3/conversations/{conversationId}/activities/{activityId}  update it (a card)
    GET  {serviceUrl}/v3/conversations/{conversationId}/members/{memberId}       who someone is
    POST {serviceUrl}/v3/conversations                                            open a 1:1 chat

Every call carries the bot's Entra token (``BotTokenProvider``); a 401 drops the cached token and
retries once. Ids go into the path percent-encoded (Teams ids hold ``:``, ``;``, ``@``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from integrations.teams.errors import TeamsApiError
from integrations.teams.tokens import BotTokenProvider


@dataclass(frozen=True)
class TeamsMember:
    """A ``TeamsChannelAccount``: the member's ids, name and email (or UPN) as Teams knows them."""

    id: str
    name: str | None
    aad_object_id: str | None
    email: str | None
    user_principal_name: str | None


class ConnectorClient:
    def __init__(self, http: httpx.Client, tokens: BotTokenProvider) -> None:
        self._http = http
        self._tokens = tokens

    def send(self, service_url: str, conversation_id: str, activity: dict[str, Any]) -> str:
        """Post ``activity`` to the conversation; the new activity's id (to update it later)."""
        body = self._call("POST", _conversation(service_url, conversation_id) + "/activities", activity)
        return str(body.get("id") or "")

    def update(self, service_url: str, conversation_id: str, activity_id: str, activity: dict[str, Any]) -> None:
        path = f"{_conversation(service_url, conversation_id)}/activities/{quote(activity_id, safe='')}"
        self._call("PUT", path, {**activity, "id": activity_id})

    def member(self, service_url: str, conversation_id: str, member_id: str) -> TeamsMember | None:
        """One member of the conversation (its email for the Salesforce mapping); None when Teams
        says the person is not a member."""
        path = f"{_conversation(service_url, conversation_id)}/members/{quote(member_id, safe='')}"
        try:
            body = self._call("GET", path)
        except TeamsApiError as exc:
            if exc.status == 404:
                return None
            raise
        return TeamsMember(id=str(body.get("id") or member_id), name=body.get("name"),
                           aad_object_id=body.get("aadObjectId"), email=body.get("email"),
                           user_principal_name=body.get("userPrincipalName"))

    def open_personal_chat(self, service_url: str, tenant_id: str, bot_id: str, member_id: str) -> str:
        """The 1:1 conversation between the bot and a member (created, or the existing one returned)."""
        payload = {"isGroup": False, "bot": {"id": bot_id}, "members": [{"id": member_id}], "tenantId": tenant_id,
                   "channelData": {"tenant": {"id": tenant_id}}}
        body = self._call("POST", service_url.rstrip("/") + "/v3/conversations", payload)
        return str(body.get("id") or "")

    def _call(self, method: str, url: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self._tokens.token()}"}
            try:
                response = self._http.request(method, url, json=payload, headers=headers)
            except httpx.HTTPError as exc:
                raise TeamsApiError(f"{method} {url}: the connector could not be reached ({type(exc).__name__})",
                                    0) from None
            if response.status_code == 401 and attempt == 1:
                self._tokens.forget()
                continue
            return _checked(method, url, response)
        raise AssertionError("unreachable")


def _conversation(service_url: str, conversation_id: str) -> str:
    return f"{service_url.rstrip('/')}/v3/conversations/{quote(conversation_id, safe='')}"


def _checked(method: str, url: str, response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json() if response.content else {}
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    if response.status_code >= 400:
        error = body.get("error") if isinstance(body.get("error"), dict) else {}
        code, message = error.get("code"), str(error.get("message") or "")[:300]
        raise TeamsApiError(f"{method} {url}: HTTP {response.status_code} {code or ''} {message}".strip(),
                            response.status_code, code)
    return body
