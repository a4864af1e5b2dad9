"""The Slack side of the invoicing ports: the approval card in ``slack.finance_channel`` (posted with
chat.postMessage, kept as channel + ts, updated with chat.update), DMs to the rep, and the members of
approver user groups (usergroups.users.list)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection

from slack_sdk import WebClient

from bot.services.invoicing import DraftSummary, MessageRef
from handlers.slack.invoicing.cards import approval_card, card_text, requester_message

log = logging.getLogger(__name__)


class SlackInvoiceNotifier:
    def __init__(self, client: Callable[[], WebClient], finance_channel: str | None) -> None:
        self._client = client
        self.finance_channel = finance_channel

    def request_approval(self, draft: DraftSummary) -> MessageRef | None:
        if not self.finance_channel:
            log.warning("invoicing.no_finance_channel", extra={"draft": draft.id})
            return None
        response = self._client().chat_postMessage(channel=self.finance_channel, text=card_text(draft),
                                                   blocks=approval_card(draft), unfurl_links=False)
        return MessageRef(str(response["channel"]), str(response["ts"]))

    def refresh_approval(self, ref: MessageRef, draft: DraftSummary) -> None:
        self._client().chat_update(channel=ref.channel, ts=ref.ts, text=card_text(draft), blocks=approval_card(draft))

    def tell_requester(self, draft: DraftSummary, event: str) -> None:
        text, blocks = requester_message(draft, event)
        client = self._client()
        channel = client.conversations_open(users=draft.requested_by)["channel"]["id"]
        client.chat_postMessage(channel=channel, text=text, blocks=blocks, unfurl_links=False)


class SlackUsergroups:
    """``approvals.approver_groups`` members, from Slack (the service caches them)."""

    def __init__(self, client: Callable[[], WebClient]) -> None:
        self._client = client

    def group_members(self, group_id: str) -> Collection[str]:
        response = self._client().usergroups_users_list(usergroup=group_id)
        return [str(u) for u in response.get("users") or []]
