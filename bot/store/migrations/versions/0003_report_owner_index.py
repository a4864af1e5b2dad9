"""Reports: deal owners by invoice number in close-date order (replaces the plain invoice-number index).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_sf_opportunities_invoice_owner", "sf_opportunities",
                    ["xero_invoice_number", "close_date", "id", "is_deleted", "owner_id"])
    op.drop_index("ix_sf_opportunities_invoice_number", table_name="sf_opportunities")


def downgrade() -> None:
    op.create_index("ix_sf_opportunities_invoice_number", "sf_opportunities", ["xero_invoice_number"])
    op.drop_index("ix_sf_opportunities_invoice_owner", table_name="sf_opportunities")
