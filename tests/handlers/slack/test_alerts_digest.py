"""The overdue digest end to end: the synced demo mirror, the alert service on a frozen clock, the
Slack stand-in (which refuses invalid Block Kit) and clicks signed as Slack signs them."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bot.store.state import InvoiceFollowUp
from integrations import demo_data as demo
from integrations.slack_sandbox import check_message_blocks
from tests.bot.sync.conftest import world  # noqa: F401

from .alerting import ALERTS, AlertWorld, alerting, click, ephemeral_reply, seen  # noqa: F401
from .conftest import eventually

OVERDUE = ["INV-0010", "INV-0060", "INV-0003", "INV-0100", "INV-0090", "INV-0002", "INV-0043", "INV-0080"]
REP, SELLER = demo.REP.slack_id, demo.SELLER.slack_id


def numbers(text: str) -> list[str]:
    return re.findall(r"\|(INV-\d{4})>", text)


def test_the_digest_lists_exactly_the_overdue_invoices_by_owner_worst_first(alerting: AlertWorld) -> None:  # noqa: F811
    result = alerting.alerts.run_overdue()
    assert result.failed == [] and len(result.posted) == 3  # the channel, Rita's DM, Sam's DM
    [digest] = alerting.posted(ALERTS)
    assert check_message_blocks(digest.blocks) == [] and len(digest.blocks) <= 50
    text = seen(digest)
    # not the draft (0005), paid (0001, 0042), voided (0006), due later (0004, 0050), due today (0070), submitted (0091)
    assert sorted(numbers(text)) == sorted(OVERDUE)
    owners = [b["text"]["text"].split("*")[1] for b in digest.blocks if b["block_id"].startswith("overdue_owner_")]
    assert owners == ["Sam Seller", "Rita Rep", "Unassigned"]  # oldest invoice 95, 62 and 33 days overdue
    assert numbers(text) == ["INV-0010", "INV-0090", "INV-0060", "INV-0003", "INV-0002", "INV-0043", "INV-0100",
                             "INV-0080"]
    summary = digest.blocks[1]
    assert summary["text"]["text"] == "*8 overdue invoices*: €16,080.00 EUR + £15,600.00 GBP + $17,856.00 USD"
    assert [f["text"] for f in summary["fields"]] == [
        "*1–30 days*\n4 · $17,856.00 USD", "*31–60 days*\n2 · £15,600.00 GBP", "*61–90 days*\n1 · €6,480.00 EUR",
        "*90+ days*\n1 · €9,600.00 EUR"]
    line = next(b for b in digest.blocks if "INV-0060" in b.get("text", {}).get("text", ""))
    assert "O'Brien &amp; Sons: €6,480.00 EUR, *62 days overdue*" in line["text"]["text"]
    assert "shortcode=!pD3mo" in line["text"]["text"]  # linked to the invoice in Xero
    assert [o["text"]["text"] for o in line["accessory"]["options"]] == ["Snooze 7 days", "Mark as promised to pay"]
    rita = alerting.slack.state.dm_with(REP)[-1]
    assert numbers(seen(rita)) == ["INV-0060", "INV-0003", "INV-0002", "INV-0043"]
    assert rita.blocks[0]["text"]["text"].startswith("Your overdue invoices (Rita Rep)")
    assert numbers(seen(alerting.slack.state.dm_with(SELLER)[-1])) == ["INV-0010", "INV-0090"]
    assert alerting.slack.state.dm_with(demo.FINANCE.slack_id) == []  # owns nothing; Unassigned has no DM


def test_a_second_run_the_same_day_posts_nothing_the_next_day_posts_again(alerting: AlertWorld) -> None:  # noqa: F811
    alerting.alerts.run_overdue()
    posts = alerting.slack.state.count("chat.postMessage")
    again = alerting.alerts.run_overdue()
    assert again.posted == [] and all("already posted" in line for line in again.skipped)
    assert alerting.slack.state.count("chat.postMessage") == posts
    alerting.clock.advance(hours=11)  # 23:00 in London: still the same day
    assert alerting.alerts.run_overdue().posted == []
    alerting.clock.advance(hours=2)  # the next day
    assert len(alerting.alerts.run_overdue().posted) == 3 and len(alerting.posted(ALERTS)) == 2


def test_overdue_is_counted_in_the_configured_time_zone(alerting: AlertWorld) -> None:  # noqa: F811
    alerting.configure(timezone="Pacific/Kiritimati")  # UTC+14: at noon UTC it is already tomorrow there
    alerting.alerts.run_overdue()
    text = seen(alerting.posted(ALERTS)[-1])
    assert "INV-0070" in numbers(text)  # due today (UTC), due yesterday in Kiritimati
    assert "*1 day overdue*" in text and "*63 days overdue*" in text  # INV-0070; INV-0060 a day older
    alerting.slack.state.clear()
    alerting.configure(timezone="America/Los_Angeles", overdue={"min_days_overdue": 7})
    alerting.clock.advance(hours=-11)  # 01:00 UTC = 17:00 yesterday in Los Angeles
    alerting.alerts.run_overdue()
    text = seen(alerting.posted(ALERTS)[-1])
    assert "INV-0043" not in numbers(text) and "INV-0080" not in numbers(text)  # 5 days and 0 days there
    assert "INV-0090" in numbers(text) and "at least 7 days" in text


def test_snooze_hides_an_invoice_for_seven_days(alerting: AlertWorld) -> None:  # noqa: F811
    alerting.alerts.run_overdue()
    digest = alerting.posted(ALERTS)[-1]
    before = len(alerting.slack.state.ephemeral_for(REP))
    menu = next(b for b in digest.blocks if "INV-0060" in b.get("text", {}).get("text", ""))["accessory"]
    click(alerting, REP, "overdue_follow_up", digest, selected_option=menu["options"][0])
    reply = ephemeral_reply(alerting, REP, before)
    today = alerting.clock.now.date()
    until = today + timedelta(days=6)
    assert reply.text == (f"Snoozed INV-0060 (O'Brien &amp; Sons Ltd) until {until.isoformat()}: it stays out "
                          "of overdue digests until then.")
    [note] = eventually(lambda: alerting.slack.state.thread(ALERTS, digest.ts))  # the channel sees who is on it
    assert note.text == f"<@{REP}> snoozed INV-0060 (O'Brien &amp; Sons Ltd) until {until.isoformat()}."
    start = alerting.clock.now
    for days, shown in ((1, False), (6, False), (7, True)):
        alerting.clock.now = start + timedelta(days=days)
        alerting.alerts.run_overdue()
        text = seen(alerting.posted(ALERTS)[-1])
        assert ("INV-0060" in numbers(text)) is shown, days
        assert ("1 snoozed or promised to pay not shown" in text) is not shown
    with alerting.paidup.db.session() as s:
        assert s.scalar(select(InvoiceFollowUp.by_user)) == REP


def test_promised_to_pay_asks_for_a_date_and_hides_the_invoice_until_then(alerting: AlertWorld) -> None:  # noqa: F811
    alerting.alerts.run_overdue()
    digest = alerting.posted(ALERTS)[-1]
    menu = next(b for b in digest.blocks if "INV-0010" in b.get("text", {}).get("text", ""))["accessory"]
    click(alerting, SELLER, "overdue_follow_up", digest, selected_option=menu["options"][1])
    modal = eventually(lambda: alerting.slack.state.open_view_for(SELLER))
    assert modal is not None and modal.definition["title"]["text"] == "Promised to pay"
    today = alerting.clock.now.date()
    past = alerting.bot.post(alerting.bot.signer.view_submission(SELLER, modal, {
        "promise_date": {"pay_by": {"selected_date": (today - timedelta(days=1)).isoformat()}}}))
    assert past.status_code == 200 and past.json()["response_action"] == "errors"
    assert "in the past" in past.json()["errors"]["promise_date"]
    before = len(alerting.slack.state.ephemeral_for(SELLER))
    ok = alerting.bot.post(alerting.bot.signer.view_submission(SELLER, modal, {
        "promise_date": {"pay_by": {"selected_date": (today + timedelta(days=3)).isoformat()}}}))
    assert ok.status_code == 200
    reply = ephemeral_reply(alerting, SELLER, before)
    assert reply.channel == ALERTS and "promised to pay INV-0010 by" in reply.text
    [note] = eventually(lambda: alerting.slack.state.thread(ALERTS, digest.ts))
    assert note.text == f"<@{SELLER}>: Acme Logistics GmbH promised to pay INV-0010 by {(today + timedelta(days=3))}."
    alerting.clock.advance(days=3)
    alerting.alerts.run_overdue()
    assert "INV-0010" not in numbers(seen(alerting.posted(ALERTS)[-1]))
    alerting.clock.advance(days=1)
    alerting.alerts.run_overdue()
    back = seen(alerting.posted(ALERTS)[-1])
    assert "INV-0010" in numbers(back)
    assert f"· promised by {(today + timedelta(days=3)).isoformat()}, not paid" in back  # the promise was broken


def test_all_clear_is_posted_only_when_configured(alerting: AlertWorld) -> None:  # noqa: F811
    alerting.configure(overdue={"min_days_overdue": 500, "dm_owners": False})
    quiet = alerting.alerts.run_overdue()
    assert quiet.posted == [] and "nothing overdue" in quiet.skipped[0] and alerting.posted(ALERTS) == []
    alerting.configure(overdue={"min_days_overdue": 500, "all_clear": True})
    assert alerting.alerts.run_overdue().posted == [f"all clear to {ALERTS}"]
    [clear] = alerting.posted(ALERTS)
    assert clear.text == f"All clear: nothing is overdue today ({alerting.clock.now.date().isoformat()})."


def test_an_owner_slack_cannot_look_up_gets_the_dm_on_the_next_run(alerting: AlertWorld) -> None:  # noqa: F811
    alerting.slack.state.fail_next("users.lookupByEmail", "missing_scope", times=2)
    first = alerting.alerts.run_overdue()
    assert len(first.posted) == 1 and len(first.failed) == 2 and "could not look up" in first.failed[0]
    second = alerting.alerts.run_overdue()
    assert sorted(second.posted) == ["overdue list to Rita Rep (U0REP0001) by DM: 4 invoices",
                                     "overdue list to Sam Seller (U0REP0002) by DM: 2 invoices"]
    assert len(alerting.posted(ALERTS)) == 1
