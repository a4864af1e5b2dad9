"""Sending one REST call: bearer token, one re-authentication, retries for reads, usage and errors.

- 401 ``INVALID_SESSION_ID``: renew the session (single-flight in the auth) and retry once.
- 5xx, timeouts and dropped connections: reads are retried with backoff (``sleep`` is injected so
  tests are fast); writes are not.
- ``Sforce-Limit-Info`` is read from every response; ``REQUEST_LIMIT_EXCEEDED`` stops at once.
- Only paths under ``/services/data/`` are sent, always to the session's ``instance_url``: a
  ``nextRecordsUrl`` cannot point us anywhere else.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import httpx

from integrations.salesforce.auth import SalesforceAuth, SalesforceSession
from integrations.salesforce.errors import (
    SalesforceLimitExceeded,
    SalesforceRequestError,
    SalesforceUnavailable,
    error_from_response,
)
from integrations.salesforce.limits import ApiUsage, RetryPolicy, parse_limit_info

logger = logging.getLogger(__name__)
DATA_PREFIX = "/services/data/"


class SalesforceRest:
    """The transport under ``SalesforceClient``; counts calls and remembers the latest usage."""

    def __init__(self, http: httpx.Client, auth: SalesforceAuth, api_version: str = "64.0", *,
                 retry: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self._http = http
        self._auth = auth
        self.api_version = api_version
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self.calls_made = 0
        self.limit_info: dict[str, ApiUsage] = {}

    @property
    def usage(self) -> ApiUsage | None:
        """The org's ``api-usage`` (used/max over 24 h) from the latest response."""
        return self.limit_info.get("api-usage")

    def data_path(self, suffix: str) -> str:
        return f"{DATA_PREFIX}v{self.api_version}/{suffix.lstrip('/')}"

    def get(self, path: str, params: Mapping[str, str] | None = None,
            headers: Mapping[str, str] | None = None) -> Any:
        """GET a JSON resource, retrying 5xx and transport failures with backoff."""
        attempts = max(self._retry.attempts, 1)
        for attempt in range(1, attempts + 1):
            try:
                response = self._send("GET", path, params=params, headers=headers)
            except httpx.TransportError as exc:
                if attempt == attempts:
                    raise SalesforceUnavailable(
                        f"GET {path} failed after {attempt} attempts ({type(exc).__name__})") from exc
                self._back_off(attempt, path, type(exc).__name__)
                continue
            if response.status_code >= 500 and attempt < attempts:
                self._back_off(attempt, path, f"HTTP {response.status_code}")
                continue
            return self._json_of(response)
        raise AssertionError("unreachable")  # pragma: no cover

    def patch(self, path: str, body: Mapping[str, Any]) -> None:
        """PATCH a record; Salesforce answers 204 No Content. Not retried (it is a write)."""
        try:
            response = self._send("PATCH", path, json=dict(body))
        except httpx.TransportError as exc:
            raise SalesforceUnavailable(f"PATCH {path} failed ({type(exc).__name__})") from exc
        if response.status_code >= 400:
            raise self._error(response)

    def _back_off(self, attempt: int, path: str, reason: str) -> None:
        delay = self._retry.delay(attempt)
        logger.warning("salesforce read failed, retrying", extra={"path": path, "reason": reason,
                                                                  "attempt": attempt, "delay_s": round(delay, 2)})
        self._sleep(delay)

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        if not path.startswith(DATA_PREFIX) or "//" in path or "@" in path:
            raise SalesforceRequestError(f"refusing to call a path outside the REST data API: {path!r}")
        session = self._auth.session()
        response = self._request(session, method, path, **kwargs)
        if response.status_code == 401:
            logger.info("salesforce session expired, renewing", extra={"path": path})
            response = self._request(self._auth.renew(session), method, path, **kwargs)
        return response

    def _request(self, session: SalesforceSession, method: str, path: str, *,
                 headers: Mapping[str, str] | None = None, **kwargs: Any) -> httpx.Response:
        all_headers = {"Authorization": f"Bearer {session.access_token}", "Accept": "application/json",
                       **(headers or {})}
        self.calls_made += 1
        started = time.monotonic()
        response = self._http.request(method, session.instance_url + path, headers=all_headers, **kwargs)
        info = parse_limit_info(response.headers.get("Sforce-Limit-Info", ""))
        if info:
            self.limit_info = info
        logger.debug("salesforce call", extra={"method": method, "path": path, "status": response.status_code,
                                               "ms": round((time.monotonic() - started) * 1000)})
        return response

    def _json_of(self, response: httpx.Response) -> Any:
        if response.status_code >= 400:
            raise self._error(response)
        try:
            return json.loads(response.content, parse_float=Decimal)
        except ValueError:
            raise SalesforceRequestError("Salesforce answered with a body that is not JSON",
                                         status_code=response.status_code, response=response) from None

    def _error(self, response: httpx.Response) -> Exception:
        error = error_from_response(response)
        if isinstance(error, SalesforceLimitExceeded) and error.usage is None:
            error.usage = self.usage
        return error
