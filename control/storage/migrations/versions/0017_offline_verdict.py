"""A control synced from a tablet keeps the tablet's verdict beside the server's.

The stored verdict is the server's at reception; the verdict as of the control's moment (when
the tablet checked the code without network) is kept apart, flagged, never in its place.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("controls") as batch:
        batch.add_column(sa.Column("offline_verdict", sa.String(40)))
        batch.add_column(sa.Column("offline_checked_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("controls") as batch:
        batch.drop_column("offline_checked_at")
        batch.drop_column("offline_verdict")
