"""What the invoicing service needs from a chat platform, as small protocols free of chat concepts.

A Slack adapter implements them with chat.postMessage / chat.update / DMs and usergroups.users.list;
a Teams adapter with its own calls. A message the adapter may change later comes back as an opaque
``MessageRef`` that the service stores with the draft. Words the service returns may name a person
as ``<@user id>``; each adapter renders that token its own way (a Slack mention, a Teams name).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from bot.services.invoicing.model import DraftSummary, MessageRef


class InvoiceNotifier(Protocol):
    def request_approval(self, draft: DraftSummary) -> MessageRef | None:
        """Post the approval card (Approve / Edit / Reject) where finance sees it; None: nowhere to post."""
        ...

    def refresh_approval(self, ref: MessageRef, draft: DraftSummary) -> None:
        """Show the draft's new state on the card already posted (approved by whom and when, edited...)."""
        ...

    def tell_requester(self, draft: DraftSummary, event: str) -> None:
        """Tell the person who asked for the invoice: ``submitted``, ``approved``, ``rejected`` (with the
        reason and a way to fix and resubmit) or ``edited``."""
        ...


class ApproverCheck(Protocol):
    """Who may approve: ``Approvers`` (app.yml approvers and approver groups) or an adapter's own rule."""

    def is_approver(self, user_id: str) -> bool: ...


class ApproverDirectory(Protocol):
    def group_members(self, group_id: str) -> Collection[str]:
        """The user ids in a chat user group (raises on failure; the caller caches and degrades)."""
        ...


class NoNotifier:
    """For a bot with no chat attached (the CLI, some tests): nothing is posted."""

    def request_approval(self, draft: DraftSummary) -> MessageRef | None:
        return None

    def refresh_approval(self, ref: MessageRef, draft: DraftSummary) -> None:
        return None

    def tell_requester(self, draft: DraftSummary, event: str) -> None:
        return None


class NoGroups:
    def group_members(self, group_id: str) -> Collection[str]:
        return ()
