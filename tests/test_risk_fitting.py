"""fit_distribution: maximum likelihood, AIC/BIC ranking, KS/AD bootstrap p-values, refusals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from cio_analytics.exceptions import ParameterError
from cio_analytics.risk import (
    Exponential,
    FitResult,
    Gamma,
    LogLogistic,
    LogNormal,
    Normal,
    Pareto,
    Weibull,
    fit_distribution,
    simulate,
)
from cio_analytics.risk.fitting import _mle

TRUE = [
    LogNormal(0.1, 0.3),
    Gamma(3.0, 2.0),
    Weibull(1.5, 10.0),
    LogLogistic(5.0, 4.0),
    Pareto(0.3, 2.0),
    Normal(50.0, 5.0),
]


@pytest.mark.parametrize("true", TRUE, ids=[type(d).__name__ for d in TRUE])
def test_known_family_ranked_first(true):
    """Data drawn from a family (n = 400) is ranked first by AIC among all candidates."""
    x = true.sample(400, rng=3)
    fit = fit_distribution(x, n_bootstrap=0, rng=1)
    assert fit.best_family == type(true).__name__
    assert isinstance(fit.best, type(true))
    assert fit.fits["delta"].iloc[0] == 0 and np.all(np.diff(fit.fits["aic"]) >= 0)


def test_parameters_recovered_within_sampling_error():
    """LogNormal MLE: mu_hat ~ N(mu, sigma^2/n), sigma_hat ~ N(sigma, sigma^2/(2n))."""
    mu, sigma, n = 0.1, 0.3, 2_000
    fit = fit_distribution(LogNormal(mu, sigma).sample(n, rng=11), ["LogNormal"], n_bootstrap=0)
    assert abs(fit.best.mu - mu) < 4 * sigma / math.sqrt(n)
    assert abs(fit.best.sigma - sigma) < 4 * sigma / math.sqrt(2 * n)
    fit = fit_distribution(Gamma(3.0, 2.0).sample(n, rng=12), ["Gamma"], n_bootstrap=0)
    assert fit.best.shape * fit.best.scale == pytest.approx(6.0, abs=4 * math.sqrt(12.0 / n))


@pytest.mark.parametrize(
    ("family", "ref"),
    [
        ("Gamma", lambda x: stats.gamma.fit(x, floc=0)),
        ("Weibull", lambda x: stats.weibull_min.fit(x, floc=0)),
        ("LogLogistic", lambda x: stats.fisk.fit(x, floc=0)),
        ("Pareto", lambda x: stats.genpareto.fit(x, floc=0)),
    ],
)
def test_mle_is_at_least_as_likely_as_scipy(family, ref):
    """Our vectorised MLE reaches scipy.stats' fit log-likelihood (or a higher one)."""
    x = np.sort(Weibull(1.3, 4.0).sample(300, rng=5))
    fit = fit_distribution(x, [family], n_bootstrap=0)
    c, _, scale = ref(x)
    scipy_dist = {
        "Gamma": stats.gamma(c, scale=scale),
        "Weibull": stats.weibull_min(c, scale=scale),
        "LogLogistic": stats.fisk(c, scale=scale),
        "Pareto": stats.genpareto(c, scale=scale),
    }[family]
    ll_scipy = scipy_dist.logpdf(x).sum()
    assert fit.fits["log_likelihood"].iloc[0] >= ll_scipy - 1e-7


def test_aic_bic_by_hand_on_a_tiny_data_set():
    """x = 1..10. Exponential: scale = 5.5, L = -10 (ln 5.5 + 1), AIC = 2 - 2L, BIC = ln 10 - 2L.

    Normal: mean 5.5, MLE variance 8.25, L = -5 (ln(2 pi 8.25) + 1), AIC = 4 - 2L.
    """
    x = np.arange(1.0, 11.0)
    fit = fit_distribution(x, ["Exponential", "Normal"], n_bootstrap=0)
    t = fit.fits.set_index("family")
    ll_exp = -10 * (math.log(5.5) + 1)
    ll_norm = -5 * (math.log(2 * math.pi * 8.25) + 1)
    assert t.loc["Exponential", "aic"] == pytest.approx(2 - 2 * ll_exp, rel=1e-12)
    assert t.loc["Exponential", "bic"] == pytest.approx(math.log(10) - 2 * ll_exp, rel=1e-12)
    assert t.loc["Normal", "aic"] == pytest.approx(4 - 2 * ll_norm, rel=1e-12)
    assert t.loc["Normal", "aic"] == pytest.approx(53.481, abs=5e-4)  # 4 + 10 (ln 51.836 + 1)
    assert fit.best_family == "Normal"
    assert fit.fits["aic"].iloc[0] == fit.best_aic


