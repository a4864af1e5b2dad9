"""A world for alert tests: both sandboxes synced into the mirror, the bot's HTTP endpoint (signed
Slack requests, Xero webhooks) and the Slack stand-in; the alert service on a frozen clock that
tests move forward."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.app import Paidup
from bot.config import AppConfig, load_app_config
from bot.services.alerts import AlertChannels, AlertService
from integrations.loopback import LoopbackServer
from integrations.slack_sandbox import DEFAULT_BOT_TOKEN, SlackRequestSigner
from integrations.slack_sandbox.surfaces import Message
from tests.bot.sync.conftest import World, settings_for
from tests.conftest import ROOT

from .conftest import SIGNING_SECRET, RunningBot, RunningSlack, eventually

ALERTS, OPS = "C0ALERTS", "C0OPS"


@dataclass
class Clock:
    """The alert service's clock: noon UTC on the sandbox's today (also today in Europe/London)."""

    now: datetime = field(default_factory=lambda: datetime.combine(datetime.now(UTC).date(), time(12), tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, days: int = 0, hours: int = 0) -> None:
        self.now += timedelta(days=days, hours=hours)


@dataclass
class AlertWorld:
    bot: RunningBot
    world: World
    clock: Clock

    @property
    def paidup(self) -> Paidup:
        return self.bot.paidup

    @property
    def slack(self) -> RunningSlack:
        return self.bot.slack

    @property
    def alerts(self) -> AlertService:
        return self.paidup.alerts

    def configure(self, **alerts: object) -> None:
        """Change app.yml's ``alerts`` section (e.g. ``timezone``, ``overdue={...}``) for this test."""
        self.paidup.__dict__["alerts"] = alert_service(self.paidup, with_alerts(self.paidup.config, **alerts),
                                                       self.clock)

    def posted(self, channel: str) -> list[Message]:
        return [m for m in self.slack.state.messages(channel) if m.thread_ts is None or m.thread_ts == m.ts]


def with_alerts(config: AppConfig, **alerts: object) -> AppConfig:
    section = config.alerts.model_dump()
    for key, value in alerts.items():
        section[key] = {**section[key], **value} if isinstance(value, dict) else value
    return AppConfig.model_validate({**config.model_dump(), "alerts": section})


def alert_service(paidup: Paidup, config: AppConfig, clock: Clock) -> AlertService:
    """The alert service as ``Paidup.alerts`` builds it, on ``config`` and the frozen ``clock``."""
    return AlertService(paidup.db, config, lambda: paidup.sync, paidup.people, lambda: paidup.alert_delivery,
                        AlertChannels(config.slack.alerts_channel, config.slack.ops_channel), clock=clock)


def bot_for(world: World, slack: RunningSlack) -> Paidup:
    settings = settings_for(world.settings.xero_api_url, world.settings.salesforce_login_url,
                            SLACK_BOT_TOKEN=DEFAULT_BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                            SLACK_API_URL=slack.api_url)
    return Paidup(settings, load_app_config(ROOT / "app.yml"), db=world.db)


@pytest.fixture
def alerting(world: World, slack: RunningSlack) -> Iterator[AlertWorld]:
    """Synced, served (Slack events and Xero webhooks, the webhook worker running), alerts on a frozen clock."""
    paidup = bot_for(world, slack)
    assert paidup.sync.sync("salesforce").status == "ok" and paidup.sync.sync("xero").status == "ok"
    clock = Clock()
    paidup.__dict__["alerts"] = alert_service(paidup, paidup.config, clock)
    paidup.webhook_worker.start()
    with LoopbackServer(paidup.web_app(slack=paidup.slack_endpoint())) as server:
        world.xero.webhooks.url = f"{server.url}/xero/webhooks"
        yield AlertWorld(RunningBot(paidup, server.url, slack, SlackRequestSigner(SIGNING_SECRET,
                                                                                  sandbox_url=slack.url)),
                         world, clock)
    paidup.close()


def seen(message: Message) -> str:
    return json.dumps(message.blocks, ensure_ascii=False)


def click(alerting: AlertWorld, user: str, action_id: str, message: Message, **selection: object) -> None:
    response = alerting.bot.post(alerting.bot.signer.block_actions(user, action_id, message=message,
                                                                   selection=selection or None))
    assert response.status_code == 200


def ephemeral_reply(alerting: AlertWorld, user: str, before: int) -> Message:
    replies = eventually(lambda: alerting.slack.state.ephemeral_for(user)[before:])
    assert replies, "no reply"
    return replies[-1]
