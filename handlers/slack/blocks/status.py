"""The status card: "has Acme paid?" for one account, from a ``StatusAnswer``.

Pure: typed data in, Block Kit out; ``now`` is passed for "as of N min ago". The card stays well
inside Slack's limits (FACTS §6): a fixed number of blocks whatever the account's size (the open
invoices are one section, capped, with "and N more"), every text cut to its limit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.aging import days_overdue_words
from bot.services.account_ledger import InvoiceSummary, PaymentSummary
from bot.services.status import StatusAnswer
from handlers.common.status_text import INVOICE_LINES_MAX, remind_value
from handlers.common.text import HEADER_MAX, cut, minutes_ago, money_list

SHARE_ACTION = "share_status"
CREATE_INVOICE_ACTION = "create_invoice"
REMIND_ACTION = "remind_when_paid"
SECTION_MAX = 3000
BUTTON_TEXT_MAX = 75


def mrkdwn_escape(text: str) -> str:
    """Text from the mirror shown as-is in mrkdwn (no accidental links, mentions or formatting)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def freshness_line(answer: StatusAnswer, now: datetime) -> str:
    ago = minutes_ago(answer.as_of, now)
    if answer.stale:
        return f":warning: Xero could not be reached just now, so these figures may be out of date ({ago})."
    return f"From Xero, {ago}" + (" (refreshed live)" if answer.refreshed_live else "") + "."


def invoice_link(invoice: InvoiceSummary) -> str:
    number = mrkdwn_escape(invoice.number or "(no number)")
    return f"<{invoice.xero_url}|{number}>" if invoice.xero_url else number


def invoice_line(invoice: InvoiceSummary) -> str:
    due = invoice.due_date.isoformat() if invoice.due_date else "no due date"
    late = f", *{days_overdue_words(invoice.days_overdue)}*" if invoice.days_overdue else ""
    return f"• {invoice_link(invoice)}: {invoice.amount_due.formatted()} {invoice.currency} due {due}{late}"


def invoices_text(answer: StatusAnswer) -> str:
    lines = [invoice_line(i) for i in answer.open_invoices[:INVOICE_LINES_MAX]]
    more = answer.more_open_invoices + max(len(answer.open_invoices) - INVOICE_LINES_MAX, 0)
    if more:
        lines.append(f"…and {more} more open invoice{'s' if more != 1 else ''} (see Xero)")
    return cut("*Open invoices*\n" + "\n".join(lines), SECTION_MAX) if lines else "*Open invoices*\nNone."


def asked_invoice_text(invoice: InvoiceSummary) -> str:
    if invoice.status == "PAID":
        paid_on = f" on {invoice.fully_paid_on.isoformat()}" if invoice.fully_paid_on else ""
        line = f"{invoice_link(invoice)}: *paid in full*{paid_on} ({invoice.total.formatted()} {invoice.currency})"
    else:
        line = invoice_line(invoice).removeprefix("• ")
        if invoice.status != "AUTHORISED":
            line += f" (status {invoice.status.lower()})"
    return cut(f"*Invoice you asked about*\n{line}", SECTION_MAX)


def payment_text(payment: PaymentSummary | None) -> str:
    if payment is None:
        return "*Last payment*\nNone recorded"
    on = payment.date.isoformat() if payment.date else "an unknown date"
    against = f" for {mrkdwn_escape(payment.invoice_number)}" if payment.invoice_number else ""
    return f"*Last payment*\n{payment.amount.formatted()} {payment.amount.currency} on {on}{against}"


def summary_fields(answer: StatusAnswer) -> list[dict[str, Any]]:
    credit = f"{money_list(answer.credit)} unallocated" if answer.credit else "None open"
    texts = [f"*Amount due*\n{money_list(answer.due)}", f"*Overdue*\n{money_list(answer.overdue)}",
             payment_text(answer.last_payment), f"*Credit notes*\n{credit}"]
    if answer.owner_name:
        texts.append(f"*Owner*\n{mrkdwn_escape(answer.owner_name)}")
    return [{"type": "mrkdwn", "text": cut(t, 2000)} for t in texts]


def links_text(answer: StatusAnswer, salesforce_url: str | None) -> str | None:
    if answer.salesforce_path and salesforce_url:
        return f"<{salesforce_url.rstrip('/')}{answer.salesforce_path}|Open the account in Salesforce>"
    if answer.sf_account_id:
        return f"Salesforce account {mrkdwn_escape(answer.sf_account_id)}"
    return "No Salesforce account is linked to this Xero contact."


def share_value(answer: StatusAnswer) -> str:
    """What "Share in channel" needs to post the card again: the account key and the asked invoice."""
    invoice = answer.asked_invoice.invoice_id if answer.asked_invoice else ""
    return f"{answer.account.key}|{invoice}" if invoice else answer.account.key


def action_buttons(answer: StatusAnswer) -> list[dict[str, Any]]:
    buttons: list[dict[str, Any]] = []
    for deal in answer.uninvoiced_deals[:3]:
        label = cut(f"Create invoice: {deal.name}", BUTTON_TEXT_MAX)
        action_id = CREATE_INVOICE_ACTION if not buttons else f"{CREATE_INVOICE_ACTION}_{len(buttons)}"
        buttons.append({"type": "button", "action_id": action_id,
                        "text": {"type": "plain_text", "text": label}, "value": deal.opportunity_id})
    watched = remind_value(answer)
    if watched:
        buttons.append({"type": "button", "action_id": REMIND_ACTION, "value": watched,
                        "text": {"type": "plain_text", "text": "Remind me when paid"}})
    buttons.append({"type": "button", "action_id": SHARE_ACTION, "value": share_value(answer),
                    "text": {"type": "plain_text", "text": "Share in channel"}})
    return buttons


def status_text(answer: StatusAnswer) -> str:
    """The notification text (and screen readers): the headline figures."""
    return f"{answer.display_name}: due {money_list(answer.due)}; overdue {money_list(answer.overdue)}"


def status_blocks(answer: StatusAnswer, now: datetime, *, salesforce_url: str | None = None,
                  shared_by: str | None = None) -> list[dict[str, Any]]:
    """The card; ``shared_by`` (a Slack user id) marks the copy posted for the channel (no buttons)."""
    title = cut(answer.display_name or "Unnamed account", HEADER_MAX)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "block_id": "status_title", "text": {"type": "plain_text", "text": title}}]
    if answer.asked_invoice is not None:
        blocks.append(_section("status_asked", asked_invoice_text(answer.asked_invoice)))
    blocks.append({"type": "section", "block_id": "status_summary", "fields": summary_fields(answer)})
    blocks.append(_section("status_invoices", invoices_text(answer)))
    links = links_text(answer, salesforce_url)
    context = [freshness_line(answer, now)] + ([links] if links else [])
    if shared_by:
        context.append(f"Shared by <@{shared_by}>")
    blocks.append({"type": "context", "block_id": "status_context",
                   "elements": [{"type": "mrkdwn", "text": cut(t, SECTION_MAX)} for t in context]})
    if shared_by is None:
        blocks.append({"type": "actions", "block_id": "status_actions", "elements": action_buttons(answer)})
    return blocks


def _section(block_id: str, text: str) -> dict[str, Any]:
    return {"type": "section", "block_id": block_id, "text": {"type": "mrkdwn", "text": cut(text, SECTION_MAX)}}
