""""invoice acme" in a DM or a mention: a modal needs a click (Slack gives no trigger to a message),
so the answer is one button that opens the invoice form (the picker, narrowed to what was asked).
`/paidup invoice …` opens the modal directly (``handlers.slack.invoicing``)."""

from __future__ import annotations

from bot.domain.intents import InvoiceIntent
from handlers.common.questions import Question
from handlers.slack.blocks.status import mrkdwn_escape
from handlers.slack.invoicing import ids
from handlers.slack.invoicing.modal import plain
from handlers.slack.replies import Reply


def answer_invoice(service: object, question: Question) -> Reply:
    query = question.intent.query if isinstance(question.intent, InvoiceIntent) else ""
    about = f" for “{mrkdwn_escape(query)}”" if query else ""
    text = f"Let's invoice it: open the form{about}, pre-filled from the opportunity in Salesforce."
    button = {"type": "button", "action_id": ids.CREATE_INVOICE_ACTION, "style": "primary",
              "text": plain("Open the invoice form"), "value": f"q:{query}"[:2000]}
    return Reply(text, [{"type": "section", "block_id": "invoice_offer", "text": {"type": "mrkdwn", "text": text}},
                        {"type": "actions", "block_id": "invoice_offer_actions", "elements": [button]}])
