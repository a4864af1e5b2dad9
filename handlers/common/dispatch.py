"""Which answer a question asks for (`/paidup` text, a DM, a mention, a Teams message), and which
bot service answers it.

The intent parser (``bot.domain.intents``) reads the text; each kind of intent has a route naming
the bot service it needs (``Paidup.<service>``). ``ROUTES`` here has no answer functions: each chat
adapter renders the answer its own way (Slack sets its answers in ``handlers.slack.dispatch.ROUTES``;
Teams keeps its own table in ``handlers.teams.answers``).

    /paidup | help                  → help
    /paidup acme | status acme      → status        has Acme paid? / did Globex pay INV-0042?
    /paidup INV-0042                → status        (invoice number)
    /paidup overdue [mine|all]      → overdue       overdue for me
    /paidup invoice [deal]          → invoice
    /paidup health                  → health
    /paidup report [me|team|all] [this month|last month|quarter|YYYY-MM] → report   report for last month
    /paidup hepl | overdeu          → help, "I don't know the sub-command" (a near miss is a typo)
    hi | ???                        → help, "I didn't understand"
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.domain.intents import (
    HealthIntent,
    HelpIntent,
    InvoiceIntent,
    OverdueIntent,
    ReportIntent,
    StatusIntent,
    UnknownIntent,
)
from handlers.common.questions import Question


@dataclass(frozen=True)
class Route:
    name: str  # what the person asked for, in words ("status", "overdue", ...)
    service: str  # the attribute of Paidup that answers it
    answer: Callable[[object, Question], object] | None = None  # the chat's answer function; None until built


ROUTES: dict[str, Route] = {
    "status": Route("status", "status_desk"),
    "overdue": Route("overdue", "overdue_desk"),
    "invoice": Route("invoice", "invoicing"),
    "health": Route("health", "health_report"),
    "report": Route("report", "report_desk"),
}
ROUTE_OF_INTENT: dict[type, str] = {StatusIntent: "status", OverdueIntent: "overdue", InvoiceIntent: "invoice",
                                    HealthIntent: "health", ReportIntent: "report"}
SUB_COMMANDS = ("status", "overdue", "invoice", "health", "report", "help")


@dataclass(frozen=True)
class Decision:
    """What to do with a question: show help (with an optional notice) or answer through a route."""

    route: Route | None
    question: Question
    notice: str | None = None


def decide(question: Question, routes: Mapping[str, Route] = ROUTES) -> Decision:
    """Pure and fast (runs before the ack): pick the route for ``question``."""
    word = question.single_word
    if word and word not in SUB_COMMANDS and difflib.get_close_matches(word, SUB_COMMANDS, n=1, cutoff=0.75):
        return Decision(None, question, f"I don't know the sub-command `{word}`. Here is what I can do:")
    intent = question.intent
    if isinstance(intent, HelpIntent):
        return Decision(None, question)
    if isinstance(intent, UnknownIntent):
        return Decision(None, question, "I didn't understand that. Here is what I can answer:")
    route = routes.get(ROUTE_OF_INTENT.get(type(intent), ""))
    if route is None:
        return Decision(None, question, "I can't answer that yet. Here is what I can answer:")
    return Decision(route, question)


def not_available(route: Route) -> str:
    """In Slack's mrkdwn (Teams doubles the asterisks for its markdown)."""
    return (f"The *{route.name}* answer is not available yet in this version of Paidup, "
            "so I can't answer that. Here is what you can try meanwhile:")
