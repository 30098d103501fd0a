"""Sensitivity of the completion to each task's duration (Spearman rank correlation)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.risk import Triangular, Uniform
from cio_analytics.risk.project import Task, rank_correlation, simulate_project
from cio_analytics.risk.project_status import project_outlook


def test_one_task_drives_the_completion_entirely():
    res = simulate_project([Task("A", Triangular(5, 10, 20))], 2_000, rng=1)
    assert res.by_task["sensitivity"].iloc[0] == pytest.approx(1.0)


def test_two_parallel_paths_known_answer():
    """For iid continuous X, Y the Spearman correlation of X with max(X, Y) is 0.6.

    Derivation (Spearman's rho = 12 E[F(X) G(M)] - 3, Nelsen, *An Introduction to Copulas*,
    2nd ed., 2006, eq. 5.1.15b): with X, Y uniform, G(m) = m^2 and
    E[X max(X, Y)^2] = int_0^1 x (x^3 + (1 - x^3) / 3) dx = 3/10, so rho = 12 * 0.3 - 3 = 0.6.
    """
    net = [Task("A", Uniform(10, 20)), Task("B", Uniform(10, 20)),
           Task("C", 5.0, predecessors=("A", "B"))]  # fmt: skip
    res = simulate_project(net, 200_000, rng=3)
    sens = res.by_task.set_index("task")["sensitivity"]
    assert sens["A"] == pytest.approx(0.6, abs=0.01)
    assert sens["B"] == pytest.approx(0.6, abs=0.01)
    assert sens["C"] == 0.0  # a fixed duration has no spread to drive anything


def test_the_wider_task_of_a_chain_drives_more():
    net = [
        Task("Wide", Triangular(10, 20, 60)),
        Task("Narrow", Triangular(9, 10, 11), 0.0, ("Wide",)),
    ]
    sens = simulate_project(net, 20_000, rng=2).by_task.set_index("task")["sensitivity"]
    assert sens["Wide"] > 0.9 > sens["Narrow"] > 0


@settings(max_examples=40, deadline=None)
@given(
    st.integers(2, 5),
    st.integers(5, 60),
    st.integers(0, 2**32 - 1),
)
def test_rank_correlation_matches_scipy_and_stays_in_range(k, n, seed):
    """Domain: k rows of n >= 5 draws (ties allowed); scipy's spearmanr per row is the reference
    where both spreads are non-zero, and our value is 0 where a row is constant."""
    from scipy import stats

    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, size=(k, n)).astype(float)
    x[0] = 1.0  # one constant row
    y = rng.normal(size=n)
    got = rank_correlation(x, y)
    assert np.all((got >= -1) & (got <= 1))
    assert got[0] == 0.0
    for i in range(1, k):
        if np.ptp(x[i]) > 0:
            assert got[i] == pytest.approx(stats.spearmanr(x[i], y).statistic, abs=1e-12)


def test_outlook_drivers_carry_the_sensitivity_of_the_remaining_durations():
    net = [Task("Build", Triangular(20, 30, 50), 100_000.0),
           Task("Docs", Triangular(5, 10, 15), 5_000.0),
           Task("Test", Triangular(8, 10, 13), 20_000.0, predecessors=("Build", "Docs"))]  # fmt: skip
    status = pd.DataFrame({"task": ["Build", "Docs"], "percent_complete": [0.5, 0.2],
                           "actual_cost": [60_000.0, 1_000.0], "remaining_days": [np.nan, 8.0]})  # fmt: skip
    out = project_outlook(net, status, status_date="2027-03-01", n_trials=5_000, rng=1)
    d = out.drivers.set_index("task")
    assert "sensitivity" in out.drivers.columns
    assert d.loc["Docs", "sensitivity"] == 0.0  # a stated remainder is fixed
    assert d.loc["Build", "sensitivity"] > d.loc["Test", "sensitivity"] > 0
