"""`paidup connect xero|salesforce`: the browser round trip, with a callback server on loopback.

The callback server listens on 127.0.0.1:PORT (the redirect URIs to register are
``http://localhost:PORT/xero/callback`` and ``http://localhost:PORT/salesforce/callback``), shows
the login URL, waits for the callback and stores the tokens encrypted.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from bot.app import SALESFORCE_CALLBACK, Paidup
from bot.config import ConfigError
from bot.web import XeroConnectPages, create_web_app
from integrations.loopback import LoopbackServer
from integrations.salesforce.auth import PROVIDER as SALESFORCE
from integrations.salesforce.web_flow import Pkce, WebServerAuth

TIMEOUT = 300.0


@dataclass
class Outcome:
    done: threading.Event
    result: str | None = None
    error: Exception | None = None


def _capture(outcome: Outcome, finish: Callable[[dict[str, str]], str]) -> Callable[[dict[str, str]], str]:
    def wrapped(params: dict[str, str]) -> str:
        try:
            outcome.result = finish(params)
            return outcome.result
        except Exception as exc:
            outcome.error = exc
            raise
        finally:
            outcome.done.set()

    return wrapped


def connect_xero(paidup: Paidup, show: Callable[[str], None], port: int) -> str:
    """Run the flow; the connected organisation's name."""
    connector = paidup.xero_connector
    outcome = Outcome(threading.Event())
    pages = XeroConnectPages(connector.start, _capture(outcome, lambda p: connector.finish(p).tenant_name))
    with LoopbackServer(create_web_app(lambda: {}, None, None, pages), port=port) as server:
        show(connector.start(f"http://localhost:{server.port}/xero/callback"))
        if not outcome.done.wait(TIMEOUT):
            raise ConfigError("no answer from Xero within 5 minutes; run `paidup connect xero` again")
    if outcome.error is not None:
        raise ConfigError(f"Xero was not connected: {outcome.error}")
    return outcome.result or ""


def connect_salesforce(paidup: Paidup, show: Callable[[str], None], port: int) -> str:
    """Web-server flow with PKCE; the instance URL now connected."""
    s = paidup.settings
    if not s.salesforce_client_id:
        raise ConfigError("SALESFORCE_CLIENT_ID is not set (see README: Salesforce)")
    secret = s.salesforce_client_secret.get_secret_value() if s.salesforce_client_secret else None
    outcome = Outcome(threading.Event())
    state, pkce = secrets.token_urlsafe(24), Pkce.generate()
    handlers: dict[str, Callable[[dict[str, str]], str]] = {}

    async def callback(request: Request) -> HTMLResponse:
        try:
            where = await run_in_threadpool(handlers["finish"], dict(request.query_params))
        except Exception as exc:  # noqa: BLE001 - shown to the person connecting
            return HTMLResponse(f"<h1>Salesforce was not connected</h1><p>{exc}</p>", status_code=400)
        return HTMLResponse(f"<h1>Paidup is connected to {where}.</h1><p>You can close this window.</p>")

    with LoopbackServer(Starlette(routes=[Route("/salesforce/callback", callback)]), port=port) as server:
        redirect = SALESFORCE_CALLBACK.format(port=server.port)
        auth = WebServerAuth(paidup.http, s.salesforce_login_url, s.salesforce_client_id, secret, redirect,
                             store=paidup.token_store)

        def finish(params: dict[str, str]) -> str:
            if params.get("error"):
                raise ConfigError(f"Salesforce said {params['error']}: {params.get('error_description', '')}")
            if not secrets.compare_digest(params.get("state", ""), state):
                raise ConfigError("the callback's state does not match this request")
            session = auth.exchange_code(params.get("code", ""), pkce)
            with paidup.token_store.lock(SALESFORCE):
                tokens = paidup.token_store.load(SALESFORCE)
                if tokens is not None:
                    paidup.token_store.save(SALESFORCE, tokens.model_copy(
                        update={"extra": {**tokens.extra, "redirect_uri": redirect}}))
            return session.instance_url

        handlers["finish"] = _capture(outcome, finish)
        show(auth.authorization_url(state, pkce))
        if not outcome.done.wait(TIMEOUT):
            raise ConfigError("no answer from Salesforce within 5 minutes; run `paidup connect salesforce` again")
    if outcome.error is not None:
        raise ConfigError(f"Salesforce was not connected: {outcome.error}")
    return outcome.result or ""
