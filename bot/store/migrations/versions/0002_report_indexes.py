"""Indexes for reports: invoices by contact and currency, invoices and payments by date, deals by invoice number.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_xero_invoices_report", "xero_invoices",
                    ["contact_id", "currency", "type", "status", "date", "due_date", "total", "amount_due",
                     "currency_rate"])
    op.create_index("ix_xero_invoices_type_date", "xero_invoices", ["type", "date", "currency", "status", "total"])
    op.create_index("ix_xero_payments_date", "xero_payments",
                    ["date", "status", "currency", "amount", "invoice_id", "payment_type"])
    op.create_index("ix_sf_opportunities_invoice_number", "sf_opportunities", ["xero_invoice_number"])


def downgrade() -> None:
    op.drop_index("ix_sf_opportunities_invoice_number", table_name="sf_opportunities")
    op.drop_index("ix_xero_payments_date", table_name="xero_payments")
    op.drop_index("ix_xero_invoices_type_date", table_name="xero_invoices")
    op.drop_index("ix_xero_invoices_report", table_name="xero_invoices")
