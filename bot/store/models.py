"""Every table, in one import: the mirror and Paidup's own state."""

from bot.store.base import Base
from bot.store.mirror import (
    SfAccount,
    SfOpportunity,
    SfOpportunityLine,
    SfUser,
    XeroAccount,
    XeroContact,
    XeroCreditNote,
    XeroCurrency,
    XeroInvoice,
    XeroInvoiceLine,
    XeroItem,
    XeroOrganisation,
    XeroPayment,
    XeroTaxRate,
)
from bot.store.state import (
    AccountLink,
    AlertLogEntry,
    AuditEntry,
    ChatUser,
    DomainEvent,
    InvoiceDraft,
    InvoiceDraftLine,
    InvoiceFollowUp,
    Kv,
    Lease,
    LinkSuggestion,
    OAuthToken,
    PaymentWatch,
    SeenChatEvent,
    SyncCursor,
    SyncFailure,
    SyncRun,
    WebhookEvent,
)

__all__ = [
    "AccountLink", "AlertLogEntry", "AuditEntry", "Base", "ChatUser", "DomainEvent", "InvoiceDraft",
    "InvoiceDraftLine", "InvoiceFollowUp", "Kv", "Lease", "LinkSuggestion", "OAuthToken", "PaymentWatch",
    "SeenChatEvent", "SfAccount", "SfOpportunity", "SfOpportunityLine", "SfUser", "SyncCursor", "SyncFailure",
    "SyncRun", "WebhookEvent", "XeroAccount", "XeroContact", "XeroCreditNote", "XeroCurrency", "XeroInvoice",
    "XeroInvoiceLine", "XeroItem", "XeroOrganisation", "XeroPayment", "XeroTaxRate",
]
