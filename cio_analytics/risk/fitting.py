"""``fit_distribution``: fit candidate families to historical data and rank them.

For project overruns, incident losses or handle times: each candidate family is fitted by
maximum likelihood, ranked by AIC (or BIC), and checked with the Kolmogorov-Smirnov and
Anderson-Darling statistics. Because the parameters were estimated from the same data, the
textbook KS/AD p-values would be far too kind; the p-values here come from a parametric
bootstrap (Stute, Manteiga & Quindimil 1993): samples of the same size are drawn from the fitted
distribution, refitted, and their statistics compared with the observed one.

The fitted distributions are the package's own objects, so the best fit goes straight into
:func:`~cio_analytics.risk.simulate`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from .._validation import as_float_array, check_choice, check_int, resolve_seed
from ..exceptions import ParameterError
from ._base import Distribution
from ._positive import Exponential, Gamma, LogLogistic, Pareto, Weibull
from .distributions import LogNormal, Normal

__all__ = ["FAMILIES", "FitResult", "fit_distribution"]

MIN_POINTS = 10
_NEWTON_STEPS = 60

# family -> (class, number of parameters, needs positive data)
FAMILIES: dict[str, tuple[type[Distribution], int, bool]] = {
    "LogNormal": (LogNormal, 2, True),
    "Gamma": (Gamma, 2, True),
    "Weibull": (Weibull, 2, True),
    "LogLogistic": (LogLogistic, 2, True),
    "Exponential": (Exponential, 1, True),
    "Pareto": (Pareto, 2, True),
    "Normal": (Normal, 2, False),
}
_BY_CLASS = {cls: name for name, (cls, _, _) in FAMILIES.items()}


# -- maximum likelihood, vectorised over rows (each row one data set) -----------------------------
def _mle(family: str, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """MLE parameters of ``family`` for every row of ``x`` (rows x n); arrays of length rows."""
    if family == "Normal":
        return x.mean(axis=1), x.std(axis=1)
    if family == "LogNormal":
        lx = np.log(x)
        return lx.mean(axis=1), lx.std(axis=1)
    if family == "Exponential":
        return (x.mean(axis=1),)
    if family == "Gamma":
        return _gamma_mle(x)
    if family == "Weibull":
        return _weibull_mle(x)
    if family == "LogLogistic":
        return _loglogistic_mle(x)
    return _gpd_mle(x)


def _gamma_mle(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shape from ``ln k - digamma(k) = ln mean - mean ln`` (Newton from Minka's start)."""
    mean = x.mean(axis=1)
    s = np.log(mean) - np.log(x).mean(axis=1)
    s = np.maximum(s, 1e-12)
    k = (3.0 - s + np.sqrt((s - 3.0) ** 2 + 24.0 * s)) / (12.0 * s)
    for _ in range(_NEWTON_STEPS):
        f = np.log(k) - special.digamma(k) - s
        step = f / (1.0 / k - special.polygamma(1, k))
        k_new = np.maximum(k - step, k / 10.0)
        if np.all(np.abs(k_new - k) <= 1e-13 * k):
            k = k_new
            break
        k = k_new
    return k, mean / k


