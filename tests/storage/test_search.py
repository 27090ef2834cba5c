"""Searching past controls, on SQLite and PostgreSQL: each filter, accents, pages, visibility."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from control.regions import departements_of
from control.storage.audit import entries, record
from control.storage.controls import ControlKind, KeptFinding, NewControl, save_control
from control.storage.search import SearchQuery, can_see, search, words
from control.storage.users import Role, User, add_user

WHEN = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def people(engine: Engine) -> dict[str, User]:
    password = "a long password"
    return {
        "lyon1": add_user(engine, "lyon1", "Lyon Un", Role.AGENT, password, "DREETS-69"),
        "lyon2": add_user(engine, "lyon2", "Lyon Deux", Role.AGENT, password, "DREETS-69"),
        "gre": add_user(engine, "gre", "Grenoble", Role.AGENT, password, "DREETS-38"),
        "insp": add_user(engine, "insp", "Inspectrice", Role.INSPECTOR, password),
    }


def add(engine: Engine, agent: User, **values: object) -> int:
    base: dict[str, object] = {
        "agent_id": agent.id,
        "kind": ControlKind.ELECTRONIC,
        "occurred_at": WHEN,
        "departement": "69",
        "commune": "Lyon",
        "plate": "AB-123-CD",
        "driver_name": "Étienne Morel",
        "employer_siren": "298412974",
        "employer_name": "Fret Vercors",
    }
    base.update(values)
    return save_control(engine, NewControl(**base))  # type: ignore[arg-type]


def ids(engine: Engine, viewer: User, **query: object) -> set[int]:
    page = search(engine, SearchQuery(per_page=100, **query), viewer)  # type: ignore[arg-type]
    return {c.id for c in page.controls}


def test_accents_and_case_are_ignored(engine: Engine, people: dict[str, User]) -> None:
    found = add(engine, people["lyon1"])
    add(engine, people["lyon1"], driver_name="Karim Blanc")
    assert ids(engine, people["insp"], text="etienne") == {found}
    assert ids(engine, people["insp"], text="ÉTIENNE mor") == {found}


def test_a_company_name_fragment_finds_its_controls(
    engine: Engine, people: dict[str, User]
) -> None:
    ours = add(engine, people["lyon1"], employer_name="Transports Alizé")
    add(engine, people["lyon1"], employer_name="Fret Vercors")
    assert ids(engine, people["insp"], text="aliz") == {ours}


def test_each_filter(engine: Engine, people: dict[str, User]) -> None:
    agent = people["lyon1"]
    paper = add(engine, agent, kind=ControlKind.PAPER, plate="ZZ-999-ZZ", departement="38")
    old = add(engine, agent, occurred_at=WHEN - timedelta(days=40), employer_siren="111111118")
    natinf = add(
        engine, agent,
        findings=(KeptFinding("20525", "daily-rest", ("2026-11-10",), "…", True),
                  KeptFinding("35187", "breaks", ("2026-11-11",), "…", False)),
    )  # fmt: skip
    viewer = people["insp"]
    assert ids(engine, viewer, kind=ControlKind.PAPER) == {paper}
    assert ids(engine, viewer, plate="zz-999-zz") == {paper}
    assert ids(engine, viewer, departement="38") == {paper}
    assert ids(engine, viewer, siren="111 111 118") == {old}
    assert ids(engine, viewer, date_to=date(2026, 10, 31)) == {old}
    assert old not in ids(engine, viewer, date_from=date(2026, 11, 1))
    assert ids(engine, viewer, natinf="20525") == {natinf}
    assert ids(engine, viewer, natinf="35187") == set()  # discarded by the agent
    assert ids(engine, viewer, text="lyon", kind=ControlKind.PAPER, departement="38") == {paper}


def test_pages_hold_the_total_and_stay_in_bounds(engine: Engine, people: dict[str, User]) -> None:
    for n in range(45):
        add(engine, people["lyon1"], occurred_at=WHEN - timedelta(hours=n))
    first = search(engine, SearchQuery(per_page=20), people["insp"])
    assert (first.total, first.pages, len(first.controls)) == (45, 3, 20)
    last = search(engine, SearchQuery(per_page=20, page=99), people["insp"])
    assert (last.page, len(last.controls)) == (3, 5)
    assert search(engine, SearchQuery(per_page=20, page=-4), people["insp"]).page == 1
    newest = first.controls[0].occurred_at
    assert all(c.occurred_at <= newest for c in first.controls)


def test_agents_see_their_unit_and_no_other(engine: Engine, people: dict[str, User]) -> None:
    mine = add(engine, people["lyon1"])
    colleague = add(engine, people["lyon2"])
    elsewhere = add(engine, people["gre"])
    assert ids(engine, people["lyon1"]) == {mine, colleague}
    assert ids(engine, people["gre"]) == {elsewhere}
    assert ids(engine, people["insp"]) == {mine, colleague, elsewhere}
    assert can_see(engine, people["lyon2"], mine)
    assert not can_see(engine, people["gre"], mine)


def test_an_inspector_limited_to_a_region_sees_its_departements_only(
    engine: Engine, people: dict[str, User]
) -> None:
    lyon = add(engine, people["lyon1"], departement="69")
    grenoble = add(engine, people["gre"], departement="38")
    paris = add(engine, people["gre"], departement="75")
    limited = replace(people["insp"], zone=departements_of("84"))  # Auvergne-Rhône-Alpes
    assert ids(engine, limited) == {lyon, grenoble}
    assert not can_see(engine, limited, paris)
    assert ids(engine, people["insp"]) == {lyon, grenoble, paris}  # not limited: all


def test_an_inspector_limited_without_a_region_sees_nothing(
    engine: Engine, people: dict[str, User]
) -> None:
    add(engine, people["lyon1"])
    assert ids(engine, replace(people["insp"], zone=departements_of(""))) == set()


def test_the_audit_log_keeps_who_opened_what(engine: Engine, people: dict[str, User]) -> None:
    control = add(engine, people["lyon1"])
    record(engine, people["insp"].id, "open-control", f"controle {control}")
    [entry] = entries(engine)
    assert (entry.login, entry.action, entry.target) == (
        "insp",
        "open-control",
        f"controle {control}",
    )


def test_words_drop_accents_and_punctuation() -> None:
    assert words("Étienne-Loïc  d'Aubigné") == ["etienne", "loic", "d", "aubigne"]


def test_beyond_ten_thousand_the_total_is_capped(engine: Engine, people: dict[str, User]) -> None:
    from control.demo.controls import load
    from control.storage.search import COUNT_CAP

    load(engine, COUNT_CAP + 50, seed=3)
    page = search(engine, SearchQuery(), people["insp"])
    assert page.capped
    assert page.total == COUNT_CAP + 1
    assert len(page.controls) == 20


def test_demo_controls_are_searchable_by_their_natinf(
    engine: Engine, people: dict[str, User]
) -> None:
    from control.demo.controls import load

    load(engine, 300, seed=4)
    tallied = search(engine, SearchQuery(natinf="35187", per_page=100), people["insp"])
    assert 0 < tallied.total < 300
    assert all(any(f.natinf == "35187" for f in c.findings) for c in tallied.controls)


def test_a_company_tally_counts_natinf_per_driver(engine: Engine, people: dict[str, User]) -> None:
    from control.storage.search import company_tally

    rest = KeptFinding("20525", "daily-rest", (), "…", True)
    breaks = KeptFinding("35187", "breaks", (), "…", True)
    add(engine, people["lyon1"], driver_name="Ana Roy", findings=(rest,))
    add(engine, people["lyon1"], driver_name="Ana Roy", findings=(rest, breaks))
    add(engine, people["lyon1"], driver_name="Léo Vidal")
    add(engine, people["gre"], driver_name="Léo Vidal", findings=(breaks,))
    add(engine, people["lyon1"], driver_name="Autre", employer_siren="111111118")
    tally = company_tally(engine, "298412974", people["insp"])
    assert [(t.driver, t.controls, t.natinf) for t in tally] == [
        ("Ana Roy", 2, {"20525": 2, "35187": 1}),
        ("Léo Vidal", 2, {"35187": 1}),
    ]
    seen_by_lyon = company_tally(engine, "298412974", people["lyon2"])
    assert [(t.driver, t.controls) for t in seen_by_lyon] == [("Ana Roy", 2), ("Léo Vidal", 1)]


def test_many_matches_give_the_same_page_along_the_sort_index(
    engine: Engine, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """From DENSE matches on, pages are read another way: the same controls must come."""
    import control.storage.search as module

    for day in range(12):
        add(
            engine,
            people["lyon1"],
            occurred_at=WHEN - timedelta(days=day),
            plate=f"AB-{day:03d}-CD",
        )
    add(engine, people["lyon1"], driver_name="Autre Personne")
    query = SearchQuery(text="etienne", per_page=20)
    sparse = [c.id for c in search(engine, query, people["insp"]).controls]
    monkeypatch.setattr(module, "DENSE", 1)
    dense = [c.id for c in search(engine, query, people["insp"]).controls]
    assert dense == sparse
    assert len(dense) == 12


def test_free_text_and_a_natinf_find_the_controls_having_both(
    engine: Engine, people: dict[str, User]
) -> None:
    rest = KeptFinding("20525", "daily-rest", ("2026-11-10",), "…", True)
    both = add(engine, people["lyon1"], findings=(rest,))
    add(engine, people["lyon1"], notes="20525 noté à part")  # the code as text, not retained
    add(engine, people["lyon1"], driver_name="Karim Blanc", findings=(rest,))
    viewer = people["insp"]
    assert ids(engine, viewer, text="etienne", natinf="20525") == {both}
    assert search(engine, SearchQuery(text="etienne", natinf="20525"), viewer).total == 1


def test_free_text_looks_in_the_text_not_in_the_natinf_codes(
    engine: Engine, people: dict[str, User]
) -> None:
    rest = KeptFinding("20525", "daily-rest", ("2026-11-10",), "…", True)
    add(engine, people["lyon1"], findings=(rest,))
    noted = add(engine, people["lyon1"], notes="20525 noté à part")
    assert ids(engine, people["insp"], text="20525") == {noted}


def test_a_manual_natinf_is_found_with_free_text(engine: Engine, people: dict[str, User]) -> None:
    added = add(engine, people["lyon1"], manual_natinf=("23103",))
    add(engine, people["lyon1"])
    assert ids(engine, people["insp"], text="morel", natinf="23103") == {added}


def test_the_total_of_a_free_text_search_counts_its_matches_only(
    engine: Engine, people: dict[str, User]
) -> None:
    for n in range(7):
        add(engine, people["lyon1"], occurred_at=WHEN - timedelta(hours=n))
    for n in range(4):
        add(engine, people["gre"], driver_name="Karim Blanc", occurred_at=WHEN - timedelta(hours=n))
    assert search(engine, SearchQuery(text="etienne"), people["insp"]).total == 7
    assert search(engine, SearchQuery(text="karim"), people["insp"]).total == 4
    assert search(engine, SearchQuery(text="etienne"), people["gre"]).total == 0


def test_a_purged_control_is_no_longer_counted_by_free_text(
    engine: Engine, people: dict[str, User]
) -> None:
    from control.storage.retention import purge

    add(engine, people["lyon1"], occurred_at=WHEN - timedelta(days=4 * 365))
    kept = add(engine, people["lyon1"])
    purge(engine, WHEN - timedelta(days=3 * 365))
    page = search(engine, SearchQuery(text="etienne"), people["insp"])
    assert (page.total, [c.id for c in page.controls]) == (1, [kept])


def test_a_typed_word_is_found_from_the_start_of_a_word(
    engine: Engine, people: dict[str, User]
) -> None:
    found = add(engine, people["lyon1"], employer_name="Transports Alizé")
    assert ids(engine, people["insp"], text="transport") == {found}
    assert ids(engine, people["insp"], text="TRANSP ali") == {found}
    assert ids(engine, people["insp"], text="ports") == set()
    assert ids(engine, people["insp"], text="transporteur") == set()


def test_the_total_of_a_natinf_search_counts_the_visible_controls(
    engine: Engine, people: dict[str, User]
) -> None:
    rest = KeptFinding("20525", "daily-rest", ("2026-11-10",), "…", True)
    add(engine, people["lyon1"], findings=(rest,))
    add(engine, people["lyon2"], findings=(rest,))
    add(engine, people["gre"], findings=(rest,))
    add(engine, people["lyon1"])
    assert search(engine, SearchQuery(natinf="20525"), people["insp"]).total == 3
    assert search(engine, SearchQuery(natinf="20525"), people["lyon1"]).total == 2
    assert search(engine, SearchQuery(natinf="20525", departement="38"), people["insp"]).total == 0


def test_few_free_text_matches_come_newest_first(engine: Engine, people: dict[str, User]) -> None:
    """Few matches are fetched and then sorted (on PostgreSQL, away from the date index)."""
    hours = [5, 1, 9, 3, 7]
    made = {h: add(engine, people["lyon1"], occurred_at=WHEN - timedelta(hours=h)) for h in hours}
    add(engine, people["lyon1"], driver_name="Karim Blanc")
    found = search(engine, SearchQuery(text="etienne"), people["insp"]).controls
    assert [c.id for c in found] == [made[h] for h in sorted(hours)]


def test_few_free_text_matches_sorted_by_company(engine: Engine, people: dict[str, User]) -> None:
    zebre = add(engine, people["lyon1"], employer_name="Zèbre Fret", occurred_at=WHEN)
    alpes_old = add(engine, people["lyon1"], employer_name="Alpes Fret", occurred_at=WHEN)
    alpes_new = add(
        engine, people["lyon1"], employer_name="Alpes Fret", occurred_at=WHEN + timedelta(hours=1)
    )
    found = search(engine, SearchQuery(text="fret", sort="company"), people["insp"]).controls
    assert [c.id for c in found] == [alpes_new, alpes_old, zebre]


def sixty_etiennes(engine: Engine, agent: User, ago: timedelta = timedelta()) -> None:
    for n in range(60):
        add(engine, agent, occurred_at=WHEN - ago - timedelta(hours=n))


def analysed(engine: Engine) -> None:
    """The planner's statistics, as autovacuum leaves them after a while."""
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def postgresql_only(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the planner's estimates are read on PostgreSQL only")


def test_a_word_the_statistics_find_in_most_controls_is_not_counted(
    engine: Engine, people: dict[str, User]
) -> None:
    postgresql_only(engine)
    sixty_etiennes(engine, people["lyon1"])
    analysed(engine)
    page = search(engine, SearchQuery(text="etienne"), people["insp"], estimate_from=50)
    assert page.capped
    assert len(page.controls) == 20


def test_a_rarer_word_is_counted(engine: Engine, people: dict[str, User]) -> None:
    postgresql_only(engine)
    sixty_etiennes(engine, people["lyon1"])
    add(engine, people["lyon1"], driver_name="Karim Blanc")
    analysed(engine)
    page = search(engine, SearchQuery(text="karim"), people["insp"], estimate_from=50)
    assert page.total == 1


def test_several_words_are_counted_whatever_their_estimate(
    engine: Engine, people: dict[str, User]
) -> None:
    """Words of one name are not independent: their joint estimate is not trusted."""
    postgresql_only(engine)
    sixty_etiennes(engine, people["lyon1"])
    analysed(engine)
    page = search(engine, SearchQuery(text="etienne morel"), people["insp"], estimate_from=1)
    assert page.total == 60


def test_stale_statistics_are_caught_by_a_short_page(
    engine: Engine, people: dict[str, User]
) -> None:
    from control.storage.retention import purge

    postgresql_only(engine)
    sixty_etiennes(engine, people["lyon1"], ago=timedelta(days=4 * 365))
    kept = add(engine, people["lyon1"])
    analysed(engine)
    purge(engine, WHEN - timedelta(days=3 * 365))  # statistics not refreshed since
    page = search(engine, SearchQuery(text="etienne"), people["insp"], estimate_from=50)
    assert (page.total, [c.id for c in page.controls]) == (1, [kept])


def test_sqlite_always_counts(engine: Engine, people: dict[str, User]) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("FTS5 counts from its own index")
    for n in range(30):
        add(engine, people["lyon1"], occurred_at=WHEN - timedelta(hours=n))
    page = search(engine, SearchQuery(text="etienne"), people["insp"], estimate_from=1)
    assert page.total == 30
