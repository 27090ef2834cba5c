"""Searching past controls: filters, accent-insensitive full text, visibility, pages.

One interface over SQLite (FTS5, `unicode61 remove_diacritics`) and PostgreSQL (a `tsvector`
of every prefix of every unaccented word, GIN-indexed); migrations 0003 and 0007. On both, a
typed word is found at the start of a word, accents and case ignored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    cast,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql import ColumnElement, Select

from control.rules.timeline import PARIS
from control.storage.controls import Control, ControlKind, _control
from control.storage.schema import bulletins, control_natinf, controls, page_photos, users
from control.storage.users import Role, User

PAGE_SIZES = (20, 50, 100)
COUNT_CAP = 10_000  # beyond this a total is shown as "10 000+": counting more costs seconds
ESTIMATE_FROM = 5 * COUNT_CAP  # PostgreSQL: a single word estimated this frequent is not counted
DENSE = 2_000  # from this many matches, pages are read along the sort's index
WORD = re.compile(r"[0-9A-Za-z]+")
TEXT_COLUMNS = "driver_name employer_name plate place commune notes"  # of controls_fts


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    siren: str = ""
    plate: str = ""
    kind: ControlKind | None = None
    date_from: date | None = None
    date_to: date | None = None
    departement: str = ""
    natinf: str = ""
    agent_id: int | None = None
    with_bulletin: bool = False
    with_photos: bool = False
    sort: str = "date"  # "date" (newest first) or "company"
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True)
class SearchPage:
    total: int  # exact up to COUNT_CAP
    controls: list[Control]
    page: int
    pages: int

    @property
    def capped(self) -> bool:
        return self.total > COUNT_CAP


def words(value: str) -> list[str]:
    """Accent-free lower-case words: "Étienne" and "etienne" are the same word."""
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return [w.lower() for w in WORD.findall(plain)][:10]


def visible_to(viewer: User) -> ColumnElement[bool] | None:
    """Agents see their own controls and their unit's; inspectors and admins see all, or,
    where inspectors are limited to their région, the controls of its départements."""
    if viewer.role in (Role.INSPECTOR, Role.ADMIN):
        if viewer.zone is None:
            return None
        return controls.c.departement.in_(viewer.zone) if viewer.zone else false()
    own = controls.c.agent_id == viewer.id
    if not viewer.unit:
        return own
    same_unit = exists().where(and_(users.c.id == controls.c.agent_id, users.c.unit == viewer.unit))
    return or_(own, same_unit)


def _natinf_code(query: SearchQuery) -> str:
    """The NATINF filter if it is a plain code (anything else is only compared, never put into
    an index query's syntax)."""
    return query.natinf if query.natinf.isascii() and query.natinf.isalnum() else ""


def _fts_match(query: SearchQuery) -> str:
    """SQLite: the FTS5 query for the free text, and the NATINF with it, so that one index
    lookup answers both. Every word is a prefix; the words are looked for in the text columns
    only, the NATINF in the codes column."""
    terms = words(query.text)
    if not terms:
        return ""
    prefixes = " ".join(f'"{t}"*' for t in terms)
    match = f"{{{TEXT_COLUMNS}}} : ({prefixes})"
    if code := _natinf_code(query):
        match += f' AND natinf_codes : "{code}"'
    return match


def _full_text(
    engine: Engine, query: SearchQuery, dense: bool = False
) -> ColumnElement[bool] | None:
    """`dense`: many controls match. On SQLite the matches are then tested while the sort's
    index is walked (`id + 0` keeps SQLite from fetching every match by its rowid and sorting
    them all: 210 → 30 ms for 100 000 matches among a million controls)."""
    if engine.dialect.name == "sqlite":
        match = _fts_match(query)
        if not match:
            return None
        probed = controls.c.id + 0 if dense else controls.c.id
        return probed.in_(_fts_rowids(match))
    terms = words(query.text)
    if not terms:
        return None
    lexemes = [f"'{t}'" for t in terms]  # [0-9a-z]+: nothing to escape
    if code := _natinf_code(query):
        lexemes.append(f"'#{code}'")
    indexed: ColumnElement[Any] = literal_column("search_lexemes")
    return indexed.op("@@")(cast(" & ".join(lexemes), TSQUERY))


def _natinf(query: SearchQuery) -> ColumnElement[bool] | None:
    """A NATINF alone is probed through the (control_id, natinf) key as controls are walked
    (cheaper than reading a GIN list of 200 000 controls)."""
    if not query.natinf or _natinf_in_full_text(query):
        return None
    return exists().where(
        and_(control_natinf.c.control_id == controls.c.id, control_natinf.c.natinf == query.natinf)
    )


def _natinf_in_full_text(query: SearchQuery) -> bool:
    return bool(_natinf_code(query) and words(query.text))


def conditions(
    engine: Engine, query: SearchQuery, viewer: User, dense: bool = False
) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    for condition in (visible_to(viewer), _full_text(engine, query, dense)):
        if condition is not None:
            found.append(condition)
    if query.siren:
        found.append(controls.c.employer_siren == query.siren.replace(" ", ""))
    if query.plate:
        found.append(controls.c.plate == query.plate.strip().upper())
    if query.kind is not None:
        found.append(controls.c.kind == query.kind.value)
    if query.date_from is not None:
        found.append(controls.c.occurred_at >= datetime.combine(query.date_from, time(), PARIS))
    if query.date_to is not None:
        end = datetime.combine(query.date_to + timedelta(days=1), time(), PARIS)
        found.append(controls.c.occurred_at < end)
    if query.departement:
        found.append(controls.c.departement == query.departement.upper())
    if (natinf := _natinf(query)) is not None:
        found.append(natinf)
    if query.agent_id is not None:
        found.append(controls.c.agent_id == query.agent_id)
    if query.with_bulletin:
        found.append(exists().where(bulletins.c.control_id == controls.c.id))
    if query.with_photos:
        found.append(
            exists().where(
                page_photos.c.control_id == controls.c.id, page_photos.c.deleted_at.is_(None)
            )
        )
    return found


def search(
    engine: Engine, query: SearchQuery, viewer: User, estimate_from: int = ESTIMATE_FROM
) -> SearchPage:
    per_page = query.per_page if query.per_page in PAGE_SIZES else PAGE_SIZES[0]
    with engine.connect() as connection:
        estimated = _surely_over_cap(connection, engine, query, viewer, estimate_from)
        while True:
            total = COUNT_CAP + 1 if estimated else _count(connection, engine, query, viewer)
            pages = max(1, -(-total // per_page))
            page = min(max(1, query.page), pages)
            dense = total > DENSE
            statement = (
                select(controls)
                .where(*conditions(engine, query, viewer, dense))
                .order_by(*_order(engine, query, dense))
            )
            offset = (page - 1) * per_page
            rows = connection.execute(statement.limit(per_page).offset(offset))
            found = [_control(r) for r in rows]
            if estimated and len(found) < per_page and offset + len(found) <= COUNT_CAP:
                estimated = False  # the statistics were stale: count after all
                connection.rollback()  # (reads only) the count sets its options in its own
                continue
            return SearchPage(total, found, page, pages)


def _order(engine: Engine, query: SearchQuery, dense: bool) -> list[Any]:
    """The sort: newest first, or by company then newest first.

    `dense`: many controls match, and a page is found by walking the sort's index. Otherwise
    the few matches are fetched through their own indexes and sorted. PostgreSQL guesses the
    frequency of a word absent from its statistics (1 783 controls in a million) and would
    walk the date index hoping to meet it soon: a word found nowhere read all million rows
    (6.6 s). The sort keys are then hidden from its indexes.
    """
    when, company, ident = controls.c.occurred_at, controls.c.employer_name, controls.c.id
    order: list[Any]
    if not dense and engine.dialect.name == "postgresql" and words(query.text):
        order = [(when + literal_column("interval '0'")).desc(), (ident + 0).desc()]
        return [company.concat(""), *order] if query.sort == "company" else order
    order = [when.desc(), ident.desc()]
    return [company, *order] if query.sort == "company" else order


def can_see(engine: Engine, viewer: User, control_id: int) -> bool:
    condition = visible_to(viewer)
    query = select(controls.c.id).where(controls.c.id == control_id)
    if condition is not None:
        query = query.where(condition)
    with engine.connect() as connection:
        return connection.execute(query).first() is not None


def count(engine: Engine, query: SearchQuery, viewer: User, limit: int) -> int:
    """How many controls match, counting no further than `limit` (what an export will hold)."""
    with engine.connect() as connection:
        return _count(connection, engine, query, viewer, limit)


def _surely_over_cap(
    connection: Connection, engine: Engine, query: SearchQuery, viewer: User, estimate_from: int
) -> bool:
    """PostgreSQL, one word typed alone: whether the planner's statistics put it in at least
    `estimate_from` controls, so that the total is "over 10 000" without counting.

    Counting such a word reads its whole GIN posting list into a bitmap (100 000 controls for
    a common first name: 40-70 ms) only to stop at the cap. A single lexeme's frequency comes
    from ANALYZE's sample of 30 000 rows, and five times the cap leaves room for far more than
    its error. Several words are estimated as if independent, which words of one name are not:
    those are counted. Statistics left stale by a mass deletion are caught by `search`, which
    counts when the first pages come back short.
    """
    if engine.dialect.name != "postgresql" or len(words(query.text)) != 1:
        return False
    if not _text_alone(query, viewer):
        return False
    condition = _full_text(engine, query)
    assert condition is not None  # one word
    matching = select(controls.c.id).where(condition).compile(dialect=engine.dialect)
    plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {matching}", matching.params)
    estimate: float = plan.scalar_one()[0]["Plan"]["Plan Rows"]
    connection.rollback()  # (reads only) the count that follows sets its options in its own
    return estimate >= estimate_from


def _count(
    connection: Connection,
    engine: Engine,
    query: SearchQuery,
    viewer: User,
    limit: int = COUNT_CAP + 1,
) -> int:
    matching = _one_index_decides(engine, query, viewer)
    if matching is None:
        matching = select(controls.c.id).where(*conditions(engine, query, viewer))
    counted = matching.limit(limit).subquery()
    statement = select(func.count()).select_from(counted)
    if engine.dialect.name == "postgresql" and words(query.text):
        # PostgreSQL reckons a sequential scan stopped at the cap cheaper than the GIN index
        # when many controls match; it reads ~10 times more rows (90 ms instead of ~50)
        with connection.begin():
            connection.execute(text("SET LOCAL enable_seqscan = off"))
            return int(connection.execute(statement).scalar_one())
    return int(connection.execute(statement).scalar_one())


def _one_index_decides(engine: Engine, query: SearchQuery, viewer: User) -> Select[Any] | None:
    """The matching controls read from one index alone, when it decides the match and each of
    its rows is one control: counting then visits no control (10 000 matches at a million
    controls: 5 ms instead of 50 to 130)."""
    if not _text_alone(replace(query, natinf=""), viewer):
        return None
    if not words(query.text):
        if not query.natinf:
            return None
        return select(control_natinf.c.control_id).where(control_natinf.c.natinf == query.natinf)
    if engine.dialect.name != "sqlite" or (query.natinf and not _natinf_in_full_text(query)):
        return None
    return _fts_rowids(_fts_match(query))


def _text_alone(query: SearchQuery, viewer: User) -> bool:
    """Whether the free text is the only filter, for a viewer who sees every control."""
    others = replace(query, text="", sort="date", page=1, per_page=PAGE_SIZES[0])
    return others == SearchQuery() and visible_to(viewer) is None


def _fts_rowids(match: str) -> Select[Any]:
    """SQLite: the ids of the controls whose FTS5 row matches `match`."""
    return (
        select(text("rowid"))
        .select_from(text("controls_fts"))
        .where(text("controls_fts MATCH :match").bindparams(match=match))
    )


def iterate(engine: Engine, query: SearchQuery, viewer: User, limit: int) -> Iterator[Control]:
    """Every matching control in order, streamed (for exports): no OFFSET paging."""
    with engine.connect() as connection:
        dense = _count(connection, engine, query, viewer, DENSE + 1) > DENSE
        statement = (
            select(controls)
            .where(*conditions(engine, query, viewer, dense))
            .order_by(*_order(engine, query, dense))
            .limit(limit)
        )
        result = connection.execution_options(yield_per=1000).execute(statement)
        for row in result:
            yield _control(row)


@dataclass(frozen=True)
class DriverTally:
    driver: str
    controls: int
    natinf: dict[str, int]  # NATINF → how many controls of this driver retained it


def company_tally(engine: Engine, siren: str, viewer: User) -> list[DriverTally]:
    """Per driver of a company: controls seen and the NATINF retained, most controlled first."""
    where = [controls.c.employer_siren == siren]
    visibility = visible_to(viewer)
    if visibility is not None:
        where.append(visibility)
    with engine.connect() as connection:
        counts = connection.execute(
            select(controls.c.driver_name, func.count())
            .where(*where)
            .group_by(controls.c.driver_name)
        ).all()
        natinf = connection.execute(
            select(controls.c.driver_name, control_natinf.c.natinf, func.count())
            .join(control_natinf, control_natinf.c.control_id == controls.c.id)
            .where(*where)
            .group_by(controls.c.driver_name, control_natinf.c.natinf)
        ).all()
    tallies = {name: DriverTally(name, int(n), {}) for name, n in counts}
    for name, code, n in natinf:
        tallies[name].natinf[code] = int(n)
    return sorted(tallies.values(), key=lambda t: (-t.controls, t.driver))
