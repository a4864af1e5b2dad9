"""Buttons on failed-sync alerts: "Retry now" fetches the record again at once, "Ignore" stops the
retries; either way the card is replaced, in place, by the failure as it stands now, with the outcome.
(When a retried record syncs later, the alert service updates the card through the delivery port.)"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.services.alerts import AlertService, FailureOutcome
from bot.services.alerts.follow_ups import FollowUpRefused
from handlers.slack.alerts.remind_when_paid import watched_text
from handlers.teams.cards.alerts import failure_card
from handlers.teams.cards.common import CardReply
from handlers.teams.turn import Turn

NOT_AVAILABLE = "Alerts are not available in this Paidup, so I can't do that."


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
    return failure_card(outcome.alert, outcome.message)


def retry_failure(turn: Turn, data: Mapping[str, Any]) -> CardReply:
    return _on_failure(turn, data, lambda service, failure, user: service.retry_failure(failure, user))


def ignore_failure(turn: Turn, data: Mapping[str, Any]) -> CardReply:
    return _on_failure(turn, data, lambda service, failure, user: service.ignore_failure(failure, user))


def remind_when_paid(turn: Turn, data: Mapping[str, Any]) -> CardReply:
    """"Remind me when paid" on a status card: a message to the person (the card stays as it is)."""
    service = turn.services.find("alerts")
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