def _weibull_mle(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shape from ``1/k + mean ln x - sum x^k ln x / sum x^k = 0`` (Newton), then scale."""
    scale0 = x.max(axis=1, keepdims=True)
    z = x / scale0  # scale-free: x^k of large values never overflows
    lz = np.log(z)
    mean_l = lz.mean(axis=1)
    k = 1.2 / np.maximum(lz.std(axis=1), 1e-12)  # moment start: sd(ln x) = pi / (k sqrt 6)
    for _ in range(_NEWTON_STEPS):
        zk = z ** k[:, None]
        s0, s1, s2 = zk.sum(axis=1), (zk * lz).sum(axis=1), (zk * lz * lz).sum(axis=1)
        g = 1.0 / k + mean_l - s1 / s0
        dg = -1.0 / k**2 - (s2 * s0 - s1 * s1) / s0**2
        k_new = np.clip(k - g / dg, k / 10.0, k * 10.0)
        if np.all(np.abs(k_new - k) <= 1e-13 * k):
            k = k_new
            break
        k = k_new
    scale = scale0[:, 0] * ((z ** k[:, None]).mean(axis=1)) ** (1.0 / k)
    return k, scale


def _loglogistic_mle(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ln x is logistic(mu, s): solve ``sum tanh(z/2) = 0``, ``sum z tanh(z/2) = n`` (Newton)."""
    y = np.log(x)
    n = y.shape[1]
    mu = np.median(y, axis=1)
    s = np.maximum(y.std(axis=1) * math.sqrt(3.0) / math.pi, 1e-12)
    for _ in range(_NEWTON_STEPS):
        z = (y - mu[:, None]) / s[:, None]
        h = np.tanh(0.5 * z)
        dh = 0.5 * (1.0 - h * h)
        g1, g2 = h.sum(axis=1), (z * h).sum(axis=1) - n
        a11, a12 = -dh.sum(axis=1) / s, -(z * dh).sum(axis=1) / s
        a21, a22 = -(h + z * dh).sum(axis=1) / s, -(z * (h + z * dh)).sum(axis=1) / s
        det = a11 * a22 - a12 * a21
        d_mu = (g1 * a22 - g2 * a12) / det
        d_s = (a11 * g2 - a21 * g1) / det
        mu = mu - d_mu
        s_new = np.clip(s - d_s, s / 4.0, s * 4.0)
        done = np.all(np.abs(s_new - s) <= 1e-12 * s) and np.all(np.abs(d_mu) <= 1e-12 * s)
        s = s_new
        if done:
            break
    return np.exp(mu), 1.0 / s


def _gpd_mle(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Generalised Pareto above 0 by Grimshaw's profile likelihood in ``theta = xi / sigma``.

    For fixed theta the MLE is ``xi = mean ln(1 + theta x)`` and the profile log-likelihood
    ``-n (ln(xi / theta) + xi + 1)``; theta is found on a grid in
    ``t = theta max(x) in (-1, 1e4)`` refined six times around the best point (rows in chunks of
    bounded memory).
    """
    per = max(1, 4_000_000 // (161 * x.shape[1]))  # rows at once: bounded memory
    if x.shape[0] > per:
        parts = [_gpd_mle(x[i : i + per]) for i in range(0, x.shape[0], per)]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    top = x.max(axis=1)
    v_lo, v_hi = np.full(x.shape[0], math.log(1e-9)), np.full(x.shape[0], math.log(1e4 + 1.0))
    for points in (161, 21, 21, 21, 21, 21, 21):
        v = v_lo[:, None] + (v_hi - v_lo)[:, None] * np.linspace(0.0, 1.0, points)[None, :]
        t = np.expm1(v) - 1.0 + 1e-9  # -1 < t, never exactly 0
        t = np.where(np.abs(t) < 1e-9, 1e-9, t)
        theta = t / top[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            xi = np.log1p(theta[:, :, None] * x[:, None, :]).mean(axis=2)
            prof = -(np.log(xi / theta) + xi + 1.0)
        prof = np.where(np.isfinite(prof), prof, -np.inf)
        best = prof.argmax(axis=1)
        step = (v_hi - v_lo) / (points - 1)
        centre = v_lo + best * step
        v_lo, v_hi = centre - step, centre + step
    rows = np.arange(x.shape[0])
    theta_b, xi_b = theta[rows, best], xi[rows, best]
    return xi_b, xi_b / theta_b


def _make(family: str, params: Sequence[float]) -> Distribution:
    cls = FAMILIES[family][0]
    if family == "Normal":
        return Normal(params[0], params[1])
    if family == "Exponential":
        return Exponential(params[0])
    return cls(*params)


def _logpdf(family: str, params: tuple[np.ndarray, ...], x: np.ndarray) -> np.ndarray:
    """Log-likelihood of every row of ``x`` under its row's parameters (scipy densities)."""
    p = [np.asarray(v)[:, None] for v in params]
    if family == "Normal":
        d = stats.norm.logpdf(x, p[0], p[1])
    elif family == "LogNormal":
        d = stats.lognorm.logpdf(x, p[1], scale=np.exp(p[0]))
    elif family == "Exponential":
        d = stats.expon.logpdf(x, scale=p[0])
    elif family == "Gamma":
        d = stats.gamma.logpdf(x, p[0], scale=p[1])
    elif family == "Weibull":
        d = stats.weibull_min.logpdf(x, p[0], scale=p[1])
    elif family == "LogLogistic":
        d = stats.fisk.logpdf(x, p[1], scale=p[0])
    else:
        d = stats.genpareto.logpdf(x, p[0], scale=p[1])
    return d.sum(axis=1)


def _cdf_rows(family: str, params: tuple[np.ndarray, ...], x: np.ndarray) -> np.ndarray:
    p = [np.asarray(v)[:, None] for v in params]
    if family == "Normal":
        return special.ndtr((x - p[0]) / p[1])
    if family == "LogNormal":
        return special.ndtr((np.log(x) - p[0]) / p[1])
    if family == "Exponential":
        return -np.expm1(-x / p[0])
    if family == "Gamma":
        return special.gammainc(p[0], x / p[1])
    if family == "Weibull":
        return -np.expm1(-((x / p[1]) ** p[0]))
    if family == "LogLogistic":
        return special.expit(p[1] * (np.log(x) - np.log(p[0])))
    return stats.genpareto.cdf(x, p[0], scale=p[1])


def _statistics(u_sorted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """KS ``D`` and Anderson-Darling ``A^2`` of sorted PIT values ``F(x_(i))`` per row."""
    n = u_sorted.shape[1]
    i = np.arange(1, n + 1)
    d = np.maximum((i / n - u_sorted).max(axis=1), (u_sorted - (i - 1) / n).max(axis=1))
    u = np.clip(u_sorted, 1e-300, 1.0 - 1e-16)
    a2 = -n - ((2 * i - 1) * (np.log(u) + np.log1p(-u[:, ::-1]))).sum(axis=1) / n
    return d, a2


# -- result -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FitResult:
    """The outcome of :func:`fit_distribution`.

    Attributes
    ----------
    fits : DataFrame
        One row per candidate, best first: ``family``, ``n_params``, ``log_likelihood``,
        ``aic``, ``bic``, ``delta`` (criterion minus the best), ``ks_statistic``,
        ``ks_p_value``, ``ad_statistic``, ``ad_p_value``, ``parameters`` (text).
    distributions : dict of str -> Distribution
        Each candidate's fitted distribution (a valid ``simulate`` input).
    best : Distribution
        The fitted distribution ranked first.
    best_family : str
        Its family name.
    data : ndarray
        The data as given (echo).
    criterion : str
        ``"aic"`` or ``"bic"``: the ranking.
    method : str
        ``"mle"``.
    n_bootstrap : int
        Parametric bootstrap samples behind the p-values (0: p-values not computed, NaN).
    seed : int
        ``fit_distribution(..., rng=seed)`` replays the p-values.
    """

    fits: pd.DataFrame
    distributions: dict[str, Distribution]
    best: Distribution
    best_family: str
    data: np.ndarray
    criterion: str
    method: str
    n_bootstrap: int
    seed: int

    @property
    def n_points(self) -> int:
        """Number of data points."""
        return int(self.data.size)

    @property
    def best_aic(self) -> float:
        """AIC of the best fit."""
        return float(self.fits["aic"].iloc[0])

    def summary(self) -> pd.DataFrame:
        """The ranking table (a copy of ``fits``)."""
        return self.fits.copy()


def _family_name(candidate: Any) -> str:
    if isinstance(candidate, str):
        key = {k.lower(): k for k in FAMILIES}.get(candidate.lower())
        if key is None:
            check_choice(candidate, "candidates", list(FAMILIES))
        return key
    if candidate in _BY_CLASS:
        return _BY_CLASS[candidate]
    raise ParameterError(
        f"`candidates` entries must be family names or classes among {list(FAMILIES)}. "
        f"Got {candidate!r}."
    )


def fit_distribution(
    data: Any,
    candidates: Sequence[str | type] | None = None,
    *,
    method: str = "mle",
    criterion: str = "aic",
    n_bootstrap: int = 200,
    rng: int | np.random.Generator | None = None,
) -> FitResult:
    """Fit candidate families to historical data, ranked by AIC or BIC, with goodness of fit.

    Parameters
    ----------
    data : array_like
        One-dimensional observations (e.g. cost overrun ratios, incident losses in EUR,
        handle times in seconds), at least 10, no NaN.
    candidates : sequence of str or class, optional
        Families to try, by name or class: ``"LogNormal"``, ``"Gamma"``, ``"Weibull"``,
        ``"LogLogistic"``, ``"Exponential"``, ``"Pareto"`` (generalised Pareto above 0),
        ``"Normal"``. Default: all of them for positive data, ``"Normal"`` otherwise.
    method : {"mle"}
        Maximum likelihood.
    criterion : {"aic", "bic"}
        The ranking.
    n_bootstrap : int
        Parametric bootstrap samples for the KS and AD p-values (0 skips them; >= 20
        otherwise; 200 resolves p-values to about 0.03).
    rng : None, int or Generator
        Seed of the bootstrap; recorded as ``result.seed``.

    Returns
    -------
    FitResult

    Notes
    -----
    With ``k`` parameters and maximised log-likelihood ``L`` on ``n`` points:
    ``AIC = 2k - 2L`` and ``BIC = k ln n - 2L`` (lower is better; a difference below 2 is no
    real preference). ``D = max_i max(i/n - u_(i), u_(i) - (i-1)/n)`` and
    ``A^2 = -n - (1/n) sum_i (2i - 1) [ln u_(i) + ln(1 - u_(n+1-i))]`` with ``u_(i)`` the
    fitted CDF at the sorted data. Bootstrap p-value:
    ``(1 + #{b: T_b >= T}) / (1 + n_bootstrap)``, each ``T_b`` from a sample of the fitted
    distribution refitted by the same method. Positive families have their lower bound fixed
    at 0 (two parameters; one for the exponential).

    References
    ----------
    Akaike, H. (1974). A new look at the statistical model identification. *IEEE Transactions
    on Automatic Control* 19(6), 716-723.
    Anderson, T. W. and Darling, D. A. (1954). A test of goodness of fit. *JASA* 49, 765-769.
    Stute, W., Manteiga, W. G. and Quindimil, M. P. (1993). Bootstrap based goodness-of-fit
    tests. *Metrika* 40, 243-256.

    Examples
    --------
    >>> from cio_analytics.risk import LogNormal, fit_distribution
    >>> history = LogNormal(0.1, 0.2).sample(400, rng=7)
    >>> fit = fit_distribution(history, ["LogNormal", "Normal", "Exponential"], rng=1,
    ...                        n_bootstrap=0)
    >>> fit.best_family, round(fit.best.sigma, 1)
    ('LogNormal', 0.2)
    """
    x = as_float_array(data, "data", ndim=1)
    check_choice(method, "method", ("mle",))
    criterion = check_choice(criterion, "criterion", ("aic", "bic"))
    n_bootstrap = check_int(n_bootstrap, "n_bootstrap", minimum=0)
    if 0 < n_bootstrap < 20:
        raise ParameterError(
            f"`n_bootstrap` must be 0 (no p-values) or at least 20. Got {n_bootstrap}."
        )
    if x.size < MIN_POINTS:
        raise ParameterError(
            f"`data` needs at least {MIN_POINTS} points to fit and rank a distribution. Got "
            f"{x.size}. Collect more history, or state the distribution from expert judgement "
            "(e.g. PERT.from_percentiles)."
        )
    if np.all(x == x[0]):
        raise ParameterError(
            f"`data` is constant ({x[0]:g} every time): no distribution can be fitted. Use the "
            "constant as a fixed input."
        )
    positive = bool(np.all(x > 0))
    if candidates is None:
        names = list(FAMILIES) if positive else ["Normal"]
    else:
        if isinstance(candidates, (str, type)):
            candidates = [candidates]
        names = list(dict.fromkeys(_family_name(c) for c in candidates))
        if not names:
            raise ParameterError("`candidates` is empty. Name at least one family.")
        if not positive:
            wrong = [f for f in names if FAMILIES[f][2]]
            if wrong:
                bad = int(np.flatnonzero(x <= 0)[0])
                raise ParameterError(
                    f"`data` has a value of {x[bad]:g} at position {bad}, outside the support "
                    f"of {', '.join(wrong)} (values above 0 only). Remove or correct it, shift "
                    "the data (e.g. fit the overrun ratio actual/budget instead of the "
                    "overrun), or fit 'Normal'."
                )
    seed, gen = resolve_seed(rng)
    xs = np.sort(x)[None, :]
    n = x.size
    rows, dists = [], {}
    for family in names:  # a handful of families: not a hot loop
        params = _mle(family, xs)
        if not all(np.all(np.isfinite(p)) for p in params):
            continue
        dist = _make(family, [float(p[0]) for p in params])
        ll = float(_logpdf(family, params, xs)[0])
        k = FAMILIES[family][1]
        ks, ad = (float(v[0]) for v in _statistics(_cdf_rows(family, params, xs)))
        ks_p = ad_p = math.nan
        if n_bootstrap:
            sims = np.sort(dist._ppf(gen.random((n_bootstrap, n))), axis=1)
            sim_params = _mle(family, sims)
            sim_ks, sim_ad = _statistics(_cdf_rows(family, sim_params, sims))
            ks_p = float((1 + np.sum(sim_ks >= ks)) / (1 + n_bootstrap))
            ad_p = float((1 + np.sum(sim_ad >= ad)) / (1 + n_bootstrap))
        dists[family] = dist
        rows.append(
            {
                "family": family,
                "n_params": k,
                "log_likelihood": ll,
                "aic": 2 * k - 2 * ll,
                "bic": k * math.log(n) - 2 * ll,
                "ks_statistic": ks,
                "ks_p_value": ks_p,
                "ad_statistic": ad,
                "ad_p_value": ad_p,
                "parameters": repr(dist),
            }
        )
    if not rows:
        raise ParameterError(
            f"No candidate could be fitted to `data` ({', '.join(names)}). Check the data."
        )
    fits = pd.DataFrame(rows).sort_values(criterion, kind="stable").reset_index(drop=True)
    fits.insert(5, "delta", fits[criterion] - fits[criterion].iloc[0])
    best_family = str(fits["family"].iloc[0])
    return FitResult(
        fits=fits,
        distributions=dists,
        best=dists[best_family],
        best_family=best_family,
        data=x.copy(),
        criterion=criterion,
        method=method,
        n_bootstrap=n_bootstrap,
        seed=seed,
    )
