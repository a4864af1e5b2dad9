"""Driving the invoice modal as a person does in Slack: signed requests to the bot's endpoint, the
views and messages read back from the Slack stand-in (which applies the bot's acks as Slack would)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from bot.app import Paidup
from bot.config import load_app_config
from integrations import demo_data as demo
from integrations.loopback import LoopbackServer
from integrations.slack_sandbox import DEFAULT_BOT_TOKEN, SlackRequestSigner, check_message_blocks
from integrations.slack_sandbox.surfaces import Message, View
from tests.bot.sync import conftest as sync_fixtures
from tests.bot.sync.conftest import World, settings_for
from tests.conftest import ROOT
from tests.handlers.slack.conftest import SIGNING_SECRET, RunningBot, RunningSlack, eventually

world = sync_fixtures.world  # both sandboxes on loopback and a test database (the fixture)
REP = "U0REP0001"  # Rita Rep: owns Acme, Globex, Stark
SELLER = "U0REP0002"  # Sam Seller: owns Müller
FINANCE = "U0FINANCE1"  # the approver in app.yml and the "finance" user group
FINANCE_CHANNEL = "C0FINANCE"


def start_bot(world: World, slack: RunningSlack, config_path: Any = None) -> Iterator[RunningBot]:
    settings = settings_for(world.settings.xero_api_url, world.settings.salesforce_login_url,
                            SLACK_BOT_TOKEN=DEFAULT_BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                            SLACK_API_URL=slack.api_url)
    config = load_app_config(config_path or ROOT / "app.yml")
    paidup = Paidup(settings, config, db=world.db)
    assert paidup.sync.sync("salesforce").status == "ok" and paidup.sync.sync("xero").status == "ok"
    with LoopbackServer(paidup.web_app(slack=paidup.slack_endpoint())) as server:
        yield RunningBot(paidup, server.url, slack, SlackRequestSigner(SIGNING_SECRET, sandbox_url=slack.url))


@pytest.fixture
def invoicing_bot(world: World, slack: RunningSlack) -> Iterator[RunningBot]:
    yield from start_bot(world, slack)


def modal_after(bot: RunningBot, user: str, before: View | None = None) -> View:
    def fresh() -> View | None:
        view = bot.slack.state.open_view_for(user)
        if view is None or (before is not None and view.id == before.id and view.hash == before.hash):
            return None
        return view
    view = eventually(fresh)
    assert view is not None, "no modal opened"
    return view


def slash(bot: RunningBot, text: str, user: str = REP) -> View:
    before = bot.slack.state.open_view_for(user)  # e.g. the confirmation of an earlier invoice
    response = bot.post(bot.signer.slash_command(user, text))
    assert response.status_code == 200 and response.elapsed.total_seconds() < 3.0
    return modal_after(bot, user, before)


def submit(bot: RunningBot, user: str, view: View, values: dict[str, dict[str, Any]] | None = None,
           ) -> tuple[dict[str, Any] | None, View | None]:
    """Press Submit with ``values`` entered; the ack is applied to the stand-in as Slack would."""
    response = bot.post(bot.signer.view_submission(user, view, values))
    assert response.status_code == 200 and response.elapsed.total_seconds() < 3.0
    ack = response.json() if response.content else None
    return ack, bot.slack.state.apply_submission_ack(view.id, ack)


def click(bot: RunningBot, user: str, action_id: str, *, message: Message | None = None,
          view: View | None = None) -> None:
    response = bot.post(bot.signer.block_actions(user, action_id, message=message, view=view))
    assert response.status_code == 200 and response.elapsed.total_seconds() < 3.0


def block(view: View | dict[str, Any], block_id: str) -> dict[str, Any]:
    blocks = view.definition["blocks"] if isinstance(view, View) else view["blocks"]
    return next(b for b in blocks if b.get("block_id") == block_id)


def finance_cards(bot: RunningBot) -> list[Message]:
    return [m for m in bot.slack.state.messages(FINANCE_CHANNEL) if m.user != FINANCE]


def card(bot: RunningBot) -> Message:
    cards = eventually(lambda: finance_cards(bot))
    assert len(cards) == 1, f"expected one approval card, got {len(cards)}"
    assert check_message_blocks(cards[0].blocks) == []
    return cards[0]


def dms(bot: RunningBot, user: str) -> list[Message]:
    return [m for m in bot.slack.state.dm_with(user) if m.user != user]


def text_of(blocks: list[dict[str, Any]]) -> str:
    import json
    return json.dumps(blocks, ensure_ascii=False)


def add_opportunity(world: World, name: str, account: str, owner: demo.DemoUser, currency: str,
                    lines: list[tuple[str, str, str, str | None]], amount: str = "0") -> str:
    """A closed-won opportunity in the Salesforce sandbox: lines are (product code, quantity, unit price,
    discount %). Sync Salesforce afterwards to see it in the mirror."""
    sf = world.salesforce
    opp_id = sf.create("Opportunity", {
        "Name": name, "AccountId": demo.SF_ACCOUNT[account].id, "OwnerId": owner.id, "StageName": "Closed Won",
        "CloseDate": sf.today, "Amount": Decimal(amount), "CurrencyIsoCode": currency})
    for n, (code, quantity, price, discount) in enumerate(lines, start=1):
        sf.create("OpportunityLineItem", {
            "OpportunityId": opp_id, "Product2Id": demo.PRODUCT[code].id, "Quantity": Decimal(quantity),
            "UnitPrice": Decimal(price), "Discount": Decimal(discount) if discount else None, "SortOrder": n,
            "CurrencyIsoCode": currency})
    return opp_id


def selected(value: str) -> dict[str, Any]:
    return {"selected_option": {"text": {"type": "plain_text", "text": value}, "value": value}}


def drafts(bot: RunningBot) -> list[Any]:
    from sqlalchemy import select

    from bot.store.state import InvoiceDraft
    with bot.paidup.db.session() as s:
        rows = s.scalars(select(InvoiceDraft).order_by(InvoiceDraft.id)).all()
        s.expunge_all()
        return list(rows)


def xero_invoices(world: World, reference: str) -> list[dict[str, Any]]:
    return [i for i in world.xero.ledger.tables["Invoices"].values() if i.get("Reference") == reference]
