"""Transcribed daily sheets of paper LICs, one per day of a control, beside the page photos.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "paper_sheets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("control_id", sa.Integer, sa.ForeignKey("controls.id"), nullable=False),
        sa.Column("photo_id", sa.Integer, sa.ForeignKey("page_photos.id", ondelete="SET NULL")),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("control_id", "day", name="uq_paper_sheets_control_day"),
    )


def downgrade() -> None:
    op.drop_table("paper_sheets")
