"""Evidence is never deleted outright: page photos and transcribed sheets are soft-deleted
(who and when, the files kept until the retention purge), and a photo annexed to an issued
bulletin says which one (it can no longer be deleted).

A sheet deleted for a day no longer blocks transcribing that day again: the one-sheet-a-day
rule holds among the sheets not deleted (a partial unique index).

Photos kept before this revision: a bulletin of their control may have annexed them (the
bulletin rows do not say), so each photo of a control with a bulletin is taken as annexed to
its first one.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("page_photos") as batch:
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("deleted_by", sa.Integer))
        batch.add_column(sa.Column("annexed_to", sa.Integer))
        batch.create_foreign_key("fk_page_photos_deleted_by", "users", ["deleted_by"], ["id"])
        batch.create_foreign_key("fk_page_photos_annexed_to", "bulletins", ["annexed_to"], ["id"])
    op.execute(
        "UPDATE page_photos SET annexed_to = (SELECT MIN(bulletins.id) FROM bulletins"
        " WHERE bulletins.control_id = page_photos.control_id)"
    )
    with op.batch_alter_table("paper_sheets") as batch:
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("deleted_by", sa.Integer))
        batch.create_foreign_key("fk_paper_sheets_deleted_by", "users", ["deleted_by"], ["id"])
        batch.drop_constraint("uq_paper_sheets_control_day", type_="unique")
    op.create_index(
        "uq_paper_sheets_control_day",
        "paper_sheets",
        ["control_id", "day"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )


def downgrade() -> None:
    op.drop_index("uq_paper_sheets_control_day", "paper_sheets")
    op.execute("DELETE FROM paper_sheets WHERE deleted_at IS NOT NULL")
    with op.batch_alter_table("paper_sheets") as batch:
        batch.drop_constraint("fk_paper_sheets_deleted_by", type_="foreignkey")
        batch.drop_column("deleted_by")
        batch.drop_column("deleted_at")
        batch.create_unique_constraint("uq_paper_sheets_control_day", ["control_id", "day"])
    with op.batch_alter_table("page_photos") as batch:
        batch.drop_constraint("fk_page_photos_annexed_to", type_="foreignkey")
        batch.drop_constraint("fk_page_photos_deleted_by", type_="foreignkey")
        batch.drop_column("annexed_to")
        batch.drop_column("deleted_by")
        batch.drop_column("deleted_at")
