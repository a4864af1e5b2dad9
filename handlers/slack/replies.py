"""A rendered answer, whichever way it is sent (ack body, response_url, chat.postMessage)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Visibility = Literal["ephemeral", "in_channel"]


@dataclass(frozen=True)
class Reply:
    text: str  # the notification / accessibility fallback, always sent with the blocks
    blocks: list[dict[str, Any]] = field(default_factory=list)
    visibility: Visibility = "ephemeral"

    def as_response(self) -> dict[str, Any]:
        """The body of an ack or a response_url post."""
        return {"response_type": self.visibility, "text": self.text, "blocks": self.blocks}
