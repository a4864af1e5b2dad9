"""Invoicing: an opportunity becomes a Xero invoice through a draft that finance approves.

``InvoicingService`` is chat-agnostic: it takes plain input (``InvoiceInput``, user ids), returns plain
data (``InvoiceForm``, ``SubmitOutcome``, ``DecisionOutcome``) and tells people through the
``InvoiceNotifier`` port the chat adapter supplies. Never two invoices:

- a submission carries the adapter's key (a Slack view id): the same submission twice finds the same
  draft (a unique column), so a double click or a retry creates nothing new;
- every Xero write sends an ``Idempotency-Key`` derived from the draft and the version of the claimed
  transition, so repeating it after a crash between the Xero call and the commit does it once;
- every transition is a conditional UPDATE on (id, version): of two approvers, one wins.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.config import AppConfig
from bot.domain.money import format_money
from bot.services.invoicing import form as forms
from bot.services.invoicing import states
from bot.services.invoicing.drafts import (
    audit,
    claim,
    draft_key,
    fill,
    input_of,
    line_rows,
    summary,
    xero_key,
    xero_url,
)
from bot.services.invoicing.model import (
    NEW_CONTACT,
    DecisionOutcome,
    DraftSummary,
    FieldError,
    InvoiceForm,
    InvoiceInput,
    LineInput,
    OpportunityOption,
    SubmitOutcome,
    Totals,
    XeroChange,
)
from bot.services.invoicing.ports import ApproverCheck, InvoiceNotifier, NoNotifier
from bot.services.invoicing.totals import compute
from bot.services.invoicing.validate import field_for_xero_message, validate
from bot.services.people import PeopleService, ProfileLookup
from bot.store.base import utcnow
from bot.store.mirror import SfAccount, SfOpportunity, XeroContact
from bot.store.session import Database, LeaseBusy
from bot.store.state import AccountLink, InvoiceDraft, InvoiceDraftLine
from bot.store.upsert import insert_ignoring_duplicates
from bot.sync.linking import link_explicitly
from bot.sync.xero_streams import contact_row
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.errors import SalesforceError, SalesforceInvalidField
from integrations.xero import XeroClient
from integrations.xero.errors import XeroError, XeroValidationError
from integrations.xero.models import Address, Contact, Invoice
from integrations.xero.write_models import ContactRef, InvoiceUpdate, NewContact, NewInvoice, NewLineItem

log = logging.getLogger(__name__)
WRITEBACK_RETRY = "Salesforce write-back failed, Paidup retries it"
RESUME_AFTER = timedelta(seconds=60)  # a transitional state older than this was left by a crash
Checkpoint = Callable[[str], None]


class NotAllowed(Exception):
    pass


@dataclass(frozen=True)
class FormOutcome:
    form: InvoiceForm | None
    message: str | None = None  # why there is no form, in words


@dataclass(frozen=True)
class Picker:
    """What the opportunity picker may offer this person."""

    options: list[OpportunityOption]
    everyone: bool  # finance: anyone's opportunities
    message: str | None = None  # e.g. why the list is empty


@dataclass
class _Step:
    """A Xero call's result on the way to the commit."""

    invoice: Invoice | None = None
    warnings: list[str] = field(default_factory=list)


