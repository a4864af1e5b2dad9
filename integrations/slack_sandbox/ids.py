"""Identifiers and URLs the Slack stand-in hands out, shared by the server and the request signer.

Trigger ids and response URLs carry what the stand-in needs to know about them (whose trigger,
which message a response replaces, when it was issued), so the request signer can mint them
without talking to the server and the server can honour them without a registry.
"""

from __future__ import annotations

import re
import secrets
import threading
from dataclasses import dataclass
from urllib.parse import quote, unquote

_TRIGGER = re.compile(r"^(\d+)\.([UW][A-Z0-9]+)\.([0-9a-f]+)$")
RESPONSE_URL_PATH = "/response"


class TimestampSequence:
    """Message timestamps as Slack writes them ("1700000000.000100"), unique and increasing."""

    def __init__(self) -> None:
        self._last_micros = 0
        self._lock = threading.Lock()

    def next(self, now: float) -> str:
        with self._lock:
            micros = max(int(now * 1_000_000), self._last_micros + 100)
            self._last_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def dm_channel_id(user_id: str) -> str:
    """The stable id of the bot's direct-message channel with a user ("U0REP0001" -> "D0REP0001")."""
    return "D" + user_id[1:].rjust(8, "0")


def new_trigger_id(user_id: str, issued_at: float) -> str:
    """A single-use trigger id in Slack's "<digits>.<digits>.<hex>" shape, naming its user."""
    return f"{int(issued_at * 1000)}.{user_id}.{secrets.token_hex(16)}"


@dataclass(frozen=True)
class TriggerId:
    user_id: str
    issued_at: float


def parse_trigger_id(trigger_id: str) -> TriggerId | None:
    match = _TRIGGER.match(trigger_id or "")
    if match is None:
        return None
    return TriggerId(user_id=match.group(2), issued_at=int(match.group(1)) / 1000)


@dataclass(frozen=True)
class ResponseTarget:
    """What a response_url stands for: the conversation, the user, the message it may replace."""

    channel: str
    user_id: str
    message_ts: str | None
    issued_at: int
    nonce: str

    @property
    def key(self) -> str:
        return f"{self.channel}/{self.user_id}/{self.message_ts or '-'}/{self.issued_at}/{self.nonce}"


def response_url_for(base_url: str, channel: str, user_id: str, issued_at: float,
                     message_ts: str | None = None) -> str:
    """A response_url served by the stand-in at ``base_url`` (e.g. ``http://127.0.0.1:4567``)."""
    target = ResponseTarget(channel, user_id, message_ts, int(issued_at), secrets.token_hex(8))
    return f"{base_url.rstrip('/')}{RESPONSE_URL_PATH}/{quote(target.key, safe='/')}"


def parse_response_path(path: str) -> ResponseTarget | None:
    """The target of a response_url path ("<channel>/<user>/<ts or ->/<issued>/<nonce>")."""
    parts = unquote(path).strip("/").split("/")
    if len(parts) != 5 or not parts[3].isdigit():
        return None
    channel, user_id, message_ts, issued_at, nonce = parts
    return ResponseTarget(channel, user_id, None if message_ts == "-" else message_ts, int(issued_at), nonce)


def new_hash(now: float) -> str:
    """A view hash in Slack's "<seconds>.<random>" shape."""
    return f"{int(now)}.{secrets.token_hex(4)}"
