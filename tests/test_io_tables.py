"""The shared table layer: workbooks with formulas, sheets, and header checks (issue 12)."""

from __future__ import annotations

import re
import warnings
import zipfile

import openpyxl
import pytest

from cio_analytics.exceptions import DataFileError, DataFileWarning
from cio_analytics.io import read_it_spend_history
from cio_analytics.io._tables import check_columns, closest_column, read_table

SPEND = ["year", "it_spend", "employees", "revenue"]


def _formula_book(path, cached: dict[str, str] | None):
    """Rows 2025 (typed) and 2026 (it_spend '=B2*2', revenue '=D2'); ``cached`` stores a value
    for some formula cells, as Excel does when it saves (a '' value is a formula returning "")."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(SPEND)
    ws.append([2025, 1000, 10, 100])
    ws.append([2026, '=IF(B2>0,"",B2)', 10, "=D2*1.1"])
    wb.save(path)
    if cached is None:
        return path
    with zipfile.ZipFile(path) as zin:
        items = {n: zin.read(n) for n in zin.namelist()}
    xml = items["xl/worksheets/sheet1.xml"].decode()
    for ref, value in cached.items():
        kind = ' t="str"' if not value.replace(".", "").isdigit() else ""
        xml = re.sub(
            rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?',
            lambda m, k=kind, v=value, r=ref: (
                f'<c r="{r}"{m.group(1)}{k}><f>{m.group(2)}</f><v>{v}</v>'
            ),
            xml,
        )
    items["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in items.items():
            zout.writestr(name, data)
    return path


def test_uncalculated_workbook_is_refused_naming_the_cell(tmp_path):
    path = _formula_book(tmp_path / "s.xlsx", None)
    with pytest.raises(DataFileError, match="uncalculated formula") as info:
        read_it_spend_history(path)
    assert "cell B3" in str(info.value) and "row 3" in str(info.value)


def test_calculated_formula_returning_empty_text_is_not_mistaken(tmp_path):
    """Excel stored 110 for '=D2*1.1' and "" for the IF: the sheet was calculated, so the empty
    result is an empty cell (the current year's spend may be empty)."""
    path = _formula_book(tmp_path / "s.xlsx", {"B3": "", "D3": "110"})
    out = read_it_spend_history(path)
    assert out["revenue"].tolist() == [100.0, 110.0]
    assert out["it_spend"].isna().tolist() == [False, True]


def test_sheet_and_sheet_name_are_the_same(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.create_sheet("Data").append(SPEND)
    wb.save(tmp_path / "b.xlsx")
    by_sheet, _ = read_table(tmp_path / "b.xlsx", sheet="Data")
    by_name, _ = read_table(tmp_path / "b.xlsx", sheet_name=1)
    assert list(by_sheet.columns) == list(by_name.columns) == SPEND
    assert by_sheet.attrs["sheets"] == ["Notes", "Data"]


def test_check_columns_rules():
    import pandas as pd

    frame = pd.DataFrame({"team": ["A"], "cost_2027": ["1"], "notes": ["x"]})
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        check_columns(frame, ["team"], ["handle_time_min"], "f.csv", prefixes=("cost_",))
    assert [type(w.message) for w in seen] == [DataFileWarning]
    assert "`notes`" in str(seen[0].message) and "cost_2027" not in str(seen[0].message)
    with pytest.raises(DataFileError, match="did you mean `handle_time_min`"):
        check_columns(frame.assign(Handle_Time_Min=1), ["team"], ["handle_time_min"], "f.csv",
                      prefixes=("cost_",))  # fmt: skip


@pytest.mark.parametrize(
    ("header", "expected"),
    [("reopened_coutn", "reopened_count"), ("handle_times_", "handle_time_min"),
     ("assignee", None), ("created_at", None), ("updated_at", None)],
)  # fmt: skip
def test_typo_detection_is_strict_enough_for_real_exports(header, expected):
    """Columns ITSM exports commonly carry (created_at, updated_at, assignee) are not taken for
    typos of the ticket export's optional columns; real typos are."""
    known = ["closed_at", "resolved_at", "reopened_count", "first_contact", "handle_time_min"]
    assert closest_column(header, known) == expected