class InvoicingService:
    def __init__(self, db: Database, config: AppConfig, xero: Callable[[], XeroClient],
                 salesforce: Callable[[], SalesforceClient], people: PeopleService, approvers: ApproverCheck,
                 notifier: Callable[[], InvoiceNotifier] | None = None, clock: Callable[[], datetime] = utcnow,
                 checkpoint: Checkpoint | None = None,
                 refresh_mirror: Callable[[list[str]], object] | None = None) -> None:
        self.db = db
        self.config = config
        self._xero = xero
        self._salesforce = salesforce
        self.people = people
        self.approvers = approvers
        self._notifier = notifier or NoNotifier
        self.clock = clock
        # A seam between a Xero call and the commit that records it: tests stop a thread here to
        # prove a crash at that point ends with one invoice.
        self.checkpoint: Checkpoint = checkpoint or (lambda step: None)
        self._refresh_mirror = refresh_mirror  # fetch these Xero invoices into the mirror now (answers see them)

    @property
    def line_amount_types(self) -> str:
        return self.config.xero.line_amount_types

    def today(self) -> date:
        return self.clock().astimezone(ZoneInfo(self.config.alerts.timezone)).date()

    def is_approver(self, user_id: str) -> bool:
        return self.approvers.is_approver(user_id)

    # --- choosing an opportunity -------------------------------------------------------------

    def picker(self, user_id: str, query: str, lookup: ProfileLookup) -> Picker:
        """The person's own uninvoiced closed-won opportunities matching ``query``; finance sees everyone's."""
        everyone = self.is_approver(user_id)
        owner = None
        if not everyone:
            mapping = self.people.salesforce_user(user_id, lookup)
            owner = mapping.sf_user_id
            if owner is None:
                return Picker([], False, "I can't tell who you are in Salesforce (no Salesforce user has your "
                                         "email address), so I can't list your opportunities.")
        with self.db.session() as s:
            options = forms.uninvoiced(s, owner, query)
        message = None if options else (
            f"No uninvoiced closed-won opportunity matches “{query}”." if query.strip()
            else "You have no closed-won opportunity waiting to be invoiced.")
        return Picker(options, everyone, message)

    # --- the form --------------------------------------------------------------------------

    def form_for(self, opportunity_id: str, user_id: str, lookup: ProfileLookup) -> FormOutcome:
        """The form pre-filled from the opportunity, or why it can't be invoiced now."""
        with self.db.session() as s:
            opp = s.get(SfOpportunity, opportunity_id)
            if opp is None or opp.is_deleted:
                return FormOutcome(None, "That opportunity is not in Paidup's copy of Salesforce.")
            if not opp.is_won:
                return FormOutcome(None, f"“{opp.name}” is not closed-won ({opp.stage}), so it can't be invoiced yet.")
            if opp.xero_invoice_number:
                return FormOutcome(None, f"“{opp.name}” is already invoiced: {opp.xero_invoice_number}.")
            existing = forms.open_draft_for(s, opp.id)
            if existing is not None:
                return FormOutcome(None, f"“{opp.name}” already has invoice draft {existing.id} "
                                         f"({states.WORDS.get(existing.status, existing.status)}).")
        if not self._may_invoice(user_id, opportunity_id, lookup):
            return FormOutcome(None, "Only the opportunity's owner or finance can invoice it.")
        with self.db.session() as s:
            opp = s.get(SfOpportunity, opportunity_id)
            assert opp is not None
            account = s.get(SfAccount, opp.account_id) if opp.account_id else None
            contacts, default_contact = forms.contact_choices(s, account)
            entered = forms.prefilled_input(s, opp, default_contact, self.config, self.today())
            suggested = any(c.kind == "suggested" for c in contacts) and not default_contact
            return FormOutcome(self._form(s, opp, entered, contacts, forms.notes_for(opp, entered.lines, suggested)))

    def _may_invoice(self, user_id: str, opportunity_id: str, lookup: ProfileLookup) -> bool:
        if self.is_approver(user_id):
            return True
        with self.db.session() as s:
            owner = s.scalar(select(SfOpportunity.owner_id).where(SfOpportunity.id == opportunity_id))
        mine = self.people.salesforce_user(user_id, lookup).sf_user_id
        return mine is not None and mine == owner

    def form_for_draft(self, draft_id: int, user_id: str, *, resubmit: bool = False) -> FormOutcome:
        """The form filled from a draft: to edit it (finance or the requester, while it waits), or to fix
        and resubmit a rejected one (a new draft)."""
        with self.db.session() as s:
            draft = s.get(InvoiceDraft, draft_id)
            if draft is None or draft.opportunity_id is None:
                return FormOutcome(None, "That invoice draft no longer exists.")
            if resubmit:
                if draft.status not in (states.REJECTED, states.FAILED):
                    return FormOutcome(None, f"Draft {draft.id} is {states.WORDS[draft.status]}; nothing to resubmit.")
                if draft.requested_by != user_id and not self.is_approver(user_id):
                    return FormOutcome(None, "Only the person who asked for it can resubmit this draft.")
            else:
                if draft.status != states.AWAITING_APPROVAL:
                    return FormOutcome(None, f"Draft {draft.id} is {states.WORDS[draft.status]}, so it can't be "
                                             "edited.")
                if draft.requested_by != user_id and not self.is_approver(user_id):
                    return FormOutcome(None, "Only finance or the person who asked for it can edit this draft.")
            opp = s.get(SfOpportunity, draft.opportunity_id)
            if opp is None:
                return FormOutcome(None, "The draft's opportunity is no longer in Paidup's copy of Salesforce.")
            account = s.get(SfAccount, opp.account_id) if opp.account_id else None
            contacts, _ = forms.contact_choices(s, account)
            entered = input_of(draft)
            if draft.xero_contact_id and draft.xero_contact_id not in {c.value for c in contacts}:
                contact = s.get(XeroContact, draft.xero_contact_id)
                if contact is not None:
                    contacts.insert(0, forms.ContactChoice(contact.id, contact.name[:75], "linked",
                                                           contact.status != "ACTIVE"))
            notes = [f"Rejected by <@{draft.decided_by}>: {draft.reject_reason}"] if resubmit and draft.reject_reason \
                else []
            return FormOutcome(self._form(s, opp, entered, contacts, notes, None if resubmit else draft.id))

    def _form(self, s: Session, opp: SfOpportunity, entered: InvoiceInput, contacts: list[forms.ContactChoice],
              notes: list[str], draft_id: int | None = None) -> InvoiceForm:
        account = s.get(SfAccount, opp.account_id) if opp.account_id else None
        return InvoiceForm(
            opportunity=forms.opportunity_summary(s, opp), input=entered, contacts=contacts,
            new_contact=forms.new_contact_details(account), currencies=forms.currency_choices(s, entered.currency),
            accounts=forms.account_choices(s, self.config), tax_rates=forms.tax_choices(s),
            line_amount_types=self.line_amount_types, totals=self._price(s, entered), draft_id=draft_id, notes=notes,
            derived_due=self._derived_due(s, entered))

    def price(self, entered: InvoiceInput) -> Totals:
        """The live total of what is in the form now."""
        with self.db.session() as s:
            return self._price(s, entered)

    def _price(self, s: Session, entered: InvoiceInput) -> Totals:
        return compute(entered.lines, entered.currency, self.line_amount_types, forms.tax_rates(s))

    def due_date_for(self, contact_id: str, issued: date) -> date:
        with self.db.session() as s:
            return self._due_date_for(s, contact_id, issued)

    def _due_date_for(self, s: Session, contact_id: str, issued: date) -> date:
        contact = s.get(XeroContact, contact_id) if contact_id and contact_id != NEW_CONTACT else None
        return forms.due_date(issued, contact, self.config.xero.due_days)

    def _derived_due(self, s: Session, entered: InvoiceInput) -> date | None:
        if entered.due_date is None or entered.invoice_date is None:
            return None
        derived = self._due_date_for(s, entered.contact, entered.invoice_date)
        return derived if derived == entered.due_date else None

    def follow_terms(self, entered: InvoiceInput, derived: date | None) -> tuple[InvoiceInput, date | None]:
        """The due date follows the contact's payment terms (else ``xero.due_days``) from the invoice
        date for as long as the person leaves it as Paidup set it: when the entered due date is still
        ``derived`` (what the form showed), it is worked out again for the contact and invoice date
        entered now. Returns the input (with that due date) and the date to remember as derived; None
        once the person chose their own, which is then never overridden."""
        if derived is None or entered.due_date != derived or entered.invoice_date is None:
            return entered, None
        due = self.due_date_for(entered.contact, entered.invoice_date)
        return replace(entered, due_date=due), due

    def validate(self, entered: InvoiceInput) -> list[FieldError]:
        with self.db.session() as s:
            return validate(s, entered, self.line_amount_types)

    # --- reading ---------------------------------------------------------------------------

    def draft(self, draft_id: int) -> DraftSummary | None:
        with self.db.session() as s:
            draft = s.get(InvoiceDraft, draft_id)
            return summary(s, draft) if draft is not None else None

    # --- submitting ------------------------------------------------------------------------

    def submit(self, user_id: str, entered: InvoiceInput, submission_key: str, *,
               lookup: ProfileLookup | None = None) -> SubmitOutcome:
        """Store the draft, create it in Xero as DRAFT, ask finance to approve. ``submission_key`` is
        the adapter's id for this one submission (a modal's view id). With ``lookup``, a person who is
        not an approver may only invoice their own opportunities (what the form offered them)."""
        errors = self.validate(entered)
        if errors:
            return SubmitOutcome(False, errors=errors)
        if lookup is not None and not self._may_invoice(user_id, entered.opportunity_id, lookup):
            return SubmitOutcome(False, errors=[FieldError("form", "Only the opportunity's owner or finance can "
                                                                   "invoice it.")])
        key = draft_key(submission_key)
        try:  # one submission per opportunity at a time, across processes: the check and the insert together
            with self.db.lease(f"invoice-opportunity:{entered.opportunity_id}", ttl=timedelta(seconds=30), wait=5.0):
                found = self._store_draft(user_id, entered, key)
        except LeaseBusy:
            return SubmitOutcome(False, errors=[FieldError("form", "An invoice for this opportunity is being submitted "
                                                                   "right now; try again in a moment.")])
        if isinstance(found, SubmitOutcome):
            return found
        draft_id, repeated = found
        if repeated:
            return self._repeat(draft_id, user_id, entered)
        return self._create_in_xero(draft_id, user_id, entered)

    def _store_draft(self, user_id: str, entered: InvoiceInput, key: str) -> tuple[int, bool] | SubmitOutcome:
        """(draft id, whether this submission was seen before), or why it can't be stored."""
        now = self.clock()
        with self.db.session() as s:
            existing = s.scalar(select(InvoiceDraft.id).where(InvoiceDraft.idempotency_key == key))
            if existing is not None:
                return existing, True
            opp = s.get(SfOpportunity, entered.opportunity_id)
            busy = forms.open_draft_for(s, entered.opportunity_id)
            if opp is None or busy is not None or opp.xero_invoice_number:
                why = (f"This opportunity already has invoice draft {busy.id} "
                       f"({states.WORDS.get(busy.status, busy.status)})." if busy is not None else
                       f"This opportunity is already invoiced ({opp.xero_invoice_number})." if opp is not None
                       else "That opportunity is not in Paidup's copy of Salesforce.")
                return SubmitOutcome(False, errors=[FieldError("form", why)])
        try:
            with self.db.session() as s:
                opp = s.get(SfOpportunity, entered.opportunity_id)
                assert opp is not None
                draft = InvoiceDraft(requested_by=user_id, status=states.SUBMITTING, version=1, idempotency_key=key,
                                     sf_account_id=opp.account_id, created_at=now, updated_at=now)
                fill(draft, entered, self._price(s, entered), self.line_amount_types)
                if entered.contact == NEW_CONTACT:
                    account = s.get(SfAccount, opp.account_id) if opp.account_id else None
                    draft.new_contact = _new_contact_json(account) if account else None
                s.add(draft)
                s.flush()
                audit(s, draft, user_id, "submitted", now, total=str(draft.total), currency=draft.currency,
                      lines=len(draft.lines))
                return draft.id, False
        except IntegrityError:  # the same submission raced us in another process: one draft
            with self.db.session() as s:
                existing = s.scalar(select(InvoiceDraft.id).where(InvoiceDraft.idempotency_key == key))
                assert existing is not None
                return existing, True

    def _repeat(self, draft_id: int, user_id: str, entered: InvoiceInput) -> SubmitOutcome:
        """The same submission again: report the draft as it is, finish one a crash left behind, or
        (after Xero refused it) try again with what the person has now."""
        with self.db.session() as s:
            draft = _load(s, draft_id)
            status, stale = draft.status, self.clock() - draft.updated_at > RESUME_AFTER
            if status == states.FAILED:
                if not claim(s, draft, (states.FAILED,), states.SUBMITTING, self.clock(), last_error=None):
                    return SubmitOutcome(False, summary(s, draft), [FieldError("form", "This draft is being "
                                                                   "submitted already.")], repeated=True)
                fill(draft, entered, self._price(s, entered), self.line_amount_types)
                audit(s, draft, user_id, "resubmitted", self.clock(), total=str(draft.total))
            elif status == states.SUBMITTING and stale:
                pass  # a crash left it here: finish it with the same Idempotency-Key
            else:
                return SubmitOutcome(status not in (states.SUBMITTING,), summary(s, draft), repeated=True)
        return self._create_in_xero(draft_id, user_id, entered)

    def _create_in_xero(self, draft_id: int, user_id: str, entered: InvoiceInput | None) -> SubmitOutcome:
        with self.db.session() as s:
            draft = _load(s, draft_id)
            assert draft.status == states.SUBMITTING
            if entered is None:
                entered = input_of(draft)
            try:
                contact_id = self._ensure_contact(s, draft, user_id)
                payload = _new_invoice(draft, contact_id)
                key = xero_key(draft, "create")
            except XeroError as exc:
                return self._refused(s, draft, user_id, exc, entered)
        try:
            invoice = self._xero().create_invoice(payload, idempotency_key=key)
        except XeroError as exc:
            with self.db.session() as s:
                draft = _load(s, draft_id)
                return self._refused(s, draft, user_id, exc, entered)
        self.checkpoint("xero_created")
        with self.db.session() as s:
            draft = _load(s, draft_id)
            warnings = self._adopt_totals(s, draft, invoice, user_id)
            if not claim(s, draft, (states.SUBMITTING,), states.AWAITING_APPROVAL, self.clock(),
                         xero_invoice_id=invoice.invoice_id, xero_invoice_number=invoice.invoice_number,
                         xero_updated_at=invoice.updated_date_utc, sub_total=draft.sub_total,
                         total_tax=draft.total_tax, total=draft.total, last_error=draft.last_error):
                return SubmitOutcome(True, summary(s, draft), repeated=True)  # a retry finished it first
            audit(s, draft, user_id, "xero_draft_created", self.clock(), invoice_number=invoice.invoice_number,
                  total=str(invoice.total), idempotency_key=key)
            result = summary(s, draft)
        posted = self._notify(lambda n: n.request_approval(result))
        if posted is not None:
            with self.db.session() as s:
                row = s.get(InvoiceDraft, draft_id)
                assert row is not None
                row.approval_channel, row.approval_ts = posted.channel, posted.ts
                result = summary(s, row)
        return SubmitOutcome(True, result, warnings=warnings)

    def _ensure_contact(self, s: Session, draft: InvoiceDraft, user_id: str) -> str:
        """The draft's Xero contact; created from the Salesforce account (and linked) when asked for."""
        if draft.xero_contact_id:
            if draft.sf_account_id and not s.scalar(select(AccountLink.id).where(
                    AccountLink.sf_account_id == draft.sf_account_id,
                    AccountLink.xero_contact_id == draft.xero_contact_id)):
                link_explicitly(s, draft.sf_account_id, draft.xero_contact_id, user_id, self.clock())
                audit(s, draft, user_id, "contact_linked", self.clock(), contact_id=draft.xero_contact_id)
            return draft.xero_contact_id
        details = draft.new_contact or {}
        contact = self._xero().create_contact(NewContact.model_validate(details),
                                              idempotency_key=f"paidup-{draft.id}-{draft.idempotency_key[4:28]}-contact")
        draft.xero_contact_id = contact.contact_id
        insert_ignoring_duplicates(s, XeroContact, [_contact_row(contact.contact_id, details, self.clock())], ["id"])
        if draft.sf_account_id:
            link_explicitly(s, draft.sf_account_id, contact.contact_id, user_id, self.clock(), method="created")
        audit(s, draft, user_id, "contact_created", self.clock(), contact_id=contact.contact_id,
              name=details.get("Name"))
        s.flush()
        return contact.contact_id

    def _refused(self, s: Session, draft: InvoiceDraft, user_id: str, exc: XeroError,
                 entered: InvoiceInput) -> SubmitOutcome:
        if isinstance(exc, XeroValidationError):
            errors = [FieldError(field_for_xero_message(m, entered), f"Xero: {m}") for m in exc.messages] or \
                [FieldError("form", f"Xero refused the invoice: {exc}")]
            claim(s, draft, (states.SUBMITTING,), states.FAILED, self.clock(), last_error="; ".join(exc.messages))
            audit(s, draft, user_id, "xero_refused", self.clock(), messages=exc.messages)
            return SubmitOutcome(False, summary(s, draft), errors)
        # Not an answer about the invoice (Xero down, quota, network): Xero may or may not have it; the
        # draft stays "submitting" and the same Idempotency-Key finishes it later, once.
        draft.last_error = str(exc)
        audit(s, draft, user_id, "xero_unavailable", self.clock(), error=str(exc))
        return SubmitOutcome(False, summary(s, draft), [FieldError(
            "form", "Xero didn't answer, so the draft is not confirmed yet. Submit again in a minute: Paidup "
                    "finishes the same draft, it never makes a second one.")])

    def _adopt_totals(self, s: Session, draft: InvoiceDraft, invoice: Invoice, user_id: str) -> list[str]:
        """Xero's totals become the draft's; a difference from Paidup's own arithmetic is reported."""
        ours = (draft.sub_total, draft.total_tax, draft.total)
        theirs = (invoice.sub_total, invoice.total_tax, invoice.total)
        warnings = []
        if None not in theirs and tuple(Decimal(v) for v in theirs) != ours:  # type: ignore[arg-type]
            warning = (f"Xero's totals differ from Paidup's: total {format_money(invoice.total, draft.currency)} in "
                       f"Xero, {format_money(draft.total, draft.currency)} computed (tax "
                       f"{format_money(invoice.total_tax, draft.currency)} vs "
                       f"{format_money(draft.total_tax, draft.currency)}). Xero's figures are shown; check the tax "
                       "rates in Xero.")
            warnings.append(warning)
            draft.last_error = warning
            audit(s, draft, user_id, "totals_mismatch", self.clock(), ours=list(ours), xero=list(theirs))
        if None not in theirs:
            draft.sub_total, draft.total_tax, draft.total = (Decimal(v) for v in theirs)  # type: ignore[arg-type]
        for row, line in zip(draft.lines, invoice.line_items, strict=False):
            if line.line_amount is not None:
                row.line_amount = line.line_amount
        return warnings

    # --- deciding --------------------------------------------------------------------------

    def approve(self, draft_id: int, user_id: str) -> DecisionOutcome:
        """AUTHORISED in Xero (emailed if ``send_on_approve``), the Opportunity written back, the card and
        the rep told. Only approvers; with four-eyes never the requester; once, whoever clicks."""
        with self.db.session() as s:
            draft = s.get(InvoiceDraft, draft_id)
            refusal = self._may_decide(s, draft, user_id, approving=True)
            if refusal is not None:
                return refusal
            assert draft is not None
            if not claim(s, draft, (states.AWAITING_APPROVAL,), states.APPROVING, self.clock(), decided_by=user_id):
                return self._lost_race(s, draft_id)
            audit(s, draft, user_id, "approval_started", self.clock())
        changed = self._changed_in_xero(draft_id, user_id, states.APPROVING)
        if changed is not None:
            return changed
        return self._finish_approval(draft_id, user_id)

    def _finish_approval(self, draft_id: int, user_id: str) -> DecisionOutcome:
        with self.db.session() as s:
            draft = _load(s, draft_id)
            assert draft.status == states.APPROVING and draft.xero_invoice_id
            invoice_id, key = draft.xero_invoice_id, xero_key(draft, "authorise")
        try:
            invoice = self._xero().authorise_invoice(invoice_id, idempotency_key=key)
        except XeroError as exc:
            return self._back_to_waiting(draft_id, user_id, "approve", exc)
        self.checkpoint("xero_authorised")
        warnings = self._after_authorised(draft_id, invoice, key)
        with self.db.session() as s:
            draft = _load(s, draft_id)
            if not claim(s, draft, (states.APPROVING,), states.APPROVED, self.clock(), decided_by=user_id,
                         decided_at=self.clock(), xero_updated_at=invoice.updated_date_utc,
                         xero_invoice_number=invoice.invoice_number, last_error="; ".join(warnings) or None):
                return self._lost_race(s, draft_id)
            self._write_back_mirror(s, draft, invoice)
            audit(s, draft, user_id, "approved", self.clock(), invoice_number=invoice.invoice_number,
                  xero_status=invoice.status, warnings=warnings)
            result = summary(s, draft)
        self._tell(result, "approved")
        self._refresh([invoice.invoice_id])
        message = f"Approved: {result.xero_invoice_number} is AUTHORISED in Xero."
        return DecisionOutcome(True, "approved", message, result, warnings=warnings)

    def _after_authorised(self, draft_id: int, invoice: Invoice, key: str) -> list[str]:
        """Email (if configured) and the Salesforce write-back; each failure is a warning, not a rollback."""
        warnings = []
        if self.config.xero.send_on_approve:
            try:
                self._xero().email_invoice(invoice.invoice_id, idempotency_key=key + "-email")
            except XeroError as exc:
                warnings.append(f"Xero did not email the invoice: {exc}")
        problem = self._write_back(draft_id, invoice.invoice_id, invoice.invoice_number, invoice.status)
        return [*warnings, *([problem] if problem else [])]

    def _write_back(self, draft_id: int, invoice_id: str, number: str | None, status: str) -> str | None:
        """The ``salesforce.writeback`` fields on the Opportunity; the problem in words, or None. A field the
        org lacks is a setup problem (said once); anything else is retried by ``recover``."""
        with self.db.session() as s:
            opportunity_id = _load(s, draft_id).opportunity_id
            url = xero_url(s, invoice_id)
        if not opportunity_id:
            return None
        values = {"invoice_number": number, "invoice_url": url, "invoice_status": status}
        try:
            self._salesforce().write_back(opportunity_id, values, self.config.salesforce.writeback.model_dump())
        except (SalesforceInvalidField, ValueError) as exc:
            return f"Salesforce write-back failed: {exc}"
        except SalesforceError as exc:
            return f"{WRITEBACK_RETRY}: {exc}"
        return None

    def _retry_write_backs(self, cutoff: datetime) -> list[int]:
        """Approved drafts whose Opportunity write-back failed for a passing reason: try again."""
        with self.db.session() as s:
            pending = s.execute(select(InvoiceDraft.id, InvoiceDraft.xero_invoice_id, InvoiceDraft.xero_invoice_number)
                                .where(InvoiceDraft.status == states.APPROVED, InvoiceDraft.updated_at < cutoff,
                                       InvoiceDraft.last_error.contains(WRITEBACK_RETRY))).all()
        done = []
        for draft_id, invoice_id, number in pending:
            if not invoice_id or self._write_back(draft_id, invoice_id, number, "AUTHORISED") is not None:
                continue
            with self.db.session() as s:
                draft = _load(s, draft_id)
                rest = [w for w in (draft.last_error or "").split("; ") if WRITEBACK_RETRY not in w]
                draft.last_error = "; ".join(rest) or None
                audit(s, draft, "system", "written_back", self.clock(), invoice_number=number)
                result = summary(s, draft)
            self._refresh_card(result)
            done.append(draft_id)
        return done

    def _write_back_mirror(self, s: Session, draft: InvoiceDraft, invoice: Invoice) -> None:
        """The mirror's opportunity shows the invoice at once (the next Salesforce sync brings the same)."""
        opp = s.get(SfOpportunity, draft.opportunity_id) if draft.opportunity_id else None
        if opp is not None:
            opp.xero_invoice_number = invoice.invoice_number
            opp.xero_invoice_status = invoice.status
            opp.xero_invoice_url = xero_url(s, invoice.invoice_id)

    def reject(self, draft_id: int, user_id: str, reason: str) -> DecisionOutcome:
        """The Xero draft deleted, the reason kept and told to the rep (who can fix and resubmit)."""
        reason = reason.strip()
        if not reason:
            return DecisionOutcome(False, "invalid", "Say why the draft is rejected, so the rep can fix it.",
                                   errors=[FieldError("reason", "Say why, so the rep can fix it.")])
        with self.db.session() as s:
            draft = s.get(InvoiceDraft, draft_id)
            refusal = self._may_decide(s, draft, user_id, approving=False)
            if refusal is not None:
                return refusal
            assert draft is not None
            if not claim(s, draft, (states.AWAITING_APPROVAL,), states.REJECTING, self.clock(), decided_by=user_id,
                         reject_reason=reason[:2000]):
                return self._lost_race(s, draft_id)
        return self._finish_rejection(draft_id, user_id)

    def _finish_rejection(self, draft_id: int, user_id: str) -> DecisionOutcome:
        with self.db.session() as s:
            draft = _load(s, draft_id)
            assert draft.status == states.REJECTING
            invoice_id, key = draft.xero_invoice_id, xero_key(draft, "delete")
        if invoice_id:
            try:
                self._xero().delete_invoice(invoice_id, idempotency_key=key)
            except XeroValidationError as exc:
                if not self._already_gone(invoice_id):
                    return self._back_to_waiting(draft_id, user_id, "reject", exc)
            except XeroError as exc:
                return self._back_to_waiting(draft_id, user_id, "reject", exc)
        self.checkpoint("xero_deleted")
        with self.db.session() as s:
            draft = _load(s, draft_id)
            if not claim(s, draft, (states.REJECTING,), states.REJECTED, self.clock(), decided_at=self.clock()):
                return self._lost_race(s, draft_id)
            audit(s, draft, user_id, "rejected", self.clock(), reason=draft.reject_reason, xero_deleted=invoice_id)
            result = summary(s, draft)
        self._tell(result, "rejected")
        return DecisionOutcome(True, "rejected", "Rejected: the Xero draft is deleted and the rep is told why.",
                               result)

    def _already_gone(self, invoice_id: str) -> bool:
        try:
            return self._xero().get_invoice(invoice_id).status in ("DELETED", "VOIDED")
        except XeroError:
            return False

    def edit(self, draft_id: int, user_id: str, entered: InvoiceInput) -> DecisionOutcome:
        """Save an edit to the Xero draft, unless someone changed it in Xero meanwhile (then that is
        shown and nothing is overwritten)."""
        errors = self.validate(entered)
        if errors:
            return DecisionOutcome(False, "invalid", "Some fields need fixing.", errors=errors)
        if entered.contact == NEW_CONTACT:
            return DecisionOutcome(False, "invalid", "Choose an existing Xero contact when editing.",
                                   errors=[FieldError("contact", "Choose an existing Xero contact when editing.")])
        with self.db.session() as s:
            draft = s.get(InvoiceDraft, draft_id)
            if draft is None:
                return DecisionOutcome(False, "not_found", "That invoice draft no longer exists.")
            if draft.requested_by != user_id and not self.is_approver(user_id):
                return DecisionOutcome(False, "not_allowed", "Only finance or the requester can edit this draft.",
                                       summary(s, draft))
            before = summary(s, draft)
            if not claim(s, draft, (states.AWAITING_APPROVAL,), states.UPDATING, self.clock()):
                return self._lost_race(s, draft_id)
        changed = self._changed_in_xero(draft_id, user_id, states.UPDATING)
        if changed is not None:
            return changed
        with self.db.session() as s:
            draft = _load(s, draft_id)
            fill(draft, entered, self._price(s, entered), self.line_amount_types)
            audit(s, draft, user_id, "edit_started", self.clock(), total_before=str(before.total.amount),
                  total_after=str(draft.total))
        return self._finish_edit(draft_id, user_id, before)

    def _finish_edit(self, draft_id: int, user_id: str, before: DraftSummary | None) -> DecisionOutcome:
        with self.db.session() as s:
            draft = _load(s, draft_id)
            assert draft.status == states.UPDATING and draft.xero_invoice_id
            invoice_id, key = draft.xero_invoice_id, xero_key(draft, "update")
            new = _new_invoice(draft, draft.xero_contact_id or "")
            changes = InvoiceUpdate(contact=new.contact, line_items=new.line_items, date=new.date,
                                    due_date=new.due_date, currency_code=new.currency_code,
                                    line_amount_types=new.line_amount_types, reference=new.reference)
        try:
            invoice = self._xero().update_invoice(invoice_id, changes, idempotency_key=key)
        except XeroError as exc:
            return self._back_to_waiting(draft_id, user_id, "edit", exc, restore=before)
        self.checkpoint("xero_updated")
        with self.db.session() as s:
            draft = _load(s, draft_id)
            warnings = self._adopt_totals(s, draft, invoice, user_id)
            if not claim(s, draft, (states.UPDATING,), states.AWAITING_APPROVAL, self.clock(),
                         xero_updated_at=invoice.updated_date_utc, sub_total=draft.sub_total,
                         total_tax=draft.total_tax, total=draft.total, last_error="; ".join(warnings) or None):
                return self._lost_race(s, draft_id)
            audit(s, draft, user_id, "edited", self.clock(), total=str(draft.total),
                  total_before=str(before.total.amount) if before else None)
            result = summary(s, draft)
        self._refresh_card(result)
        if result.requested_by != user_id:
            self._tell(result, "edited")
        return DecisionOutcome(True, "updated", "Saved: the Xero draft is updated.", result, warnings=warnings)

    # --- guards and recovery -----------------------------------------------------------------

    def _may_decide(self, s: Session, draft: InvoiceDraft | None, user_id: str, *,
                    approving: bool) -> DecisionOutcome | None:
        if draft is None:
            return DecisionOutcome(False, "not_found", "That invoice draft no longer exists.")
        if not self.is_approver(user_id):
            return DecisionOutcome(False, "not_allowed", "Only finance approvers (the approvers named in app.yml) "
                                   "can approve or reject invoice drafts.", summary(s, draft))
        if approving and self.config.approvals.four_eyes and draft.requested_by == user_id:
            return DecisionOutcome(False, "four_eyes", "Four eyes: you asked for this invoice, so someone else in "
                                   "finance has to approve it.", summary(s, draft))
        if draft.status != states.AWAITING_APPROVAL:
            return self._lost_race(s, draft.id)
        return None

    def _lost_race(self, s: Session, draft_id: int) -> DecisionOutcome:
        s.expire_all()
        draft = _load(s, draft_id)
        result = summary(s, draft)
        who = f" by <@{draft.decided_by}>" if draft.decided_by else ""
        if draft.status in states.FINAL:
            return DecisionOutcome(False, "already_decided", f"Draft {draft.id} is already {states.WORDS[draft.status]}"
                                   f"{who if draft.status != states.FAILED else ''}.", result)
        return DecisionOutcome(False, "busy", f"Draft {draft.id} is {states.WORDS[draft.status]}{who} right now.",
                               result)

    def _back_to_waiting(self, draft_id: int, user_id: str, what: str, exc: XeroError,
                         restore: DraftSummary | None = None) -> DecisionOutcome:
        """Xero refused (or didn't answer): the draft waits for a decision again, with the reason."""
        with self.db.session() as s:
            draft = _load(s, draft_id)
            if not isinstance(exc, XeroValidationError):
                draft.last_error = str(exc)  # stays transitional: the same key finishes it once (recover)
                audit(s, draft, user_id, f"{what}_xero_unavailable", self.clock(), error=str(exc))
                return DecisionOutcome(False, "xero_error", f"Xero didn't answer ({exc}). Paidup repeats the same "
                                       "request within a few minutes, so it happens once; the card shows when.",
                                       summary(s, draft))
            message = "; ".join(exc.messages) or str(exc)
            if restore is not None:  # an edit Xero refused: the draft keeps what Xero has
                self._restore(s, draft, restore)
            claim(s, draft, (draft.status,), states.AWAITING_APPROVAL, self.clock(), last_error=message,
                  decided_by=None, reject_reason=None)
            audit(s, draft, user_id, f"{what}_refused_by_xero", self.clock(), messages=exc.messages)
            return DecisionOutcome(False, "xero_error", f"Xero refused to {what} it: {message}", summary(s, draft),
                                   errors=[FieldError("form", f"Xero: {m}") for m in exc.messages])

    @staticmethod
    def _restore(s: Session, draft: InvoiceDraft, before: DraftSummary) -> None:
        draft.lines = line_rows([LineInput(f"l{n}", line.description, line.quantity, line.unit_amount,
                                           line.discount_rate, line.account_code, line.tax_type, line.item_code)
                                 for n, line in enumerate(before.lines, start=1)])
        for row, line in zip(draft.lines, before.lines, strict=True):
            row.line_amount = line.line_amount
        draft.sub_total, draft.total_tax, draft.total = (before.sub_total.amount, before.total_tax.amount,
                                                         before.total.amount)
        draft.invoice_date, draft.due_date, draft.reference = before.invoice_date, before.due_date, before.reference

    def _changed_in_xero(self, draft_id: int, user_id: str, claimed: str) -> DecisionOutcome | None:
        """Someone changed the Xero draft since Paidup last saw it: adopt Xero's version (so nothing is
        overwritten), put the draft back to waiting and say what changed."""
        with self.db.session() as s:
            draft = _load(s, draft_id)
            assert draft.xero_invoice_id
            invoice_id, seen = draft.xero_invoice_id, draft.xero_updated_at
        try:
            invoice = self._xero().get_invoice(invoice_id)
        except XeroError as exc:  # nothing was sent to Xero yet: the draft simply waits again
            with self.db.session() as s:
                draft = _load(s, draft_id)
                claim(s, draft, (claimed,), states.AWAITING_APPROVAL, self.clock(), decided_by=None,
                      last_error=f"Xero could not be reached to check the draft: {exc}")
                return DecisionOutcome(False, "xero_error", f"Xero could not be reached to check the draft first "
                                       f"({exc}); nothing changed. Try again in a minute.", summary(s, draft))
        if seen is not None and invoice.updated_date_utc == seen and invoice.status == "DRAFT":
            return None
        with self.db.session() as s:
            draft = _load(s, draft_id)
            changes = _differences(draft, invoice)
            if invoice.status != "DRAFT":
                target, words = states.FAILED, f"it is {invoice.status} in Xero now"
            else:
                target, words = states.AWAITING_APPROVAL, "someone changed it in Xero meanwhile"
                _adopt_invoice(draft, invoice)
            claim(s, draft, (claimed,), target, self.clock(), xero_updated_at=invoice.updated_date_utc,
                  decided_by=None, last_error=f"Changed in Xero: {words}")
            audit(s, draft, user_id, "changed_in_xero", self.clock(),
                  changes=[{"field": c.field, "paidup": c.ours, "xero": c.xeros} for c in changes])
            result = summary(s, draft)
        self._refresh_card(result)
        listed = "; ".join(f"{c.field}: {c.ours} → {c.xeros}" for c in changes) or "its details"
        return DecisionOutcome(False, "changed_in_xero", f"Not done: {words} ({listed}). The draft now shows "
                               "Xero's version; look it over and try again.", result, changes)

    def recover(self, older_than: timedelta = RESUME_AFTER) -> list[int]:
        """Finish drafts a crash left in a transitional state, repeating the same Xero call with the
        same Idempotency-Key (Xero does it once), and retry Opportunity write-backs Salesforce refused
        for a passing reason. Returns the drafts it finished."""
        cutoff = self.clock() - older_than
        with self.db.session() as s:
            stuck = s.execute(select(InvoiceDraft.id, InvoiceDraft.status, InvoiceDraft.requested_by,
                                     InvoiceDraft.decided_by)
                              .where(InvoiceDraft.status.in_(states.TRANSITIONAL),
                                     InvoiceDraft.updated_at < cutoff)).all()
        done = []
        for draft_id, status, requested_by, decided_by in stuck:
            try:
                if status == states.SUBMITTING:
                    ok = self._create_in_xero(draft_id, requested_by, None).ok
                elif status == states.APPROVING:
                    ok = self._finish_approval(draft_id, decided_by or "system").ok
                elif status == states.REJECTING:
                    ok = self._finish_rejection(draft_id, decided_by or "system").ok
                else:
                    ok = self._finish_edit(draft_id, "system", None).ok
            except Exception:
                log.exception("invoicing.recover_failed", extra={"draft": draft_id})
                continue
            if ok:
                done.append(draft_id)
        return done + self._retry_write_backs(cutoff)

    # --- telling people ----------------------------------------------------------------------

    def _notify(self, send: Callable[[InvoiceNotifier], object]) -> object:
        try:
            return send(self._notifier())
        except Exception:  # a chat hiccup never undoes an invoice
            log.exception("invoicing.notify_failed")
            return None

    def _refresh(self, invoice_ids: list[str]) -> None:
        if self._refresh_mirror is None:
            return
        try:
            self._refresh_mirror(invoice_ids)
        except Exception:  # the next sync brings it anyway
            log.exception("invoicing.mirror_refresh_failed", extra={"invoices": invoice_ids})

    def _refresh_card(self, draft: DraftSummary) -> None:
        ref = draft.approval_message
        if ref is not None:
            self._notify(lambda n: n.refresh_approval(ref, draft))

    def _tell(self, draft: DraftSummary, event: str) -> None:
        self._refresh_card(draft)
        self._notify(lambda n: n.tell_requester(draft, event))


