"""Efficient frontier, marginal values of budget and capacity, budget sweep."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.portfolio import (
    Constraints,
    Portfolio,
    budget_sweep,
    efficient_frontier,
    marginal_values,
    select_portfolio,
)


def risky_pairs():
    """Three safe/bold pairs, one of each pair (exclusions); bold has more value, more risk."""
    ids = ["s1", "b1", "s2", "b2", "s3", "b3"]
    t = pd.DataFrame({"id": ids, "npv": [10.0, 13.0, 8.0, 11.0, 6.0, 8.0],
                      "npv_low": [8.0, -25.0, 6.0, -20.0, 5.0, -15.0],
                      "npv_high": [12.0, 45.0, 10.0, 38.0, 7.0, 28.0],
                      "cost_2027": [5.0] * 6, "excludes": ["b1", "", "b2", "", "b3", ""],
                      "risk_driver": ["", "bold", "", "bold", "", "bold"]})  # fmt: skip
    return Portfolio.from_table(t), Constraints({2027: 15.0})


def test_frontier_ends_and_shape():
    p, c = risky_pairs()
    f = efficient_frontier(p, c, n_points=6, n_trials=300, rng=11, within_driver=0.8)
    pts = f.points
    top = select_portfolio(p, c)
    best = select_portfolio(
        p, c, objective="expected_shortfall", n_trials=300, rng=11, within_driver=0.8
    )
    assert pts["expected_value"].iloc[0] == top.expected_value == 32.0
    assert pts["selected"].iloc[0] == "b1;b2;b3" and pts["selected"].iloc[-1] == "s1;s2;s3"
    assert pts["downside"].iloc[-1] == pytest.approx(best.objective_value, rel=1e-6)
    assert (np.diff(pts["expected_value"]) < 0).all() and (np.diff(pts["downside"]) > 0).all()
    assert (pts["downside"] >= pts["downside_floor"] - 1e-6).all()
    assert len(pts) >= 3 and f.seed == 11 and f.n_scenarios == 300
    s = f.summary().set_index("metric")["value"]
    assert s["max_expected_value"] == 32.0 and s["best_downside"] == pts["downside"].iloc[-1]


@pytest.mark.slow
def test_frontier_with_given_scenarios_is_deterministic_and_percentile_works():
    p, c = risky_pairs()
    scen = np.random.default_rng(3).normal(
        p.projects["npv"].to_numpy(), [1, 20, 1, 18, 0.5, 12], size=(60, 6)
    )
    a = efficient_frontier(p, c, measure="percentile", tail_share=0.2, n_points=4, scenarios=scen)
    b = efficient_frontier(p, c, measure="percentile", tail_share=0.2, n_points=4, scenarios=scen)
    pd.testing.assert_frame_equal(a.points, b.points)
    assert a.seed is None and a.points["expected_value"].iloc[0] == 32.0


def test_marginal_values_by_hand_and_lp_shadow_price():
    """Budget 100; A (50, cost 60), B (30, cost 50). Optimum A = 50. +10 budget: A+B = 80, gain 30.
    LP relaxation: A whole, B 40/50 -> shadow price of budget = B's ratio 30/50 = 0.6."""
    t = pd.DataFrame(
        {"id": ["A", "B"], "npv": [50.0, 30.0], "cost_2027": [60.0, 50.0], "fte_dev": [1.0, 1.0]}
    )
    m = marginal_values(
        Portfolio.from_table(t), Constraints({2027: 100.0}, {"dev": 1.0}), budget_step=10.0
    )
    row = m.table.set_index("kind")
    assert m.base_value == 50.0
    assert row.loc["budget", "value_gain"] == 0.0  # the single developer still blocks B
    assert row.loc["capacity", "value_gain"] == 0.0  # and the budget blocks B with 2 developers
    m2 = marginal_values(
        Portfolio.from_table(t), Constraints({2027: 100.0}, {"dev": 2.0}), budget_step=10.0
    )
    b = m2.table.set_index("kind").loc["budget"]
    assert b["value_gain"] == 30.0 and b["gain_per_unit"] == 3.0 and b["added"] == "B"
    assert b["slack"] == 40.0 and b["lp_shadow_price"] == pytest.approx(0.6)
    assert m2.table.set_index("kind").loc["capacity", "lp_shadow_price"] == pytest.approx(0.0)


def test_marginal_lp_price_of_capacity():
    """Capacity binds: A (40, 2 dev), B (30, 2 dev), 3 dev, budget loose. LP: A whole, B half ->
    shadow price of one developer (in every year, here one year) = 30 / 2 = 15; MILP gain of +1 = 30."""
    t = pd.DataFrame(
        {"id": ["A", "B"], "npv": [40.0, 30.0], "cost_2027": [1.0, 1.0], "fte_dev": [2.0, 2.0]}
    )
    m = marginal_values(Portfolio.from_table(t), Constraints({2027: 100.0}, {"dev": 3.0}))
    cap = m.table.set_index("kind").loc["capacity"]
    assert cap["value_gain"] == 30.0 and cap["lp_shadow_price"] == pytest.approx(15.0)
    assert m.table.set_index("kind").loc["budget", "step"] == 1.0  # 1 % of 100


def test_budget_sweep_and_infeasible_scale():
    t = pd.DataFrame({"id": list("ABC"), "npv": [50.0, 30.0, 5.0], "cost_2027": [60.0, 40.0, 20.0],
                      "mandatory": [False, False, True]})  # fmt: skip
    s = budget_sweep(
        Portfolio.from_table(t), Constraints({2027: 120.0}), scales=[0.1, 0.5, 0.9, 1.0]
    )
    assert s.table["status"].tolist() == ["infeasible", "optimal", "optimal", "optimal"]
    assert s.at(0.1)["shortfall_total"] == 8.0  # C needs 20 of 12
    assert s.at(0.5)["selected"] == "B;C" and s.at(0.5)["dropped"] == "A"
    assert s.at(0.9)["expected_value"] == 55.0 and s.at(0.9)["value_change"] == -30.0
    assert s.at(1.0)["value_change"] == 0.0
    with pytest.raises(ParameterError, match=r"No row for budget_scale=0\.7"):
        s.at(0.7)


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(1, 15)), min_size=1, max_size=8),
    st.integers(0, 80),
)
def test_sweep_values_never_fall_with_more_budget_and_gains_are_nonnegative(items, budget):
    t = pd.DataFrame({"id": [f"p{i}" for i in range(len(items))], "npv": [float(v) for v, _ in items],
                      "cost_2027": [float(w) for _, w in items]})  # fmt: skip
    p, c = Portfolio.from_table(t), Constraints({2027: float(budget)})
    s = budget_sweep(p, c, scales=[0.25, 0.5, 1.0, 1.5, 2.0])
    assert (np.diff(s.table["expected_value"]) >= -1e-9).all()
    m = marginal_values(p, c, budget_step=3.0)
    assert (m.table["value_gain"] >= -1e-9).all()


def test_sample_portfolio_analysis_runs_quickly():
    from cio_analytics.io import read_portfolio, read_portfolio_constraints

    table = read_portfolio("data/sample/portfolio.csv")
    spec = read_portfolio_constraints("data/sample/portfolio_constraints.yaml", portfolio=table)
    p, c = Portfolio.from_table(table), Constraints.from_spec(spec)
    sweep = budget_sweep(p, c, scales=[0.9, 1.0])
    assert sweep.at(0.9)["expected_value"] < sweep.at(1.0)["expected_value"]
    assert sweep.at(0.9)["dropped"] != ""
