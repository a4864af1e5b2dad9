"""Messages the bot starts (not replies): to a conversation from app.yml, or to a person's 1:1 chat
with the bot, opened once with ``POST /v3/conversations`` and remembered; and updates of them."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from handlers.teams.cards.common import CardReply
from handlers.teams.services import TeamsConnector


@dataclass(frozen=True)
class Posted:
    conversation: str
    activity_id: str


class ProactiveSender:
    def __init__(self, connector: TeamsConnector, service_url: str, tenant_id: str, bot_id: str) -> None:
        self.connector = connector
        self.service_url = service_url
        self.tenant_id = tenant_id
        self.bot_id = bot_id
        self._chats: dict[str, str] = {}  # person → their 1:1 conversation with the bot
        self._lock = threading.Lock()

    def to_conversation(self, conversation: str, reply: CardReply) -> Posted:
        return Posted(conversation, self.connector.send(self.service_url, conversation, reply.activity()))

    def to_person(self, person: str, reply: CardReply) -> Posted:
        """``person``: an Entra object id (or Teams id) of someone who has the bot installed."""
        return self.to_conversation(self.personal_chat(person), reply)

    def update(self, posted: Posted, reply: CardReply) -> None:
        self.connector.update(self.service_url, posted.conversation, posted.activity_id, reply.activity())

    def personal_chat(self, person: str) -> str:
        with self._lock:
            known = self._chats.get(person)
        if known:
            return known
        conversation = self.connector.open_personal_chat(self.service_url, self.tenant_id, self.bot_id, person)
        with self._lock:
            self._chats[person] = conversation
        return conversation
