"""Readers for investment cases (YAML) and line-item tables (CSV, XLSX)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from cio_analytics import DataFileError
from cio_analytics.io import CaseSpec, read_case, read_line_items
from cio_analytics.valuation import InvestmentCase, compare_cases

CASES = "data/sample/cases"
HEADER = "name,kind,amount,start,duration,escalation\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_case_reads_and_builds():
    spec = read_case(f"{CASES}/service_desk_platform.yaml")
    assert isinstance(spec, CaseSpec)
    assert (spec.name, spec.currency, spec.horizon_years) == ("Service desk platform", "EUR", 5)
    assert spec.discount_rate == 0.08 and spec.tax_rate == 0.25
    assert len(spec.sha256) == 64
    case = InvestmentCase.from_spec(spec)
    assert case.item_names[0] == "Platform implementation"
    assert case.evaluate().npv > 0


def test_csv_xlsx_and_yaml_hold_the_same_items():
    """The sample CSV and XLSX tables are the service-desk case's line items."""
    csv = read_line_items(f"{CASES}/service_desk_line_items.csv")
    xlsx = read_line_items(f"{CASES}/service_desk_line_items.xlsx")
    pd.testing.assert_frame_equal(csv, xlsx)
    yaml_items = read_case(f"{CASES}/service_desk_platform.yaml").line_items
    cols = ["name", "kind", "amount", "start", "escalation"]
    pd.testing.assert_frame_equal(csv[cols], yaml_items[cols])
    assert list(csv.columns) == [
        "name",
        "kind",
        "amount",
        "start",
        "duration",
        "escalation",
        "depreciation_years",
    ]


def test_line_items_file_next_to_the_yaml_and_sample_pairs_compare():
    lease = InvestmentCase.from_spec(read_case(f"{CASES}/laptops_lease.yaml"))
    buy = InvestmentCase.from_spec(read_case(f"{CASES}/laptops_buy.yaml"))
    assert lease.item_names == ["Lease payments", "Lease set-up fee"]
    cmp = compare_cases(buy, lease)
    assert cmp.break_even_status == "ok"
    assert np.isfinite(cmp.break_even_rate)
    build = InvestmentCase.from_spec(read_case(f"{CASES}/identity_build.yaml"))
    saas = InvestmentCase.from_spec(read_case(f"{CASES}/identity_buy.yaml"))
    assert compare_cases(build, saas).preferred in (build.name, saas.name)


