"""The tables. Changing them means a new migration in `migrations/versions/`."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("login", String(100), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("unit", String(100), nullable=False, default=""),  # agents of a unit see its controls
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("failed_logins", Integer, nullable=False, default=0),  # consecutive, reset on success
    Column("locked_until", DateTime(timezone=True)),
    Column("region", String(3), nullable=False, default=""),  # inspectors: INSEE région code
    # set by an administrator's reset: the temporary password must be changed at next sign-in
    Column("must_change_password", Boolean, nullable=False, server_default=false()),  # 0014
    # migration 0018: ProConnect's identity (`sub`, email, SIRET) and what GRECO wants apart
    Column("email", String(200), nullable=False, server_default=""),
    Column("proconnect_sub", String(255)),
    Column("siret", String(14), nullable=False, server_default=""),
    Column("given_name", String(100), nullable=False, server_default=""),
    Column("family_name", String(100), nullable=False, server_default=""),
    Column("matricule", String(20), nullable=False, server_default=""),  # RIO / matricule
    Index("uq_users_proconnect_sub", "proconnect_sub", unique=True),
    Index("ix_users_email", "email"),
)

# Signed-in sessions (migration 0014): the cookie holds a random id, the row its sha256 only,
# so a copy of the database opens no session; logout and deactivation delete rows.
sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)

# Failed sign-ins per client address (migration 0014), shared by every worker process.
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("address", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Index("ix_sign_in_failures_address_at", "address", "at"),
)

controls = Table(
    "controls",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agent_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),  # electronic / paper / none / schedule / mobilic
    Column("occurred_at", DateTime(timezone=True), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("departement", String(3), nullable=False),
    Column("commune", String(100), nullable=False),
    Column("place", String(200), nullable=False, default=""),
    Column("plate", String(16), nullable=False, default="", index=True),
    Column("notes", Text, nullable=False, default=""),
    Column("verdict", String(40)),  # electronic LIC only
    Column("issuer", String(100)),
    Column("kid", String(100)),
    Column("cti", String(64), index=True),  # the code's id: "already seen in another control"
    Column("code_iat", DateTime(timezone=True)),
    # synced from a tablet: the verdict as of the control's moment, checked without network,
    # kept beside the server's (`verdict`, at reception), never in its place (migration 0017)
    Column("offline_verdict", String(40)),
    Column("offline_checked_at", DateTime(timezone=True)),
    Column("driver_name", String(200), nullable=False, default=""),
    Column("driver_id", String(64), nullable=False, default=""),
    Column("employer_siren", String(9), nullable=False, default="", index=True),
    Column("employer_name", String(200), nullable=False, default=""),
    Column("record", JSON),  # the verified record, JSON form
    Column("findings", JSON, nullable=False),  # [{natinf, rule, dates, explanation, retained}]
    Column("manual_natinf", JSON, nullable=False),  # ["23103", …]
    # control_natinf's codes, space-separated: what the full-text index holds (migration 0007)
    Column("natinf_codes", String(120), nullable=False, default=""),
    # a control recorded offline: the device's key, so that a sync sent twice records once,
    # and a digest of what was sent with it (migration 0011)
    Column("idempotency_key", String(64)),
    Column("idempotency_digest", String(64)),
    Index("uq_controls_agent_idempotency", "agent_id", "idempotency_key", unique=True),
)

bulletins = Table(
    "bulletins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("control_id", Integer, ForeignKey("controls.id"), nullable=False, index=True),
    Column("number", String(30), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("previous_id", Integer, ForeignKey("bulletins.id")),
    Column("agent_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("content", JSON, nullable=False),  # the canonical fields, as issued
    Column("code", Text, nullable=False),  # the BDC1: verification code
    Column("sha256", String(64), nullable=False),
    Column("pdf_path", String(300), nullable=False),
    Column("driver_token", String(64), unique=True),
    Column("driver_token_expires", DateTime(timezone=True)),
    Column("idempotency_key", String(80)),  # filled on a tablet offline (migration 0013)
    UniqueConstraint("number", "version", name="uq_bulletins_number_version"),
    Index("uq_bulletins_control_idempotency", "control_id", "idempotency_key", unique=True),
)

bulletin_drafts = Table(
    "bulletin_drafts",
    metadata,
    Column("control_id", Integer, ForeignKey("controls.id"), primary_key=True),
    Column("data", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

page_photos = Table(
    "page_photos",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("control_id", Integer, ForeignKey("controls.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("path", String(300), nullable=False),  # the corrected scan (JPEG, no EXIF)
    Column("original_path", String(300), nullable=False),
    Column("sharpness", Integer, nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("idempotency_key", String(80)),  # sent by a tablet's outbox (migration 0012)
    # evidence (migration 0015): deleted softly, the file kept until the retention purge;
    # annexed to an issued bulletin, it can no longer be deleted
    Column("deleted_at", DateTime(timezone=True)),
    Column("deleted_by", Integer, ForeignKey("users.id", name="fk_page_photos_deleted_by")),
    Column("annexed_to", Integer, ForeignKey("bulletins.id", name="fk_page_photos_annexed_to")),
    Index("uq_page_photos_control_idempotency", "control_id", "idempotency_key", unique=True),
)

control_natinf = Table(
    "control_natinf",
    metadata,
    Column("control_id", Integer, ForeignKey("controls.id"), primary_key=True),
    Column("natinf", String(5), primary_key=True),
    Index("ix_control_natinf_natinf_control", "natinf", "control_id"),  # migration 0007
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("user_id", Integer, ForeignKey("users.id")),  # None: a sign-in with an unknown login
    Column("action", String(40), nullable=False),
    Column("target", String(100), nullable=False),
)

paper_sheets = Table(
    "paper_sheets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("control_id", Integer, ForeignKey("controls.id"), nullable=False),
    Column("photo_id", Integer, ForeignKey("page_photos.id", ondelete="SET NULL")),
    Column("day", Date, nullable=False),
    Column("data", JSON, nullable=False),  # control.paper.json_form
    Column("agent_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("deleted_at", DateTime(timezone=True)),  # deleted softly (migration 0015)
    Column("deleted_by", Integer, ForeignKey("users.id", name="fk_paper_sheets_deleted_by")),
    # one sheet a day among those not deleted
    Index(
        "uq_paper_sheets_control_day",
        "control_id",
        "day",
        unique=True,
        sqlite_where=text("deleted_at IS NULL"),
        postgresql_where=text("deleted_at IS NULL"),
    ),
)

service_schedules = Table(
    "service_schedules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("control_id", Integer, ForeignKey("controls.id"), nullable=False),
    Column("data", JSON, nullable=False),  # control.paper.schedule.to_json, with the sector
    Column("stated_activity", String(20), nullable=False),
    Column("agent_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("control_id", name="uq_service_schedules_control"),
)

company_controls = Table(
    "company_controls",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("inspector_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("siren", String(9), nullable=False, server_default=""),
    Column("name", String(200), nullable=False, server_default=""),
    Column("report_at", DateTime(timezone=True)),  # when the report files were last built
    Column("summary", JSON),  # the report's figures, for the page
    Column("pdf_path", Text),
    Column("xlsx_path", Text),
)
company_files = Table(
    "company_files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_control_id", Integer, ForeignKey("company_controls.id"), nullable=False),
    Column("name", String(255), nullable=False),
    Column("content", Text),  # the code or JSON as given; none for a file set aside
    Column("driver_name", String(200), nullable=False, server_default=""),
    Column("problem", Text),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Index("ix_company_files_control", "company_control_id"),
)
# A job one server process only may run (the daily purge): whoever holds the row until
# `until` runs it; the others skip it (control/storage/leases.py).
leases = Table(
    "leases",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("holder", String(80), nullable=False),
    Column("until", DateTime(timezone=True), nullable=False),
)

# migration 0019: an agent ProConnect identified but who has no account yet asks for one
access_requests = Table(
    "access_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("proconnect_sub", String(255), nullable=False, unique=True),
    Column("email", String(200), nullable=False, server_default=""),
    Column("siret", String(14), nullable=False, server_default=""),
    Column("given_name", String(100), nullable=False, server_default=""),
    Column("family_name", String(100), nullable=False, server_default=""),
    Column("requested_at", DateTime(timezone=True), nullable=False),
)
