"""The App Home view."""

from __future__ import annotations

from typing import Any

from handlers.slack.blocks.help import help_blocks


def home_view(command: str) -> dict[str, Any]:
    return {"type": "home", "callback_id": "paidup_home", "blocks": help_blocks(command)}
