"""Plain-language questions in a DM or an @mention ("has Acme paid?").

The intent parser and its answers plug in at ``ASK`` (``answer(service, question) -> Reply``, the
service being ``Paidup.<ASK.service>``); until then every question gets the help, and anything but
"help" also a plain sentence that this answer is not available yet.
"""

from __future__ import annotations

from handlers.slack.blocks.help import help_blocks, help_text
from handlers.slack.dispatch import HELP_WORDS, Decision, Route, answerable, not_available
from handlers.slack.questions import Question
from handlers.slack.replies import Reply
from handlers.slack.services import SlackServices

ASK = Route("question", "answers")


def answer_question(services: SlackServices, question: Question) -> Reply:
    """Help for "help"; the plugged-in answer when there is one; else help with a not-yet notice."""
    if question.text.lower().strip(" ?!.") in HELP_WORDS:
        return Reply(help_text(services.command), help_blocks(services.command), services.answers)
    found = answerable(Decision(ASK, question), services.find)
    if found is None:
        notice = not_available(ASK)
        return Reply(help_text(services.command), help_blocks(services.command, notice), services.answers)
    answer, service = found
    return answer(service, question)
