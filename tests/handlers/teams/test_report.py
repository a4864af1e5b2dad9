"""“report …” in Teams end to end: activities signed as the Bot Framework signs them, through
`POST /api/messages`, the report service on the hand-checked mirror of ``tests/bot/services/reports_data``
(Berlin, 1 November 2026), and what people see read back from the connector stand-in: the card, then
each chart as an inline image within Teams' limits."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from bot.app import Paidup
from bot.config import AppConfig, load_app_config
from bot.services.reports import Report, ReportService, resolve_period
from bot.services.reports.service import (
    AGING_LABELS,
    BaseTotal,
    CurrencyFigures,
    OverdueAccount,
    OwnerFigures,
    OwnerLine,
    UninvoicedDeal,
)
from bot.store.session import Database
from handlers.teams.cards.report import report_reply
from integrations.loopback import LoopbackServer
from integrations.teams_sandbox import TeamsChannel, TeamsUser
from tests.bot.services.reports_data import NOW, seed
from tests.conftest import ROOT

from .conftest import RunningTeams, RunningTeamsBot, teams_settings

APPROVER_EMAIL = "fiona.finance@paidup.example"
APPROVER_AAD = "0000aaaa-0000-4000-8000-00000000f1a2"
MANAGER_EMAIL = "mia.manager@paidup.example"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def berlin_config() -> AppConfig:
    raw = load_app_config(ROOT / "app.yml").model_dump()
    raw["reports"] |= {"timezone": "Europe/Berlin"}
    raw["teams"] |= {"approvers": [APPROVER_EMAIL, APPROVER_AAD], "report_managers": [MANAGER_EMAIL]}
    return AppConfig.model_validate(raw)


@pytest.fixture
def reporting(teams: RunningTeams, db: Database) -> Iterator[RunningTeamsBot]:
    seed(db)
    paidup = Paidup(teams_settings(teams), berlin_config(), db=db)
    # The composition root's report service, on a clock stopped at 23:30 UTC on 31 October.
    paidup.__dict__["reports"] = ReportService(db, paidup.config, clock=lambda: NOW)
    with LoopbackServer(paidup.web_app()) as server:
        yield RunningTeamsBot(paidup, server.url, teams, TeamsChannel(teams.state, teams.url))


@pytest.fixture
def rita(reporting: RunningTeamsBot) -> TeamsUser:
    return reporting.teams.state.add_user("Rita Rep", "rita.rep@paidup.example")


@pytest.fixture
def fiona(reporting: RunningTeamsBot) -> TeamsUser:
    return reporting.teams.state.add_user("Fiona Finance", APPROVER_EMAIL.upper())  # emails match in any case


def facts_under(card: dict[str, Any], heading: str) -> dict[str, str]:
    """The FactSet right after the TextBlock ``heading``."""
    index = next(i for i, b in enumerate(card["body"]) if b["type"] == "TextBlock" and b["text"] == heading)
    fact_set = card["body"][index + 1]
    assert fact_set["type"] == "FactSet"
    return {f["title"]: f["value"] for f in fact_set["facts"]}


def lines(card: dict[str, Any]) -> list[str]:
    return [b["text"] for b in card["body"] if b["type"] == "TextBlock"]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_an_approver_by_email_gets_everyones_report_then_the_charts(reporting: RunningTeamsBot,
                                                                    fiona: TeamsUser) -> None:
    card_message, *charts = reporting.replies(fiona, "report all last month")
    [card] = card_message.cards
    assert card["type"] == "AdaptiveCard" and card["body"][0]["text"] == "Report for everyone: October 2026"
    assert card_message.activity["summary"] == ("Report for everyone: October 2026: receivables €2,300.00 EUR + "
                                                "£2,750.00 GBP + $600.00 USD")
    gbp = facts_under(card, "GBP")
    assert gbp["Closed-won"] == "£1,500.00 GBP (1)" and gbp["Invoiced"] == "£1,700.00 GBP (2)"
    assert gbp["Collected"] == "£500.00 GBP" and gbp["Receivables"] == "£2,750.00 GBP"
    assert gbp["Overdue"] == "£1,950.00 GBP (3)" and gbp["DSO"] == "84 days"
    assert "1–30 £1,650.00" in gbp["Aging"] and "90+ £300.00" in gbp["Aging"]
    assert gbp["Revenue at risk"] == "£700.00 GBP in 1 closed-won deal not invoiced"
    assert facts_under(card, "EUR")["DSO"] == "n/a (nothing invoiced in 90 days)"
    shown = lines(card)
    owners = shown[shown.index("By owner") + 1:shown.index("Top overdue accounts")]
    assert [o.split("**")[1] for o in owners] == ["Rita Rep", "Sam Seller", "Unassigned"]
    assert "- Beta GmbH: €2,300.00 EUR overdue (1 invoice, oldest 79 days)" in shown
    assert any("receivables £5,230.00 GBP" in line for line in shown)  # at Xero's rates, in the base currency
    assert shown[-1].startswith("Periods and aging in Europe/Berlin (today 01 Nov 2026).")
    assert shown[-1].endswith("Charts in the next messages.")
    assert len(json.dumps(card_message.activity).encode()) < 28 * 1024
    # each chart: a message of its own, one inline PNG scaled into 1024 × 1024, its text saying what it shows
    assert [c.images[0][0] for c in charts] == ["receivables-aging.png", "invoiced-vs-collected.png"]
    for chart in charts:
        [(_, png)] = chart.images
        [attachment] = chart.activity["attachments"]
        assert attachment["contentType"] == "image/png"
        assert attachment["contentUrl"].startswith("data:image/png;base64,")
        width, height = png_size(png)
        assert max(width, height) == 1024 and 900 < width < 1024  # drawn 1000 × 1060 for three currencies
        assert "GBP" in chart.activity["text"] and chart.activity["textFormat"] == "plain"
    assert charts[0].activity["text"].startswith("Receivables by age per currency: EUR Current 0")


def test_a_rep_asking_for_the_team_report_is_refused_politely(reporting: RunningTeamsBot, rita: TeamsUser) -> None:
    [refused] = reporting.replies(rita, "report team")
    assert refused.activity["text"].startswith("Team and company reports are for the approvers and report managers "
                                               "named in app.yml (teams.approvers, teams.report_managers).")
    assert "“report me”" in refused.activity["text"] and refused.images == []


def test_a_report_manager_sees_the_team_report_but_may_not_approve(reporting: RunningTeamsBot) -> None:
    mia = reporting.teams.state.add_user("Mia Manager", MANAGER_EMAIL)
    card_message, *charts = reporting.replies(mia, "report team last month")
    assert card_message.cards[0]["body"][0]["text"] == "Report for the sales team: October 2026" and len(charts) == 2
    assert MANAGER_EMAIL not in reporting.paidup.config.teams.approvers  # a manager is not an invoice approver


def test_a_rep_gets_their_own_figures_for_last_month(reporting: RunningTeamsBot, rita: TeamsUser) -> None:
    card_message, *charts = reporting.replies(rita, "report for last month")
    [card] = card_message.cards
    assert card["body"][0]["text"] == "Report for Rita Rep: October 2026"
    gbp = facts_under(card, "GBP")
    assert gbp["Receivables"] == "£1,650.00 GBP" and gbp["Overdue"] == "£1,650.00 GBP (2)" and gbp["DSO"] == "90 days"
    assert "By owner" not in lines(card) and "Sam Seller" not in json.dumps(card)
    assert len(charts) == 2 and all(len(c.images) == 1 for c in charts)
    assert len(reporting.teams.state.calls_of("GET", "members")) == 1  # who Rita is: her Teams email


def test_an_approver_by_entra_id_asks_in_a_channel(reporting: RunningTeamsBot) -> None:
    state = reporting.teams.state
    olga = state.add_user("Olga Ops", None, aad_object_id=APPROVER_AAD)  # Teams gives no email for her
    finance = reporting.channel.channel_conversation("19:finance0001@thread.tacv2", olga)
    card_message, *charts = reporting.replies(olga, "report team quarter", finance, mention=True)
    assert card_message.conversation_id == finance and all(c.conversation_id == finance for c in charts)
    [card] = card_message.cards
    assert card["body"][0]["text"] == "Report for the sales team: Q4 2026 (to date)"
    owners = lines(card)[lines(card).index("By owner") + 1:lines(card).index("Top overdue accounts")]
    assert [o.split("**")[1] for o in owners] == ["Rita Rep", "Sam Seller"]  # no Unassigned in the team report


def test_periods_and_words_it_cannot_read_say_how_to_ask(reporting: RunningTeamsBot, rita: TeamsUser) -> None:
    [month] = reporting.replies(rita, "report me 2026-13")
    assert month.activity["text"].startswith("2026-13 is not a month: write it as YYYY-MM")
    assert "Ask like this: “report [me|team|all] [this month|last month|quarter|YYYY-MM]”" in month.activity["text"]
    [future] = reporting.replies(rita, "report me 2027-01")
    assert future.activity["text"].startswith("January 2027 hasn't started yet.")
    [words] = reporting.replies(rita, "report me banana")
    assert "banana" in words.activity["text"] and "Ask like this" in words.activity["text"]


def test_someone_salesforce_does_not_know_is_told_why(reporting: RunningTeamsBot) -> None:
    stranger = reporting.teams.state.add_user("Stan Ger", "stan@elsewhere.example")
    [reply] = reporting.replies(stranger, "report me")
    assert reply.activity["text"].startswith("No Salesforce user has your Teams email address (stan@elsewhere.example)")


def test_a_chart_teams_refuses_leaves_the_card_and_says_so(reporting: RunningTeamsBot, fiona: TeamsUser) -> None:
    reporting.teams.state.fail_next["POST image"] = 413
    card_message, notice = reporting.replies(fiona, "report all last month")
    assert card_message.cards[0]["body"][0]["text"] == "Report for everyone: October 2026"
    assert notice.activity["text"].startswith("I couldn't send the rest of this answer") and notice.images == []


REPORTS_CONVERSATION = "19:weekly0001@thread.tacv2"


def test_a_teams_only_bot_posts_the_weekly_report_once_to_its_conversation(teams: RunningTeams,
                                                                           db: Database) -> None:
    seed(db)
    raw = berlin_config().model_dump()
    raw["reports"] |= {"channel": None, "scope": "all", "period": "last month"}
    raw["teams"] |= {"service_url": teams.url + "/", "reports_conversation": REPORTS_CONVERSATION}
    paidup = Paidup(teams_settings(teams), AppConfig.model_validate(raw), db=db)
    paidup.__dict__["reports"] = ReportService(db, paidup.config, clock=lambda: NOW)
    assert paidup.teams_only
    teams.state.join(REPORTS_CONVERSATION, teams.state.add_user("Fiona Finance", APPROVER_EMAIL))
    weekly = paidup.weekly_report
    assert (weekly.channel, weekly.setting) == (REPORTS_CONVERSATION, "teams.reports_conversation")
    first, second = weekly.run(), weekly.run()
    assert (first.status, first.week, second.status) == ("posted", "2026-W44", "already_posted")
    assert first.ref is not None and first.ref.channel == REPORTS_CONVERSATION
    card_message, *charts = teams.state.in_conversation(REPORTS_CONVERSATION)
    assert card_message.cards[0]["body"][0]["text"] == "Report for everyone: October 2026"
    assert lines(card_message.cards[0])[-1].endswith("Charts in the next messages.")
    assert [c.images[0][0] for c in charts] == ["receivables-aging.png", "invoiced-vs-collected.png"]
    # another process on the same database finds the week posted
    again = Paidup(paidup.settings, paidup.config, db=db)
    again.__dict__["reports"] = paidup.reports
    assert again.weekly_report.run().status == "already_posted"
    assert len(teams.state.in_conversation(REPORTS_CONVERSATION)) == 3


def test_a_chart_refused_in_the_weekly_report_leaves_the_week_posted(teams: RunningTeams, db: Database) -> None:
    seed(db)
    raw = berlin_config().model_dump()
    raw["reports"] |= {"scope": "all", "period": "last month"}
    raw["teams"] |= {"service_url": teams.url + "/", "reports_conversation": REPORTS_CONVERSATION}
    paidup = Paidup(teams_settings(teams), AppConfig.model_validate(raw), db=db)
    paidup.__dict__["reports"] = ReportService(db, paidup.config, clock=lambda: NOW)
    teams.state.join(REPORTS_CONVERSATION, teams.state.add_user("Fiona Finance", APPROVER_EMAIL))
    teams.state.fail_next["POST image"] = 413
    assert paidup.weekly_report.run().status == "posted"
    posted = teams.state.in_conversation(REPORTS_CONVERSATION)
    assert posted[0].cards and [p.images[0][0] for p in posted[1:]] == ["invoiced-vs-collected.png"]
    assert paidup.weekly_report.run().status == "already_posted"  # no second card for the chart left out


def test_help_lists_the_report(reporting: RunningTeamsBot, rita: TeamsUser) -> None:
    [help_message] = reporting.replies(rita, "help")
    titles = [f["title"] for f in help_message.cards[0]["body"][1]["facts"]]
    assert "report [me|team|all] [period]" in titles


def test_the_largest_report_still_fits_one_teams_message() -> None:
    """Ten currencies, 30 owners and 200 overdue accounts (20 a currency) with long names: the card
    shows what fits and counts the rest, under the 28 KB the stand-in takes."""
    codes = ["AUD", "CAD", "CHF", "EUR", "GBP", "JPY", "NOK", "NZD", "SEK", "USD"]
    big = Decimal("123456789.99")
    currencies = [CurrencyFigures(c, big, 999, big, 999, big, big, tuple((label, big) for label in AGING_LABELS), big,
                                  999, Decimal(90), big, 999) for c in codes]
    owners = [OwnerFigures(f"005{n:015d}", f"Owner {n} " + "x" * 200,
                           [OwnerLine(c, big, big, big, big, big, big) for c in codes]) for n in range(30)]
    overdue = [OverdueAccount(f"Account {n} " + "y" * 200, codes[n % 10], big, 99, 999) for n in range(200)]
    deals = [UninvoicedDeal(f"006{n:015d}", "Deal " + "z" * 200, "Account " + "w" * 200, "Owner " + "v" * 200,
                            "USD", big, date(2026, 1, 1), 300) for n in range(5)]
    today = date(2026, 11, 1)
    report = Report("all", resolve_period("this month", today), today, "Europe/Berlin", "everyone", currencies,
                    owners, overdue, deals, [], BaseTotal("GBP", big, big, big, 0, ()), None,
                    {"salesforce": NOW, "xero": NOW})
    reply = report_reply(report, NOW, [])
    size = len(json.dumps(reply.activity()).encode())  # as the stand-in measures it (non-ASCII escaped)
    assert 15_000 < size < 28 * 1024, size
    shown = lines(reply.card or {})  # sections cut at 2,900 characters as in Slack, the rest counted
    assert "…and 28 more owners" in shown and "…and 177 more" in shown and reply.then == ()
    assert [text for text in shown if text in codes] == codes
