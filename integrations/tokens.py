"""OAuth token persistence, as the integrations need it and the bot implements it.

The clients never decide where tokens live: they are given a ``TokenStore``. The bot's store
encrypts tokens in the database and locks across processes; ``MemoryTokenStore`` serves tests,
sandboxes and one-shot scripts.

Refreshing is single-flight: a client takes ``store.lock(provider)``, reloads the tokens, and
refreshes only if the stored ones are still the stale ones it saw, so two workers never spend
the same rotating refresh token twice.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from pydantic import BaseModel, Field


class TokenSet(BaseModel):
    """One provider's tokens. ``extra`` holds provider facts such as Xero's tenant id or
    Salesforce's instance_url."""

    access_token: str = Field(repr=False)
    refresh_token: str | None = Field(default=None, repr=False)
    expires_at: datetime
    scope: str = ""
    extra: dict[str, Any] = Field(default_factory=dict)

    def expires_within(self, seconds: float, now: datetime | None = None) -> bool:
        now = now or datetime.now(UTC)
        return self.expires_at - now <= timedelta(seconds=seconds)


class TokenStore(Protocol):
    def load(self, provider: str) -> TokenSet | None: ...

    def save(self, provider: str, tokens: TokenSet) -> None: ...

    def lock(self, provider: str) -> Any:
        """A context manager held while refreshing: exclusive across threads (and, for the
        bot's database store, across processes)."""
        ...


class MemoryTokenStore:
    """Tokens in a dict, a threading lock per provider."""

    def __init__(self, initial: dict[str, TokenSet] | None = None) -> None:
        self._tokens: dict[str, TokenSet] = dict(initial or {})
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def load(self, provider: str) -> TokenSet | None:
        return self._tokens.get(provider)

    def save(self, provider: str, tokens: TokenSet) -> None:
        self._tokens[provider] = tokens

    @contextmanager
    def lock(self, provider: str) -> Iterator[None]:
        with self._guard:
            lock = self._locks.setdefault(provider, threading.Lock())
        with lock:
            yield
