"""Writes against the sandbox: create (idempotent), edit a draft, status transitions, validation,
email, online link, contacts, payments."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from integrations import demo_data as demo
from integrations.xero import XeroClient, XeroValidationError
from integrations.xero.write_models import (
    AccountRef,
    ContactRef,
    InvoiceIdRef,
    InvoiceUpdate,
    NewContact,
    NewInvoice,
    NewLineItem,
    NewPayment,
)
from tests.integrations.xero.conftest import TODAY, XeroRig

ACME = demo.XERO_CONTACT["acme"].id


def draft(**changes: object) -> NewInvoice:
    fields: dict[str, object] = {
        "contact": ContactRef(contact_id=ACME), "date": TODAY, "due_date": TODAY + timedelta(days=30),
        "reference": "Opp 0065g0000010001AAA", "currency_code": "USD",
        "line_items": [NewLineItem(description="Seats", quantity=Decimal(2), unit_amount=Decimal("240.00"),
                                   account_code="200", tax_type="OUTPUT"),
                       NewLineItem(description="Onboarding", unit_amount=Decimal("500.00"), account_code="260",
                                   tax_type="NONE", discount_rate=Decimal("10"))],
    }
    fields.update(changes)
    return NewInvoice(**fields)  # type: ignore[arg-type]


def test_create_a_draft_numbers_it_and_computes_totals(xero: XeroClient) -> None:
    invoice = xero.create_invoice(draft(), idempotency_key="draft-1")
    assert (invoice.status, invoice.invoice_number, invoice.currency_code) == ("DRAFT", "INV-0101", "USD")
    assert [line.line_amount for line in invoice.line_items] == [Decimal("480.00"), Decimal("450.00")]
    assert (invoice.sub_total, invoice.total_tax, invoice.total, invoice.amount_due) == (
        Decimal("930.00"), Decimal("48.00"), Decimal("978.00"), Decimal("978.00"))


def test_the_same_idempotency_key_never_makes_a_second_invoice(rig: XeroRig, xero: XeroClient) -> None:
    before = rig.state.counts()["Invoices"]
    first = xero.create_invoice(draft(), idempotency_key="opp-0065g-draft")
    again = xero.create_invoice(draft(), idempotency_key="opp-0065g-draft")
    assert again.invoice_id == first.invoice_id and again.invoice_number == first.invoice_number
    assert rig.state.counts()["Invoices"] == before + 1
    with pytest.raises(XeroValidationError, match="Idempotency-Key"):
        xero.create_invoice(draft(reference="something else"), idempotency_key="opp-0065g-draft")


def test_edit_a_draft_then_approve_then_void(xero: XeroClient) -> None:
    created = xero.create_invoice(draft(), idempotency_key="k1")
    lines = [NewLineItem(description="Seats", quantity=Decimal(5), unit_amount=Decimal("240.00"),
                         account_code="200", tax_type="OUTPUT")]
    edited = xero.update_invoice(created.invoice_id, InvoiceUpdate(line_items=lines, reference="PO-1"))
    assert (edited.total, edited.reference, len(edited.line_items)) == (Decimal("1320.00"), "PO-1", 1)
    approved = xero.authorise_invoice(created.invoice_id, idempotency_key="approve-k1")
    assert (approved.status, approved.invoice_number) == ("AUTHORISED", created.invoice_number)
    voided = xero.void_invoice(created.invoice_id)
    assert (voided.status, voided.amount_due) == ("VOIDED", Decimal("0"))


def test_a_deleted_draft_frees_its_number(xero: XeroClient) -> None:
    created = xero.create_invoice(draft(invoice_number="INV-9000"), idempotency_key="k-del")
    assert xero.delete_invoice(created.invoice_id).status == "DELETED"
    reused = xero.create_invoice(draft(invoice_number="INV-9000"), idempotency_key="k-reuse")
    assert reused.invoice_number == "INV-9000" and reused.invoice_id != created.invoice_id


@pytest.mark.parametrize(("number", "status", "message"), [
    ("INV-0004", "DRAFT", "Invoice not of valid status for modification"),  # AUTHORISED → DRAFT
    ("INV-0006", "AUTHORISED", "Invoice not of valid status for modification"),  # VOIDED → AUTHORISED
    ("INV-0005", "VOIDED", "Invoice not of valid status for modification"),  # DRAFT → VOIDED
    ("INV-0002", "VOIDED", "This document cannot be edited as it has a payment or credit note allocated to it."),
])
def test_refused_transitions_carry_xeros_message(xero: XeroClient, number: str, status: str, message: str) -> None:
    invoice = xero.get_invoice(number)
    with pytest.raises(XeroValidationError) as caught:
        xero.set_invoice_status(invoice.invoice_id, status)  # type: ignore[arg-type]
    assert caught.value.messages == [message]
    assert caught.value.elements[0].messages == [message]
    assert xero.get_invoice(number).status == invoice.status


def test_validation_lists_every_problem_for_a_person_to_fix(xero: XeroClient) -> None:
    bad = draft(currency_code="JPY", status="AUTHORISED", line_items=[
        NewLineItem(description="x", unit_amount=Decimal(1), account_code="999", tax_type="OUTPUT"),
        NewLineItem(description="y", unit_amount=Decimal(1), account_code="200", tax_type="BOGUS")])
    with pytest.raises(XeroValidationError) as caught:
        xero.create_invoice(bad, idempotency_key="bad-1")
    assert caught.value.messages == [
        "Account code '999' is not a valid code for this document.",
        "The TaxType code BOGUS does not exist or cannot be used for this type of transaction.",
        "Organisation is not subscribed to currency JPY",
    ]
    assert "JPY" in str(caught.value)


def test_archived_and_unknown_contacts_are_refused(xero: XeroClient) -> None:
    with pytest.raises(XeroValidationError, match="archived"):
        xero.create_invoice(draft(contact=ContactRef(contact_id=demo.XERO_CONTACT["archived"].id)),
                            idempotency_key="arch")
    with pytest.raises(XeroValidationError, match="does not exist"):
        xero.create_invoice(draft(contact=ContactRef(contact_id="00000000-0000-0000-0000-000000000001")),
                            idempotency_key="ghost")


def test_an_injected_rejection_names_the_record(rig: XeroRig, xero: XeroClient) -> None:
    target = xero.get_invoice("INV-0005")
    rig.state.faults.reject_writes_to(target.invoice_id, "The document date cannot be before the end of year lock date")
    with pytest.raises(XeroValidationError) as caught:
        xero.authorise_invoice(target.invoice_id)
    assert caught.value.messages == ["The document date cannot be before the end of year lock date"]
    assert caught.value.elements[0].record_id == target.invoice_id


def test_email_and_online_link_of_an_approved_invoice(rig: XeroRig, xero: XeroClient) -> None:
    approved = xero.get_invoice("INV-0004")
    assert xero.email_invoice(approved.invoice_id) is None
    assert rig.state.sent_emails == [{"InvoiceID": approved.invoice_id, "To": "accounts@acme.example"}]
    assert xero.online_invoice_url(approved.invoice_id).startswith("https://in.xero.com/")
    a_draft = xero.get_invoice("INV-0005")
    with pytest.raises(XeroValidationError):
        xero.email_invoice(a_draft.invoice_id)
    with pytest.raises(XeroValidationError):
        xero.online_invoice_url(a_draft.invoice_id)


def test_create_contact_and_refuse_a_duplicate_name(xero: XeroClient) -> None:
    contact = xero.create_contact(NewContact(name="Stark Industries", contact_number=demo.SF_ACCOUNT["stark"].id,
                                             email_address="ap@stark.example"), idempotency_key="c-stark")
    assert (contact.name, contact.contact_status, contact.contact_number) == (
        "Stark Industries", "ACTIVE", demo.SF_ACCOUNT["stark"].id)
    with pytest.raises(XeroValidationError, match="already assigned to another contact"):
        xero.create_contact(NewContact(name="Stark Industries"), idempotency_key="c-stark-2")


def test_payments_bring_amount_due_to_zero_and_mark_paid(xero: XeroClient) -> None:
    invoice = xero.get_invoice("INV-0043")
    part = NewPayment(invoice=InvoiceIdRef(invoice_id=invoice.invoice_id), account=AccountRef(code="090"),
                      amount=Decimal("1000.00"), date=TODAY, reference="ACH 1")
    assert xero.create_payment(part, idempotency_key="p1").amount == Decimal("1000.00")
    assert xero.get_invoice("INV-0043").amount_due == Decimal("1750.00")
    with pytest.raises(XeroValidationError, match="exceeds the amount outstanding"):
        xero.create_payment(part.model_copy(update={"amount": Decimal("5000")}), idempotency_key="p2")
    rest = part.model_copy(update={"amount": Decimal("1750.00")})
    xero.create_payment(rest, idempotency_key="p3")
    paid = xero.get_invoice("INV-0043")
    assert (paid.status, paid.amount_due, paid.amount_paid, paid.fully_paid_on_date) == (
        "PAID", Decimal("0"), Decimal("2750.00"), TODAY)
