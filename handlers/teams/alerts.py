"""``AlertDelivery`` for Teams: each alert as one Adaptive Card, posted proactively through the Bot
Connector to a conversation from app.yml (``teams.alerts_conversation``, ``teams.ops_conversation``)
or to a person's 1:1 chat with the bot (opened with ``POST /v3/conversations``), and updated in
place with a PUT. Failures raise to the alert service, which keeps the alert for the next run.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.services.alerts.port import (
    Alert,
    AllClear,
    FailedRecordAlert,
    MessageRef,
    OverdueDigest,
    PaymentNotice,
    Recipient,
    SourceOutage,
)
from handlers.teams.cards.alerts import all_clear_card, digest_card, failure_card, outage_card, payment_card
from handlers.teams.cards.common import CardReply
from handlers.teams.proactive import Posted, ProactiveSender


def render(alert: Alert, name_of: Callable[[str], str] | None = None) -> CardReply:
    if isinstance(alert, OverdueDigest):
        return digest_card(alert)
    if isinstance(alert, AllClear):
        return all_clear_card(alert)
    if isinstance(alert, PaymentNotice):
        return payment_card(alert)
    if isinstance(alert, FailedRecordAlert):
        return failure_card(alert, name_of=name_of)
    if isinstance(alert, SourceOutage):
        return outage_card(alert)
    raise TypeError(f"no Teams rendering for {type(alert).__name__}")


class TeamsAlertDelivery:
    platform = "teams"  # people are keyed by their Entra object id (see handlers.teams.turn.Turn.user_key)

    def __init__(self, sender: ProactiveSender, name_of: Callable[[str], str] | None = None) -> None:
        self.sender = sender
        self.name_of = name_of  # a Teams user id → the name people know (who ignored a failure)

    def deliver(self, to: Recipient, alert: Alert) -> MessageRef:
        card = render(alert, self.name_of)
        posted = self.sender.to_conversation(to.id, card) if to.kind == "channel" else self.sender.to_person(to.id,
                                                                                                           card)
        return MessageRef(posted.conversation, posted.activity_id)

    def update(self, ref: MessageRef, alert: Alert) -> None:
        self.sender.update(Posted(ref.channel, ref.id), render(alert, self.name_of))

    def person_for_email(self, email: str) -> str | None:
        """None: the Bot Connector can't look people up by email (that needs Microsoft Graph). Owners
        who have talked to the bot are known to the people service by their Teams email already."""
        return None
