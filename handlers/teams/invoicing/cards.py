"""The approval card, the rep's messages and the deal picker, from the invoicing service's plain data.
Pure: a ``DraftSummary`` (and who is who, by name) in, a ``CardReply`` out."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from microsoft_teams.cards import (
    AdaptiveCard,
    ExecuteAction,
    Fact,
    FactSet,
    ShowCardAction,
    SubmitAction,
    TextBlock,
    TextInput,
)

from bot.domain.money import format_money
from bot.services.invoicing import DraftSummary, Picker
from bot.services.invoicing import states as st
from handlers.common.text import cut
from handlers.teams.cards.common import CardReply, card_content, plain

NameOf = Callable[[str], str]  # a chat user id → a name people know
APPROVE_VERB, REJECT_VERB = "approve_draft", "reject_draft"
NEW_TASK, EDIT_TASK, RESUBMIT_TASK, SUBMIT_TASK = "new_invoice", "edit_invoice", "resubmit_invoice", "submit_invoice"
LINES_SHOWN = 10
OPTIONS_SHOWN = 10
AMOUNT_TYPES = {"Exclusive": "tax exclusive", "Inclusive": "tax inclusive", "NoTax": "no tax"}
_MENTION = re.compile(r"<@([^>\s]{1,80})>")


def humanise(text: str, name_of: NameOf) -> str:
    """The service's words as a Teams user reads them: chat mentions (``<@id>``) as names (the
    services' words are chat-neutral otherwise)."""
    return _MENTION.sub(lambda m: name_of(m.group(1)), text)


def task_button(title: str, task: str, **data: Any) -> SubmitAction:
    """A button that opens a dialog (``task/fetch`` invoke with ``data``)."""
    return SubmitAction(title=title, data={"msteams": {"type": "task/fetch"}, "task": task, **data})


def money(draft: DraftSummary, amount: Any) -> str:
    return f"{format_money(amount, draft.currency)} {draft.currency}"


def number(value: Any) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def line_text(draft: DraftSummary, n: int) -> str:
    line = draft.lines[n]
    discount = f" less {number(line.discount_rate)}%" if line.discount_rate else ""
    amount = format_money(line.line_amount, draft.currency)
    return (f"- {number(line.quantity)} × {plain(cut(line.description, 120))} @ "
            f"{format_money(line.unit_amount, draft.currency)}{discount} = **{amount}**"
            f" ({line.account_code}, {line.tax_type})")


def xero_label(draft: DraftSummary) -> str:
    label = plain(draft.xero_invoice_number or f"draft {draft.id}")
    state = "AUTHORISED" if draft.status == st.APPROVED else "DRAFT"
    return (f"[{label}]({draft.xero_url})" if draft.xero_url else label) + f" ({state})"


def status_line(draft: DraftSummary, name_of: NameOf) -> str:
    when = draft.decided_at.strftime("%Y-%m-%d %H:%M UTC") if draft.decided_at else ""
    by = plain(name_of(draft.decided_by)) if draft.decided_by else "someone"
    if draft.status == st.APPROVED:
        return f"✅ Approved by {by} on {when}: AUTHORISED in Xero."
    if draft.status == st.REJECTED:
        reason = plain(cut(draft.reject_reason or "", 500))
        return f"❌ Rejected by {by} on {when}: {reason}. The Xero draft is deleted."
    if draft.status == st.FAILED:
        return f"⚠️ {plain(draft.last_error or 'No longer a draft in Xero.')}"
    if draft.status in st.TRANSITIONAL:
        return f"⏳ {st.WORDS[draft.status].capitalize()}{f' by {by}' if draft.decided_by else ''}…"
    return "📥 Waiting for approval."


def card_text(draft: DraftSummary) -> str:
    return (f"Invoice draft {draft.xero_invoice_number or draft.id} for {draft.contact_name or 'a customer'}: "
            f"{money(draft, draft.total.amount)} ({st.WORDS.get(draft.status, draft.status)})")


