"""A question as the chat adapters see it, from a slash command, a DM, a mention or a Teams message."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.intents import HelpIntent, Intent, clean_chat_text, parse_intent


@dataclass(frozen=True)
class Question:
    user_id: str
    channel_id: str
    raw: str  # the text as the chat sent it (Slack's is HTML-escaped, with mention markup)
    intent: Intent = field(default_factory=HelpIntent)  # what was asked (bot.domain.intents)

    @classmethod
    def parse(cls, user_id: str, channel_id: str, raw: str) -> Question:
        return cls(user_id, channel_id, raw, parse_intent(raw))

    @property
    def text(self) -> str:
        """As the person typed it: unescaped, mentions and links removed, spaces squeezed, length capped."""
        return clean_chat_text(self.raw)

    @property
    def single_word(self) -> str | None:
        words = self.text.split()
        return words[0].casefold() if len(words) == 1 else None
