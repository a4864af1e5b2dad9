"""`paidup doctor`: what is configured, what is missing, and what to do about it.

Returns plain ``Check`` rows; the CLI prints them. No secret value is ever put in a row: only
whether it is set, and (``check_connections``) whether Slack, Xero and Salesforce accept it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import make_url, text
from sqlalchemy.exc import SQLAlchemyError

from bot.config import AppConfig, ConfigError, Settings, load_app_config
from bot.store import migrate
from bot.store.session import Database

Status = Literal["ok", "warn", "fail"]


@dataclass(frozen=True)
class Check:
    area: str
    status: Status
    detail: str
    fix: str = ""


def _is_set(value: object) -> bool:
    if value is None:
        return False
    getter = getattr(value, "get_secret_value", None)
    return bool(getter() if getter else value)


def check_config(settings: Settings) -> tuple[list[Check], AppConfig | None]:
    try:
        config = load_app_config(settings.config_path)
    except ConfigError as exc:
        return [Check("config", "fail", str(exc), "edit app.yml (each key is documented in the shipped example)")], None
    checks = [Check("config", "ok", f"{settings.config_path} is valid")]
    slack = config.slack
    for key in ("finance_channel", "alerts_channel", "ops_channel"):
        if getattr(slack, key) is None:
            checks.append(Check("config", "warn", f"slack.{key} is not set",
                                f"set slack.{key} to a channel id so Paidup can post there"))
    if not config.approvals.approvers and not config.approvals.approver_groups:
        checks.append(Check("config", "warn", "nobody can approve invoices (approvals.approvers and "
                            "approvals.approver_groups are empty)", "add Slack user ids under approvals.approvers"))
    return checks, config


def check_database(settings: Settings) -> list[Check]:
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        return [Check("database", "warn", f"{url.database} does not exist yet",
                      "run `paidup db upgrade` to create it (serve, sync and demo also do it on start)")]
    db = Database(settings.database_url)
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        waiting = migrate.pending(db)
    except SQLAlchemyError as exc:
        reason = str(exc.orig if getattr(exc, "orig", None) else exc).splitlines()[0]
        return [Check("database", "fail", f"cannot open {db.engine.url.render_as_string(hide_password=True)}: "
                      f"{reason}", "check DATABASE_URL and that the database server is running")]
    finally:
        db.dispose()
    where = db.engine.url.render_as_string(hide_password=True)
    if waiting:
        return [Check("database", "warn", f"{where}: {len(waiting)} migration(s) not applied",
                      "run `paidup db upgrade` (serve, sync and demo also do it on start)")]
    return [Check("database", "ok", f"{where}: schema is current")]


def check_credentials(settings: Settings) -> list[Check]:
    checks: list[Check] = []

    def need(area: str, ok: bool, what: str, fix: str, severity: Status = "fail") -> None:
        verb = "are" if " and " in what else "is"
        checks.append(Check(area, "ok", f"{what} {verb} set") if ok else
                      Check(area, severity, f"{what} {verb} not set", fix))

    need("secrets", _is_set(settings.secret_key), "PAIDUP_SECRET_KEY",
         "set PAIDUP_SECRET_KEY (e.g. the output of `python -c \"from cryptography.fernet import Fernet; "
         "print(Fernet.generate_key().decode())\"`); it encrypts stored OAuth tokens")
    if settings.teams_app_id or _is_set(settings.teams_app_password):
        need("teams", bool(settings.teams_app_id) and _is_set(settings.teams_app_password),
             "TEAMS_APP_ID and TEAMS_APP_PASSWORD",
             "copy the Azure Bot's Microsoft App ID and a client secret (README: Microsoft Teams)")
        need("teams", bool(settings.teams_tenant_id), "TEAMS_TENANT_ID",
             "set your Entra tenant id: new bots are single-tenant (README: Microsoft Teams)", "warn")
    if settings.teams_app_id and not _is_set(settings.slack_bot_token):
        checks.append(Check("slack", "ok", "not set up: Paidup serves Microsoft Teams only"))
    else:
        need("slack", _is_set(settings.slack_bot_token), "SLACK_BOT_TOKEN",
             "install the Slack app (see `paidup manifest`) and copy its Bot User OAuth Token (xoxb-...)")
        if _is_set(settings.slack_app_token):
            checks.append(Check("slack", "ok", "SLACK_APP_TOKEN is set: Socket Mode"))
        else:
            need("slack", _is_set(settings.slack_signing_secret), "SLACK_SIGNING_SECRET (HTTP mode)",
                 "copy the Signing Secret from the Slack app's Basic Information page, or set SLACK_APP_TOKEN "
                 "for Socket Mode")
    need("xero", bool(settings.xero_client_id) and _is_set(settings.xero_client_secret),
         "XERO_CLIENT_ID and XERO_CLIENT_SECRET", "create a Xero app (README: Xero) and set both")
    need("xero", _is_set(settings.xero_webhook_key), "XERO_WEBHOOK_KEY",
         "copy the webhook key from the Xero app's Webhooks page (payments are then noticed in seconds)", "warn")
    sf_cc = bool(settings.salesforce_client_id) and _is_set(settings.salesforce_client_secret)
    sf_jwt = bool(settings.salesforce_username) and settings.salesforce_private_key_file is not None
    if sf_jwt and not settings.salesforce_private_key_file.is_file():  # type: ignore[union-attr]
        checks.append(Check("salesforce", "fail", f"SALESFORCE_PRIVATE_KEY_FILE {settings.salesforce_private_key_file} "
                            "is not a readable file", "point it at the PEM private key of the JWT certificate"))
    elif sf_jwt:
        checks.append(Check("salesforce", "ok", "JWT bearer flow: SALESFORCE_USERNAME and the private key are set"))
    elif sf_cc:
        login = settings.salesforce_login_url
        if login.rstrip("/") in ("https://login.salesforce.com", "https://test.salesforce.com"):
            checks.append(Check("salesforce", "fail", "client credentials flow needs your My Domain URL, but "
                                f"SALESFORCE_LOGIN_URL is {login}",
                                "set SALESFORCE_LOGIN_URL to https://<your-domain>.my.salesforce.com"))
        else:
            checks.append(Check("salesforce", "ok", "client credentials flow: SALESFORCE_CLIENT_ID and _SECRET set"))
    else:
        checks.append(Check("salesforce", "fail", "no Salesforce credentials",
                            "set SALESFORCE_CLIENT_ID + SALESFORCE_CLIENT_SECRET (client credentials), or "
                            "SALESFORCE_USERNAME + SALESFORCE_PRIVATE_KEY_FILE (JWT bearer)"))
    return checks


def run_checks(settings: Settings) -> list[Check]:
    config_checks, _config = check_config(settings)
    return [*config_checks, *check_database(settings), *check_credentials(settings)]


Probe = Callable[[], Check]


def check_connections(probes: Mapping[str, Probe], secrets: Iterable[str] = ()) -> list[Check]:
    """Each probe talks to its platform once (token accepted? API reachable?) and says what it found;
    a probe that raises is a failed check whose words never carry a configured secret."""
    hidden = [s for s in secrets if s]
    checks: list[Check] = []
    for area, probe in probes.items():
        try:
            checks.append(probe())
        except Exception as exc:  # noqa: BLE001 - any failure to connect is the finding itself
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
            for secret in hidden:
                reason = reason.replace(secret, "[redacted]")
            checks.append(Check(area, "fail", f"could not connect: {reason}",
                                f"check the {area} credentials and base URL in the environment"))
    return checks


def slack_scopes_check(team: str, bot: str, granted: str | None, needed: Iterable[str]) -> Check:
    """``auth.test`` answered: the token works; the scopes Slack reports (``x-oauth-scopes``) cover ``needed``."""
    if granted is None:
        return Check("slack", "ok", f"SLACK_BOT_TOKEN works: @{bot} in {team}")
    missing = sorted(set(needed) - {s.strip() for s in granted.split(",")})
    if missing:
        return Check("slack", "fail", f"SLACK_BOT_TOKEN works (@{bot} in {team}) but lacks {', '.join(missing)}",
                     "add the scopes (or paste `paidup manifest` again) and reinstall the Slack app")
    return Check("slack", "ok", f"SLACK_BOT_TOKEN works: @{bot} in {team}, scopes cover the manifest")
