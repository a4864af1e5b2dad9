"""A question in a chat or an @mention → one service call → a card. Which answer a text asks for
is decided exactly as in Slack (``handlers.common.dispatch.decide`` over ``bot.domain.intents``);
the services are the same ``Paidup`` properties; only the rendering is Teams'.

    "has Acme paid?" | "status acme" | "acme"   → status card, pick-one card, or not found
    "INV-0042"                                  → status card for that invoice's account
    "overdue mine" | "overdue all"              → overdue by owner ("mine": Teams email → Salesforce user)
    "health"                                    → sync freshness, failures, unlinked records
    "invoice [deal]"                            → deals to invoice; each opens the invoice form (invoicing/)
    "report [me|team|all] [period]"             → the report card, then its charts as inline images (report.py)
    "help" | anything else                      → help card (with a notice when not understood)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bot.domain.intents import OverdueIntent, StatusIntent
from bot.services.status import StatusReply
from handlers.common.desks import HealthSource, OverdueDesk, StatusDesk
from handlers.common.dispatch import decide, not_available
from handlers.common.questions import Question
from handlers.teams.alert_actions import alerts_in_teams
from handlers.teams.cards.accounts import choice_reply, not_found_reply
from handlers.teams.cards.common import CardReply
from handlers.teams.cards.health import health_reply
from handlers.teams.cards.help import help_reply
from handlers.teams.cards.overdue import overdue_reply
from handlers.teams.cards.status import status_reply
from handlers.teams.invoicing.flows import SERVICE as INVOICING
from handlers.teams.invoicing.flows import answer_invoice
from handlers.teams.report import SERVICE as REPORTS
from handlers.teams.report import answer_report, unmapped_text
from handlers.teams.turn import Turn

TeamsAnswer = Callable[[Turn, object, Question], CardReply]


def reply_for_status(reply: StatusReply, desk: StatusDesk, turn: Turn) -> CardReply:
    if reply.answer is not None:
        return status_reply(reply.answer, datetime.now(UTC), desk.salesforce_url(), **card_buttons(turn))
    if reply.resolution.outcome == "several":
        return choice_reply(reply.resolution)
    return not_found_reply(reply.resolution, turn.services.app_name)


def card_buttons(turn: Turn) -> dict[str, bool]:
    """Which of the status card's buttons this bot can honour (their services exist)."""
    return {"invoicing": turn.services.find(INVOICING) is not None, "alerts": alerts_in_teams(turn) is not None}


def answer_status(turn: Turn, service: object, question: Question) -> CardReply:
    assert isinstance(service, StatusDesk) and isinstance(question.intent, StatusIntent)
    intent = question.intent
    return reply_for_status(service.status.ask(intent.query, intent.invoice_number), service, turn)


def answer_overdue(turn: Turn, service: object, question: Question) -> CardReply:
    assert isinstance(service, OverdueDesk) and isinstance(question.intent, OverdueIntent)
    now = service.overdue.clock()
    if question.intent.scope == "all":
        return overdue_reply(service.overdue.for_everyone(), now)
    mapping = service.people.salesforce_user(turn.user_key, turn.profile_lookup(), platform="teams")
    if mapping.sf_user is None:
        return CardReply(unmapped_text(mapping) + " Try “overdue all” for everyone's.")
    return overdue_reply(service.overdue.for_owner(mapping.sf_user.id), now, mapping.sf_user.name)


def answer_health(turn: Turn, service: object, question: Question) -> CardReply:
    assert isinstance(service, HealthSource)
    return health_reply(service.check(), service.clock(), service.stale_after)


ANSWERS: dict[str, TeamsAnswer] = {"status": answer_status, "overdue": answer_overdue, "health": answer_health,
                                   "invoice": answer_invoice, "report": answer_report}
# where Teams needs its own composition of a service (approvers, notifier)
TEAMS_SERVICES = {"invoice": INVOICING, "report": REPORTS}


def answer(turn: Turn, raw_text: str) -> CardReply:
    """The reply to a message's text (already cleaned of @mentions by ``turn.message_text``)."""
    question = Question.parse(turn.user_key, turn.conversation_id, raw_text)
    decision = decide(question)
    app_name = turn.services.app_name
    if decision.route is None:
        notice = decision.notice.replace("sub-command", "command").replace("`", '"') if decision.notice else None
        return help_reply(app_name, notice)
    service = turn.services.find(TEAMS_SERVICES.get(decision.route.name, decision.route.service))
    render = ANSWERS.get(decision.route.name)
    if service is None or render is None:
        return help_reply(app_name, not_available(decision.route).replace("*", "**"))
    return render(turn, service, question)
