"""Composite indexes for the common filters combined with a date range.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_controls_kind_occurred": ["kind", "occurred_at"],
    "ix_controls_departement_occurred": ["departement", "occurred_at"],
    "ix_controls_employer_name_occurred": ["employer_name", "occurred_at"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "controls", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, "controls")
