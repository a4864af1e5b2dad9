"""Buttons on failed-sync alerts: "Retry now" fetches the record again at once, "Ignore" stops the
retries; either way the card is replaced, in place, by the failure as it stands now, with the outcome.
(When a retried record syncs later, the alert service updates the card through the delivery port.)"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from bot.config import ConfigError
from bot.services.alerts import AlertService, FailureOutcome
from bot.services.alerts.follow_ups import FollowUpRefused
from handlers.common.status_text import watched_text
from handlers.teams.cards.alerts import failure_card
from handlers.teams.cards.common import CardReply
from handlers.teams.invoicing.cards import humanise
from handlers.teams.turn import Turn

NOT_AVAILABLE = "Alerts are not available in this Paidup, so I can't do that."


def alerts_in_teams(turn: Turn) -> AlertService | None:
    """The alert service when its messages go to Teams (a bot set up for Slack too sends them there)."""
    service = turn.services.find("alerts")
    if not isinstance(service, AlertService):
        return None
    try:
        return service if getattr(service.delivery(), "platform", None) == "teams" else None
    except ConfigError:  # not set up: no alerts from this bot
        return None


def _on_failure(turn: Turn, data: Mapping[str, Any], act: Callable[[AlertService, int, str], FailureOutcome]
                ) -> CardReply:
    service = turn.services.find("alerts")
    failure = data.get("failure")
    if not isinstance(service, AlertService):
        return CardReply(NOT_AVAILABLE)
    if not isinstance(failure, int) or isinstance(failure, bool):
        return CardReply("That button doesn't name a sync failure.")
    try:
        outcome = act(service, failure, turn.user_key)
    except FollowUpRefused as exc:
        return CardReply(str(exc))
    return failure_card(outcome.alert, humanise(outcome.message, turn.name_of), turn.name_of)


def retry_failure(turn: Turn, data: Mapping[str, Any]) -> CardReply:
    return _on_failure(turn, data, lambda service, failure, user: service.retry_failure(failure, user))


def ignore_failure(turn: Turn, data: Mapping[str, Any]) -> CardReply:
    return _on_failure(turn, data, lambda service, failure, user: service.ignore_failure(failure, user))


def remind_when_paid(turn: Turn, data: Mapping[str, Any]) -> CardReply:
    """"Remind me when paid" on a status card: a message to the person (the card stays as it is)."""
    service = alerts_in_teams(turn)
    ids = [i for i in str(data.get("invoices") or "").split(",") if i][:20]
    if not isinstance(service, AlertService):
        return CardReply(NOT_AVAILABLE)
    if not ids:
        return CardReply("That button doesn't name an invoice.")
    try:
        watch = service.watch(ids, turn.user_key)
    except FollowUpRefused as exc:
        return CardReply(str(exc))
    return CardReply(watched_text([n or "an invoice" for _, n in watch.invoices],
                                  [n or "the invoice" for n in watch.already_paid]).replace("I'll DM you",
                                                                                            "I'll tell you"))


def _follow_up(turn: Turn, data: Mapping[str, Any], act: Callable[[AlertService, str], str]) -> CardReply:
    service, invoice = turn.services.find("alerts"), data.get("invoice")
    if not isinstance(service, AlertService):
        return CardReply(NOT_AVAILABLE)
    if not isinstance(invoice, str) or not invoice or len(invoice) > 100:
        return CardReply("That button doesn't name an invoice.")
    try:
        return CardReply(act(service, invoice))
    except FollowUpRefused as exc:
        return CardReply(str(exc))


def snooze_invoice(turn: Turn, data: Mapping[str, Any]) -> CardReply:
    """"Snooze 7 days" under an invoice in a digest: left out of digests for a week (the card stays)."""
    def snooze(service: AlertService, invoice: str) -> str:
        done = service.snooze(invoice, turn.user_key)
        return (f"Snoozed {done.invoice_number or 'the invoice'} ({done.account_name}) until "
                f"{done.until.isoformat()}: it stays out of overdue digests until then.")

    return _follow_up(turn, data, snooze)


def promise_to_pay(turn: Turn, data: Mapping[str, Any]) -> CardReply:
    """"Promised to pay" with a date: left out of digests up to that day."""
    def promise(service: AlertService, invoice: str) -> str:
        try:
            pay_by = date.fromisoformat(str(data.get("pay_by") or ""))
        except ValueError:
            return "Pick the date the customer promised."
        done = service.promise(invoice, turn.user_key, pay_by)
        return (f"Noted: {done.account_name} promised to pay {done.invoice_number or 'the invoice'} by "
                f"{done.until.isoformat()}. It stays out of overdue digests until then.")

    return _follow_up(turn, data, promise)
