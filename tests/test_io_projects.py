"""Readers of the running projects: the register, task progress, the EVM status (good and bad)."""

from __future__ import annotations

import pandas as pd
import pytest

from cio_analytics.exceptions import DataFileError
from cio_analytics.io import (
    read_evm_status,
    read_portfolio,
    read_project_progress,
    read_project_register,
    read_project_tasks,
)
from cio_analytics.risk import earned_value

REGISTER = "data/sample/projects/register.yaml"
PROGRESS = "data/sample/projects/progress.csv"
STATUS = "data/sample/projects/evm_status.csv"


def test_sample_register_agrees_with_the_portfolio_and_the_task_plans():
    reg = read_project_register(REGISTER)
    assert reg.status_date == pd.Timestamp("2026-11-30") and reg.currency == "EUR"
    assert pd.Timestamp("2026-12-25") in reg.holidays
    p = reg.projects.set_index("id")
    assert p.loc["WRK04", "name"] == "Service desk platform"
    assert p.loc["WRK04", "tasks"] == "data/sample/project_tasks.csv"
    portfolio = read_portfolio("data/sample/portfolio.csv").set_index("id")
    cost = portfolio[[c for c in portfolio.columns if c.startswith("cost_")]].sum(axis=1)
    for pid, row in p.iterrows():
        assert row["budget_at_completion"] == cost[pid]  # the BAC is the portfolio's cost
        assert row["name"] in portfolio.loc[pid, "name"]
        tasks = read_project_tasks(row["tasks"])  # the plan's most likely cost is the BAC
        assert tasks["cost_most_likely"].sum() == row["budget_at_completion"]
        assert row["committed_date"] > reg.status_date


def test_sample_progress_and_status_are_consistent():
    reg = read_project_register(REGISTER)
    progress = read_project_progress(PROGRESS, projects=reg.projects["id"])
    status = read_evm_status(STATUS, projects=reg.projects["id"])
    assert set(progress["project"]) == set(status["project"]) == set(reg.projects["id"])
    assert progress["remaining_days"].notna().sum() == 1
    last = status[status["period"] == reg.status_date].set_index("project")
    spent = progress.groupby("project")["actual_cost"].sum()
    pd.testing.assert_series_equal(last["actual_cost"], spent.reindex(last.index),
                                   check_names=False)  # fmt: skip
    latest = earned_value(status).latest
    assert latest.loc["WRK04", "cpi"] > 0.95 and latest.loc["WRK04", "spi"] > 0.9
    assert latest.loc["REG01", "spi"] < 0.9 and latest.loc["REG01", "cpi"] > 0.95
    assert latest.loc["CRM01", "cpi"] < 0.9 and latest.loc["CRM01", "spi"] > 0.9
    assert status.groupby("project").size().min() >= 6


