"""Alerts in Teams, for a bot set up for Teams only: the overdue digest in the alerts conversation
and in each owner's 1:1 chat (owners known by their Teams email), payment notices sent the moment a
Xero webhook brings a payment, failed-sync alerts with Retry / Ignore that update the card in place.
Everything through the real alert service, the Xero and Salesforce sandboxes and the Teams stand-in."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from bot.app import Paidup
from bot.config import AppConfig, load_app_config
from bot.services.alerts import AlertChannels, AlertService
from handlers.teams.alerts import TeamsAlertDelivery
from integrations import demo_data as demo
from integrations.loopback import LoopbackServer
from integrations.teams_sandbox import TeamsChannel, TeamsUser
from tests.bot.sync.conftest import World, settings_for, world  # noqa: F401
from tests.conftest import ROOT
from tests.handlers.slack.conftest import eventually

from .conftest import RunningTeams, RunningTeamsBot

ALERTS, OPS = "19:alerts0001@thread.tacv2", "19:ops0001@thread.tacv2"
BROKEN = demo.demo_uuid("invoice:INV-0050")
ADAPTIVE = "application/vnd.microsoft.card.adaptive"


@dataclass
class TeamsAlerting:
    bot: RunningTeamsBot
    world: World
    rita: TeamsUser
    finance: TeamsUser

    @property
    def paidup(self) -> Paidup:
        return self.bot.paidup

    @property
    def alerts(self) -> AlertService:
        return self.paidup.alerts

    def cards(self, conversation: str) -> list[dict[str, Any]]:
        return [p.cards[0] for p in self.bot.teams.state.in_conversation(conversation) if p.cards]


def teams_config(teams: RunningTeams) -> AppConfig:
    config = load_app_config(ROOT / "app.yml")
    section = {**config.teams.model_dump(), "service_url": teams.url + "/", "alerts_conversation": ALERTS,
               "ops_conversation": OPS}
    return AppConfig.model_validate({**config.model_dump(), "teams": section})


@pytest.fixture
def alerting(world: World, teams: RunningTeams) -> Iterator[TeamsAlerting]:  # noqa: F811
    settings = settings_for(world.settings.xero_api_url, world.settings.salesforce_login_url, **teams.settings())
    paidup = Paidup(settings, teams_config(teams), db=world.db)
    assert paidup.teams_only and isinstance(paidup.alerts.delivery(), TeamsAlertDelivery)
    assert paidup.invoicing is paidup.teams_invoicing  # the recovery job finishes Teams drafts in Teams
    assert paidup.sync.sync("salesforce").status == "ok" and paidup.sync.sync("xero").status == "ok"
    noon = datetime.combine(datetime.now(UTC).date(), time(12), tzinfo=UTC)
    config = paidup.config
    paidup.__dict__["alerts"] = AlertService(paidup.db, config, lambda: paidup.sync, paidup.people,
                                             lambda: paidup.teams_alert_delivery,
                                             AlertChannels(config.teams.alerts_conversation,
                                                           config.teams.ops_conversation), clock=lambda: noon)
    state = teams.state
    rita = state.add_user("Rita Rep", demo.REP.email)
    finance = state.add_user("Fiona Finance", "fiona@paidup.example")
    state.join(ALERTS, rita, finance)
    state.join(OPS, finance)
    paidup.webhook_worker.start()
    with LoopbackServer(paidup.web_app()) as server:
        world.xero.webhooks.url = f"{server.url}/xero/webhooks"
        bot = RunningTeamsBot(paidup, server.url, teams, TeamsChannel(state, teams.url))
        bot.ask(rita, "overdue mine")  # Rita talks to the bot once: Paidup knows her by her Teams email
        yield TeamsAlerting(bot, world, rita, finance)
    paidup.close()


def numbers(card: dict[str, Any]) -> list[str]:
    return re.findall(r"\[(INV-\d{4})\]", json.dumps(card))


def test_the_digest_in_the_channel_and_each_known_owners_chat(alerting: TeamsAlerting) -> None:
    result = alerting.alerts.run_overdue()
    assert result.failed == [] and len(result.posted) == 2  # the channel and Rita; Sam never talked to the bot
    [digest] = alerting.cards(ALERTS)
    assert digest["body"][0]["text"].startswith("Overdue invoices · ")
    assert digest["body"][1]["text"] == "**8 overdue invoices**: €16,080.00 EUR + £15,600.00 GBP + $17,856.00 USD"
    assert numbers(digest) == ["INV-0010", "INV-0090", "INV-0060", "INV-0003", "INV-0002", "INV-0043", "INV-0100",
                               "INV-0080"]  # by owner, worst first
    owners = [b["text"].split("**")[1] for b in digest["body"]
              if b.get("text", "").startswith("**") and "overdue," in b["text"]]
    assert owners == ["Sam Seller", "Rita Rep", "Unassigned"]
    chat = alerting.bot.channel.personal(alerting.rita)
    mine = alerting.cards(chat)[-1]
    assert mine["body"][0]["text"].startswith("Your overdue invoices (Rita Rep)")
    assert numbers(mine) == ["INV-0060", "INV-0003", "INV-0002", "INV-0043"]
    assert alerting.alerts.run_overdue().posted == []  # once a day
    assert len(alerting.cards(ALERTS)) == 1


def test_a_payment_via_webhook_reaches_the_owner_and_the_channel(alerting: TeamsAlerting) -> None:
    alerting.world.xero.record_payment("INV-0043")  # Globex's; the account is Rita's
    chat = alerting.bot.channel.personal(alerting.rita)

    def notices(conversation: str) -> list[str]:
        return [c["body"][0]["text"] for c in alerting.cards(conversation) if "paid [INV-0043]" in c["body"][0]["text"]]

    [told] = eventually(lambda: notices(chat), timeout=10)
    assert told.startswith("💰 Globex, Inc. paid [INV-0043](") and told.endswith(" USD — fully paid")
    assert eventually(lambda: notices(ALERTS), timeout=5) == [told]
    assert alerting.alerts.run_payments().posted == []  # told once


def test_a_failed_record_is_alerted_once_and_retry_replaces_the_card(alerting: TeamsAlerting) -> None:
    alerting.world.xero.faults.corrupt_in_listings(BROKEN)
    assert alerting.paidup.sync.sync("xero", full=True).failed == 1
    assert len(alerting.alerts.run_failed_sync().posted) == 1
    [posted] = alerting.bot.teams.state.in_conversation(OPS)
    card = posted.cards[0]
    assert card["body"][0]["text"].startswith("⚠️ **Xero invoice INV-0050 does not sync**")
    retry, ignore = card["actions"]
    assert (retry["title"], retry["verb"], ignore["title"]) == ("Retry now", "sync_failure_retry", "Ignore")
    assert alerting.alerts.run_failed_sync().posted == []  # not again while nothing changed
    alerting.world.xero.faults.clear()
    response = alerting.bot.post(alerting.bot.channel.execute(alerting.finance, retry["verb"], retry["data"],
                                                              reply_to=posted.id, conversation=OPS))
    body = response.json()
    assert response.status_code == 200 and body["type"] == ADAPTIVE
    assert body["value"]["body"][0]["text"].startswith("✅ **Xero invoice INV-0050 syncs again**")
    assert "actions" not in body["value"] and "INV-0050 synced: resolved." in json.dumps(body["value"])
    assert posted.cards[0]["body"][0]["text"].startswith("✅")  # and the posted card was updated (PUT)
    assert len(alerting.bot.teams.state.in_conversation(OPS)) == 1


def test_ignore_from_the_fallback_button_updates_the_card(alerting: TeamsAlerting) -> None:
    alerting.world.xero.faults.corrupt_in_listings(BROKEN)
    alerting.paidup.sync.sync("xero", full=True)
    alerting.alerts.run_failed_sync()
    [posted] = alerting.bot.teams.state.in_conversation(OPS)
    fallback = posted.cards[0]["actions"][1]["fallback"]
    submit = alerting.bot.channel.submit(alerting.finance, fallback["data"], reply_to=posted.id, conversation=OPS)
    assert alerting.bot.post(submit).status_code == 200
    assert posted.cards[0]["body"][0]["text"].startswith("🚫 **Xero invoice INV-0050 is ignored**")


def test_remind_me_when_paid_from_the_status_card(alerting: TeamsAlerting) -> None:
    card = alerting.bot.ask(alerting.finance, "globex")
    remind = next(a for a in card.cards[0]["actions"] if a["title"] == "Remind me when paid")
    assert remind["type"] == "Action.Execute" and remind["data"] == {"invoices": demo.demo_uuid("invoice:INV-0043")}
    response = alerting.bot.post(alerting.bot.channel.execute(alerting.finance, remind["verb"], remind["data"],
                                                              reply_to=card.id))
    body = response.json()
    assert body["type"] == "application/vnd.microsoft.activity.message"  # the card stays; a message says what
    assert body["value"] == "I'll tell you when INV-0043 is paid (each payment, with what remains)."
    alerting.world.xero.record_payment("INV-0043", "500.00")
    chat = alerting.bot.channel.personal(alerting.finance)
    [told] = eventually(lambda: [c["body"][0]["text"] for c in alerting.cards(chat) if "paid [INV-0043]" in
                                 c["body"][0]["text"]], timeout=10)
    assert told.startswith("💵 Globex, Inc. paid [INV-0043](") and "$500.00 USD — " in told and "remains" in told


def digest_line_buttons(alerting: TeamsAlerting, number: str) -> dict[str, Any]:
    [digest] = alerting.cards(ALERTS)[-1:]
    body = digest["body"]
    at = next(n for n, b in enumerate(body) if f"[{number}]" in b.get("text", ""))
    assert body[at + 1]["type"] == "ActionSet"
    return {a["title"]: a for a in body[at + 1]["actions"]}


def test_snooze_and_promise_from_the_digest(alerting: TeamsAlerting) -> None:
    alerting.alerts.run_overdue()
    [posted] = alerting.bot.teams.state.in_conversation(ALERTS)
    assert len(json.dumps(posted.activity).encode()) < 28 * 1024  # within Teams' message size
    snooze = digest_line_buttons(alerting, "INV-0060")["Snooze 7 days"]
    answer = alerting.bot.post(alerting.bot.channel.execute(alerting.rita, snooze["verb"], snooze["data"],
                                                            reply_to=posted.id, conversation=ALERTS)).json()
    today = datetime.now(UTC).date()
    assert answer["value"] == (f"Snoozed INV-0060 (O'Brien & Sons Ltd) until {(today + timedelta(days=6)).isoformat()}"
                               ": it stays out of overdue digests until then.")
    promise = digest_line_buttons(alerting, "INV-0010")["Promised to pay"]
    save = promise["card"]["actions"][0]
    past = alerting.bot.post(alerting.bot.channel.execute(
        alerting.rita, save["verb"], {**save["data"], "pay_by": (today - timedelta(days=1)).isoformat()},
        reply_to=posted.id, conversation=ALERTS)).json()
    assert "in the past" in past["value"]
    ok = alerting.bot.post(alerting.bot.channel.execute(
        alerting.rita, save["verb"], {**save["data"], "pay_by": (today + timedelta(days=3)).isoformat()},
        reply_to=posted.id, conversation=ALERTS)).json()
    assert ok["value"].startswith("Noted: ") and "promised to pay INV-0010 by" in ok["value"]
    tomorrow = datetime.combine(today + timedelta(days=1), time(12), tzinfo=UTC)
    config = alerting.paidup.config
    later = AlertService(alerting.paidup.db, config, lambda: alerting.paidup.sync, alerting.paidup.people,
                         lambda: alerting.paidup.teams_alert_delivery,
                         AlertChannels(ALERTS, OPS), clock=lambda: tomorrow)
    assert later.run_overdue().failed == []
    shown = numbers(alerting.cards(ALERTS)[-1])
    assert "INV-0060" not in shown and "INV-0010" not in shown and "INV-0003" in shown
    assert "2 snoozed or promised to pay not shown" in json.dumps(alerting.cards(ALERTS)[-1], ensure_ascii=False)


def test_with_slack_set_up_too_alerts_stay_in_slack(world: World, teams: RunningTeams) -> None:  # noqa: F811
    """Alerts go to one chat: Slack when it is set up. Teams cards then offer no alert buttons whose
    messages could not reach a Teams user."""
    settings = settings_for(world.settings.xero_api_url, world.settings.salesforce_login_url,
                            SLACK_BOT_TOKEN="xoxb-not-used-here", **teams.settings())
    paidup = Paidup(settings, teams_config(teams), db=world.db)
    assert not paidup.teams_only and paidup.alerts.delivery().platform == "slack"
    assert paidup.sync.sync("salesforce").status == "ok" and paidup.sync.sync("xero").status == "ok"
    with LoopbackServer(paidup.web_app()) as server:
        bot = RunningTeamsBot(paidup, server.url, teams, TeamsChannel(teams.state, teams.url))
        rita = teams.state.add_user("Rita Rep", demo.REP.email)
        titles = [a["title"] for a in bot.ask(rita, "globex").cards[0]["actions"]]
    assert "Remind me when paid" not in titles
    assert "Create invoice: Globex - UK rollout" in titles  # invoicing from Teams works either way
