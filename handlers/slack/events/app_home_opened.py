"""The App Home tab: until the personal home (my overdue, my deals, approvals) is built, it shows
the help, so the tab is never blank."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from handlers.slack.blocks.home import home_view
from handlers.slack.services import SlackServices


def app_home_opened(services: SlackServices) -> Callable[..., None]:
    def on_app_home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        client.views_publish(user_id=event["user"], view=home_view(services.command))

    return on_app_home_opened
