"""When a name is not one clear account: a short list of buttons to pick from, or a not-found
answer with the closest names. Pure builders from a ``Resolution``."""

from __future__ import annotations

from typing import Any

from bot.services.resolution import Resolution
from handlers.common.text import cut
from handlers.slack.blocks.status import BUTTON_TEXT_MAX, mrkdwn_escape

PICK_ACTION = "pick_account"
QUERY_SHOWN_MAX = 80


def shown_query(resolution: Resolution) -> str:
    return mrkdwn_escape(cut(resolution.query, QUERY_SHOWN_MAX)) or "that"


def choice_text(resolution: Resolution) -> str:
    return f"Several accounts match “{cut(resolution.query, QUERY_SHOWN_MAX)}”: which one do you mean?"


def choice_blocks(resolution: Resolution) -> list[dict[str, Any]]:
    """One button per candidate (action ``pick_account_<n>``, value: the account key the resolver
    understands); Slack needs action ids unique within a message."""
    buttons = [{"type": "button", "action_id": PICK_ACTION if n == 0 else f"{PICK_ACTION}_{n}",
                "text": {"type": "plain_text", "text": cut(ref.name or ref.key, BUTTON_TEXT_MAX)}, "value": ref.key}
               for n, ref in enumerate(resolution.candidates[:5])]
    text = f"Several accounts match *{shown_query(resolution)}*. Which one do you mean?"
    if resolution.more:
        text += f" ({resolution.more} more match: type more of the name to narrow it down.)"
    return [{"type": "section", "block_id": "pick_prompt", "text": {"type": "mrkdwn", "text": text}},
            {"type": "actions", "block_id": "pick_buttons", "elements": buttons}]


def not_found_text(resolution: Resolution) -> str:
    return f"I couldn't find an account or invoice matching “{cut(resolution.query, QUERY_SHOWN_MAX)}”."


def not_found_blocks(resolution: Resolution, command: str = "/paidup") -> list[dict[str, Any]]:
    text = f"I couldn't find an account, Xero contact or invoice number matching *{shown_query(resolution)}*."
    if resolution.closest:
        names = ", ".join(f"*{mrkdwn_escape(name)}*" for name in resolution.closest)
        text += f"\nClosest names: {names}."
    hint = (f"Try part of the name (`{command} acme`) or an invoice number (`{command} INV-0042`). "
            "A customer created in the last few minutes appears after the next sync.")
    return [{"type": "section", "block_id": "not_found", "text": {"type": "mrkdwn", "text": cut(text, 3000)}},
            {"type": "context", "block_id": "not_found_hint", "elements": [{"type": "mrkdwn", "text": hint}]}]
