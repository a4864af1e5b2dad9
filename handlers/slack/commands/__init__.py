"""Slash command listeners: the `/paidup` command (its name comes from app.yml)."""

from __future__ import annotations

from slack_bolt import App

from handlers.slack.commands.paidup import paidup_command
from handlers.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    app.command(services.command)(paidup_command(services))
