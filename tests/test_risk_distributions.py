"""Distributions of cio_analytics.risk: known moments, percentile construction, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats

from cio_analytics.exceptions import ParameterError
from cio_analytics.risk import (
    PERT,
    Bernoulli,
    Beta,
    Discrete,
    Empirical,
    LogNormal,
    Normal,
    Poisson,
    Triangular,
    Truncated,
    Uniform,
)
from cio_analytics.risk._beta_ppf import beta_ppf

# -- PERT and triangular moments (Vose 2008, "Risk Analysis", PERT and Triangular entries) -----


def test_pert_moments_vose():
    """Vose (2008): PERT mean (min + 4 mode + max)/6, variance (mean-min)(max-mean)/7,
    alpha = 1 + 4 (mode-min)/(max-min). PERT(100, 150, 300): mean 166.667, var 1269.84."""
    p = PERT(100, 150, 300)
    mean = (100 + 4 * 150 + 300) / 6
    assert p.mean() == pytest.approx(mean, rel=1e-12)
    assert p.var() == pytest.approx((mean - 100) * (300 - mean) / 7, rel=1e-12)
    assert (p.a, p.b) == pytest.approx((2.0, 4.0))
    ref = stats.beta(2.0, 4.0, loc=100, scale=200)
    assert p.sd() == pytest.approx(ref.std(), rel=1e-12)
    assert p.ppf(0.8) == pytest.approx(ref.ppf(0.8), abs=1e-9)
    assert p.cdf(180) == pytest.approx(ref.cdf(180), abs=1e-12)


def test_pert_modified_lambda():
    """Vose's modified PERT: mean (min + lam mode + max)/(lam + 2)."""
    p = PERT(10, 20, 60, lam=2)
    assert p.mean() == pytest.approx((10 + 2 * 20 + 60) / 4)
    assert p.a == pytest.approx(1 + 2 * 10 / 50) and p.b == pytest.approx(1 + 2 * 40 / 50)


def test_triangular_moments_vose():
    """Vose (2008): triangular mean (a+b+c)/3, var (a²+b²+c²-ab-ac-bc)/18; checked vs scipy."""
    t = Triangular(10, 25, 70)
    ref = stats.triang(c=15 / 60, loc=10, scale=60)
    assert t.mean() == pytest.approx(35.0) and t.mean() == pytest.approx(ref.mean())
    assert t.var() == pytest.approx(ref.var(), rel=1e-12)
    q = np.linspace(0, 1, 101)
    np.testing.assert_allclose(t.ppf(q), ref.ppf(q), atol=1e-10)
    x = np.linspace(0, 80, 81)
    np.testing.assert_allclose(t.cdf(x), ref.cdf(x), atol=1e-12)


def test_degenerate_mode_at_bound():
    """Mode at a bound is valid (right-triangular, PERT alpha = 1)."""
    assert Triangular(0, 0, 3).ppf(0.0) == 0.0
    assert Triangular(0, 0, 3).cdf(3.0) == 1.0
    assert PERT(0, 0, 6).a == 1.0


# -- lognormal from an interval (Netflix riskquant, tests/test_model_lognormal.py) ----------


def test_lognormal_from_interval_riskquant_values():
    """riskquant LognormalMagnitude(1, 10): cdf(1) ~ 0.05, cdf(10) ~ 0.95, and
    LognormalMagnitude(635000, 19000000).mean() == 5922706.83351131 (assertAlmostEqual)."""
    d = LogNormal.from_interval(1, 10)
    assert d.cdf(1) == pytest.approx(0.05, abs=1e-12)
    assert d.cdf(10) == pytest.approx(0.95, abs=1e-12)
    assert d.mu == pytest.approx(math.log(10) / 2)
    assert d.sigma == pytest.approx(math.log(10) / (2 * 1.6448536269514722))
    hard = LogNormal.from_interval(635_000, 19_000_000)
    assert hard.mean() == pytest.approx(5922706.83351131, abs=1e-6)


def test_lognormal_from_mean_sd_and_percentiles():
    d = LogNormal.from_mean_sd(100, 30)
    assert d.mean() == pytest.approx(100) and d.sd() == pytest.approx(30)
    e = LogNormal.from_percentiles(0.1, 50, 0.9, 200)
    assert e.ppf(0.1) == pytest.approx(50) and e.ppf(0.9) == pytest.approx(200)


def test_normal_from_percentiles():
    """P10 = 80, P90 = 120 -> mean 100, sd 20 / z(0.9) = 15.6061."""
    n = Normal.from_percentiles(0.1, 80, 0.9, 120)
    assert n.mu == pytest.approx(100) and n.sigma == pytest.approx(20 / 1.2815515655446004)
    assert Normal(mean=5, sd=2).var() == 4.0


