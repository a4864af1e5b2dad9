"""Slack's answers for the routes of ``handlers.common.dispatch``: each ``answer`` function
``(service, question) -> Reply`` calls the route's bot service once and renders the result with
``blocks/`` (``question.intent`` is the typed intent). While either is missing the person gets the
help and a plain sentence that the answer is not available yet (never made-up data). To plug an
answer in: write the answer function in its own module under ``handlers/slack/answers/`` and set it
in ``ANSWERS`` (``SlackServices.routes`` defaults to ``ROUTES``; tests pass their own).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from handlers.common import dispatch
from handlers.common.dispatch import Decision, Route
from handlers.common.questions import Question
from handlers.slack.answers.health import answer_health
from handlers.slack.answers.invoice import answer_invoice
from handlers.slack.answers.overdue import answer_overdue
from handlers.slack.answers.report import answer_report
from handlers.slack.answers.status import answer_status
from handlers.slack.replies import Reply

Answer = Callable[[object, Question], Reply]

ANSWERS: dict[str, Answer] = {"status": answer_status, "overdue": answer_overdue, "invoice": answer_invoice,
                              "health": answer_health, "report": answer_report}
ROUTES: dict[str, Route] = {name: replace(route, answer=ANSWERS.get(name)) for name, route in dispatch.ROUTES.items()}


def answerable(decision: Decision, find: Callable[[str], object | None]) -> tuple[Answer, object] | None:
    """The answer function and its service when both exist; None while either is missing."""
    if decision.route is None or decision.route.answer is None:
        return None
    service = find(decision.route.service)
    return None if service is None else (decision.route.answer, service)
