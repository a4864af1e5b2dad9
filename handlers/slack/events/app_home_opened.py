"""The App Home tab: the viewer's own page (``Paidup.home``: my overdue invoices, my uninvoiced
closed-won deals, drafts waiting for approval, the approval queue for approvers, sync freshness),
then the help. The viewer is mapped to a Salesforce user by email (users.info through Bolt's client)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.services.home import HomeService
from handlers.slack.answers.overdue import slack_profile_lookup
from handlers.slack.blocks.home import home_view
from handlers.slack.services import SlackServices


def app_home_opened(services: SlackServices) -> Callable[..., None]:
    def on_app_home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user = event["user"]
        home = services.find("home")
        if not isinstance(home, HomeService):  # not built in this bot: the help, so the tab is never blank
            client.views_publish(user_id=user, view=home_view(services.command))
            return
        data = home.for_viewer(user, slack_profile_lookup(lambda: client))
        client.views_publish(user_id=user, view=home_view(services.command, data, home.clock()))

    return on_app_home_opened
