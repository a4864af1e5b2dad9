"""Payment notices' and failed-sync alerts' headlines in both chats, and why a person gets a notice."""

from __future__ import annotations

from bot.services.alerts.port import FailedRecordAlert, PaymentNotice
from handlers.common.text import SOURCE_NAMES

REASONS = {"watch": "You asked to be reminded when it is paid.", "owner": "You own it in Salesforce.", "channel": ""}


def payment_headline(notice: PaymentNotice) -> str:
    """"Acme paid INV-0042: $5,000.00 USD — fully paid" (or what remains)."""
    number = notice.invoice_number or "an invoice"
    rest = "fully paid" if notice.fully_paid else f"{notice.remaining.formatted()} {notice.remaining.currency} remains"
    return (f"{notice.account_name or 'A customer'} paid {number}: {notice.amount.formatted()} "
            f"{notice.amount.currency} — {rest}")


def failure_headline(alert: FailedRecordAlert) -> str:
    source = SOURCE_NAMES.get(alert.source, alert.source)
    entity = alert.entity.rstrip("s").replace("_", " ")
    state = {"open": "does not sync", "resolved": "syncs again", "ignored": "is ignored"}[alert.state]
    return f"{source} {entity} {alert.record} {state}"
