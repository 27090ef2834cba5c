"""Photos sent by a tablet's outbox carry a key: a sync sent twice keeps each photo once.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("page_photos") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(80)))
    op.create_index(
        "uq_page_photos_control_idempotency",
        "page_photos",
        ["control_id", "idempotency_key"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_page_photos_control_idempotency", "page_photos")
    with op.batch_alter_table("page_photos") as batch:
        batch.drop_column("idempotency_key")
