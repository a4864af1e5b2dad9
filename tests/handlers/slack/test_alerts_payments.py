"""Payment notices: a payment recorded in the Xero sandbox sends its signed webhook to the bot; the
webhook worker fetches the invoice and, right after, the notices go out — no scheduled job, no
direct call. Part payments say what remains; "Remind me when paid" is honoured; a 429 from Slack
delays a notice, never loses it."""

from __future__ import annotations

import time
from decimal import Decimal

from sqlalchemy import select

from bot.app import ALERT_RATE_LIMIT_RETRIES
from bot.domain import events
from bot.store.state import DomainEvent, PaymentWatch
from integrations import demo_data as demo
from integrations.slack_sandbox import check_message_blocks
from tests.bot.sync.conftest import world  # noqa: F401

from .alerting import ALERTS, AlertWorld, alerting, click, ephemeral_reply, seen  # noqa: F401
from .conftest import eventually

REP, SELLER, FINANCE = demo.REP.slack_id, demo.SELLER.slack_id, demo.FINANCE.slack_id


def dms(on: AlertWorld, user: str) -> list[str]:
    return [m.text for m in on.slack.state.dm_with(user) if m.user != user and not m.is_ephemeral]


def pending_payment_events(on: AlertWorld) -> int:
    with on.paidup.db.session() as s:
        return len(s.scalars(select(DomainEvent.id).where(DomainEvent.kind == events.PAYMENT_RECEIVED,
                                                          DomainEvent.handled_at.is_(None))).all())


def test_a_payment_via_webhook_is_told_to_the_owner_at_once(alerting: AlertWorld) -> None:  # noqa: F811
    owed = world_amount(alerting, "INV-0043")
    started = time.monotonic()
    alerting.world.xero.record_payment("INV-0043")  # Globex's; the account is Rita's
    [notice] = eventually(lambda: dms(alerting, REP), timeout=10)
    assert time.monotonic() - started < 8  # no scheduler runs here: only the webhook path can have sent it
    assert notice == f"Globex, Inc. paid INV-0043: ${owed:,.2f} USD — fully paid"
    [dm] = [m for m in alerting.slack.state.dm_with(REP) if m.text == notice]
    assert check_message_blocks(dm.blocks) == [] and "shortcode=!pD3mo" in seen(dm)
    [posted] = eventually(lambda: alerting.posted(ALERTS))  # alerts.payments.post_to_channel: true
    assert posted.text == notice
    assert eventually(lambda: pending_payment_events(alerting) == 0)  # handled once every recipient was told
    assert alerting.alerts.run_payments().posted == []  # the scheduled safety net finds nothing left
    assert dms(alerting, REP) == [notice]
    # the DM goes to the conversation conversations.open names, not to a bare user id (which Slack
    # accepts but a stand-in written from chat.postMessage's "channel" parameter may refuse)
    opened = [c for c in alerting.slack.state.calls("conversations.open") if c.params.get("users") == REP]
    assert opened and all(not str(c.params["channel"]).startswith(("U", "W"))
                          for c in alerting.slack.state.calls("chat.postMessage"))


def test_a_part_payment_says_what_remains_to_the_opportunity_owner(alerting: AlertWorld) -> None:  # noqa: F811
    owed = world_amount(alerting, "INV-0090")  # Hooli's deal "Hooli - Platform" is Sam's
    alerting.world.xero.record_payment("INV-0090", "1000.00")
    [notice] = eventually(lambda: dms(alerting, SELLER), timeout=10)
    assert notice == f"Hooli paid INV-0090: $1,000.00 USD — ${owed - Decimal('1000.00'):,.2f} USD remains"
    alerting.world.xero.record_payment("INV-0090")
    second = eventually(lambda: dms(alerting, SELLER)[1:], timeout=10)
    assert second == [f"Hooli paid INV-0090: ${owed - Decimal('1000.00'):,.2f} USD — fully paid"]


def test_remind_me_when_paid_from_the_status_card(alerting: AlertWorld) -> None:  # noqa: F811
    bot = alerting.bot
    before = len(alerting.slack.state.ephemeral_for(FINANCE))
    assert bot.post(bot.signer.slash_command(FINANCE, "globex")).status_code == 200
    card = ephemeral_reply(alerting, FINANCE, before)
    button = next(e for e in card.blocks[-1]["elements"] if e["action_id"] == "remind_when_paid")
    assert button["text"]["text"] == "Remind me when paid" and button["value"] == demo.demo_uuid("invoice:INV-0043")
    click(alerting, FINANCE, "remind_when_paid", card)
    confirmation = ephemeral_reply(alerting, FINANCE, before + 1)
    assert confirmation.text == "I'll DM you when INV-0043 is paid (each payment, with what remains)."
    alerting.world.xero.record_payment("INV-0043", "500.00")
    [part] = eventually(lambda: dms(alerting, FINANCE), timeout=10)
    assert part.startswith("Globex, Inc. paid INV-0043: $500.00 USD — ")
    alerting.world.xero.record_payment("INV-0043")
    assert eventually(lambda: dms(alerting, FINANCE)[1:], timeout=10)[0].endswith("— fully paid")

    def watch_done() -> bool:
        with alerting.paidup.db.session() as s:
            return s.scalar(select(PaymentWatch.notified_at)) is not None

    assert eventually(watch_done)  # paid in full: the watch is over
    assert len(dms(alerting, REP)) == 2  # the owner heard too, once each


def test_a_429_from_slack_delays_the_notice_it_does_not_lose_it(alerting: AlertWorld) -> None:  # noqa: F811
    state = alerting.slack.state
    owed = world_amount(alerting, "INV-0080")  # Umbrela Corporation: no Salesforce account, the channel only
    alerting.world.xero.record_payment("INV-0080", notify=False)  # seen by the next sync, not a webhook
    assert alerting.paidup.sync.sync("xero").status == "ok"
    state.rate_limit_next("chat.postMessage", times=1, retry_after=1)
    started = time.monotonic()
    result = alerting.alerts.run_payments()
    assert result.failed == [] and len(result.posted) == 1 and time.monotonic() - started >= 1.0
    assert [m.text for m in alerting.posted(ALERTS)] == [f"Umbrela Corporation paid INV-0080: ${owed:,.2f} USD — "
                                                          "fully paid"]
    assert state.count("chat.postMessage") == 2  # the 429, then the post after Retry-After
    # Slack keeps refusing: the notice stays queued in the outbox and goes out on the next run.
    alerting.world.xero.record_payment("INV-0100", notify=False)  # Wayne: Unassigned, the channel only
    assert alerting.paidup.sync.sync("xero").status == "ok"
    state.rate_limit_next("chat.postMessage", times=ALERT_RATE_LIMIT_RETRIES + 1, retry_after=0)
    refused = alerting.alerts.run_payments()
    assert refused.posted == [] and len(refused.failed) == 1 and pending_payment_events(alerting) == 1
    state.clear_faults()
    retried = alerting.alerts.run_payments()
    assert len(retried.posted) == 1 and pending_payment_events(alerting) == 0
    assert alerting.posted(ALERTS)[-1].text == "Wayne Enterprises paid INV-0100: £10,800.00 GBP — fully paid"


def world_amount(on: AlertWorld, number: str) -> Decimal:
    return Decimal(str(on.world.xero.invoice(number)["AmountDue"]))
