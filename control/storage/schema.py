"""The tables. Changing them means a new migration in `migrations/versions/`."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
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
    Column("created_at", DateTime(timezone=True), nullable=False),
)

controls = Table(
    "controls",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agent_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),  # electronic / paper / none
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
    Column("driver_name", String(200), nullable=False, default=""),
    Column("driver_id", String(64), nullable=False, default=""),
    Column("employer_siren", String(9), nullable=False, default="", index=True),
    Column("employer_name", String(200), nullable=False, default=""),
    Column("record", JSON),  # the verified record, JSON form
    Column("findings", JSON, nullable=False),  # [{natinf, rule, dates, explanation, retained}]
    Column("manual_natinf", JSON, nullable=False),  # ["23103", …]
)
