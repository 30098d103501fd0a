"""Landing forecast: run-rate arithmetic by hand, the normal closed form, reproducibility."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cio_analytics.budget import landing_forecast, monthly_volatility
from cio_analytics.exceptions import ParameterError

MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


def spend(series: dict[str, list[float]], months=MONTHS) -> pd.DataFrame:
    """One row per month and cost centre (category run, opex, internal)."""
    rows = [
        (pd.Timestamp(months[i]), cc, "run", "opex", "internal", float(x))
        for cc, values in series.items()
        for i, x in enumerate(values)
    ]
    return pd.DataFrame(
        rows, columns=["month", "cost_centre", "category", "expense_type", "sourcing", "amount"]
    )


def commitments(rows):
    return pd.DataFrame(rows, columns=["cost_centre", "category", "month", "amount"])


BUDGET = spend({"A": [100.0] * 12, "B": [60.0] * 12})


def test_zero_uncertainty_run_rate_by_hand():
    """Run-rate arithmetic by hand, no uncertainty (monthly_sd=0).

    A: 9 months at 100, run-rate 100, 50 committed for November:
       900 + 3 x 100 + 50 = 1,250.
    B: 10, 20, ..., 90; run-rate = mean of the last 3 = (70 + 80 + 90) / 3 = 80:
       450 + 3 x 80 = 690.
    Landing 1,940 against a budget of 12 x 160 = 1,920: overrun 20 for sure.
    Cumulative fan: Oct 1,350 + 180 = 1,530; Nov + 230 = 1,760; Dec + 180 = 1,940.
    """
    actuals = spend({"A": [100.0] * 9, "B": [10.0 * (i + 1) for i in range(9)]})
    c = commitments([("A", "run", "2026-11", 50.0)])
    fc = landing_forecast(BUDGET, actuals, c, by="cost_centre", monthly_sd=0.0, n_trials=50, rng=1)
    assert fc.n_months_reported == 9 and fc.n_months_remaining == 3
    assert fc.budget_total == pytest.approx(1_920.0)
    assert fc.actual_to_date == pytest.approx(1_350.0)
    assert fc.committed_total == pytest.approx(50.0)
    assert fc.run_rate_total == pytest.approx(3 * 180.0)
    for value in (fc.expected_landing, fc.landing_p10, fc.landing_p50, fc.landing_p90):
        assert value == pytest.approx(1_940.0)
    assert fc.probability_of_overrun == 1.0
    assert fc.expected_overrun == pytest.approx(20.0)
    g = fc.groups.set_index("cost_centre")
    assert g.loc["A", "expected_landing"] == pytest.approx(1_250.0)
    assert g.loc["B", "expected_landing"] == pytest.approx(690.0)
    assert g.loc["B", "run_rate"] == pytest.approx(80.0)
    assert (
        g.loc["A", "probability_of_overrun"] == 1.0 and g.loc["B", "probability_of_overrun"] == 0.0
    )
    fan = fc.monthly.set_index("month")["cum_p50"]
    assert list(fan.iloc[9:]) == pytest.approx([1_530.0, 1_760.0, 1_940.0])
    assert fc.monthly["cum_p10"].iloc[8] == pytest.approx(1_350.0)  # joins the actuals
    assert fc.probability_above(1_939.0) == 1.0 and fc.probability_above(1_940.0) == 0.0
    # a run-rate of one month: B's last month only
    one = landing_forecast(BUDGET, actuals, by="cost_centre", run_rate_months=1, monthly_sd=0.0)
    assert one.expected_landing == pytest.approx(900 + 300 + 450 + 3 * 90)


def test_constant_actuals_estimate_zero_volatility():
    actuals = spend({"A": [100.0] * 6})
    fc = landing_forecast(spend({"A": [100.0] * 12}), actuals, by=(), n_trials=100, rng=3)
    assert fc.landing_p10 == fc.landing_p90 == pytest.approx(1_200.0)
    assert fc.probability_of_overrun == 0.0


def test_monthly_volatility_by_hand():
    """Successive differences 10, -10, 10: sum of squares 300 / (2 x 3) = 50, sigma = sqrt(50).
    For a linear ramp 0, 1, ..., 9 the differences are all 1: sigma = sqrt(9 / 18)."""
    assert monthly_volatility([100.0, 110.0, 100.0, 110.0]) == pytest.approx(np.sqrt(50.0))
    assert monthly_volatility(np.arange(10.0)) == pytest.approx(np.sqrt(0.5))
    np.testing.assert_allclose(monthly_volatility([[1.0, 1.0], [0.0, 2.0]]), [0.0, np.sqrt(2.0)])
    with pytest.raises(ParameterError, match="at least two months"):
        monthly_volatility([1.0])


@pytest.mark.slow
@pytest.mark.parametrize("run_rate_error", [True, False])
def test_probability_of_overrun_matches_the_normal_closed_form(run_rate_error):
    """Independent normal monthly errors: L ~ N(A + k r, sum_g s_g^2 (k + k^2/w)) (or k s^2
    without the run-rate error). P(L > B) = 1 - Phi((B - mean) / sd); the Monte Carlo share of
    200,000 trials must agree within 4 binomial standard errors."""
    a_series = [100.0, 120.0, 90.0, 110.0, 95.0, 115.0, 105.0, 100.0, 110.0]
    b_series = [50.0, 55.0, 45.0, 60.0, 50.0, 40.0, 55.0, 50.0, 45.0]
    actuals = spend({"A": a_series, "B": b_series})
    budget = spend({"A": [105.0] * 12, "B": [50.0] * 12})  # 1,860 against a mean of 1,865
    fc = landing_forecast(budget, actuals, by="cost_centre", include_run_rate_error=run_rate_error,
                          n_trials=200_000, rng=11)  # fmt: skip
    k, w = 3, 3
    mean, var = 0.0, 0.0
    for series in (a_series, b_series):
        x = np.array(series)
        s2 = np.sum(np.diff(x) ** 2) / (2 * (len(x) - 1))
        mean += x.sum() + k * x[-w:].mean()
        var += s2 * (k + (k**2 / w if run_rate_error else 0.0))
    p = stats.norm.sf(1_860.0, loc=mean, scale=np.sqrt(var))
    se = np.sqrt(p * (1 - p) / 200_000)
    assert 0.1 < p < 0.9  # a case where the answer is not trivially 0 or 1
    assert fc.probability_of_overrun == pytest.approx(p, abs=4 * se)
    for z in (-1.0, 0.0, 0.5, 1.5):  # the whole distribution, not one point
        p = stats.norm.sf(z)
        got = fc.probability_above(mean + z * np.sqrt(var))
        assert got == pytest.approx(p, abs=4 * np.sqrt(p * (1 - p) / 200_000))
    assert fc.expected_landing == pytest.approx(mean, abs=4 * np.sqrt(var / 200_000))
    assert np.std(fc.landing_samples) == pytest.approx(np.sqrt(var), rel=0.01)
    assert fc.landing_p90 - fc.landing_p10 == pytest.approx(
        2 * stats.norm.ppf(0.9) * np.sqrt(var), rel=0.02
    )


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31 - 1), st.integers(2, 11))
def test_same_seed_same_numbers(seed, n_reported):
    actuals = spend({"A": list(100 + 10 * np.sin(np.arange(n_reported))),
                     "B": list(50 + np.arange(n_reported))})  # fmt: skip
    one = landing_forecast(BUDGET, actuals, by="cost_centre", n_trials=500, rng=seed)
    two = landing_forecast(BUDGET, actuals, by="cost_centre", n_trials=500, rng=seed)
    np.testing.assert_array_equal(one.landing_samples, two.landing_samples)
    assert one.seed == seed
    # a Generator is turned into a recorded int seed that replays the run
    gen = landing_forecast(BUDGET, actuals, by="cost_centre", n_trials=500,
                           rng=np.random.default_rng(seed))  # fmt: skip
    assert isinstance(gen.seed, int)
    again = landing_forecast(BUDGET, actuals, by="cost_centre", n_trials=500, rng=gen.seed)
    np.testing.assert_array_equal(gen.landing_samples, again.landing_samples)
    assert one.landing_p10 <= one.landing_p50 <= one.landing_p90
    # the groups add up to the total in every trial
    np.testing.assert_allclose(one.group_samples.sum(axis=1), one.landing_samples)


def test_result_contract():
    fc = landing_forecast(BUDGET, spend({"A": [100.0, 90.0, 110.0]}), n_trials=200, rng=1)
    s = fc.summary()
    assert list(s.columns) == ["metric", "value", "unit"]
    assert s.set_index("metric").loc["budget_total", "value"] == pytest.approx(1_920.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fc.n_trials = 5  # type: ignore[misc]
    assert fc.quantile(0.5) == pytest.approx(fc.landing_p50)
    assert len(fc.monthly) == 12 and fc.monthly["reported"].sum() == 3


def test_bad_input():
    actuals = spend({"A": [100.0, 90.0, 110.0]})
    late = spend({"A": [100.0, 90.0]}, months=MONTHS[2:])
    with pytest.raises(ParameterError, match="without a gap"):
        landing_forecast(BUDGET, late)
    with pytest.raises(ParameterError, match="not a month still to come"):
        landing_forecast(BUDGET, actuals, commitments([("A", "run", "2026-02", 5.0)]))
    with pytest.raises(ParameterError, match="lacks column"):
        landing_forecast(BUDGET, actuals, commitments([("A", "run", "2026-11", 5.0)]),
                         by=("cost_centre", "sourcing"))  # fmt: skip
    c = commitments([("Z", "run", "2026-11", 5.0)])
    with pytest.raises(ParameterError, match="neither the budget nor the actuals"):
        landing_forecast(BUDGET, actuals, c, by="cost_centre")
    with pytest.raises(ParameterError, match="one reported month"):
        landing_forecast(BUDGET, spend({"A": [100.0]}))
    with pytest.raises(ParameterError, match="n_trials"):
        landing_forecast(BUDGET, actuals, n_trials=0)
    with pytest.raises(ParameterError, match="rng"):
        landing_forecast(BUDGET, actuals, rng="seed")
    with pytest.raises(ParameterError, match="monthly_sd"):
        landing_forecast(BUDGET, actuals, monthly_sd=-1.0)
    with pytest.raises(ParameterError, match="Did you mean 'cost_centre'"):
        landing_forecast(BUDGET, actuals, by="cost_center")
