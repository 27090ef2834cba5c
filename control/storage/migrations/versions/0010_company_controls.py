"""Company controls: the drivers' files an inspector imports, and the report built from them.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "company_controls",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("inspector_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("siren", sa.String(9), nullable=False, server_default=""),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("report_at", sa.DateTime(timezone=True)),
        sa.Column("summary", sa.JSON),
        sa.Column("pdf_path", sa.Text),
        sa.Column("xlsx_path", sa.Text),
    )
    op.create_index("ix_company_controls_created_at", "company_controls", ["created_at"])
    op.create_table(
        "company_files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "company_control_id", sa.Integer, sa.ForeignKey("company_controls.id"), nullable=False
        ),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("content", sa.Text),
        sa.Column("driver_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("problem", sa.Text),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_company_files_control", "company_files", ["company_control_id"])


def downgrade() -> None:
    op.drop_table("company_files")
    op.drop_table("company_controls")
