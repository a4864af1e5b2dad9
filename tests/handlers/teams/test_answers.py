"""Answers in Teams with real figures: activities signed as the Bot Framework signs them, through
`POST /api/messages`, the services on a mirror synced from the Xero and Salesforce sandboxes, and
what the person sees read back from the connector stand-in (cards as posted, and as updated)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.app import Paidup
from bot.config import load_app_config
from bot.store.models import Base
from bot.store.session import Database
from integrations import demo_data as demo
from integrations.loopback import LoopbackServer
from integrations.salesforce.sandbox import create_salesforce_sandbox
from integrations.teams_sandbox import TeamsChannel, TeamsUser
from integrations.xero.sandbox import start_xero_sandbox
from tests.bot.sync.conftest import SF_ID, SF_SECRET, WEBHOOK_KEY, XERO_ID, XERO_SECRET, settings_for
from tests.conftest import ON_POSTGRES, ROOT

from .conftest import RunningTeams, RunningTeamsBot

ADAPTIVE = "application/vnd.microsoft.card.adaptive"


@pytest.fixture(scope="module")
def synced_db(migrated_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One migrated database for this module: the answers only read the mirror (each test has its own
    Teams users, so people's cached mappings don't meet), and one sync serves them all."""
    if ON_POSTGRES:
        database = Database(migrated_url)
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with database.engine.begin() as conn:
            conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    else:
        path = Path(tmp_path_factory.mktemp("teams-answers")) / "paidup.db"
        shutil.copyfile(str(sa.make_url(migrated_url).database), path)
        database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def synced_bot(synced_db: Database, running_teams: RunningTeams) -> Iterator[RunningTeamsBot]:
    """The bot over HTTP with Teams configured, its mirror synced once from the Xero and Salesforce sandboxes."""
    today = datetime.now(UTC).date()
    _, xero_server = start_xero_sandbox(today=today, client_id=XERO_ID, client_secret=XERO_SECRET,
                                        webhook_key=WEBHOOK_KEY)
    _, salesforce_app = create_salesforce_sandbox(today=today, client_id=SF_ID, client_secret=SF_SECRET,
                                                  batch_size=200)
    with LoopbackServer(salesforce_app) as sf_server:
        settings = settings_for(xero_server.url, sf_server.url, **running_teams.settings())
        paidup = Paidup(settings, load_app_config(ROOT / "app.yml"), db=synced_db)
        assert paidup.sync.sync("salesforce").status == "ok" and paidup.sync.sync("xero").status == "ok"
        with LoopbackServer(paidup.web_app()) as server:
            yield RunningTeamsBot(paidup, server.url, running_teams, TeamsChannel(running_teams.state,
                                                                                  running_teams.url))
    xero_server.stop()


@pytest.fixture
def synced(synced_bot: RunningTeamsBot, teams: RunningTeams) -> RunningTeamsBot:
    return synced_bot  # ``teams`` cleared the stand-in's record for this test


@pytest.fixture
def rita(synced: RunningTeamsBot) -> TeamsUser:
    return synced.teams.state.add_user("Rita Rep", "rita.rep@paidup.example")


