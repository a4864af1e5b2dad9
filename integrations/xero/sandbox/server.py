"""The sandbox as an ASGI app: identity (authorize, token), ``/connections``, the Accounting API
under ``/api.xro/2.0`` (paths case-insensitive, like Xero's) and the control API under
``/__sandbox__``.

Every API call goes through one pipeline: injected delay → token, tenant and scope check
(401/403) → quota (429 with Retry-After) → injected failure → body parsing → Idempotency-Key
replay → the handler, under the state lock → rate-limit headers on the answer.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from integrations.xero.sandbox import api_reads, api_writes
from integrations.xero.sandbox.control import control_routes
from integrations.xero.sandbox.faults import InjectedFailure
from integrations.xero.sandbox.idempotency import StoredResponse, fingerprint
from integrations.xero.sandbox.oauth import Denied
from integrations.xero.sandbox.replies import Call, Reply, not_found, post_data_invalid
from integrations.xero.sandbox.state import XeroSandboxState

_INVOICES_READ = {"accounting.invoices", "accounting.invoices.read", "accounting.transactions",
                  "accounting.transactions.read"}
_INVOICES_WRITE = {"accounting.invoices", "accounting.transactions"}
_PAYMENTS_READ = {"accounting.payments", "accounting.payments.read", "accounting.transactions",
                  "accounting.transactions.read"}
_PAYMENTS_WRITE = {"accounting.payments", "accounting.transactions"}
_CONTACTS_READ = {"accounting.contacts", "accounting.contacts.read"}
_CONTACTS_WRITE = {"accounting.contacts"}
_SETTINGS_READ = {"accounting.settings", "accounting.settings.read"}

Handler = Callable[[Call], Reply]
MAX_IDEMPOTENCY_KEY = 128


@dataclass(frozen=True)
class ApiRoute:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    scopes: set[str] | None
    needs_tenant: bool = True


def _route(method: str, path: str, handler: Handler, scopes: set[str] | None, needs_tenant: bool = True) -> ApiRoute:
    regex = "^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path)) + "$"
    return ApiRoute(method, re.compile(regex, re.IGNORECASE), handler, scopes, needs_tenant)


_A = "/api.xro/2.0"
ROUTES = [
    _route("GET", "/connections", api_reads.list_connections, None, needs_tenant=False),
    _route("DELETE", "/connections/{id}", api_reads.delete_connection, None, needs_tenant=False),
    _route("GET", f"{_A}/Invoices", partial(api_reads.list_collection, collection="Invoices"), _INVOICES_READ),
    _route("PUT", f"{_A}/Invoices", api_writes.put_invoices, _INVOICES_WRITE),
    _route("POST", f"{_A}/Invoices", api_writes.post_invoices, _INVOICES_WRITE),
    _route("GET", f"{_A}/Invoices/{{id}}", partial(api_reads.get_one, collection="Invoices"), _INVOICES_READ),
    _route("POST", f"{_A}/Invoices/{{id}}", api_writes.update_invoice, _INVOICES_WRITE),
    _route("POST", f"{_A}/Invoices/{{id}}/Email", api_writes.email_invoice, _INVOICES_WRITE),
    _route("GET", f"{_A}/Invoices/{{id}}/OnlineInvoice", api_reads.get_online_invoice, _INVOICES_READ),
    _route("GET", f"{_A}/Contacts", partial(api_reads.list_collection, collection="Contacts"), _CONTACTS_READ),
    _route("PUT", f"{_A}/Contacts", api_writes.put_contacts, _CONTACTS_WRITE),
    _route("POST", f"{_A}/Contacts", api_writes.put_contacts, _CONTACTS_WRITE),
    _route("GET", f"{_A}/Contacts/{{id}}", partial(api_reads.get_one, collection="Contacts"), _CONTACTS_READ),
    _route("GET", f"{_A}/Payments", partial(api_reads.list_collection, collection="Payments"), _PAYMENTS_READ),
    _route("PUT", f"{_A}/Payments", api_writes.put_payments, _PAYMENTS_WRITE),
    _route("POST", f"{_A}/Payments", api_writes.put_payments, _PAYMENTS_WRITE),
    _route("GET", f"{_A}/Payments/{{id}}", partial(api_reads.get_one, collection="Payments"), _PAYMENTS_READ),
    _route("GET", f"{_A}/CreditNotes", partial(api_reads.list_collection, collection="CreditNotes"), _INVOICES_READ),
    _route("GET", f"{_A}/CreditNotes/{{id}}", partial(api_reads.get_one, collection="CreditNotes"), _INVOICES_READ),
    _route("GET", f"{_A}/Accounts", partial(api_reads.list_collection, collection="Accounts"), _SETTINGS_READ),
    _route("GET", f"{_A}/Items", partial(api_reads.list_collection, collection="Items"),
           _SETTINGS_READ | _INVOICES_READ),
    _route("GET", f"{_A}/TaxRates", partial(api_reads.list_collection, collection="TaxRates"), _SETTINGS_READ),
    _route("GET", f"{_A}/Currencies", partial(api_reads.list_collection, collection="Currencies"), _SETTINGS_READ),
    _route("GET", f"{_A}/Organisation", api_reads.get_organisation, _SETTINGS_READ),
]


def _match(method: str, path: str) -> tuple[ApiRoute, dict[str, str]] | None:
    for route in ROUTES:
        found = route.pattern.match(path)
        if found and route.method == method:
            return route, found.groupdict()
    return None


def _response(reply: Reply) -> Response:
    content, media_type = reply.encode()
    headers = {"Xero-Correlation-Id": str(uuid.uuid4()), **reply.headers}
    return Response(content, status_code=reply.status, media_type=media_type if content else None, headers=headers)


def _injected(failure: InjectedFailure) -> Reply:
    if failure.status == 429:
        return Reply(429, None, {"Retry-After": str(failure.retry_after), "X-Rate-Limit-Problem": failure.problem})
    if failure.status == 503:
        return Reply(503, "The Xero API is currently offline for maintenance")
    return Reply(failure.status, {"ErrorNumber": 500, "Type": "UnknownErrorException",
                                  "Message": "An error occurred in Xero. Check the API Status page for current "
                                             "service status."})


class ApiEndpoint:
    def __init__(self, state: XeroSandboxState) -> None:
        self.state = state

    async def handle(self, request: Request) -> Response:
        delay = self.state.faults.take_delay()
        if delay:
            await asyncio.sleep(delay)
        matched = _match(request.method, request.url.path)
        if matched is None:
            return _response(not_found())
        route, args = matched
        headers = {k.lower(): v for k, v in request.headers.items()}
        with self.state.lock:
            decision = self.state.oauth.check(headers.get("authorization"), headers.get("xero-tenant-id"),
                                              route.scopes, needs_tenant=route.needs_tenant)
        if isinstance(decision, Denied):
            return _response(Reply(decision.status, decision.body, decision.headers))
        quota_key = headers.get("xero-tenant-id", self.state.tenant_id).lower()
        admission = self.state.quota.admit(quota_key)
        if not admission.admitted:
            return _response(Reply(429, None, admission.headers))
        try:
            reply = await self._answer(request, route, args, headers, quota_key)
        finally:
            self.state.quota.release(quota_key)
        reply.headers = {**admission.headers, **reply.headers}
        return _response(reply)

    async def _answer(self, request: Request, route: ApiRoute, args: dict[str, str], headers: dict[str, str],
                      tenant: str) -> Reply:
        failure = self.state.faults.take_failure()
        if failure is not None:
            return _injected(failure)
        raw = await request.body()
        body: Any = None
        if raw and request.method in ("PUT", "POST"):
            try:
                body = json.loads(raw, parse_float=Decimal)
            except ValueError as exc:
                return post_data_invalid(str(exc))
        query = {k.lower(): v for k, v in request.query_params.items()}
        call = Call(self.state, request.method, request.url.path, query, headers, body, args, tenant)
        key = headers.get("idempotency-key") if request.method in ("PUT", "POST") else None
        with self.state.lock:
            return self._run_once(call, route, key, raw)

    def _run_once(self, call: Call, route: ApiRoute, key: str | None, raw: bytes) -> Reply:
        if key is None:
            return route.handler(call)
        if len(key) > MAX_IDEMPOTENCY_KEY:  # the spec: "128 character max"
            return Reply(400, {"ErrorNumber": 10, "Type": "ValidationException", "Message":
                               f"The Idempotency-Key must be at most {MAX_IDEMPOTENCY_KEY} characters"})
        request_print = fingerprint(call.method, call.path + "?" + urlencode(sorted(call.query.items())), raw)
        stored = self.state.idempotency.lookup(call.tenant_id, key)
        if stored is not None:
            if stored.fingerprint != request_print:
                return Reply(400, {"ErrorNumber": 10, "Type": "ValidationException", "Message":
                                   "The Idempotency-Key has already been used with a different request"})
            return Reply(stored.status, raw=(stored.body, stored.content_type))
        reply = route.handler(call)
        if reply.status < 500:
            content, media_type = reply.encode()
            self.state.idempotency.remember(call.tenant_id, key, StoredResponse(request_print, reply.status, content,
                                                                                 media_type))
        return reply


async def token_endpoint(state: XeroSandboxState, request: Request) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    with state.lock:
        status, body = state.oauth.token(form, request.headers.get("authorization"))
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


async def authorize_endpoint(state: XeroSandboxState, request: Request) -> Response:
    with state.lock:
        redirect_uri, query = state.oauth.authorize(dict(request.query_params))
    if redirect_uri is None:
        return HTMLResponse(f"<h1>Error</h1><p>{query['error']}</p>", status_code=400)
    separator = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(f"{redirect_uri}{separator}{urlencode(query)}", status_code=302)


def create_app(state: XeroSandboxState) -> Starlette:
    api = ApiEndpoint(state)
    return Starlette(routes=[
        Route("/connect/token", partial(token_endpoint, state), methods=["POST"]),
        Route("/identity/connect/authorize", partial(authorize_endpoint, state), methods=["GET"]),
        Mount("/__sandbox__", routes=control_routes(state)),
        Route("/{path:path}", api.handle, methods=["GET", "PUT", "POST", "DELETE"]),
    ])
