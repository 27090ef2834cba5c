"""Service schedules (horaire de service, annex I) recorded at a control of that type.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "service_schedules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("control_id", sa.Integer, sa.ForeignKey("controls.id"), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("stated_activity", sa.String(20), nullable=False),
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("control_id", name="uq_service_schedules_control"),
    )


def downgrade() -> None:
    op.drop_table("service_schedules")