def texts(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


def facts(card: dict[str, Any]) -> dict[str, str]:
    [fact_set] = [b for b in card["body"] if b["type"] == "FactSet"]
    return {f["title"]: f["value"] for f in fact_set["facts"]}


def test_status_card_in_two_currencies(synced: RunningTeamsBot, rita: TeamsUser) -> None:
    [card] = synced.ask(rita, "acme corporation").cards
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert card["body"][0]["text"] == "Acme Corporation" and card["body"][0]["weight"] == "Bolder"
    summary = facts(card)
    assert summary["Amount due"] == "£4,800.00 GBP + $10,310.00 USD"  # 6,350.00 + 3,960.00 USD
    assert summary["Overdue"] == "£4,800.00 GBP + $6,350.00 USD"
    assert summary["Last payment"].startswith("$3,000.00 USD on ") and "INV-0002" in summary["Last payment"]
    assert summary["Owner"] == "Rita Rep" and summary["Credit notes"] == "None open"
    lines = [b["text"] for b in card["body"] if b["type"] == "TextBlock" and b["text"].startswith("- [INV-")]
    assert [line[3:11] for line in lines] == ["INV-0003", "INV-0002", "INV-0004"]  # most overdue first
    assert "£4,800.00 GBP due" in lines[0] and "days overdue**" in lines[0] and "shortcode=!pD3mo" in lines[0]
    assert "$6,350.00 USD due" in lines[1] and "$3,960.00 USD due" in lines[2]
    assert "From Xero, as of just now." in texts(card)
    open_salesforce, create, remind = card["actions"]
    assert open_salesforce["type"] == "Action.OpenUrl" and open_salesforce["url"] == (
        f"{synced.paidup.salesforce_instance_url()}/lightning/r/Account/{demo.SF_ACCOUNT['acme'].id}/view")
    assert create["title"] == "Create invoice: Acme Corporation - Expansion 2027"
    assert create["type"] == "Action.Submit" and create["data"]["msteams"] == {"type": "task/fetch"}
    assert remind["title"] == "Remind me when paid" and len(remind["data"]["invoices"].split(",")) == 3


def test_plain_phrasings_and_a_channel_mention(synced: RunningTeamsBot, rita: TeamsUser) -> None:
    for text in ("has Acme Corporation paid?", "what does Acme Corporation owe?", "status Acme Corporation"):
        assert synced.ask(rita, text).cards[0]["body"][0]["text"] == "Acme Corporation", text
    sales = synced.channel.channel_conversation("19:sales0001@thread.tacv2", rita)
    reply = synced.ask(rita, "did Globex pay INV-0042?", sales, mention=True)
    [card] = reply.cards
    assert card["body"][0]["text"] == "Globex, Inc." and "**paid in full**" in texts(card)
    assert reply.conversation_id == sales and reply.activity["summary"].startswith("Globex, Inc.: due")


def test_an_invoice_number_alone(synced: RunningTeamsBot, rita: TeamsUser) -> None:
    [card] = synced.ask(rita, "INV-0042").cards
    asked = card["body"][2]["text"]
    assert card["body"][1]["text"] == "Invoice you asked about"
    assert asked.startswith("[INV-0042](") and "**paid in full**" in asked and "$5,000.00 USD" in asked


def test_ambiguous_name_choices_then_the_card_in_place(synced: RunningTeamsBot, rita: TeamsUser) -> None:
    choice = synced.ask(rita, "acme")
    [card] = choice.cards
    buttons = card["actions"]
    assert [b["title"] for b in buttons] == ["Acme Corporation", "Acme Logistics GmbH"]
    assert {b["type"] for b in buttons} == {"Action.Execute"} and buttons[1]["fallback"]["type"] == "Action.Submit"
    posts_before = len(synced.teams.state.calls_of("POST"))
    click = synced.channel.execute(rita, buttons[1]["verb"], buttons[1]["data"], reply_to=choice.id)
    response = synced.post(click)
    assert response.status_code == 200
    body = response.json()  # Universal Actions: the new card comes back in the invoke response
    assert body["statusCode"] == 200 and body["type"] == ADAPTIVE
    assert body["value"]["body"][0]["text"] == "Acme Logistics GmbH" and "€9,600.00 EUR" in texts(body["value"])
    assert len(synced.teams.state.calls_of("POST")) == posts_before  # nothing posted: replaced in place


def test_old_clients_press_the_submit_fallback_and_the_card_is_updated(synced: RunningTeamsBot,
                                                                      rita: TeamsUser) -> None:
    choice = synced.ask(rita, "acme")
    fallback = choice.cards[0]["actions"][0]["fallback"]
    assert synced.post(synced.channel.submit(rita, fallback["data"], reply_to=choice.id)).status_code == 200
    [put] = synced.teams.state.calls_of("PUT")
    assert put.activity_id == choice.id
    assert choice.cards[0]["body"][0]["text"] == "Acme Corporation" and len(choice.updates) == 1


def test_a_pick_for_an_account_that_is_gone(synced: RunningTeamsBot, rita: TeamsUser) -> None:
    choice = synced.ask(rita, "acme")
    response = synced.post(synced.channel.execute(rita, "pick_account", {"account": "sf:001000000000000XYZ"},
                                                  reply_to=choice.id))
    assert response.json()["type"] == "application/vnd.microsoft.activity.message"
    assert "no longer in the mirror" in response.json()["value"]
    unknown = synced.post(synced.channel.execute(rita, "launch_rockets", {}, reply_to=choice.id)).json()
    assert unknown["statusCode"] == 400 and unknown["type"] == "application/vnd.microsoft.error"


def test_not_found_suggests_the_closest_names(synced: RunningTeamsBot, rita: TeamsUser) -> None:
    answer = synced.ask(rita, "Globx Incc")
    assert answer.activity["summary"].startswith("I couldn't find") and "Globex" in texts(answer.cards[0])
    nothing = synced.ask(rita, "Zzyzx Widgets")
    assert "Closest names" not in texts(nothing.cards[0]) or "Zzyzx" in texts(nothing.cards[0])


def test_help_and_what_it_does_not_understand(synced: RunningTeamsBot, rita: TeamsUser) -> None:
    [help_card] = synced.ask(rita, "help").cards
    assert help_card["body"][0]["text"] == "What Paidup answers"
    titles = [f["title"] for f in help_card["body"][1]["facts"]]
    assert titles[:2] == ["acme", "INV-0042"] and "overdue mine" in titles
    [hello] = synced.ask(rita, "hi").cards
    assert hello["body"][0]["text"].startswith("I didn't understand that")
    [typo] = synced.ask(rita, "hepl").cards
    assert typo["body"][0]["text"] == "I don't know the command \"hepl\". Here is what I can do:"


def test_hostile_input_gets_a_normal_answer(synced: RunningTeamsBot, rita: TeamsUser) -> None:
    for text in ("x' OR Name != '", "a" * 5000, "💸 Acme", "<script>alert(1)</script>&lt;", "[Acme](http://x)"):
        reply = synced.ask(rita, text)
        assert reply.activity.get("summary") or reply.activity.get("text")
    [linked] = synced.ask(rita, "status Widgets [Evil](http://x.example) Ltd").cards
    shown = next(b["text"] for b in linked["body"] if "Evil" in b["text"])
    assert "\\[Evil\\](http://x.example)" in shown  # typed markdown is shown as typed, not made a link


def test_overdue_mine_maps_the_teams_user_by_email(synced: RunningTeamsBot, rita: TeamsUser) -> None:
    [card] = synced.ask(rita, "overdue mine").cards
    assert card["body"][0]["text"] == "Overdue for Rita Rep"
    owner = next(b["text"] for b in card["body"] if b["text"].startswith("**Rita Rep**"))
    assert owner == "**Rita Rep**: 4 overdue, €6,480.00 EUR + £4,800.00 GBP + $9,100.00 USD"
    assert len(synced.teams.state.calls_of("GET", "members")) == 1
    assert synced.ask(rita, "overdue for me").cards[0]["body"][0]["text"] == "Overdue for Rita Rep"
    assert len(synced.teams.state.calls_of("GET", "members")) == 1  # cached through the people service


def test_overdue_mine_for_someone_salesforce_does_not_know(synced: RunningTeamsBot) -> None:
    stranger = synced.teams.state.add_user("Stan Ger", "stan@elsewhere.example")
    reply = synced.ask(stranger, "overdue mine")
    assert reply.activity["text"].startswith("No Salesforce user has your Teams email address (stan@elsewhere")
    [everyone] = synced.ask(stranger, "overdue all").cards
    assert everyone["body"][0]["text"] == "Overdue invoices, everyone" and "**8 overdue invoices**" in texts(everyone)


def test_the_bot_says_hello_when_added(synced: RunningTeamsBot, rita: TeamsUser) -> None:
    added = synced.channel.message(rita, "") | {"type": "conversationUpdate",
                                                 "membersAdded": [{"id": synced.teams.state.bot_id}]}
    del added["text"], added["textFormat"]
    assert synced.post(added).status_code == 200
    [hello] = synced.teams.state.in_conversation(synced.channel.personal(rita))
    assert hello.cards[0]["body"][0]["text"] == "Hi! I'm Paidup."


def test_health_after_a_sync(synced: RunningTeamsBot, rita: TeamsUser) -> None:
    reply = synced.ask(rita, "health")
    [card] = reply.cards
    assert card["body"][0]["text"] == "Paidup health"
    sources = [b["text"] for b in card["body"][1:3]]
    assert sources[0].startswith("✅ **Xero**: last good sync just now; 0 open failures; quota left: ")
    assert sources[1].startswith("✅ **Salesforce**: last good sync just now; 0 open failures")
    assert reply.activity["summary"] == "Paidup health: both sources synced recently, no open failures."


def test_a_fallback_press_that_only_has_words_leaves_the_card(synced: RunningTeamsBot, rita: TeamsUser) -> None:
    choice = synced.ask(rita, "acme")
    gone = synced.channel.submit(rita, {"verb": "pick_account", "account": "sf:001000000000000XYZ"},
                                 reply_to=choice.id)
    assert synced.post(gone).status_code == 200
    assert synced.teams.state.calls_of("PUT") == [] and choice.cards[0]["actions"]  # the choice card is untouched
    said = synced.teams.state.in_conversation(synced.channel.personal(rita))[-1]
    assert "no longer in the mirror" in said.activity["text"]