def _load(s: Session, draft_id: int) -> InvoiceDraft:
    draft = s.get(InvoiceDraft, draft_id)
    if draft is None:
        raise LookupError(f"invoice draft {draft_id} does not exist")
    return draft


# --- Xero payloads -------------------------------------------------------------------------


def _new_invoice(draft: InvoiceDraft, contact_id: str) -> NewInvoice:
    lines = [NewLineItem(description=line.description, quantity=line.quantity, unit_amount=line.unit_amount,
                         account_code=line.account_code, tax_type=line.tax_type, item_code=line.item_code,
                         discount_rate=line.discount_rate) for line in draft.lines]
    return NewInvoice(contact=ContactRef(contact_id=contact_id), line_items=lines, date=draft.invoice_date,
                      due_date=draft.due_date, currency_code=draft.currency,
                      line_amount_types=draft.line_amount_types,  # type: ignore[arg-type]
                      reference=draft.reference)


def _new_contact_json(account: SfAccount) -> dict[str, object]:
    address = {"AddressType": "POBOX", "AddressLine1": account.billing_street, "City": account.billing_city,
               "Region": account.billing_state, "PostalCode": account.billing_postal_code,
               "Country": account.billing_country}
    body: dict[str, object] = {"Name": account.name, "ContactNumber": account.id}
    if any(v for k, v in address.items() if k != "AddressType"):
        body["Addresses"] = [{k: v for k, v in address.items() if v}]
    return body


