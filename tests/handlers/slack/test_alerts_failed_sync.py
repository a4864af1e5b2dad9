"""Failed-sync alerts in the ops channel: a record the Xero sandbox serves broken → one alert with
Retry and Ignore → not re-posted while it keeps failing the same way → Retry after the fault is
cleared resolves it and updates that message; a whole-source outage is one alert with what to do,
updated when the source syncs again."""

from __future__ import annotations

from sqlalchemy import select

from bot.store.state import SyncFailure
from handlers.slack.alerts.delivery import ChannelPacer, SlackAlertDelivery
from integrations import demo_data as demo
from integrations.slack_sandbox import check_message_blocks
from tests.bot.sync.conftest import world  # noqa: F401

from .alerting import OPS, AlertWorld, alerting, click, ephemeral_reply, seen  # noqa: F401
from .conftest import eventually

FINANCE = demo.FINANCE.slack_id
BROKEN = demo.demo_uuid("invoice:INV-0050")


def break_invoice(on: AlertWorld, invoice_id: str = BROKEN) -> None:
    on.world.xero.faults.corrupt_in_listings(invoice_id)
    run = on.paidup.sync.sync("xero", full=True)
    assert run.status == "partial" and run.failed == 1


def test_a_failing_record_is_alerted_once_and_retry_resolves_it(alerting: AlertWorld) -> None:  # noqa: F811
    break_invoice(alerting)
    first = alerting.alerts.run_failed_sync()
    assert len(first.posted) == 1 and first.failed == []
    [alert] = alerting.posted(OPS)
    assert check_message_blocks(alert.blocks) == []
    assert alert.text.startswith("Xero invoice INV-0050 does not sync: ") and "Date" in alert.text  # number: mirror
    details = alert.blocks[1]["text"]["text"]
    assert "*Attempts:* 1" in details and "*First seen:* " in details and f"`{BROKEN}`" in details
    assert [e["text"]["text"] for e in alert.blocks[2]["elements"]] == ["Retry now", "Ignore"]
    assert alerting.paidup.sync.retry_failures([("xero", "invoices", BROKEN)])[0].failed == 1  # fails again
    again = alerting.alerts.run_failed_sync()
    assert again.posted == [] and again.updated == [] and len(alerting.posted(OPS)) == 1  # nothing changed
    alerting.world.xero.faults.clear()
    before = len(alerting.slack.state.ephemeral_for(FINANCE))
    click(alerting, FINANCE, "sync_failure_retry", alert)
    assert ephemeral_reply(alerting, FINANCE, before).text == "INV-0050 synced: resolved."
    updated = eventually(lambda: (m := alerting.slack.state.message(OPS, alert.ts)) and m.edited_ts and m)
    assert updated.text.startswith("Xero invoice INV-0050 syncs again") and "Resolved at" in seen(updated)
    assert all(b["type"] != "actions" for b in updated.blocks) and len(alerting.posted(OPS)) == 1
    assert alerting.alerts.run_failed_sync().updated == []  # closed: nothing more to say


def test_ignore_stops_the_retries_and_says_who(alerting: AlertWorld) -> None:  # noqa: F811
    break_invoice(alerting)
    alerting.alerts.run_failed_sync()
    [alert] = alerting.posted(OPS)
    before = len(alerting.slack.state.ephemeral_for(FINANCE))
    click(alerting, FINANCE, "sync_failure_ignore", alert)
    assert "is ignored" in ephemeral_reply(alerting, FINANCE, before).text
    updated = alerting.slack.state.message(OPS, alert.ts)
    assert updated.text.startswith("Xero invoice INV-0050 is ignored") and f"Ignored by <@{FINANCE}>" in seen(updated)
    with alerting.paidup.db.session() as s:
        failure = s.scalar(select(SyncFailure))
        assert failure.ignored_by == FINANCE and failure.next_retry_at is None
    assert alerting.alerts.run_failed_sync().posted == []


def test_the_error_changing_updates_the_alert_in_place(alerting: AlertWorld) -> None:  # noqa: F811
    break_invoice(alerting)
    alerting.alerts.run_failed_sync()
    [alert] = alerting.posted(OPS)
    alerting.world.xero.faults.corrupt_in_listings(BROKEN, "DueDate", "/Date(nope)/")
    alerting.paidup.sync.retry_failures([("xero", "invoices", BROKEN)])
    changed = alerting.alerts.run_failed_sync()
    assert changed.posted == [] and len(changed.updated) == 1
    assert "DueDate" in alerting.slack.state.message(OPS, alert.ts).text and len(alerting.posted(OPS)) == 1


def test_a_source_outage_is_one_alert_with_what_to_do_until_it_syncs_again(alerting: AlertWorld) -> None:  # noqa: F811
    xero = alerting.world.xero
    xero.faults.fail_next(1, status=429, retry_after=40000, problem="day")
    assert alerting.paidup.sync.sync("xero").error_kind == "day_quota"
    assert len(alerting.alerts.run_failed_sync().posted) == 1
    [outage] = alerting.posted(OPS)
    assert outage.text.startswith("Xero sync is down: Paidup has used up its daily API limit.")
    assert "resumes by itself" in outage.text and check_message_blocks(outage.blocks) == []
    xero.faults.fail_next(1, status=429, retry_after=40000, problem="day")
    assert alerting.world.paidup().sync.sync("xero").error_kind == "day_quota"  # another process, still out
    assert alerting.alerts.run_failed_sync().posted == [] and len(alerting.posted(OPS)) == 1
    restarted = alerting.world.paidup()  # the quota is back (this process' client still waits it out)
    assert restarted.sync.sync("xero").status == "ok"
    assert len(alerting.alerts.run_failed_sync().updated) == 1
    assert alerting.slack.state.message(OPS, outage.ts).text.startswith("Xero syncs again")
    xero.faults.fail_next(4, status=401)
    revoked = restarted.sync.sync("xero")
    assert revoked.error_kind == "auth_revoked"
    alerting.alerts.run_failed_sync()
    assert "paidup connect xero" in alerting.posted(OPS)[-1].text and len(alerting.posted(OPS)) == 2


def test_many_failing_records_are_posted_ten_a_run(alerting: AlertWorld) -> None:  # noqa: F811
    broken = [invoice.id for invoice in demo.INVOICES[:12]]
    for invoice_id in broken:
        alerting.world.xero.faults.corrupt_in_listings(invoice_id)
    assert alerting.paidup.sync.sync("xero", full=True).failed == 12
    fast = SlackAlertDelivery(alerting.slack.client(), ChannelPacer(0.01))  # pacing has its own test
    alerting.paidup.__dict__["alert_delivery"] = fast
    first = alerting.alerts.run_failed_sync()
    assert len(first.posted) == 10 and "posted on the next runs" in first.skipped[0]
    second = alerting.alerts.run_failed_sync()
    assert len(second.posted) == 2 and len(alerting.posted(OPS)) == 12


def test_xero_not_answering_is_news_only_when_it_lasts(alerting: AlertWorld) -> None:  # noqa: F811
    xero = alerting.world.xero
    for run in range(3):
        xero.faults.fail_next(10, status=503)
        assert alerting.world.paidup().sync.sync("xero").error_kind == "outage"
        xero.faults.clear()
        posted = alerting.alerts.run_failed_sync().posted
        assert len(posted) == (1 if run == 2 else 0), run
    assert alerting.posted(OPS)[0].text.startswith("Xero sync is down: Paidup gets no answer from Xero.")
