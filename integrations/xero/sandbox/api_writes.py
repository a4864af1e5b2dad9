"""PUT/POST handlers: invoices (create, update, status), email, contacts, payments.

A batch is ``{"Invoices": [...]}`` (a bare element is accepted too). With Xero's default
(``summarizeErrors`` not ``false``) any invalid element makes the answer a 400
``ValidationException`` listing every element, invalid ones with ``ValidationErrors``; valid
elements of the batch are still saved, as users have observed (FACTS.md §2). With
``summarizeErrors=false`` the answer is 200 and each element carries ``StatusAttributeString``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from integrations.xero.sandbox.invoicing import InvoiceRules, Rejected
from integrations.xero.sandbox.ledger import Record
from integrations.xero.sandbox.money_in import apply_payment, create_contact
from integrations.xero.sandbox.render import render_contact, render_invoice, render_payment
from integrations.xero.sandbox.replies import (
    Call,
    Reply,
    element_with_errors,
    not_found,
    ok,
    post_data_invalid,
    validation_failed,
)

Saver = Callable[[dict[str, Any]], Record]


def elements_of(call: Call, key: str) -> list[Any] | None:
    body = call.body
    if isinstance(body, dict) and isinstance(body.get(key), list):
        return list(body[key])
    if isinstance(body, dict) and key not in body:
        return [body]
    return None


def _rules(call: Call) -> InvoiceRules:
    return InvoiceRules(call.state.ledger, call.state.today, call.now())


def _check_fault(call: Call, *keys: Any) -> None:
    for key in keys:
        message = call.state.faults.rejection_for(str(key) if key else None)
        if message:
            raise Rejected([message])


def save_batch(call: Call, key: str, save: Saver, render: Callable[[Record], dict[str, Any]],
               event: Callable[[Record], tuple[str, str, str]]) -> Reply:
    elements = elements_of(call, key)
    if elements is None:
        return post_data_invalid(f"the body must carry a {key} array")
    results: list[tuple[Any, Record | list[str]]] = []
    for element in elements:
        try:
            results.append((element, save(element if isinstance(element, dict) else {})))
        except Rejected as exc:
            results.append((element, exc.messages))
    saved = [r for _, r in results if isinstance(r, dict)]
    call.state.changed([event(r) for r in saved])
    failed = any(isinstance(r, list) for _, r in results)
    if failed and (call.param("summarizeErrors") or "true").lower() != "false":
        return validation_failed([element_with_errors(e, r) if isinstance(r, list) else render(r)
                                  for e, r in results])
    rendered = [{**element_with_errors(e, r), "HasErrors": True, "StatusAttributeString": "ERROR"}
                if isinstance(r, list) else {**render(r), "StatusAttributeString": "OK"} for e, r in results]
    return ok(call, key, rendered if failed or call.param("summarizeErrors") else [render(r) for r in saved])


def put_invoices(call: Call) -> Reply:
    def save(element: dict[str, Any]) -> Record:
        _check_fault(call, element.get("InvoiceNumber"), element.get("Reference"))
        return _rules(call).create(element)
    return save_batch(call, "Invoices", save, lambda r: render_invoice(call.state.ledger, r),
                      lambda r: ("INVOICE", r["InvoiceID"], "CREATE"))


def post_invoices(call: Call) -> Reply:
    """Create or update: an element naming an existing invoice (InvoiceID or number) updates it."""
    def save(element: dict[str, Any]) -> Record:
        key = element.get("InvoiceID") or element.get("InvoiceNumber")
        existing = call.state.ledger.invoice(str(key)) if key else None
        _check_fault(call, key, element.get("Reference"))
        if existing is None and element.get("InvoiceID"):
            raise Rejected([f"Invoice {element['InvoiceID']} could not be found"])
        return _rules(call).update(existing, element) if existing else _rules(call).create(element)
    return save_batch(call, "Invoices", save, lambda r: render_invoice(call.state.ledger, r),
                      lambda r: ("INVOICE", r["InvoiceID"], "UPDATE"))


def update_invoice(call: Call) -> Reply:
    invoice = call.state.ledger.invoice(call.args["id"])
    if invoice is None:
        return not_found()

    def save(element: dict[str, Any]) -> Record:
        _check_fault(call, invoice["InvoiceID"], invoice.get("InvoiceNumber"))
        return _rules(call).update(invoice, element)
    return save_batch(call, "Invoices", save, lambda r: render_invoice(call.state.ledger, r),
                      lambda r: ("INVOICE", r["InvoiceID"], "UPDATE"))


def email_invoice(call: Call) -> Reply:
    invoice = call.state.ledger.invoice(call.args["id"])
    if invoice is None:
        return not_found()
    contact = call.state.ledger.get("Contacts", invoice["ContactID"]) or {}
    messages = []
    if invoice["Type"] != "ACCREC" or invoice["Status"] not in ("SUBMITTED", "AUTHORISED", "PAID"):
        messages.append("Invoice must be of type ACCREC and have a status of SUBMITTED, AUTHORISED or PAID to be "
                        "emailed")
    if not contact.get("EmailAddress"):
        messages.append("The contact does not have an email address")
    rejection = call.state.faults.rejection_for(invoice["InvoiceID"])
    messages += [rejection] if rejection else []
    if messages:
        return validation_failed([{"InvoiceID": invoice["InvoiceID"],
                                   "ValidationErrors": [{"Message": m} for m in messages]}])
    invoice["SentToContact"] = True
    call.state.sent_emails.append({"InvoiceID": invoice["InvoiceID"], "To": contact["EmailAddress"]})
    return Reply(204)


def put_contacts(call: Call) -> Reply:
    def save(element: dict[str, Any]) -> Record:
        if element.get("ContactID"):
            raise Rejected(["The sandbox creates contacts only; updating an existing contact is not supported"])
        _check_fault(call, element.get("ContactNumber"), element.get("Name"))
        return create_contact(call.state.ledger, element, call.now())
    return save_batch(call, "Contacts", save, lambda r: render_contact(call.state.ledger, r),
                      lambda r: ("CONTACT", r["ContactID"], "CREATE"))


def put_payments(call: Call) -> Reply:
    def save(element: dict[str, Any]) -> Record:
        invoice_ref = element.get("Invoice") if isinstance(element.get("Invoice"), dict) else {}
        _check_fault(call, invoice_ref.get("InvoiceID"), invoice_ref.get("InvoiceNumber"))
        return apply_payment(call.state.ledger, element, call.state.today, call.now())
    return save_batch(call, "Payments", save, lambda r: render_payment(call.state.ledger, r),
                      lambda r: ("INVOICE", r["InvoiceID"], "UPDATE"))
