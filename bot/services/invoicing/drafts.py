"""The draft rows: storing, reading as ``DraftSummary``, conditional transitions and the audit log."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.domain.money import Money
from bot.domain.xero_links import invoice_deep_link
from bot.services.invoicing.model import NEW_CONTACT, DraftLine, DraftSummary, InvoiceInput, LineInput, MessageRef
from bot.services.invoicing.totals import Totals
from bot.store.mirror import SfAccount, SfOpportunity, XeroContact, XeroOrganisation
from bot.store.state import AuditEntry, InvoiceDraft, InvoiceDraftLine

XERO_VIEW = "https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID={}"


def draft_key(submission_key: str) -> str:
    """The draft's unique key, from the adapter's submission key (e.g. a Slack view id): the same
    submission twice (a double click, a retry) finds the same draft."""
    return "sub-" + hashlib.sha256(submission_key.encode()).hexdigest()[:40]


def xero_key(draft: InvoiceDraft, step: str) -> str:
    """The Idempotency-Key of one Xero call for one claimed transition: repeating the call after a
    crash (same draft, same version) sends the same key, so Xero does it once."""
    return f"paidup-{draft.id}-{draft.idempotency_key[4:28]}-{step}-v{draft.version}"


def line_rows(lines: Sequence[LineInput]) -> list[InvoiceDraftLine]:
    return [InvoiceDraftLine(position=n, description=line.description.strip(), quantity=line.quantity or Decimal(0),
                             unit_amount=line.unit_amount or Decimal(0), discount_rate=line.discount_rate or None,
                             item_code=line.item_code or None, account_code=line.account_code,
                             tax_type=line.tax_type) for n, line in enumerate(lines, start=1)]


def fill(draft: InvoiceDraft, form: InvoiceInput, totals: Totals, line_amount_types: str) -> None:
    """Put the submitted content on a draft (new, or claimed for an edit)."""
    draft.opportunity_id = form.opportunity_id
    draft.xero_contact_id = None if form.contact == NEW_CONTACT else form.contact
    draft.currency = form.currency
    draft.line_amount_types = line_amount_types
    if form.invoice_date is not None:
        draft.invoice_date = form.invoice_date
    if form.due_date is not None:
        draft.due_date = form.due_date
    draft.reference = form.reference.strip() or None
    draft.lines = line_rows(form.lines)
    for row, priced in zip(draft.lines, totals.lines, strict=True):
        row.line_amount = priced.line_amount
    draft.sub_total, draft.total_tax, draft.total = totals.sub_total, totals.total_tax, totals.total


def input_of(draft: InvoiceDraft) -> InvoiceInput:
    contact = draft.xero_contact_id or (NEW_CONTACT if draft.new_contact else "")
    lines = [LineInput(f"l{n}", line.description, line.quantity, line.unit_amount, line.discount_rate,
                       line.account_code, line.tax_type, line.item_code) for n, line in enumerate(draft.lines, start=1)]
    return InvoiceInput(draft.opportunity_id or "", contact, draft.currency, draft.invoice_date, draft.due_date,
                        draft.reference or "", lines)


def claim(session: Session, draft: InvoiceDraft, from_states: Sequence[str], to_state: str,
          now: datetime, **values: Any) -> bool:
    """Move ``draft`` to ``to_state`` if it is still at its version and in one of ``from_states``;
    False when someone else moved it first. The ORM object follows on success."""
    result = session.execute(
        update(InvoiceDraft).where(InvoiceDraft.id == draft.id, InvoiceDraft.version == draft.version,
                                   InvoiceDraft.status.in_(tuple(from_states)))
        .values(status=to_state, version=draft.version + 1, updated_at=now, **values)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.refresh(draft)
    return True


def audit(session: Session, draft: InvoiceDraft, actor: str, action: str, now: datetime, **details: Any) -> None:
    session.add(AuditEntry(at=now, actor=actor, action=action, subject_type="invoice_draft", subject_id=str(draft.id),
                           xero_id=draft.xero_invoice_id, salesforce_id=draft.opportunity_id,
                           details={k: _plain(v) for k, v in details.items()}))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal | datetime):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def xero_url(session: Session, invoice_id: str | None) -> str | None:
    if not invoice_id:
        return None
    org = session.query(XeroOrganisation).first()
    return invoice_deep_link(org.short_code if org else None, invoice_id) or XERO_VIEW.format(invoice_id)


def summary(session: Session, draft: InvoiceDraft) -> DraftSummary:
    opp = session.get(SfOpportunity, draft.opportunity_id) if draft.opportunity_id else None
    account = session.get(SfAccount, draft.sf_account_id) if draft.sf_account_id else None
    contact = session.get(XeroContact, draft.xero_contact_id) if draft.xero_contact_id else None
    contact_name = contact.name if contact else (
        f"{draft.new_contact.get('name')} (new contact)" if draft.new_contact else None)
    lines = [DraftLine(line.description, line.quantity, line.unit_amount, line.discount_rate, line.account_code,
                       line.tax_type, line.item_code, line.line_amount) for line in draft.lines]
    ref = MessageRef(draft.approval_channel, draft.approval_ts) if draft.approval_channel and draft.approval_ts \
        else None
    return DraftSummary(
        id=draft.id, status=draft.status, version=draft.version, requested_by=draft.requested_by,
        opportunity_id=draft.opportunity_id, opportunity_name=opp.name if opp else None,
        account_name=account.name if account else None, contact_name=contact_name, currency=draft.currency,
        line_amount_types=draft.line_amount_types, invoice_date=draft.invoice_date, due_date=draft.due_date,
        reference=draft.reference, lines=lines, sub_total=Money(draft.currency, draft.sub_total),
        total_tax=Money(draft.currency, draft.total_tax), total=Money(draft.currency, draft.total),
        xero_invoice_id=draft.xero_invoice_id, xero_invoice_number=draft.xero_invoice_number,
        xero_url=xero_url(session, draft.xero_invoice_id), decided_by=draft.decided_by, decided_at=draft.decided_at,
        reject_reason=draft.reject_reason, last_error=draft.last_error, approval_message=ref,
        created_at=draft.created_at, updated_at=draft.updated_at)
