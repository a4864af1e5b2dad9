"""What reads and writes share: the tenant, the accounting base URL, one call, the envelope."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import httpx

from integrations.xero import json_codec
from integrations.xero.auth import XeroAuth
from integrations.xero.caller import ApiCaller, RetryPolicy
from integrations.xero.clock import Clock
from integrations.xero.errors import XeroError, XeroNotConnected
from integrations.xero.identity import API_URL
from integrations.xero.limiter import Quota, QuotaLimiter
from integrations.xero.models import Connection
from integrations.xero.pages import M, Stream, parse_records

ACCOUNTING_PATH = "/api.xro/2.0"


def not_json(response: httpx.Response) -> XeroError:
    return XeroError("Xero answered with a body that is not JSON", status_code=response.status_code,
                     response=response)


class XeroApiBase:
    """``XeroClient(http, auth, limiter, api_url=..., tenant_id=...)``: ``http`` is the caller's
    ``httpx.Client`` (its timeouts and transport apply); ``tenant_id`` is ``XERO_TENANT_ID`` or None
    to use the tenant stored at connect time, else the first of ``GET /connections``."""

    def __init__(self, http: httpx.Client, auth: XeroAuth, limiter: QuotaLimiter | None = None, *,
                 api_url: str = API_URL, tenant_id: str | None = None, clock: Clock | None = None,
                 retry: RetryPolicy | None = None) -> None:
        self._auth = auth
        self._limiter = limiter or QuotaLimiter(clock=clock)
        self._caller = ApiCaller(http, auth, self._limiter, clock=clock, retry=retry)
        self._api_url = api_url.rstrip("/")
        self._configured_tenant = tenant_id
        self._resolved_tenant: str | None = None
        self._tenant_lock = threading.Lock()

    @property
    def calls_made(self) -> int:
        """HTTP requests sent to the API so far (retries and 429s included)."""
        return self._caller.calls_made

    def connections(self) -> list[Connection]:
        """The organisations the token may use (``GET /connections``)."""
        response = self._caller.request("GET", f"{self._api_url}/connections", tenant_id=None, resource="connections")
        body = response.json()
        return [Connection.model_validate(item) for item in body if isinstance(item, dict)]

    @property
    def tenant_id(self) -> str | None:
        """The organisation calls go to; None for a custom connection without a configured tenant."""
        if self._configured_tenant:
            return self._configured_tenant
        if not self._auth.sends_tenant_header:
            return None
        with self._tenant_lock:
            if self._resolved_tenant is None:
                self._resolved_tenant = self._auth.stored_tenant_id() or self._first_connection()
            return self._resolved_tenant

    def _first_connection(self) -> str:
        connections = self.connections()
        if not connections:
            raise XeroNotConnected("the Xero token has no connected organisation; run `paidup connect xero`")
        return connections[0].tenant_id

    def quota(self) -> Quota:
        """Calls left this minute / today as Xero last reported them, for "quota left"."""
        return self._limiter.quota(self.tenant_id or "custom-connection")

    def _accounting(self, method: str, path: str, *, params: Mapping[str, Any] | None = None, body: Any = None,
                    idempotency_key: str | None = None, headers: Mapping[str, str] | None = None,
                    resource: str = "resource") -> Any:
        """One accounting call; the decoded JSON envelope (money as Decimal), or None for 204."""
        response = self._accounting_response(method, path, params=params, body=body, idempotency_key=idempotency_key,
                                             headers=headers, resource=resource)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return json_codec.loads(response.content)
        except ValueError:
            raise not_json(response) from None

    def _accounting_response(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                             body: Any = None, idempotency_key: str | None = None,
                             headers: Mapping[str, str] | None = None, resource: str = "resource") -> httpx.Response:
        """One accounting call's successful response, its body not yet decoded."""
        return self._caller.request(method, f"{self._api_url}{ACCOUNTING_PATH}/{path}", tenant_id=self.tenant_id,
                                    params=params, body=body, idempotency_key=idempotency_key,
                                    headers=headers, resource=resource)

    @staticmethod
    def _single(stream: Stream[M], envelope: Any) -> M:
        """The one record of a single-record answer (a write or a GET by id)."""
        records = envelope.get(stream.key) if isinstance(envelope, dict) else None
        items, failures = parse_records(stream.model, records if isinstance(records, list) else [])
        if items:
            return items[0]
        reason = failures[0].error if failures else "no record in the answer"
        raise XeroError(f"Xero's {stream.path} answer could not be read: {reason}")
