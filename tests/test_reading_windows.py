"""Reading windows: each report reads the latest records up to its period's as-of date.

The sample files hold eight quarters (2025Q1 on, issue 15); the staffing report averages the
last 12 complete weeks of contacts, team performance reads the tickets opened in the last 12
months, sourcing the provider's last 18 SLA months. With the 2025 rows in front of the files,
the 2026Q4 pack reads exactly the rows it read before (tests/test_sample_history.py checks
those rows byte for byte; here the figures derived from them).
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.io import read_sla_data, read_ticket_export, read_ticket_history
from cio_analytics.io._as_of import keep_last_months
from cio_analytics.staffing import arrival_profile

SAMPLE = "data/sample"


@pytest.fixture(scope="module")
def contacts() -> pd.DataFrame:
    return read_ticket_history(f"{SAMPLE}/ticket_history.csv")


# --- keep_last_months ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    n_rows=st.integers(1, 40),
    months=st.integers(1, 48),
    gap=st.integers(0, 5),
)
def test_the_window_holds_the_last_months_ending_with_the_latest_row(n_rows, months, gap):
    """For any monthly series (possibly with a gap of missing months): the rows kept are exactly
    those within ``months`` calendar months of the latest row, in their order."""
    month = pd.period_range("2020-01", periods=n_rows, freq="M")
    if gap and n_rows > 2:  # a hole in the middle
        month = month[: n_rows // 2].append(month[n_rows // 2 :] + gap)
    frame = pd.DataFrame({"month": month, "x": range(len(month))})
    kept = keep_last_months(frame, "month", months)
    last = month.max()
    expected = frame[[(last - m).n < months for m in month]]
    assert kept["x"].tolist() == expected["x"].tolist()
    assert kept["month"].max() == last


def test_the_window_keeps_every_row_when_not_asked_and_refuses_a_bad_length():
    frame = pd.DataFrame({"opened_at": pd.to_datetime(["2026-01-31 23:59", "2026-02-01 00:00"])})
    assert keep_last_months(frame, "opened_at", None) is frame
    assert len(keep_last_months(frame, "opened_at", 1)) == 1  # February only: a calendar month
    for bad in (0, -3, 1.5, True):
        with pytest.raises(ParameterError, match="months"):
            keep_last_months(frame, "opened_at", bad)


# --- the readers ----------------------------------------------------------------------------------


def test_sla_months_the_last_18_up_to_the_as_of_date():
    path = f"{SAMPLE}/sourcing/sla_monthly.csv"
    q4 = read_sla_data(path, as_of="2026-12-07", months=18)
    assert (str(q4["month"].iloc[0]), str(q4["month"].iloc[-1]), len(q4)) == (
        "2025-04",
        "2026-09",
        18,
    )
    q1 = read_sla_data(path, as_of="2025Q1", months=18)  # fewer months than the window
    assert [str(m) for m in q1["month"]] == ["2025-01", "2025-02", "2025-03"]
    q2 = read_sla_data(path, as_of="2026Q2", months=12)
    assert (str(q2["month"].iloc[0]), str(q2["month"].iloc[-1])) == ("2025-07", "2026-06")


def test_tickets_opened_in_the_last_12_months_are_the_2026q4_packs_export():
    path = f"{SAMPLE}/tickets_export.csv"
    every = read_ticket_export(path)
    year = read_ticket_export(path, as_of="2026-12-07", months=12)
    assert (year["ticket_id"] >= "INC100000").all()
    assert set(year["ticket_id"]) == set(every.loc[every["ticket_id"] >= "INC100000", "ticket_id"])
    assert year["opened_at"].min() >= pd.Timestamp("2025-11-01")
    q3_2025 = read_ticket_export(path, as_of="2025Q3", months=12)
    assert q3_2025["opened_at"].max() < pd.Timestamp("2025-10-01")
    assert q3_2025["opened_at"].min() < pd.Timestamp("2025-01-02")  # all of 2025 so far


# --- the staffing report's weeks --------------------------------------------------------------------


def test_the_last_12_weeks_of_the_eight_quarter_history_are_the_2026q4_packs_weeks(contacts):
    """The arrival pattern of the last 12 complete weeks equals the one computed from the 2026
    rows alone (the file the 2026Q4 pack read), interval by interval."""
    only_2026 = contacts[contacts["created_at"] >= "2026-01-05"].reset_index(drop=True)
    before = arrival_profile(only_2026)
    now = arrival_profile(
        read_ticket_history(f"{SAMPLE}/ticket_history.csv", as_of="2026-12-07"), weeks=12
    )
    assert (now.start, now.end, now.n_weeks) == (before.start, before.end, 12)
    pd.testing.assert_frame_equal(now.profile, before.profile)
    pd.testing.assert_frame_equal(now.weekly, before.weekly)
    assert now.window_text == "12 complete weeks, 5 Jan to 29 Mar 2026"


def test_a_past_quarter_reads_its_own_last_weeks(contacts):
    upto = contacts[contacts["created_at"] < "2025-10-01"]
    profile = arrival_profile(upto, weeks=12)
    assert profile.end == pd.Timestamp("2025-09-29")  # the Monday after the last complete week
    assert profile.start == pd.Timestamp("2025-07-07")
    assert profile.window_text == "12 complete weeks, 7 Jul to 28 Sep 2025"
    across = arrival_profile(contacts[contacts["created_at"] < "2026-01-20"], weeks=4)
    assert across.window_text == "4 complete weeks, 22 Dec 2025 to 18 Jan 2026"


def test_a_window_longer_than_the_history_uses_what_there_is_and_bad_windows_are_refused(contacts):
    short = contacts[contacts["created_at"] < "2025-01-27"]  # 1 Jan (Wed) to 26 Jan: 3 weeks
    assert arrival_profile(short, weeks=52).n_weeks == arrival_profile(short).n_weeks == 3
    with pytest.raises(ParameterError, match="`weeks` must be at least 2"):
        arrival_profile(short, weeks=1)
    with pytest.raises(ParameterError, match="`weeks` and `start`"):
        arrival_profile(short, weeks=2, start="2025-01-06")


def test_a_missing_week_to_plan_is_refused_naming_the_week_after_the_history(contacts):
    profile = arrival_profile(contacts, weeks=12)
    for bad in ("", None, "next week"):
        with pytest.raises(ParameterError, match=r"`week_start`.*2026-03-30"):
            profile.forecast_table(bad)


def test_a_past_years_budget_review_reads_the_spend_history_up_to_its_year():
    """A 2025 period's budget review must not see the 2025 outcome (it forecasts it)."""
    from cio_analytics.exceptions import DataFileError
    from cio_analytics.io import read_it_spend_history

    path = f"{SAMPLE}/it_spend_history.csv"
    every = read_it_spend_history(path)
    in_2025 = read_it_spend_history(path, year=2025)
    assert in_2025["year"].tolist() == list(range(2021, 2026))
    assert in_2025["it_spend"].iloc[-1] != in_2025["it_spend"].iloc[-1]  # NaN: forecast
    pd.testing.assert_frame_equal(in_2025.iloc[:-1], every.iloc[:4])
    pd.testing.assert_frame_equal(read_it_spend_history(path, year=2026), every)
    with pytest.raises(DataFileError, match=r"no row for the year 2030.*2021 to 2026"):
        read_it_spend_history(path, year=2030)


def test_every_quarter_from_2025q1_has_data_for_every_report_but_delivery_before_june_2026():
    """The sample's eight quarters as the quarterly pack sees them: each report has data up to
    each quarter's as-of date, except project delivery (its first status is 31 May 2026). The
    actuals count from their first budget year (2025), not only the latest year read."""
    from datetime import date

    from cio_analytics.pipeline.pack import load_pack
    from cio_analytics.pipeline.period import period_coverage

    pack = load_pack("quarterly")
    for quarter in ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3", "2026Q4"]:
        coverage = period_coverage(pack, quarter, today=date(2026, 12, 7))
        expected = ("project-delivery",) if quarter < "2026Q2" else ()
        assert coverage.uncovered == expected, (quarter, coverage.problems())
