"""The approval card's listeners (Approve / Edit / Reject), the reject-reason modal and the rep's
"Fix and resubmit" button. The service updates the card and tells the rep; a refusal (not an
approver, four eyes, already decided, changed in Xero) is told to the person who clicked only."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.slack.invoicing import ids
from handlers.slack.invoicing.listeners import channel_of, invoicing, meta_for, open_modal, user_of
from handlers.slack.invoicing.modal import form_view, message_view, reject_view
from handlers.slack.services import SlackServices

# --- the approval card ---------------------------------------------------------------------


def _draft_id(action: dict[str, Any]) -> int | None:
    value = str(action.get("value") or "")
    return int(value) if value.isdigit() else None


def _tell_clicker(respond: Respond, client: WebClient, body: dict[str, Any], text: str) -> None:
    """An ephemeral note to the person who clicked (the card stays as it is)."""
    try:
        respond(text=text, response_type="ephemeral", replace_original=False)
    except (SlackApiError, ValueError, OSError):
        channel = channel_of(body)
        if channel:
            client.chat_postEphemeral(channel=channel, user=user_of(body), text=text)


def approve(services: SlackServices) -> Callable[..., None]:
    def on_approve(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond,
                   client: WebClient) -> None:
        ack()
        service, draft_id = invoicing(services), _draft_id(action)
        if service is None or draft_id is None:
            return
        outcome = service.approve(draft_id, user_of(body))
        if not outcome.ok:
            _tell_clicker(respond, client, body, outcome.message)
        elif outcome.warnings:
            _tell_clicker(respond, client, body, " ".join(outcome.warnings))

    return on_approve


def edit(services: SlackServices) -> Callable[..., None]:
    def on_edit(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        service, draft_id = invoicing(services), _draft_id(action)
        if service is None or draft_id is None:
            return
        outcome = service.form_for_draft(draft_id, user_of(body))
        if outcome.form is None:
            _tell_clicker(respond, client, body, outcome.message or "That draft can't be edited.")
            return
        open_modal(client, str(body["trigger_id"]),
                   form_view(outcome.form, meta_for(outcome.form, "edit", draft_id, channel_of(body))))

    return on_edit


def reject(services: SlackServices) -> Callable[..., None]:
    def on_reject(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond,
                  client: WebClient) -> None:
        ack()
        service, draft_id = invoicing(services), _draft_id(action)
        draft = service.draft(draft_id) if service is not None and draft_id is not None else None
        if service is None or draft is None:
            return
        if not service.is_approver(user_of(body)):
            _tell_clicker(respond, client, body, "Only finance approvers can reject invoice drafts.")
            return
        message = body.get("message") or {}
        open_modal(client, str(body["trigger_id"]), reject_view(draft, channel_of(body), message.get("ts")))

    return on_reject


def reject_reason(services: SlackServices) -> Callable[..., None]:
    def on_reason(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        service = invoicing(services)
        meta = json.loads(view.get("private_metadata") or "{}") or {}
        values = (view.get("state") or {}).get("values") or {}
        reason = str(((values.get(ids.REASON_BLOCK) or {}).get(ids.REASON_ACTION) or {}).get("value") or "").strip()
        if not reason:
            ack(response_action="errors", errors={ids.REASON_BLOCK: "Say why, so the rep can fix it."})
            return
        ack()  # the modal closes; deleting the Xero draft may take Xero longer than Slack's 3 s
        if service is None or not str(meta.get("d", "")).isdigit():
            return
        outcome = service.reject(int(meta["d"]), user_of(body), reason)
        if not outcome.ok:  # told privately where the card is (the card itself shows the draft's state)
            channel = meta.get("c") or user_of(body)
            client.chat_postEphemeral(channel=str(channel), user=user_of(body), text=outcome.message)

    return on_reason


def resubmit(services: SlackServices) -> Callable[..., None]:
    def on_resubmit(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        service, draft_id = invoicing(services), _draft_id(action)
        if service is None or draft_id is None:
            return
        outcome = service.form_for_draft(draft_id, user_of(body), resubmit=True)
        if outcome.form is None:
            open_modal(client, str(body["trigger_id"]), message_view("Fix and resubmit", outcome.message or ""))
            return
        open_modal(client, str(body["trigger_id"]),
                   form_view(outcome.form, meta_for(outcome.form, "resubmit", draft_id, channel_of(body))))

    return on_resubmit
