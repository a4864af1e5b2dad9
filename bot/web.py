"""The HTTP endpoints of `paidup serve --http` (and of the demo):

- ``POST /slack/events``: events, slash commands, interactivity and options (Bolt);
- ``POST /api/messages``: Microsoft Teams activities (Bot Framework, JWT-authenticated);
- ``POST /xero/webhooks``: Xero webhooks, answered in milliseconds with an empty body;
- ``GET /xero/connect`` and ``GET /xero/callback``: the Xero authorization-code flow;
- ``GET /healthz``: liveness and mirror freshness, for a load balancer or a person.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.services.health import health
from bot.store.base import utcnow
from bot.store.session import Database
from bot.sync.webhooks import XeroWebhookInbox

log = logging.getLogger(__name__)
SlackEndpoint = Callable[[Request], Awaitable[Response]]
TeamsEndpoint = Callable[[Request], Awaitable[Response]]
MAX_WEBHOOK_BYTES = 1_000_000


class XeroConnectPages:
    """The browser side of `GET /xero/connect` → Xero → `GET /xero/callback`."""

    def __init__(self, start: Callable[[str], str], finish: Callable[[dict[str, str]], str]) -> None:
        self.start = start  # redirect URI → Xero login URL
        self.finish = finish  # callback query → the connected organisation's name


def create_web_app(db_health: Callable[[], dict], inbox: XeroWebhookInbox | None,
                   slack: SlackEndpoint | None = None, connect: XeroConnectPages | None = None,
                   teams: TeamsEndpoint | None = None) -> Starlette:
    async def healthz(request: Request) -> JSONResponse:
        try:
            body = await run_in_threadpool(db_health)
        except Exception as exc:  # noqa: BLE001 - a health check reports, it doesn't crash
            log.warning("healthz.failed", extra={"error": str(exc)})
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return JSONResponse(body)

    async def xero_webhooks(request: Request) -> Response:
        body = await request.body()
        if inbox is None or len(body) > MAX_WEBHOOK_BYTES:
            return Response(status_code=401 if inbox is None else 413)
        status = await run_in_threadpool(inbox.receive, body, request.headers.get("x-xero-signature"))
        return Response(status_code=status)  # empty body, as Xero requires

    async def xero_connect(request: Request) -> Response:
        if connect is None:
            return HTMLResponse("Xero is not configured (XERO_CLIENT_ID is not set).", status_code=404)
        redirect_uri = str(request.url_for("xero_callback"))
        return RedirectResponse(await run_in_threadpool(connect.start, redirect_uri), status_code=302)

    async def xero_callback(request: Request) -> Response:
        if connect is None:
            return HTMLResponse("Xero is not configured (XERO_CLIENT_ID is not set).", status_code=404)
        try:
            name = await run_in_threadpool(connect.finish, dict(request.query_params))
        except Exception as exc:  # noqa: BLE001 - shown to the person who is connecting
            return HTMLResponse(f"<h1>Xero was not connected</h1><p>{_escape(str(exc))}</p>", status_code=400)
        return HTMLResponse(f"<h1>Paidup is connected to {_escape(name)}.</h1><p>You can close this window.</p>")

    async def slack_events(request: Request) -> Response:
        if slack is None:
            return JSONResponse({"error": "Slack is not configured on this server"}, status_code=404)
        return await slack(request)

    async def teams_messages(request: Request) -> Response:
        if teams is None:
            return JSONResponse({"error": "Teams is not configured on this server"}, status_code=404)
        return await teams(request)

    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/xero/webhooks", xero_webhooks, methods=["POST"]),
        Route("/xero/connect", xero_connect, methods=["GET"]),
        Route("/xero/callback", xero_callback, methods=["GET"], name="xero_callback"),
        Route("/slack/events", slack_events, methods=["POST"]),
        Route("/api/messages", teams_messages, methods=["POST"]),
    ]
    return Starlette(routes=routes)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mirror_health(db: Database, stale_after: timedelta) -> Callable[[], dict]:
    """The /healthz body: the database answers, and each source's last good sync."""

    def check() -> dict:
        report = health(db, stuck_before=utcnow() - timedelta(hours=1))
        now = utcnow()
        sources = {}
        for source in report.sources:
            age = (now - source.last_success).total_seconds() if source.last_success else None
            sources[source.source] = {"last_success": source.last_success.isoformat() if source.last_success else None,
                                      "stale": age is None or age > stale_after.total_seconds(),
                                      "open_failures": source.open_failures}
        return {"status": "ok", "database": "ok", "sources": sources}

    return check
