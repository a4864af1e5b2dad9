"""Slack's request signature: the primitives (see ``signing`` for whole requests)."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any, NamedTuple
from urllib.parse import parse_qsl

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def slack_signature(signing_secret: str, timestamp: int | str, body: bytes) -> str:
    """``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}`` keyed with the signing secret."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(signing_secret: str, body: bytes, timestamp: int, content_type: str, *,
                   retry_num: int | None = None, retry_reason: str | None = None) -> dict[str, str]:
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": slack_signature(signing_secret, timestamp, body),
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
    return headers


class SignedRequest(NamedTuple):
    """A request as Slack would send it: the exact body bytes and the headers signed over them."""

    body: bytes
    headers: dict[str, str]

    def payload(self) -> dict[str, Any]:
        """The body decoded: the JSON envelope, the interactivity payload, or the slash command's fields."""
        if self.headers["Content-Type"] == JSON:
            return json.loads(self.body)
        form = dict(parse_qsl(self.body.decode()))
        return json.loads(form["payload"]) if set(form) == {"payload"} else form