@pytest.mark.parametrize(
    ("cls", "args"), [(PERT, (80.0, 100.0, 150.0)), (Triangular, (80.0, 100.0, 150.0))]
)
@pytest.mark.parametrize(("p_low", "p_high"), [(0.1, 0.9), (0.05, 0.95), (0.2, 0.7)])
def test_from_percentiles_recovers_bounds(cls, args, p_low, p_high):
    """@RISK 'Alt' construction: the percentiles of a known distribution give it back."""
    d = cls(*args)
    back = cls.from_percentiles(p_low, d.ppf(p_low), d.mode, p_high, d.ppf(p_high))
    assert back.low == pytest.approx(d.low, abs=1e-6)
    assert back.high == pytest.approx(d.high, abs=1e-6)


def test_from_percentiles_impossible():
    with pytest.raises(ParameterError, match="mode"):
        PERT.from_percentiles(0.1, 90, 200, 0.9, 140)
    with pytest.raises(ParameterError, match="p_low"):
        Triangular.from_percentiles(0, 90, 100, 0.9, 140)


# -- fast exact beta inverse --------------------------------------------------------------


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(a=st.floats(0.6, 30), b=st.floats(0.6, 30))
def test_beta_ppf_matches_betaincinv(a, b):
    """The tabulated inverse agrees with scipy.special.betaincinv to 1e-12 (50,001 points).

    Where the two differ by more, scipy is the one off (e.g. betaincinv(2.125, 2.125, 0.5) is
    0.49999999995, while the median of a symmetric beta is exactly 0.5): there the forward
    residual |I_x(a, b) - q| of ours must be no larger than scipy's.
    """
    q = np.linspace(0, 1, 50_001)
    ours, ref = beta_ppf(q, a, b), special.betaincinv(a, b, q)
    off = np.abs(ours - ref) > 1e-12
    assert off.mean() < 1e-3
    ours_residual = np.abs(special.betainc(a, b, ours[off]) - q[off])
    ref_residual = np.abs(special.betainc(a, b, ref[off]) - q[off])
    assert np.all(ours_residual <= ref_residual + 1e-15)


_TAIL_GRID = np.unique(
    np.concatenate(
        [
            np.linspace(0.0, 1.0, 200_001),
            np.logspace(-300, -1, 1_500),
            1.0 - np.logspace(-16, -1, 1_500),
        ]
    )
)


@settings(max_examples=25, deadline=None)
@given(a=st.floats(0.6, 30), b=st.floats(0.6, 30))
def test_beta_ppf_whole_unit_interval_with_tails(a, b):
    """Middle table in q and tail tables in t together, over all of [0, 1] (to 1e-300 and
    1 - 1e-16): within 1e-12 of scipy.special.betaincinv wherever scipy is itself exact,
    elsewhere (scipy NaN or off in the far tails) our forward residual |I_x(a, b) - q| is no
    larger than scipy's; and non-decreasing in q, across the switch between the tables."""
    q = _TAIL_GRID
    ours, ref = beta_ppf(q, a, b), special.betaincinv(a, b, q)
    assert np.all(np.isfinite(ours)) and np.all((ours >= 0) & (ours <= 1))
    assert np.all(np.diff(ours) >= 0)
    off = ~(np.abs(ours - ref) <= 1e-12)  # NaN in scipy counts as off
    assert off[q.size // 100 : -q.size // 100].mean() < 1e-3  # rare away from the far tails
    ours_residual = np.abs(special.betainc(a, b, ours[off]) - q[off])
    ref_residual = np.abs(special.betainc(a, b, ref[off]) - q[off])
    assert np.all(~(ref_residual < ours_residual - 1e-15))


@pytest.mark.parametrize("a, b", [(2.0, 4.0), (4.0, 2.0), (1.2, 5.0), (3.0, 3.0)])
def test_beta_ppf_middle_table_covers_the_bulk(a, b):
    """PERT shapes: the table in q serves at least 95 % of [0, 1], and its values agree with
    the tail tables' (the only other path) to 1e-12 where both apply."""
    from cio_analytics.risk._beta_ppf import _beta_ppf_t, _middle

    middle = _middle(a, b)
    n = middle.coef.shape[0]
    assert (middle.hi - middle.lo) / n > 0.95
    q = np.linspace(middle.lo / n, middle.hi / n, 50_001)[:-1]
    np.testing.assert_allclose(beta_ppf(q, a, b), _beta_ppf_t(q, a, b), rtol=0, atol=1e-12)


def test_pert_ppf_large_array_exact():
    p = PERT(100, 150, 300)
    q = np.random.default_rng(0).random(100_000)
    ref = stats.beta(2.0, 4.0, loc=100, scale=200).ppf(q)
    np.testing.assert_allclose(p.ppf(q), ref, rtol=0, atol=200 * 1e-12)


# -- sampling ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dist",
    [
        PERT(100, 150, 300),
        Triangular(0, 1, 4),
        Uniform(-1, 3),
        Normal(10, 2),
        LogNormal(0, 0.5),
        Beta(2, 5, low=10, high=20),
        Bernoulli(0.3),
        Poisson(3.5),
        Discrete([1, 2, 10], [0.2, 0.5, 0.3]),
        Empirical([1.0, 4.0, 4.0, 9.0]),
    ],
    ids=repr,
)
def test_sample_moments_and_reproducible(dist):
    """200,000 draws (seed 11): sample mean within 5 standard errors of mean()."""
    x = dist.sample(200_000, rng=11)
    assert np.array_equal(x, dist.sample(200_000, rng=11))
    se = dist.sd() / math.sqrt(x.size)
    assert abs(x.mean() - dist.mean()) < 5 * se
    assert x.var() == pytest.approx(dist.var(), rel=0.03)


