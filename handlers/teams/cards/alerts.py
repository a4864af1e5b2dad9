"""Alerts as Adaptive Cards: the overdue digest (one card, cut to fit Teams' 28 KB message), all
clear, payment notices, failed-sync alerts (Retry now / Ignore as ``Action.Execute``, updated in
place when the record syncs again) and source outages. Pure: alert data in, a ``CardReply`` out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    DateInput,
    ExecuteAction,
    Fact,
    FactSet,
    ShowCardAction,
    TextBlock,
)

from bot.services.alerts.port import AllClear, FailedRecordAlert, OverdueDigest, PaymentNotice, SourceOutage
from handlers.common.alert_text import REASONS, failure_headline, payment_headline
from handlers.common.overdue_text import buckets_line, digest_text, title
from handlers.common.text import SOURCE_NAMES, cut, money_list
from handlers.teams.cards.common import CardReply, card_content, plain, submit_fallback
from handlers.teams.cards.overdue import overdue_line

RETRY_VERB, IGNORE_VERB = "sync_failure_retry", "sync_failure_ignore"
SNOOZE_VERB, PROMISE_VERB = "overdue_snooze", "overdue_promise"
DIGEST_LINES_MAX = 25  # invoice lines, each with its buttons, in one card within Teams' 28 KB; the rest counted
ERROR_SHOWN_MAX = 1500


def _card(text: str, body: list[Any], actions: list[Any] | None = None) -> CardReply:
    return CardReply(text, card_content(AdaptiveCard(body=body, actions=actions or None, fallback_text=text)))


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC") if at else "an unknown time"


def digest_card(digest: OverdueDigest) -> CardReply:
    report = digest.report
    plural = "s" if report.count != 1 else ""
    body: list[Any] = [TextBlock(text=plain(title(digest)), size="Large", weight="Bolder", wrap=True),
                       TextBlock(text=f"**{report.count} overdue invoice{plural}**: {money_list(report.totals)}",
                                 wrap=True),
                       TextBlock(text=buckets_line(report.buckets), wrap=True, is_subtle=True, spacing="None")]
    shown = 0
    for group in report.groups:
        if shown >= DIGEST_LINES_MAX:
            break
        if digest.owner_name is None:
            body.append(TextBlock(text=f"**{plain(group.owner_name)}**: {group.count} overdue, "
                                       f"{money_list(group.totals)}", wrap=True, spacing="Medium"))
        for invoice in group.invoices[:DIGEST_LINES_MAX - shown]:
            body += [TextBlock(text=overdue_line(invoice), wrap=True, spacing="Small"),
                     follow_up_buttons(invoice.invoice_id)]
            shown += 1
    if report.count > shown:
        body.append(TextBlock(text=f"…and {report.count - shown} more overdue invoices: ask me “overdue all”.",
                              wrap=True))
    notes = f"Worst first. Overdue: due before {digest.today.isoformat()}" + (
        f", at least {digest.min_days_overdue} days" if digest.min_days_overdue > 1 else "") + "."
    if digest.hidden:
        notes += f" {digest.hidden} snoozed or promised to pay not shown."
    body.append(TextBlock(text=notes, wrap=True, is_subtle=True, size="Small"))
    return _card(digest_text(digest), body)


def follow_up_buttons(invoice_id: str) -> ActionSet:
    """"Snooze 7 days" and "Promised to pay" (a date, then Save) under an invoice in a digest."""
    data = {"invoice": invoice_id}
    promise = AdaptiveCard(body=[DateInput(id="pay_by", label="The customer promised to pay by", is_required=True,
                                           error_message="Pick the date the customer promised.")],
                           actions=[ExecuteAction(title="Save", verb=PROMISE_VERB, data=data)])
    return ActionSet(actions=[ExecuteAction(title="Snooze 7 days", verb=SNOOZE_VERB, data=data),
                              ShowCardAction(title="Promised to pay", card=promise)], spacing="None")


def all_clear_card(clear: AllClear) -> CardReply:
    text = f"All clear: nothing is overdue today ({clear.today.isoformat()})."
    if clear.hidden:
        text += f" {clear.hidden} overdue invoice{'s are' if clear.hidden != 1 else ' is'} snoozed or promised to pay."
    return _card(text, [TextBlock(text=f"✅ {text}", wrap=True)])


def payment_card(notice: PaymentNotice) -> CardReply:
    headline = payment_headline(notice)
    shown = plain(headline)
    if notice.invoice_number and notice.xero_url:
        number = plain(notice.invoice_number)
        shown = shown.replace(number, f"[{number}]({notice.xero_url})", 1)
    icon = "💰" if notice.fully_paid else "💵"
    context = [f"Paid on {notice.paid_on.isoformat()}" if notice.paid_on else "Payment recorded in Xero",
               REASONS.get(notice.reason, "")]
    return _card(headline, [TextBlock(text=f"{icon} {shown}", wrap=True, weight="Bolder"),
                            TextBlock(text=". ".join(c for c in context if c).rstrip(".") + ".", wrap=True,
                                      is_subtle=True, size="Small")])


def failure_card(alert: FailedRecordAlert, note: str | None = None,
                 name_of: Callable[[str], str] | None = None) -> CardReply:
    headline = failure_headline(alert)
    icon = {"open": "⚠️", "resolved": "✅", "ignored": "🚫"}[alert.state]
    body: list[Any] = [TextBlock(text=f"{icon} **{plain(headline)}**", wrap=True),
                       FactSet(facts=[Fact(title="Error", value=plain(cut(alert.error, ERROR_SHOWN_MAX))),
                                      Fact(title="Attempts", value=str(alert.attempts)),
                                      Fact(title="First seen", value=_when(alert.first_seen)),
                                      Fact(title="Record id", value=plain(alert.record_id))])]
    actions: list[Any] = []
    if alert.state == "open":
        data = {"failure": alert.failure_id}
        actions = [ExecuteAction(title="Retry now", verb=RETRY_VERB, data=data, style="positive",
                                 fallback=submit_fallback("Retry now", RETRY_VERB, data)),
                   ExecuteAction(title="Ignore", verb=IGNORE_VERB, data=data,
                                 fallback=submit_fallback("Ignore", IGNORE_VERB, data))]
    else:
        who = (name_of or (lambda _: "a teammate"))(alert.by) if alert.by else ""
        by = f" by {plain(who)}" if alert.state == "ignored" and who else ""
        body.append(TextBlock(text=f"{alert.state.capitalize()}{by} at {_when(alert.at)}.", wrap=True,
                              is_subtle=True, size="Small"))
    if note:
        body.append(TextBlock(text=plain(note), wrap=True, is_subtle=True, size="Small"))
    return _card(f"{headline}: {alert.error}"[:3000], body, actions)


def outage_card(outage: SourceOutage) -> CardReply:
    source = SOURCE_NAMES.get(outage.source, outage.source)
    problem = {"auth_revoked": "cannot sign in", "day_quota": "has used up its daily API limit",
               "config": "is misconfigured"}.get(outage.kind, "is failing")
    if outage.state == "resolved":
        text = f"{source} syncs again (it {problem} since {_when(outage.since)})."
        return _card(text, [TextBlock(text=f"✅ **{plain(text)}**", wrap=True),
                            TextBlock(text=f"Resolved at {_when(outage.resolved_at)}.", wrap=True, is_subtle=True)])
    headline = f"{source} sync is down: Paidup {problem}"
    runs = f"{outage.failed_runs} failed sync{'s' if outage.failed_runs != 1 else ''} since {_when(outage.since)}"
    body = [TextBlock(text=f"🚨 **{plain(headline)}**", wrap=True),
            TextBlock(text=plain(cut(outage.error, ERROR_SHOWN_MAX)), wrap=True),
            TextBlock(text=f"**What to do:** {plain(outage.fix)}", wrap=True),
            TextBlock(text=f"{runs}. Answers come from the last good sync until it is fixed.", wrap=True,
                      is_subtle=True, size="Small")]
    return _card(f"{headline}. {outage.fix}", body)
