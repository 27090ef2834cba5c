"""Access requests: an agent ProConnect identified, with no account here, asks for one; an
administrator approves it (the account is made, bound to her `sub`) or refuses it.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("proconnect_sub", sa.String(255), nullable=False, unique=True),
        sa.Column("email", sa.String(200), nullable=False, server_default=""),
        sa.Column("siret", sa.String(14), nullable=False, server_default=""),
        sa.Column("given_name", sa.String(100), nullable=False, server_default=""),
        sa.Column("family_name", sa.String(100), nullable=False, server_default=""),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("access_requests")