def _contact_row(contact_id: str, details: dict[str, object], now: datetime) -> dict[str, object]:
    contact = Contact(contact_id=contact_id, name=str(details.get("Name") or ""),
                      contact_number=str(details.get("ContactNumber") or "") or None, contact_status="ACTIVE",
                      addresses=[Address.model_validate(a) for a in details.get("Addresses") or []])  # type: ignore[union-attr]
    return contact_row(contact, now)


def _differences(draft: InvoiceDraft, invoice: Invoice) -> list[XeroChange]:
    pairs = [
        ("status", "DRAFT", invoice.status),
        ("total", format_money(draft.total, draft.currency),
         format_money(invoice.total, invoice.currency_code or draft.currency) if invoice.total is not None else "?"),
        ("lines", str(len(draft.lines)), str(len(invoice.line_items))),
        ("reference", draft.reference or "", invoice.reference or ""),
        ("due date", draft.due_date.isoformat(), invoice.due_date.isoformat() if invoice.due_date else ""),
        ("invoice date", draft.invoice_date.isoformat(), invoice.date.isoformat() if invoice.date else ""),
        ("currency", draft.currency, invoice.currency_code or draft.currency),
    ]
    return [XeroChange(name, ours, theirs) for name, ours, theirs in pairs if ours != theirs]


def _adopt_invoice(draft: InvoiceDraft, invoice: Invoice) -> None:
    draft.lines = [InvoiceDraftLine(
        position=n, description=line.description or "", quantity=line.quantity or Decimal(1),
        unit_amount=line.unit_amount or Decimal(0), discount_rate=line.discount_rate, item_code=line.item_code,
        account_code=line.account_code or "", tax_type=line.tax_type or "", line_amount=line.line_amount or Decimal(0))
        for n, line in enumerate(invoice.line_items, start=1)]
    if invoice.total is not None:
        draft.sub_total = invoice.sub_total or Decimal(0)
        draft.total_tax = invoice.total_tax or Decimal(0)
        draft.total = invoice.total
    draft.reference = invoice.reference or None
    draft.invoice_date = invoice.date or draft.invoice_date
    draft.due_date = invoice.due_date or draft.due_date
    draft.currency = invoice.currency_code or draft.currency
    if invoice.contact is not None:
        draft.xero_contact_id = invoice.contact.contact_id
