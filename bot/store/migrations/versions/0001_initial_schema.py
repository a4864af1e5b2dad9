"""initial schema: mirror, sync, drafts, audit, alerts, tokens

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Reviewed: money columns are scaled integers (bot.store.base.ScaledDecimal), times UTC.
    op.create_table(
        "account_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sf_account_id", sa.String(length=18), nullable=False),
        sa.Column("xero_contact_id", sa.String(length=36), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_links")),
        sa.UniqueConstraint(
            "sf_account_id", "xero_contact_id", name=op.f("uq_account_links_sf_account_id_xero_contact_id")
        ),
    )
    with op.batch_alter_table("account_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_links_sf_account_id"), ["sf_account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_account_links_xero_contact_id"), ["xero_contact_id"], unique=False)

    op.create_table(
        "alert_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=True),
        sa.Column("ts", sa.String(length=64), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_log")),
        sa.UniqueConstraint("kind", "subject", "period", name=op.f("uq_alert_log_kind_subject_period")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("xero_id", sa.String(length=64), nullable=True),
        sa.Column("salesforce_id", sa.String(length=18), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_subject", ["subject_type", "subject_id"], unique=False)

    op.create_table(
        "chat_users",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("platform", sa.String(length=10), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("display_name", sa.String(length=255), nullable=True),
        sa.Column("sf_user_id", sa.String(length=18), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_chat_users")),
    )
    with op.batch_alter_table("chat_users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chat_users_sf_user_id"), ["sf_user_id"], unique=False)

    op.create_table(
        "domain_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domain_events")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_domain_events_dedupe_key")),
    )
    with op.batch_alter_table("domain_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_domain_events_handled_at"), ["handled_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_domain_events_kind"), ["kind"], unique=False)

    op.create_table(
        "invoice_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.String(length=18), nullable=True),
        sa.Column("sf_account_id", sa.String(length=18), nullable=True),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("xero_contact_id", sa.String(length=36), nullable=True),
        sa.Column("new_contact", sa.JSON(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("line_amount_types", sa.String(length=20), nullable=False),
        sa.Column("invoice_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("sub_total", sa.BigInteger(), nullable=False),
        sa.Column("total_tax", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("xero_invoice_id", sa.String(length=36), nullable=True),
        sa.Column("xero_invoice_number", sa.String(length=255), nullable=True),
        sa.Column("xero_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approval_channel", sa.String(length=64), nullable=True),
        sa.Column("approval_ts", sa.String(length=64), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reject_reason", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_drafts")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_invoice_drafts_idempotency_key")),
        sa.UniqueConstraint("xero_invoice_id", name=op.f("uq_invoice_drafts_xero_invoice_id")),
    )
    with op.batch_alter_table("invoice_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoice_drafts_opportunity_id"), ["opportunity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoice_drafts_requested_by"), ["requested_by"], unique=False)
        batch_op.create_index("ix_invoice_drafts_status", ["status", "updated_at"], unique=False)

    op.create_table(
        "invoice_follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("by_user", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_follow_ups")),
    )
    with op.batch_alter_table("invoice_follow_ups", schema=None) as batch_op:
        batch_op.create_index("ix_invoice_follow_ups_invoice", ["invoice_id", "until"], unique=False)

    op.create_table(
        "kv",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_kv")),
    )
    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leases")),
    )
    op.create_table(
        "link_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sf_account_id", sa.String(length=18), nullable=False),
        sa.Column("xero_contact_id", sa.String(length=36), nullable=False),
        sa.Column("score", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_suggestions")),
        sa.UniqueConstraint(
            "sf_account_id", "xero_contact_id", name=op.f("uq_link_suggestions_sf_account_id_xero_contact_id")
        ),
    )
    with op.batch_alter_table("link_suggestions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_link_suggestions_sf_account_id"), ["sf_account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_link_suggestions_xero_contact_id"), ["xero_contact_id"], unique=False)

    op.create_table(
        "oauth_tokens",
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("provider", name=op.f("pk_oauth_tokens")),
    )
    op.create_table(
        "payment_watches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_watches")),
        sa.UniqueConstraint("invoice_id", "user_id", name=op.f("uq_payment_watches_invoice_id_user_id")),
    )
    with op.batch_alter_table("payment_watches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_watches_invoice_id"), ["invoice_id"], unique=False)

    op.create_table(
        "seen_chat_events",
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_seen_chat_events")),
    )
    with op.batch_alter_table("seen_chat_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seen_chat_events_seen_at"), ["seen_at"], unique=False)

    op.create_table(
        "sf_accounts",
        sa.Column("id", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("name_key", sa.String(length=255), nullable=False),
        sa.Column("account_number", sa.String(length=40), nullable=True),
        sa.Column("website", sa.String(length=255), nullable=True),
        sa.Column("website_domain", sa.String(length=255), nullable=True),
        sa.Column("owner_id", sa.String(length=18), nullable=True),
        sa.Column("billing_street", sa.Text(), nullable=True),
        sa.Column("billing_city", sa.String(length=100), nullable=True),
        sa.Column("billing_state", sa.String(length=100), nullable=True),
        sa.Column("billing_postal_code", sa.String(length=40), nullable=True),
        sa.Column("billing_country", sa.String(length=100), nullable=True),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("system_modstamp", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sf_accounts")),
    )
    with op.batch_alter_table("sf_accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sf_accounts_account_number"), ["account_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_sf_accounts_name_key"), ["name_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_sf_accounts_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sf_accounts_website_domain"), ["website_domain"], unique=False)

    op.create_table(
        "sf_opportunities",
        sa.Column("id", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("account_id", sa.String(length=18), nullable=True),
        sa.Column("owner_id", sa.String(length=18), nullable=True),
        sa.Column("stage", sa.String(length=255), nullable=False),
        sa.Column("is_closed", sa.Boolean(), nullable=False),
        sa.Column("is_won", sa.Boolean(), nullable=False),
        sa.Column("close_date", sa.Date(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("has_line_items", sa.Boolean(), nullable=False),
        sa.Column("xero_invoice_number", sa.String(length=255), nullable=True),
        sa.Column("xero_invoice_url", sa.Text(), nullable=True),
        sa.Column("xero_invoice_status", sa.String(length=40), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("system_modstamp", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sf_opportunities")),
    )
    with op.batch_alter_table("sf_opportunities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sf_opportunities_account_id"), ["account_id"], unique=False)
        batch_op.create_index(
            "ix_sf_opportunities_owner_won", ["owner_id", "is_won", "xero_invoice_number"], unique=False
        )

    op.create_table(
        "sf_users",
        sa.Column("id", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("system_modstamp", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sf_users")),
    )
    with op.batch_alter_table("sf_users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sf_users_email"), ["email"], unique=False)

    op.create_table(
        "sync_cursors",
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("cursor", sa.String(length=100), nullable=True),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("full_synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("source", "entity", name=op.f("pk_sync_cursors")),
    )
    op.create_table(
        "sync_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("record_label", sa.String(length=255), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_retry_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ignored_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ignored_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_failures")),
        sa.UniqueConstraint("source", "entity", "record_id", name=op.f("uq_sync_failures_source_entity_record_id")),
    )
    with op.batch_alter_table("sync_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_failures_next_retry_at"), ["next_retry_at"], unique=False)

    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_kind", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_runs")),
    )
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.create_index("ix_sync_runs_source_started", ["source", "started_at"], unique=False)

    op.create_table(
        "webhook_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.String(length=64), nullable=False),
        sa.Column("event_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("event_type", sa.String(length=20), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_events")),
        sa.UniqueConstraint("resource_id", "event_date", name=op.f("uq_webhook_events_resource_id_event_date")),
    )
    with op.batch_alter_table("webhook_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_events_processed_at"), ["processed_at"], unique=False)

    op.create_table(
        "xero_accounts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=True),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("tax_type", sa.String(length=50), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xero_accounts")),
    )
    with op.batch_alter_table("xero_accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_xero_accounts_code"), ["code"], unique=False)

    op.create_table(
        "xero_contacts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("name_key", sa.String(length=255), nullable=False),
        sa.Column("contact_number", sa.String(length=50), nullable=True),
        sa.Column("account_number", sa.String(length=50), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("email_domain", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("default_currency", sa.String(length=3), nullable=True),
        sa.Column("sales_terms_days", sa.Integer(), nullable=True),
        sa.Column("sales_terms_type", sa.String(length=30), nullable=True),
        sa.Column("is_customer", sa.Boolean(), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("updated_at_xero", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xero_contacts")),
    )
    with op.batch_alter_table("xero_contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_xero_contacts_contact_number"), ["contact_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_xero_contacts_email_domain"), ["email_domain"], unique=False)
        batch_op.create_index(batch_op.f("ix_xero_contacts_name_key"), ["name_key"], unique=False)

    op.create_table(
        "xero_credit_notes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=255), nullable=True),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("remaining_credit", sa.BigInteger(), nullable=False),
        sa.Column("updated_at_xero", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xero_credit_notes")),
    )
    with op.batch_alter_table("xero_credit_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_xero_credit_notes_contact_id"), ["contact_id"], unique=False)

    op.create_table(
        "xero_currencies",
        sa.Column("code", sa.String(length=3), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_xero_currencies")),
    )
    op.create_table(
        "xero_invoices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=255), nullable=True),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("currency_rate", sa.BigInteger(), nullable=True),
        sa.Column("line_amount_types", sa.String(length=20), nullable=True),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("sub_total", sa.BigInteger(), nullable=False),
        sa.Column("total_tax", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("amount_due", sa.BigInteger(), nullable=False),
        sa.Column("amount_paid", sa.BigInteger(), nullable=False),
        sa.Column("amount_credited", sa.BigInteger(), nullable=False),
        sa.Column("fully_paid_on", sa.Date(), nullable=True),
        sa.Column("sent_to_contact", sa.Boolean(), nullable=False),
        sa.Column("online_url", sa.Text(), nullable=True),
        sa.Column("updated_at_xero", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xero_invoices")),
    )
    with op.batch_alter_table("xero_invoices", schema=None) as batch_op:
        batch_op.create_index("ix_xero_invoices_contact_status", ["contact_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_xero_invoices_number"), ["number"], unique=False)
        batch_op.create_index("ix_xero_invoices_status_due", ["status", "due_date"], unique=False)

    op.create_table(
        "xero_items",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("unit_price", sa.BigInteger(), nullable=True),
        sa.Column("account_code", sa.String(length=10), nullable=True),
        sa.Column("tax_type", sa.String(length=50), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xero_items")),
    )
    with op.batch_alter_table("xero_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_xero_items_code"), ["code"], unique=False)

    op.create_table(
        "xero_organisation",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("short_code", sa.String(length=20), nullable=True),
        sa.Column("base_currency", sa.String(length=3), nullable=False),
        sa.Column("timezone", sa.String(length=60), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xero_organisation")),
    )
    op.create_table(
        "xero_payments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("invoice_id", sa.String(length=36), nullable=True),
        sa.Column("credit_note_id", sa.String(length=36), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("payment_type", sa.String(length=30), nullable=True),
        sa.Column("updated_at_xero", sa.DateTime(timezone=True), nullable=True),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xero_payments")),
    )
    with op.batch_alter_table("xero_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_xero_payments_invoice_id"), ["invoice_id"], unique=False)

    op.create_table(
        "xero_tax_rates",
        sa.Column("tax_type", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("rate", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("can_apply_to_revenue", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("tax_type", name=op.f("pk_xero_tax_rates")),
    )
    op.create_table(
        "invoice_draft_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("unit_amount", sa.BigInteger(), nullable=False),
        sa.Column("discount_rate", sa.BigInteger(), nullable=True),
        sa.Column("item_code", sa.String(length=30), nullable=True),
        sa.Column("account_code", sa.String(length=10), nullable=False),
        sa.Column("tax_type", sa.String(length=50), nullable=False),
        sa.Column("line_amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["invoice_drafts.id"],
            name=op.f("fk_invoice_draft_lines_draft_id_invoice_drafts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_draft_lines")),
    )
    with op.batch_alter_table("invoice_draft_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoice_draft_lines_draft_id"), ["draft_id"], unique=False)

    op.create_table(
        "sf_opportunity_lines",
        sa.Column("id", sa.String(length=18), nullable=False),
        sa.Column("opportunity_id", sa.String(length=18), nullable=False),
        sa.Column("product_id", sa.String(length=18), nullable=True),
        sa.Column("product_code", sa.String(length=255), nullable=True),
        sa.Column("name", sa.String(length=376), nullable=True),
        sa.Column("description", sa.String(length=255), nullable=True),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("discount", sa.BigInteger(), nullable=True),
        sa.Column("total_price", sa.BigInteger(), nullable=True),
        sa.Column("service_date", sa.Date(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["sf_opportunities.id"],
            name=op.f("fk_sf_opportunity_lines_opportunity_id_sf_opportunities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sf_opportunity_lines")),
    )
    with op.batch_alter_table("sf_opportunity_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sf_opportunity_lines_opportunity_id"), ["opportunity_id"], unique=False)

    op.create_table(
        "xero_invoice_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("line_item_id", sa.String(length=36), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("quantity", sa.BigInteger(), nullable=True),
        sa.Column("unit_amount", sa.BigInteger(), nullable=True),
        sa.Column("discount_rate", sa.BigInteger(), nullable=True),
        sa.Column("item_code", sa.String(length=30), nullable=True),
        sa.Column("account_code", sa.String(length=10), nullable=True),
        sa.Column("tax_type", sa.String(length=50), nullable=True),
        sa.Column("tax_amount", sa.BigInteger(), nullable=True),
        sa.Column("line_amount", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["xero_invoices.id"],
            name=op.f("fk_xero_invoice_lines_invoice_id_xero_invoices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xero_invoice_lines")),
    )
    with op.batch_alter_table("xero_invoice_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_xero_invoice_lines_invoice_id"), ["invoice_id"], unique=False)


def downgrade() -> None:
    # Reviewed: money columns are scaled integers (bot.store.base.ScaledDecimal), times UTC.
    with op.batch_alter_table("xero_invoice_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_xero_invoice_lines_invoice_id"))

    op.drop_table("xero_invoice_lines")
    with op.batch_alter_table("sf_opportunity_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sf_opportunity_lines_opportunity_id"))

    op.drop_table("sf_opportunity_lines")
    with op.batch_alter_table("invoice_draft_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_draft_lines_draft_id"))

    op.drop_table("invoice_draft_lines")
    op.drop_table("xero_tax_rates")
    with op.batch_alter_table("xero_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_xero_payments_invoice_id"))

    op.drop_table("xero_payments")
    op.drop_table("xero_organisation")
    with op.batch_alter_table("xero_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_xero_items_code"))

    op.drop_table("xero_items")
    with op.batch_alter_table("xero_invoices", schema=None) as batch_op:
        batch_op.drop_index("ix_xero_invoices_status_due")
        batch_op.drop_index(batch_op.f("ix_xero_invoices_number"))
        batch_op.drop_index("ix_xero_invoices_contact_status")

    op.drop_table("xero_invoices")
    op.drop_table("xero_currencies")
    with op.batch_alter_table("xero_credit_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_xero_credit_notes_contact_id"))

    op.drop_table("xero_credit_notes")
    with op.batch_alter_table("xero_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_xero_contacts_name_key"))
        batch_op.drop_index(batch_op.f("ix_xero_contacts_email_domain"))
        batch_op.drop_index(batch_op.f("ix_xero_contacts_contact_number"))

    op.drop_table("xero_contacts")
    with op.batch_alter_table("xero_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_xero_accounts_code"))

    op.drop_table("xero_accounts")
    with op.batch_alter_table("webhook_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_events_processed_at"))

    op.drop_table("webhook_events")
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_runs_source_started")

    op.drop_table("sync_runs")
    with op.batch_alter_table("sync_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_failures_next_retry_at"))

    op.drop_table("sync_failures")
    op.drop_table("sync_cursors")
    with op.batch_alter_table("sf_users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sf_users_email"))

    op.drop_table("sf_users")
    with op.batch_alter_table("sf_opportunities", schema=None) as batch_op:
        batch_op.drop_index("ix_sf_opportunities_owner_won")
        batch_op.drop_index(batch_op.f("ix_sf_opportunities_account_id"))

    op.drop_table("sf_opportunities")
    with op.batch_alter_table("sf_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sf_accounts_website_domain"))
        batch_op.drop_index(batch_op.f("ix_sf_accounts_owner_id"))
        batch_op.drop_index(batch_op.f("ix_sf_accounts_name_key"))
        batch_op.drop_index(batch_op.f("ix_sf_accounts_account_number"))

    op.drop_table("sf_accounts")
    with op.batch_alter_table("seen_chat_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seen_chat_events_seen_at"))

    op.drop_table("seen_chat_events")
    with op.batch_alter_table("payment_watches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_watches_invoice_id"))

    op.drop_table("payment_watches")
    op.drop_table("oauth_tokens")
    with op.batch_alter_table("link_suggestions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_suggestions_xero_contact_id"))
        batch_op.drop_index(batch_op.f("ix_link_suggestions_sf_account_id"))

    op.drop_table("link_suggestions")
    op.drop_table("leases")
    op.drop_table("kv")
    with op.batch_alter_table("invoice_follow_ups", schema=None) as batch_op:
        batch_op.drop_index("ix_invoice_follow_ups_invoice")

    op.drop_table("invoice_follow_ups")
    with op.batch_alter_table("invoice_drafts", schema=None) as batch_op:
        batch_op.drop_index("ix_invoice_drafts_status")
        batch_op.drop_index(batch_op.f("ix_invoice_drafts_requested_by"))
        batch_op.drop_index(batch_op.f("ix_invoice_drafts_opportunity_id"))

    op.drop_table("invoice_drafts")
    with op.batch_alter_table("domain_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_domain_events_kind"))
        batch_op.drop_index(batch_op.f("ix_domain_events_handled_at"))

    op.drop_table("domain_events")
    with op.batch_alter_table("chat_users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_users_sf_user_id"))

    op.drop_table("chat_users")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_subject")

    op.drop_table("audit_log")
    op.drop_table("alert_log")
    with op.batch_alter_table("account_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_links_xero_contact_id"))
        batch_op.drop_index(batch_op.f("ix_account_links_sf_account_id"))

    op.drop_table("account_links")
