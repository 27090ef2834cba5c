"""An agent's identity beyond the login: ProConnect's identity, names and GRECO matricule.

ProConnect signs an agent in by `sub` (stable per provider) and gives an email and a SIRET;
GRECO wants the controller's family name, given name and RIO/matricule apart. The account
keeps them; role, unit and région stay this service's own.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("proconnect_sub", sa.String(255)))
        batch.add_column(sa.Column("siret", sa.String(14), nullable=False, server_default=""))
        batch.add_column(sa.Column("given_name", sa.String(100), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("family_name", sa.String(100), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("matricule", sa.String(20), nullable=False, server_default=""))
    # Indexes outside the batch: on SQLite a constraint inside it would copy the table, which
    # the other tables' foreign keys to users forbid.
    op.create_index("uq_users_proconnect_sub", "users", ["proconnect_sub"], unique=True)
    op.create_index("ix_users_email", "users", ["email"])


def downgrade() -> None:
    op.drop_index("ix_users_email", "users")
    op.drop_index("uq_users_proconnect_sub", "users")
    with op.batch_alter_table("users") as batch:
        for column in ("matricule", "family_name", "given_name", "siret", "proconnect_sub"):
            batch.drop_column(column)
        batch.drop_column("email")
