"""Monte Carlo of portfolio NPV with shared risk drivers, through the risk engine."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cio_analytics.exceptions import ParameterError
from cio_analytics.portfolio import (
    Constraints,
    Portfolio,
    driver_correlation,
    project_scenarios,
    select_portfolio,
    simulate_portfolio,
)


def portfolio():
    t = pd.DataFrame({"id": ["A", "B", "C", "D"], "npv": [10.0, 20.0, 5.0, 7.0],
                      "npv_low": [0.0, 5.0, 5.0, -10.0], "npv_high": [30.0, 50.0, 5.0, 20.0],
                      "cost_2027": [1.0, 1.0, 1.0, 1.0], "risk_driver": ["erp", "erp", "", "cloud"]})  # fmt: skip
    return Portfolio.from_table(t)


def test_pert_means_equal_the_expected_npv():
    """PERT(low, mode, high) has mean (low + 4 mode + high) / 6 (Vose 2008): the backed-out
    mode must reproduce the stated expected NPV; a project with low == high is a constant."""
    s = project_scenarios(portfolio(), 40_000, rng=1)
    assert s.mean().to_numpy() == pytest.approx([10.0, 20.0, 5.0, 7.0], rel=2e-3)
    assert s["C"].std() == 0.0
    assert s["A"].min() >= 0.0 and s["A"].max() <= 30.0
    # PERT(0, 7.5, 30) variance (mean - low)(high - mean) / 7 = 10 * 20 / 7
    assert s["A"].var() == pytest.approx(200 / 7, rel=0.02)


def test_shared_driver_correlation_is_imposed():
    p = portfolio()
    corr = driver_correlation(p, within_driver=0.7, between_drivers=0.1)
    assert corr.loc["A", "B"] == 0.7 and corr.loc["A", "D"] == 0.1 and corr.loc["C", "C"] == 1.0
    s = project_scenarios(p, 20_000, within_driver=0.7, between_drivers=0.1, rng=2)
    assert stats.spearmanr(s["A"], s["B"])[0] == pytest.approx(0.7, abs=0.03)
    assert stats.spearmanr(s["A"], s["D"])[0] == pytest.approx(0.1, abs=0.03)
    with pytest.raises(ParameterError, match="between_drivers <= within_driver"):
        driver_correlation(p, within_driver=0.2, between_drivers=0.5)


def test_correlation_widens_the_portfolio_range():
    p = portfolio()
    ind = simulate_portfolio(p, ["A", "B", "D"], 20_000, within_driver=0.0, rng=3)
    cor = simulate_portfolio(p, ["A", "B", "D"], 20_000, within_driver=0.9, rng=3)
    assert ind.mean == pytest.approx(37.0, rel=5e-3) and cor.mean == pytest.approx(37.0, rel=5e-3)
    assert ind.expected_value == cor.expected_value == 37.0
    assert cor.p_high - cor.p_low > ind.p_high - ind.p_low
    assert cor.expected_shortfall < ind.expected_shortfall < ind.p_low < ind.p50 < ind.p_high


def test_result_contents_and_reproducibility():
    p = portfolio()
    sel = select_portfolio(p, Constraints({2027: 3.0}))
    r = simulate_portfolio(p, sel, 5_000, level=0.1, rng=4)
    again = simulate_portfolio(p, sel, 5_000, level=0.1, rng=4)
    assert r.selected == sel.selected == ("A", "B", "D") and r.seed == 4
    np.testing.assert_array_equal(r.values, again.values)
    assert r.by_project["share_of_variance"].sum() == pytest.approx(1.0)
    assert r.p_low == pytest.approx(np.quantile(r.values, 0.1))
    assert r.probability_negative == pytest.approx(np.mean(r.values < 0))
    worst = np.sort(r.values)[:500]
    assert r.expected_shortfall == pytest.approx(worst.mean())
    s = r.summary().set_index("metric")["value"]
    assert s["p10"] == r.p_low and s["p90"] == r.p_high and s["seed"] == 4


def test_bad_inputs():
    p = portfolio()
    with pytest.raises(ParameterError, match="unknown project 'Z'"):
        simulate_portfolio(p, ["A", "Z"], 100)
    with pytest.raises(ParameterError, match="`selected` is empty"):
        simulate_portfolio(p, [], 100)
    with pytest.raises(ParameterError, match="`selected` must be"):
        simulate_portfolio(p, "A", 100)
    with pytest.raises(ParameterError, match="`level` must be a tail share"):
        simulate_portfolio(p, ["A"], 100, level=0.9)


def test_correlated_scenarios_need_more_trials_than_uncertain_projects():
    p = portfolio()  # three uncertain projects (C is a constant)
    with pytest.raises(ParameterError, match=r"needs more trials than projects.*at least 4"):
        project_scenarios(p, 3, rng=1)
    assert project_scenarios(p, 3, within_driver=0.0, rng=1).shape == (3, 4)
