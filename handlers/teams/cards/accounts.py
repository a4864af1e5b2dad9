"""When a name is not one clear account: pick-one buttons (``Action.Execute`` with an
``Action.Submit`` fallback), or a not-found answer with the closest names."""

from __future__ import annotations

from typing import Any

from microsoft_teams.cards import AdaptiveCard, ExecuteAction, TextBlock

from bot.services.resolution import Resolution
from handlers.common.text import cut
from handlers.teams.cards.common import CardReply, card_content, plain, submit_fallback

PICK_VERB = "pick_account"
QUERY_SHOWN_MAX = 80
BUTTON_TITLE_MAX = 60


def choice_reply(resolution: Resolution) -> CardReply:
    query = cut(resolution.query, QUERY_SHOWN_MAX)
    text = f"Several accounts match “{plain(query)}”. Which one do you mean?"
    body = [TextBlock(text=text, wrap=True)]
    if resolution.more:
        body.append(TextBlock(text=f"{resolution.more} more match: type more of the name to narrow it down.",
                              wrap=True, is_subtle=True))
    actions = []
    for ref in resolution.candidates[:5]:
        title = cut(ref.name or ref.key, BUTTON_TITLE_MAX)
        data = {"account": ref.key}
        actions.append(ExecuteAction(title=title, verb=PICK_VERB, data=data,
                                     fallback=submit_fallback(title, PICK_VERB, data)))
    card = AdaptiveCard(body=body, actions=actions, fallback_text=text)
    return CardReply(f"Several accounts match “{query}”: which one do you mean?", card_content(card))


def not_found_reply(resolution: Resolution, app_name: str) -> CardReply:
    query = cut(resolution.query, QUERY_SHOWN_MAX)
    text = f"I couldn't find an account, Xero contact or invoice number matching “{plain(query) or 'that'}”."
    body: list[Any] = [TextBlock(text=text, wrap=True)]
    if resolution.closest:
        names = ", ".join(f"**{plain(name)}**" for name in resolution.closest)
        body.append(TextBlock(text=f"Closest names: {names}.", wrap=True))
    body.append(TextBlock(text=f"Try part of the name (“@{app_name} acme”) or an invoice number (“INV-0042”). "
                          "A customer created in the last few minutes appears after the next sync.",
                          wrap=True, is_subtle=True, size="Small"))
    return CardReply(f"I couldn't find an account or invoice matching “{query}”.",
                     card_content(AdaptiveCard(body=body, fallback_text=text)))
