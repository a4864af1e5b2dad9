"""A question as the listeners see it, from a slash command, a DM or a mention."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
MAX_TEXT = 4000  # longer input is cut before anything looks at it


@dataclass(frozen=True)
class Question:
    user_id: str
    channel_id: str
    text: str  # unescaped (Slack sends &amp; &lt; &gt;), mentions of the bot removed, trimmed

    @property
    def first_word(self) -> str:
        return self.text.split(maxsplit=1)[0].lower() if self.text else ""

    @property
    def rest(self) -> str:
        parts = self.text.split(maxsplit=1)
        return parts[1] if len(parts) == 2 else ""


def clean_text(raw: str) -> str:
    """Slack's text as the person typed it: entities unescaped, user mentions dropped, spaces squeezed."""
    text = html.unescape(MENTION.sub(" ", raw[:MAX_TEXT]))
    return " ".join(text.split())