@pytest.mark.parametrize(
    "dist", [PERT(1, 2, 9), Triangular(0, 1, 4), Normal(3, 2), LogNormal(1, 0.3), Uniform(2, 5)]
)
def test_ppf_inverts_cdf(dist):
    q = np.linspace(0.001, 0.999, 999)
    np.testing.assert_allclose(dist.cdf(dist.ppf(q)), q, atol=1e-10)
    assert isinstance(dist.ppf(0.5), float)


# -- truncation ----------------------------------------------------------------------------


def test_truncated_normal_half():
    """Half-normal: mean sqrt(2/pi), variance 1 - 2/pi."""
    t = Normal(0, 1).truncate(low=0)
    assert t.mean() == pytest.approx(math.sqrt(2 / math.pi), rel=1e-7)
    assert t.var() == pytest.approx(1 - 2 / math.pi, rel=1e-6)
    x = t.sample(10_000, rng=1)
    assert x.min() >= 0


def test_truncated_poisson_zero():
    """Zero-truncated Poisson: mean lam / (1 - exp(-lam)); value 1 (the lower bound) is kept."""
    t = Truncated(Poisson(1.2), low=1)
    assert t.mean() == pytest.approx(1.2 / (1 - math.exp(-1.2)), rel=1e-4)
    assert t.ppf(0.0) == 1.0


def test_truncated_bounds_and_errors():
    t = LogNormal.from_interval(10, 1000).truncate(high=500)
    assert t.ppf(1.0) == pytest.approx(500)
    assert t.cdf(500) == pytest.approx(1.0)
    with pytest.raises(ParameterError, match="zero probability"):
        Uniform(0, 1).truncate(low=2, high=3)
    with pytest.raises(ParameterError, match="below"):
        Uniform(0, 1).truncate(low=0.5, high=0.2)


# -- discrete and empirical ----------------------------------------------------------------


def test_discrete_and_empirical_quantiles():
    d = Discrete([500, 0, 100], [0.2, 0.5, 0.3])  # unsorted values are fine
    assert d.ppf(0.5) == 0 and d.ppf(0.500001) == 100 and d.ppf(0.81) == 500
    assert d.cdf(100) == pytest.approx(0.8)
    e = Empirical([3, 1, 2, 10])
    assert e.ppf(0.25) == 1 and e.ppf(0.26) == 2 and e.var() == pytest.approx(np.var([3, 1, 2, 10]))


def test_poisson_matches_scipy():
    q = np.linspace(0.01, 0.99, 99)
    np.testing.assert_array_equal(Poisson(4.2).ppf(q), stats.poisson.ppf(q, 4.2))
    assert Poisson(4.2).cdf(3) == pytest.approx(stats.poisson.cdf(3, 4.2))
    assert Poisson(12.0).mean() == 12.0  # a rate above 1 per period is valid


# -- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: PERT(10, 5, 20), "mode"),
        (lambda: PERT(10, 15, 10), "low"),
        (lambda: Triangular(1, 3, 2), "mode"),
        (lambda: Uniform(2, 2), "low"),
        (lambda: Normal(0, 0), "sd"),
        (lambda: Normal(0, -1), "sd"),
        (lambda: LogNormal(0, 0), "sigma"),
        (lambda: Beta(0, 1), "a"),
        (lambda: Bernoulli(30), "0.3"),
        (lambda: Poisson(-1), "rate"),
        (lambda: Discrete([1, 2], [0.5, 0.6]), "sum to 1"),
        (lambda: Discrete([1, 2, 3], [0.5, 0.5]), "same length"),
        (lambda: PERT("a", 1, 2), "number"),
        (lambda: PERT(0, 1, float("inf")), "finite"),
        (lambda: LogNormal.from_interval(0, 10), "greater than 0"),
        (lambda: LogNormal.from_interval(1, 10, confidence_level=90), "confidence_level"),
    ],
)
def test_bad_parameters(make, match):
    with pytest.raises(ParameterError, match=match):
        make()


def test_ppf_rejects_bad_probability():
    with pytest.raises(ParameterError, match="q"):
        Normal(0, 1).ppf(1.5)


def test_frozen():
    p = PERT(1, 2, 3)
    with pytest.raises(AttributeError):
        p.low = 0  # type: ignore[misc]
    assert PERT(1, 2, 3) == p and hash(PERT(1, 2, 3)) == hash(p)
