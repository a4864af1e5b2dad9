"""Block action listeners (buttons, selects), one module each: pick an account, share a status
card in the channel, create an invoice from a card."""

from __future__ import annotations

from slack_bolt import App

from handlers.slack.actions import create_invoice, pick_account, share_status
from handlers.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    app.action(pick_account.ACTION)(pick_account.pick_account(services))
    app.action(share_status.ACTION)(share_status.share_status(services))
    app.action(create_invoice.ACTION)(create_invoice.create_invoice(services))
