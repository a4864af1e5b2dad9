"""What the status card's "Remind me when paid" button carries and answers, in both chats."""

from __future__ import annotations

from bot.services.status import StatusAnswer

INVOICE_LINES_MAX = 10  # open invoices listed on the card (and watched by its button)


def remind_value(answer: StatusAnswer) -> str:
    """The invoices "Remind me when paid" watches: the one asked about if it is open, else the
    card's open invoices (comma-separated ids); empty when nothing is open."""
    asked = answer.asked_invoice
    if asked is not None and asked.status == "AUTHORISED" and asked.amount_due.amount > 0:
        return asked.invoice_id
    return ",".join(i.invoice_id for i in answer.open_invoices[:INVOICE_LINES_MAX] if i.amount_due.amount > 0)


def watched_text(numbers: list[str], already_paid: list[str]) -> str:
    """The answer to "Remind me when paid" (invoice numbers already escaped for the chat; Teams says
    "I'll tell you" for "I'll DM you")."""
    if not numbers:
        return "Nothing to watch: " + (f"{', '.join(already_paid)} is already paid." if already_paid
                                       else "no open invoices on this card.")
    listed = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + f" and {numbers[-1]}"
    return (f"I'll DM you when {listed} {'is' if len(numbers) == 1 else 'are'} paid (each payment, with what "
            "remains).")
