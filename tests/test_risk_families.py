"""Exponential, Gamma, Weibull, Pareto (GPD), LogLogistic and the four-percentile Beta."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cio_analytics.exceptions import ParameterError
from cio_analytics.risk import (
    Beta,
    Exponential,
    Gamma,
    LogLogistic,
    Pareto,
    Weibull,
    simulate,
)

Q = np.concatenate([[1e-6, 1e-3], np.linspace(0.01, 0.99, 99), [0.999, 1 - 1e-6]])

CASES = [
    (Exponential(20.0, 3.0), stats.expon(loc=3.0, scale=20.0)),
    (Exponential(0.5), stats.expon(scale=0.5)),
    (Gamma(2.5, 4.0), stats.gamma(2.5, scale=4.0)),
    (Gamma(0.4, 100.0), stats.gamma(0.4, scale=100.0)),
    (Weibull(1.7, 10.0), stats.weibull_min(1.7, scale=10.0)),
    (Weibull(0.6, 3.0), stats.weibull_min(0.6, scale=3.0)),
    (Pareto(0.3, 5.0, 100.0), stats.genpareto(0.3, loc=100.0, scale=5.0)),
    (Pareto(-0.2, 5.0, 100.0), stats.genpareto(-0.2, loc=100.0, scale=5.0)),
    (Pareto(0.0, 5.0), stats.genpareto(0.0, scale=5.0)),
    (Pareto(1e-12, 5.0), stats.genpareto(1e-12, scale=5.0)),
    (LogLogistic(40.0, 3.2), stats.fisk(3.2, scale=40.0)),
    (LogLogistic(40.0, 8.0), stats.fisk(8.0, scale=40.0)),
]
IDS = [repr(d) for d, _ in CASES]


@pytest.mark.parametrize(("dist", "ref"), CASES, ids=IDS)
def test_quantiles_and_cdf_match_scipy(dist, ref):
    """scipy.stats expon, gamma, weibull_min, genpareto and fisk, to 1e-9 (relative)."""
    x = ref.ppf(Q)
    np.testing.assert_allclose(dist.ppf(Q), x, rtol=1e-9, atol=0)
    np.testing.assert_allclose(dist.cdf(x), Q, rtol=1e-9, atol=1e-15)
    assert dist.ppf(0.5) == pytest.approx(float(ref.median()), rel=1e-9)


@pytest.mark.parametrize(("dist", "ref"), CASES, ids=IDS)
def test_moments_match_scipy(dist, ref):
    assert dist.mean() == pytest.approx(float(ref.mean()), rel=1e-9)
    assert dist.var() == pytest.approx(float(ref.var()), rel=1e-9)
    assert dist.sd() == pytest.approx(float(ref.std()), rel=1e-9)


def test_infinite_moments_stated():
    """GPD mean is infinite for xi >= 1, variance for xi >= 1/2; fisk for beta <= 1, <= 2."""
    assert Pareto(1.2, 1.0).mean() == math.inf and Pareto(0.6, 1.0).var() == math.inf
    assert LogLogistic(1.0, 0.9).mean() == math.inf and LogLogistic(1.0, 1.5).var() == math.inf
    assert math.isfinite(Pareto(0.6, 1.0).mean())


def test_support_and_native_sampling():
    assert Pareto(-0.5, 10.0, 100.0).support() == (100.0, 120.0)
    assert Exponential(2.0, 5.0).support() == (5.0, math.inf)
    for dist, ref in CASES:
        if not math.isfinite(dist.var()):
            continue
        x = dist.sample(200_000, rng=1)
        se = math.sqrt(dist.var() / x.size)
        assert abs(x.mean() - float(ref.mean())) < 5 * se, dist


def test_families_feed_simulate():
    inputs = {"a": Gamma(2.0, 3.0), "b": Weibull(2.0, 4.0), "c": LogLogistic(5.0, 4.0)}
    res = simulate(lambda a, b, c: a + b + c, inputs, 50_000, rng=3)
    exact = sum(d.mean() for d in inputs.values())
    assert res.mean() == pytest.approx(exact, rel=5e-3)


@pytest.mark.parametrize(
    ("make", "p", "x"),
    [
        (lambda: Exponential.from_percentiles(0.5, 10.0, 0.9, 30.0), (0.5, 0.9), (10.0, 30.0)),
        (lambda: Gamma.from_percentiles(0.1, 5.0, 0.9, 20.0), (0.1, 0.9), (5.0, 20.0)),
        (lambda: Gamma.from_percentiles(0.05, 0.01, 0.95, 400.0), (0.05, 0.95), (0.01, 400.0)),
        (lambda: Weibull.from_percentiles(0.1, 2.0, 0.9, 10.0), (0.1, 0.9), (2.0, 10.0)),
        (
            lambda: Pareto.from_percentiles(0.5, 150_000, 0.99, 2_000_000, low=100_000),
            (0.5, 0.99),
            (150_000, 2_000_000),
        ),
        (lambda: Pareto.from_percentiles(0.2, 1.0, 0.8, 2.0), (0.2, 0.8), (1.0, 2.0)),
        (lambda: LogLogistic.from_percentiles(0.1, 20.0, 0.9, 80.0), (0.1, 0.9), (20.0, 80.0)),
    ],
)
def test_from_percentiles_hits_both_percentiles(make, p, x):
    """The stated percentiles are reproduced to 1e-9 relative (@RISK "Alt" parameterisation)."""
    np.testing.assert_allclose(make().ppf(np.array(p)), x, rtol=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    shape=st.floats(0.3, 20.0),
    scale=st.floats(0.1, 1e4),
    p=st.tuples(st.floats(0.02, 0.45), st.floats(0.55, 0.98)),
)
def test_from_percentiles_roundtrip(shape, scale, p):
    """Any member's own two percentiles give it back (domain: shapes 0.3-20, p in 2-98 %)."""
    for dist in (Gamma(shape, scale), Weibull(shape, scale), LogLogistic(scale, shape)):
        x = dist.ppf(np.array(p))
        back = type(dist).from_percentiles(p[0], x[0], p[1], x[1])
        assert back.shape == pytest.approx(dist.shape, rel=1e-7)
        assert back.scale == pytest.approx(dist.scale, rel=1e-7)


