"""The local OAuth callback: a tiny ASGI app that captures the first ``/callback`` query."""

from __future__ import annotations

import threading

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from integrations.xero.errors import XeroAuthError

_DONE_PAGE = "<html><body><h1>Paidup is connected to Xero.</h1><p>You can close this window.</p></body></html>"


class OAuthCallbackReceiver:
    """``receiver.wait(timeout)`` returns the callback's query parameters (code, state or error)."""

    def __init__(self, path: str = "/callback") -> None:
        self.path = path
        self._params: dict[str, str] | None = None
        self._arrived = threading.Event()
        self._routes = [Route(path, self._callback)]

    async def _callback(self, request: Request) -> HTMLResponse:
        if not self._arrived.is_set():
            self._params = dict(request.query_params)
            self._arrived.set()
        return HTMLResponse(_DONE_PAGE)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        for route in self._routes:
            if scope["type"] == "http" and scope["path"] == route.path:
                await route.handle(scope, receive, send)
                return
        await PlainTextResponse("not found", status_code=404)(scope, receive, send)

    def wait(self, timeout: float) -> dict[str, str]:
        if not self._arrived.wait(timeout):
            raise XeroAuthError(f"no authorisation callback within {timeout:.0f} s")
        return dict(self._params or {})
