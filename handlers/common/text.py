"""Words every answer uses in both chats, before any markup: amounts per currency, how fresh the
figures are, the sources' names, and cutting a text to a limit."""

from __future__ import annotations

from datetime import datetime

from bot.domain.money import Money

HEADER_MAX = 150  # a title's characters (Slack's header block limit; Teams' titles are cut the same)
SOURCE_NAMES = {"xero": "Xero", "salesforce": "Salesforce"}


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def money_list(amounts: list[Money]) -> str:
    """"$6,350.00 USD + £4,800.00 GBP": every amount with its currency, never added across currencies."""
    return " + ".join(f"{m.formatted()} {m.currency}" for m in amounts) if amounts else "nothing"


def minutes_ago(as_of: datetime | None, now: datetime) -> str:
    if as_of is None:
        return "never synced"
    minutes = max(int((now - as_of).total_seconds() // 60), 0)
    if minutes < 1:
        return "as of just now"
    if minutes < 120:
        return f"as of {minutes} min ago"
    return f"as of {minutes // 60} h ago"
