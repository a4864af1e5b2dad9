"""The Slack app manifest for the current app.yml, as plain data (`paidup manifest` prints it as YAML).

Paste it at https://api.slack.com/apps → Create New App → From a manifest. In Socket Mode the
manifest carries no request URLs; in HTTP mode every URL is ``<base>/slack/events`` (events,
slash command, interactivity and options loads share one endpoint, as Bolt serves them).
"""

from __future__ import annotations

from typing import Any

from bot.config import AppConfig

PLACEHOLDER_URL = "https://YOUR-HOST"
EVENTS_PATH = "/slack/events"
CREATE_INVOICE_SHORTCUT = "create_invoice_from_message"
BOT_EVENTS = ("app_home_opened", "app_mention", "message.im")
# Always needed: post and update answers, the slash command, DMs (open, read), mentions,
# Slack user → Salesforce user by email, and uploading report charts (files:write).
BASE_SCOPES = ("app_mentions:read", "chat:write", "commands", "files:write", "im:history", "im:write", "users:read",
               "users:read.email")
DESCRIPTION = "Has Acme paid? Salesforce and Xero answers, invoices from deals and approvals, in Slack."
COMMAND_HINT = ("[account or invoice number] | status <name> | overdue [mine|all] | invoice [deal] | "
                "report [me|team|all] [period] | health | help")


def bot_scopes(config: AppConfig) -> list[str]:
    """The minimum bot scopes for this app.yml: posting to configured channels the bot has not
    joined needs ``chat:write.public``; approver user groups need ``usergroups:read``."""
    scopes = set(BASE_SCOPES)
    slack = config.slack
    if slack.finance_channel or slack.alerts_channel or slack.ops_channel:
        scopes.add("chat:write.public")
    if config.approvals.approver_groups:
        scopes.add("usergroups:read")
    return sorted(scopes)


def build_manifest(config: AppConfig, *, socket_mode: bool, base_url: str = PLACEHOLDER_URL) -> dict[str, Any]:
    """The manifest (major version 1) for ``config``; ``base_url`` is only used in HTTP mode."""
    name = config.slack.app_name
    url = base_url.rstrip("/") + EVENTS_PATH
    command: dict[str, Any] = {"command": config.slack.command, "description": "Ask Paidup: who paid, what is "
                               "overdue, invoice a deal", "usage_hint": COMMAND_HINT, "should_escape": False}
    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if not socket_mode:
        command["url"] = url
        events["request_url"] = url
        interactivity |= {"request_url": url, "message_menu_options_url": url}
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {"name": name, "description": DESCRIPTION, "background_color": "#1d6b4f"},
        "features": {
            "app_home": {"home_tab_enabled": True, "messages_tab_enabled": True,
                         "messages_tab_read_only_enabled": False},
            "bot_user": {"display_name": name, "always_online": True},
            "shortcuts": [{"name": "Create invoice", "type": "message", "callback_id": CREATE_INVOICE_SHORTCUT,
                           "description": "Draft a Xero invoice from this message"}],
            "slash_commands": [command],
        },
        "oauth_config": {"scopes": {"bot": bot_scopes(config)}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }
