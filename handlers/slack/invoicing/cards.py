"""The approval card in the finance channel and the messages to the rep, pure Block Kit from a
``DraftSummary``. The card is posted once and updated in place (chat.update) as the draft moves."""

from __future__ import annotations

from typing import Any

from bot.domain.money import format_money
from bot.services.invoicing import DraftSummary
from bot.services.invoicing import states as st
from handlers.common.text import cut
from handlers.slack.blocks.status import mrkdwn_escape
from handlers.slack.invoicing import ids
from handlers.slack.invoicing.modal import decimal_text, draft_link, plain

LINES_SHOWN = 10
XERO_STATUS = {st.APPROVED: "AUTHORISED", st.REJECTED: "DELETED", st.FAILED: "not a draft any more",
               st.SUBMITTING: "being created"}
AMOUNT_TYPES = {"Exclusive": "tax exclusive", "Inclusive": "tax inclusive", "NoTax": "no tax"}


def money(draft: DraftSummary, amount: Any) -> str:
    return f"{format_money(amount, draft.currency)} {draft.currency}"


def line_text(draft: DraftSummary, n: int) -> str:
    line = draft.lines[n]
    discount = f" less {decimal_text(line.discount_rate)}%" if line.discount_rate else ""
    amount = format_money(line.line_amount, draft.currency)
    return (f"• {decimal_text(line.quantity)} × {mrkdwn_escape(cut(line.description, 120))} @ "
            f"{format_money(line.unit_amount, draft.currency)}{discount} = *{amount}*"
            f"  `{line.account_code}` `{line.tax_type}`")


def lines_text(draft: DraftSummary) -> str:
    shown = [line_text(draft, n) for n in range(min(len(draft.lines), LINES_SHOWN))]
    if len(draft.lines) > LINES_SHOWN:
        shown.append(f"…and {len(draft.lines) - LINES_SHOWN} more lines (see Xero)")
    totals = (f"Subtotal {money(draft, draft.sub_total.amount)} · Tax {money(draft, draft.total_tax.amount)} · "
              f"*Total {money(draft, draft.total.amount)}* ({AMOUNT_TYPES.get(draft.line_amount_types, '')})")
    return cut("\n".join([*shown, totals]), 3000)


def status_line(draft: DraftSummary) -> str:
    when = draft.decided_at.strftime("%Y-%m-%d %H:%M UTC") if draft.decided_at else ""
    if draft.status == st.APPROVED:
        return f":white_check_mark: Approved by <@{draft.decided_by}> on {when}: AUTHORISED in Xero."
    if draft.status == st.REJECTED:
        reason = mrkdwn_escape(cut(draft.reject_reason or "", 500))
        return f":x: Rejected by <@{draft.decided_by}> on {when}: {reason}. The Xero draft is deleted."
    if draft.status == st.FAILED:
        return f":warning: {mrkdwn_escape(draft.last_error or 'No longer a draft in Xero.')}"
    if draft.status in st.TRANSITIONAL:
        who = f" by <@{draft.decided_by}>" if draft.decided_by else ""
        return f":hourglass_flowing_sand: {st.WORDS[draft.status].capitalize()}{who}…"
    return ":inbox_tray: Waiting for approval."


def card_text(draft: DraftSummary) -> str:
    return (f"Invoice draft {draft.xero_invoice_number or draft.id} for {draft.contact_name or 'a customer'}: "
            f"{money(draft, draft.total.amount)} ({st.WORDS.get(draft.status, draft.status)})")


