"""Project cost and schedule risk: merge bias, serial sums, criticality, network errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.risk import PERT, Task, Triangular, Uniform, simulate_project


def test_two_parallel_paths_merge_bias():
    """Hand-worked merge bias (MacCrimmon & Ryavec 1964): two independent parallel paths, each
    Triangular(10, 15, 20) days, then a 5-day task. Each path has P(<= 15) = 0.5 but
    P(both <= 15) = 0.25, so P(project <= 20) = 0.25 while the classic PERT estimate is
    15 + 5 = 20 days. P(<= t + 5) = F(t)^2: F(17) = 1 - 3^2/50 = 0.82 -> 0.6724.
    E[max] of two iid symmetric triangulars: 15 + 1.6667 * 5 / 6... checked numerically.
    200,000 trials, seed 1, tolerance 0.005 (> 4 SE)."""
    net = [Task("A", Triangular(10, 15, 20), cost=100.0), Task("B", Triangular(10, 15, 20), cost=50.0),
           Task("C", 5.0, predecessors=("A", "B"))]  # fmt: skip
    res = simulate_project(net, 200_000, rng=1)
    assert res.pert_estimate_days == pytest.approx(20.0)
    assert res.probability_complete_by(20.0) == pytest.approx(0.25, abs=0.005)
    assert res.probability_complete_by(22.0) == pytest.approx(0.82**2, abs=0.005)
    f = Triangular(10, 15, 20)
    grid = np.linspace(10, 20, 20_001)
    e_max = 10 + np.trapezoid(1 - f.cdf(grid) ** 2, grid)
    assert res.mean_completion_days == pytest.approx(5 + e_max, abs=0.02)
    assert res.merge_bias_days > 1.0
    assert res.mean_cost == 150.0
    crit = res.by_task.set_index("task")["criticality_index"]
    assert crit["C"] == 1.0 and crit["A"] == pytest.approx(0.5, abs=0.005)
    assert crit["A"] + crit["B"] == pytest.approx(1.0)


def test_serial_chain_adds_up():
    """A chain has no merge: completion = sum of durations; mean = sum of PERT means
    (Vose 2008: (a + 4m + b) / 6), each task fully critical. 100,000 trials, seed 2."""
    net = [Task("a", PERT(1, 2, 6), cost=PERT(10, 20, 60)), Task("b", PERT(2, 3, 4), predecessors="a"),
           Task("c", Uniform(0, 2), predecessors=("b",))]  # fmt: skip
    res = simulate_project(net, 100_000, rng=2)
    assert res.pert_estimate_days == pytest.approx(2.5 + 3 + 1)
    assert res.mean_completion_days == pytest.approx(6.5, abs=0.01)
    assert res.merge_bias_days == pytest.approx(0.0, abs=0.01)
    assert (res.by_task["criticality_index"] == 1.0).all()
    assert res.cost_p80 == pytest.approx(PERT(10, 20, 60).ppf(0.8), rel=0.01)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(1, 10), st.floats(0.1, 5)), min_size=2, max_size=6),
       st.integers(0, 1000))  # fmt: skip
def test_mean_completion_at_least_plan_of_sample_means(spec, seed):
    """Jensen: completion is a max of sums (convex), so its sample mean is at least the
    critical path of the sample mean durations - exactly, in every sample."""
    tasks = [Task(f"t{i}", Uniform(lo, lo + w), predecessors=() if i < 2 else (f"t{i - 2}", f"t{i - 1}"))
             for i, (lo, w) in enumerate(spec)]  # fmt: skip
    res = simulate_project(tasks, 2_000, rng=seed)
    means = res.by_task["mean_duration_days"].to_numpy()
    finish = {}
    for i, t in enumerate(tasks):
        finish[t.name] = max((finish[p] for p in t.predecessors), default=0.0) + means[i]
    assert res.mean_completion_days >= max(finish.values()) - 1e-9


def test_network_errors():
    with pytest.raises(
        ParameterError, match=r"unknown predecessor 'Desing'.*Did you mean 'Design'"
    ):
        simulate_project([Task("Design", 1.0), Task("Build", 2.0, predecessors=("Desing",))], 10)
    with pytest.raises(ParameterError, match="cycle among"):
        simulate_project([Task("a", 1.0, predecessors=("b",)), Task("b", 1.0, predecessors=("a",)),
                          Task("c", 1.0)], 10)  # fmt: skip
    with pytest.raises(ParameterError, match="itself"):
        simulate_project([Task("a", 1.0, predecessors=("a",))], 10)
    with pytest.raises(ParameterError, match="negative"):
        Task("a", -1.0)
    with pytest.raises(ParameterError, match="unique"):
        simulate_project([Task("a", 1.0), Task("a", 2.0)], 10)


def test_summary_and_seed():
    net = [
        Task("a", PERT(1, 2, 6)),
        Task("b", PERT(1, 2, 6)),
        Task("c", 1.0, predecessors=("a", "b")),
    ]
    a, b = simulate_project(net, 1_000, rng=5), simulate_project(net, 1_000, rng=5)
    np.testing.assert_array_equal(a.completion_days, b.completion_days)
    s = a.summary().set_index("metric")["value"]
    assert s["completion_days_p80"] == pytest.approx(np.quantile(a.completion_days, 0.8))
