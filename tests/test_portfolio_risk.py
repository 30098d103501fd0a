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
    assert cor.npv_p90 - cor.npv_p10 > ind.npv_p90 - ind.npv_p10
    assert cor.expected_shortfall < ind.expected_shortfall < ind.npv_p10 < ind.npv_p50 < ind.npv_p90


def test_result_contents_and_reproducibility():
    p = portfolio()
    sel = select_portfolio(p, Constraints({2027: 3.0}))
    r = simulate_portfolio(p, sel, 5_000, tail_share=0.1, rng=4)
    again = simulate_portfolio(p, sel, 5_000, tail_share=0.1, rng=4)
    assert r.selected == sel.selected == ("A", "B", "D") and r.seed == 4
    np.testing.assert_array_equal(r.values, again.values)
    assert r.by_project["share_of_variance"].sum() == pytest.approx(1.0)
    assert r.npv_p10 == pytest.approx(np.quantile(r.values, 0.1))
    assert r.probability_negative == pytest.approx(np.mean(r.values < 0))
    worst = np.sort(r.values)[:500]
    assert r.expected_shortfall == pytest.approx(worst.mean())
    s = r.summary().set_index("metric")["value"]
    assert s["npv_p10"] == r.npv_p10 and s["npv_p90"] == r.npv_p90 and s["seed"] == 4


def test_bad_inputs():
    p = portfolio()
    with pytest.raises(ParameterError, match="unknown project 'Z'"):
        simulate_portfolio(p, ["A", "Z"], 100)
    with pytest.raises(ParameterError, match="`selected` is empty"):
        simulate_portfolio(p, [], 100)
    with pytest.raises(ParameterError, match="`selected` must be"):
        simulate_portfolio(p, "A", 100)
    with pytest.raises(ParameterError, match="`tail_share` must be a share of worst outcomes"):
        simulate_portfolio(p, ["A"], 100, tail_share=0.9)


def test_correlated_scenarios_need_more_trials_than_uncertain_projects():
    p = portfolio()  # three uncertain projects (C is a constant)
    with pytest.raises(ParameterError, match=r"needs more trials than projects.*at least 4"):
        project_scenarios(p, 3, rng=1)
    assert project_scenarios(p, 3, within_driver=0.0, rng=1).shape == (3, 4)


def test_renamed_names_are_deprecated_aliases():
    """`level` -> `tail_share`, `n_scenarios` -> `n_trials`, `p_low/p50/p_high` ->
    `npv_p10/npv_p50/npv_p90`: the old names still work, warn and give the same numbers."""
    p = portfolio()
    new = simulate_portfolio(p, ["A", "B"], 2_000, tail_share=0.2, rng=7)
    with pytest.warns(DeprecationWarning, match="tail_share"):
        old = simulate_portfolio(p, ["A", "B"], 2_000, level=0.2, rng=7)
    assert old.expected_shortfall == new.expected_shortfall
    with pytest.warns(DeprecationWarning, match="npv_p10"):
        assert new.p_low == pytest.approx(np.quantile(new.values, 0.2))
    with pytest.warns(DeprecationWarning, match="npv_p90"):
        assert new.p_high == pytest.approx(np.quantile(new.values, 0.8))
    with pytest.warns(DeprecationWarning, match="npv_p50"):
        assert new.p50 == new.npv_p50
    with pytest.warns(DeprecationWarning, match="tail_share"):
        assert new.level == 0.2
    c = Constraints({2027: 1e9})
    sel = select_portfolio(p, c, objective="expected_shortfall", n_trials=50, rng=3)
    with pytest.warns(DeprecationWarning, match="n_trials"):
        again = select_portfolio(p, c, objective="expected_shortfall", n_scenarios=50, rng=3)
    assert again.selected == sel.selected and again.seed == sel.seed
