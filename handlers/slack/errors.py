"""The one error handler: log the failure, tell the person something went wrong (no traceback, no
secrets), and answer Slack 200 so an event is not retried into a second failure."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from handlers.slack.blocks.errors import error_text
from handlers.slack.services import SlackServices

log = logging.getLogger(__name__)


def _tell_user(body: dict[str, Any], respond: Respond | None, client: WebClient | None) -> None:
    if respond is not None and body.get("response_url"):
        respond(text=error_text(), response_type="ephemeral", replace_original=False)
        return
    event = body.get("event") or {}
    channel, user = event.get("channel"), event.get("user")
    if client is not None and channel and user:
        client.chat_postEphemeral(channel=channel, user=user, text=error_text())


def on_error(services: SlackServices) -> Callable[..., BoltResponse | None]:
    def handle(error: Exception, body: dict[str, Any], respond: Respond | None = None,
               client: WebClient | None = None) -> BoltResponse | None:
        log.error("slack.listener.failed", exc_info=error,
                  extra={"kind": body.get("type") or body.get("command"), "error_type": type(error).__name__})
        try:
            _tell_user(body, respond, client)
        except (SlackClientError, OSError) as exc:
            log.warning("slack.error_notice.failed", extra={"error_type": type(exc).__name__})
        return None

    return handle


def register(app: App, services: SlackServices) -> None:
    app.error(on_error(services))
