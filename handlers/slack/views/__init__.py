"""Modal submission listeners (invoice submitted, reject reason): one module each; none is built yet."""

from __future__ import annotations

from slack_bolt import App

from handlers.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    return None
