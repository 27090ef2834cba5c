"""The 28 days of a verdict: each period drawn on its day's bar and listed as text, at its
place on the day even when Paris changes its clock."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from control.rules import analyze
from control.rules.timeline import PARIS, paris_clock
from tests.rules.builder import day, record
from tests.web.conftest import demo_code
from web.presenters import day_rows

SPRING = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)  # the window holds Sunday 29 March (23 h)
CLOCK = re.compile(r"(\d\d):(\d\d)–")


def test_a_paris_clock_is_read_right_on_both_sides_of_each_clock_change() -> None:
    for start in (datetime(2026, 3, 28, tzinfo=UTC), datetime(2026, 10, 24, tzinfo=UTC)):
        for quarter in range(3 * 24 * 4):
            moment = start + timedelta(minutes=15 * quarter, seconds=59)
            expected = moment.astimezone(PARIS).strftime("%H:%M")
            assert paris_clock(int(moment.timestamp())) == expected


def test_the_short_day_of_the_spring_change_is_drawn_on_its_23_hours() -> None:
    shift = day("2026-03-29 01:00", "driving 3h", "break 45m", "work 2h")  # 01:00 to 07:45
    days = record(shift, at=SPRING)
    rows = {row.day: row for row in day_rows(days, analyze(days, SPRING), SPRING)}
    sunday = rows[date(2026, 3, 29)]
    assert sunday.length == 23 * 60
    drawn = [(s.left, s.width) for s in sunday.segments]
    # 02:00 never happens: driving 01:00–05:00 lasts 3 h, the break starts 4 h after midnight
    assert drawn == [(60, 180), (240, 45), (285, 120)]
    assert [s.title for s in sunday.segments] == [
        "Conduite 01:00–05:00 (3 h)",
        "Pause 05:00–05:45 (45 min)",
        "Autre tâche 05:45–07:45 (2 h)",
    ]
    assert sunday.work_minutes == 5 * 60
    assert rows[date(2026, 3, 30)].length == 24 * 60


def test_each_period_drawn_is_listed_as_text_where_the_bar_draws_it(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    client, token = agent
    code = demo_code(demo_world, "08-modifie-employeur")  # amended days: two bars, two lists
    page = client.post("/verifier", data={"code": code, "csrf": token}).text
    days = re.findall(r'<details class="jour-heures">(.*?)</details>', page, re.S)
    assert len(days) > 10
    bars_checked = 0
    for shown in days:
        bars = re.findall(r'viewBox="0 0 (\d+) 1"[^>]*>(.*?)</svg>', shown, re.S)
        lists = re.findall(r'<ul class="periodes">(.*?)</ul>', shown, re.S)
        assert len(bars) == len(lists)
        for (length, rects), items in zip(bars, lists, strict=True):
            drawn = re.findall(r'<rect class="(\w+)" x="(\d+)" width="(\d+)" height="1"/>', rects)
            listed = [html.unescape(t) for t in re.findall(r"<li>([^<]+)</li>", items)]
            assert len(drawn) == len(listed) > 0
            for (_, x, width), text in zip(drawn, listed, strict=True):
                start = CLOCK.search(text)
                assert start is not None
                if x != "0" and length == "1440":  # not begun the day before, no clock change
                    assert int(x) == int(start[1]) * 60 + int(start[2])
                assert int(x) + int(width) <= int(length)
            bars_checked += 1
    assert bars_checked > len(days)  # the driver's versions too
