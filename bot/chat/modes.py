"""Which way the bot talks to Slack: Socket Mode or HTTP."""

from __future__ import annotations

from bot.config import AppConfig, ConfigError, Settings


def socket_mode_wanted(settings: Settings, config: AppConfig, *, force_http: bool = False) -> bool:
    """``slack.socket_mode`` when app.yml sets it, else exactly when SLACK_APP_TOKEN is set; never with --http."""
    if force_http:
        return False
    has_token = settings.slack_app_token is not None and bool(settings.slack_app_token.get_secret_value())
    return has_token if config.slack.socket_mode is None else config.slack.socket_mode


def require_slack_secrets(settings: Settings, *, socket_mode: bool) -> None:
    """ConfigError naming every Slack secret the mode needs and lacks: the bot token always; the
    signing secret over HTTP (it verifies every request); the app-level token in Socket Mode."""
    needed = [("SLACK_BOT_TOKEN", settings.slack_bot_token)]
    needed.append(("SLACK_APP_TOKEN", settings.slack_app_token) if socket_mode
                  else ("SLACK_SIGNING_SECRET", settings.slack_signing_secret))
    missing = [name for name, value in needed if value is None or not value.get_secret_value()]
    if missing:
        raise ConfigError(f"{' and '.join(missing)} not set: the Slack bot needs "
                          f"{'them' if len(missing) > 1 else 'it'} (Slack app settings: OAuth & Permissions → "
                          "Bot User OAuth Token; Basic Information → Signing Secret, or an App-Level Token with "
                          "connections:write for Socket Mode)")
