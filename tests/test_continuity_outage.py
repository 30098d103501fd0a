"""Outage Monte Carlo: compound Poisson moments, time-of-day cost, SLA breach, pairing."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from cio_analytics.continuity import (
    ServiceModel,
    compound_poisson_moments,
    service_availability,
    simulate_outages,
)
from cio_analytics.continuity.outage import _event_cost
from cio_analytics.exceptions import ParameterError
from cio_analytics.io import read_service_structure

SAMPLE = "data/sample/continuity/online_ordering.yaml"


def _single(rate=0.5, restore=8.0, cost=1000.0, sla=0.999):
    return ServiceModel.from_spec({
        "root": "s", "sla_availability": sla, "outage_cost_per_h": cost,
        "blocks": {"s": {"type": "series", "children": ["site"]}},
        "components": {"site": {"failures_per_year": rate, "restore_h": restore}},
    })  # fmt: skip


def test_compound_poisson_moments_formula():
    """E[S] = lambda E[R], Var[S] = lambda E[R^2] (Klugman, Panjer & Willmot, Loss Models,
    compound Poisson): rate 2, R ~ PERT(1, 3, 11) (mean 4, var 100/28)."""
    e, v = compound_poisson_moments(2.0, 4.0, 100 / 28 + 16)
    assert e == 8.0 and v == pytest.approx(2 * (100 / 28 + 16))


def test_monte_carlo_mean_and_sd_converge_to_the_analytic_moments():
    """Sample service: simulated mean within 4 standard errors of sum_i I_B(i) w_i E[R_i],
    simulated sd within 5 % of sqrt(sum_i I_B(i) w_i E[R_i^2])."""
    model = ServiceModel.from_spec(read_service_structure(SAMPLE))
    r = simulate_outages(model, n_trials=40_000, rng=11)
    se = r.sd_downtime_h / math.sqrt(r.n_trials)
    assert abs(r.mean_downtime_h - r.expected_downtime_h) < 4 * se
    assert r.downtime_h.std() == pytest.approx(r.sd_downtime_h, rel=0.05)
    # cost: outages start at a uniform hour, so E[cost] = E[downtime] x the day's mean rate
    sd_cost = r.sd_downtime_h * max(model.outage_cost_per_h)
    assert abs(r.mean_cost - r.expected_cost) < 4 * sd_cost / math.sqrt(r.n_trials)
    # the single points of failure dominate; the steady-state figure agrees to first order
    assert r.expected_downtime_h == pytest.approx(r.steady_state_downtime_h, rel=0.01)
    comps = r.components.set_index("component")
    assert comps["share"].sum() == pytest.approx(1.0)
    assert comps.loc["isp_link", "expected_downtime_h"] == pytest.approx(
        3 * (1 + 4 * 3 + 12) / 6 * service_availability(model).components.iloc[1]["birnbaum"]
    )


def test_event_counts_are_poisson_and_sla_breach_matches_exact():
    """One component, rate 0.5 a year, fixed 8 h restore: N ~ Poisson(0.5) and the year breaches
    a 99.9 % SLA (8.76 h) iff N >= 2: P = 1 - e^-0.5 (1 + 0.5) = 0.0902."""
    r = simulate_outages(_single(), n_trials=50_000, rng=5)
    freq = np.bincount(r.n_outages, minlength=4)[:4] / r.n_trials
    np.testing.assert_allclose(freq, stats.poisson.pmf(np.arange(4), 0.5), atol=0.01)
    np.testing.assert_array_equal(r.downtime_h, 8.0 * r.n_outages)
    exact = 1 - math.exp(-0.5) * 1.5
    assert r.prob_sla_breach == pytest.approx(exact, abs=0.008)
    assert r.expected_downtime_h == 4.0 and r.allowed_downtime_h == pytest.approx(8.76)
    assert r.quantile(0.5, of="downtime_h") == 0.0
    assert set(r.summary()["metric"]) >= {"p50_cost", "p90_cost", "prob_sla_breach"}


def test_time_of_day_cost_integral_by_hand():
    profile = np.array([1000.0] * 9 + [4000.0] * 9 + [1000.0] * 6)  # 09:00-18:00 dear
    daily = profile.sum()
    start = np.array([8.5, 23.5, 12.0])
    dur = np.array([2.0, 49.0, 0.0])
    expected = [0.5 * 1000 + 1.5 * 4000, 2 * daily + 0.5 * 1000 + 0.5 * 1000, 0.0]
    np.testing.assert_allclose(_event_cost(start, dur, profile), expected)
    np.testing.assert_allclose(_event_cost(start, dur, np.array([10.0])), 10 * dur)


def test_same_seed_same_numbers_and_paired_variants():
    model = _single(rate=2.0, restore=3.0)
    a = simulate_outages(model, n_trials=2_000, rng=42)
    b = simulate_outages(model, n_trials=2_000, rng=42)
    np.testing.assert_array_equal(a.cost, b.cost)
    assert a.seed == 42
    assert simulate_outages(model, n_trials=10, rng=np.random.default_rng(1)).seed >= 0
    # a lower rate never gives more outages in any year (common random numbers)
    lower = simulate_outages(_single(rate=1.2, restore=3.0), n_trials=2_000, rng=42)
    assert np.all(lower.n_outages <= a.n_outages)
    # the first trials do not depend on how many trials are run
    short = simulate_outages(model, n_trials=500, rng=42)
    np.testing.assert_array_equal(short.cost, a.cost[:500])


def test_availability_only_component_cannot_be_simulated():
    m = ServiceModel.from_spec({"root": "s", "blocks": {"s": {"type": "series", "children": ["a"]}},
                           "components": {"a": {"availability": 0.99}}})  # fmt: skip
    with pytest.raises(ParameterError, match=r"\['a'\] have only an availability"):
        simulate_outages(m, n_trials=10)
    with pytest.raises(ParameterError, match="n_trials"):
        simulate_outages(_single(), n_trials=0)
    with pytest.raises(ParameterError, match="rng"):
        simulate_outages(_single(), n_trials=10, rng="seed")
