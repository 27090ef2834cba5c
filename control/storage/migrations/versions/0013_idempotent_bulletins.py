"""A bulletin filled on a tablet without network carries a key: issued once on sync.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bulletins") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(80)))
    op.create_index(
        "uq_bulletins_control_idempotency",
        "bulletins",
        ["control_id", "idempotency_key"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_bulletins_control_idempotency", "bulletins")
    with op.batch_alter_table("bulletins") as batch:
        batch.drop_column("idempotency_key")
