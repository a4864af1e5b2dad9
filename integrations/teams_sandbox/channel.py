"""Teams' side of a conversation: the activities Teams would send the bot, each with the Bot
Framework JWT it would carry, and bad tokens to prove the bot refuses them.

    channel = TeamsChannel(state, sandbox_url)
    rita = state.add_user("Rita Rep", "rita@example.com")
    response = channel.post(bot_url + "/api/messages", channel.message(rita, "has Acme paid?"))
    state.in_conversation(channel.personal(rita))[-1].cards

Token variants: ``valid``, ``wrong_audience``, ``wrong_issuer``, ``expired``, ``bad_signature`` (right key
id, another key), ``unknown_key``, ``wrong_service_url``, ``missing`` (no Authorization header).
"""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime
from typing import Any, Literal

import httpx
import jwt

from integrations.teams_sandbox.keys import signing_key
from integrations.teams_sandbox.server import ISSUER
from integrations.teams_sandbox.state import TeamsState, TeamsUser

TokenVariant = Literal["valid", "wrong_audience", "wrong_issuer", "expired", "bad_signature", "unknown_key",
                       "wrong_service_url", "missing"]
TOKEN_VARIANTS: tuple[TokenVariant, ...] = ("valid", "wrong_audience", "wrong_issuer", "expired", "bad_signature",
                                             "unknown_key", "wrong_service_url", "missing")


class TeamsChannel:
    def __init__(self, state: TeamsState, sandbox_url: str) -> None:
        self.state = state
        self.service_url = sandbox_url.rstrip("/") + "/"
        self._ids = itertools.count(1)

    # --- conversations -------------------------------------------------------------------

    def personal(self, user: TeamsUser) -> str:
        return self.state.personal_conversation(user)

    def channel_conversation(self, channel_id: str, *members: TeamsUser) -> str:
        """A team channel (``19:…@thread.tacv2``) that the bot and ``members`` are in."""
        self.state.join(channel_id, *members)
        return channel_id

    # --- activities ----------------------------------------------------------------------

    def _base(self, kind: str, user: TeamsUser, conversation: str | None) -> dict[str, Any]:
        conversation = conversation or self.personal(user)
        channel = conversation.startswith("19:")
        activity: dict[str, Any] = {
            "type": kind, "id": f"f:{next(self._ids):08d}", "timestamp": datetime.now(UTC).isoformat(),
            "serviceUrl": self.service_url, "channelId": "msteams", "locale": "en-US",
            "from": {"id": user.id, "name": user.name, "aadObjectId": user.aad_object_id},
            "conversation": {"id": conversation, "tenantId": self.state.tenant_id,
                             "conversationType": "channel" if channel else "personal", "isGroup": channel or None},
            "recipient": {"id": self.state.bot_id, "name": self.state.bot_name},
            "channelData": {"tenant": {"id": self.state.tenant_id}},
        }
        if channel:
            thread = conversation.split(";")[0]
            activity["channelData"] |= {"channel": {"id": thread}, "team": {"id": thread}}
        activity["conversation"] = {k: v for k, v in activity["conversation"].items() if v is not None}
        return activity

    def message(self, user: TeamsUser, text: str, conversation: str | None = None, *, mention: bool = False) -> dict:
        """A message; ``mention`` writes it as an @mention of the bot, as Teams does in channels."""
        activity = self._base("message", user, conversation) | {"textFormat": "plain", "text": text}
        if mention:
            tag = f"<at>{self.state.bot_name}</at>"
            activity["text"] = f"{tag} {text}"
            activity["entities"] = [{"type": "mention", "text": tag,
                                     "mentioned": {"id": self.state.bot_id, "name": self.state.bot_name}}]
        return activity

    def submit(self, user: TeamsUser, data: dict[str, Any], reply_to: str, conversation: str | None = None) -> dict:
        """An ``Action.Submit`` pressed on a card in a chat: a message whose ``value`` holds the data."""
        return self._base("message", user, conversation) | {"value": data, "replyToId": reply_to}

    def execute(self, user: TeamsUser, verb: str, data: dict[str, Any], reply_to: str,
                conversation: str | None = None) -> dict:
        """An ``Action.Execute`` pressed: the ``adaptiveCard/action`` invoke (Universal Actions)."""
        value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
        return self._base("invoke", user, conversation) | {"name": "adaptiveCard/action", "value": value,
                                                             "replyToId": reply_to}

    def task_fetch(self, user: TeamsUser, data: dict[str, Any], conversation: str | None = None) -> dict:
        value = {"data": {**data, "msteams": {"type": "task/fetch"}}, "context": {"theme": "default"}}
        return self._base("invoke", user, conversation) | {"name": "task/fetch", "value": value}

    def task_submit(self, user: TeamsUser, data: dict[str, Any], conversation: str | None = None) -> dict:
        value = {"data": data, "context": {"theme": "default"}}
        return self._base("invoke", user, conversation) | {"name": "task/submit", "value": value}

    # --- tokens --------------------------------------------------------------------------

    def token(self, variant: TokenVariant = "valid", service_url: str | None = None) -> str:
        now = int(time.time())
        claims = {"serviceurl": service_url or self.service_url, "nbf": now - 5, "exp": now + 3600, "iss": ISSUER,
                  "aud": self.state.app_id}
        key = signing_key(self.state.signing_kid)
        if variant == "wrong_audience":
            claims["aud"] = "ffffffff-0000-4000-8000-000000000000"
        elif variant == "wrong_issuer":
            claims["iss"] = "https://sts.example.com"
        elif variant == "expired":
            claims |= {"nbf": now - 7200, "exp": now - 3600}
        elif variant == "wrong_service_url":
            claims["serviceurl"] = "https://attacker.example.com/"
        elif variant == "bad_signature":
            key = signing_key("sandbox-forged-key")
            return jwt.encode(claims, key.private, algorithm="RS256", headers={"kid": self.state.signing_kid})
        elif variant == "unknown_key":
            key = signing_key("sandbox-unpublished-key")
        return jwt.encode(claims, key.private, algorithm="RS256", headers={"kid": key.kid})

    def post(self, url: str, activity: dict[str, Any] | str | bytes, variant: TokenVariant = "valid",
             timeout: float = 30.0) -> httpx.Response:
        """Send an activity to the bot's messaging endpoint as the Bot Framework does."""
        service_url = activity.get("serviceUrl") if isinstance(activity, dict) else None
        headers = {} if variant == "missing" else {"Authorization": f"Bearer {self.token(variant, service_url)}"}
        if isinstance(activity, dict):
            return httpx.post(url, json=activity, headers=headers, timeout=timeout)
        return httpx.post(url, content=activity, headers=headers | {"Content-Type": "application/json"},
                          timeout=timeout)
