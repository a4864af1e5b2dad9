"""The sandbox's control API under ``/__sandbox__/`` (not part of Xero): the Python control
methods of ``XeroSandboxState`` over HTTP, for the demo and for tests in other processes.

    POST /__sandbox__/invoices/generate      {"count": 1000, "contacts": 100}
    POST /__sandbox__/contacts/generate      {"count": 10}
    POST /__sandbox__/payments               {"invoice": "INV-0042", "amount": "100.00", "reference": "..."}
    POST /__sandbox__/credit-notes           {"invoice": "INV-0043", "amount": "50.00"}
    POST /__sandbox__/contacts/{key}/archive
    PUT  /__sandbox__/webhooks               {"url": "http://127.0.0.1:3000/xero/webhooks", "auto_send": true}
    POST /__sandbox__/webhooks/send          {"category": "INVOICE", "resource_id": "...", "event_type": "UPDATE"}
    POST /__sandbox__/webhooks/intent-to-receive  {"signed_correctly": true}
    POST /__sandbox__/faults                 {"fail_next": {"count": 2, "status": 429, "retry_after": 1,
                                               "problem": "minute"}, "slow_next": {...}, "reject_writes_to":
                                               {...}, "corrupt_in_listings": {...}, "deny_next_authorization": true}
    DELETE /__sandbox__/faults
    PUT  /__sandbox__/limits                 {"per_minute": 60, "per_day": 5000, ...}
    POST /__sandbox__/tokens                 {"scopes": [...], "custom_connection": false}
    POST /__sandbox__/tokens/expire
    PUT  /__sandbox__/today                  {"today": "2026-07-01"}
    GET  /__sandbox__/state
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from integrations.xero import json_codec
from integrations.xero.sandbox.invoicing import Rejected

if TYPE_CHECKING:
    from integrations.xero.sandbox.state import XeroSandboxState

Action = Callable[["XeroSandboxState", dict[str, Any], dict[str, str]], Any]


def _faults(state: XeroSandboxState, body: dict[str, Any], _: dict[str, str]) -> dict[str, str]:
    faults = state.faults
    if "fail_next" in body:
        faults.fail_next(**body["fail_next"])
    if "slow_next" in body:
        faults.slow_next(**body["slow_next"])
    if "reject_writes_to" in body:
        faults.reject_writes_to(**body["reject_writes_to"])
    if "corrupt_in_listings" in body:
        faults.corrupt_in_listings(**body["corrupt_in_listings"])
    if body.get("deny_next_authorization"):
        state.oauth.deny_next_authorization = True
    return {"status": "ok"}


def _webhook_config(state: XeroSandboxState, body: dict[str, Any], _: dict[str, str]) -> dict[str, Any]:
    state.webhooks.url = body.get("url")
    state.webhooks.auto_send = bool(body.get("auto_send", False))
    return {"url": state.webhooks.url, "auto_send": state.webhooks.auto_send}


def _set_today(state: XeroSandboxState, body: dict[str, Any], _: dict[str, str]) -> dict[str, str]:
    state.today = date.fromisoformat(body["today"])
    return {"today": state.today.isoformat()}


def _summary(state: XeroSandboxState, _: dict[str, Any], __: dict[str, str]) -> dict[str, Any]:
    return {"counts": state.counts(), "today": state.today.isoformat(), "emails_sent": len(state.sent_emails),
            "webhook_deliveries": len(state.webhooks.deliveries), "token_requests": state.oauth.token_requests,
            "quota": state.quota.remaining(state.tenant_id), "base_url": state.base_url}


ACTIONS: list[tuple[str, str, Action]] = [
    ("POST", "/invoices/generate", lambda s, b, _: {"created": len(s.add_invoices(
        int(b.get("count", 1)), contacts=int(b.get("contacts", 100))))}),
    ("POST", "/contacts/generate", lambda s, b, _: {"ContactIDs": s.add_contacts(int(b.get("count", 1)))}),
    ("POST", "/payments", lambda s, b, _: s.record_payment(b["invoice"], b.get("amount"),
                                                           reference=b.get("reference", ""),
                                                           notify=b.get("notify", True))),
    ("POST", "/credit-notes", lambda s, b, _: s.add_credit_note(b["invoice"], b["amount"],
                                                                notify=b.get("notify", True))),
    ("POST", "/contacts/{key}/archive", lambda s, b, p: s.archive_contact(p["key"]) or {"status": "ok"}),
    ("PUT", "/webhooks", _webhook_config),
    ("POST", "/webhooks/send", lambda s, b, _: {"status": s.send_webhook(b["category"], b["resource_id"],
                                                                          b.get("event_type", "UPDATE"))}),
    ("POST", "/webhooks/intent-to-receive", lambda s, b, _: {"status": s.send_intent_to_receive(
        signed_correctly=b.get("signed_correctly", True))}),
    ("POST", "/faults", _faults),
    ("DELETE", "/faults", lambda s, b, _: s.faults.clear() or {"status": "ok"}),
    ("PUT", "/limits", lambda s, b, _: s.set_limits(**{k: int(v) for k, v in b.items()}) or {"status": "ok"}),
    ("POST", "/tokens", lambda s, b, _: s.oauth.issue(set(b.get("scopes") or []),
                                                      custom_connection=bool(b.get("custom_connection")))),
    ("POST", "/tokens/expire", lambda s, b, _: s.expire_access_tokens() or {"status": "ok"}),
    ("PUT", "/today", _set_today),
    ("GET", "/state", _summary),
]


def _endpoint(state: XeroSandboxState, action: Action) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        raw = await request.body()
        body = json_codec.loads(raw) if raw else {}
        try:
            result = await run_in_threadpool(action, state, body if isinstance(body, dict) else {},
                                             dict(request.path_params))
        except (KeyError, TypeError, ValueError, Rejected) as exc:
            return JSONResponse({"error": type(exc).__name__, "message": str(exc)}, status_code=400)
        return Response(json_codec.dumps(result), media_type="application/json")
    return endpoint


def control_routes(state: XeroSandboxState) -> list[Route]:
    return [Route(path, _endpoint(state, action), methods=[method]) for method, path, action in ACTIONS]
