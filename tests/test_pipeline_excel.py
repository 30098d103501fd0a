"""The Excel workbook beside each report: recorded tables, formats, key figures, About sheet.

Number format codes follow Microsoft's "Number format codes" reference (support.microsoft.com,
"Review guidelines for customizing a number format"): ``#,##0`` shows a thousands separator and
no decimals, ``0.0%`` multiplies by 100 and shows one decimal with a percent sign, text in double
quotes is shown as typed (``#,##0" EUR"`` -> ``1,235 EUR``), ``yyyy-mm-dd`` is an ISO date.
Sheet-name rules (at most 31 characters, none of ``: \\ / ? * [ ]``, not "History", unique
ignoring case) are Excel's, as openpyxl enforces part of them.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import nbformat
import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.pipeline.excel import (
    excel_format,
    python_fmt_to_excel,
    sheet_names,
    write_workbook,
)
from cio_analytics.reporting import read_tables, record, record_table
from cio_analytics.reporting.record import RECORD_ENV, tables_path


def _flows(scale: float = 1.0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": np.arange(4),
            "month": pd.date_range("2026-01-01", periods=4, freq="MS"),
            "cash_flow": np.array([-1000.5, 250.25, 400.125, np.nan]) * scale,
            "share": [0.1, 0.2, 0.3, 0.4],
            "label": ["build", "run", "run", None],
        }
    )


@pytest.fixture
def sidecar(tmp_path, monkeypatch):
    target = tmp_path / "job.records.jsonl"
    monkeypatch.setenv(RECORD_ENV, str(target))
    return target


def _sheet_rows(ws) -> list[list]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


# --- record_table -------------------------------------------------------------------------------


def test_record_table_round_trips_exactly(sidecar):
    frame = _flows()
    frame.loc[1, "cash_flow"] = 1 / 3  # needs all 17 significant digits
    assert record_table("flows", frame, title="Flows", formats={"share": "percent:1"}) is frame
    back = read_tables(tables_path(sidecar))["flows"]
    assert back.title == "Flows" and back.formats == {"share": "percent:1"}
    assert back.dtypes == ("int", "datetime", "float", "float", "str")
    pd.testing.assert_frame_equal(back.frame, frame, check_dtype=False)
    assert back.frame.loc[1, "cash_flow"] == 1 / 3


def test_record_table_outside_the_pipeline_is_a_no_op(tmp_path, monkeypatch):
    monkeypatch.delenv(RECORD_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    styled = _flows().style.format(precision=0)
    assert record_table("x", styled, formats={"nope": "currency"}) is styled  # not even checked
    assert list(tmp_path.iterdir()) == []


def test_record_table_keeps_a_meaningful_index_and_styler_numbers(sidecar):
    by_unit = pd.DataFrame(
        {"cost": [1.5, 2.5]}, index=pd.Index(["Retail", "Wholesale"], name="unit")
    )
    record_table("by unit", by_unit.style.format("{:.0f}"))
    record_table("series", pd.Series([1, 2], name="n"))
    tables = read_tables(tables_path(sidecar))
    assert tables["by unit"].frame.to_dict("list") == {
        "unit": ["Retail", "Wholesale"],
        "cost": [1.5, 2.5],
    }
    assert tables["series"].frame.to_dict("list") == {"n": [1, 2]}


def test_record_table_last_write_wins_and_order_is_kept(sidecar):
    record_table("a", pd.DataFrame({"x": [1]}))
    record_table("b", pd.DataFrame({"x": [2]}))
    record_table("a", pd.DataFrame({"x": [3]}))
    tables = read_tables(tables_path(sidecar))
    assert list(tables) == ["b", "a"] and tables["a"].frame["x"].tolist() == [3]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"formats": {"cash_flw": "currency"}}, r"cash_flw.*Did you mean 'cash_flow'"),
        ({"formats": {"share": "percnt"}}, r"percnt.*Did you mean 'percent'"),
        ({"formats": {"share": "percent:x"}}, r"decimals after ':'"),
        ({"formats": {"share": ""}}, r"format kind"),
    ],
)
def test_record_table_rejects_bad_formats(sidecar, kwargs, match):
    with pytest.raises(ParameterError, match=match):
        record_table("flows", _flows(), **kwargs)


def test_record_table_rejects_what_is_not_a_table(sidecar):
    with pytest.raises(TypeError, match="DataFrame, Series or Styler"):
        record_table("x", [1, 2, 3])
    big = pd.DataFrame({"x": np.zeros(1_048_576)})
    with pytest.raises(ParameterError, match="at most 1,048,575 rows"):
        record_table("trials", big)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(-(2**53), 2**53),
            st.floats(allow_nan=True, allow_infinity=False, width=64),
            st.booleans(),
            st.text(max_size=12),
        ),
        max_size=20,
    )
)
def test_record_table_round_trip_property(tmp_path_factory, rows):
    """Whatever the values, the table read back equals the table recorded (NaN stays NaN)."""
    target = tmp_path_factory.mktemp("rt") / "p.records.jsonl"
    frame = pd.DataFrame(rows, columns=["i", "f", "b", "s"]).astype(
        {"i": "int64", "f": "float64", "b": bool, "s": object}
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(RECORD_ENV, str(target))
        record_table("t", frame)
    back = read_tables(tables_path(target))["t"].frame
    assert back.shape == frame.shape
    for col in frame:
        got, want = back[col].tolist(), frame[col].tolist()
        assert all(
            (g == w) or (isinstance(w, float) and math.isnan(w) and math.isnan(g))
            for g, w in zip(got, want, strict=True)
        ), col


# --- formats and sheet names --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "kwargs", "code"),
    [
        ("currency", {"currency": "EUR"}, '#,##0" EUR"'),
        ("currency:2", {"currency": "USD"}, '#,##0.00" USD"'),
        ("currency", {}, "#,##0"),
        ("percent", {}, "0.0%"),
        ("percent:2", {}, "0.00%"),
        ("integer", {}, "#,##0"),
        ("number:3", {}, "#,##0.000"),
        ("date", {}, "yyyy-mm-dd"),
        ("datetime", {}, "yyyy-mm-dd hh:mm"),
        ("text", {}, "@"),
        ('#,##0.0,," M"', {}, '#,##0.0,," M"'),  # an Excel code passes through
        (None, {"dtype": "int"}, "#,##0"),
        (None, {"dtype": "float", "values": [0.5, -999.0]}, "#,##0.00##"),
        (None, {"dtype": "float", "values": [0.5, -1000.0, None]}, "#,##0"),
        (None, {"dtype": "datetime"}, "yyyy-mm-dd"),
        (None, {"dtype": "str"}, "General"),
    ],
)
def test_excel_format(spec, kwargs, code):
    assert excel_format(spec, **kwargs) == code


@pytest.mark.parametrize(
    ("fmt", "value", "code"),
    [
        (",.0f", 1.5, "#,##0"),
        (",.2f", 1.5, "#,##0.00"),
        (".1f", 1.5, "0.0"),
        (".1%", 0.5, "0.0%"),
        (".0%", 0.5, "0%"),
        (",.1%", 0.5, "#,##0.0%"),
        (".3e", 1.5, "0.000E+00"),
        (",d", 3, "#,##0"),
        (",", 3, "#,##0"),
        (None, 3, "#,##0"),
        (None, 0.5, "General"),
        ("not a spec", 0.5, "General"),
    ],
)
def test_python_fmt_to_excel(fmt, value, code):
    assert python_fmt_to_excel(fmt, value) == code


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=45), max_size=12))
def test_sheet_names_follow_excels_rules(names):
    out = sheet_names(names)
    assert len(out) == len(names)
    folded = [n.casefold() for n in out]
    assert len(set(folded)) == len(out)
    assert not {"key figures", "about", "history"} & set(folded)
    for name in out:
        assert 1 <= len(name) <= 31 and name == name.strip()
        assert not set(name) & set("[]:*?/\\") and name[0] != "'" and name[-1] != "'"


def test_sheet_names_keep_valid_names():
    assert sheet_names(["Cash flows", "NPV by scenario"]) == ["Cash flows", "NPV by scenario"]


# --- the workbook -------------------------------------------------------------------------------


def _workbook(tmp_path, sidecar):
    record_table(
        "Cash flows: by year [plan]",
        _flows(),
        title="Cash flows by year",
        formats={"cash_flow": "currency", "share": "percent:1"},
        currency="EUR",
    )
    record_table("CASH FLOWS: BY YEAR [PLAN]", _flows(2.0), currency="EUR")
    record("npv", 1234567.891, label="NPV", unit="EUR", fmt=",.0f")
    record("irr", float("nan"), label="IRR", unit="%", fmt=".1%")
    record("ok", True, label="Within appetite")
    record("decision", "Proceed", label="Decision")
    from cio_analytics.reporting import read_records

    path = write_workbook(
        tmp_path / "job.xlsx",
        title="Investment case: laptops",
        tables=read_tables(tables_path(sidecar)),
        records=read_records(sidecar),
        pack="Quarterly pack",
        period="2026Q4",
        run_date="2026-11-26 14:05:00",
        parameters={"discount_rate": 0.08, "weights": [1, 2]},
        inputs={"case_path": "data/x.yaml (sha256 abc...)"},
    )
    return openpyxl.load_workbook(path)


def test_workbook_sheets_and_names(tmp_path, sidecar):
    wb = _workbook(tmp_path, sidecar)
    assert wb.sheetnames == [
        "Key figures",
        "Cash flows_ by year _plan_",
        "CASH FLOWS_ BY YEAR _PLAN_ (2)",
        "About",
    ]
    assert wb.properties.title == "Investment case: laptops"


def test_table_sheet_values_equal_the_recorded_table(tmp_path, sidecar):
    wb = _workbook(tmp_path, sidecar)
    ws = wb["Cash flows_ by year _plan_"]
    rows = _sheet_rows(ws)
    frame = _flows()
    assert rows[0] == list(frame.columns)
    for r, (_, want) in enumerate(frame.iterrows(), start=1):
        got = dict(zip(rows[0], rows[r], strict=True))
        assert got["year"] == want["year"]
        assert got["month"] == want["month"].to_pydatetime()
        if math.isnan(want["cash_flow"]):
            assert got["cash_flow"] is None  # NaN is an empty cell, never the text "nan"
        else:
            assert got["cash_flow"] == want["cash_flow"]
        assert got["share"] == want["share"]
        assert got["label"] == (None if pd.isna(want["label"]) else want["label"])
    doubled = _sheet_rows(wb["CASH FLOWS_ BY YEAR _PLAN_ (2)"])
    assert doubled[1][2] == -2001.0


def test_table_sheet_formats_header_and_layout(tmp_path, sidecar):
    ws = _workbook(tmp_path, sidecar)["Cash flows_ by year _plan_"]
    assert ws.freeze_panes == "A2"
    assert all(cell.font.b for cell in ws[1])
    assert ws.auto_filter.ref == "A1:E5"
    codes = {ws.cell(1, c).value: ws.cell(2, c).number_format for c in range(1, 6)}
    assert codes == {
        "year": "#,##0",
        "month": "yyyy-mm-dd",
        "cash_flow": '#,##0" EUR"',
        "share": "0.0%",
        "label": "General",
    }
    assert {ws.cell(r, 3).number_format for r in range(2, 6)} == {'#,##0" EUR"'}
    widths = {c: ws.column_dimensions[c].width for c in "ABCDE"}
    assert widths["C"] >= len("-1,001 EUR") and widths["B"] >= len("2026-01-01")
    assert all(w <= 60 for w in widths.values())
    other = _workbook(tmp_path, sidecar)["CASH FLOWS_ BY YEAR _PLAN_ (2)"]
    assert other.cell(2, 3).number_format == "#,##0"  # not named: thousands, no decimals
    assert other.cell(3, 3).number_format == "#,##0.00##"  # 500.5 in that column keeps decimals
    assert other.cell(2, 4).number_format == "#,##0.00##"  # not named: small decimals


def test_key_figures_sheet(tmp_path, sidecar):
    ws = _workbook(tmp_path, sidecar)["Key figures"]
    rows = _sheet_rows(ws)
    assert rows[0] == ["Figure", "Value", "Unit", "Identifier"]
    assert rows[1] == ["NPV", 1234567.891, "EUR", "npv"]
    assert ws["B2"].number_format == '#,##0" EUR"'  # money in its currency (issue 13)
    assert rows[2][:2] == ["IRR", "n/a"]
    assert rows[3][:2] == ["Within appetite", "Yes"]
    assert rows[4][:2] == ["Decision", "Proceed"]
    assert ws.freeze_panes == "A2" and ws["A1"].font.b


def test_about_sheet(tmp_path, sidecar):
    about = dict((r[0], r[1]) for r in _sheet_rows(_workbook(tmp_path, sidecar)["About"]) if r[0])
    assert "Investment case: laptops" in about
    assert about["Period"] == "2026Q4" and about["Pack"] == "Quarterly pack"
    assert about["Run date (UTC)"] == "2026-11-26 14:05:00"
    assert about["discount_rate"] == 0.08 and about["weights"] == "[1, 2]"
    assert about["Cash flows_ by year _plan_"] == "Cash flows by year"
    assert about["CASH FLOWS_ BY YEAR _PLAN_ (2)"] == "CASH FLOWS: BY YEAR [PLAN]"
    assert about["case_path"].startswith("data/x.yaml")


def test_empty_workbook_still_opens(tmp_path):
    wb = openpyxl.load_workbook(write_workbook(tmp_path / "e.xlsx", title="Empty"))
    assert wb.sheetnames == ["Key figures", "About"]


# --- through the pipeline -----------------------------------------------------------------------

_NOTEBOOK = [
    'scale: float = 1.0  # multiplies the cash flows [0, 10]\ncurrency: str = "EUR"  # currency code',
    "import numpy as np\nimport pandas as pd\nfrom cio_analytics.reporting import record, record_table",
    'flows = pd.DataFrame({"year": np.arange(4),'
    ' "month": pd.date_range("2026-01-01", periods=4, freq="MS"),'
    ' "cash_flow": np.array([-1000.5, 250.25, 400.125, np.nan]) * scale,'
    ' "share": [0.1, 0.2, 0.3, 0.4], "label": ["build", "run", "run", None]})\n'
    'record_table("cash flows", flows, title="Cash flows by year",'
    ' formats={"cash_flow": "currency", "share": "percent"}, currency=currency)\n'
    'record("npv", float(np.nansum(flows["cash_flow"])), label="NPV", unit=currency, fmt=",.0f")',
]


def _notebook(path, cells, fail=False):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    sources = [*cells, "1 / 0"] if fail else cells
    for i, src in enumerate(sources, start=1):
        cell = nbformat.v4.new_code_cell(src)
        cell.id = f"cell-{i:02d}"
        if i == 1:
            cell.metadata["tags"] = ["parameters"]
        nb.cells.append(cell)
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def pipeline_run(tmp_path_factory):
    from cio_analytics.pipeline import load_pack, run_pack

    here = tmp_path_factory.mktemp("excel-pack")
    _notebook(here / "tables.ipynb", _NOTEBOOK)
    _notebook(here / "broken.ipynb", _NOTEBOOK, fail=True)
    (here / "pack.yaml").write_text(
        "name: excel\ntitle: Excel pack\njobs:\n"
        "  - {name: tables, notebook: tables.ipynb, title: Tables, parameters: {scale: 2}}\n"
        "  - {name: broken, notebook: broken.ipynb, title: Broken}\n"
    )
    run = run_pack(load_pack(here / "pack.yaml"), period="2026Q4", out=here / "out", n_jobs=2)
    return run


@pytest.mark.slow
def test_pipeline_writes_the_workbook_beside_the_report(pipeline_run):
    folder = pipeline_run.folder
    manifest = json.loads(pipeline_run.manifest.read_text())
    jobs = {j["name"]: j for j in manifest["jobs"]}
    assert jobs["tables"]["status"] == "ok" and jobs["broken"]["status"] == "failed"
    assert jobs["tables"]["files"]["excel"] == "tables.xlsx"
    outcome = {j["name"]: j for j in pipeline_run.jobs}
    assert outcome["tables"]["export_warnings"] == []  # the workbook was written without error
    assert "excel" not in jobs["broken"]["files"] and not (folder / "broken.xlsx").exists()

    wb = openpyxl.load_workbook(folder / "tables.xlsx")
    assert wb.sheetnames == ["Key figures", "cash flows", "About"]
    rows = _sheet_rows(wb["cash flows"])
    want = _flows(2.0)
    recorded = read_tables(folder / "tables.tables.jsonl")["cash flows"].frame
    pd.testing.assert_frame_equal(recorded, want, check_dtype=False)
    for r in range(len(want)):
        flow = want["cash_flow"][r]
        assert rows[r + 1][2] == (None if math.isnan(flow) else flow)
        assert rows[r + 1][1] == dt.datetime(2026, 1 + r, 1)
    assert wb["cash flows"]["C2"].number_format == '#,##0" EUR"'
    assert wb["cash flows"]["D2"].number_format == "0.0%"
    assert _sheet_rows(wb["Key figures"])[1][:3] == ["NPV", -700.25, "EUR"]
    about = dict((r[0], r[1]) for r in _sheet_rows(wb["About"]) if r[0])
    assert about["scale"] == 2.0 and about["Period"] == "2026Q4" and about["Pack"] == "Excel pack"

    index = (folder / "index.html").read_text()
    assert "href='tables.xlsx'" in index and "broken.xlsx" not in index


def test_unformatted_mixed_column_never_rounds_a_small_value_away(tmp_path, sidecar):
    """An amount, a zero and a probability in one column: 176,764 / 0 / 0.67, never 1."""
    record_table("mixed", pd.DataFrame({"value": [176764.13, 0.0, 0.67]}))
    path = write_workbook(tmp_path / "m.xlsx", title="m", tables=read_tables(tables_path(sidecar)))
    ws = openpyxl.load_workbook(path)["mixed"]
    assert [ws.cell(r, 1).number_format for r in (2, 3, 4)] == ["#,##0", "#,##0", "#,##0.00##"]