def test_status_with_percent_complete_and_xlsx(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("project,period,planned_value,percent_complete,actual_cost,budget_at_completion\n"
                    "A,2026-10-31,100,0.1,90,1000\nA,2026-11-30,200,0.15,160,1000\n")  # fmt: skip
    s = read_evm_status(path)
    assert s["percent_complete"].tolist() == [0.1, 0.15]
    xlsx = tmp_path / "s.xlsx"
    pd.read_csv(path).to_excel(xlsx, index=False)
    pd.testing.assert_frame_equal(read_evm_status(xlsx), s, check_dtype=False)


PROGRESS_HEADER = "project,task,percent_complete,actual_cost,remaining_days\n"


@pytest.mark.parametrize(
    ("body", "row", "column", "words"),
    [
        ("A,Build,45,1000,", 2, "percent_complete", "Write 0.45 for 45 %"),
        ("A,Build,0.5,EUR 1000,", 2, "actual_cost", "without currency signs"),
        ("A,Build,0.5,-5,", 2, "actual_cost", "0 or more"),
        ("A,Build,0.5,10,-1", 2, "remaining_days", "0 or more"),
        ("A,Build,0.5,10,\nA,Build,0.6,20,", 3, "task", "appears twice"),
        ("Z,Build,0.5,10,", 2, "project", "unknown project"),
        ("A,,0.5,10,", 2, "task", "must not be empty"),
    ],
)
def test_bad_progress_rows_name_file_row_column_and_value(tmp_path, body, row, column, words):
    path = tmp_path / "progress.csv"
    path.write_text(PROGRESS_HEADER + body + "\n")
    with pytest.raises(DataFileError, match=words) as err:
        read_project_progress(path, projects=["A"])
    assert (err.value.row, err.value.column) == (row, column)
    assert "progress.csv" in str(err.value)


STATUS_HEADER = "project,period,planned_value,earned_value,actual_cost,budget_at_completion\n"


@pytest.mark.parametrize(
    ("body", "row", "column", "words"),
    [
        ("A,31/11/2026x,1,1,1,10", 2, "period", "expected a date"),
        ("A,2026-11-30,1,20,1,10", 2, "earned_value", "cannot exceed the budget"),
        ("A,2026-11-30,1,1,1,0", 2, "budget_at_completion", "greater than 0"),
        ("A,2026-11-30,1,1,n/a,10", 2, "actual_cost", "Got 'n/a'"),
        ("A,2026-11-30,1,1,1,10\nA,2026-11-30,2,2,2,10", 3, "period", "twice"),
    ],
)
def test_bad_status_rows(tmp_path, body, row, column, words):
    path = tmp_path / "status.csv"
    path.write_text(STATUS_HEADER + body + "\n")
    with pytest.raises(DataFileError, match=words) as err:
        read_evm_status(path)
    assert (err.value.row, err.value.column) == (row, column)


def test_status_needs_one_way_of_giving_the_earned_value(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "project,period,planned_value,actual_cost,budget_at_completion\nA,2026-11-30,1,1,9\n"
    )
    with pytest.raises(DataFileError, match="exactly one of"):
        read_evm_status(path)
    path.write_text("project,period,planned_value,actual_cost\nA,2026-11-30,1,1\n")
    with pytest.raises(DataFileError, match="missing required column `budget_at_completion`"):
        read_evm_status(path)


GOOD_REGISTER = """status_date: 2026-11-30
currency: EUR
holidays: [2026-12-25]
projects:
  - {id: A, name: Alpha, budget_at_completion: 1000, committed_date: 2027-03-31, tasks: t.csv}
"""


@pytest.mark.parametrize(
    ("old", "new", "words", "column"),
    [
        (
            "budget_at_completion: 1000",
            "budget_at_completion: '1,000'",
            "expected a number",
            "budget_at_completion",
        ),
        (
            "committed_date: 2027-03-31",
            "committed_date: 2026-10-31",
            "before the status date",
            "committed_date",
        ),
        ("committed_date: 2027-03-31", "committed_date: soon", "expected a date", "committed_date"),
        ("holidays: [2026-12-25]", "holidays: [Christmas]", "expected a date", "holidays"),
        ("holidays: [2026-12-25]", "holydays: [2026-12-25]", "Did you mean 'holidays'", "holydays"),
        (", tasks: t.csv", "", "missing the key `tasks`", "tasks"),
        ("status_date: 2026-11-30\n", "", "missing the key `status_date`", "status_date"),
    ],
)
def test_bad_register_names_the_entry_key_and_value(tmp_path, old, new, words, column):
    path = tmp_path / "register.yaml"
    path.write_text(GOOD_REGISTER.replace(old, new))
    with pytest.raises(DataFileError, match=words) as err:
        read_project_register(path)
    assert err.value.column == column and "register.yaml" in str(err.value)


def test_good_register_and_entry_in_messages(tmp_path):
    path = tmp_path / "register.yaml"
    path.write_text(GOOD_REGISTER)
    reg = read_project_register(path)
    assert reg.names() == {"A": "Alpha"} and reg.holidays == (pd.Timestamp("2026-12-25"),)
    path.write_text(GOOD_REGISTER.replace("1000", "-5"))
    with pytest.raises(DataFileError, match=r"projects item 1 \(Alpha\).*Got -5"):
        read_project_register(path)
