"""The distribution interface every input of :func:`~cio_analytics.risk.simulate` follows.

A distribution is a frozen dataclass with ``ppf`` (inverse CDF), ``cdf``, ``mean``, ``var``,
``sd`` and ``sample``. Sampling is by inversion (``ppf`` of uniforms) unless a subclass has a
faster exact native sampler, so Monte Carlo, Latin hypercube and Sobol all go through ``ppf``.
``truncate(low, high)`` restricts any distribution to an interval by inverting on the restricted
CDF range.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import integrate

from .._validation import as_float_array, check_int, check_magnitude, resolve_seed, short_repr
from ..exceptions import ParameterError

__all__ = ["Distribution", "Truncated", "as_number", "scalar_or_array"]


def as_number(value: Any, name: str, owner: str) -> float:
    """A finite float parameter of distribution ``owner`` or a ParameterError naming it."""
    if isinstance(value, bool):
        raise ParameterError(f"{owner}: `{name}` must be a number. Got {value!r}.")
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise ParameterError(
            f"{owner}: `{name}` must be a number. Got {short_repr(value)}."
        ) from None
    if not math.isfinite(out):
        raise ParameterError(f"{owner}: `{name}` must be finite. Got {out}.")
    check_magnitude(out, f"{owner}: {name}", "number")
    return out


def _computable(out: Any, inside: Any, owner: Distribution, what: str) -> Any:
    """Refuse a NaN or infinity where finite inputs must give a finite value."""
    arr = np.asarray(out, dtype=float)
    bad = ~np.isfinite(arr) & np.broadcast_to(np.asarray(inside, dtype=bool), arr.shape)
    if np.any(bad):
        raise ParameterError(
            f"{owner!r}: its {what} cannot be computed in floating point for these parameters "
            "(an overflow or a loss of precision). Check the parameters' units and magnitude."
        )
    return out


def scalar_or_array(out: np.ndarray, like: np.ndarray) -> Any:
    """Scalar in, scalar out (as a Python float); arrays keep their shape."""
    return float(out) if np.ndim(like) == 0 else out


def _no_overflow(method: Any) -> Any:
    """Wrap a subclass's ``mean``/``var``: a math overflow becomes a ParameterError."""

    @functools.wraps(method)
    def wrapper(self: Distribution) -> float:
        try:
            out = method(self)
        except (OverflowError, ZeroDivisionError):
            out = math.nan
        if math.isinf(out) and type(self)._infinite_moments:
            return out  # a true infinity (a heavy tail), documented by the family
        if not math.isfinite(out):
            raise ParameterError(
                f"{self!r}: its {method.__name__} cannot be computed in floating point for "
                "these parameters (an overflow). Check the parameters' units and magnitude."
            )
        if method.__name__ == "var" and out < 0.0:
            return 0.0  # rounding below zero (e.g. Weibull with a huge shape); a variance is >= 0
        return out

    wrapper._guarded = True  # type: ignore[attr-defined]
    return wrapper


