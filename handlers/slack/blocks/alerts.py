"""Payment notices, failed-sync alerts (with Retry and Ignore) and source outages as Slack
messages, and the small "promised to pay" modal. Pure: alert data (and a date) in, Block Kit out."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from bot.services.alerts.follow_ups import FollowUp
from bot.services.alerts.port import FailedRecordAlert, PaymentNotice, SourceOutage
from handlers.common.alert_text import REASONS, failure_headline, payment_headline
from handlers.common.text import SOURCE_NAMES, cut
from handlers.slack.blocks.digest import SlackMessage
from handlers.slack.blocks.status import mrkdwn_escape

RETRY_ACTION, IGNORE_ACTION = "sync_failure_retry", "sync_failure_ignore"
PROMISE_VIEW, PROMISE_BLOCK, PROMISE_DATE = "overdue_promise", "promise_date", "pay_by"


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC") if at else "an unknown time"


def payment_message(notice: PaymentNotice) -> SlackMessage:
    headline = payment_headline(notice)
    number = mrkdwn_escape(notice.invoice_number or "the invoice")
    linked = f"<{notice.xero_url}|{number}>" if notice.xero_url else number
    shown = mrkdwn_escape(headline).replace(number, linked, 1) if notice.invoice_number else mrkdwn_escape(headline)
    icon = ":moneybag:" if notice.fully_paid else ":heavy_dollar_sign:"
    context = [f"Paid on {notice.paid_on.isoformat()}" if notice.paid_on else "Payment recorded in Xero",
               REASONS.get(notice.reason, "")]
    return SlackMessage(headline, [
        {"type": "section", "block_id": "payment_notice", "text": {"type": "mrkdwn", "text": f"{icon} {shown}"}},
        {"type": "context", "block_id": "payment_context",
         "elements": [{"type": "mrkdwn", "text": cut(". ".join(c for c in context if c).rstrip("."), 3000) + "."}]}])


def failure_message(alert: FailedRecordAlert) -> SlackMessage:
    headline = failure_headline(alert)
    icon = {"open": ":warning:", "resolved": ":white_check_mark:", "ignored": ":no_entry_sign:"}[alert.state]
    details = (f"*Error:* {mrkdwn_escape(cut(alert.error, 1500))}\n*Attempts:* {alert.attempts} · *First seen:* "
               f"{_when(alert.first_seen)} · *Record id:* `{mrkdwn_escape(alert.record_id)}`")
    blocks: list[dict[str, Any]] = [
        {"type": "section", "block_id": "failure_title",
         "text": {"type": "mrkdwn", "text": f"{icon} *{mrkdwn_escape(headline)}*"}},
        {"type": "section", "block_id": "failure_details", "text": {"type": "mrkdwn", "text": cut(details, 3000)}}]
    if alert.state == "open":
        value = str(alert.failure_id)
        blocks.append({"type": "actions", "block_id": "failure_actions", "elements": [
            {"type": "button", "action_id": RETRY_ACTION, "value": value, "style": "primary",
             "text": {"type": "plain_text", "text": "Retry now"}},
            {"type": "button", "action_id": IGNORE_ACTION, "value": value,
             "text": {"type": "plain_text", "text": "Ignore"},
             "confirm": {"title": {"type": "plain_text", "text": "Ignore this failure?"},
                         "text": {"type": "plain_text", "text": "Paidup stops retrying this record and alerting "
                                                                "about it until it fails again after syncing."},
                         "confirm": {"type": "plain_text", "text": "Ignore"},
                         "deny": {"type": "plain_text", "text": "Cancel"}}}]})
    else:
        by = f" by <@{alert.by}>" if alert.state == "ignored" and alert.by else ""
        blocks.append(_context("failure_outcome", f"{alert.state.capitalize()}{by} at {_when(alert.at)}."))
    return SlackMessage(f"{headline}: {alert.error}"[:3000], blocks)


def outage_message(outage: SourceOutage) -> SlackMessage:
    source = SOURCE_NAMES.get(outage.source, outage.source)
    problem = {"auth_revoked": "cannot sign in", "day_quota": "has used up its daily API limit",
               "config": "is misconfigured", "outage": f"gets no answer from {source}"}.get(outage.kind, "is failing")
    if outage.state == "resolved":
        text = f"{source} syncs again (it {problem} since {_when(outage.since)})."
        return SlackMessage(text, [_section("outage", f":white_check_mark: *{mrkdwn_escape(text)}*"),
                                   _context("outage_context", f"Resolved at {_when(outage.resolved_at)}.")])
    headline = f"{source} sync is down: Paidup {problem}"
    body = (f"*{mrkdwn_escape(headline)}*\n{mrkdwn_escape(cut(outage.error, 1500))}\n*What to do:* "
            f"{mrkdwn_escape(outage.fix)}")
    runs = f"{outage.failed_runs} failed sync{'s' if outage.failed_runs != 1 else ''} since {_when(outage.since)}"
    return SlackMessage(f"{headline}. {outage.fix}", [_section("outage", f":rotating_light: {body}"),
                                                        _context("outage_context", f"{runs}. Answers come from the "
                                                                 "last good sync until it is fixed.")])


def follow_up_note(follow_up: FollowUp, user_id: str) -> str:
    """For the digest's thread, so the channel sees who is on it."""
    number = mrkdwn_escape(follow_up.invoice_number or "an invoice")
    name = mrkdwn_escape(follow_up.account_name)
    if follow_up.kind == "snooze":
        return f"<@{user_id}> snoozed {number} ({name}) until {follow_up.until.isoformat()}."
    return f"<@{user_id}>: {name} promised to pay {number} by {follow_up.until.isoformat()}."


def promise_modal(invoice_id: str, reply_to: str, thread_ts: str, today: date) -> dict[str, Any]:
    """"Mark as promised to pay": pick the date; ``reply_to`` and ``thread_ts`` say where the digest
    is (a confirmation for the person there, a note in its thread)."""
    return {"type": "modal", "callback_id": PROMISE_VIEW, "private_metadata": f"{invoice_id}|{reply_to}|{thread_ts}",
            "title": {"type": "plain_text", "text": "Promised to pay"},
            "submit": {"type": "plain_text", "text": "Save"}, "close": {"type": "plain_text", "text": "Cancel"},
            "blocks": [{"type": "input", "block_id": PROMISE_BLOCK,
                        "label": {"type": "plain_text", "text": "The customer promised to pay by"},
                        "hint": {"type": "plain_text", "text": "The invoice is left out of overdue digests "
                                                              "until then."},
                        "element": {"type": "datepicker", "action_id": PROMISE_DATE,
                                    "initial_date": (today + timedelta(days=7)).isoformat()}}]}


def _section(block_id: str, text: str) -> dict[str, Any]:
    return {"type": "section", "block_id": block_id, "text": {"type": "mrkdwn", "text": cut(text, 3000)}}


def _context(block_id: str, text: str) -> dict[str, Any]:
    return {"type": "context", "block_id": block_id, "elements": [{"type": "mrkdwn", "text": cut(text, 3000)}]}
