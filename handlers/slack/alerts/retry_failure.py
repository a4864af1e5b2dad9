""""Retry now" on a failed-sync alert: the record is fetched again at once; when it syncs, the
alert is updated to resolved (by the alert service, through the delivery port); the person who
clicked is told the outcome privately."""

from __future__ import annotations

from collections.abc import Callable

from handlers.slack.alerts.common import failure_button
from handlers.slack.blocks.alerts import RETRY_ACTION
from handlers.slack.services import SlackServices

ACTION = RETRY_ACTION


def retry_failure(services: SlackServices) -> Callable[..., None]:
    return failure_button(services, lambda service, failure_id, user: service.retry_failure(failure_id, user))
