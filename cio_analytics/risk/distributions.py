"""Continuous input distributions: PERT, Triangular, Uniform, Normal, LogNormal, Beta, ...

Every class is a frozen dataclass validated on construction, with ``sample(n, *, rng)``, ``ppf``,
``cdf``, ``mean``, ``var``, ``sd`` and ``truncate``. Percentile ("Alt", as in @RISK) constructors
build a distribution from P10/P90-style judgements. The discrete ones (Bernoulli, Poisson,
Discrete, Empirical) live in :mod:`._discrete`, the positive families for durations and loss
tails (Exponential, Gamma, Weibull, Pareto, LogLogistic) in :mod:`._positive`; both are
re-exported here.

References
----------
Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley (PERT, Triangular).
Malcolm, D. G. et al. (1959). Application of a technique for R&D program evaluation (PERT).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from .._deprecation import renamed_kwargs
from ..exceptions import ParameterError
from ._base import Distribution, Truncated, as_number, check_percentile_pair
from ._beta_ppf import beta_ppf
from ._discrete import Bernoulli, Discrete, Empirical, Poisson
from ._positive import Exponential, Gamma, LogLogistic, Pareto, Weibull

__all__ = [
    "PERT",
    "Bernoulli",
    "Beta",
    "Discrete",
    "Distribution",
    "Empirical",
    "Exponential",
    "Gamma",
    "LogLogistic",
    "LogNormal",
    "Normal",
    "Pareto",
    "Poisson",
    "Triangular",
    "Truncated",
    "Uniform",
    "Weibull",
]


def _check_order(owner: str, low: float, high: float, mode: float | None = None) -> None:
    if not low < high:
        raise ParameterError(
            f"{owner}: `low` must be below `high`. Got low={low:g}, high={high:g}. "
            "Swap them, or use a constant for a fixed value."
        )
    if mode is not None and not low <= mode <= high:
        raise ParameterError(
            f"{owner}: `mode` must lie in [low, high] = [{low:g}, {high:g}]. Got mode={mode:g}."
        )


def _four(owner: str, name: str, values) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        arr = np.array([])
    if arr.shape != (4,) or not np.all(np.isfinite(arr)):
        raise ParameterError(f"{owner}: `{name}` must be 4 finite numbers. Got {values!r}.")
    return arr


def _solve_bounds(owner, make, mode, p_low, x_low, p_high, x_high):
    """Find (low, high) with make(low, high).ppf(p) = x at both percentiles (mode fixed)."""
    check_percentile_pair(owner, p_low, x_low, p_high, x_high)
    if not x_low <= mode <= x_high:
        raise ParameterError(
            f"{owner}: `mode` must lie between the two percentile values [{x_low:g}, {x_high:g}]. "
            f"Got mode={mode:g}."
        )
    scale = x_high - x_low

    def bounds(z):
        return mode - scale * math.exp(z[0]), mode + scale * math.exp(z[1])

    def resid(z):
        low, high = bounds(z)
        d = make(low, high)
        return [
            (d._ppf(np.array(p_low)) - x_low) / scale,
            (d._ppf(np.array(p_high)) - x_high) / scale,
        ]

    z0 = [math.log(max(mode - x_low, 0.05 * scale) / scale + 0.1),
          math.log(max(x_high - mode, 0.05 * scale) / scale + 0.1)]  # fmt: skip
    sol = optimize.least_squares(resid, z0, xtol=1e-15, ftol=1e-15, gtol=1e-15)
    if not np.all(np.abs(sol.fun) < 1e-9):
        raise ParameterError(
            f"{owner}: no distribution with mode {mode:g} has P{p_low * 100:g} = {x_low:g} and "
            f"P{p_high * 100:g} = {x_high:g}. Move the mode towards the middle or widen the range."
        )
    return make(*bounds(sol.x))


@dataclass(frozen=True)
class Uniform(Distribution):
    """Uniform on ``[low, high]``.

    Examples
    --------
    >>> Uniform(0, 10).mean(), round(Uniform(0, 12).var(), 6)
    (5.0, 12.0)
    """

    low: float
    high: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "low", as_number(self.low, "low", "Uniform"))
        object.__setattr__(self, "high", as_number(self.high, "high", "Uniform"))
        _check_order("Uniform", self.low, self.high)

    def _ppf(self, q):
        return self.low + q * (self.high - self.low)

    def _cdf(self, x):
        return np.clip((x - self.low) / (self.high - self.low), 0.0, 1.0)

    def mean(self) -> float:
        """``(low + high) / 2``."""
        return 0.5 * (self.low + self.high)

    def var(self) -> float:
        """``(high - low)^2 / 12``."""
        return (self.high - self.low) ** 2 / 12.0


@dataclass(frozen=True)
class Triangular(Distribution):
    """Triangular on ``[low, high]`` with peak at ``mode``.

    Notes
    -----
    Mean ``(low + mode + high) / 3``; variance
    ``(low^2 + mode^2 + high^2 - low mode - low high - mode high) / 18`` (Vose 2008, ch. III).

    Examples
    --------
    >>> t = Triangular(0, 3, 6)
    >>> t.mean(), t.var(), t.ppf(0.5)
    (3.0, 1.5, 3.0)
    """

    low: float
    mode: float
    high: float

    def __post_init__(self) -> None:
        for name in ("low", "mode", "high"):
            object.__setattr__(self, name, as_number(getattr(self, name), name, "Triangular"))
        _check_order("Triangular", self.low, self.high, self.mode)

    @classmethod
    def from_percentiles(
        cls, p_low: float, x_low: float, mode: float, p_high: float, x_high: float
    ) -> Triangular:
        """The triangular with this ``mode`` whose ``p_low`` and ``p_high`` quantiles are given.

        Like @RISK's ``RiskTriangAlt``: e.g. ``Triangular.from_percentiles(0.1, 80, 100, 0.9,
        150)`` finds ``low`` and ``high`` (solved numerically, checked to 1e-9 of the range).
        """
        return _solve_bounds(
            "Triangular.from_percentiles",
            lambda lo, hi: cls(lo, mode, hi),
            float(mode), float(p_low), float(x_low), float(p_high), float(x_high),
        )  # fmt: skip

    def _ppf(self, q):
        lo, m, hi = self.low, self.mode, self.high
        fc = (m - lo) / (hi - lo)
        left = lo + np.sqrt(q * (hi - lo) * (m - lo))
        right = hi - np.sqrt((1.0 - q) * (hi - lo) * (hi - m))
        return np.where(q < fc, left, right)

    def _cdf(self, x):
        lo, m, hi = self.low, self.mode, self.high
        x = np.clip(x, lo, hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            left = (x - lo) ** 2 / ((hi - lo) * (m - lo))
            right = 1.0 - (hi - x) ** 2 / ((hi - lo) * (hi - m))
        return np.where(x <= m, np.where(m > lo, left, 0.0), np.where(hi > m, right, 1.0))

    def mean(self) -> float:
        """``(low + mode + high) / 3``."""
        return (self.low + self.mode + self.high) / 3.0

    def var(self) -> float:
        """``(a^2 + c^2 + b^2 - ac - ab - cb) / 18``."""
        a, c, b = self.low, self.mode, self.high
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0


@dataclass(frozen=True)
class Beta(Distribution):
    """Beta(a, b) scaled to ``[low, high]``.

    Examples
    --------
    >>> round(Beta(2, 3).mean(), 6), round(Beta(2, 3, low=100, high=200).mean(), 6)
    (0.4, 140.0)
    """

    a: float
    b: float
    low: float = 0.0
    high: float = 1.0

    def __post_init__(self) -> None:
        name = type(self).__name__
        for field in ("a", "b", "low", "high"):
            object.__setattr__(self, field, as_number(getattr(self, field), field, name))
        for field in ("a", "b"):
            if getattr(self, field) <= 0:
                raise ParameterError(
                    f"{name}: shape `{field}` must be greater than 0. Got {getattr(self, field):g}."
                )
        _check_order(name, self.low, self.high)

    @classmethod
    def from_percentiles(cls, percentiles, values) -> Beta:
        """The four-parameter Beta (``a``, ``b``, ``low``, ``high``) through four percentiles.

        Like @RISK's ``RiskBetaGeneralAlt``: e.g. ``Beta.from_percentiles((0.05, 0.25, 0.75,
        0.95), (90, 110, 140, 180))``. Exact to the stated percentiles (checked to 1e-9 of
        the range spanned by the values; an impossible set raises ParameterError).

        Parameters
        ----------
        percentiles : sequence of 4 floats
            Increasing probabilities strictly between 0 and 1 (0.05 for P5).
        values : sequence of 4 floats
            The values at those percentiles, increasing, in the units of the quantity.

        Notes
        -----
        For given shapes, ``x_i = low + (high - low) z_i`` with ``z_i = I^-1(p_i; a, b)`` is
        linear in ``(low, high)``, so the outer two percentiles fix ``low`` and ``high`` and
        the inner two are solved for ``(ln a, ln b)`` by least squares from several starts.

        Examples
        --------
        >>> d = Beta.from_percentiles((0.05, 0.25, 0.75, 0.95), (110, 124, 154, 175))
        >>> [round(float(d.ppf(p)), 6) for p in (0.05, 0.25, 0.75, 0.95)]
        [110.0, 124.0, 154.0, 175.0]
        """
        owner = "Beta.from_percentiles"
        p = _four(owner, "percentiles", percentiles)
        x = _four(owner, "values", values)
        if not (np.all((p > 0) & (p < 1)) and np.all(np.diff(p) > 0)):
            raise ParameterError(
                f"{owner}: `percentiles` must be 4 increasing probabilities strictly between 0 "
                f"and 1. Got {p.tolist()}. Use e.g. (0.05, 0.25, 0.75, 0.95)."
            )
        if not np.all(np.diff(x) > 0):
            raise ParameterError(
                f"{owner}: `values` must increase with the percentiles. Got {x.tolist()}."
            )
        span = x[3] - x[0]

        def bounds(z):
            w = (x[3] - x[0]) / (z[3] - z[0])
            return x[0] - w * z[0], x[0] + w * (1.0 - z[0])

        def resid(t):
            z = special.betaincinv(math.exp(t[0]), math.exp(t[1]), p)
            low, high = bounds(z)
            return (low + (high - low) * z[1:3] - x[1:3]) / span

        best = None
        for start in ((0.7, 0.7), (0.0, 0.0), (1.5, 0.5), (0.5, 1.5), (2.5, 2.5), (-0.7, -0.7)):
            sol = optimize.least_squares(resid, start, xtol=1e-15, ftol=1e-15, gtol=1e-15,
                                         bounds=([-7.0, -7.0], [9.0, 9.0]))  # fmt: skip
            if best is None or sol.cost < best.cost:
                best = sol
            if np.max(np.abs(sol.fun)) < 1e-11:
                break
        if np.max(np.abs(best.fun)) > 1e-9:
            raise ParameterError(
                f"{owner}: no Beta has the percentiles {p.tolist()} at {x.tolist()} (closest "
                f"misses by {np.max(np.abs(best.fun)) * span:.3g}). Make the inner values sit "
                "between the outer ones the way a unimodal spread would."
            )
        a, b = math.exp(best.x[0]), math.exp(best.x[1])
        low, high = bounds(special.betaincinv(a, b, p))
        return cls(a, b, low, high)

    def _sample(self, n, rng):
        return self.low + (self.high - self.low) * rng.beta(self.a, self.b, n)

    def _ppf(self, q):
        x = beta_ppf(q, self.a, self.b)
        if x.ndim == 0:
            return self.low + (self.high - self.low) * x
        x *= self.high - self.low  # in place: the same two roundings as low + range * x
        x += self.low
        return x

    def _cdf(self, x):
        z = np.clip((x - self.low) / (self.high - self.low), 0.0, 1.0)
        return special.betainc(self.a, self.b, z)

    def mean(self) -> float:
        """``low + (high - low) a / (a + b)``."""
        return self.low + (self.high - self.low) * self.a / (self.a + self.b)

    def var(self) -> float:
        """``(high - low)^2 a b / ((a + b)^2 (a + b + 1))``."""
        s = self.a + self.b
        return (self.high - self.low) ** 2 * self.a * self.b / (s * s * (s + 1.0))


@dataclass(frozen=True, init=False)
class PERT(Beta):
    """PERT (Beta-PERT) on ``[low, high]`` with most likely value ``mode``.

    Parameters
    ----------
    low, mode, high : float
        Minimum, most likely and maximum, in the units of the quantity (e.g. EUR).
    lam : float, default 4
        Weight of the mode (Vose's "modified PERT" lambda; 4 is the classic PERT).

    Notes
    -----
    ``alpha = 1 + lam (mode - low) / (high - low)``, ``beta = 1 + lam (high - mode) / (high - low)``,
    a Beta(alpha, beta) scaled to ``[low, high]``; mean ``(low + lam mode + high) / (lam + 2)``;
    for ``lam = 4`` the variance is ``(mean - low)(high - mean) / 7`` (Vose 2008; @RISK RiskPert).
    The quantile uses the tabulated exact inverse of :mod:`._beta_ppf` (error below 1e-12 of the
    range) for large arrays and ``scipy.special.betaincinv`` otherwise.

    Examples
    --------
    >>> p = PERT(100, 150, 300)
    >>> print(f"{p.mean():.4f} {p.var():.4f} {p.a:.1f} {p.b:.1f}")
    166.6667 1269.8413 2.0 4.0
    """

    mode: float = 0.0
    lam: float = 4.0

    def __init__(self, low: float, mode: float, high: float, *, lam: float = 4.0) -> None:
        low, mode, high = (as_number(v, n, "PERT") for v, n in
                           ((low, "low"), (mode, "mode"), (high, "high")))  # fmt: skip
        lam = as_number(lam, "lam", "PERT")
        _check_order("PERT", low, high, mode)
        if lam <= 0:
            raise ParameterError(f"PERT: `lam` must be greater than 0. Got {lam:g}. Classic: 4.")
        a = 1.0 + lam * (mode - low) / (high - low)
        b = 1.0 + lam * (high - mode) / (high - low)
        for name, value in (("a", a), ("b", b), ("low", low), ("high", high), ("mode", mode),
                            ("lam", lam)):  # fmt: skip
            object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        return f"PERT(low={self.low:g}, mode={self.mode:g}, high={self.high:g}, lam={self.lam:g})"

    def __post_init__(self) -> None:  # validated in __init__
        pass

    @classmethod
    def from_percentiles(
        cls,
        p_low: float,
        x_low: float,
        mode: float,
        p_high: float,
        x_high: float,
        *,
        lam: float = 4.0,
    ) -> PERT:
        """The PERT with this ``mode`` whose ``p_low``/``p_high`` quantiles are the given values.

        Like @RISK's ``RiskPertAlt``. Example: an expert says "most likely 100, 1 in 10 below 90,
        1 in 10 above 140" -> ``PERT.from_percentiles(0.1, 90, 100, 0.9, 140)``. ``low`` and
        ``high`` are solved numerically (least squares on log-distances from the mode) and
        checked to 1e-9 of the P-range; an impossible combination raises ParameterError.
        """
        return _solve_bounds(
            "PERT.from_percentiles",
            lambda lo, hi: cls(lo, mode, hi, lam=lam),
            float(mode), float(p_low), float(x_low), float(p_high), float(x_high),
        )  # fmt: skip


@dataclass(frozen=True, init=False)
class Normal(Distribution):
    """Normal with ``mean`` and standard deviation ``sd`` (> 0), stored as ``mu``, ``sigma``.

    Examples
    --------
    >>> n = Normal.from_percentiles(0.1, 80, 0.9, 120)
    >>> print(f"{n.mu:.4f} {n.sigma:.4f}")
    100.0000 15.6061
    """

    mu: float
    sigma: float

    def __init__(self, mean: float, sd: float) -> None:
        object.__setattr__(self, "mu", as_number(mean, "mean", "Normal"))
        object.__setattr__(self, "sigma", as_number(sd, "sd", "Normal"))
        if self.sigma <= 0:
            raise ParameterError(f"Normal: `sd` must be greater than 0. Got {self.sigma:g}.")

    @classmethod
    def from_percentiles(cls, p_low: float, x_low: float, p_high: float, x_high: float) -> Normal:
        """Normal through two percentiles: ``sd = (x_high - x_low) / (z_high - z_low)``."""
        check_percentile_pair("Normal.from_percentiles", p_low, x_low, p_high, x_high)
        z_lo, z_hi = special.ndtri(p_low), special.ndtri(p_high)
        sd = (x_high - x_low) / (z_hi - z_lo)
        return cls(x_low - sd * z_lo, sd)

    def _sample(self, n, rng):
        return rng.normal(self.mu, self.sigma, n)

    def _ppf(self, q):
        return self.mu + self.sigma * special.ndtri(q)

    def _cdf(self, x):
        return special.ndtr((x - self.mu) / self.sigma)

    def mean(self) -> float:
        """``mean``."""
        return self.mu

    def var(self) -> float:
        """``sd^2``."""
        return self.sigma**2


@dataclass(frozen=True)
class LogNormal(Distribution):
    """Lognormal: ``exp(N(mu, sigma))``; ``mu``/``sigma`` are the mean and sd of the log.

    Use :meth:`from_interval` for the "90 % confident the loss is between low and high" form
    (riskquant, Hubbard & Seiersen) and :meth:`from_mean_sd` for @RISK's ``RiskLognorm(mean, sd)``.

    Notes
    -----
    ``from_interval(low, high, confidence_level=c)`` puts ``low``/``high`` at the ``(1-c)/2`` and
    ``(1+c)/2`` quantiles: ``mu = (ln low + ln high) / 2``,
    ``sigma = (ln high - ln low) / (2 z)``, ``z = Phi^-1((1+c)/2)`` (1.6449 for 90 %), as
    Netflix riskquant's ``LognormalMagnitude``. Mean ``exp(mu + sigma^2/2)``.

    Examples
    --------
    >>> d = LogNormal.from_interval(635_000, 19_000_000)
    >>> print(f"{d.mean():,.2f}")  # riskquant's test value 5,922,706.83351131
    5,922,706.83
    """

    mu: float
    sigma: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "mu", as_number(self.mu, "mu", "LogNormal"))
        object.__setattr__(self, "sigma", as_number(self.sigma, "sigma", "LogNormal"))
        if self.sigma <= 0:
            raise ParameterError(f"LogNormal: `sigma` must be greater than 0. Got {self.sigma:g}.")
        if abs(self.mu) + self.sigma**2 > 350.0:  # exp(2 mu + 2 sigma^2) must stay finite
            raise ParameterError(
                f"LogNormal: `mu` {self.mu:g} and `sigma` {self.sigma:g} give a mean and "
                "variance beyond floating point (|mu| + sigma^2 must be at most 350). They are "
                "on the log scale: use LogNormal.from_interval(low, high) for a range in money."
            )

    @classmethod
    @renamed_kwargs(confidence="confidence_level")
    def from_interval(cls, low: float, high: float, confidence_level: float = 0.9) -> LogNormal:
        """Lognormal with ``low`` and ``high`` the ends of a central ``confidence_level``
        interval (a 90 % range for 0.9). ``confidence`` is the deprecated former name."""
        if not 0 < confidence_level < 1:
            raise ParameterError(
                "LogNormal.from_interval: `confidence_level` must be in (0, 1). Got "
                f"{confidence_level:g}. Use 0.9 for a 90 % interval."
            )
        p = (1.0 - confidence_level) / 2.0
        return cls.from_percentiles(p, low, 1.0 - p, high)

    @classmethod
    def from_percentiles(
        cls, p_low: float, x_low: float, p_high: float, x_high: float
    ) -> LogNormal:
        """Lognormal through two percentiles (both values > 0)."""
        if x_low <= 0 or x_high <= 0:
            raise ParameterError(
                f"LogNormal: percentile values must be greater than 0. Got {x_low:g} and "
                f"{x_high:g}. A lognormal cannot take zero or negative values."
            )
        check_percentile_pair("LogNormal.from_percentiles", p_low, x_low, p_high, x_high)
        z_lo, z_hi = special.ndtri(p_low), special.ndtri(p_high)
        sigma = (math.log(x_high) - math.log(x_low)) / (z_hi - z_lo)
        return cls(math.log(x_low) - sigma * z_lo, sigma)

    @classmethod
    def from_mean_sd(cls, mean: float, sd: float) -> LogNormal:
        """Lognormal with arithmetic ``mean`` and ``sd`` (like @RISK's ``RiskLognorm``)."""
        if mean <= 0 or sd <= 0:
            raise ParameterError(
                f"LogNormal.from_mean_sd: `mean` and `sd` must be greater than 0. "
                f"Got mean={mean:g}, sd={sd:g}."
            )
        sigma2 = math.log1p((sd / mean) ** 2)
        return cls(math.log(mean) - 0.5 * sigma2, math.sqrt(sigma2))

    def _sample(self, n, rng):
        return rng.lognormal(self.mu, self.sigma, n)

    def _ppf(self, q):
        return np.exp(self.mu + self.sigma * special.ndtri(q))

    def _cdf(self, x):
        with np.errstate(divide="ignore"):
            return np.where(
                x > 0, special.ndtr((np.log(np.maximum(x, 1e-300)) - self.mu) / self.sigma), 0.0
            )

    def mean(self) -> float:
        """``exp(mu + sigma^2 / 2)``."""
        return math.exp(self.mu + 0.5 * self.sigma**2)

    def var(self) -> float:
        """``(exp(sigma^2) - 1) exp(2 mu + sigma^2)``."""
        return math.expm1(self.sigma**2) * math.exp(2 * self.mu + self.sigma**2)
