"""Accounts and controls.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("login", sa.String(100), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "controls",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("departement", sa.String(3), nullable=False),
        sa.Column("commune", sa.String(100), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("plate", sa.String(16), nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("verdict", sa.String(40)),
        sa.Column("issuer", sa.String(100)),
        sa.Column("kid", sa.String(100)),
        sa.Column("cti", sa.String(64)),
        sa.Column("code_iat", sa.DateTime(timezone=True)),
        sa.Column("driver_name", sa.String(200), nullable=False),
        sa.Column("driver_id", sa.String(64), nullable=False),
        sa.Column("employer_siren", sa.String(9), nullable=False),
        sa.Column("employer_name", sa.String(200), nullable=False),
        sa.Column("record", sa.JSON),
        sa.Column("findings", sa.JSON, nullable=False),
        sa.Column("manual_natinf", sa.JSON, nullable=False),
    )
    for column in ("agent_id", "occurred_at", "plate", "cti", "employer_siren"):
        op.create_index(f"ix_controls_{column}", "controls", [column])


def downgrade() -> None:
    op.drop_table("controls")
    op.drop_table("users")
