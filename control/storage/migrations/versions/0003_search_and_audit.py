"""Search: full-text index (SQLite FTS5 / PostgreSQL tsvector, french + unaccent), NATINF per
control, agents' units; the append-only audit log.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TEXT = "driver_name, employer_name, plate, place, commune, notes"


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("unit", sa.String(100), nullable=False, server_default=""))
    op.create_table(
        "control_natinf",
        sa.Column("control_id", sa.Integer, sa.ForeignKey("controls.id"), nullable=False),
        sa.Column("natinf", sa.String(5), nullable=False),
        sa.PrimaryKeyConstraint("control_id", "natinf"),
    )
    op.create_index("ix_control_natinf_natinf", "control_natinf", ["natinf"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(100), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_controls_departement", "controls", ["departement"])
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_fts()
    else:
        _postgres_fts()


def _sqlite_fts() -> None:
    """An external-content FTS5 table kept in step with `controls` by triggers."""
    op.execute(
        f"CREATE VIRTUAL TABLE controls_fts USING fts5({TEXT}, content='controls', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )
    new = ", ".join(f"new.{c.strip()}" for c in TEXT.split(","))
    old = ", ".join(f"old.{c.strip()}" for c in TEXT.split(","))
    op.execute(
        f"CREATE TRIGGER controls_fts_insert AFTER INSERT ON controls BEGIN "
        f"INSERT INTO controls_fts(rowid, {TEXT}) VALUES (new.id, {new}); END"
    )
    op.execute(
        f"CREATE TRIGGER controls_fts_delete AFTER DELETE ON controls BEGIN "
        f"INSERT INTO controls_fts(controls_fts, rowid, {TEXT}) "
        f"VALUES ('delete', old.id, {old}); END"
    )
    op.execute(
        f"CREATE TRIGGER controls_fts_update AFTER UPDATE ON controls BEGIN "
        f"INSERT INTO controls_fts(controls_fts, rowid, {TEXT}) "
        f"VALUES ('delete', old.id, {old}); "
        f"INSERT INTO controls_fts(rowid, {TEXT}) VALUES (new.id, {new}); END"
    )
    op.execute("INSERT INTO controls_fts(controls_fts) VALUES ('rebuild')")


def _postgres_fts() -> None:
    """French stemming on accent-free text; unaccent is a trusted extension (PostgreSQL ≥ 13)."""
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute(
        "CREATE OR REPLACE FUNCTION lic_search_text(text) RETURNS tsvector "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS "
        "$$ SELECT to_tsvector('french'::regconfig, "
        "public.unaccent('public.unaccent'::regdictionary, $1)) $$"
    )
    op.execute(
        "CREATE INDEX ix_controls_search ON controls USING gin (lic_search_text("
        "coalesce(driver_name, '') || ' ' || coalesce(employer_name, '') || ' ' || "
        "coalesce(plate, '') || ' ' || coalesce(place, '') || ' ' || coalesce(commune, '') "
        "|| ' ' || coalesce(notes, '')))"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS controls_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS controls_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_controls_search")
        op.execute("DROP FUNCTION IF EXISTS lic_search_text(text)")
    op.drop_index("ix_controls_departement", "controls")
    op.drop_table("audit_log")
    op.drop_table("control_natinf")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("unit")
