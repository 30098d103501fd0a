"""Readers of the staffing data files: the samples load, and every broken file is named."""

from __future__ import annotations

import pandas as pd
import pytest

from cio_analytics.exceptions import DataFileError
from cio_analytics.io.staffing import (
    read_staffing_forecast,
    read_team_demand,
    read_team_roster,
    read_ticket_history,
)

GOOD_FORECAST = (
    "queue,interval_start,calls,handle_time_s\n"
    "A,2026-03-30 09:00,10,180\n"
    "A,2026-03-30 09:30,12,180\n"
    "B,2026-03-30 09:00,0,300\n"
    "B,2026-03-30 09:30,3,300\n"
)


def _write(tmp_path, text, name="f.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_samples_load():
    fc = read_staffing_forecast("data/sample/staffing_forecast.csv")
    assert fc.attrs["interval_s"] == 1800.0
    assert fc.groupby("queue").size().eq(336).all()  # a full week of half hours per queue
    assert (fc["calls"] >= 0).all() and (fc["handle_time_s"] > 0).all()
    hist = read_ticket_history("data/sample/ticket_history.csv")
    assert len(hist) > 10_000
    assert hist["created_at"].is_monotonic_increasing
    assert set(hist["queue"]) == set(fc["queue"])
    demand = read_team_demand("data/sample/team_demand.csv")
    assert (demand["low_hours"] <= demand["demand_hours"]).all()
    assert (demand["demand_hours"] <= demand["high_hours"]).all()
    roster = read_team_roster("data/sample/team_roster.csv")
    assert "Service desk" in roster.index


def test_forecast_good_file_sorted(tmp_path):
    fc = read_staffing_forecast(_write(tmp_path, GOOD_FORECAST))
    assert fc["queue"].tolist() == ["A", "A", "B", "B"]
    assert fc.attrs["interval_s"] == 1800.0


@pytest.mark.parametrize(
    ("old", "new", "row", "column", "words"),
    [
        ("A,2026-03-30 09:30,12,180", "A,2026-03-30 09:30,-1,180", 3, "calls", "0 or more"),
        (
            "A,2026-03-30 09:30,12,180",
            "A,2026-03-30 09:30,12,0",
            3,
            "handle_time_s",
            "greater than 0",
        ),
        ("A,2026-03-30 09:30,12,180", "A,2026-03-30 09:30,twelve,180", 3, "calls", "twelve"),
        ("A,2026-03-30 09:30,12,180", "A,30/13/2026 9h,12,180", 3, "interval_start", "date-time"),
        (
            "A,2026-03-30 09:30,12,180",
            "A,2026-03-30 09:00,12,180",
            3,
            "interval_start",
            "duplicate",
        ),
    ],
)
def test_forecast_bad_cells(tmp_path, old, new, row, column, words):
    path = _write(tmp_path, GOOD_FORECAST.replace(old, new))
    with pytest.raises(DataFileError) as err:
        read_staffing_forecast(path)
    assert err.value.row == row and err.value.column == column
    assert words in str(err.value) and "f.csv" in str(err.value)


def test_forecast_missing_interval(tmp_path):
    text = GOOD_FORECAST + "A,2026-03-30 10:30,4,180\n"  # 10:00 is missing for queue A
    with pytest.raises(DataFileError, match=r"missing interval.*10:00.*calls 0") as err:
        read_staffing_forecast(_write(tmp_path, text))
    assert err.value.row == 6 and err.value.column == "interval_start"


def test_forecast_queues_on_different_grids(tmp_path):
    text = GOOD_FORECAST + "A,2026-03-30 10:00,4,180\n"
    with pytest.raises(DataFileError, match="same intervals"):
        read_staffing_forecast(_write(tmp_path, text))


def test_forecast_missing_column_did_you_mean(tmp_path):
    text = GOOD_FORECAST.replace("handle_time_s", "handle_time")
    with pytest.raises(DataFileError, match="Did you mean 'handle_time'") as err:
        read_staffing_forecast(_write(tmp_path, text))
    assert err.value.column == "handle_time_s"


def test_forecast_shrinkage_percent_hint(tmp_path):
    text = (
        GOOD_FORECAST.replace("handle_time_s\n", "handle_time_s,shrinkage\n")
        .replace(",180\n", ",180,30\n")
        .replace(",300\n", ",300,0.3\n")
    )
    with pytest.raises(DataFileError, match=r"0\.3 for 30 %") as err:
        read_staffing_forecast(_write(tmp_path, text))
    assert err.value.column == "shrinkage"


def test_forecast_xlsx(tmp_path):
    frame = pd.read_csv(_write(tmp_path, GOOD_FORECAST))
    path = tmp_path / "f.xlsx"
    frame.to_excel(path, index=False)
    fc = read_staffing_forecast(path)
    assert fc["calls"].sum() == 25


def test_forecast_unknown_file():
    with pytest.raises(DataFileError, match="no file"):
        read_staffing_forecast("data/sample/does_not_exist.csv")


def test_history_bad_timestamp(tmp_path):
    text = "created_at,queue,handle_time_s\n2026-01-05 08:00,A,200\nyesterday,A,100\n"
    with pytest.raises(DataFileError, match="'yesterday'") as err:
        read_ticket_history(_write(tmp_path, text))
    assert err.value.row == 3 and err.value.column == "created_at"


def test_history_zero_handle_time(tmp_path):
    text = "created_at,queue,handle_time_s\n2026-01-05 08:00,A,200\n2026-01-05 08:10,A,0\n"
    with pytest.raises(DataFileError, match="greater than 0") as err:
        read_ticket_history(_write(tmp_path, text))
    assert err.value.row == 3


def test_history_optional_columns(tmp_path):
    text = "opened\n2026-01-05 08:00\n2026-01-05 08:10\n"
    hist = read_ticket_history(_write(tmp_path, text), timestamp_column="opened")
    assert hist["queue"].tolist() == ["All", "All"]
    assert hist["handle_time_s"].isna().all()


def test_demand_range_out_of_order(tmp_path):
    text = "team,activity,demand_hours,low_hours,high_hours\nOps,Run,100,120,150\n"
    with pytest.raises(DataFileError, match="low_hours <= demand_hours") as err:
        read_team_demand(_write(tmp_path, text))
    assert err.value.row == 2 and err.value.column == "low_hours"


def test_demand_missing_range_defaults_to_likely(tmp_path):
    text = "team,activity,demand_hours,low_hours,high_hours\nOps,Run,100,,\n"
    demand = read_team_demand(_write(tmp_path, text))
    assert demand.loc[0, ["low_hours", "high_hours"]].tolist() == [100.0, 100.0]


def test_roster_attrition_percent_hint(tmp_path):
    text = (
        "team,headcount,employee_cost_per_fte_year,contractor_cost_per_fte_year,"
        "monthly_attrition,time_to_hire_months,ramp_up_months\nOps,5,80000,120000,2,3,1.5\n"
    )
    with pytest.raises(DataFileError, match=r"Write 0\.02 for 2 %") as err:
        read_team_roster(_write(tmp_path, text))
    assert err.value.column == "monthly_attrition"
    fixed = text.replace(",2,3,1.5", ",0.02,3,1.5")
    with pytest.raises(DataFileError, match="whole number") as err:
        read_team_roster(_write(tmp_path, fixed))
    assert err.value.column == "ramp_up_months"
