"""Buttons pressed on the bot's cards, by verb. The same function serves ``Action.Execute``
(the ``adaptiveCard/action`` invoke: the answer replaces the card in place) and its
``Action.Submit`` fallback (a message with ``value``: the bot updates the card with a PUT).

    pick_account {account}          → the status card for the chosen account
    sync_failure_retry {failure}    → retry a failed record; the alert card as it stands now
    sync_failure_ignore {failure}   → stop retrying it; the same
    approve_draft {draft}           → approve an invoice draft (four-eyes and approvers by the service)
    reject_draft {draft, reason}    → reject it with the reason typed on the card
    remind_when_paid {invoices}     → a chat message at each payment on them (the card stays)
    overdue_snooze {invoice}        → left out of overdue digests for 7 days (the card stays)
    overdue_promise {invoice, pay_by} → left out of digests until the promised day
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from handlers.common.desks import StatusDesk
from handlers.teams.alert_actions import (
    ignore_failure,
    promise_to_pay,
    remind_when_paid,
    retry_failure,
    snooze_invoice,
)
from handlers.teams.answers import card_buttons
from handlers.teams.cards.accounts import PICK_VERB
from handlers.teams.cards.alerts import IGNORE_VERB, PROMISE_VERB, RETRY_VERB, SNOOZE_VERB
from handlers.teams.cards.common import CardReply
from handlers.teams.cards.status import REMIND_VERB, status_reply
from handlers.teams.invoicing.cards import APPROVE_VERB, REJECT_VERB
from handlers.teams.invoicing.flows import approve_draft, reject_draft
from handlers.teams.turn import Turn

Action = Callable[[Turn, Mapping[str, Any]], CardReply]
GONE = "That account is no longer in the mirror (it was deleted or merged). Ask again by name."


def pick_account(turn: Turn, data: Mapping[str, Any]) -> CardReply:
    desk = turn.services.find("status_desk")
    key = data.get("account")
    if not isinstance(desk, StatusDesk) or not isinstance(key, str) or len(key) > 100:
        return CardReply("I can't answer that right now: the status answer is not available.")
    answer = desk.status.for_key(key)
    if answer is None:
        return CardReply(GONE)
    return status_reply(answer, datetime.now(UTC), desk.salesforce_url(), **card_buttons(turn))


ACTIONS: dict[str, Action] = {PICK_VERB: pick_account, RETRY_VERB: retry_failure, IGNORE_VERB: ignore_failure,
                              APPROVE_VERB: approve_draft, REJECT_VERB: reject_draft, REMIND_VERB: remind_when_paid,
                              SNOOZE_VERB: snooze_invoice, PROMISE_VERB: promise_to_pay}


def run_action(turn: Turn, verb: str, data: Mapping[str, Any]) -> CardReply | None:
    """The card that answers ``verb`` pressed with ``data``; None for a verb Paidup doesn't know."""
    action = ACTIONS.get(verb)
    return action(turn, data) if action else None