class Distribution:
    """Base class: subclasses implement ``_ppf``, ``_cdf``, ``mean`` and ``var``.

    Public methods validate their arguments; the private ``_ppf`` / ``_sample`` are the fast
    paths :func:`simulate` uses on already-checked arrays.
    """

    discrete: bool = False

    # -- to implement ---------------------------------------------------------------------
    #: True for families whose mean or variance is infinite for some parameters (Pareto,
    #: log-logistic); elsewhere an infinite moment is an overflow and is refused.
    _infinite_moments = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("mean", "var"):
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "_guarded", False):
                setattr(cls, name, _no_overflow(method))

    def _ppf(self, q: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _cdf(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def mean(self) -> float:  # pragma: no cover - abstract
        """Expected value."""
        raise NotImplementedError

    def var(self) -> float:  # pragma: no cover - abstract
        """Variance."""
        raise NotImplementedError

    # -- shared ---------------------------------------------------------------------------
    def _sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        return self._ppf(rng.random(n))

    def sd(self) -> float:
        """Standard deviation, ``sqrt(var())``."""
        return math.sqrt(self.var())

    def support(self) -> tuple[float, float]:
        """Smallest and largest possible values (may be infinite)."""
        return float(self._ppf(np.array(0.0))), float(self._ppf(np.array(1.0)))

    def ppf(self, q: Any) -> Any:
        """Inverse CDF: the value below which a share ``q`` of outcomes falls.

        For discrete distributions the smallest ``x`` with ``cdf(x) >= q``.
        """
        arr = as_float_array(q, "q")
        if np.any((arr < 0) | (arr > 1)):
            bad = arr.flat[int(np.flatnonzero((arr < 0) | (arr > 1))[0])]
            raise ParameterError(
                f"`q` must be probabilities in [0, 1]. Got {bad:g}. Use 0.9 for P90."
            )
        out = _computable(self._ppf(arr), (arr > 0) & (arr < 1), self, "quantile")
        return scalar_or_array(out, arr)

    def cdf(self, x: Any) -> Any:
        """P(X <= x)."""
        arr = as_float_array(x, "x", allow_inf=True)
        return scalar_or_array(_computable(self._cdf(arr), True, self, "cdf"), arr)

    def sample(self, n: int, *, rng: int | np.random.Generator | None = None) -> np.ndarray:
        """``n`` independent draws (a float array), reproducible for a given ``rng`` seed."""
        n = check_int(n, "n", minimum=0)
        out = np.asarray(self._sample(n, resolve_seed(rng)[1]), dtype=float)
        return _computable(out, True, self, "sample")

    def truncate(self, low: float | None = None, high: float | None = None) -> Truncated:
        """This distribution restricted to ``[low, high]`` (either bound may be None)."""
        return Truncated(self, low, high)


@dataclass(frozen=True)
class Truncated(Distribution):
    """A distribution restricted to ``[low, high]``.

    Parameters
    ----------
    dist : Distribution
        The distribution to truncate.
    low, high : float or None
        Bounds in the units of ``dist``; None leaves that side open.

    Notes
    -----
    Draws are ``dist.ppf(F(low-) + u (F(high) - F(low-)))`` with ``u`` uniform, i.e. inversion on
    the restricted CDF range, so Latin hypercube strata stay strata. ``F(low-)`` is the CDF just
    below ``low`` so that a discrete value equal to ``low`` is kept. Mean and variance are
    integrals of the quantile function over the restricted range (``scipy.integrate.quad``).

    Examples
    --------
    >>> from cio_analytics.risk import Normal
    >>> t = Normal(0, 1).truncate(low=0)
    >>> print(f"{t.mean():.6f}")  # half-normal mean sqrt(2/pi)
    0.797885
    """

    dist: Distribution
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.dist, Distribution):
            raise ParameterError(
                f"Truncated: `dist` must be a distribution. Got {short_repr(self.dist)}."
            )
        lo = None if self.low is None else as_number(self.low, "low", "Truncated")
        hi = None if self.high is None else as_number(self.high, "high", "Truncated")
        object.__setattr__(self, "low", lo)
        object.__setattr__(self, "high", hi)
        if lo is not None and hi is not None and lo >= hi:
            raise ParameterError(
                f"Truncated: `low` must be below `high`. Got low={lo:g}, high={hi:g}."
            )
        if self._mass() <= 0:
            raise ParameterError(
                f"Truncated: the interval [{lo}, {hi}] has zero probability under "
                f"{short_repr(self.dist)}. Widen the bounds."
            )
        object.__setattr__(self, "discrete", self.dist.discrete)

    def _bounds_cdf(self) -> tuple[float, float]:
        f_lo = 0.0
        if self.low is not None:
            f_lo = float(self.dist._cdf(np.array(np.nextafter(self.low, -np.inf))))
        f_hi = 1.0 if self.high is None else float(self.dist._cdf(np.array(self.high)))
        return f_lo, f_hi

    def _mass(self) -> float:
        f_lo, f_hi = self._bounds_cdf()
        return f_hi - f_lo

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        f_lo, f_hi = self._bounds_cdf()
        out = self.dist._ppf(f_lo + np.asarray(q) * (f_hi - f_lo))
        lo = -np.inf if self.low is None else self.low
        hi = np.inf if self.high is None else self.high
        return np.clip(out, lo, hi)

    def _cdf(self, x: np.ndarray) -> np.ndarray:
        f_lo, f_hi = self._bounds_cdf()
        return np.clip((self.dist._cdf(x) - f_lo) / (f_hi - f_lo), 0.0, 1.0)

    def _moment(self, k: int) -> float:
        if self.discrete:
            u = (np.arange(200_000) + 0.5) / 200_000
            return float(np.mean(self._ppf(u) ** k))
        val, _ = integrate.quad(lambda u: float(self._ppf(np.array(u))) ** k, 0, 1, limit=200)
        return val

    def mean(self) -> float:
        """Mean of the truncated distribution (numerical integral of the quantile function)."""
        return self._moment(1)

    def var(self) -> float:
        """Variance of the truncated distribution."""
        m = self.mean()
        if self.discrete:
            return max(self._moment(2) - m * m, 0.0)
        val, _ = integrate.quad(lambda u: (float(self._ppf(np.array(u))) - m) ** 2, 0, 1, limit=200)
        return val


def check_percentile_pair(
    owner: str, p_low: float, x_low: float, p_high: float, x_high: float
) -> None:
    """Two stated percentiles of a two-parameter family: probabilities in (0, 1), in order."""
    for name, p in (("p_low", p_low), ("p_high", p_high)):
        if not 0 < p < 1:
            raise ParameterError(
                f"{owner}: `{name}` must be a probability strictly between 0 and 1. Got {p:g}. "
                "Use 0.1 for P10."
            )
    if not (p_low < p_high and x_low < x_high):
        raise ParameterError(
            f"{owner}: need p_low < p_high and x_low < x_high. Got P{p_low * 100:g} = {x_low:g}, "
            f"P{p_high * 100:g} = {x_high:g}."
        )
