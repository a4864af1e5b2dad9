"""The invoice modal's memory: what travels in the view's ``private_metadata`` between steps, so any
process can serve the next one."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date


@dataclass
class FormMeta:
    """The modal's memory (private_metadata): what it is for and which lines it shows."""

    mode: str  # new, edit, resubmit
    opportunity_id: str
    draft_id: int | None = None
    lines: list[tuple[str, str | None]] = field(default_factory=list)  # (key, Xero item code)
    next_key: int = 1
    channel: str | None = None  # where the person started (for a message afterwards)
    due: date | None = None  # the due date as Paidup set it from the contact's terms; None: the person chose
    due_version: int = 0  # which due date block the view shows (ids.due_block)

    def dump(self) -> str:
        return json.dumps({"m": self.mode, "o": self.opportunity_id, "d": self.draft_id,
                           "l": [[k, i] for k, i in self.lines], "n": self.next_key, "c": self.channel,
                           "u": self.due.isoformat() if self.due else None, "v": self.due_version},
                          separators=(",", ":"))

    @classmethod
    def load(cls, raw: str | None) -> FormMeta | None:
        try:
            data = json.loads(raw or "")
            return cls(str(data["m"]), str(data["o"]), int(data["d"]) if data.get("d") is not None else None,
                       [(str(k), str(i) if i else None) for k, i in data.get("l") or []], int(data.get("n") or 1),
                       data.get("c"), date.fromisoformat(data["u"]) if data.get("u") else None,
                       int(data.get("v") or 0))
        except (ValueError, KeyError, TypeError):
            return None

    def add_line(self) -> str:
        key = f"l{self.next_key}"
        self.next_key += 1
        self.lines.append((key, None))
        return key
