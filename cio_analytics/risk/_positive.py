"""Positive-valued families for durations, overruns and loss tails.

``Exponential``, ``Gamma``, ``Weibull``, ``Pareto`` (generalised Pareto, the peaks-over-threshold
tail) and ``LogLogistic``, each a frozen dataclass with the interface of
:class:`~cio_analytics.risk.Distribution` and a ``from_percentiles`` constructor ("Alt", as in
@RISK) through two stated percentiles. Parameterisations follow scipy.stats (``expon``,
``gamma``, ``weibull_min``, ``genpareto``, ``fisk``) so every figure can be checked against it.

References
----------
Johnson, N. L., Kotz, S. and Balakrishnan, N. (1994). *Continuous Univariate Distributions*,
vol. 1, 2nd ed., Wiley (chapters 17, 19, 21).
Embrechts, P., Klüppelberg, C. and Mikosch, T. (1997). *Modelling Extremal Events*, Springer
(generalised Pareto, section 3.4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from ..exceptions import ParameterError
from ._base import Distribution, as_number, check_percentile_pair

__all__ = ["Exponential", "Gamma", "LogLogistic", "Pareto", "Weibull"]


def _positive(owner: str, name: str, value: float, hint: str = "") -> float:
    value = as_number(value, name, owner)
    if value <= 0:
        raise ParameterError(f"{owner}: `{name}` must be greater than 0. Got {value:g}.{hint}")
    return value


def _check_above(owner: str, x_low: float, floor: float, what: str) -> None:
    if x_low <= floor:
        raise ParameterError(
            f"{owner}: percentile values must be above {what} {floor:g}. Got {x_low:g}. "
            "This family takes only values above it: use a family with that support."
        )


@dataclass(frozen=True)
class Exponential(Distribution):
    """Exponential with mean ``scale`` above ``low`` (``low + Exp(1/scale)``).

    Notes
    -----
    ``ppf(q) = low - scale ln(1 - q)``; mean ``low + scale``; variance ``scale^2`` (scipy
    ``expon(loc=low, scale=scale)``). ``from_percentiles`` is exact: ``x = low + scale e(p)``
    with ``e(p) = -ln(1 - p)`` is linear in ``(low, scale)``.

    Examples
    --------
    >>> e = Exponential.from_percentiles(0.5, 10.0, 0.9, 30.0)
    >>> print(f"{e.low:.4f} {e.scale:.4f} {e.ppf(0.9):.6f}")
    1.3865 12.4267 30.000000
    """

    scale: float
    low: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "scale", _positive("Exponential", "scale", self.scale))
        object.__setattr__(self, "low", as_number(self.low, "low", "Exponential"))

    @classmethod
    def from_percentiles(
        cls, p_low: float, x_low: float, p_high: float, x_high: float
    ) -> Exponential:
        """The exponential (with shift ``low``) through two percentiles."""
        check_percentile_pair("Exponential.from_percentiles", p_low, x_low, p_high, x_high)
        e_lo, e_hi = -math.log1p(-p_low), -math.log1p(-p_high)
        scale = (x_high - x_low) / (e_hi - e_lo)
        return cls(scale, x_low - scale * e_lo)

    def _sample(self, n, rng):
        return self.low + rng.exponential(self.scale, n)

    def _ppf(self, q):
        with np.errstate(divide="ignore"):
            return self.low - self.scale * np.log1p(-q)

    def _cdf(self, x):
        return -np.expm1(-np.maximum(x - self.low, 0.0) / self.scale)

    def mean(self) -> float:
        """``low + scale``."""
        return self.low + self.scale

    def var(self) -> float:
        """``scale^2``."""
        return self.scale**2


@dataclass(frozen=True)
class Gamma(Distribution):
    """Gamma with ``shape`` k and ``scale`` theta (mean ``k theta``).

    Notes
    -----
    ``cdf(x) = P(k, x / theta)`` (regularised lower incomplete gamma), ``ppf`` its inverse
    (``scipy.special.gammaincinv``); mean ``k theta``, variance ``k theta^2``.
    ``from_percentiles`` solves for ``k`` from the ratio ``x_high / x_low``, which decreases
    strictly in ``k`` (root bracketing), then ``theta = x_low / P^-1(k, p_low)``.

    Examples
    --------
    >>> g = Gamma.from_percentiles(0.1, 5.0, 0.9, 20.0)
    >>> print(f"{g.ppf(0.1):.6f} {g.ppf(0.9):.6f}")
    5.000000 20.000000
    """

    shape: float
    scale: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "shape", _positive("Gamma", "shape", self.shape))
        object.__setattr__(self, "scale", _positive("Gamma", "scale", self.scale))

    @classmethod
    def from_percentiles(cls, p_low: float, x_low: float, p_high: float, x_high: float) -> Gamma:
        """The gamma through two percentiles (both values > 0)."""
        owner = "Gamma.from_percentiles"
        check_percentile_pair(owner, p_low, x_low, p_high, x_high)
        _check_above(owner, x_low, 0.0, "")
        target = math.log(x_high / x_low)

        def gap(log_k: float) -> float:
            k = math.exp(log_k)
            return (
                math.log(special.gammaincinv(k, p_high)) - math.log(special.gammaincinv(k, p_low))
            ) - target

        lo, hi = -4.0, 16.0  # shapes e^-4 = 0.018 to e^16 = 8.9e6
        if not gap(lo) > 0 > gap(hi):
            raise ParameterError(
                f"{owner}: no gamma has P{p_low * 100:g} = {x_low:g} and "
                f"P{p_high * 100:g} = {x_high:g} (the ratio is outside the family's range)."
            )
        k = math.exp(optimize.brentq(gap, lo, hi, xtol=1e-14, rtol=1e-15))
        return cls(k, x_low / special.gammaincinv(k, p_low))

    def _sample(self, n, rng):
        return rng.gamma(self.shape, self.scale, n)

    def _ppf(self, q):
        return self.scale * special.gammaincinv(self.shape, q)

    def _cdf(self, x):
        return special.gammainc(self.shape, np.maximum(x, 0.0) / self.scale)

    def mean(self) -> float:
        """``shape scale``."""
        return self.shape * self.scale

    def var(self) -> float:
        """``shape scale^2``."""
        return self.shape * self.scale**2


@dataclass(frozen=True)
class Weibull(Distribution):
    """Weibull with ``shape`` k and ``scale`` lambda (scipy ``weibull_min(k, scale=lambda)``).

    Notes
    -----
    ``ppf(q) = lambda (-ln(1 - q))^(1/k)``; mean ``lambda Gamma(1 + 1/k)``; variance
    ``lambda^2 (Gamma(1 + 2/k) - Gamma(1 + 1/k)^2)``. ``from_percentiles`` is exact:
    ``ln x = ln lambda + ln(-ln(1 - p)) / k`` is linear in ``(ln lambda, 1/k)``.

    Examples
    --------
    >>> w = Weibull.from_percentiles(0.1, 2.0, 0.9, 10.0)
    >>> print(f"{w.shape:.4f} {w.ppf(0.9):.6f}")
    1.9164 10.000000
    """

    shape: float
    scale: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "shape", _positive("Weibull", "shape", self.shape))
        object.__setattr__(self, "scale", _positive("Weibull", "scale", self.scale))

    @classmethod
    def from_percentiles(cls, p_low: float, x_low: float, p_high: float, x_high: float) -> Weibull:
        """The Weibull through two percentiles (both values > 0)."""
        owner = "Weibull.from_percentiles"
        check_percentile_pair(owner, p_low, x_low, p_high, x_high)
        _check_above(owner, x_low, 0.0, "")
        l_lo, l_hi = math.log(-math.log1p(-p_low)), math.log(-math.log1p(-p_high))
        inv_k = (math.log(x_high) - math.log(x_low)) / (l_hi - l_lo)
        return cls(1.0 / inv_k, math.exp(math.log(x_low) - inv_k * l_lo))

    def _sample(self, n, rng):
        return self.scale * rng.weibull(self.shape, n)

    def _ppf(self, q):
        with np.errstate(divide="ignore"):
            return self.scale * (-np.log1p(-q)) ** (1.0 / self.shape)

    def _cdf(self, x):
        return -np.expm1(-((np.maximum(x, 0.0) / self.scale) ** self.shape))

    def mean(self) -> float:
        """``scale Gamma(1 + 1/shape)``."""
        return self.scale * math.gamma(1.0 + 1.0 / self.shape)

    def var(self) -> float:
        """``scale^2 (Gamma(1 + 2/shape) - Gamma(1 + 1/shape)^2)``."""
        g1, g2 = math.gamma(1.0 + 1.0 / self.shape), math.gamma(1.0 + 2.0 / self.shape)
        return self.scale**2 * (g2 - g1 * g1)


@dataclass(frozen=True)
class Pareto(Distribution):
    """Generalised Pareto: losses above a threshold ``low`` (the peaks-over-threshold tail).

    Parameters
    ----------
    shape : float
        Tail index xi: > 0 heavy (Pareto-type) tail, 0 exponential, < 0 bounded above by
        ``low - scale / shape``.
    scale : float
        Scale sigma (> 0), in the units of the loss.
    low : float, default 0
        Threshold (location mu): the smallest possible value.

    Notes
    -----
    ``ppf(q) = mu + sigma ((1 - q)^-xi - 1) / xi`` (``mu - sigma ln(1 - q)`` at xi = 0);
    ``cdf(x) = 1 - (1 + xi (x - mu) / sigma)^(-1/xi)``; mean ``mu + sigma / (1 - xi)`` for
    xi < 1 (infinite otherwise); variance ``sigma^2 / ((1 - xi)^2 (1 - 2 xi))`` for xi < 1/2
    (Embrechts et al. 1997, 3.4; scipy ``genpareto(xi, loc=mu, scale=sigma)``).
    ``from_percentiles`` keeps the threshold and solves xi from the ratio of the two
    exceedances over it (strictly increasing in xi), then sigma.

    Examples
    --------
    >>> p = Pareto.from_percentiles(0.5, 150_000, 0.99, 2_000_000, low=100_000)
    >>> print(f"{p.shape:.4f} {p.ppf(0.99):,.2f}")
    0.6946 2,000,000.00
    """

    shape: float
    scale: float
    low: float = 0.0

    _infinite_moments = True  # the mean / variance is infinite for heavy tails

    def __post_init__(self) -> None:
        object.__setattr__(self, "shape", as_number(self.shape, "shape", "Pareto"))
        object.__setattr__(self, "scale", _positive("Pareto", "scale", self.scale))
        object.__setattr__(self, "low", as_number(self.low, "low", "Pareto"))

    @classmethod
    def from_percentiles(
        cls, p_low: float, x_low: float, p_high: float, x_high: float, *, low: float = 0.0
    ) -> Pareto:
        """The generalised Pareto above threshold ``low`` through two percentiles."""
        owner = "Pareto.from_percentiles"
        check_percentile_pair(owner, p_low, x_low, p_high, x_high)
        _check_above(owner, x_low, low, "the threshold `low` =")
        target = math.log((x_high - low) / (x_low - low))

        def gap(xi: float) -> float:
            return math.log(_excess(p_high, xi) / _excess(p_low, xi)) - target

        lo, hi = -20.0, 20.0
        if not gap(lo) < 0 < gap(hi):
            raise ParameterError(
                f"{owner}: no generalised Pareto above {low:g} has P{p_low * 100:g} = {x_low:g} "
                f"and P{p_high * 100:g} = {x_high:g}. Move the threshold or the percentiles."
            )
        xi = optimize.brentq(gap, lo, hi, xtol=1e-14, rtol=1e-15)
        return cls(xi, (x_low - low) / _excess(p_low, xi), low)

    def _ppf(self, q):
        return self.low + self.scale * _excess(q, self.shape)

    def _cdf(self, x):
        z = np.maximum(x - self.low, 0.0) / self.scale
        xi = self.shape
        if xi == 0:
            return -np.expm1(-z)
        with np.errstate(invalid="ignore", divide="ignore"):
            t = xi * z  # log1p keeps precision for xi near 0
            return np.where(t > -1.0, -np.expm1(-np.log1p(np.maximum(t, -1.0)) / xi), 1.0)

    def mean(self) -> float:
        """``low + scale / (1 - shape)`` (infinite for shape >= 1)."""
        return self.low + self.scale / (1.0 - self.shape) if self.shape < 1 else math.inf

    def var(self) -> float:
        """``scale^2 / ((1 - shape)^2 (1 - 2 shape))`` (infinite for shape >= 1/2)."""
        xi = self.shape
        return self.scale**2 / ((1.0 - xi) ** 2 * (1.0 - 2.0 * xi)) if xi < 0.5 else math.inf


def _excess(q, xi: float):
    """``((1 - q)^-xi - 1) / xi`` (``-ln(1 - q)`` at xi = 0), stable near xi = 0."""
    with np.errstate(divide="ignore"):
        log_tail = -np.log1p(-np.asarray(q, dtype=float))
    if xi == 0:
        return log_tail
    with np.errstate(over="ignore"):
        return np.expm1(xi * log_tail) / xi


@dataclass(frozen=True)
class LogLogistic(Distribution):
    """Log-logistic (Fisk) with ``scale`` alpha (the median) and ``shape`` beta.

    Notes
    -----
    ``ppf(q) = alpha (q / (1 - q))^(1/beta)``; ``cdf(x) = 1 / (1 + (x / alpha)^-beta)``; mean
    ``alpha (pi/beta) / sin(pi/beta)`` for beta > 1; variance
    ``alpha^2 (2b / sin 2b - b^2 / sin^2 b)`` with ``b = pi / beta`` for beta > 2 (scipy
    ``fisk(beta, scale=alpha)``). ``from_percentiles`` is exact: ``ln x`` is linear in the
    log-odds of ``p``.

    Examples
    --------
    >>> d = LogLogistic.from_percentiles(0.1, 20.0, 0.9, 80.0)
    >>> print(f"{d.scale:.4f} {d.shape:.4f}")
    40.0000 3.1699
    """

    scale: float
    shape: float

    _infinite_moments = True  # the mean / variance is infinite for heavy tails

    def __post_init__(self) -> None:
        object.__setattr__(self, "scale", _positive("LogLogistic", "scale", self.scale))
        object.__setattr__(self, "shape", _positive("LogLogistic", "shape", self.shape))

    @classmethod
    def from_percentiles(
        cls, p_low: float, x_low: float, p_high: float, x_high: float
    ) -> LogLogistic:
        """The log-logistic through two percentiles (both values > 0)."""
        owner = "LogLogistic.from_percentiles"
        check_percentile_pair(owner, p_low, x_low, p_high, x_high)
        _check_above(owner, x_low, 0.0, "")
        g_lo, g_hi = special.logit(p_low), special.logit(p_high)
        inv_b = (math.log(x_high) - math.log(x_low)) / (g_hi - g_lo)
        return cls(math.exp(math.log(x_low) - inv_b * g_lo), 1.0 / inv_b)

    def _ppf(self, q):
        with np.errstate(divide="ignore"):
            return self.scale * np.exp(special.logit(q) / self.shape)

    def _cdf(self, x):
        with np.errstate(divide="ignore"):
            return special.expit(self.shape * (np.log(np.maximum(x, 0.0)) - math.log(self.scale)))

    def mean(self) -> float:
        """``scale (pi/shape) / sin(pi/shape)`` (infinite for shape <= 1)."""
        if self.shape <= 1:
            return math.inf
        b = math.pi / self.shape
        return self.scale * b / math.sin(b)

    def var(self) -> float:
        """``scale^2 (2b / sin 2b - b^2 / sin^2 b)``, ``b = pi / shape`` (infinite for shape <= 2)."""
        if self.shape <= 2:
            return math.inf
        b = math.pi / self.shape
        return self.scale**2 * (2.0 * b / math.sin(2.0 * b) - b * b / math.sin(b) ** 2)
