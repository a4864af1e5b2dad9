"""What every card shares: the attachment wrapper, text made safe for Adaptive Card markdown,
and the reply (a card, with the text that notifications and screen readers get; inline images;
messages that follow it)."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

from microsoft_teams.cards import AdaptiveCard, SubmitAction

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
_MARKDOWN = re.compile(r"([\\*_\[\]])")  # bold, italic, links: what Teams' card markdown reads


def plain(text: str) -> str:
    """Text from the mirror or a person shown as typed (no accidental links, bold or lists)."""
    return _MARKDOWN.sub(r"\\\1", text)


def card_content(card: AdaptiveCard) -> dict[str, Any]:
    return card.model_dump(exclude_none=True, by_alias=True)


@dataclass(frozen=True)
class InlineImage:
    """A picture shown in the conversation, sent inside the message: an attachment with an image
    content type and the bytes as a base64 ``data:`` URL in ``contentUrl`` (Teams' inline image; no
    hosting, no Graph permission). Teams shows PNG, JPEG or GIF up to 1024 × 1024 px and under 1 MB."""

    name: str  # the file name Teams shows, e.g. receivables-aging.png
    png: bytes

    def attachment(self) -> dict[str, Any]:
        data = base64.b64encode(self.png).decode("ascii")
        return {"contentType": "image/png", "contentUrl": f"data:image/png;base64,{data}", "name": self.name}


@dataclass(frozen=True)
class CardReply:
    """A rendered answer: ``text`` is the notification / accessibility summary, ``card`` the content,
    ``images`` pictures sent with it; ``then`` the messages posted after it, in order (a report's
    charts after its card). Updates and invoke responses use the first message only."""

    text: str
    card: dict[str, Any] | None = None
    images: tuple[InlineImage, ...] = ()
    then: tuple[CardReply, ...] = ()

    def activity(self) -> dict[str, Any]:
        """The message activity to POST (or PUT over an older card)."""
        pictures = [image.attachment() for image in self.images]
        if self.card is None:
            plain_text = {"type": "message", "text": self.text, "textFormat": "plain"}
            return plain_text | {"attachments": pictures} if pictures else plain_text
        return {"type": "message", "summary": self.text,
                "attachments": [{"contentType": ADAPTIVE_CARD, "content": self.card}, *pictures]}

    def invoke_body(self) -> dict[str, Any]:
        """The ``adaptiveCard/action`` response that replaces the card in place (or shows a message)."""
        if self.card is None:
            return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": self.text}
        return {"statusCode": 200, "type": ADAPTIVE_CARD, "value": self.card}


def submit_fallback(title: str, verb: str, data: dict[str, Any]) -> SubmitAction:
    """The ``Action.Submit`` that clients without Universal Actions get instead of ``Action.Execute``:
    it arrives as a message whose ``value`` carries the verb."""
    return SubmitAction(title=title, data={**data, "verb": verb})
