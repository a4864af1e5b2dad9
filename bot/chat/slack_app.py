"""The Slack side of the composition: a Bolt ``App`` on our WebClient, the handlers registered with
the services they may use, and the Starlette endpoint that serves it over HTTP.

Only composition here: listeners live in ``handlers/slack``; the services they call are the
``Paidup`` properties named in ``handlers.slack.dispatch.ROUTES``.
"""

from __future__ import annotations

import logging
from typing import Protocol

from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_bolt.error import BoltError
from slack_bolt.request.internals import parse_body
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

import handlers.slack
import handlers.slack.alerts
from bot.chat.answer_lane import AnswerLane
from bot.chat.modes import require_slack_secrets
from bot.chat.response_url import ResponseUrlPoster, kept_alive_respond
from bot.chat.seen_events import SeenEvents
from bot.config import AppConfig, ConfigError, Settings
from bot.store.session import Database
from bot.web import SlackEndpoint
from handlers.slack.services import SlackServices

log = logging.getLogger(__name__)
MAX_SLACK_BODY = 1_000_000  # Slack's payloads are far smaller; refuse anything bigger unread


class ServiceSource(Protocol):
    """What the Slack app needs from the composition root (``bot.app.Paidup``)."""

    settings: Settings
    config: AppConfig

    @property
    def db(self) -> Database: ...


def find_service(source: object, name: str) -> object | None:
    """``source.<name>`` when the bot defines that service (its class has the attribute), else None.
    A service that exists but fails to build raises, and the error handler tells the person."""
    if name.startswith("_") or not hasattr(type(source), name):
        return None
    return getattr(source, name)


def slack_services(source: ServiceSource) -> SlackServices:
    seen = SeenEvents(source.db)
    return SlackServices(command=source.config.slack.command, answers=source.config.slack.answers,
                         first_time=seen.first_time, find=lambda name: find_service(source, name))


def build_slack_app(settings: Settings, services: SlackServices, *, socket_mode: bool = False) -> App:
    """The Bolt app; calls auth.test once (Bolt learns the bot's user id from it). Over HTTP every
    request's signature is verified; Socket Mode requests are not signed, so there it may be absent."""
    require_slack_secrets(settings, socket_mode=socket_mode)
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    client = WebClient(token=token, base_url=settings.slack_api_url, timeout=10)
    lane = AnswerLane()  # acks at once; at most a few answers at a time after their acks
    try:
        app = App(client=client, signing_secret=secret, request_verification_enabled=bool(secret) or not socket_mode,
                  process_before_response=False, ignoring_self_events_enabled=True,
                  listener_executor=lane.executor,
                  logger=logging.getLogger("paidup.slack"))
    except BoltError as exc:  # auth.test answered ok: false
        raise ConfigError(f"Slack refused SLACK_BOT_TOKEN ({exc}); copy the Bot User OAuth Token (xoxb-...) "
                          "from the Slack app's OAuth & Permissions page") from None
    except OSError as exc:  # urllib's URLError: Slack (SLACK_API_URL) could not be reached
        raise ConfigError(f"cannot reach Slack at {settings.slack_api_url} ({getattr(exc, 'reason', exc)}); "
                          "check SLACK_API_URL and the network") from None
    app.use(lane.middleware)  # before the listeners' own middleware: every listener gets the gated ack
    app.use(kept_alive_respond(ResponseUrlPoster()))  # answers reuse connections to Slack's response_url
    handlers.slack.register(app, services)
    handlers.slack.alerts.register(app, services)  # snooze, promise to pay, retry/ignore, remind me when paid
    return app


def slack_endpoint(app: App, signing_secret: str) -> SlackEndpoint:
    """``POST /slack/events`` for ``Paidup.web_app(slack=...)``. A request whose signature is wrong or
    older than 5 minutes gets 401; a body too large gets 413, one that does not parse as Slack's
    form or JSON object 400, so Bolt only ever sees well-formed, signed requests."""
    verifier = SignatureVerifier(signing_secret)

    async def endpoint(request: Request) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_SLACK_BODY):
            return JSONResponse({"error": "request too large"}, status_code=413)
        raw = await request.body()  # Starlette keeps it: the Bolt handler reads the same bytes
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return JSONResponse({"error": "malformed request"}, status_code=400)
        if not verifier.is_valid_request(body, dict(request.headers)):
            return JSONResponse({"error": "invalid request"}, status_code=401)
        if not well_formed(body, request.headers.get("content-type")):
            log.warning("slack.request.malformed", extra={"content_type": request.headers.get("content-type")})
            return JSONResponse({"error": "malformed request"}, status_code=400)
        # Bolt's Starlette adapter dispatches on the event loop, so one slow listener would hold every
        # other request's ack: dispatch in a worker thread instead.
        bolt_response = await run_in_threadpool(app.dispatch, to_bolt_request(request, raw))
        return to_starlette_response(bolt_response)

    return endpoint


def well_formed(body: str, content_type: str | None) -> bool:
    """What Bolt can take: JSON, a form, or a form's ``payload=<JSON>`` that parses into an object."""
    try:
        parsed = parse_body(body, content_type)
    except ValueError:
        return False
    return isinstance(parsed, dict)
