"""One question → one reply, for listeners that answer after the ack (DMs, mentions): help, a
not-yet notice, or the plugged-in answer (see ``dispatch``)."""

from __future__ import annotations

from handlers.common.dispatch import decide, not_available
from handlers.common.questions import Question
from handlers.slack.blocks.help import help_blocks, help_text
from handlers.slack.dispatch import answerable
from handlers.slack.replies import Reply
from handlers.slack.services import SlackServices


def help_reply(services: SlackServices, notice: str | None = None) -> Reply:
    return Reply(help_text(services.command), help_blocks(services.command, notice), services.answers)


def answer_question(services: SlackServices, question: Question) -> Reply:
    decision = decide(question, services.routes)
    if decision.route is None:
        return help_reply(services, decision.notice)
    found = answerable(decision, services.find)
    if found is None:
        return help_reply(services, not_available(decision.route))
    answer, service = found
    return answer(service, question)
