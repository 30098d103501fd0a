"""Occurrence exceedance (OEP) of register and FAIR results: the largest single loss per year."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.risk import (
    PERT,
    FairScenario,
    LogNormal,
    Risk,
    Uniform,
    simulate_fair,
    simulate_register,
)


def test_register_probability_risks_closed_form():
    """Independent once-a-year risks: P(max > x) = 1 - prod_i (1 - p_i P(I_i > x))."""
    risks = [
        Risk("Outage", Uniform(100_000, 300_000), probability=0.2),
        Risk("Breach", Uniform(50_000, 250_000), probability=0.1),
    ]
    res = simulate_register(risks, 400_000, rng=5)
    x = 200_000.0
    exact = 1 - (1 - 0.2 * 0.5) * (1 - 0.1 * 0.25)
    se = math.sqrt(exact * (1 - exact) / 400_000)
    assert res.occurrence_exceedance(x) == pytest.approx(exact, abs=5 * se)


def test_register_frequency_risk_poisson_thinning():
    """Poisson(lambda) events with impact I: P(max > x) = 1 - exp(-lambda P(I > x))."""
    risk = Risk("Phishing", Uniform(0, 10_000), frequency=3.0)
    res = simulate_register([risk], 400_000, rng=8)
    for x in (2_000.0, 9_000.0):
        exact = 1 - math.exp(-3.0 * (1 - x / 10_000))
        se = math.sqrt(exact * (1 - exact) / 400_000)
        assert res.occurrence_exceedance(x) == pytest.approx(exact, abs=5 * se)
    # the aggregate exceedance is larger: several moderate events add up
    assert np.mean(res.total_before > 9_000) > res.occurrence_exceedance(9_000)


def test_register_largest_loss_is_the_max_of_the_events():
    """Per year: largest single loss <= annual loss, equal when at most one event happened."""
    risks = [
        Risk("A", PERT(1e3, 2e3, 9e3), frequency=2.0, mitigation_cost=1.0, mitigated_frequency=1.0),
        Risk("B", PERT(5e3, 6e3, 2e4), probability=0.3),
    ]
    res = simulate_register(risks, 50_000, rng=2)
    for top, total in (
        (res.largest_loss_before, res.total_before),
        (res.largest_loss_after, res.total_after),
    ):
        assert np.all(top <= total + 1e-9)
        assert np.all((top > 0) == (total > 0))
    assert np.all(res.largest_loss_after <= res.largest_loss_before + 1e-9)  # paired draws
    assert res.occurrence_exceedance(5e3, mitigated=True) <= res.occurrence_exceedance(5e3)
    curve = res.occurrence_exceedance_curve(11)
    assert set(curve["case"]) == {"before", "after"}
    assert np.all(np.diff(curve.loc[curve["case"] == "before", "probability_exceeding"]) <= 0)


@settings(max_examples=20, deadline=None)
@given(x=st.floats(0.0, 5e4), seed=st.integers(0, 2**32))
def test_oep_never_above_aep(x, seed):
    """For every threshold x >= 0 and seed: P(largest loss > x) <= P(annual loss > x)."""
    risks = [Risk("A", PERT(1e3, 2e3, 9e3), frequency=2.0), Risk("B", Uniform(0, 3e4),
                                                                    probability=0.4)]  # fmt: skip
    res = simulate_register(risks, 2_000, rng=seed)
    assert res.occurrence_exceedance(x) <= np.mean(res.total_before > x)


def test_fair_compound_closed_form_and_vector_threshold():
    """Poisson(LEF) events, lognormal loss: P(max > x) = 1 - exp(-LEF (1 - F(x)))."""
    loss = LogNormal.from_interval(1e4, 1e6)
    s = FairScenario("Outage", primary_loss=loss, loss_event_frequency=1.5)
    res = simulate_fair(s, 300_000, rng=4)
    x = np.array([5e4, 2e5, 1e6])
    exact = 1 - np.exp(-1.5 * (1 - loss.cdf(x)))
    se = np.sqrt(exact * (1 - exact) / 300_000)
    got = res.occurrence_exceedance(x)
    assert np.all(np.abs(got - exact) < 5 * se)
    assert np.all(res.largest_loss <= res.ale + 1e-6)
    assert list(res.occurrence_exceedance_curve(5).columns) == ["loss", "probability_exceeding"]


def test_fair_product_method_refuses_with_the_fix():
    s = FairScenario("X", primary_loss=LogNormal.from_interval(1e4, 1e6), loss_event_frequency=1)
    res = simulate_fair(s, 1_000, method="product", rng=1)
    with pytest.raises(ParameterError, match="method='compound'"):
        res.occurrence_exceedance(1e5)


def test_chart_draws_the_oep_next_to_the_aggregate_curve():
    from cio_analytics.reporting.charts import loss_exceedance

    risks = [Risk("A", PERT(1e3, 2e3, 9e3), frequency=2.0), Risk("B", Uniform(0, 3e4),
                                                                probability=0.4)]  # fmt: skip
    res = simulate_register(risks, 5_000, rng=1)
    fair = simulate_fair(
        FairScenario("Outage", primary_loss=LogNormal.from_interval(1e4, 1e6),
                     loss_event_frequency=0.5), 5_000, rng=1)  # fmt: skip
    fig = loss_exceedance([res, fair], show_after=False, show_occurrence=True)
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert "Risk register (largest single loss)" in labels
    assert "Cyber: Outage (largest single loss)" in labels
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    oep = lines["Risk register (largest single loss)"]
    assert oep.get_linestyle() == ":"
    assert oep.get_color() == lines["Risk register"].get_color()
    plain = loss_exceedance(res, show_after=False)
    assert not any("largest" in ln.get_label() for ln in plain.axes[0].get_lines())
