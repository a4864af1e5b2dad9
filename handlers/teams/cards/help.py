"""The help card: what to ask, with examples (in a 1:1 chat, or with an @mention in a channel)."""

from __future__ import annotations

from microsoft_teams.cards import AdaptiveCard, Fact, FactSet, TextBlock

from handlers.teams.cards.common import CardReply, card_content

EXAMPLES = (
    ("acme", "has Acme paid? amount due and overdue, open invoices, last payment"),
    ("INV-0042", "one invoice by its number"),
    ("status <account>", "the same, spelled out"),
    ("overdue mine", "overdue invoices of your accounts (“overdue all” for everyone's)"),
    ("invoice [opportunity]", "invoice a closed-won deal"),
    ("report [me|team|all] [period]", "won, invoiced, collected, aging and DSO, with charts (period: this month, "
                                      "last month, quarter or 2026-10)"),
    ("health", "sync freshness, failures, unlinked records"),
)
ASK_EXAMPLES = ("has Acme paid?", "did Globex pay INV-0042?", "what does Initech owe?", "overdue for me")


def help_reply(app_name: str, notice: str | None = None) -> CardReply:
    body = []
    if notice:
        body.append(TextBlock(text=notice, wrap=True, weight="Bolder"))
    asks = ", ".join(f"“{ask}”" for ask in ASK_EXAMPLES)
    body += [
        TextBlock(text=f"What {app_name} answers", size="Large", weight="Bolder", wrap=True),
        FactSet(facts=[Fact(title=example, value=meaning) for example, meaning in EXAMPLES]),
        TextBlock(text=f"Ask in plain words in a chat with me, or @mention {app_name} in a channel: {asks}",
                  wrap=True, is_subtle=True),
    ]
    text = f"{app_name} help: try “acme”, “overdue mine” or “help”."
    return CardReply((notice + " " if notice else "") + text, card_content(AdaptiveCard(body=body,
                                                                                            fallback_text=text)))
