"""Control endpoints under ``/__sandbox__/``, for the demo and for tests in another process.

- ``POST /__sandbox__/faults`` ``{"expire_sessions": true, "limit_exceeded": bool, "fail_next": n,
  "fail_status": 500|503, "latency": seconds, "api_used": n, "api_limit": n, "revoke_refresh_tokens": true,
  "expire_query_locators": true}``
- ``POST /__sandbox__/records/{Object}`` (fields) → 201 ``{"id"}``; ``PATCH``/``DELETE
  /__sandbox__/records/{Object}/{id}`` → 204 (no API rules: read-only fields may be set)
- ``POST /__sandbox__/generate`` ``{"accounts": n, "opportunities": n, "lines_per_opportunity": n}``
- ``GET /__sandbox__/stats``: usage, token requests by grant, record counts, recent calls
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from integrations.salesforce.sandbox.seed import generate
from integrations.salesforce.sandbox.state import SalesforceState
from integrations.salesforce.sandbox.values import FieldValueError


async def _json(request: Request) -> dict[str, Any]:
    body = json.loads(await request.body() or b"{}", parse_float=Decimal)
    if not isinstance(body, dict):
        raise ValueError("expected a JSON object")
    return body


def _state(request: Request) -> SalesforceState:
    return request.app.state.salesforce


def _bad(exc: Exception) -> Response:
    return JSONResponse({"error": str(exc)}, status_code=400)


async def faults(request: Request) -> Response:
    state, body = _state(request), await _json(request)
    if body.get("expire_sessions"):
        state.expire_sessions()
    if body.get("revoke_refresh_tokens"):
        state.revoke_refresh_tokens()
    if body.get("expire_query_locators"):
        state.expire_query_locators()
    if "limit_exceeded" in body:
        state.set_limit_exceeded(bool(body["limit_exceeded"]))
    if "fail_next" in body:
        state.fail_next(int(body["fail_next"]), int(body.get("fail_status", 500)))
    if "latency" in body:
        state.set_latency(float(body["latency"]))
    if "api_used" in body or "api_limit" in body:
        state.set_api_usage(int(body.get("api_used", state.api_used)), body.get("api_limit"))
    return JSONResponse({"ok": True})


async def records(request: Request) -> Response:
    state, sobject = _state(request), request.path_params["sobject"]
    try:
        if request.method == "POST":
            return JSONResponse({"id": state.create(sobject, await _json(request))}, status_code=201)
        record_id = request.path_params["record_id"]
        if request.method == "PATCH":
            state.update(sobject, record_id, await _json(request))
        else:
            state.delete(sobject, record_id)
    except (KeyError, ValueError, FieldValueError) as exc:
        return _bad(exc)
    return Response(status_code=204)


async def generate_records(request: Request) -> Response:
    state, body = _state(request), await _json(request)
    made = generate(state, int(body.get("accounts", 0)), int(body.get("opportunities", 0)),
                    int(body.get("lines_per_opportunity", 2)))
    return JSONResponse(made)


async def stats(request: Request) -> Response:
    state = _state(request)
    with state.lock:
        counts = {obj.name: state.count(obj.name) for obj in state.schema.values()}
        return JSONResponse({"api_used": state.api_used, "api_limit": state.api_limit,
                             "token_requests": dict(state.oauth.token_requests), "records": counts,
                             "recent_requests": list(state.requests)[-50:]})


def control_routes() -> list[Route]:
    return [
        Route("/faults", faults, methods=["POST"]),
        Route("/records/{sobject}", records, methods=["POST"]),
        Route("/records/{sobject}/{record_id}", records, methods=["PATCH", "DELETE"]),
        Route("/generate", generate_records, methods=["POST"]),
        Route("/stats", stats, methods=["GET"]),
    ]
