"""Freshness: the newest finished sync run per source, read backwards from an index (status answers,
App Home, overdue lists, reports and health ask for it; sync_runs grows by a run every few minutes).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_sync_runs_source_finished", "sync_runs", ["source", "finished_at"])


def downgrade() -> None:
    op.drop_index("ix_sync_runs_source_finished", table_name="sync_runs")
