"""Slack's side of the alerts: the delivery adapter (``delivery.SlackAlertDelivery``, the
``AlertDelivery`` port) and the listeners for what people click on alerts and status cards —
snooze or promise to pay from a digest, retry or ignore a failed sync, remind me when paid.
``register(app, services)`` is called by the composition root (``bot.chat.slack_app``)."""

from __future__ import annotations

from slack_bolt import App

from handlers.slack.alerts import follow_up, ignore_failure, promise_submitted, remind_when_paid, retry_failure
from handlers.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    app.action(follow_up.ACTION)(follow_up.follow_up(services))
    app.view(promise_submitted.CALLBACK)(promise_submitted.promise_submitted(services))
    app.action(retry_failure.ACTION)(retry_failure.retry_failure(services))
    app.action(ignore_failure.ACTION)(ignore_failure.ignore_failure(services))
    app.action(remind_when_paid.ACTION)(remind_when_paid.remind_when_paid(services))
