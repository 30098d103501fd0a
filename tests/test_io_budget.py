"""Budget readers: the sample files, and every bad-input rule with file, row, column and fix."""

from __future__ import annotations

import numpy as np
import pytest

from cio_analytics.exceptions import DataFileError
from cio_analytics.io import read_actuals, read_budget, read_commitments, read_it_spend_history

HEADER = "month,cost_centre,line,category,expense_type,sourcing,amount,volume,unit_price\n"
GOOD = (
    "2026-01,Apps,Contractors,grow,opex,external,7000,10,700\n"
    "2026-01,Apps,Network,Run,OPEX,External,500,,\n"
    "2026-02,Apps,Contractors,grow,opex,external,7200,,\n"
    "2026-02,Apps,Network,run,opex,external,500,,\n"
)


def write(tmp_path, text, name="file.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_sample_files():
    budget = read_budget("data/sample/budget.csv")
    actuals = read_actuals("data/sample/actuals.csv")
    commitments = read_commitments("data/sample/commitments.csv")
    history = read_it_spend_history("data/sample/it_spend_history.csv")
    assert budget["month"].nunique() == 12 and actuals["month"].nunique() == 9
    assert set(budget["category"]) == {"run", "grow", "transform"}
    assert (budget["amount"] >= 0).all()
    priced = budget.dropna(subset=["volume"])
    np.testing.assert_allclose(priced["volume"] * priced["unit_price"], priced["amount"], rtol=1e-9)
    assert commitments["month"].min() >= actuals["month"].max()
    assert list(history["year"]) == list(range(2021, 2027))


def test_good_file_normalises(tmp_path):
    df = read_budget(write(tmp_path, HEADER + GOOD))
    assert set(df["category"]) == {"grow", "run"} and set(df["sourcing"]) == {"external"}
    assert str(df["month"].dtype) == "datetime64[ns]"
    net = df[df["line"] == "Network"]
    assert net["volume"].isna().all() and net["unit_price"].isna().all()


def test_unit_price_derived_from_volume(tmp_path):
    df = read_actuals(write(tmp_path, HEADER + "2026-01,A,X,run,opex,internal,900,3,\n"))
    assert df["unit_price"].iloc[0] == pytest.approx(300.0)


@pytest.mark.parametrize(
    ("body", "row", "column", "words"),
    [
        ("2026-01,Apps,X,run,opex,internal,TBD,,\n", 2, "amount", ["expected a number", "'TBD'"]),
        ("2026-01,Apps,X,run,opex,internal,-100,,\n", 2, "amount", ["0 or more", "-100", "negative"]),
        ("2026-01,Apps,X,trasform,opex,internal,1,,\n", 2, "category",
         ["unknown category", "Did you mean 'transform'"]),
        ("2026-01,Apps,X,run,capx,internal,1,,\n", 2, "expense_type", ["Did you mean 'capex'"]),
        ("2026-01,Apps,X,run,opex,inhouse,1,,\n", 2, "sourcing", ["'internal', 'external'"]),
        ("Q1,Apps,X,run,opex,internal,1,,\n", 2, "month", ["expected a month", "'Q1'"]),
        ("2026-01,Apps,X,run,opex,internal,1000,10,50\n", 2, "amount", ["not volume x unit_price"]),
        ("2026-01,Apps,X,run,opex,internal,100,-1,\n", 2, "volume", ["0 or more"]),
        ("2026-01,Apps,X,run,opex,internal,100,0,\n", 2, "volume", ["volume is 0"]),
        ("2026-01,Apps,X,run,opex,internal,1,,\n2026-01,Apps,X,run,opex,internal,2,,\n", 3,
         "month", ["duplicate", "first seen in row 2", "add the amounts"]),
        ("2026-01,Apps,X,run,opex,internal,1,,\n2026-03,Apps,X,run,opex,internal,1,,\n", 3,
         "month", ["2026-02 missing", "amount 0"]),
    ],
)  # fmt: skip
def test_budget_bad_input(tmp_path, body, row, column, words):
    path = write(tmp_path, HEADER + body)
    with pytest.raises(DataFileError) as info:
        read_budget(path)
    err = info.value
    assert (err.path, err.row, err.column) == (path, row, column)
    for word in words:
        assert word in str(err)


def test_gap_for_one_cost_centre(tmp_path):
    """The file covers Jan-Mar, but cost centre B skips February: an export that lost rows."""
    body = "".join(
        f"2026-0{m},{cc},X,run,opex,internal,1,,\n" for m in (1, 2, 3) for cc in ("A", "B")
        if not (cc == "B" and m == 2)
    )  # fmt: skip
    path = write(tmp_path, HEADER + body)
    with pytest.raises(DataFileError, match="cost centre 'B'") as info:
        read_actuals(path)
    assert info.value.row == 6 and info.value.column == "month"


def test_actuals_accept_credit_notes(tmp_path):
    df = read_actuals(write(tmp_path, HEADER + "2026-01,A,X,run,opex,internal,-250,,\n"))
    assert df["amount"].iloc[0] == -250.0


def test_missing_column_and_empty(tmp_path):
    path = write(
        tmp_path,
        "month,cost_centre,category,expense_type,sourcing,amont\n2026-01,A,run,opex,internal,1\n",
    )
    with pytest.raises(
        DataFileError, match=r"missing required column `amount`.*Did you mean .amont."
    ):
        read_budget(path)


def test_commitments_bad_input(tmp_path):
    good = write(tmp_path, "cost_centre,month,amount,category\nA,2026-11,100,grow\n", "c.csv")
    assert read_commitments(good)["category"].iloc[0] == "grow"
    bad = write(tmp_path, "cost_centre,month,amount\nA,2026-11,-5\n", "d.csv")
    with pytest.raises(DataFileError) as info:
        read_commitments(bad)
    assert (info.value.row, info.value.column) == (2, "amount")


def test_history_bad_input(tmp_path):
    head = "year,it_spend,employees,revenue\n"
    early = write(tmp_path, head + "2021,,10,100\n2022,5,10,100\n2023,,10,100\n", "h1.csv")
    with pytest.raises(DataFileError, match="only the latest year") as info:
        read_it_spend_history(early)
    assert (info.value.row, info.value.column) == (2, "it_spend")
    gap = write(tmp_path, head + "2021,5,10,100\n2023,5,10,100\n", "h2.csv")
    with pytest.raises(DataFileError, match="jump from 2021 to 2023"):
        read_it_spend_history(gap)
    dup = write(tmp_path, head + "2021,5,10,100\n2021,6,10,100\n", "h3.csv")
    with pytest.raises(DataFileError, match="appears twice") as info:
        read_it_spend_history(dup)
    assert info.value.row == 3
    text = write(tmp_path, head + "2021,5,10,100\n2022,lots,10,100\n2023,,10,100\n", "h4.csv")
    with pytest.raises(DataFileError, match="'lots'") as info:
        read_it_spend_history(text)
    assert (info.value.row, info.value.column) == (3, "it_spend")
    zero = write(tmp_path, head + "2021,5,0,100\n", "h5.csv")
    with pytest.raises(DataFileError, match="greater than 0"):
        read_it_spend_history(zero)
