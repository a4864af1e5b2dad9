"""The help answer: what to type, with examples; shared by /paidup, DMs and mentions."""

from __future__ import annotations

from typing import Any

from handlers.slack.blocks.status import mrkdwn_escape

EXAMPLES = (
    ("{command} acme", "has Acme paid? amount due and overdue, open invoices, last payment"),
    ("{command} INV-0042", "one invoice by its number"),
    ("{command} status <account>", "the same, spelled out"),
    ("{command} overdue mine", "overdue invoices of your accounts (`all` for everyone's)"),
    ("{command} invoice [opportunity]", "invoice a closed-won deal"),
    ("{command} health", "sync freshness, failures, unlinked records"),
    ("{command} report [me|team|all] [this month|last month|quarter|YYYY-MM]",
     "closed-won vs invoiced vs collected, aging, DSO, with charts (team and all: approvers and managers)"),
)
ASK_EXAMPLES = ("has Acme paid?", "did Globex pay INV-0042?", "what does Initech owe?", "overdue for me")


def help_text(command: str) -> str:
    return f"Paidup help: try `{command} acme`, `{command} overdue mine` or `{command} help`."


def help_blocks(command: str, notice: str | None = None) -> list[dict[str, Any]]:
    """The help card; ``notice`` (plain words, e.g. "this answer is not available yet") goes on top."""
    lines = "\n".join(f"`{mrkdwn_escape(example.format(command=command))}`  {mrkdwn_escape(meaning)}"
                      for example, meaning in EXAMPLES)
    asks = ", ".join(f"“{ask}”" for ask in ASK_EXAMPLES)
    blocks: list[dict[str, Any]] = []
    if notice:
        blocks.append({"type": "section", "block_id": "notice", "text": {"type": "mrkdwn", "text": notice}})
    blocks += [
        {"type": "header", "block_id": "help_title", "text": {"type": "plain_text", "text": "What Paidup answers"}},
        {"type": "section", "block_id": "help_commands", "text": {"type": "mrkdwn", "text": lines}},
        {"type": "context", "block_id": "help_ask", "elements": [
            {"type": "mrkdwn", "text": f"In a DM or an @mention, ask in plain words: {asks}"}]},
    ]
    return blocks


def not_available_text(answer: str) -> str:
    return f"The *{answer}* answer is not available yet in this version of Paidup."
