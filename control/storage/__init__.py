"""Where controls and accounts are kept: SQLite by default, PostgreSQL for scale.

SQLAlchemy Core on one schema (`schema.py`), created and evolved by alembic migrations;
the rest of the application sees plain dataclasses.
"""
