"""The status card: "has Acme paid?" for one account, from a ``StatusAnswer`` (the same content
as Slack's card: amounts per currency, open invoices linked to Xero, last payment, credit, owner,
freshness, the account in Salesforce)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from microsoft_teams.cards import AdaptiveCard, ExecuteAction, Fact, FactSet, OpenUrlAction, TextBlock

from bot.domain.aging import days_overdue_words
from bot.services.account_ledger import InvoiceSummary, PaymentSummary
from bot.services.status import StatusAnswer
from handlers.common.status_text import remind_value
from handlers.common.text import cut, minutes_ago, money_list
from handlers.teams.cards.common import CardReply, card_content, plain
from handlers.teams.invoicing.cards import NEW_TASK, task_button

TITLE_MAX = 150
REMIND_VERB = "remind_when_paid"
INVOICE_LINES_MAX = 10


def invoice_label(invoice: InvoiceSummary) -> str:
    number = plain(invoice.number or "(no number)")
    return f"[{number}]({invoice.xero_url})" if invoice.xero_url else number


def invoice_line(invoice: InvoiceSummary) -> str:
    due = invoice.due_date.isoformat() if invoice.due_date else "no due date"
    late = f", **{days_overdue_words(invoice.days_overdue)}**" if invoice.days_overdue else ""
    return f"{invoice_label(invoice)}: {invoice.amount_due.formatted()} {invoice.currency} due {due}{late}"


def asked_invoice_line(invoice: InvoiceSummary) -> str:
    if invoice.status == "PAID":
        paid_on = f" on {invoice.fully_paid_on.isoformat()}" if invoice.fully_paid_on else ""
        return f"{invoice_label(invoice)}: **paid in full**{paid_on} ({invoice.total.formatted()} {invoice.currency})"
    line = invoice_line(invoice)
    return line + (f" (status {invoice.status.lower()})" if invoice.status != "AUTHORISED" else "")


def payment_value(payment: PaymentSummary | None) -> str:
    if payment is None:
        return "None recorded"
    on = payment.date.isoformat() if payment.date else "an unknown date"
    against = f" for {payment.invoice_number}" if payment.invoice_number else ""
    return f"{payment.amount.formatted()} {payment.amount.currency} on {on}{against}"


def freshness(answer: StatusAnswer, now: datetime) -> str:
    ago = minutes_ago(answer.as_of, now)
    if answer.stale:
        return f"⚠️ Xero could not be reached just now, so these figures may be out of date ({ago})."
    return f"From Xero, {ago}" + (" (refreshed live)" if answer.refreshed_live else "") + "."


def status_text(answer: StatusAnswer) -> str:
    return f"{answer.display_name}: due {money_list(answer.due)}; overdue {money_list(answer.overdue)}"


def summary(answer: StatusAnswer) -> FactSet:
    facts = [Fact(title="Amount due", value=money_list(answer.due)),
             Fact(title="Overdue", value=money_list(answer.overdue)),
             Fact(title="Last payment", value=plain(payment_value(answer.last_payment))),
             Fact(title="Credit notes", value=f"{money_list(answer.credit)} unallocated" if answer.credit
                  else "None open")]
    if answer.owner_name:
        facts.append(Fact(title="Owner", value=plain(answer.owner_name)))
    return FactSet(facts=facts)


def invoice_blocks(answer: StatusAnswer) -> list[TextBlock]:
    blocks = [TextBlock(text="Open invoices", weight="Bolder", wrap=True, spacing="Medium")]
    shown = answer.open_invoices[:INVOICE_LINES_MAX]
    blocks += [TextBlock(text=f"- {invoice_line(i)}", wrap=True, spacing="None") for i in shown]
    more = answer.more_open_invoices + max(len(answer.open_invoices) - INVOICE_LINES_MAX, 0)
    if more:
        blocks.append(TextBlock(text=f"…and {more} more open invoice{'s' if more != 1 else ''} (see Xero)",
                                wrap=True, is_subtle=True, spacing="None"))
    if not shown:
        blocks.append(TextBlock(text="None.", wrap=True, spacing="None"))
    return blocks


def status_card(answer: StatusAnswer, now: datetime, *, salesforce_url: str | None = None,
                invoicing: bool = False, alerts: bool = False) -> dict[str, Any]:
    """The card; ``invoicing``: a "Create invoice" button (opening the form dialog) per uninvoiced deal;
    ``alerts``: "Remind me when paid" for the open invoices shown (or the one asked about)."""
    body: list[Any] = [TextBlock(text=plain(cut(answer.display_name or "Unnamed account", TITLE_MAX)),
                                 size="Large", weight="Bolder", wrap=True)]
    if answer.asked_invoice is not None:
        body += [TextBlock(text="Invoice you asked about", weight="Bolder", wrap=True),
                 TextBlock(text=asked_invoice_line(answer.asked_invoice), wrap=True, spacing="None")]
    body += [summary(answer), *invoice_blocks(answer)]
    footer = freshness(answer, now)
    if not answer.sf_account_id:
        footer += " No Salesforce account is linked to this Xero contact."
    body.append(TextBlock(text=footer, wrap=True, is_subtle=True, size="Small", spacing="Medium"))
    actions: list[Any] = []
    if answer.salesforce_path and salesforce_url:
        url = salesforce_url.rstrip("/") + answer.salesforce_path
        actions.append(OpenUrlAction(title="Open in Salesforce", url=url))
    if invoicing:
        actions += [task_button(cut(f"Create invoice: {deal.name}", 60), NEW_TASK, opportunity=deal.opportunity_id)
                    for deal in answer.uninvoiced_deals[:3]]
    watched = remind_value(answer) if alerts else ""
    if watched:
        actions.append(ExecuteAction(title="Remind me when paid", verb=REMIND_VERB, data={"invoices": watched}))
    return card_content(AdaptiveCard(body=body, actions=actions or None, fallback_text=status_text(answer)))


def status_reply(answer: StatusAnswer, now: datetime, salesforce_url: str | None, *,
                 invoicing: bool = False, alerts: bool = False) -> CardReply:
    return CardReply(status_text(answer), status_card(answer, now, salesforce_url=salesforce_url,
                                                      invoicing=invoicing, alerts=alerts))
