"""Controls recorded offline carry the device's idempotency key: a sync sent twice records once.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("controls") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(64)))
        batch.add_column(sa.Column("idempotency_digest", sa.String(64)))
    op.create_index(
        "uq_controls_agent_idempotency",
        "controls",
        ["agent_id", "idempotency_key"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_controls_agent_idempotency", "controls")
    with op.batch_alter_table("controls") as batch:
        batch.drop_column("idempotency_digest")
        batch.drop_column("idempotency_key")
