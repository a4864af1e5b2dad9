"""The Teams side of Paidup: one authenticated activity in, the replies sent through the
connector, and for an invoke the response Teams waits for (FACTS §2–3).

    message (text)                → answers.answer → a card posted in the conversation
    message (value, Action.Submit) → actions.run_action → the card updated with a PUT
    invoke adaptiveCard/action    → actions.run_action → the new card, in the HTTP response
    invoke task/fetch, task/submit → invoicing.flows: the invoice form dialog, in the HTTP response
    conversationUpdate / installationUpdate (the bot added) → the help card
    anything else                 → 200, nothing sent
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from handlers.teams.actions import run_action
from handlers.teams.answers import answer
from handlers.teams.cards.common import CardReply
from handlers.teams.cards.help import help_reply
from handlers.teams.invoicing.flows import open_form, submit_form
from handlers.teams.services import TeamsServices
from handlers.teams.turn import Turn, message_text

log = logging.getLogger("paidup.teams")
SORRY = "Sorry, something went wrong while answering. Please try again in a minute."
MAX_DATA_KEYS = 50


@dataclass(frozen=True)
class InvokeResult:
    status: int
    body: dict[str, Any] | None = None


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"statusCode": 400, "type": "application/vnd.microsoft.error", "value": {"code": code, "message": message}}


class TeamsBot:
    def __init__(self, services: TeamsServices) -> None:
        self.services = services
        self.invokes = {"adaptiveCard/action": self._card_action, "task/fetch": self._task_fetch,
                        "task/submit": self._task_submit}

    def handle(self, activity: Any) -> InvokeResult | None:
        """Answer one activity; an ``InvokeResult`` for invokes (the HTTP response), else None."""
        turn = Turn(activity, self.services)
        kind = activity.type
        try:
            if kind == "invoke":
                handler = self.invokes.get(activity.name)
                if handler is None:
                    return InvokeResult(501, None)  # as the Bot Framework SDKs answer an invoke nobody handles
                return handler(turn)
            if kind == "message":
                self._message(turn)
            elif kind in ("conversationUpdate", "installationUpdate") and self._bot_added(activity):
                turn.reply(help_reply(self.services.app_name, f"Hi! I'm {self.services.app_name}."))
        except Exception:  # one error reply per failure; the details go to the log
            log.exception("teams.activity.failed", extra={"type": kind, "name": getattr(activity, "name", None)})
            if kind == "invoke":
                return InvokeResult(200, error_body("InternalError", SORRY))
            self._apologise(turn)
        return None

    def _message(self, turn: Turn) -> None:
        value = turn.activity.value
        if isinstance(value, Mapping) and isinstance(value.get("verb"), str):
            reply = run_action(turn, value["verb"], _data(value))
            if reply is None:
                return
            card_id = turn.activity.reply_to_id
            if card_id and reply.card is not None:  # a new card replaces the one pressed
                turn.update(card_id, reply)
            else:  # words for the person: the card stays
                turn.reply(reply)
            return
        text = message_text(turn.activity.text)
        turn.reply(answer(turn, text))

    def _card_action(self, turn: Turn) -> InvokeResult:
        action = turn.activity.value.action
        verb = action.verb or ""
        reply = run_action(turn, verb, _data(action.data))
        if reply is None:
            return InvokeResult(200, error_body("BadRequest", f"Paidup does not know the action {verb[:50]!r}."))
        return InvokeResult(200, reply.invoke_body())

    def _task_fetch(self, turn: Turn) -> InvokeResult:
        return InvokeResult(200, open_form(turn, _data(turn.activity.value.data)))

    def _task_submit(self, turn: Turn) -> InvokeResult:
        return InvokeResult(200, submit_form(turn, _data(turn.activity.value.data)))

    def _bot_added(self, activity: Any) -> bool:
        if activity.type == "installationUpdate":
            return getattr(activity, "action", None) == "add"
        recipient = activity.recipient.id
        return any(member.id == recipient for member in getattr(activity, "members_added", None) or [])

    def _apologise(self, turn: Turn) -> None:
        try:
            turn.reply(CardReply(SORRY))
        except Exception:  # the connector itself is failing; the log has the first error
            log.warning("teams.apology.failed", exc_info=True)


def _data(value: Any) -> dict[str, Any]:
    """A button's data as a plain mapping, small, with Teams' own ``msteams`` key removed."""
    if not isinstance(value, Mapping):
        return {}
    return {str(k): v for k, v in list(value.items())[:MAX_DATA_KEYS] if k != "msteams"}
