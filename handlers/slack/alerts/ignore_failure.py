""""Ignore" on a failed-sync alert (after Slack's confirm dialog): no more retries or alerts for
that record until it fails again after syncing; the alert is updated to say who ignored it."""

from __future__ import annotations

from collections.abc import Callable

from handlers.slack.alerts.common import failure_button
from handlers.slack.blocks.alerts import IGNORE_ACTION
from handlers.slack.services import SlackServices

ACTION = IGNORE_ACTION


def ignore_failure(services: SlackServices) -> Callable[..., None]:
    return failure_button(services, lambda service, failure_id, user: service.ignore_failure(failure_id, user))
