"""Payment notices: each payment the sync finds (``payment.received`` in the outbox) is told to the
opportunity owner (else the account owner) by DM, to whoever asked "remind me when paid", and to
the alerts channel when ``alerts.payments.post_to_channel`` is on.

Consumed from the outbox: an event is marked handled only when every recipient got it; each
recipient's notice is claimed in the alert log first, so a retry after a partial failure tells
only those who did not hear yet. A watch ends when the invoice is fully paid.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from sqlalchemy import and_, select

from bot.domain import events
from bot.domain.money import Money
from bot.domain.xero_links import invoice_deep_link
from bot.services.account_ledger import organisation_short_code
from bot.services.alerts.alert_log import AlertLog
from bot.services.alerts.follow_ups import watch_done, watchers
from bot.services.alerts.jobs import AlertChannels, JobResult, OwnerFinder
from bot.services.alerts.port import AlertDelivery, MessageRef, PaymentNotice, Recipient
from bot.store.mirror import SfAccount, SfOpportunity, XeroContact, XeroInvoice
from bot.store.session import Database
from bot.store.state import AccountLink, DomainEvent
from bot.sync import outbox

log = logging.getLogger(__name__)
CONSUMER = "payment-notices"
KIND = "payment_notice"


@dataclass(frozen=True)
class PaidInvoice:
    invoice_id: str
    number: str | None
    account_name: str
    currency: str
    amount_due: Decimal
    owner_id: str | None  # opportunity owner, else account owner
    xero_url: str | None


def paid_invoice(db: Database, invoice_id: str) -> PaidInvoice | None:
    with db.session() as s:
        row = s.execute(
            select(XeroInvoice.number, XeroInvoice.currency, XeroInvoice.amount_due, XeroContact.name, SfAccount.name,
                   SfAccount.owner_id)
            .outerjoin(XeroContact, XeroContact.id == XeroInvoice.contact_id)
            .outerjoin(AccountLink, AccountLink.xero_contact_id == XeroInvoice.contact_id)
            .outerjoin(SfAccount, and_(SfAccount.id == AccountLink.sf_account_id, SfAccount.is_deleted.is_(False)))
            .where(XeroInvoice.id == invoice_id).order_by(SfAccount.id.is_(None), SfAccount.id)).first()
        if row is None:
            return None
        number, currency, due, contact_name, account_name, account_owner = row
        deal_owner = s.scalar(select(SfOpportunity.owner_id).where(  # the reports' rule (figures._deal_owner)
            SfOpportunity.xero_invoice_number == number, SfOpportunity.is_deleted.is_(False),
            SfOpportunity.owner_id.is_not(None))
            .order_by(SfOpportunity.close_date.desc().nulls_last(), SfOpportunity.id.desc())) if number else None
        url = invoice_deep_link(organisation_short_code(s), invoice_id)
    return PaidInvoice(invoice_id, number, account_name or contact_name or "", currency, due,
                       deal_owner or account_owner, url)


class PaymentNoticeJob:
    def __init__(self, db: Database, owners: OwnerFinder, delivery: Callable[[], AlertDelivery],
                 channels: AlertChannels, post_to_channel: bool, alert_log: AlertLog,
                 clock: Callable[[], datetime]) -> None:
        self.db, self.owners, self.delivery, self.channels = db, owners, delivery, channels
        self.post_to_channel, self.log, self.clock = post_to_channel, alert_log, clock

    def run(self) -> JobResult:
        result = JobResult("payments")
        handled = outbox.consume(self.db, CONSUMER, [events.PAYMENT_RECEIVED], lambda e: self.handle(e, result))
        if not handled and not result.failed and not result.posted:
            result.skipped.append("no new payments")
        return result

    def recipients(self, invoice: PaidInvoice) -> list[tuple[Recipient, str]]:
        """(recipient, reason): the owner, the watchers, the channel; each person once."""
        people: dict[str, str] = {}
        if invoice.owner_id:
            owner = self.owners.find(invoice.owner_id)
            if owner is not None and owner.chat_user_id:
                people[owner.chat_user_id] = "owner"
        for user_id in watchers(self.db, invoice.invoice_id):
            people.setdefault(user_id, "watch")
        found = [(Recipient("person", user_id), reason) for user_id, reason in people.items()]
        if self.post_to_channel and self.channels.alerts:
            found.append((Recipient("channel", self.channels.alerts), "channel"))
        return found

    def _send(self, to: Recipient, notice: PaymentNotice) -> MessageRef:
        return self.delivery().deliver(to, notice)

    def handle(self, event: DomainEvent, result: JobResult) -> None:
        payload = event.payload or {}
        invoice = paid_invoice(self.db, str(payload.get("invoice_id") or ""))
        if invoice is None:
            result.skipped.append(f"payment {event.subject_id}: not against an invoice Paidup knows")
            return
        currency = str(payload.get("currency") or invoice.currency)
        paid_on = date.fromisoformat(payload["date"]) if payload.get("date") else None
        errors = []
        watching = set(watchers(self.db, invoice.invoice_id))
        for to, reason in self.recipients(invoice):
            notice = PaymentNotice(invoice.account_name, invoice.invoice_id, invoice.number, invoice.xero_url,
                                   Money(currency, Decimal(str(payload.get("amount") or 0))),
                                   Money(invoice.currency, invoice.amount_due), paid_on, reason)  # type: ignore[arg-type]
            what = f"{invoice.account_name} paid {invoice.number}: {notice.amount.formatted()} to {to.key()}"
            claim = self.log.claim(KIND, f"payment:{event.subject_id}", to.key())
            if claim is None:
                result.skipped.append(f"{what}: already told")
            else:
                try:
                    self.log.deliver(claim, partial(self._send, to, notice))
                    result.posted.append(what)
                except Exception as exc:  # noqa: BLE001 - the event stays pending for the next run
                    result.failed.append(f"{what}: {exc}")
                    errors.append(exc)
                    continue
            if to.kind == "person" and to.id in watching and notice.fully_paid:
                watch_done(self.db, invoice.invoice_id, to.id, self.clock())
        if errors:
            raise errors[0]
