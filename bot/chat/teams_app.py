"""The Teams side of the composition: the Bot Connector client with the bot's Entra credentials,
``handlers.teams.TeamsBot`` on the bot's services, and the Starlette endpoint ``POST /api/messages``
that authenticates each activity before the bot sees it.

SDK: Microsoft's Teams SDK for Python (``microsoft-teams-api`` for the activity models,
``microsoft-teams-cards`` for the card builders). Not its ``App`` runtime (``microsoft-teams-apps``):
that is an async FastAPI server of its own, acquires tokens through MSAL against
login.microsoftonline.com, and answers a malformed activity with 500, while Paidup serves Slack and
Teams from one Starlette app with synchronous services and a scheduler that sends from threads.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Protocol

from microsoft_teams.api import ActivityTypeAdapter
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.chat.slack_app import find_service
from bot.config import AppConfig, ConfigError, Settings
from bot.services.people import PeopleService
from bot.web import TeamsEndpoint
from handlers.teams import TeamsBot, TeamsServices
from handlers.teams.services import TeamsConnector
from integrations.teams import InboundTokenValidator, InvalidInboundToken

log = logging.getLogger(__name__)
MAX_ACTIVITY_BYTES = 1_000_000  # Teams activities are a few KB; refuse anything bigger unread


class ServiceSource(Protocol):
    settings: Settings
    config: AppConfig


def require_teams_credentials(settings: Settings) -> tuple[str, str]:
    if not settings.teams_app_id or settings.teams_app_password is None:
        raise ConfigError("Teams is not configured: set TEAMS_APP_ID and TEAMS_APP_PASSWORD (the Azure Bot's app "
                          "id and client secret) and TEAMS_TENANT_ID for a single-tenant bot "
                          "(see README: Microsoft Teams)")
    return settings.teams_app_id, settings.teams_app_password.get_secret_value()


def teams_services(source: ServiceSource, connector: TeamsConnector) -> TeamsServices:
    teams = source.config.teams
    return TeamsServices(connector=connector, find=lambda name: find_service(source, name), app_name=teams.app_name,
                         approvers=frozenset(teams.approvers), report_managers=frozenset(teams.report_managers))


class TeamsApprovers:
    """``teams.approvers`` (the invoicing service's ``ApproverCheck``): Entra object ids, or emails
    matched against the email Teams gave for the person (the people service's cache, filled when
    they first talked to the bot)."""

    def __init__(self, approvers: Iterable[str], email_of: Callable[[str], str | None]) -> None:
        listed = [a.lower() for a in approvers]
        self.ids = frozenset(a for a in listed if "@" not in a)
        self.emails = frozenset(a for a in listed if "@" in a)
        self.email_of = email_of

    def is_approver(self, user_id: str) -> bool:
        if user_id.lower() in self.ids:
            return True
        email = self.email_of(user_id) if self.emails else None
        return bool(email) and str(email).lower() in self.emails


def known_email(people: PeopleService, user_id: str) -> str | None:
    profile = people.known_profile(user_id)
    return profile.email if profile else None


def display_name(people: PeopleService, user_id: str) -> str:
    profile = people.known_profile(user_id)
    return profile.display_name if profile and profile.display_name else "a teammate"


async def read_capped(request: Request, limit: int) -> bytes | None:
    """The body, or None once it passes ``limit`` bytes (a chunked body has no Content-Length to refuse)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def teams_endpoint(bot: TeamsBot, validator: InboundTokenValidator) -> TeamsEndpoint:
    """``POST /api/messages``: 401 without a valid Bot Framework token for this bot (checked against
    the activity's serviceUrl and channel), 413 for a body too large, 400 for one that is not an
    activity; then the bot answers in a worker thread, and an invoke's result is the response body."""

    async def endpoint(request: Request) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_ACTIVITY_BYTES):
            return JSONResponse({"error": "request too large"}, status_code=413)
        authorization = request.headers.get("authorization")
        if not authorization or not authorization.startswith("Bearer "):
            return JSONResponse({"error": "Unauthorized"}, status_code=401)
        raw = await read_capped(request, MAX_ACTIVITY_BYTES)
        if raw is None:
            return JSONResponse({"error": "request too large"}, status_code=413)
        try:
            body = json.loads(raw)
        except ValueError:
            return JSONResponse({"error": "malformed activity"}, status_code=400)
        if not isinstance(body, dict) or not isinstance(body.get("serviceUrl"), str):
            return JSONResponse({"error": "malformed activity"}, status_code=400)
        channel = body.get("channelId") if isinstance(body.get("channelId"), str) else None
        try:
            await run_in_threadpool(validator.validate, authorization, body["serviceUrl"], channel)
        except InvalidInboundToken as exc:
            log.warning("teams.request.unauthorized", extra={"reason": str(exc)})
            return JSONResponse({"error": "Unauthorized"}, status_code=401)
        try:
            activity = ActivityTypeAdapter.validate_python(body)
        except ValidationError as exc:
            log.warning("teams.activity.malformed", extra={"type": str(body.get("type"))[:40],
                                                           "errors": exc.error_count()})
            return JSONResponse({"error": "malformed activity"}, status_code=400)
        result = await run_in_threadpool(bot.handle, activity)
        if result is None:
            return Response(status_code=200)
        if result.body is None:
            return Response(status_code=result.status)
        return JSONResponse(result.body, status_code=result.status)

    return endpoint
