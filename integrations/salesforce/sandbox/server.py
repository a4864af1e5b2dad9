"""The sandbox as a Starlette app: Salesforce's OAuth endpoints, the REST data API, and control
endpoints under ``/__sandbox__/``.

Every data API response carries ``Sforce-Limit-Info: api-usage=used/max``. Before a resource
runs: the configured latency, the bearer token (401 INVALID_SESSION_ID), the daily limit (403
REQUEST_LIMIT_EXCEEDED), then staged 5xx faults. Each authorised call counts against the limit.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from integrations.salesforce.sandbox import rest_api
from integrations.salesforce.sandbox.control import control_routes
from integrations.salesforce.sandbox.oauth import OAuthError
from integrations.salesforce.sandbox.rest_api import NOT_FOUND, ApiError
from integrations.salesforce.sandbox.state import SalesforceState

_VERSION = re.compile(r"(\d{2})\.0")
MIN_VERSION, MAX_VERSION = 31, 68
_FAULTS = {500: ("UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you contact "
                                      "support: 1234567890-12345 (-1)"),
           503: ("SERVER_UNAVAILABLE", "Server unavailable, please try again later")}
Handler = Callable[[Request, SalesforceState, str, bytes], Any]


def sf_json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")), status_code=status,
                    media_type="application/json;charset=UTF-8")


def data_api(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        state: SalesforceState = request.app.state.salesforce
        if state.faults.latency:
            await asyncio.sleep(state.faults.latency)
        raw = await request.body() if request.method in ("PATCH", "POST") else b""
        with state.lock:
            try:
                response = _run(request, state, handler, raw)
            except ApiError as exc:
                response = sf_json(exc.body(), exc.status)
            response.headers["Sforce-Limit-Info"] = f"api-usage={state.api_used}/{state.api_limit}"
            state.requests.append(f"{request.method} {request.url.path}")
        return response
    return endpoint


def _run(request: Request, state: SalesforceState, handler: Handler, raw: bytes) -> Response:
    version = request.path_params.get("version", "")
    match = _VERSION.fullmatch(version)
    if match is None or not MIN_VERSION <= int(match.group(1)) <= MAX_VERSION:
        raise ApiError(404, "NOT_FOUND", NOT_FOUND)
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() not in ("bearer", "oauth") or state.oauth.session(token.strip()) is None:
        raise ApiError(401, "INVALID_SESSION_ID", "Session expired or invalid")
    if state.faults.limit_exceeded or state.api_used >= state.api_limit:
        raise ApiError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
    state.api_used += 1
    if state.faults.fail_next > 0:
        state.faults.fail_next -= 1
        status = state.faults.fail_status
        code, message = _FAULTS.get(status, _FAULTS[500])
        raise ApiError(status, code, message)
    result = handler(request, state, version, raw)
    return result if isinstance(result, Response) else sf_json(result)


def _query(request: Request, state: SalesforceState, version: str, raw: bytes) -> Any:
    return rest_api.query(request, state, version, include_deleted=False)


def _query_all(request: Request, state: SalesforceState, version: str, raw: bytes) -> Any:
    return rest_api.query(request, state, version, include_deleted=True)


def _query_more(request: Request, state: SalesforceState, version: str, raw: bytes) -> Any:
    return rest_api.query_more(state, version, request.path_params["locator"])


def _describe(request: Request, state: SalesforceState, version: str, raw: bytes) -> Any:
    return rest_api.describe(state, request.path_params["sobject"])


def _updated(request: Request, state: SalesforceState, version: str, raw: bytes) -> Any:
    return rest_api.updated(request, state, request.path_params["sobject"])


def _deleted(request: Request, state: SalesforceState, version: str, raw: bytes) -> Any:
    return rest_api.deleted(request, state, request.path_params["sobject"])


def _record(request: Request, state: SalesforceState, version: str, raw: bytes) -> Any:
    sobject, record_id = request.path_params["sobject"], request.path_params["record_id"]
    if request.method == "PATCH":
        rest_api.patch_record(state, sobject, record_id, raw)
        return Response(status_code=204)
    return rest_api.get_record(request, state, version, sobject, record_id)


def _limits(request: Request, state: SalesforceState, version: str, raw: bytes) -> Any:
    return rest_api.limits(state)


async def versions(request: Request) -> Response:
    return sf_json([{"label": f"v{v}.0", "url": f"/services/data/v{v}.0", "version": f"{v}.0"}
                    for v in range(MIN_VERSION, MAX_VERSION + 1)])


async def token(request: Request) -> Response:
    state: SalesforceState = request.app.state.salesforce
    form = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
    base_url = str(request.base_url).rstrip("/")
    with state.lock:
        try:
            body = state.oauth.token(form, _basic_auth(request), base_url)
        except OAuthError as exc:
            return JSONResponse({"error": exc.error, "error_description": exc.description}, status_code=exc.status)
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


async def authorize(request: Request) -> Response:
    state: SalesforceState = request.app.state.salesforce
    with state.lock:
        try:
            location = state.oauth.authorize(dict(request.query_params))
        except OAuthError as exc:
            return PlainTextResponse(f"error={exc.error}&error_description={exc.description}", status_code=exc.status)
    return RedirectResponse(location, status_code=302)


def _basic_auth(request: Request) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return client_id, secret


def create_app(state: SalesforceState) -> Starlette:
    data = "/services/data/v{version}"
    routes = [
        Route("/services/oauth2/token", token, methods=["POST"]),
        Route("/services/oauth2/authorize", authorize, methods=["GET"]),
        Route("/services/data", versions), Route("/services/data/", versions),
        Route(f"{data}/query", data_api(_query)), Route(f"{data}/query/", data_api(_query)),
        Route(f"{data}/queryAll", data_api(_query_all)), Route(f"{data}/queryAll/", data_api(_query_all)),
        Route(f"{data}/query/{{locator}}", data_api(_query_more)),
        Route(f"{data}/limits", data_api(_limits)),
        Route(f"{data}/sobjects/{{sobject}}/describe", data_api(_describe)),
        Route(f"{data}/sobjects/{{sobject}}/updated", data_api(_updated)),
        Route(f"{data}/sobjects/{{sobject}}/updated/", data_api(_updated)),
        Route(f"{data}/sobjects/{{sobject}}/deleted", data_api(_deleted)),
        Route(f"{data}/sobjects/{{sobject}}/deleted/", data_api(_deleted)),
        Route(f"{data}/sobjects/{{sobject}}/{{record_id}}", data_api(_record), methods=["GET", "PATCH"]),
        Mount("/__sandbox__", routes=control_routes()),
    ]
    app = Starlette(routes=routes)
    app.state.salesforce = state
    return app
