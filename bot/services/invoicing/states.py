"""The invoice draft's states. Every move between them is a conditional UPDATE on (id, version),
so of two clicks, two approvers or a Slack retry exactly one makes the change.

    submitting ──► awaiting_approval ──► approving ──► approved
        │                │   ▲  ▲            │
        ▼                │   │  └────────────┘ (Xero refused, or the draft changed in Xero)
      failed             │   └── updating ◄──┐ (edit saved to the Xero draft)
    (Xero refused)       ▼                   │
                     rejecting ──► rejected  └ awaiting_approval

A transitional state (submitting, approving, updating, rejecting) is held only while Paidup talks
to Xero; one that stays longer means a crash between the Xero call and the commit, and is finished
by repeating the same call with the same Idempotency-Key (``InvoicingService.recover``).
"""

from __future__ import annotations

SUBMITTING = "submitting"
AWAITING_APPROVAL = "awaiting_approval"
APPROVING = "approving"
UPDATING = "updating"
REJECTING = "rejecting"
APPROVED = "approved"
REJECTED = "rejected"
FAILED = "failed"

TRANSITIONAL = (SUBMITTING, APPROVING, UPDATING, REJECTING)
# Waiting for a decision from finance (shown on the App Home and in the approval queue).
WAITING = (AWAITING_APPROVAL, *TRANSITIONAL)
FINAL = (APPROVED, REJECTED, FAILED)
ALL = (*WAITING, *FINAL)

WORDS = {
    SUBMITTING: "being created in Xero", AWAITING_APPROVAL: "waiting for approval", APPROVING: "being approved",
    UPDATING: "being updated", REJECTING: "being rejected", APPROVED: "approved", REJECTED: "rejected",
    FAILED: "not created (Xero refused it)",
}
