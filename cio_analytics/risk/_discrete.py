"""Discrete and data-driven distributions: Bernoulli, Poisson, Discrete, Empirical.

The quantile of a discrete distribution is the smallest value ``x`` with ``cdf(x) >= q``, so
sampling by inversion (Monte Carlo, Latin hypercube, Sobol) reproduces the probabilities exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import special, stats

from .._validation import as_float_array, short_repr
from ..exceptions import ParameterError
from ._base import Distribution, as_number

__all__ = ["Bernoulli", "Discrete", "Empirical", "Poisson"]


@dataclass(frozen=True)
class Bernoulli(Distribution):
    """1 with probability ``p``, else 0 (a risk event that happens or not).

    Examples
    --------
    >>> b = Bernoulli(0.3)
    >>> b.mean(), round(b.var(), 4), b.ppf(0.69), b.ppf(0.71)
    (0.3, 0.21, 0.0, 1.0)
    """

    p: float
    discrete = True

    def __post_init__(self) -> None:
        p = as_number(self.p, "p", "Bernoulli")
        if not 0 <= p <= 1:
            hint = f" Use {p / 100:g} for {p:g} %." if p > 1 else ""
            raise ParameterError(
                f"Bernoulli: `p` must be a probability in [0, 1]. Got {p:g}.{hint}"
            )
        object.__setattr__(self, "p", p)

    def _sample(self, n, rng):
        return (rng.random(n) < self.p).astype(float)

    def _ppf(self, q):
        return (np.asarray(q) > 1.0 - self.p).astype(float)

    def _cdf(self, x):
        return np.where(x < 0, 0.0, np.where(x < 1, 1.0 - self.p, 1.0))

    def mean(self) -> float:
        """``p``."""
        return self.p

    def var(self) -> float:
        """``p (1 - p)``."""
        return self.p * (1.0 - self.p)


@dataclass(frozen=True)
class Poisson(Distribution):
    """Number of events in a period at mean ``rate`` per period (rates above 1 are fine).

    Examples
    --------
    >>> d = Poisson(2.5)
    >>> d.mean(), d.var(), d.ppf(0.5)
    (2.5, 2.5, 2.0)
    """

    rate: float
    discrete = True

    def __post_init__(self) -> None:
        rate = as_number(self.rate, "rate", "Poisson")
        if rate < 0:
            raise ParameterError(
                f"Poisson: `rate` must be 0 or more events per period. Got {rate:g}."
            )
        object.__setattr__(self, "rate", rate)

    def _sample(self, n, rng):
        return rng.poisson(self.rate, n).astype(float)

    def _ppf(self, q):
        if self.rate == 0:
            return np.zeros_like(np.asarray(q, dtype=float))
        return stats.poisson.ppf(q, self.rate)

    def _cdf(self, x):
        k = np.floor(x)
        return np.where(k < 0, 0.0, special.pdtr(np.maximum(k, 0), self.rate))

    def mean(self) -> float:
        """``rate``."""
        return self.rate

    def var(self) -> float:
        """``rate``."""
        return self.rate


@dataclass(frozen=True, init=False)
class Discrete(Distribution):
    """A finite set of ``values`` with ``probabilities`` (summing to 1 within 1e-9).

    Examples
    --------
    >>> d = Discrete([0, 100, 500], [0.5, 0.3, 0.2])
    >>> d.mean(), d.ppf(0.5), d.ppf(0.51)
    (130.0, 0.0, 100.0)
    """

    values: tuple[float, ...]
    probabilities: tuple[float, ...]
    discrete = True
    _sorted: np.ndarray = field(repr=False, compare=False)
    _cum: np.ndarray = field(repr=False, compare=False)

    def __init__(self, values: Any, probabilities: Any) -> None:
        v = as_float_array(values, "values", ndim=1, min_size=1)
        p = as_float_array(probabilities, "probabilities", ndim=1)
        if v.size != p.size:
            raise ParameterError(
                f"Discrete: `values` and `probabilities` must have the same length. "
                f"Got {v.size} values and {p.size} probabilities."
            )
        if np.any((p < 0) | (p > 1)):
            bad = p[(p < 0) | (p > 1)][0]
            raise ParameterError(f"Discrete: each probability must be in [0, 1]. Got {bad:g}.")
        if not math.isclose(p.sum(), 1.0, abs_tol=1e-9):
            raise ParameterError(
                f"Discrete: `probabilities` must sum to 1. Got {p.sum():.6g}. "
                "Divide by their total if they are weights."
            )
        order = np.argsort(v, kind="stable")
        cum = np.cumsum(p[order])
        cum[-1] = 1.0
        object.__setattr__(self, "values", tuple(v.tolist()))
        object.__setattr__(self, "probabilities", tuple(p.tolist()))
        object.__setattr__(self, "_sorted", v[order])
        object.__setattr__(self, "_cum", cum)

    def _ppf(self, q):
        idx = np.searchsorted(self._cum, q, side="left")
        return self._sorted[np.minimum(idx, self._sorted.size - 1)]

    def _cdf(self, x):
        idx = np.searchsorted(self._sorted, x, side="right")
        return np.where(idx > 0, self._cum[np.maximum(idx - 1, 0)], 0.0)

    def mean(self) -> float:
        """``sum(p_i x_i)``."""
        return float(np.dot(self.values, self.probabilities))

    def var(self) -> float:
        """``sum(p_i (x_i - mean)^2)``."""
        m = self.mean()
        return float(np.dot(self.probabilities, (np.asarray(self.values) - m) ** 2))


@dataclass(frozen=True, init=False)
class Empirical(Distribution):
    """The empirical distribution of observed ``data`` (resampling with equal weights).

    ``ppf`` is the inverse of the empirical CDF (Hyndman & Fan type 1: the smallest observation
    with at least a share ``q`` of the data at or below it), so Monte Carlo draws are a bootstrap
    of the data and ``mean``/``var`` are the data's mean and population variance (``ddof=0``).

    Examples
    --------
    >>> e = Empirical([3, 1, 2, 10])
    >>> e.mean(), e.ppf(0.5), e.ppf(0.76)
    (4.0, 2.0, 10.0)
    """

    data: np.ndarray = field(repr=False)
    discrete = True

    def __init__(self, data: Any) -> None:
        arr = as_float_array(data, "data", ndim=1, min_size=1)
        if arr.size == 0:
            raise ParameterError(
                f"Empirical: `data` needs at least one value. Got {short_repr(data)}."
            )
        arr = np.sort(arr)
        arr.setflags(write=False)
        object.__setattr__(self, "data", arr)

    def __repr__(self) -> str:
        return f"Empirical(n={self.data.size}, min={self.data[0]:g}, max={self.data[-1]:g})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Empirical) and np.array_equal(self.data, other.data)

    def __hash__(self) -> int:
        return hash(self.data.tobytes())

    def _ppf(self, q):
        n = self.data.size
        idx = np.ceil(np.asarray(q) * n).astype(np.intp) - 1
        return self.data[np.clip(idx, 0, n - 1)]

    def _cdf(self, x):
        return np.searchsorted(self.data, x, side="right") / self.data.size

    def mean(self) -> float:
        """Mean of the data."""
        return float(self.data.mean())

    def var(self) -> float:
        """Population variance of the data (``ddof=0``)."""
        return float(self.data.var())