def approval_card(draft: DraftSummary) -> list[dict[str, Any]]:
    header = {st.APPROVED: "Invoice approved", st.REJECTED: "Invoice draft rejected"}.get(
        draft.status, "Invoice draft for approval")
    fields = [
        f"*Customer*\n{mrkdwn_escape(cut(draft.contact_name or '—', 200))}",
        f"*Total*\n{money(draft, draft.total.amount)}",
        f"*Opportunity*\n{mrkdwn_escape(cut(draft.opportunity_name or '—', 200))}",
        f"*Requested by*\n<@{draft.requested_by}>",
        f"*Xero*\n{draft_link(draft)} ({XERO_STATUS.get(draft.status, 'DRAFT')})",
        f"*Dates*\n{draft.invoice_date.isoformat()}, due {draft.due_date.isoformat()}",
    ]
    if draft.reference:
        fields.append(f"*Reference*\n{mrkdwn_escape(cut(draft.reference, 200))}")
    blocks: list[dict[str, Any]] = [
        {"type": "header", "block_id": "invoice_card_header", "text": plain(header, 150)},
        {"type": "section", "block_id": "invoice_card_fields",
         "fields": [{"type": "mrkdwn", "text": cut(f, 2000)} for f in fields]},
        {"type": "section", "block_id": "invoice_card_lines", "text": {"type": "mrkdwn", "text": lines_text(draft)}},
    ]
    notes = [status_line(draft)]
    if draft.last_error and draft.status not in (st.FAILED,):
        notes.append(f":warning: {mrkdwn_escape(cut(draft.last_error, 1500))}")
    blocks.append({"type": "context", "block_id": "invoice_card_status",
                   "elements": [{"type": "mrkdwn", "text": cut(n, 2000)} for n in notes]})
    if draft.status == st.AWAITING_APPROVAL:
        value = str(draft.id)
        blocks.append({"type": "actions", "block_id": ids.APPROVAL_BLOCK, "elements": [
            {"type": "button", "action_id": ids.APPROVE_ACTION, "text": plain("Approve"), "style": "primary",
             "value": value,
             "confirm": {"title": plain("Approve this invoice?", 100),
                         "text": {"type": "mrkdwn", "text": cut(f"{money(draft, draft.total.amount)} to "
                                                                f"{mrkdwn_escape(draft.contact_name or '')}: it "
                                                                "becomes AUTHORISED in Xero.", 300)},
                         "confirm": plain("Approve", 30), "deny": plain("Not yet", 30)}},
            {"type": "button", "action_id": ids.EDIT_ACTION, "text": plain("Edit"), "value": value},
            {"type": "button", "action_id": ids.REJECT_ACTION, "text": plain("Reject"), "style": "danger",
             "value": value},
        ]})
    return blocks


def requester_message(draft: DraftSummary, event: str) -> tuple[str, list[dict[str, Any]]]:
    """(text, blocks) of the DM that tells the rep what happened to their draft."""
    what = f"{draft_link(draft)} for {mrkdwn_escape(draft.contact_name or 'the customer')} " \
           f"({money(draft, draft.total.amount)})"
    opportunity = f" — {mrkdwn_escape(draft.opportunity_name)}" if draft.opportunity_name else ""
    blocks: list[dict[str, Any]] = []
    if event == "approved":
        text = (f":white_check_mark: Your invoice {what}{opportunity} was approved by <@{draft.decided_by}> and is "
                "AUTHORISED in Xero. The opportunity in Salesforce has the invoice number.")
    elif event == "rejected":
        text = (f":x: Your invoice draft {what}{opportunity} was rejected by <@{draft.decided_by}>: "
                f"“{mrkdwn_escape(cut(draft.reject_reason or '', 1500))}”. The Xero draft is deleted.")
    else:  # edited
        text = (f":pencil2: Finance edited your invoice draft {what}{opportunity}; it is still waiting for "
                "approval.")
    blocks.append({"type": "section", "block_id": "invoice_dm", "text": {"type": "mrkdwn", "text": cut(text, 3000)}})
    if event == "rejected":
        blocks.append({"type": "actions", "block_id": "invoice_dm_actions", "elements": [
            {"type": "button", "action_id": ids.RESUBMIT_ACTION, "text": plain("Fix and resubmit"),
             "style": "primary", "value": str(draft.id)}]})
    plain_text = text.replace("*", "")
    return plain_text, blocks
