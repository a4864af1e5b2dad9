"""Which answer a `/paidup` sub-command asks for, and the table where services plug in.

Each sub-command names the bot service it needs (``Paidup.<service>``) and an ``answer`` function
``(service, question) -> Reply`` that calls it once and renders the result with ``blocks/``. While
either is missing the person gets the help and a plain sentence that the answer is not available
yet (never made-up data). To plug an answer in: write ``commands/<name>.py`` (or a module beside it) with the answer
function and set it in ``ROUTES``
(``SlackServices.routes`` defaults to it; tests pass their own).

    /paidup                    → help
    /paidup help               → help
    /paidup status acme        → status
    /paidup overdue [mine|all] → overdue
    /paidup invoice [deal]     → invoice
    /paidup health             → health
    /paidup acme | INV-0042    → status (anything else is an account or invoice number)
    /paidup hepl | overdeu     → help (a near miss of a sub-command is a typo, not an account)
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from handlers.slack.questions import Question
from handlers.slack.replies import Reply

Answer = Callable[[object, Question], Reply]
HELP_WORDS = frozenset({"", "help", "?", "-h", "--help"})


@dataclass(frozen=True)
class Route:
    name: str  # what the person asked for, in words ("status", "overdue", ...)
    service: str  # the attribute of Paidup that answers it
    answer: Answer | None = None  # None until the answer is built


ROUTES: dict[str, Route] = {
    "status": Route("status", "status"),
    "overdue": Route("overdue", "overdue"),
    "invoice": Route("invoice", "invoicing"),
    "health": Route("health", "health_report"),
}
STATUS_FALLBACK = "status"


@dataclass(frozen=True)
class Decision:
    """What to do with a command: show help (with an optional notice) or answer through a route."""

    route: Route | None
    question: Question
    notice: str | None = None


def decide(question: Question, routes: Mapping[str, Route] = ROUTES) -> Decision:
    """Pure and fast (runs before the ack): pick the route for ``question``."""
    word = question.first_word
    if word in HELP_WORDS:
        return Decision(None, question)
    route = routes.get(word)
    if route is not None:
        return Decision(route, Question(question.user_id, question.channel_id, question.rest))
    if not question.rest and difflib.get_close_matches(word, [*routes, "help"], n=1, cutoff=0.75):
        return Decision(None, question, f"I don't know the sub-command `{word}`. Here is what I can do:")
    return Decision(routes.get(STATUS_FALLBACK), question)


def not_available(route: Route) -> str:
    return (f"The *{route.name}* answer is not available yet in this version of Paidup, "
            "so I can't answer that. Here is what you can try meanwhile:")


def answerable(decision: Decision, find: Callable[[str], object | None]) -> tuple[Answer, object] | None:
    """The answer function and its service when both exist; None while either is missing."""
    if decision.route is None or decision.route.answer is None:
        return None
    service = find(decision.route.service)
    return None if service is None else (decision.route.answer, service)
