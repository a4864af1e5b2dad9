"""Xero webhooks: signature check, intent-to-receive, events as models. Pure: no HTTP server here.

Xero signs each POST with ``x-xero-signature`` = base64(HMAC-SHA256(webhook key, raw body))
(FACTS.md §8). The endpoint must answer 200 with an empty body for a correct signature and 401
for a wrong one, including the intent-to-receive probes (``events: []``, sequence numbers 0,
which the spec's ``minimum: 1`` would wrongly reject, so they are not validated here).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from integrations.xero.dates import parse_xero_datetime


def sign_webhook_body(key: str, body: bytes) -> str:
    """The ``x-xero-signature`` Xero would send for ``body``."""
    digest = hmac.new(key.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


class WebhookEvent(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    resource_url: str = Field(alias="resourceUrl")
    resource_id: str = Field(alias="resourceId")
    event_date_utc: datetime = Field(alias="eventDateUtc")
    event_type: str = Field(alias="eventType")  # CREATE, UPDATE
    event_category: str = Field(alias="eventCategory")  # INVOICE, CONTACT, CREDITNOTE, SUBSCRIPTION
    tenant_id: str = Field(alias="tenantId")
    tenant_type: str = Field(alias="tenantType")  # ORGANISATION, APPLICATION
    data: dict[str, Any] | None = None

    @field_validator("event_date_utc", mode="before")
    @classmethod
    def _utc(cls, value: Any) -> Any:
        return parse_xero_datetime(value)


class WebhookPayload(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    events: list[WebhookEvent]
    first_event_sequence: int = Field(alias="firstEventSequence")
    last_event_sequence: int = Field(alias="lastEventSequence")
    entropy: str = ""

    @property
    def is_intent_to_receive(self) -> bool:
        return not self.events


@dataclass(frozen=True)
class WebhookVerdict:
    """What to answer (``status_code``: 200 or 401, always an empty body) and the parsed payload."""

    status_code: int
    payload: WebhookPayload | None = None
    error: str | None = None

    @property
    def accepted(self) -> bool:
        return self.status_code == 200


class WebhookVerifier:
    def __init__(self, webhook_key: str) -> None:
        self._key = webhook_key

    def __repr__(self) -> str:
        return "WebhookVerifier(webhook_key=***)"

    def signature_is_valid(self, body: bytes, signature: str | None) -> bool:
        if not signature:
            return False
        expected = sign_webhook_body(self._key, body)
        return hmac.compare_digest(expected.encode("ascii"), signature.strip().encode("ascii", "replace"))

    def verify(self, body: bytes, signature: str | None) -> WebhookVerdict:
        """Check the signature over the exact bytes, then parse. A signed but unreadable body is
        still answered 200 (Xero would retry it for 24 hours otherwise) with ``error`` set."""
        if not self.signature_is_valid(body, signature):
            return WebhookVerdict(401, error="invalid x-xero-signature")
        try:
            payload = WebhookPayload.model_validate(json.loads(body))
        except (ValueError, ValidationError) as exc:
            return WebhookVerdict(200, error=f"unreadable webhook body: {type(exc).__name__}")
        return WebhookVerdict(200, payload)
