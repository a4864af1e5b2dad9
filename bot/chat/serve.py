"""`paidup serve`: migrate, start the scheduler and the webhook worker, then talk to Slack over
Socket Mode or HTTP until SIGTERM/SIGINT, and shut down cleanly."""

from __future__ import annotations

import gc
import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import uvicorn
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import Paidup
from bot.chat.modes import require_slack_secrets, socket_mode_wanted
from bot.chat.slack_app import build_slack_app, slack_endpoint, slack_services
from bot.domain.money import format_money
from bot.jobs import alert_jobs, build_scheduler, invoicing_jobs, report_jobs, sync_jobs
from integrations.loopback import LoopbackServer

log = logging.getLogger(__name__)
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextmanager
def background_work(paidup: Paidup) -> Iterator[None]:
    """The scheduler (syncs, reconcile, retries, webhook sweep, alerts, reports, invoice recovery) and the
    webhook worker, while serving."""
    jobs = (sync_jobs(paidup.config, paidup.sync) + alert_jobs(paidup.config, paidup.alerts)
            + report_jobs(paidup.config, paidup.weekly_report) + invoicing_jobs(paidup.config, paidup.invoicing))
    scheduler = build_scheduler(jobs, paidup.config.alerts.timezone)
    scheduler.start()
    paidup.webhook_worker.start()
    try:
        yield
    finally:
        scheduler.shutdown(wait=False)
        paidup.webhook_worker.stop()


def serve(paidup: Paidup, *, force_http: bool = False, port: int | None = None) -> str:
    """Run until a signal; returns the mode it ran in ("socket" or "http"). ConfigError before anything starts."""
    settings = paidup.settings
    if settings.teams_app_id and settings.slack_bot_token is None:  # Teams only: HTTP, POST /api/messages
        teams = paidup.teams_endpoint()  # a missing TEAMS_APP_PASSWORD is a ConfigError before anything starts
        paidup.migrate()
        warm_up(paidup)
        with background_work(paidup):
            run_http(paidup.web_app(teams=teams), settings.port if port is None else port)
        return "http"
    socket_mode = socket_mode_wanted(settings, paidup.config, force_http=force_http)
    require_slack_secrets(settings, socket_mode=socket_mode)
    paidup.migrate()
    warm_up(paidup)
    app = build_slack_app(settings, slack_services(paidup), socket_mode=socket_mode)
    with background_work(paidup):
        if socket_mode:
            assert settings.slack_app_token is not None  # checked by require_slack_secrets
            with teams_beside_socket_mode(paidup, settings.port if port is None else port):
                run_socket_mode(SocketModeHandler(app, settings.slack_app_token.get_secret_value()))
        else:
            assert settings.slack_signing_secret is not None  # checked by require_slack_secrets
            endpoint = slack_endpoint(app, settings.slack_signing_secret.get_secret_value())
            run_http(paidup.web_app(slack=endpoint), settings.port if port is None else port)
    return "socket" if socket_mode else "http"


def warm_up(paidup: Paidup) -> None:
    """Before serving, what the first answers would otherwise each do at once: build the name
    index, compile the status statements, load Babel's locale data (~0.1 s alone). A failure
    here only makes the first answers slower, so it is logged, not raised."""
    started = time.perf_counter()
    try:
        paidup.status.warm()
        format_money(Decimal(0), "USD")
    except Exception:  # a cold start is slower, not broken
        log.warning("serve.warm_up.failed", exc_info=True)
        return
    # The name index is ~10^6 long-lived objects at 50,000 accounts: left to the collector, the
    # first full collection while serving walks them all (hundreds of ms holding the GIL, in the
    # first answers). Collect once now and move what is alive out of the collector's sight;
    # refcounting still frees it when a rebuilt index replaces it.
    gc.collect()
    gc.freeze()
    log.info("serve.warm_up", extra={"seconds": round(time.perf_counter() - started, 2)})


@contextmanager
def teams_beside_socket_mode(paidup: Paidup, port: int) -> Iterator[None]:
    """Slack over Socket Mode needs no HTTP server, but Teams posts to /api/messages: when Teams is
    set up too, serve the HTTP endpoints on ``port`` in a background thread meanwhile."""
    if not paidup.settings.teams_app_id:
        yield
        return
    with LoopbackServer(paidup.web_app(teams=paidup.teams_endpoint()), host="0.0.0.0", port=port):  # noqa: S104
        log.info("serve.teams.listening", extra={"port": port})
        yield


@contextmanager
def stop_signals() -> Iterator[threading.Event]:
    """SIGTERM/SIGINT set the yielded event instead of killing the process, so shutdown runs its
    ``finally`` blocks; the previous handlers come back afterwards."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in STOP_SIGNALS}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_socket_mode(handler: SocketModeHandler) -> None:
    with stop_signals() as stop:
        handler.connect()
        log.info("serve.socket_mode.connected")
        try:
            stop.wait()
        finally:
            handler.close()


def run_http(web_app: object, port: int) -> None:
    """uvicorn on 0.0.0.0:port. uvicorn catches SIGTERM/SIGINT itself (finishes in-flight requests)
    and re-raises the signal when done; ``stop_signals`` turns that into a normal return."""
    config = uvicorn.Config(web_app, host="0.0.0.0", port=port, log_level="warning", lifespan="off",  # noqa: S104
                            access_log=False, timeout_graceful_shutdown=10)
    with stop_signals():
        log.info("serve.http.listening", extra={"port": port})
        uvicorn.Server(config).run()