def test_percentile_constructor_errors_name_the_problem():
    with pytest.raises(ParameterError, match="p_low"):
        Gamma.from_percentiles(1.2, 5.0, 0.9, 20.0)
    with pytest.raises(ParameterError, match="x_low < x_high"):
        Weibull.from_percentiles(0.1, 20.0, 0.9, 10.0)
    with pytest.raises(ParameterError, match="above"):
        LogLogistic.from_percentiles(0.1, -1.0, 0.9, 10.0)
    with pytest.raises(ParameterError, match="threshold"):
        Pareto.from_percentiles(0.1, 50.0, 0.9, 200.0, low=100.0)
    with pytest.raises(ParameterError, match="`scale` must be greater than 0"):
        Gamma(2.0, -1.0)
    with pytest.raises(ParameterError, match="`shape` must be a number"):
        Weibull("x", 1.0)


# -- four-parameter Beta from four percentiles (@RISK RiskBetaGeneralAlt) ----------------------
def test_beta_four_percentiles_recovers_known_beta():
    """Beta(2, 3) on [100, 200] from its own P5, P25, P75, P95 (scipy beta.ppf)."""
    p = np.array([0.05, 0.25, 0.75, 0.95])
    x = stats.beta(2, 3, loc=100, scale=100).ppf(p)
    d = Beta.from_percentiles(p, x)
    np.testing.assert_allclose([d.a, d.b, d.low, d.high], [2, 3, 100, 200], rtol=1e-8)
    np.testing.assert_allclose(d.ppf(p), x, atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(
    a=st.floats(0.5, 30.0),
    b=st.floats(0.5, 30.0),
    low=st.floats(-1e3, 1e3),
    width=st.floats(1.0, 1e4),
    p=st.lists(st.floats(0.01, 0.99), min_size=4, max_size=4, unique=True),
)
def test_beta_four_percentiles_exact(a, b, low, width, p):
    """The stated percentiles are hit to 1e-6 of their spread for any Beta's own percentiles.

    Domain: shapes 0.5-30, percentiles 1-99 % at least 0.02 apart, values at least 1e-6 of the
    range apart (closer ones are not a well-posed judgement).
    """
    p = np.sort(np.array(p))
    if np.min(np.diff(p)) < 0.02:
        return
    x = Beta(a, b, low, low + width).ppf(p)
    if np.min(np.diff(x)) < 1e-6 * width:
        return
    d = Beta.from_percentiles(p, x)
    assert np.max(np.abs(d.ppf(p) - x)) <= 1e-6 * (x[3] - x[0])


def test_beta_four_percentiles_refuses_the_impossible():
    """P5-P95 of 90-180 with an interquartile range of 30 has tails heavier than any Beta."""
    with pytest.raises(ParameterError, match="no Beta has the percentiles"):
        Beta.from_percentiles((0.05, 0.25, 0.75, 0.95), (90, 110, 140, 180))
    with pytest.raises(ParameterError, match="4 increasing probabilities"):
        Beta.from_percentiles((0.25, 0.05, 0.75, 0.95), (1, 2, 3, 4))
    with pytest.raises(ParameterError, match="must increase"):
        Beta.from_percentiles((0.05, 0.25, 0.75, 0.95), (1, 3, 2, 4))
    with pytest.raises(ParameterError, match="4 finite numbers"):
        Beta.from_percentiles((0.05, 0.95), (1, 4))
