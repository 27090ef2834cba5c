"""Bulletins (immutable versions), drafts, photos of paper pages.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bulletins",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("control_id", sa.Integer, sa.ForeignKey("controls.id"), nullable=False),
        sa.Column("number", sa.String(30), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("previous_id", sa.Integer, sa.ForeignKey("bulletins.id")),
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("pdf_path", sa.String(300), nullable=False),
        sa.Column("driver_token", sa.String(64), unique=True),
        sa.Column("driver_token_expires", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("number", "version", name="uq_bulletins_number_version"),
    )
    op.create_index("ix_bulletins_control_id", "bulletins", ["control_id"])
    op.create_index("ix_bulletins_number", "bulletins", ["number"])
    op.create_table(
        "bulletin_drafts",
        sa.Column("control_id", sa.Integer, sa.ForeignKey("controls.id"), primary_key=True),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "page_photos",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("control_id", sa.Integer, sa.ForeignKey("controls.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("path", sa.String(300), nullable=False),
        sa.Column("original_path", sa.String(300), nullable=False),
        sa.Column("sharpness", sa.Integer, nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_page_photos_control_id", "page_photos", ["control_id"])


def downgrade() -> None:
    op.drop_table("page_photos")
    op.drop_table("bulletin_drafts")
    op.drop_table("bulletins")
