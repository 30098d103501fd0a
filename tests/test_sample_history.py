"""The sample company's eight quarters of history (issue 15), and the budget readers' year.

``data/sample/_generate_history.py`` adds the records of 2025 to the dated sample files (a 2025
budget and its actuals in ``budget.csv`` / ``actuals.csv``; contacts, tickets and the provider's
SLA months in front of the rows the 2026Q4 pack was built from, which the reports' reading
windows keep reading). These tests re-run the script, check that every quarter from 2025Q1 is
covered, and that the story the README tells holds in the numbers.
"""

from __future__ import annotations

import filecmp
import hashlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cio_analytics.exceptions import DataFileError, ParameterError
from cio_analytics.io import (
    read_actuals,
    read_budget,
    read_commitments,
    read_it_spend_history,
    read_sla_data,
    read_ticket_export,
    read_ticket_history,
)
from cio_analytics.io._as_of import keep_up_to

SAMPLE = Path("data/sample")
SCRIPT = SAMPLE / "_generate_history.py"
QUARTERS = [str(q) for q in pd.period_range("2025Q1", "2026Q4", freq="Q")]
PROVIDER = "Service desk provider (Vendor C)"


def _script():
    spec = importlib.util.spec_from_file_location("_generate_history", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    """The script's output, re-run from scratch into a temporary folder."""
    out = tmp_path_factory.mktemp("history")
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return out


# --- the script reproduces the committed files -----------------------------------------------------


def test_the_script_reproduces_the_committed_files_byte_for_byte(regenerated):
    module = _script()
    names = list(module.IN_PLACE) + list(module.HISTORY)
    assert names, "the script writes no file"
    for name in names:
        assert filecmp.cmp(regenerated / name, SAMPLE / name, shallow=False), name


#: SHA-256 of each windowed file as the 2026Q4 pack was built from it, before the 2025 rows
#: were put in front (commit 8cea08b): its header and rows from ``CURRENT_FROM`` on.
PACK_2026Q4_FILES = {
    "ticket_history.csv": "b7690eb05a67e4f54fbc7c7a16bca1e0109b43ac5061f2742b5e9f7e47ec6997",
    "tickets_export.csv": "2423944c872794fbf721f946a5968544bbb39f7dcc9d22dc81a8c125730a526c",
    "sourcing/sla_monthly.csv": "58c7677a73ab766daa3a51f27fb7c0c2240d3d39aecaee4c94ff84bf5f4c8dc6",
}


def test_the_rows_of_the_2026q4_pack_follow_the_2025_rows_byte_for_byte():
    """The 2025 rows come first; from ``CURRENT_FROM`` on, each file is the one the 2026Q4 pack
    was built from, byte for byte (the reading windows then keep its figures)."""
    module = _script()
    assert set(module.CURRENT_FROM) == set(PACK_2026Q4_FILES)
    for name, digest in PACK_2026Q4_FILES.items():
        header, rows = module._current(name)
        assert hashlib.sha256((header + "".join(rows)).encode()).hexdigest() == digest, name
        all_rows = (SAMPLE / name).read_text(encoding="utf-8").splitlines(keepends=True)[1:]
        earlier = all_rows[: len(all_rows) - len(rows)]
        assert earlier and all_rows[len(earlier) :] == rows, name
        assert all(r < module.CURRENT_FROM[name] for r in earlier), name


# --- every quarter from 2025Q1 is covered ----------------------------------------------------------


@pytest.fixture(scope="module")
def merged() -> dict[str, pd.DataFrame]:
    """The eight-quarter files of contacts, tickets and SLA months, read once."""
    folder = SAMPLE
    return {
        "contacts": read_ticket_history(folder / "ticket_history.csv"),
        "tickets": read_ticket_export(folder / "tickets_export.csv"),
        "sla": read_sla_data(folder / "sourcing" / "sla_monthly.csv"),
    }


def _dated(merged: dict[str, pd.DataFrame]) -> dict[str, tuple[pd.Series, str]]:
    """Each dated file's dates (as the report reads them) and their granularity."""
    return {
        "actuals.csv": (read_actuals(SAMPLE / "actuals.csv", year=2025)["month"], "month"),
        "actuals.csv 2026": (read_actuals(SAMPLE / "actuals.csv")["month"], "month"),
        "budget.csv 2025": (read_budget(SAMPLE / "budget.csv", year=2025)["month"], "month"),
        "budget.csv 2026": (read_budget(SAMPLE / "budget.csv")["month"], "month"),
        "ticket_history.csv": (merged["contacts"]["created_at"], "day"),
        "tickets_export.csv": (merged["tickets"]["opened_at"], "day"),
        "sla_monthly.csv": (merged["sla"]["month"].dt.to_timestamp(), "month"),
    }


def test_every_dated_file_covers_each_quarter_from_2025q1_without_a_gap(merged):
    """Within its span (2025Q1 to the file's last record) each quarter's first record is in the
    quarter's first week (daily records) or month (monthly), its last in the last; a file
    ends where the 2026Q4 pack's data ends (later quarters keep reading up to then)."""
    for name, (dates, step) in _dated(merged).items():
        quarters = dates.dt.to_period("Q")
        first_q = "2026Q1" if name.endswith("2026") else "2025Q1"
        assert str(quarters.min()) == first_q, name
        span = pd.period_range(quarters.min(), quarters.max(), freq="Q")
        slack = pd.Timedelta(days=6) if step == "day" else pd.Timedelta(0)
        for q in span:
            inside = dates[(quarters == q).to_numpy()]
            assert len(inside), f"{name}: no record in {q}"
            start, end = q.start_time, q.end_time.normalize()
            if step == "month":
                end = end.replace(day=1)
            if q != span[0] or step == "month":
                assert inside.min() <= start + slack, f"{name}: {q} starts {inside.min()}"
            if q != span[-1]:
                assert inside.max() >= end - slack, f"{name}: {q} ends {inside.max()}"


def test_every_period_from_2025q1_reads_its_own_months(merged):
    """As the period's reports read them: the budget of the period's year, its actuals up to
    the period's end, contacts, tickets and SLA months up to the as-of date (none refused;
    the readers' ``as_of=`` cut is ``keep_up_to``, tested reader by reader in test_io_as_of)."""
    for period in QUARTERS:
        end = pd.Period(period, freq="Q").end_time.normalize()
        budget = read_budget(SAMPLE / "budget.csv", as_of=period)
        actuals = read_actuals(SAMPLE / "actuals.csv", as_of=period)
        assert set(budget["month"].dt.year) == {end.year}, period
        assert set(actuals["month"].dt.year) == {end.year}, period
        assert actuals["month"].max() <= end, period
        for frame, column, monthly in [
            (merged["contacts"], "created_at", False),
            (merged["tickets"], "opened_at", False),
            (merged["sla"], "month", True),
        ]:
            kept = keep_up_to(frame, column, period, path=column, what=column, monthly=monthly)
            assert 0 < len(kept) <= len(frame), (period, column)


# --- the story ------------------------------------------------------------------------------------


def test_contact_volumes_grow_each_quarter_within_a_band(merged):
    """Service-desk contacts per day grow 0.5 % to 4.5 % a quarter (the story: about 2.5 %)
    over the quarters the contact history covers (2025Q1-2026Q1)."""
    hist = merged["contacts"]
    desk = hist[hist["queue"] == "Service desk"]
    day = desk["created_at"].dt.normalize()
    per_day = (
        desk.groupby(day.dt.to_period("Q")).size() / day.groupby(day.dt.to_period("Q")).nunique()
    )
    growth = per_day.pct_change().dropna()
    assert len(growth) == 4
    assert ((growth > 0.005) & (growth < 0.045)).all(), growth.to_dict()


def test_the_incident_quarter_has_the_most_p1s_and_the_worst_provider_months(merged):
    """2025Q1: more P1 tickets than any other whole quarter, the provider's lowest availability
    and its lowest share of P1s resolved in time."""
    incident = pd.Period(_script().INCIDENT_MONTHS[0], freq="M").asfreq("Q")
    tickets = merged["tickets"]
    opened = tickets["opened_at"].dt.to_period("Q")
    whole = opened[opened < opened.max()]  # the last quarter of the export is partial
    p1 = (tickets.loc[whole.index, "priority"] == "P1").groupby(whole).sum()
    assert p1.idxmax() == incident and p1.max() > 1.5 * p1.drop(incident).max()
    sla = merged["sla"]
    by_q = sla.groupby(sla["month"].dt.asfreq("Q"))[["availability", "p1_resolved_in_time"]]
    means = by_q.mean()
    assert means["availability"].idxmin() == incident
    assert means["p1_resolved_in_time"].idxmin() == incident


def test_the_budget_variance_builds_up():
    """Year-to-date variance (actual / budget - 1) at each quarter end rises within each year;
    2025 closes under budget at the spend of the IT spend history, 2026 is over by Q3."""
    ytd = {}
    for period in QUARTERS[:7]:  # the actuals run to September 2026
        actuals = read_actuals(SAMPLE / "actuals.csv", as_of=period)
        budget = read_budget(SAMPLE / "budget.csv", as_of=period)
        planned = budget.loc[budget["month"] <= actuals["month"].max(), "amount"].sum()
        ytd[period] = actuals["amount"].sum() / planned - 1
    v = pd.Series(ytd)
    assert (np.diff(v.iloc[:4]) > 0).all() and (np.diff(v.iloc[4:]) > 0).all(), v.to_dict()
    assert -0.02 < v["2025Q4"] < 0 < v["2026Q3"], v.to_dict()
    spent = read_actuals(SAMPLE / "actuals.csv", year=2025)["amount"].sum()
    history = read_it_spend_history(SAMPLE / "it_spend_history.csv").set_index("year")
    assert spent == pytest.approx(history.loc[2025, "it_spend"], abs=0.01)


def test_the_2025_provider_fee_is_the_same_in_budget_actuals_and_sla(merged):
    sla = merged["sla"]
    fee = sla.set_index(sla["month"].dt.to_timestamp())["monthly_fee"]
    for frame in (
        read_budget(SAMPLE / "budget.csv", year=2025),
        read_actuals(SAMPLE / "actuals.csv", year=2025),
    ):
        paid = frame[frame["line"] == PROVIDER].set_index("month")["amount"]
        assert len(paid) == 12
        pd.testing.assert_series_equal(paid, fee.reindex(paid.index), check_names=False)


# --- the budget readers select one year --------------------------------------------------------------


def test_the_readers_keep_todays_behaviour_by_default():
    """No year and no as-of date: the latest year, as when the files held 2026 only."""
    budget = read_budget(SAMPLE / "budget.csv")
    assert sorted(budget["month"].dt.strftime("%Y-%m").unique()) == [
        f"2026-{m:02d}" for m in range(1, 13)
    ]
    assert budget.index.equals(pd.RangeIndex(len(budget)))
    actuals = read_actuals(SAMPLE / "actuals.csv")
    assert f"{actuals['month'].min():%Y-%m}" == "2026-01"
    assert f"{actuals['month'].max():%Y-%m}" == "2026-09"
    assert len(read_commitments(SAMPLE / "commitments.csv")) == 5


def test_the_readers_select_the_year_of_the_period_or_the_one_asked_for():
    assert set(read_budget(SAMPLE / "budget.csv", as_of="2025-08-31")["month"].dt.year) == {2025}
    assert set(read_budget(SAMPLE / "budget.csv", year=2025, as_of="2026Q2")["month"].dt.year) == {
        2025
    }
    q4 = read_actuals(SAMPLE / "actuals.csv", as_of="2025Q4")
    assert (q4["month"].dt.year == 2025).all() and q4["month"].dt.month.nunique() == 12
    q1 = read_actuals(SAMPLE / "actuals.csv", as_of="2026Q1")
    assert f"{q1['month'].min():%Y-%m} {q1['month'].max():%Y-%m}" == "2026-01 2026-03"
    assert read_commitments(SAMPLE / "commitments.csv", as_of="2025Q3").empty
    assert len(read_commitments(SAMPLE / "commitments.csv", as_of="2026Q2")) == 5


def test_a_year_the_file_does_not_hold_is_refused_naming_the_years_it_holds():
    with pytest.raises(
        DataFileError, match=r"no budget for the year 2024; the file holds 2025, 2026"
    ):
        read_budget(SAMPLE / "budget.csv", year=2024)
    with pytest.raises(DataFileError, match=r"no actuals for the year 2027"):
        read_actuals(SAMPLE / "actuals.csv", year=2027)
    with pytest.raises(ParameterError, match=r"`year` must be a whole number"):
        read_budget(SAMPLE / "budget.csv", year="2025")


def test_the_staffing_plan_runs_on_every_quarters_contact_history(merged):
    """The staffing report's model, with the notebook's defaults, on the contacts up to the end
    of each quarter the history covers: no interval's drawn handle time exceeds the half
    hour (quiet intervals gather few contacts), and more contacts need more agents."""
    from cio_analytics.staffing import arrival_profile, staffing_plan

    fte = {}
    for period in QUARTERS[:5]:  # the contact history runs to March 2026
        upto = keep_up_to(merged["contacts"], "created_at", period, path="contacts", what="")
        profile = arrival_profile(upto, weeks=12)  # as the notebook reads it
        plan = staffing_plan(
            profile.forecast_table(profile.end),
            target_service_level=0.8,
            answer_time_s=20.0,
            max_occupancy=0.85,
            shrinkage=0.3,
            hours_per_fte_week=37.5,
            cost_per_fte_year=58000.0,
            percentile=0.8,
            n_trials=500,
            rng=2026,
        )
        fte[period] = plan.total_fte
    assert fte["2026Q1"] > fte["2025Q1"] + 1.0, fte
