"""`paidup report weekly` as a person runs it: the installed command in a subprocess, on a database
holding the hand-checked report mirror (``tests/bot/services/reports_data``), posting through the Slack
stand-in over loopback (and the Teams one, for a bot set up for Teams only): exit codes 0/1/2, what it
prints, what the channel shows, once per week."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.config import load_app_config
from bot.services.reports import ReportService, resolve_period
from bot.store.session import Database
from integrations.loopback import LoopbackServer
from integrations.slack_sandbox import DEFAULT_BOT_TOKEN, SlackState, create_slack_sandbox
from integrations.teams_sandbox import DEFAULT_APP_ID, DEFAULT_APP_PASSWORD, DEFAULT_TENANT_ID, create_teams_sandbox
from tests.bot.services.reports_data import seed
from tests.conftest import ROOT

PAIDUP = Path(sys.executable).with_name("paidup")
CHANNEL = "C0FINANCE"
CHARTS = {"receivables-aging.png", "invoiced-vs-collected.png"}


@pytest.fixture(scope="module")
def slack() -> Iterator[tuple[SlackState, str]]:
    state, app = create_slack_sandbox()
    with LoopbackServer(app) as server:
        yield state, server.url + "/api/"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    raw = yaml.safe_load((ROOT / "app.yml").read_text(encoding="utf-8"))
    raw["reports"] |= {"timezone": "Europe/Berlin", "channel": CHANNEL, "scope": "all", "period": "this month"}
    (tmp_path / "app.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return tmp_path


@pytest.fixture
def paidup_env(slack: tuple[SlackState, str], db: Database, workdir: Path) -> dict[str, str]:
    state, api_url = slack
    state.clear()
    seed(db)
    return {"DATABASE_URL": db.engine.url.render_as_string(hide_password=False), "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN,
            "SLACK_API_URL": api_url, "PAIDUP_CONFIG": str(workdir / "app.yml")}


def run(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("PAIDUP_", "SLACK_", "XERO_", "SALESFORCE_", "TEAMS_")) and k != "DATABASE_URL"}
    return subprocess.run([str(PAIDUP), *args], cwd=cwd, env={**clean, **env}, capture_output=True, text=True,
                          timeout=120)


def reports_today(db: Database, workdir: Path) -> ReportService:
    return ReportService(db, load_app_config(workdir / "app.yml"))


def posts(state: SlackState) -> list:  # -> list[Message]
    return [m for m in state.messages(CHANNEL, include_replies=False) if m.blocks]


def test_posts_once_a_week_and_says_so(slack: tuple[SlackState, str], db: Database, workdir: Path,
                                       paidup_env: dict[str, str]) -> None:
    state, _ = slack
    reports = reports_today(db, workdir)
    year, week, _ = reports.today().isocalendar()
    label = resolve_period("last month", reports.today()).label
    first = run("report", "weekly", "--period", "last month", cwd=workdir, env=paidup_env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"posted: the weekly report for {year}-W{week:02d} (everyone, {label}, to {CHANNEL})"
    [post] = posts(state)
    assert post.blocks[0]["text"]["text"] == f"Report for everyone: {label}"
    assert "£2,750.00 GBP" in post.text  # receivables today, whatever the period
    assert {f["name"] for m in state.thread(CHANNEL, post.ts) for f in (m.files or [])} == CHARTS
    again = run("report", "weekly", cwd=workdir, env=paidup_env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"skipped: the weekly report for {year}-W{week:02d} was posted already")
    assert len(posts(state)) == 1


def test_a_refused_post_exits_1_and_the_next_run_posts(slack: tuple[SlackState, str], db: Database, workdir: Path,
                                                       paidup_env: dict[str, str]) -> None:
    state, _ = slack
    state.fail_next("chat.postMessage", "not_in_channel")
    failed = run("report", "weekly", "--scope", "team", cwd=workdir, env=paidup_env)
    assert failed.returncode == 1, failed.stderr
    label = resolve_period("this month", reports_today(db, workdir).today()).label
    assert failed.stdout.strip() == (f"failed: the weekly report (the sales team, {label}, to {CHANNEL}): Slack said "
                                     "not_in_channel; the next run tries again")
    assert posts(state) == []
    retried = run("report", "weekly", "--scope", "team", cwd=workdir, env=paidup_env)
    assert retried.returncode == 0 and retried.stdout.startswith("posted: "), retried.stderr
    assert posts(state)[0].blocks[0]["text"]["text"] == f"Report for the sales team: {label}"


def test_what_it_needs_is_said_with_exit_2(slack: tuple[SlackState, str], workdir: Path,
                                           paidup_env: dict[str, str]) -> None:
    state, _ = slack
    no_token = run("report", "weekly", cwd=workdir, env={k: v for k, v in paidup_env.items() if k != "SLACK_BOT_TOKEN"})
    assert no_token.returncode == 2
    assert no_token.stderr.strip() == ("Configuration error: SLACK_BOT_TOKEN is not set: alerts are posted to Slack "
                                       "with the bot token")
    raw = yaml.safe_load((workdir / "app.yml").read_text(encoding="utf-8"))
    raw["reports"]["channel"] = None
    (workdir / "app.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    no_channel = run("report", "weekly", cwd=workdir, env=paidup_env)
    assert no_channel.returncode == 2 and "reports.channel is not set in app.yml" in no_channel.stderr
    assert "Traceback" not in no_channel.stderr and posts(state) == []
    bad = run("report", "weekly", "--period", "2026-10", cwd=workdir, env=paidup_env)
    assert bad.returncode == 2 and "Invalid value for '--period'" in bad.stderr


def test_a_teams_only_bot_posts_it_to_teams_reports_conversation(db: Database, workdir: Path) -> None:
    conversation = "19:weekly0001@thread.tacv2"
    state, app = create_teams_sandbox()
    with LoopbackServer(app) as server:
        state.join(conversation, state.add_user("Fiona Finance", "fiona@paidup.example"))
        seed(db)
        raw = yaml.safe_load((workdir / "app.yml").read_text(encoding="utf-8"))
        raw["teams"] |= {"service_url": server.url + "/"}
        (workdir / "app.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        env = {"DATABASE_URL": db.engine.url.render_as_string(hide_password=False), "TEAMS_APP_ID": DEFAULT_APP_ID,
               "TEAMS_APP_PASSWORD": DEFAULT_APP_PASSWORD, "TEAMS_TENANT_ID": DEFAULT_TENANT_ID,
               "TEAMS_LOGIN_URL": server.url, "PAIDUP_CONFIG": str(workdir / "app.yml")}
        unset = run("report", "weekly", cwd=workdir, env=env)
        assert unset.returncode == 2 and "teams.reports_conversation is not set in app.yml" in unset.stderr
        raw["teams"] |= {"reports_conversation": conversation}
        (workdir / "app.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        posted = run("report", "weekly", cwd=workdir, env=env)
        assert posted.returncode == 0, posted.stderr
        year, week, _ = reports_today(db, workdir).today().isocalendar()
        assert posted.stdout.startswith(f"posted: the weekly report for {year}-W{week:02d} (everyone, ")
        assert posted.stdout.strip().endswith(f"to {conversation})")
        card, *charts = state.in_conversation(conversation)
        assert card.cards[0]["body"][0]["text"].startswith("Report for everyone: ")
        assert {c.images[0][0] for c in charts} == CHARTS
