"""Invoicing in Slack (issue 7): the modal that turns a closed-won opportunity into a Xero draft, and
the approval card in the finance channel. ``register`` adds the listeners; the "Create invoice"
button and message shortcut modules (``actions/create_invoice``, ``shortcuts/create_invoice``)
delegate here."""

from __future__ import annotations

import re

from slack_bolt import App

from handlers.slack.invoicing import approval_listeners, form_listeners, ids, listeners
from handlers.slack.services import SlackServices

RECALCULATE = {"block_id": re.compile(r"^line_"), "action_id": re.compile(
    "^(" + "|".join(ids.RECALCULATE_FIELDS) + ")$")}


def register(app: App, services: SlackServices) -> None:
    """Call before the general `/paidup` command listener: it takes `/paidup invoice …` first."""
    app.command(services.command, matchers=[listeners.is_invoice_command])(listeners.invoice_command(services))
    app.options(ids.OPPORTUNITY_ACTION)(listeners.opportunity_options(services))
    app.view(ids.PICK_VIEW)(listeners.picked(services))
    app.view(ids.FORM_VIEW)(form_listeners.submitted(services))
    app.view(ids.REJECT_VIEW)(approval_listeners.reject_reason(services))
    app.action(RECALCULATE)(form_listeners.recalculate(services))
    # the contact and the invoice date: the due date follows them until the person changes it
    app.action({"block_id": ids.CONTACT_BLOCK, "action_id": ids.CONTACT_ACTION})(form_listeners.recalculate(services))
    app.action({"block_id": ids.DATE_BLOCK, "action_id": ids.DATE_ACTION})(form_listeners.recalculate(services))
    app.action(ids.ADD_LINE_ACTION)(form_listeners.add_line(services))
    app.action(re.compile(f"^{ids.REMOVE_LINE_ACTION}_"))(form_listeners.remove_line(services))
    app.action(ids.APPROVE_ACTION)(approval_listeners.approve(services))
    app.action(ids.EDIT_ACTION)(approval_listeners.edit(services))
    app.action(ids.REJECT_ACTION)(approval_listeners.reject(services))
    app.action(ids.RESUBMIT_ACTION)(approval_listeners.resubmit(services))
