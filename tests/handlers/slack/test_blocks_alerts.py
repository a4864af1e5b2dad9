"""The alert builders as pure functions (Slack's limits on a long digest, the payment sentence, the
failure and outage messages), and the Slack delivery: a long digest threaded, posts paced per channel."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bot.domain.money import Money
from bot.services.alerts.port import FailedRecordAlert, OverdueDigest, PaymentNotice, Recipient, SourceOutage
from bot.services.overdue import BucketTotal, OverdueInvoice, OverdueReport, OwnerOverdue
from handlers.slack.alerts.delivery import ChannelPacer, SlackAlertDelivery
from handlers.slack.blocks.alerts import failure_message, outage_message, payment_message, promise_modal
from handlers.slack.blocks.digest import BLOCKS_MAX, THREAD_MESSAGES_MAX, digest_messages
from integrations.slack_sandbox import check_message_blocks, check_view

from .conftest import RunningSlack

TODAY = date(2026, 11, 30)
AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def overdue(n: int, days: int) -> OverdueInvoice:
    return OverdueInvoice(f"id-{n}", f"INV-{n:05d}", f"Customer <{n}> & Sons " + "x" * 40, None, "c", TODAY -
                          timedelta(days=days), days, "1–30", Money("USD", Decimal("1234.56")),
                          f"https://go.xero.com/organisationlogin/default.aspx?shortcode=!x&redirecturl=/AR/View.aspx?"
                          f"InvoiceID=00000000-0000-0000-0000-{n:012d}")


def digest_of(count: int, owners: int = 3) -> OverdueDigest:
    per = count // owners
    groups = [OwnerOverdue(f"005{o}", f"Owner {o}", [overdue(o * per + i, 90 - i % 90) for i in range(per)], 0, per,
                           [Money("USD", Decimal("1234.56") * per)], []) for o in range(owners)]
    report = OverdueReport("all", TODAY, groups, per * owners, [Money("USD", Decimal("1234.56") * per * owners)],
                           [BucketTotal("1–30", per * owners, [Money("USD", Decimal(1))])], AT)
    return OverdueDigest(TODAY, report, None, 2, 1)


def test_a_long_digest_is_split_within_slack_limits_and_counts_the_rest() -> None:
    messages = digest_messages(digest_of(600))
    assert len(messages) == 1 + THREAD_MESSAGES_MAX
    for message in messages:
        assert check_message_blocks(message.blocks) == [] and len(message.blocks) <= BLOCKS_MAX + 1
        assert len(json.dumps(message.blocks, ensure_ascii=False)) < 12_000
    listed = sum(1 for m in messages for b in m.blocks if b["block_id"].startswith("overdue_invoice_"))
    assert messages[0].blocks[-1]["elements"][0]["text"] == "Continued in the thread."
    assert messages[-1].blocks[-1]["elements"][0]["text"] == (f"…and {600 - listed} more overdue invoices not listed: "
                                                               "`/paidup overdue all` lists them by owner.")
    assert "2 snoozed or promised to pay not shown." in str(messages[0].blocks[2])
    assert "&lt;1&gt; &amp; Sons" in str(messages[0].blocks)  # names are escaped, never markup


def test_a_short_digest_is_one_message() -> None:
    [message] = digest_messages(digest_of(6))
    assert check_message_blocks(message.blocks) == [] and message.text.startswith("Overdue invoices · Mon 30 Nov 2026")


def test_payment_sentences() -> None:
    full = PaymentNotice("Acme", "i1", "INV-0042", "https://x/y", Money("USD", Decimal("5000")),
                         Money("USD", Decimal(0)), TODAY, "owner")
    assert payment_message(full).text == "Acme paid INV-0042: $5,000.00 USD — fully paid"
    part = PaymentNotice("Müller GmbH", "i2", "INV-0070", None, Money("EUR", Decimal("1000")),
                         Money("EUR", Decimal("2300.5")), None, "watch")
    message = payment_message(part)
    assert message.text == "Müller GmbH paid INV-0070: €1,000.00 EUR — €2,300.50 EUR remains"
    assert "You asked to be reminded when it is paid." in str(message.blocks)
    assert check_message_blocks(message.blocks) == []


def test_failure_and_outage_messages() -> None:
    failure = FailedRecordAlert(7, "xero", "invoices", "INV-0050", "i50", "Date: not a date", 3, AT, "open")
    message = failure_message(failure)
    assert message.text == "Xero invoice INV-0050 does not sync: Date: not a date"
    assert [e["value"] for e in message.blocks[-1]["elements"]] == ["7", "7"]
    assert check_message_blocks(message.blocks) == []
    outage = SourceOutage("xero", "auth_revoked", "Xero refused the token.",
                          "Reconnect Xero: run `paidup connect xero` (or check XERO_CLIENT_ID/SECRET).", AT, 3, "open")
    assert outage_message(outage).text.startswith("Xero sync is down: Paidup cannot sign in. Reconnect Xero")
    assert "3 failed syncs since 2026-11-30 09:00 UTC" in str(outage_message(outage).blocks)
    assert check_view(promise_modal("i1", "C0ALERTS", "1.0001", TODAY)) == []


def test_delivery_threads_a_long_digest_and_paces_each_channel(running_slack: RunningSlack) -> None:
    running_slack.state.clear()
    slept: list[float] = []
    now = [100.0]
    pacer = ChannelPacer(1.0, clock=lambda: now[0], sleep=slept.append)
    delivery = SlackAlertDelivery(running_slack.client(), pacer)
    ref = delivery.deliver(Recipient("channel", "C0ALERTS"), digest_of(150))
    replies = running_slack.state.thread("C0ALERTS", ref.id)
    assert ref.channel == "C0ALERTS" and len(replies) == len(digest_messages(digest_of(150))) - 1 >= 1
    assert slept == [1.0 * n for n in range(1, len(replies) + 1)]  # one a second, queued behind each other
    dm = delivery.deliver(Recipient("person", "U0REP0001"), digest_of(3))
    assert dm.channel.startswith("D") and len(slept) == len(replies)  # another channel: not held back
    assert delivery.person_for_email("rita.rep@paidup.example") == "U0REP0001"
    assert delivery.person_for_email("nobody@paidup.example") is None
