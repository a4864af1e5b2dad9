"""The App Home tab through signed `app_home_opened` events: the bot's services on a mirror synced
from the Xero and Salesforce sandboxes, the published view read back from the Slack stand-in
(which checks Block Kit as Slack does)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from bot.app import Paidup
from bot.config import load_app_config
from bot.domain.money import Money
from bot.services.home import Freshness, HomeData, Listed, UninvoicedDeal, WaitingDraft
from bot.services.overdue import OverdueInvoice, OverdueReport, OwnerOverdue
from bot.services.people import SalesforceUserRef, UserMapping
from bot.store.state import InvoiceDraft
from handlers.slack.blocks.home import home_view
from integrations import demo_data as demo
from integrations.loopback import LoopbackServer
from integrations.slack_sandbox import DEFAULT_BOT_TOKEN, SlackRequestSigner, check_view
from integrations.slack_sandbox.surfaces import View
from integrations.slack_sandbox.workspace import SlackUser
from tests.bot.sync.conftest import World, settings_for, world  # noqa: F401
from tests.conftest import ROOT

from .conftest import SIGNING_SECRET, RunningBot, RunningSlack, eventually

REP = "U0REP0001"
APPROVER = "U0FINANCE1"
STRANGER = "U0STRANGER"


@pytest.fixture
def synced(world: World, slack: RunningSlack) -> Iterator[RunningBot]:  # noqa: F811
    settings = settings_for(world.settings.xero_api_url, world.settings.salesforce_login_url,
                            SLACK_BOT_TOKEN=DEFAULT_BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                            SLACK_API_URL=slack.api_url)
    paidup = Paidup(settings, load_app_config(ROOT / "app.yml"), db=world.db)
    assert paidup.sync.sync("salesforce").status == "ok" and paidup.sync.sync("xero").status == "ok"
    with LoopbackServer(paidup.web_app(slack=paidup.slack_endpoint())) as server:
        yield RunningBot(paidup, server.url, slack, SlackRequestSigner(SIGNING_SECRET, sandbox_url=slack.url))


def open_home(bot: RunningBot, user: str) -> dict[str, Any]:
    before = bot.slack.state.home_for(user)
    response = bot.post(bot.signer.app_home_opened(user))
    assert response.status_code == 200 and response.elapsed.total_seconds() < 1.0

    def published() -> View | None:  # a new view, not the one from an earlier opening
        view = bot.slack.state.home_for(user)
        return view if view is not None and view != before else None

    home = eventually(published)
    assert home is not None, f"no home published for {user}"
    assert check_view(home.definition) == []
    assert home.type == "home" and len(home.definition["blocks"]) <= 100
    return home.definition


def block(view: dict[str, Any], block_id: str) -> str:
    [found] = [b for b in view["blocks"] if b.get("block_id") == block_id]
    return json.dumps(found, ensure_ascii=False)


def block_ids(view: dict[str, Any]) -> list[str]:
    return [b.get("block_id", "") for b in view["blocks"]]


def add_draft(bot: RunningBot, requested_by: str, status: str = "awaiting_approval") -> None:
    with bot.paidup.db.session() as s:
        s.add(InvoiceDraft(requested_by=requested_by, status=status, idempotency_key=f"home-{requested_by}-{status}",
                           sf_account_id=demo.SF_ACCOUNT["acme"].id, currency="USD", invoice_date=date(2026, 11, 1),
                           due_date=date(2026, 12, 1), total=Decimal("14900.00")))


def test_a_rep_sees_her_overdue_invoices_and_uninvoiced_deals(synced: RunningBot) -> None:
    view = open_home(synced, REP)
    assert "Rita Rep" in block(view, "home_title")
    overdue = block(view, "home_overdue")
    assert "INV-0003" in overdue and "INV-0002" in overdue and "days overdue" in overdue
    deals = block(view, "home_deals")
    for name in ("Acme Corporation - Expansion 2027", "Globex - UK rollout", "Stark Industries - Pilot"):
        assert name in deals
    assert "$14,900.00 USD" in deals and "£9,180.00 GBP" in deals and "closed " in deals
    assert "Renewal 2026" not in deals and "Müller" not in deals  # invoiced; someone else's
    freshness = block(view, "home_freshness")
    assert "Xero: as of just now" in freshness and "Salesforce: as of just now" in freshness
    assert "home_my_drafts" not in block_ids(view) and "home_approvals" not in block_ids(view)
    assert "help_commands" in block_ids(view)


def test_a_rep_sees_her_drafts_waiting_for_approval(synced: RunningBot) -> None:
    add_draft(synced, REP)
    add_draft(synced, REP, status="approved")
    view = open_home(synced, REP)
    drafts = block(view, "home_my_drafts")
    assert drafts.count("• Draft") == 1 and "Acme Corporation" in drafts and "$14,900.00 USD" in drafts


def test_an_approver_sees_the_approval_queue(synced: RunningBot) -> None:
    view = open_home(synced, APPROVER)
    assert "Nothing waiting for approval." in block(view, "home_approvals")
    add_draft(synced, REP)
    view = open_home(synced, APPROVER)
    queue = block(view, "home_approvals")
    assert f"<@{REP}>" in queue and "$14,900.00 USD" in queue and "awaiting approval" in queue


def test_a_rep_sees_no_approval_queue(synced: RunningBot) -> None:
    add_draft(synced, REP)
    assert "home_approvals" not in block_ids(open_home(synced, "U0REP0002"))


def test_an_unmapped_user_is_told_why_and_still_sees_freshness_and_help(synced: RunningBot) -> None:
    synced.slack.state.add_user(SlackUser(STRANGER, "stranger", "Stan Stranger", "stan@elsewhere.example"))
    view = open_home(synced, STRANGER)
    unmapped = block(view, "home_unmapped")
    assert "No Salesforce user has your Slack email address (stan@elsewhere.example)" in unmapped
    ids = block_ids(view)
    assert "home_overdue" not in ids and "home_deals" not in ids
    assert "home_freshness" in ids and "help_commands" in ids


def test_a_busy_home_is_capped_and_still_valid_block_kit() -> None:
    """Pure builder: long lists and long names stay inside Slack's limits, with a count of the rest."""
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    name = "Ü" * 300 + " <@here> & *bold*"
    invoices = [OverdueInvoice(f"i{n}", f"INV-{n:04}", name, None, "c", date(2026, 1, 1), 300 + n, "90+",
                               Money("EUR", Decimal("1234567.89")), "https://go.xero.com/x") for n in range(10)]
    group = OwnerOverdue("005A", "Rita Rep", invoices, 990, 1000, [Money("EUR", Decimal("1"))], [])
    report = OverdueReport("mine", date(2026, 11, 29), [group], 1000, [Money("EUR", Decimal("1"))], [], now)
    deals = Listed([UninvoicedDeal(f"006{n}", name, name, Money("JPY", Decimal("1000000")), None)
                    for n in range(10)], 490)
    drafts = Listed([WaitingDraft(n, REP, name, Money("GBP", Decimal("9.99")), "pending_approval", now)
                     for n in range(15)], 85)
    mapping = UserMapping(REP, "matched", "rita.rep@paidup.example", "Rita",
                          SalesforceUserRef("005A", name, "rita.rep@paidup.example", True))
    freshness = [Freshness("xero", now), Freshness("salesforce", None)]
    home = HomeData(REP, mapping, report, deals, drafts, drafts, freshness)
    view = home_view("/paidup", home, now)
    assert check_view(view) == [] and len(view["blocks"]) <= 100
    seen = json.dumps(view, ensure_ascii=False)
    assert "…and 990 more" in seen and "…and 490 more" in seen and "…and 85 more" in seen
    assert "<@here>" not in seen  # names from the mirror are escaped
    assert "Xero: as of just now · Salesforce: never synced" in seen
