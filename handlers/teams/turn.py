"""One inbound activity and what the handlers may do with it: reply in its conversation, update a
card the bot posted, and find out who sent it (Teams member → email, for the Salesforce mapping)."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from typing import Any

from bot.services.people import ChatProfile, PeopleService, ProfileLookup
from handlers.teams.cards.common import CardReply
from handlers.teams.services import TeamsServices

log = logging.getLogger("paidup.teams")
FOLLOW_UP_FAILED = "I couldn't send the rest of this answer: Teams refused it. Please ask again in a minute."
_AT_MENTION = re.compile(r"<at\b[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,200}>")


def message_text(raw: str | None) -> str:
    """What the person typed: @mentions (``<at>Paidup</at>``) and HTML markup removed, entities
    decoded; re-escaped as Slack-style ``&amp;`` text, which is what ``bot.domain.intents`` reads."""
    text = _TAG.sub(" ", _AT_MENTION.sub(" ", (raw or "")[:4000]))
    text = html.unescape(text).replace("\xa0", " ")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class Turn:
    activity: Any  # a microsoft_teams.api activity model (message or invoke), already authenticated
    services: TeamsServices

    @property
    def service_url(self) -> str:
        return str(self.activity.service_url)

    @property
    def conversation_id(self) -> str:
        return str(self.activity.conversation.id)

    @property
    def user_key(self) -> str:
        """Who is asking, as Paidup keys people from Teams: the Entra object id (the Teams id when absent)."""
        sender = self.activity.from_
        return str(sender.aad_object_id or sender.id)

    @property
    def user_name(self) -> str | None:
        return self.activity.from_.name

    @property
    def tenant_id(self) -> str | None:
        conversation = self.activity.conversation
        return getattr(conversation, "tenant_id", None)

    def reply(self, reply: CardReply) -> str:
        """Post ``reply`` in the activity's conversation (threaded under it), then its follow-ups;
        the first activity's id. A follow-up Teams refuses leaves what was posted and says so."""
        first = self._send(reply)
        for follow_up in reply.then:
            try:
                self._send(follow_up)
            except Exception:  # the answer itself is out; the person hears what is missing
                log.warning("teams.follow_up.failed", exc_info=True)
                self._send(CardReply(FOLLOW_UP_FAILED))
                break
        return first

    def _send(self, reply: CardReply) -> str:
        activity = reply.activity() | {"replyToId": self.activity.id}
        return self.services.connector.send(self.service_url, self.conversation_id, activity)

    def update(self, activity_id: str, reply: CardReply) -> None:
        self.services.connector.update(self.service_url, self.conversation_id, activity_id, reply.activity())

    def name_of(self, user_id: str) -> str:
        """A person's name as Teams gave it when they last talked to the bot ("a teammate" if never)."""
        people = self.services.find("people")
        profile = people.known_profile(user_id) if isinstance(people, PeopleService) else None
        return profile.display_name if profile and profile.display_name else "a teammate"

    def profile_lookup(self) -> ProfileLookup:
        """The sender's email from the conversation's member list (``GET …/members/{id}``), as the
        people service wants it: email, else the user principal name (an email-shaped sign-in name)."""
        sender_id = str(self.activity.from_.id)

        def lookup(_: str) -> ChatProfile | None:
            member = self.services.connector.member(self.service_url, self.conversation_id, sender_id)
            if member is None:
                return None
            email = member.email or (member.user_principal_name if "@" in (member.user_principal_name or "")
                                     else None)
            return ChatProfile(email, member.name)

        return lookup
