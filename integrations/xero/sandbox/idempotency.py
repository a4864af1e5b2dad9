"""``Idempotency-Key`` replay: the same key with the same request answers the stored response again
and changes nothing; the same key with a different request is refused.

Xero documents the header (FACTS.md §2) but not its lifetime or conflict semantics; the sandbox
keeps keys for its lifetime and answers a conflicting reuse with a 400 ``ValidationException``.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class StoredResponse:
    fingerprint: str
    status: int
    body: bytes
    content_type: str


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([method.upper().encode(), path.lower().encode(), body])).hexdigest()


class IdempotencyCache:
    def __init__(self) -> None:
        self._stored: dict[tuple[str, str], StoredResponse] = {}
        self._lock = threading.Lock()

    def lookup(self, tenant: str, key: str) -> StoredResponse | None:
        with self._lock:
            return self._stored.get((tenant, key))

    def remember(self, tenant: str, key: str, response: StoredResponse) -> None:
        with self._lock:
            self._stored.setdefault((tenant, key), response)

    def __len__(self) -> int:
        return len(self._stored)
