"""What every card shares: the attachment wrapper, text made safe for Adaptive Card markdown,
and the reply (a card, with the text that notifications and screen readers get)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from microsoft_teams.cards import AdaptiveCard, SubmitAction

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
_MARKDOWN = re.compile(r"([\\*_\[\]])")  # bold, italic, links: what Teams' card markdown reads


def plain(text: str) -> str:
    """Text from the mirror or a person shown as typed (no accidental links, bold or lists)."""
    return _MARKDOWN.sub(r"\\\1", text)


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def card_content(card: AdaptiveCard) -> dict[str, Any]:
    return card.model_dump(exclude_none=True, by_alias=True)


@dataclass(frozen=True)
class CardReply:
    """A rendered answer: ``text`` is the notification / accessibility summary, ``card`` the content."""

    text: str
    card: dict[str, Any] | None = None

    def activity(self) -> dict[str, Any]:
        """The message activity to POST (or PUT over an older card)."""
        if self.card is None:
            return {"type": "message", "text": self.text, "textFormat": "plain"}
        return {"type": "message", "summary": self.text,
                "attachments": [{"contentType": ADAPTIVE_CARD, "content": self.card}]}

    def invoke_body(self) -> dict[str, Any]:
        """The ``adaptiveCard/action`` response that replaces the card in place (or shows a message)."""
        if self.card is None:
            return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": self.text}
        return {"statusCode": 200, "type": ADAPTIVE_CARD, "value": self.card}


def submit_fallback(title: str, verb: str, data: dict[str, Any]) -> SubmitAction:
    """The ``Action.Submit`` that clients without Universal Actions get instead of ``Action.Execute``:
    it arrives as a message whose ``value`` carries the verb."""
    return SubmitAction(title=title, data={**data, "verb": verb})