def approval_card(draft: DraftSummary, name_of: NameOf, note: str | None = None) -> CardReply:
    title = {st.APPROVED: "Invoice approved", st.REJECTED: "Invoice draft rejected"}.get(
        draft.status, "Invoice draft for approval")
    facts = [Fact(title="Customer", value=plain(cut(draft.contact_name or "—", 200))),
             Fact(title="Total", value=money(draft, draft.total.amount)),
             Fact(title="Opportunity", value=plain(cut(draft.opportunity_name or "—", 200))),
             Fact(title="Requested by", value=plain(name_of(draft.requested_by))),
             Fact(title="Xero", value=xero_label(draft)),
             Fact(title="Dates", value=f"{draft.invoice_date.isoformat()}, due {draft.due_date.isoformat()}")]
    if draft.reference:
        facts.append(Fact(title="Reference", value=plain(cut(draft.reference, 200))))
    body: list[Any] = [TextBlock(text=title, size="Large", weight="Bolder", wrap=True), FactSet(facts=facts)]
    body += [TextBlock(text=line_text(draft, n), wrap=True, spacing="None") for n in
             range(min(len(draft.lines), LINES_SHOWN))]
    if len(draft.lines) > LINES_SHOWN:
        body.append(TextBlock(text=f"…and {len(draft.lines) - LINES_SHOWN} more lines (see Xero)", wrap=True))
    body.append(TextBlock(text=f"Subtotal {money(draft, draft.sub_total.amount)} · Tax "
                               f"{money(draft, draft.total_tax.amount)} · **Total {money(draft, draft.total.amount)}**"
                               f" ({AMOUNT_TYPES.get(draft.line_amount_types, '')})", wrap=True))
    body.append(TextBlock(text=status_line(draft, name_of), wrap=True, spacing="Medium"))
    if draft.last_error and draft.status != st.FAILED:
        body.append(TextBlock(text=f"⚠️ {plain(cut(draft.last_error, 1500))}", wrap=True, color="Warning"))
    if note:
        body.append(TextBlock(text=plain(humanise(note, name_of)), wrap=True, is_subtle=True, size="Small"))
    actions: list[Any] = []
    if draft.status == st.AWAITING_APPROVAL:
        data = {"draft": draft.id}
        reject_form = AdaptiveCard(body=[TextInput(id="reason", label="Why is it rejected? The rep sees this.",
                                                   is_multiline=True, is_required=True, max_length=2000,
                                                   error_message="Say why, so the rep can fix it.")],
                                   actions=[ExecuteAction(title="Reject", verb=REJECT_VERB, data=data,
                                                          style="destructive")])
        actions = [ExecuteAction(title="Approve", verb=APPROVE_VERB, data=data, style="positive"),
                   ShowCardAction(title="Reject", card=reject_form),
                   task_button("Edit", EDIT_TASK, draft=draft.id)]
    return CardReply(card_text(draft), card_content(AdaptiveCard(body=body, actions=actions or None,
                                                                 fallback_text=card_text(draft))))


def requester_card(draft: DraftSummary, event: str, name_of: NameOf) -> CardReply:
    what = f"{xero_label(draft)} for {plain(draft.contact_name or 'the customer')} ({money(draft, draft.total.amount)})"
    opportunity = f" — {plain(draft.opportunity_name)}" if draft.opportunity_name else ""
    by = plain(name_of(draft.decided_by)) if draft.decided_by else "finance"
    actions: list[Any] = []
    if event == "approved":
        text = (f"✅ Your invoice {what}{opportunity} was approved by {by} and is AUTHORISED in Xero. The "
                "opportunity in Salesforce has the invoice number.")
    elif event == "rejected":
        text = (f"❌ Your invoice draft {what}{opportunity} was rejected by {by}: "
                f"“{plain(cut(draft.reject_reason or '', 1500))}”. The Xero draft is deleted.")
        actions = [task_button("Fix and resubmit", RESUBMIT_TASK, draft=draft.id)]
    elif event == "submitted":
        text = f"📨 Your invoice draft {what}{opportunity} is with finance for approval."
    else:  # edited
        text = f"✏️ Finance edited your invoice draft {what}{opportunity}; it is still waiting for approval."
    plain_text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("**", "").replace("\\", "")
    return CardReply(plain_text, card_content(AdaptiveCard(body=[TextBlock(text=text, wrap=True)],
                                                           actions=actions or None, fallback_text=plain_text)))


def picker_card(picker: Picker, query: str) -> CardReply:
    if not picker.options:
        return CardReply(picker.message or "No closed-won opportunity is waiting to be invoiced.")
    intro = "Which deal do you want to invoice?" + (" (finance: everyone's deals)" if picker.everyone else "")
    shown = picker.options[:OPTIONS_SHOWN]
    body: list[Any] = [TextBlock(text=intro, wrap=True, weight="Bolder")]
    if len(picker.options) > OPTIONS_SHOWN:
        body.append(TextBlock(text=f"{len(picker.options) - OPTIONS_SHOWN} more: type more of the name "
                                   f"(“invoice {plain(query) or 'acme'}…”).", wrap=True, is_subtle=True))
    actions = [task_button(cut(option.label, 60), NEW_TASK, opportunity=option.id) for option in shown]
    return CardReply(intro, card_content(AdaptiveCard(body=body, actions=actions, fallback_text=intro)))
