"""Readers of the project list and its constraints: the sample files and every bad-input rule."""

from __future__ import annotations

import pandas as pd
import pytest

from cio_analytics.exceptions import DataFileError
from cio_analytics.io import read_portfolio, read_portfolio_constraints

HEADER = "id,name,npv,npv_low,npv_high,cost_2027,cost_2028,fte_dev,needs,excludes,mandatory\n"
GOOD = [
    "A,Platform,100,50,200,10,5,1,,,yes",
    "B,App,200,100,300,10,0,2,A,,no",
    "C,Other app,150,100,200,5,5,1,,B,",
]


def _csv(tmp_path, rows, header=HEADER, name="p.csv"):
    path = tmp_path / name
    path.write_text(header + "\n".join(rows) + "\n")
    return path


def test_sample_portfolio_is_mid_sized_and_consistent():
    table = read_portfolio("data/sample/portfolio.csv")
    assert 40 <= len(table) <= 60
    assert [c for c in table.columns if c.startswith("cost_")] == [
        f"cost_{y}" for y in range(2027, 2032)
    ]
    assert len([c for c in table.columns if c.startswith("fte_")]) >= 4
    assert table["mandatory"].sum() >= 3 and (table["needs"] != "").sum() >= 10
    assert (table["excludes"] != "").any() and (table["risk_driver"] != "").all()
    assert ((table["npv_low"] <= table["npv"]) & (table["npv"] <= table["npv_high"])).all()
    spec = read_portfolio_constraints("data/sample/portfolio_constraints.yaml", portfolio=table)
    assert list(spec["budget"].index) == [str(y) for y in range(2027, 2032)]
    assert (spec["budget"] > 0).all() and spec["capacity"].shape == (5, 5)
    assert spec["min_average_score"] == 3.0 and spec["currency"] == "EUR"


def test_good_file_parses_flags_lists_and_defaults(tmp_path):
    t = read_portfolio(_csv(tmp_path, GOOD))
    assert t["mandatory"].tolist() == [True, False, False]
    assert t["needs"].tolist() == ["", "A", ""] and t["excludes"].tolist() == ["", "", "B"]
    assert t["strategic_score"].tolist() == [0.0, 0.0, 0.0]
    assert t.attrs["path"].endswith("p.csv")


def test_xlsx_reads_like_csv(tmp_path):
    csv = read_portfolio(_csv(tmp_path, GOOD))
    xlsx = tmp_path / "p.xlsx"
    pd.read_csv(_csv(tmp_path, GOOD)).to_excel(xlsx, index=False)
    pd.testing.assert_frame_equal(read_portfolio(xlsx), csv, check_dtype=False)


@pytest.mark.parametrize(
    ("row", "replacement", "column", "words"),
    [
        (3, "B,App,200,100,300,10,0,2,Z,,no", "needs", "unknown project 'Z'"),
        (3, "B,App,200,100,300,10,0,2,B,,no", "needs", "lists itself"),
        (3, "A,App,200,100,300,10,0,2,,,no", "id", "appears twice (first in row 2)"),
        (3, "B,App,200,100,300,-10,0,2,A,,no", "cost_2027", "cannot be negative"),
        (3, "B,App,200,100,300,TBD,0,2,A,,no", "cost_2027", "expected a number. Got 'TBD'"),
        (3, "B,App,290,100,300,10,0,2,A,,no", "npv", "does not fit the range"),
        (3, "B,App,200,300,100,10,0,2,A,,no", "npv_low", "Swap them"),
        (3, "B,App,200,100,300,10,0,2,A,,maybe", "mandatory", "expected yes/no"),
        (4, "C,Other app,150,100,200,5,5,1,,B;A;B,", "excludes", None),
        (3, "B,App,200,100,300,10,0,2,A,A,no", "excludes", "both needs and excludes"),
    ],
)
def test_bad_rows_name_row_column_and_rule(tmp_path, row, replacement, column, words):
    rows = list(GOOD)
    rows[row - 2] = replacement
    if words is None:  # repeated ids in a list are harmless: no error
        read_portfolio(_csv(tmp_path, rows))
        return
    with pytest.raises(DataFileError) as err:
        read_portfolio(_csv(tmp_path, rows))
    assert err.value.row == row and err.value.column == column
    assert words in str(err.value) and "p.csv" in str(err.value)


def test_cycle_in_dependencies_is_spelled_out(tmp_path):
    rows = ["A,a,1,,,1,0,0,C,,", "B,b,1,,,1,0,0,A,,", "C,c,1,,,1,0,0,B,,"]
    with pytest.raises(DataFileError, match=r"cycle: A -> C -> B -> A") as err:
        read_portfolio(_csv(tmp_path, rows))
    assert err.value.column == "needs" and err.value.row == 2


def test_missing_columns(tmp_path):
    with pytest.raises(DataFileError, match="missing required column `npv`"):
        read_portfolio(_csv(tmp_path, ["A,1"], header="id,value\n"))
    with pytest.raises(DataFileError, match="cost_<year>"):
        read_portfolio(_csv(tmp_path, ["A,1"], header="id,npv\n"))


def _yaml(tmp_path, text):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    return path


def test_constraints_per_year_capacity_and_errors(tmp_path):
    spec = read_portfolio_constraints(
        _yaml(
            tmp_path, "budget: {2027: 100, 2028: 50}\ncapacity: {dev: {2027: 2, 2028: 3}, ops: 1}\n"
        )
    )
    assert spec["capacity"].loc["dev"].tolist() == [2.0, 3.0]
    assert spec["capacity"].loc["ops"].tolist() == [1.0, 1.0] and spec["min_average_score"] is None
    with pytest.raises(DataFileError, match=r"`budget\[2028\]`: must be 0 or more. Got -5"):
        read_portfolio_constraints(_yaml(tmp_path, "budget: {2027: 100, 2028: -5}\n"))
    with pytest.raises(DataFileError, match=r"missing \['2028'\]"):
        read_portfolio_constraints(
            _yaml(tmp_path, "budget: {2027: 1, 2028: 1}\ncapacity: {dev: {2027: 2}}\n")
        )
    with pytest.raises(DataFileError, match=r"unknown key 'budgets'. .*Did you mean 'budget'"):
        read_portfolio_constraints(_yaml(tmp_path, "budgets: {2027: 1}\n"))


def test_constraints_checked_against_the_project_list(tmp_path):
    table = read_portfolio(_csv(tmp_path, GOOD))
    with pytest.raises(DataFileError, match="no budget for year '2028'"):
        read_portfolio_constraints(
            _yaml(tmp_path, "budget: {2027: 1}\ncapacity: {dev: 1}\n"), portfolio=table
        )
    with pytest.raises(DataFileError, match="no capacity for skill 'dev'"):
        read_portfolio_constraints(_yaml(tmp_path, "budget: {2027: 1, 2028: 1}\n"), portfolio=table)
