"""A company's file names and JSON records never become formulas in the report's workbook."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import datetime

from openpyxl import load_workbook

from control.company.files import read_driver_file
from control.company.report import build_report
from control.company.xlsx import render_xlsx
from control.record.json_form import record_to_json
from control.record.model import Record
from control.spreadsheet import FORMULA_STARTS
from control.verify.trustlist import TrustList


def test_hostile_file_names_and_records_stay_text_in_the_workbook(
    drivers: list[Record], trust: TrustList
) -> None:
    at = datetime.fromisoformat("2026-12-07T10:00:00+01:00")
    driver = drivers[0].driver
    hostile = replace(drivers[0], driver=replace(driver, family_name='=HYPERLINK("http://x","y")'))
    files = [
        ("=cmd|' /C calc'!A0.json", json.dumps(record_to_json(hostile)).encode()),
        ("-2+3.txt", b"pas un code"),
    ]
    report = build_report([read_driver_file(n, d, trust, at) for n, d in files], at)
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.value for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(FORMULA_STARTS)]
    assert "'=cmd|' /C calc'!A0.json" in texts
    assert "'-2+3.txt" in texts
    numbers = book["Conducteurs"].cell(2, 6).value
    assert isinstance(numbers, int)  # worked days stay a number
