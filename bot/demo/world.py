"""The demo's world in one process: the Xero and Salesforce sandboxes with the shared demo data,
the Slack Web API stand-in, and Paidup configured against them exactly as a deployment is —
through ``Settings`` (the environment's names) and an app.yml — serving its real HTTP endpoint
on loopback. Nothing in the bot knows it runs in a demo.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from cryptography.fernet import Fernet

from bot.app import Paidup
from bot.config import AppConfig, Settings, load_app_config
from bot.logs import configure_logging
from integrations import demo_data as demo
from integrations.loopback import LoopbackServer
from integrations.salesforce import auth as salesforce_auth
from integrations.salesforce.sandbox import SalesforceState, create_salesforce_sandbox
from integrations.slack_sandbox import DEFAULT_BOT_TOKEN, SlackRequestSigner, SlackState, create_slack_sandbox
from integrations.slack_sandbox.workspace import default_channels
from integrations.xero import auth as xero_auth
from integrations.xero.sandbox import XeroSandboxState, create_xero_sandbox, disable_nagle

COMMITTED_APP_YML = Path(__file__).resolve().parents[2] / "app.yml"  # the repository's, when run from a checkout
DEMO_CHANNELS = {"finance_channel": "finance", "alerts_channel": "receivables", "ops_channel": "paidup-ops"}


class ActivityMeter:
    """Counts HTTP requests into the apps it wraps (the sandboxes, the stand-in, the bot), so the
    terminal can tell the bot is still at work after its ack: calling Xero, Salesforce or Slack."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.started = 0
        self.finished = 0

    def wrap(self, app: Any) -> Any:
        async def metered(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            with self._lock:
                self.started += 1
            try:
                await app(scope, receive, send)
            finally:
                with self._lock:
                    self.finished += 1

        return metered

    def __call__(self) -> tuple[int, bool]:
        """(requests so far, whether one is in flight now)."""
        with self._lock:
            return self.started + self.finished, self.started != self.finished


@dataclass
class DemoWorld:
    """Everything `paidup demo` runs, with the URLs a deployment would be given."""

    paidup: Paidup
    xero: XeroSandboxState
    salesforce: SalesforceState
    slack: SlackState
    slack_url: str
    bot_url: str
    signer: SlackRequestSigner
    activity: ActivityMeter
    workdir: Path
    database: Path
    log_file: Path

    @property
    def events_url(self) -> str:
        return self.bot_url + "/slack/events"


def demo_config(workdir: Path) -> Path:
    """The app.yml the demo runs with: the committed one (every key as documented) when there is
    one, with the Slack channels and approvers of the stand-in's workspace; written to ``workdir``."""
    raw: dict[str, Any] = {}
    if COMMITTED_APP_YML.is_file():
        raw = yaml.safe_load(COMMITTED_APP_YML.read_text(encoding="utf-8")) or {}
    channel_ids = {c.name: c.id for c in default_channels()}
    slack = raw.setdefault("slack", {})
    slack.update({key: channel_ids[name] for key, name in DEMO_CHANNELS.items()})
    slack.update(command="/paidup", socket_mode=False)
    raw.setdefault("approvals", {})["approvers"] = [demo.FINANCE.slack_id]
    raw.setdefault("salesforce", {}).setdefault("account_contact_field", "Id")
    path = workdir / "app.yml"
    path.write_text("# Written by `paidup demo`: the committed app.yml with the Slack stand-in's channels.\n"
                    + yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def demo_settings(values: dict[str, str]) -> Settings:
    """Settings from these values only: the person's environment and .env are not read (a real
    SALESFORCE_USERNAME there must not switch the demo to the JWT flow)."""
    given = dict(values)
    for name, field in Settings.model_fields.items():
        alias = str(field.validation_alias or name)
        if alias not in given and field.default is None:
            given[alias] = None
    return Settings(_env_file=None, **given)


def demo_secrets(path: Path) -> dict[str, str]:
    """The demo deployment's generated credentials, kept next to its database (readable by its owner
    only) so that `paidup demo --db FILE` run again can read the tokens it stored encrypted."""
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    generated = {
        "secret_key": Fernet.generate_key().decode(), "signing_secret": secrets.token_hex(16),
        "xero_id": "demo-" + secrets.token_hex(8), "xero_secret": secrets.token_urlsafe(24),
        "webhook_key": secrets.token_urlsafe(24), "sf_id": "demo-" + secrets.token_hex(8),
        "sf_secret": secrets.token_urlsafe(24),
    }
    path.touch(mode=0o600)
    path.write_text(json.dumps(generated, indent=2), encoding="utf-8")
    return generated


def today_in(config: AppConfig) -> date:
    """Today where the alerts are scheduled: the day the bot counts "days overdue" from."""
    return datetime.now(ZoneInfo(config.alerts.timezone)).date()


@contextmanager
def demo_world(workdir: Path, database: Path | None = None, *, verbose: bool = False) -> Iterator[DemoWorld]:
    """Start the sandboxes, the stand-in and Paidup's endpoint (migrated, not yet synced); stop them after."""
    config_path = demo_config(workdir)
    config = load_app_config(config_path)
    today = today_in(config)
    database = database or workdir / "paidup.db"
    log_file = database.with_suffix(".log")
    keys = demo_secrets(database.with_suffix(".secrets.json"))
    xero_id, xero_secret, webhook_key = keys["xero_id"], keys["xero_secret"], keys["webhook_key"]
    sf_id, sf_secret, signing_secret = keys["sf_id"], keys["sf_secret"], keys["signing_secret"]
    meter = ActivityMeter()
    with ExitStack() as stack:
        xero, xero_app = create_xero_sandbox(today=today, client_id=xero_id, client_secret=xero_secret,
                                             webhook_key=webhook_key)
        xero_server = stack.enter_context(disable_nagle(LoopbackServer(meter.wrap(xero_app))))
        xero.base_url = xero_server.url
        salesforce, sf_app = create_salesforce_sandbox(today=today, client_id=sf_id, client_secret=sf_secret)
        sf_server = stack.enter_context(LoopbackServer(meter.wrap(sf_app)))
        slack, slack_app = create_slack_sandbox()
        slack_server = stack.enter_context(LoopbackServer(meter.wrap(slack_app)))
        settings = demo_settings({
            "PAIDUP_CONFIG": str(config_path), "DATABASE_URL": f"sqlite:///{database}",
            "PAIDUP_SECRET_KEY": keys["secret_key"],
            "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN, "SLACK_SIGNING_SECRET": signing_secret,
            "SLACK_API_URL": slack_server.url + "/api/",
            "XERO_API_URL": xero_server.url, "XERO_IDENTITY_URL": xero_server.url, "XERO_CLIENT_ID": xero_id,
            "XERO_CLIENT_SECRET": xero_secret, "XERO_GRANT": "client_credentials", "XERO_WEBHOOK_KEY": webhook_key,
            "SALESFORCE_LOGIN_URL": sf_server.url, "SALESFORCE_CLIENT_ID": sf_id, "SALESFORCE_CLIENT_SECRET": sf_secret,
            "PORT": "3000",
        })
        log_stream = stack.enter_context(log_file.open("a", encoding="utf-8"))
        configure_logging(verbose, settings.secret_values(), stream=log_stream)
        stack.callback(lambda: logging.getLogger().handlers.clear())  # before the log file closes
        paidup = Paidup(settings, config)
        stack.callback(paidup.close)
        paidup.migrate()
        for provider in (xero_auth.PROVIDER, salesforce_auth.PROVIDER):  # the sandboxes are new orgs each run:
            paidup.token_store.delete(provider)  # a kept database's sessions (old ports) are forgotten
        bot_server = stack.enter_context(LoopbackServer(meter.wrap(paidup.web_app(slack=paidup.slack_endpoint()))))
        xero.webhooks.url = bot_server.url + "/xero/webhooks"
        xero.webhooks.auto_send = True  # as a subscribed Xero app: every change (the bot's own writes too)
        signer = SlackRequestSigner(signing_secret, sandbox_url=slack_server.url)
        yield DemoWorld(paidup, xero, salesforce, slack, slack_server.url, bot_server.url, signer, meter, workdir,
                        database, log_file)
