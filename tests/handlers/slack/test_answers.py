"""Answers with real figures: `/paidup`, DMs and buttons through the HTTP endpoint (signed as Slack
signs them), the bot's services on a mirror synced from the Xero and Salesforce sandboxes, and
what the person sees read back from the Slack stand-in (which refuses invalid Block Kit)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bot.app import Paidup
from bot.config import load_app_config
from bot.store.mirror import XeroInvoice
from integrations import demo_data as demo
from integrations.loopback import LoopbackServer
from integrations.slack_sandbox import DEFAULT_BOT_TOKEN, SlackRequestSigner, check_message_blocks
from integrations.slack_sandbox.surfaces import Message
from tests.bot.sync.conftest import World, settings_for, world  # noqa: F401
from tests.conftest import ROOT

from .conftest import SIGNING_SECRET, RunningBot, RunningSlack, eventually

REP = "U0REP0001"


@pytest.fixture
def synced(world: World, slack: RunningSlack) -> Iterator[RunningBot]:  # noqa: F811
    """The bot over HTTP, its mirror synced from the sandboxes, Slack on the stand-in."""
    settings = settings_for(world.settings.xero_api_url, world.settings.salesforce_login_url,
                            SLACK_BOT_TOKEN=DEFAULT_BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                            SLACK_API_URL=slack.api_url)
    paidup = Paidup(settings, load_app_config(ROOT / "app.yml"), db=world.db)
    assert paidup.sync.sync("salesforce").status == "ok" and paidup.sync.sync("xero").status == "ok"
    with LoopbackServer(paidup.web_app(slack=paidup.slack_endpoint())) as server:
        yield RunningBot(paidup, server.url, slack, SlackRequestSigner(SIGNING_SECRET, sandbox_url=slack.url))


def ask(bot: RunningBot, text: str, user: str = REP) -> Message:
    """`/paidup <text>`: acked empty, the answer follows (ephemeral) through the response_url."""
    before = len(bot.slack.state.ephemeral_for(user))
    response = bot.post(bot.signer.slash_command(user, text))
    assert response.status_code == 200 and response.elapsed.total_seconds() < 1.0
    answers = eventually(lambda: bot.slack.state.ephemeral_for(user)[before:])
    assert answers, f"no answer to {text!r}"
    return answers[-1]


def dm(bot: RunningBot, text: str, user: str = REP) -> Message:
    before = len(bot.slack.state.dm_with(user))
    assert bot.post(bot.signer.message_im(user, text)).status_code == 200
    answers = eventually(lambda: [m for m in bot.slack.state.dm_with(user)[before:] if m.user != user])
    assert answers, f"no answer to {text!r}"
    return answers[-1]


def seen(message: Message) -> str:
    return json.dumps(message.blocks, ensure_ascii=False)


def test_status_by_name_in_two_currencies(synced: RunningBot) -> None:
    card = ask(synced, "acme corporation")
    assert card.via == "response_url" and check_message_blocks(card.blocks) == []
    header, *_ = card.blocks
    assert header["type"] == "header" and header["text"]["text"] == "Acme Corporation"
    summary = {f["text"].split("\n")[0]: f["text"].split("\n")[1] for f in card.blocks[1]["fields"]}
    assert summary["*Amount due*"] == "£4,800.00 GBP + $10,310.00 USD"  # 6,350.00 + 3,960.00 USD
    assert summary["*Overdue*"] == "£4,800.00 GBP + $6,350.00 USD"
    assert summary["*Last payment*"].startswith("$3,000.00 USD on ") and "INV-0002" in summary["*Last payment*"]
    assert summary["*Owner*"] == "Rita Rep"
    invoices = card.blocks[2]["text"]["text"]
    assert invoices.index("INV-0003") < invoices.index("INV-0002") < invoices.index("INV-0004")
    assert "$6,350.00 USD due" in invoices and "£4,800.00 GBP due" in invoices and "shortcode=!pD3mo" in invoices
    context = seen(card)
    account_link = f"/lightning/r/Account/{demo.SF_ACCOUNT['acme'].id}/view|Open the account in Salesforce>"
    assert "as of just now" in context and f"<{synced.paidup.salesforce_instance_url()}{account_link}" in context
    assert synced.paidup.salesforce_instance_url().startswith("http://127.0.0.1:")
    buttons = {e["action_id"]: e for e in card.blocks[-1]["elements"]}
    assert buttons["create_invoice"]["value"] == demo.OPPORTUNITIES[0].id
    assert buttons["create_invoice"]["text"]["text"] == "Create invoice: Acme Corporation - Expansion 2027"
    assert "share_status" in buttons
    assert "10,310.00" in card.text


def test_status_spelled_out_and_in_dm_phrasings(synced: RunningBot) -> None:
    assert ask(synced, "status Acme Corporation").blocks[0]["text"]["text"] == "Acme Corporation"
    for text in ("has Acme Corporation paid?", "what does Acme Corporation owe?", "is acme corporation paid up yet"):
        answer = dm(synced, text)
        assert answer.blocks[0]["text"]["text"] == "Acme Corporation", text
        assert check_message_blocks(answer.blocks) == []
    globex = dm(synced, "did Globex pay INV-0042?")
    assert globex.blocks[0]["text"]["text"] == "Globex, Inc." and "paid in full" in seen(globex)


def test_a_mention_is_answered_to_the_asker_with_the_card(synced: RunningBot) -> None:
    assert synced.post(synced.signer.app_mention(REP, "has Acme Corporation paid yet?",
                                                 "C0SALES")).status_code == 200
    [card] = eventually(lambda: synced.slack.state.ephemeral_for(REP, "C0SALES"))
    assert card.blocks[0]["text"]["text"] == "Acme Corporation" and synced.slack.state.messages("C0SALES") == []


def test_an_invoice_number_paid_in_full(synced: RunningBot) -> None:
    card = ask(synced, "INV-0042")
    asked = card.blocks[1]["text"]["text"]
    assert card.blocks[0]["text"]["text"] == "Globex, Inc."
    assert "INV-0042" in asked and "*paid in full*" in asked and "$5,000.00 USD" in asked
    assert "INV-0043" in seen(card)


def test_ambiguous_name_buttons_then_the_card(synced: RunningBot) -> None:
    choice = ask(synced, "acme")
    names = [e["text"]["text"] for e in choice.blocks[1]["elements"]]
    assert names == ["Acme Corporation", "Acme Logistics GmbH"]
    click = synced.signer.block_actions(REP, "pick_account_1", message=choice)
    assert synced.post(click).status_code == 200
    card = eventually(lambda: [m for m in synced.slack.state.ephemeral_for(REP)
                               if m.blocks and m.blocks[0].get("type") == "header"])
    assert card[-1].blocks[0]["text"]["text"] == "Acme Logistics GmbH"
    assert "€9,600.00 EUR" in seen(card[-1])


def test_not_found_suggests_the_closest_names(synced: RunningBot) -> None:
    answer = ask(synced, "Globx Incc")
    text = seen(answer)
    assert "couldn't find" in answer.text and "Globex" in text
    nothing = ask(synced, "Zzyzx Widgets")
    assert "couldn't find" in nothing.text and check_message_blocks(nothing.blocks) == []


def test_hostile_input_gets_a_normal_answer(synced: RunningBot) -> None:
    for text in ("x' OR Name != '", "a" * 5000, "💸 Acme", "מה שלום Acme?", "<script>&lt;"):
        answer = ask(synced, text)
        assert answer.text and check_message_blocks(answer.blocks) == []


def test_share_in_channel_posts_the_card_for_everyone(synced: RunningBot) -> None:
    card = ask(synced, "INV-0042")
    click = synced.signer.block_actions(REP, "share_status", message=card)
    assert synced.post(click).status_code == 200
    [shared] = eventually(lambda: synced.slack.state.messages(card.channel))
    assert shared.ephemeral_for is None and shared.blocks[0]["text"]["text"] == "Globex, Inc."
    assert "paid in full" in seen(shared) and f"Shared by <@{REP}>" in seen(shared)
    assert all(b["type"] != "actions" for b in shared.blocks)


def test_create_invoice_on_the_card_opens_the_form_for_that_deal(synced: RunningBot) -> None:
    card = ask(synced, "Acme Corporation")
    assert synced.post(synced.signer.block_actions(REP, "create_invoice", message=card)).status_code == 200
    form = eventually(lambda: synced.slack.state.open_view_for(REP))
    assert form is not None and form.definition["callback_id"] == "invoice_form"
    assert "Acme Corporation - Expansion 2027" in json.dumps(form.definition["blocks"])


def test_a_large_account_stays_within_block_kit_limits(synced: RunningBot) -> None:
    contact = demo.XERO_CONTACT["acme"].id
    today = datetime.now(UTC).date()
    with synced.paidup.db.session() as s:
        for n in range(300):
            s.add(XeroInvoice(id=f"b0000000-0000-0000-0000-{n:012d}", number=f"BULK-{'X' * 40}-{n:03d}",
                              contact_id=contact, status="AUTHORISED", currency="USD",
                              due_date=today - timedelta(days=n % 120 + 1), total=Decimal("1234567.89"),
                              amount_due=Decimal("1234567.89")))
    card = ask(synced, "Acme Corporation")
    assert check_message_blocks(card.blocks) == [] and len(card.blocks) <= 50
    assert "more open invoices" in seen(card)
    assert len(json.dumps(card.blocks)) < 12_000


def test_health_after_a_sync(synced: RunningBot) -> None:
    answer = ask(synced, "health")
    assert answer.blocks[0]["text"]["text"] == "Paidup health" and check_message_blocks(answer.blocks) == []
    sources = answer.blocks[1]["text"]["text"]
    assert "*Xero*: last good sync just now; 0 open failures" in sources
    assert "*Salesforce*: last good sync just now" in sources
    assert "link suggestion" in answer.blocks[2]["text"]["text"]
    assert answer.text == "Paidup health: both sources synced recently, no open failures."


def test_overdue_mine_for_rita_rep(synced: RunningBot) -> None:
    answer = ask(synced, "overdue mine")
    assert answer.blocks[0]["text"]["text"] == "Overdue for Rita Rep" and check_message_blocks(answer.blocks) == []
    owners = [b for b in answer.blocks if b["block_id"].startswith("overdue_owner_")]
    [rita] = owners
    text = rita["text"]["text"]
    assert text.startswith("*Rita Rep*: 4 overdue, €6,480.00 EUR + £4,800.00 GBP + $9,100.00 USD")
    assert [n for n in ("INV-0060", "INV-0003", "INV-0002", "INV-0043") if n in text] == [
        "INV-0060", "INV-0003", "INV-0002", "INV-0043"]
    assert "61–90 days: 1 (€6,480.00 EUR)" in text and "INV-0010" not in text
    assert len(synced.slack.state.calls("users.info")) == 1
    assert dm(synced, "overdue for me").blocks[0]["text"]["text"] == "Overdue for Rita Rep"
    assert len(synced.slack.state.calls("users.info")) == 1  # the mapping is cached


def test_overdue_for_everyone_grouped_by_owner(synced: RunningBot) -> None:
    answer = ask(synced, "overdue all")
    assert answer.blocks[0]["text"]["text"] == "Overdue invoices, everyone"
    owners = [b["text"]["text"].split("*")[1] for b in answer.blocks if b["block_id"].startswith("overdue_owner_")]
    assert owners == ["Rita Rep", "Sam Seller", "Unassigned"]
    summary = answer.blocks[1]["text"]["text"]
    assert summary.startswith("*8 overdue invoices*: €16,080.00 EUR + £15,600.00 GBP + $17,856.00 USD")
    assert "90+ days: 1 (€9,600.00 EUR)" in summary
    assert answer.text.startswith("Overdue invoices, everyone: 8 invoices")


def test_overdue_mine_for_someone_salesforce_does_not_know(synced: RunningBot) -> None:
    answer = ask(synced, "overdue mine", user="U0PAIDUPBOT")
    assert "can't tell which" in answer.text or "Slack doesn't share" in answer.text
