"""Slack listeners (Bolt). ``register(app, services)`` is the only entry point; the composition
root (``bot.chat.slack_app``) calls it once. Each kind registers its own listeners; each listener
lives in its own module, acks, calls one service, renders with ``blocks/``, sends."""

from __future__ import annotations

from slack_bolt import App

from handlers.slack import actions, commands, errors, events, invoicing, middleware, shortcuts, views
from handlers.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    middleware.register(app, services)
    errors.register(app, services)
    invoicing.register(app, services)  # before commands: it takes `/paidup invoice …`
    commands.register(app, services)
    events.register(app, services)
    actions.register(app, services)
    shortcuts.register(app, services)
    views.register(app, services)
