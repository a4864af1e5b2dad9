"""Writes: create and edit invoices, move them through their statuses, email them, contacts, payments.

Creating anything takes an ``idempotency_key`` (Xero's ``Idempotency-Key`` header): a retry,
a double click or a crash-and-rerun with the same key never makes a second record, and only
keyed writes are retried after a 5xx or timeout. Status changes are guarded by Xero's own
transition rules (FACTS.md §10), so repeating one is refused rather than duplicated.
"""

from __future__ import annotations

from integrations.xero.api_base import XeroApiBase
from integrations.xero.errors import XeroError
from integrations.xero.models import Contact, Invoice, Payment
from integrations.xero.pages import CONTACTS, INVOICES, PAYMENTS
from integrations.xero.write_models import InvoiceStatus, InvoiceUpdate, NewContact, NewInvoice, NewPayment


class XeroWrites(XeroApiBase):
    def create_invoice(self, invoice: NewInvoice, *, idempotency_key: str) -> Invoice:
        """``PUT /Invoices``: a new invoice (DRAFT unless ``invoice.status`` says otherwise)."""
        envelope = self._accounting("PUT", "Invoices", body={"Invoices": [invoice.to_xero()]},
                                    idempotency_key=idempotency_key, resource="invoice")
        return self._single(INVOICES, envelope)

    def update_invoice(self, invoice_id: str, changes: InvoiceUpdate, *,
                       idempotency_key: str | None = None) -> Invoice:
        """``POST /Invoices/{id}``: edit a draft; lines sent replace the invoice's lines."""
        element = {"InvoiceID": invoice_id, **changes.to_xero()}
        envelope = self._accounting("POST", f"Invoices/{invoice_id}", body={"Invoices": [element]},
                                    idempotency_key=idempotency_key, resource=f"invoice {invoice_id}")
        return self._single(INVOICES, envelope)

    def set_invoice_status(self, invoice_id: str, status: InvoiceStatus, *,
                           idempotency_key: str | None = None) -> Invoice:
        """DRAFT→AUTHORISED (approve), DRAFT→DELETED, AUTHORISED→VOIDED, ...; Xero refuses the others."""
        return self.update_invoice(invoice_id, InvoiceUpdate(status=status), idempotency_key=idempotency_key)

    def authorise_invoice(self, invoice_id: str, *, idempotency_key: str | None = None) -> Invoice:
        return self.set_invoice_status(invoice_id, "AUTHORISED", idempotency_key=idempotency_key)

    def delete_invoice(self, invoice_id: str, *, idempotency_key: str | None = None) -> Invoice:
        return self.set_invoice_status(invoice_id, "DELETED", idempotency_key=idempotency_key)

    def void_invoice(self, invoice_id: str, *, idempotency_key: str | None = None) -> Invoice:
        return self.set_invoice_status(invoice_id, "VOIDED", idempotency_key=idempotency_key)

    def email_invoice(self, invoice_id: str, *, idempotency_key: str | None = None) -> None:
        """``POST /Invoices/{id}/Email``: Xero emails the approved invoice to the contact (204)."""
        self._accounting("POST", f"Invoices/{invoice_id}/Email", body={}, idempotency_key=idempotency_key,
                         resource=f"invoice {invoice_id}")

    def online_invoice_url(self, invoice_id: str) -> str:
        """The customer-facing link (not available for drafts)."""
        envelope = self._accounting("GET", f"Invoices/{invoice_id}/OnlineInvoice", resource=f"invoice {invoice_id}")
        links = envelope.get("OnlineInvoices") if isinstance(envelope, dict) else None
        url = links[0].get("OnlineInvoiceUrl") if isinstance(links, list) and links else None
        if not url:
            raise XeroError(f"Xero returned no online invoice URL for {invoice_id}")
        return str(url)

    def create_contact(self, contact: NewContact, *, idempotency_key: str) -> Contact:
        envelope = self._accounting("PUT", "Contacts", body={"Contacts": [contact.to_xero()]},
                                    idempotency_key=idempotency_key, resource="contact")
        return self._single(CONTACTS, envelope)

    def create_payment(self, payment: NewPayment, *, idempotency_key: str) -> Payment:
        """``PUT /Payments`` (needs the ``accounting.payments`` scope; used by the sandbox, demo and tests)."""
        envelope = self._accounting("PUT", "Payments", body={"Payments": [payment.to_xero()]},
                                    idempotency_key=idempotency_key, resource="payment")
        return self._single(PAYMENTS, envelope)

