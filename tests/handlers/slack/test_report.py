"""`/paidup report` end to end: signed requests to the bot's HTTP endpoint, the report service on the
hand-checked mirror of ``tests/bot/services/reports_data`` (Berlin, 1 November 2026), what people
see and the chart files as the Slack stand-in recorded them; the weekly report posted once."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from datetime import datetime

import pytest

from bot.app import Paidup
from bot.config import AppConfig, load_app_config
from bot.services.reports import ReportService
from bot.services.reports.charts import report_charts
from bot.store.session import Database
from integrations.loopback import LoopbackServer
from integrations.slack_sandbox import SlackRequestSigner, check_message_blocks
from integrations.slack_sandbox.ids import dm_channel_id
from integrations.slack_sandbox.surfaces import Message
from tests.bot.services.reports_data import NOW, seed
from tests.conftest import ROOT

from .conftest import SIGNING_SECRET, RunningBot, RunningSlack, eventually, slack_settings

REP, APPROVER = "U0REP0001", "U0FINANCE1"  # Rita Rep (a Salesforce user by email); the approver in app.yml
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def berlin_config() -> AppConfig:
    raw = load_app_config(ROOT / "app.yml").model_dump()
    raw["reports"] |= {"timezone": "Europe/Berlin", "channel": "C0FINANCE", "scope": "all", "period": "last month"}
    return AppConfig.model_validate(raw)


@pytest.fixture
def reporting(slack: RunningSlack, db: Database) -> Iterator[RunningBot]:
    seed(db)
    paidup = Paidup(slack_settings(slack.api_url), berlin_config(), db=db)
    # The composition root's report service, on a clock stopped at 23:30 UTC on 31 October.
    paidup.__dict__["reports"] = ReportService(db, paidup.config, clock=lambda: NOW,
                                               is_approver=paidup.approvers.is_approver)
    with LoopbackServer(paidup.web_app(slack=paidup.slack_endpoint())) as server:
        yield RunningBot(paidup, server.url, slack, SlackRequestSigner(SIGNING_SECRET, sandbox_url=slack.url))


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which must come first."""
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def ask(bot: RunningBot, text: str, user: str) -> Message:
    before = len(bot.slack.state.ephemeral_for(user))
    response = bot.post(bot.signer.slash_command(user, text, channel_id="C0FINANCE"))
    assert response.status_code == 200 and response.elapsed.total_seconds() < 1.0
    answers = eventually(lambda: bot.slack.state.ephemeral_for(user)[before:], timeout=20)
    assert answers, f"no answer to {text!r}"
    return answers[-1]


def section(message: Message, block_id: str) -> str:
    return next(b["text"]["text"] for b in message.blocks if b.get("block_id") == block_id)


def test_a_rep_asking_for_the_team_report_is_refused_politely(reporting: RunningBot) -> None:
    answer = ask(reporting, "report team", REP)
    assert "for approvers and the managers" in answer.text and "/paidup report me" in answer.text
    assert reporting.slack.state.files() == [] and reporting.slack.state.calls("files.getUploadURLExternal") == []


def test_an_approver_gets_everyones_report_and_the_charts_in_a_dm(reporting: RunningBot) -> None:
    answer = ask(reporting, "report all last month", APPROVER)
    assert check_message_blocks(answer.blocks) == []
    assert answer.blocks[0]["text"]["text"] == "Report for everyone: October 2026"
    gbp = section(answer, "report_currency_GBP")
    assert "Closed-won £1,500.00 GBP (1) · Invoiced £1,700.00 GBP (2) · Collected £500.00 GBP" in gbp
    assert "Receivables £2,750.00 GBP, overdue £1,950.00 GBP (3) · DSO 84 days" in gbp
    assert "1–30 £1,650.00" in gbp and "90+ £300.00" in gbp and "£700.00 GBP in 1 closed-won deal" in gbp
    assert "DSO n/a" in section(answer, "report_currency_EUR")
    owners = section(answer, "report_owners")
    assert owners.index("Rita Rep") < owners.index("Sam Seller") < owners.index("Unassigned")
    assert "• Beta GmbH: €2,300.00 EUR overdue (1 invoice, oldest 79 days)" in section(answer, "report_top_overdue")
    seen = json.dumps(answer.blocks, ensure_ascii=False)
    assert "receivables £5,230.00 GBP" in seen and "Charts: sent to you in a DM with Paidup." in seen
    files = eventually(lambda: [f for f in reporting.slack.state.files() if f.channels])
    assert sorted(f.filename for f in files) == ["invoiced-vs-collected.png", "receivables-aging.png"]
    for file in files:
        assert file.channels == [dm_channel_id(APPROVER)] and file.content is not None  # not the shared channel
        width, height = png_size(file.content)
        assert width == 1000 and 400 <= height <= 2000 and 10_000 < len(file.content) < 500_000
        assert file.alt_txt and "GBP" in file.alt_txt


def test_a_rep_asks_in_a_dm_for_last_month_and_gets_their_own_figures_and_charts_there(reporting: RunningBot) -> None:
    state = reporting.slack.state
    assert reporting.post(reporting.signer.message_im(REP, "report for last month")).status_code == 200
    answer = eventually(lambda: [m for m in state.dm_with(REP) if m.user != REP and m.blocks], timeout=20)[-1]
    assert answer.blocks[0]["text"]["text"] == "Report for Rita Rep: October 2026"
    assert "Receivables £1,650.00 GBP, overdue £1,650.00 GBP (2) · DSO 90 days" in section(answer,
                                                                                           "report_currency_GBP")
    assert "report_owners" not in json.dumps(answer.blocks)
    shared = eventually(lambda: [m for m in state.dm_with(REP) if m.files])
    assert len(shared) == 1 and {f["name"] for f in shared[0].files} == {"receivables-aging.png",
                                                                         "invoiced-vs-collected.png"}


def test_a_period_that_cannot_be_read_says_how_to_ask(reporting: RunningBot) -> None:
    answer = ask(reporting, "report me 2026-13", REP)
    assert "2026-13 is not a month" in answer.text and "/paidup report [me|team|all]" in answer.text


def test_the_weekly_report_posts_once_across_two_runs(reporting: RunningBot) -> None:
    paidup, state = reporting.paidup, reporting.slack.state
    weekly = paidup.weekly_report
    first, second = weekly.run(), weekly.run()
    assert (first.status, first.week, second.status) == ("posted", "2026-W44", "already_posted")
    posts = [m for m in state.messages("C0FINANCE", include_replies=False) if m.blocks]
    assert len(posts) == 1 and posts[0].blocks[0]["text"]["text"] == "Report for everyone: October 2026"
    thread = state.thread("C0FINANCE", posts[0].ts)
    assert {f["name"] for m in thread for f in (m.files or [])} == {"receivables-aging.png",
                                                                    "invoiced-vs-collected.png"}
    # another process (its own Paidup on the same database) finds the week posted
    again = Paidup(paidup.settings, paidup.config, db=paidup.db)
    again.__dict__["reports"] = paidup.reports
    assert again.weekly_report.run().status == "already_posted"
    assert len([m for m in state.messages("C0FINANCE", include_replies=False) if m.blocks]) == 1


def test_charts_of_an_empty_report_are_none(db: Database) -> None:
    report = ReportService(db, berlin_config(), clock=lambda: datetime.fromisoformat("2026-11-02T10:00:00+00:00"))
    assert report_charts(report.build("all", "this month")) == []
