"""The status answer: `/paidup acme`, `/paidup INV-0042`, "has Acme paid?". Calls
``StatusService.ask`` once and renders the card, the pick-one buttons or the not-found answer."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.intents import StatusIntent
from bot.services.status import StatusAnswer, StatusReply
from handlers.common.desks import StatusDesk
from handlers.common.questions import Question
from handlers.slack.blocks.accounts import choice_blocks, choice_text, not_found_blocks, not_found_text
from handlers.slack.blocks.status import status_blocks, status_text
from handlers.slack.replies import Reply


def card_reply(answer: StatusAnswer, salesforce_url: str | None, *, shared_by: str | None = None) -> Reply:
    """The card as a reply; ``shared_by`` makes the channel copy (visible to everyone)."""
    blocks = status_blocks(answer, datetime.now(UTC), salesforce_url=salesforce_url, shared_by=shared_by)
    return Reply(status_text(answer), blocks, "in_channel" if shared_by else "ephemeral")


def status_reply(reply: StatusReply, salesforce_url: str | None) -> Reply:
    if reply.answer is not None:
        return card_reply(reply.answer, salesforce_url)
    resolution = reply.resolution
    if resolution.outcome == "several":
        return Reply(choice_text(resolution), choice_blocks(resolution))
    return Reply(not_found_text(resolution), not_found_blocks(resolution))


def answer_status(service: object, question: Question) -> Reply:
    assert isinstance(service, StatusDesk)
    intent = question.intent
    assert isinstance(intent, StatusIntent)
    return status_reply(service.status.ask(intent.query, intent.invoice_number), service.salesforce_url())
