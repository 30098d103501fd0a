"""Delivery outlook of running projects: the remaining network from today's status."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cio_analytics import ParameterError
from cio_analytics.risk import Task, Uniform
from cio_analytics.risk.project_status import project_outlook


def _status(rows):
    return pd.DataFrame(rows, columns=["task", "percent_complete", "actual_cost"])


def test_fixed_network_lands_on_the_business_day_calendar():
    """Deterministic check: Build (10 days, 40 % done) leaves 6 days, then Test 5 days: the
    11th working day after Monday 1 March 2027 is Tuesday 16 March (numpy busday rules);
    a holiday on 8 March moves it to the 17th."""
    net = [Task("Build", 10.0, 50_000.0), Task("Test", 5.0, 10_000.0, predecessors=("Build",))]
    status = _status([("Build", 0.4, 30_000.0)])
    out = project_outlook(net, status, status_date="2027-03-01", rng=3, n_trials=200)
    assert out.completion_date_p50 == np.datetime64("2027-03-16")
    assert out.completion_date_p80 == np.datetime64("2027-03-16")
    assert out.cost_p80 == pytest.approx(30_000 + 0.6 * 50_000 + 10_000)
    late = project_outlook(
        net, status, status_date="2027-03-01", holidays=["2027-03-08"], rng=3, n_trials=200
    )
    assert late.completion_date_p80 == np.datetime64("2027-03-17")


def test_finished_tasks_add_actual_cost_and_no_time():
    net = [Task("Design", 20.0, 40_000.0), Task("Build", 10.0, 50_000.0, predecessors=("Design",))]
    out = project_outlook(
        net, _status([("Design", 1.0, 47_000.0)]), status_date="2027-03-01", n_trials=200, rng=1
    )
    assert out.completion_date_p50 == np.busday_offset("2027-03-01", 10)
    assert out.cost_p50 == pytest.approx(97_000)
    assert list(out.drivers["task"]) == ["Build"]


def test_stated_remaining_days_replace_the_scaled_range():
    net = [Task("Build", Uniform(10, 100), 0.0)]
    status = _status([("Build", 0.5, 0.0)]).assign(remaining_days=[3.0])
    out = project_outlook(net, status, status_date="2027-03-01", n_trials=200, rng=1)
    assert out.completion_date_p80 == np.busday_offset("2027-03-01", 3)


def test_chance_of_meeting_the_date_matches_the_closed_form():
    """One running task, duration U(10, 20) working days, half done: the rest is U(5, 10).
    Committed 7 working days out: P(on time) = P(rest <= 7) = (7 - 5) / 5 = 0.4."""
    net = [Task("Build", Uniform(10, 20), Uniform(0, 100_000))]
    status = _status([("Build", 0.5, 60_000.0)])
    committed = np.busday_offset("2027-03-01", 7)
    out = project_outlook(
        net, status, status_date="2027-03-01", committed_date=str(committed), budget=90_000,
        n_trials=40_000, rng=2026,
    )  # fmt: skip
    se = np.sqrt(0.4 * 0.6 / 40_000)
    assert out.probability_on_time == pytest.approx(0.4, abs=4 * se)
    # Cost at completion 60,000 + U(0, 50,000): P80 = 100,000, so 10,000 short of 90,000.
    assert out.cost_p80 == pytest.approx(100_000, abs=600)
    assert out.contingency_needed == pytest.approx(10_000, abs=600)
    assert out.probability_within_budget == pytest.approx(0.6, abs=0.01)
    assert out.probability_done_by(str(committed)) == out.probability_on_time
    # P80 date: rest P80 = 9 days -> 9 working days out; slip in calendar days vs committed.
    assert out.completion_date_p80 == np.busday_offset("2027-03-01", 9)
    assert out.slip_days_p80 == float((out.completion_date_p80 - committed).astype(int))


def test_same_seed_same_outlook_and_summary_is_tidy():
    net = [Task("A", Uniform(5, 15), Uniform(1, 2)), Task("B", Uniform(5, 15), 1.0, ("A",))]
    status = _status([("A", 0.3, 0.5)])
    a = project_outlook(net, status, status_date="2027-01-04", rng=11, n_trials=1000)
    b = project_outlook(net, status, status_date="2027-01-04", rng=11, n_trials=1000)
    np.testing.assert_array_equal(a.completion_dates, b.completion_dates)
    np.testing.assert_array_equal(a.total_cost, b.total_cost)
    assert isinstance(a.seed, int)
    assert list(a.summary().columns) == ["metric", "value", "unit"]


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"progress": _status([("Biuld", 0.5, 1.0)])}, ["Biuld", "Build"]),
        ({"progress": _status([("Build", 40, 1.0)])}, ["percent_complete", "0.4"]),
        ({"progress": _status([("Build", 0.4, -1.0)])}, ["actual_cost", "negative"]),
        ({"status_date": "01/03/2027"}, ["status_date", "ISO 8601", "01/03/2027"]),
        ({"committed_date": "2027-01-01"}, ["committed_date", "before", "passed"]),
        ({"budget": 0}, ["budget", "more than 0"]),
        ({"progress": pd.DataFrame({"task": ["Build"]})}, ["percent_complete", "actual_cost"]),
    ],
)
def test_bad_status_is_a_clear_error(kwargs, words):
    net = [Task("Build", 10.0, 1.0)]
    args = {"progress": _status([("Build", 0.5, 1.0)]), "status_date": "2027-03-01"} | kwargs
    with pytest.raises(ParameterError) as err:
        project_outlook(net, n_trials=100, **args)
    for w in words:
        assert w in str(err.value)
