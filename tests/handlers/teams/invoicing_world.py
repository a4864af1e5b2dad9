"""A world for invoicing in Teams: both sandboxes synced, the bot set up for Teams (approvers by email
and by Entra object id, a finance conversation), and helpers that drive the dialog as Teams does."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from bot.app import Paidup
from bot.config import AppConfig, load_app_config
from integrations import demo_data as demo
from integrations.loopback import LoopbackServer
from integrations.teams_sandbox import PostedActivity, TeamsChannel, TeamsUser
from tests.bot.sync.conftest import World, settings_for
from tests.conftest import ROOT

from .conftest import RunningTeams, RunningTeamsBot

FINANCE_CHAT = "19:finance0001@thread.tacv2"
SECOND_APPROVER_AAD = "5b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3"


@dataclass
class InvoicingWorld:
    bot: RunningTeamsBot
    world: World
    rita: TeamsUser  # owns Acme's deals
    sam: TeamsUser  # another rep
    fiona: TeamsUser  # finance: an approver by email
    otto: TeamsUser  # finance: an approver by Entra object id

    @property
    def paidup(self) -> Paidup:
        return self.bot.paidup

    @property
    def channel(self) -> TeamsChannel:
        return self.bot.channel

    def approval_cards(self) -> list[PostedActivity]:
        return self.bot.teams.state.in_conversation(FINANCE_CHAT)

    def chat_of(self, user: TeamsUser) -> list[PostedActivity]:
        return self.bot.teams.state.in_conversation(self.channel.personal(user))

    def fetch(self, user: TeamsUser, data: dict[str, Any]) -> dict[str, Any]:
        """Press a button that opens a dialog: the ``task/fetch`` response."""
        data = {k: v for k, v in data.items() if k != "msteams"}
        response = self.bot.post(self.channel.task_fetch(user, data))
        assert response.status_code == 200, response.text
        return response.json()["task"]

    def submit(self, user: TeamsUser, dialog: dict[str, Any], changes: dict[str, Any] | None = None,
               action: int = 0) -> httpx.Response:
        """Press a dialog button with the inputs as shown (plus ``changes``): the ``task/submit`` request."""
        card = dialog["value"]["card"]["content"]
        data = {**inputs_of(card), **(changes or {}), **card["actions"][action]["data"]}
        return self.bot.post(self.channel.task_submit(user, data))

    def execute(self, user: TeamsUser, posted: PostedActivity, title: str, **inputs: Any) -> httpx.Response:
        """Press an ``Action.Execute`` button (one inside an ``Action.ShowCard`` too) with ``inputs``."""
        action = find_action(posted.cards[0], title)
        return self.bot.post(self.channel.execute(user, action["verb"], {**action["data"], **inputs},
                                                  reply_to=posted.id, conversation=posted.conversation_id))


def inputs_of(card: dict[str, Any]) -> dict[str, Any]:
    """Every input's value as Teams sends it on submit (text; numbers without a trailing .0)."""
    found: dict[str, Any] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Input.") and "id" in node:
                value = node.get("value")
                if isinstance(value, float):
                    value = str(int(value)) if value.is_integer() else repr(value)
                found[node["id"]] = "" if value is None else str(value)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card.get("body"))
    return found


def find_action(card: dict[str, Any], title: str) -> dict[str, Any]:
    for action in card.get("actions") or []:
        if action["title"] == title and action["type"] == "Action.Execute":
            return action
        if action["type"] == "Action.ShowCard":
            for inner in action["card"].get("actions") or []:
                if inner["title"] == title:
                    return inner
    raise AssertionError(f"no {title!r} button on the card")


def teams_invoicing_config(teams: RunningTeams) -> AppConfig:
    config = load_app_config(ROOT / "app.yml")
    section = {**config.teams.model_dump(), "service_url": teams.url + "/", "finance_conversation": FINANCE_CHAT,
               "approvers": [demo.FINANCE.email, SECOND_APPROVER_AAD]}
    return AppConfig.model_validate({**config.model_dump(), "teams": section})


@pytest.fixture
def invoicing(world: World, teams: RunningTeams) -> Iterator[InvoicingWorld]:
    settings = settings_for(world.settings.xero_api_url, world.settings.salesforce_login_url, **teams.settings())
    paidup = Paidup(settings, teams_invoicing_config(teams), db=world.db)
    assert paidup.sync.sync("salesforce").status == "ok" and paidup.sync.sync("xero").status == "ok"
    state = teams.state
    rita = state.add_user("Rita Rep", demo.REP.email)
    sam = state.add_user("Sam Seller", demo.SELLER.email)
    fiona = state.add_user("Fiona Finance", demo.FINANCE.email)
    otto = state.add_user("Otto Auditor", "otto@paidup.example", aad_object_id=SECOND_APPROVER_AAD)
    state.join(FINANCE_CHAT, fiona, otto, rita, sam)
    with LoopbackServer(paidup.web_app()) as server:
        bot = RunningTeamsBot(paidup, server.url, teams, TeamsChannel(state, teams.url))
        yield InvoicingWorld(bot, world, rita, sam, fiona, otto)
