"""Block action listeners (buttons, selects): approve, reject, retry sync, share in channel, ...
one module each; none is built yet."""

from __future__ import annotations

from slack_bolt import App

from handlers.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    return None