def test_ks_and_ad_statistics_match_scipy():
    """KS D against scipy.stats.kstest and A^2 against scipy.stats.anderson (normal, MLE fit)."""
    x = Normal(10, 2).sample(200, rng=8)
    fit = fit_distribution(x, ["Normal"], n_bootstrap=0)
    d = fit.best
    assert fit.fits["ks_statistic"].iloc[0] == pytest.approx(
        stats.kstest(x, stats.norm(d.mu, d.sigma).cdf).statistic, rel=1e-10
    )
    # scipy's anderson uses the ddof=1 sd; recompute A^2 with the MLE sd from its formula
    u = np.sort(stats.norm.cdf(x, d.mu, d.sigma))
    n, i = u.size, np.arange(1, u.size + 1)
    a2 = -n - np.sum((2 * i - 1) * (np.log(u) + np.log1p(-u[::-1]))) / n
    assert fit.fits["ad_statistic"].iloc[0] == pytest.approx(a2, rel=1e-10)


def test_bootstrap_p_values_separate_right_from_wrong_family():
    """The true family is not rejected; a clearly wrong one is (n = 300, 200 bootstraps)."""
    x = Weibull(0.7, 5.0).sample(300, rng=21)
    fit = fit_distribution(x, ["Weibull", "Normal"], n_bootstrap=200, rng=4)
    t = fit.fits.set_index("family")
    assert t.loc["Weibull", "ks_p_value"] > 0.05 and t.loc["Weibull", "ad_p_value"] > 0.05
    assert t.loc["Normal", "ks_p_value"] < 0.01 and t.loc["Normal", "ad_p_value"] < 0.01
    assert 1 / 201 <= t["ks_p_value"].min() and t["ks_p_value"].max() <= 1
    assert fit.seed == 4 and fit.n_bootstrap == 200


def test_bootstrap_p_value_is_roughly_uniform_under_the_null():
    """Under the true (estimated) family the p-value is not piled near 0: the mean of 12
    replicate p-values lies well above the 0.05 a naive (unbootstrapped) test would give.
    """
    pvals = [
        fit_distribution(
            Exponential(2.0).sample(60, rng=s), ["Exponential"], n_bootstrap=100, rng=s
        )
        .fits["ks_p_value"]
        .iloc[0]
        for s in range(12)
    ]
    assert 0.25 < np.mean(pvals) < 0.75


def test_result_is_frozen_echoes_and_feeds_simulate():
    x = LogNormal(0.1, 0.2).sample(100, rng=2)
    fit = fit_distribution(x, ["LogNormal", "Gamma"], rng=3, n_bootstrap=20)
    assert isinstance(fit, FitResult) and fit.n_points == 100
    np.testing.assert_array_equal(fit.data, x)
    with pytest.raises(AttributeError):
        fit.best = None  # type: ignore[misc]
    assert list(fit.summary()["family"]) == list(fit.fits["family"])
    res = simulate(lambda overrun: 1e6 * overrun, {"overrun": fit.best}, 10_000, rng=1)
    assert res.mean() == pytest.approx(1e6 * fit.best.mean(), rel=5e-3)


def test_same_seed_same_p_values_and_candidate_forms():
    x = Gamma(2.0, 1.0).sample(80, rng=9)
    a = fit_distribution(x, [Gamma, "weibull"], rng=5, n_bootstrap=30)
    b = fit_distribution(x, ["Gamma", Weibull], rng=5, n_bootstrap=30)
    assert a.fits.equals(b.fits)


def test_bic_ranking():
    x = Exponential(2.0).sample(50, rng=1)
    fit = fit_distribution(x, ["Exponential", "Weibull", "Gamma"], criterion="bic", n_bootstrap=0)
    assert np.all(np.diff(fit.fits["bic"]) >= 0) and fit.criterion == "bic"


def test_gpd_mle_vectorised_rows_agree_with_single_rows():
    rows = np.sort(Pareto(0.2, 3.0).sample(4 * 150, rng=2).reshape(4, 150), axis=1)
    xi, sigma = _mle("Pareto", rows)
    for r in range(4):
        one = _mle("Pareto", rows[r : r + 1])
        assert xi[r] == pytest.approx(one[0][0]) and sigma[r] == pytest.approx(one[1][0])


def test_refusals_name_the_problem():
    with pytest.raises(ParameterError, match=r"at least 10 points.*Got 4"):
        fit_distribution([1.0, 2.0, 3.0, 4.0])
    x = np.r_[np.arange(1.0, 12.0), -3.0]
    with pytest.raises(ParameterError, match=r"-3 at position 11.*LogNormal, Gamma"):
        fit_distribution(x, ["LogNormal", "Gamma", "Normal"])
    assert fit_distribution(x, n_bootstrap=0).best_family == "Normal"  # default: support-aware
    with pytest.raises(ParameterError, match="Did you mean 'Weibull'"):
        fit_distribution(np.arange(1.0, 20.0), ["Weibul"])
    with pytest.raises(ParameterError, match="`method`"):
        fit_distribution(np.arange(1.0, 20.0), method="moments")
    with pytest.raises(ParameterError, match="constant"):
        fit_distribution(np.ones(20))
    with pytest.raises(ParameterError, match="NaN"):
        fit_distribution(np.r_[np.arange(1.0, 20.0), np.nan])
    with pytest.raises(ParameterError, match="n_bootstrap"):
        fit_distribution(np.arange(1.0, 20.0), n_bootstrap=5)
