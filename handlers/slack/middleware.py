"""Global middleware: an Events API delivery seen before (a Slack retry, or a redelivery after a
crash) is acknowledged and dropped, so it never produces a second answer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse

from handlers.slack.services import SlackServices

log = logging.getLogger(__name__)


def event_key(body: dict[str, Any]) -> str | None:
    """``team_id:event_id`` for an Events API envelope; None for anything else."""
    if body.get("type") != "event_callback" or not body.get("event_id"):
        return None
    return f"{body.get('team_id') or '-'}:{body['event_id']}"


def skip_seen_events(services: SlackServices) -> Callable[..., BoltResponse | None]:
    def middleware(body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:
        key = event_key(body)
        if key is not None and not services.first_time(key):
            log.info("slack.event.repeat", extra={"event_id": body.get("event_id")})
            return BoltResponse(status=200, body="")
        next()
        return None

    return middleware


def register(app: App, services: SlackServices) -> None:
    app.middleware(skip_seen_events(services))
