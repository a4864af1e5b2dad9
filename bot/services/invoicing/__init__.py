"""Invoicing: a closed-won opportunity becomes a Xero invoice that finance approves in chat
(DESIGN.md "Invoice lifecycle in chat"). ``InvoicingService`` is the entry point; the chat adapter
supplies ``InvoiceNotifier`` and ``ApproverDirectory``."""

from bot.services.invoicing.approvers import Approvers
from bot.services.invoicing.model import (
    NEW_CONTACT,
    DecisionOutcome,
    DraftSummary,
    FieldError,
    InvoiceForm,
    InvoiceInput,
    LineInput,
    MessageRef,
    SubmitOutcome,
)
from bot.services.invoicing.ports import ApproverCheck, ApproverDirectory, InvoiceNotifier, NoGroups, NoNotifier
from bot.services.invoicing.service import FormOutcome, InvoicingService, Picker

__all__ = [
    "NEW_CONTACT", "ApproverCheck", "ApproverDirectory", "Approvers", "DecisionOutcome", "DraftSummary", "FieldError",
    "FormOutcome", "InvoiceForm", "InvoiceInput", "InvoiceNotifier", "InvoicingService", "LineInput", "MessageRef",
    "NoGroups", "NoNotifier", "Picker", "SubmitOutcome",
]
