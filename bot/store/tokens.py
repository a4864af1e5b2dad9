"""OAuth tokens at rest: Fernet-encrypted with PAIDUP_SECRET_KEY, locked across processes while
a refresh is in flight (the integrations' ``TokenStore`` interface)."""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select

from bot.store.base import utcnow
from bot.store.session import Database
from bot.store.state import OAuthToken
from integrations.tokens import TokenSet


class TokenDecryptError(Exception):
    """Stored tokens can't be read with this PAIDUP_SECRET_KEY (it changed, or the row is damaged)."""


class SecretBox:
    """Authenticated encryption with a key derived from PAIDUP_SECRET_KEY.

    A Fernet key (``Fernet.generate_key()``) is used as given; any other passphrase is stretched
    with SHA-256 into one, so a long random string works too.
    """

    def __init__(self, secret_key: str) -> None:
        if not secret_key:
            raise ValueError("PAIDUP_SECRET_KEY is empty")
        try:
            self._fernet = Fernet(secret_key.encode())
        except ValueError:
            derived = base64.urlsafe_b64encode(hashlib.sha256(secret_key.encode()).digest())
            self._fernet = Fernet(derived)

    def encrypt(self, plaintext: bytes) -> bytes:
        return self._fernet.encrypt(plaintext)

    def decrypt(self, ciphertext: bytes) -> bytes:
        try:
            return self._fernet.decrypt(ciphertext)
        except InvalidToken:
            raise TokenDecryptError(
                "stored tokens can't be decrypted with the current PAIDUP_SECRET_KEY; "
                "restore the old key or run `paidup connect` again") from None


class DatabaseTokenStore:
    """TokenStore backed by the ``oauth_tokens`` table."""

    def __init__(self, db: Database, box: SecretBox, lock_wait: float = 60.0) -> None:
        self._db = db
        self._box = box
        self._lock_wait = lock_wait
        self._thread_locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def load(self, provider: str) -> TokenSet | None:
        with self._db.session() as s:
            row = s.scalar(select(OAuthToken).where(OAuthToken.provider == provider))
            if row is None:
                return None
            return TokenSet.model_validate_json(self._box.decrypt(row.ciphertext))

    def save(self, provider: str, tokens: TokenSet) -> None:
        ciphertext = self._box.encrypt(tokens.model_dump_json().encode())
        with self._db.session() as s:
            row = s.get(OAuthToken, provider)
            if row is None:
                s.add(OAuthToken(provider=provider, ciphertext=ciphertext))
            else:
                row.ciphertext = ciphertext
                row.updated_at = utcnow()

    def delete(self, provider: str) -> None:
        with self._db.session() as s:
            row = s.get(OAuthToken, provider)
            if row is not None:
                s.delete(row)

    @contextmanager
    def lock(self, provider: str) -> Iterator[None]:
        with self._guard:
            thread_lock = self._thread_locks.setdefault(provider, threading.Lock())
        with thread_lock, self._db.lease(f"oauth-refresh:{provider}", ttl=timedelta(minutes=2), wait=self._lock_wait):
            yield
