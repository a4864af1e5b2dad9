"""Shortcut listeners: the "Create invoice" message shortcut the manifest declares."""

from __future__ import annotations

from slack_bolt import App

from handlers.slack.services import SlackServices
from handlers.slack.shortcuts.create_invoice import CALLBACK_ID, create_invoice_from_message


def register(app: App, services: SlackServices) -> None:
    app.shortcut(CALLBACK_ID)(create_invoice_from_message(services))