def test_works_from_another_directory(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert read_case(f"{CASES}/identity_buy.yaml").currency == "EUR"


def test_aliases_and_blank_defaults(tmp_path):
    path = write(tmp_path, "ok.csv", HEADER + "Sub,Licenses,1200,,,\nGain,benefits,5,2,3,0.02\n")
    items = read_line_items(path)
    assert list(items["kind"]) == ["licence", "benefit"]
    assert items["amount"].tolist() == [1200.0, 5.0]
    assert np.isnan(items.loc[0, "start"]) and items.loc[1, "start"] == 2
    assert np.isnan(items.loc[0, "duration"]) and items.loc[1, "duration"] == 3


@pytest.mark.parametrize(
    ("body", "row", "column", "match"),
    [
        ("A,capx,100,0,1,0\n", 2, "kind", "Did you mean 'capex'"),
        ("A,capex,100,0,1,0\nB,staff,TBD,1,,0\n", 3, "amount", "expected a number. Got 'TBD'"),
        ("A,staff,100,0,-2,0\n", 2, "duration", "whole number, 1 or more"),
        ("A,staff,100,0.5,,0\n", 2, "start", "whole number, 0 or more"),
        ("A,staff,100,0,,3\n", 2, "escalation", "Write 0.03 for 3 %"),
        (",staff,100,0,,0\n", 2, "name", "needs a name"),
        ("A,staff,,0,,0\n", 2, "amount", "Got empty"),
        ('A,staff,"1,5",0,,0\n', 2, "amount", "thousands separators"),
    ],
)
def test_bad_csv_rows_name_file_row_and_column(tmp_path, body, row, column, match):
    path = write(tmp_path, "items.csv", HEADER + body)
    with pytest.raises(DataFileError, match=match) as info:
        read_line_items(path)
    err = info.value
    assert (err.row, err.column) == (row, column)
    assert str(path) in str(err) and f"row {row}" in str(err)


def test_missing_column_and_empty_table(tmp_path):
    path = write(tmp_path, "items.csv", "name,kind,amout\nA,capex,1\n")
    with pytest.raises(DataFileError, match=r"missing required column `amount`.*Did you mean"):
        read_line_items(path)
    with pytest.raises(DataFileError, match="no data rows"):
        read_line_items(write(tmp_path, "empty.csv", HEADER))
    with pytest.raises(DataFileError, match="unsupported file type"):
        read_line_items(write(tmp_path, "items.txt", HEADER))
    with pytest.raises(DataFileError, match="no file at"):
        read_line_items(tmp_path / "nope.csv")


def test_bad_xlsx_row_is_the_spreadsheet_row(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["name", "kind", "amount"])
    ws.append(["A", "capex", 100])
    ws.append(["B", "staff", 50])
    ws.append(["C", "staff", "about 10k"])
    path = tmp_path / "items.xlsx"
    wb.save(path)
    with pytest.raises(DataFileError, match="expected a number") as info:
        read_line_items(path)
    assert (info.value.row, info.value.column) == (4, "amount")


CASE_HEAD = "name: T\ncurrency: EUR\nhorizon_years: 3\ndiscount_rate: 0.08\n"


@pytest.mark.parametrize(
    ("text", "match", "column"),
    [
        (CASE_HEAD + "discount_rte: 0.1\n", "Did you mean 'discount_rate'", "discount_rte"),
        (CASE_HEAD.replace("discount_rate: 0.08", "discount_rate: 8"), "0.08 for 8 %", None),
        (
            CASE_HEAD + "tax_rate: 25\nline_items: [{name: a, kind: capex, amount: 1}]\n",
            "0.25",
            None,
        ),
        (CASE_HEAD, "exactly one of `line_items`", "line_items"),
        (
            CASE_HEAD + "line_items: [{name: a, kind: cap, amount: 1}]\n",
            "item 1: unknown kind",
            "kind",
        ),
        (
            CASE_HEAD + "line_items: [{name: a, kind: capex, amont: 1}]\n",
            "Did you mean 'amount'",
            None,
        ),
        ("name: T\ncurrency: EUR\nhorizon_years: 3\n", "is required", "discount_rate"),
        (CASE_HEAD + "periods_per_year: 4\nline_items: []\n", "must be 1 or 12", None),
        ("- just a list\n", "mapping of case settings", None),
        ("name: [unclosed\n", "not valid YAML", None),
    ],
)
def test_bad_yaml_cases(tmp_path, text, match, column):
    path = write(tmp_path, "case.yaml", text)
    with pytest.raises(DataFileError, match=match) as info:
        read_case(path)
    assert str(path) in str(info.value)
    if column is not None:
        assert info.value.column == column


def test_item_after_horizon_is_a_file_error(tmp_path):
    path = write(
        tmp_path,
        "case.yaml",
        CASE_HEAD + "line_items: [{name: a, kind: capex, amount: 1, start: 7}]\n",
    )
    spec = read_case(path)
    with pytest.raises(DataFileError, match="after the horizon") as info:
        InvestmentCase.from_spec(spec)
    assert info.value.path == spec.path


def test_bad_line_items_file_named_in_yaml(tmp_path):
    write(tmp_path, "items.csv", HEADER + "A,capex,lots,0,,\n")
    path = write(tmp_path, "case.yaml", CASE_HEAD + "line_items_file: items.csv\n")
    with pytest.raises(DataFileError, match="expected a number") as info:
        read_case(path)
    assert info.value.row == 2 and "items.csv" in str(info.value)
