"""Reports: open sales invoices in a small partial index; invoices by date covering owner and base-currency columns.

``ix_xero_invoices_open`` holds only the invoices still owed (AUTHORISED with an amount due): the
receivables, aging and top overdue accounts read it instead of every invoice. ``ix_xero_invoices_dated``
replaces ``ix_xero_invoices_type_date`` (same leading columns, so the monthly series still reads it in
date order) and adds what the period's invoiced and base-currency figures and each invoice's owner need
(rate, amount due, contact, number), so those read no table rows.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None

OPEN = "status = 'AUTHORISED' AND amount_due > 0"


def upgrade() -> None:
    op.create_index("ix_xero_invoices_open", "xero_invoices",
                    ["type", "status", "currency", "contact_id", "due_date", "amount_due", "currency_rate", "number"],
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    op.create_index("ix_xero_invoices_dated", "xero_invoices",
                    ["type", "date", "currency", "status", "total", "currency_rate", "amount_due", "contact_id",
                     "number"])
    op.drop_index("ix_xero_invoices_type_date", table_name="xero_invoices")


def downgrade() -> None:
    op.create_index("ix_xero_invoices_type_date", "xero_invoices", ["type", "date", "currency", "status", "total"])
    op.drop_index("ix_xero_invoices_dated", table_name="xero_invoices")
    op.drop_index("ix_xero_invoices_open", table_name="xero_invoices")
