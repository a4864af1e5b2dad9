"""The Teams side of the invoicing ports: the approval card in ``teams.finance_conversation`` (kept as
conversation + activity id, updated with a PUT as the draft moves) and the rep's 1:1 chat."""

from __future__ import annotations

import logging

from bot.services.invoicing import DraftSummary, MessageRef
from handlers.teams.invoicing.cards import NameOf, approval_card, requester_card
from handlers.teams.proactive import Posted, ProactiveSender

log = logging.getLogger(__name__)


class TeamsInvoiceNotifier:
    def __init__(self, sender: ProactiveSender, finance_conversation: str | None, name_of: NameOf) -> None:
        self.sender = sender
        self.finance_conversation = finance_conversation
        self.name_of = name_of

    def request_approval(self, draft: DraftSummary) -> MessageRef | None:
        if not self.finance_conversation:
            log.warning("invoicing.no_finance_conversation", extra={"draft": draft.id})
            return None
        posted = self.sender.to_conversation(self.finance_conversation, approval_card(draft, self.name_of))
        return MessageRef(posted.conversation, posted.activity_id)

    def refresh_approval(self, ref: MessageRef, draft: DraftSummary) -> None:
        self.sender.update(Posted(ref.channel, ref.ts), approval_card(draft, self.name_of))

    def tell_requester(self, draft: DraftSummary, event: str) -> None:
        self.sender.to_person(draft.requested_by, requester_card(draft, event, self.name_of))
