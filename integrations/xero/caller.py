"""One API call to Xero, with everything around it: headers, quota, retries, typed errors, counting.

- Headers: ``Authorization: Bearer``, ``xero-tenant-id`` (unless a custom connection),
  ``Accept: application/json``, ``Idempotency-Key`` on writes that carry one.
- Quota: the call runs inside ``QuotaLimiter.slot``; the response's remaining-quota headers are
  observed. A minute-limit 429 waits ``Retry-After`` and tries again (a 429 was not processed, so
  this is safe for writes too); a daily-limit 429 stops the tenant and raises.
- 401: the auth gets one chance to replace the token (single-flight refresh), then the error stands.
- 5xx, timeouts and dropped connections: retried with exponential backoff for reads, and for
  writes only when they carry an ``Idempotency-Key`` (else a retry could create a second invoice).
- ``calls_made`` counts every HTTP request sent to the API (the sync reports it as "calls used").
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from integrations.xero import json_codec
from integrations.xero.auth import XeroAuth
from integrations.xero.clock import Clock, SystemClock
from integrations.xero.errors import XeroRateLimited, XeroUnavailable, error_from_response, rate_limited
from integrations.xero.limiter import QuotaLimiter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # tries in all for 5xx / timeouts
    base_delay: float = 0.5
    max_delay: float = 8.0
    rate_limit_waits: int = 3  # minute-limit 429s honoured per call before giving up

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt ``attempt`` (1-based): exponential, half jittered."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return ceiling / 2 + random.uniform(0, ceiling / 2)


@dataclass
class _Attempts:
    tries: int = 0
    rate_limit_waits: int = 0
    token_renewed: bool = False


class ApiCaller:
    def __init__(self, http: httpx.Client, auth: XeroAuth, limiter: QuotaLimiter, *,
                 clock: Clock | None = None, retry: RetryPolicy | None = None) -> None:
        self._http = http
        self._auth = auth
        self._limiter = limiter
        self._clock = clock or SystemClock()
        self._retry = retry or RetryPolicy()
        self._count_lock = threading.Lock()
        self.calls_made = 0

    def request(self, method: str, url: str, *, tenant_id: str | None, params: Mapping[str, Any] | None = None,
                body: Any = None, idempotency_key: str | None = None, headers: Mapping[str, str] | None = None,
                resource: str = "resource") -> httpx.Response:
        retryable = method == "GET" or idempotency_key is not None
        content = json_codec.dumps(body) if body is not None else None
        attempts = _Attempts()
        while True:
            attempts.tries += 1
            token = self._auth.access_token()
            try:
                response = self._send(method, url, tenant_id, token, params, content, idempotency_key, headers)
            except httpx.TransportError as exc:
                self._after_transport_error(exc, method, url, retryable, attempts)
                continue
            if response.status_code < 300:
                return response
            if not self._should_retry(response, token, tenant_id, retryable, attempts):
                raise error_from_response(response, resource=resource, tenant_id=tenant_id)

    def _send(self, method: str, url: str, tenant_id: str | None, token: str, params: Mapping[str, Any] | None,
              content: bytes | None, idempotency_key: str | None,
              extra_headers: Mapping[str, str] | None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json", **(extra_headers or {})}
        if tenant_id:
            headers["xero-tenant-id"] = tenant_id
        if content is not None:
            headers["Content-Type"] = "application/json"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        quota_key = tenant_id or "custom-connection"
        with self._limiter.slot(quota_key):
            with self._count_lock:
                self.calls_made += 1
            response = self._http.request(method, url, params=params, content=content, headers=headers)
        self._limiter.observe(quota_key, response.headers)
        return response

    def _after_transport_error(self, exc: httpx.TransportError, method: str, url: str, retryable: bool,
                               attempts: _Attempts) -> None:
        name = type(exc).__name__
        if not retryable or attempts.tries >= self._retry.attempts:
            why = "" if retryable else " (a write without an Idempotency-Key is never retried)"
            raise XeroUnavailable(f"Xero did not answer {method} {httpx.URL(url).path}: {name}{why}") from None
        delay = self._retry.delay(attempts.tries)
        log.info("Xero %s %s failed (%s); retry %d in %.1f s", method, httpx.URL(url).path, name, attempts.tries, delay)
        self._clock.sleep(delay)

    def _should_retry(self, response: httpx.Response, token: str, tenant_id: str | None, retryable: bool,
                      attempts: _Attempts) -> bool:
        """Wait or renew as the failed response allows; False when the error must be raised."""
        status = response.status_code
        if status == 401 and not attempts.token_renewed:
            attempts.token_renewed = True
            attempts.tries -= 1
            self._auth.token_rejected(token)
            return True
        if status == 429:
            return self._wait_for_rate_limit(rate_limited(response), tenant_id, attempts)
        if status >= 500 and retryable and attempts.tries < self._retry.attempts:
            delay = self._retry.delay(attempts.tries)
            log.info("Xero answered %d to %s; retry %d in %.1f s", status, response.request.url.path,
                     attempts.tries, delay)
            self._clock.sleep(delay)
            return True
        return False

    def _wait_for_rate_limit(self, error: XeroRateLimited, tenant_id: str | None, attempts: _Attempts) -> bool:
        if error.limit == "day":
            self._limiter.stop_for_day(tenant_id or "custom-connection", error.retry_after)
            log.warning("Xero daily call limit reached; stopping for %.0f s", error.retry_after)
            return False
        if attempts.rate_limit_waits >= self._retry.rate_limit_waits:
            return False
        attempts.rate_limit_waits += 1
        attempts.tries -= 1
        log.info("Xero %s limit reached; waiting %.0f s as Retry-After asks", error.limit, error.retry_after)
        self._clock.sleep(error.retry_after)
        return True
