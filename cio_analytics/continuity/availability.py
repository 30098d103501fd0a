"""Steady-state availability of a business service, its expected downtime and their cost.

Formula functions broadcast like ufuncs (the last axis holds the components);
:func:`service_availability` evaluates a :class:`~cio_analytics.continuity.ServiceModel` and
returns an :class:`AvailabilityResult` with the service's availability, expected downtime
hours per year and their cost, the service failure frequency and, per component, its
importance and how much downtime it causes.

References
----------
M. Rausand, A. Hoyland (2004). *System Reliability Theory*, 2nd ed., Wiley: ch. 4 (structure
functions: series, parallel, k-out-of-n), ch. 5 (Birnbaum importance), ch. 13 (availability of
repairable systems; system failure frequency ``sum_i I_B(i) w_i``).
R. Billinton, R. N. Allan (1992). *Reliability Evaluation of Engineering Systems*, 2nd ed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._validation import as_float_array, check_int, check_magnitude, check_positive
from ..exceptions import ParameterError
from .structure import ServiceModel

__all__ = [
    "AvailabilityResult",
    "availability_from_mtbf",
    "downtime_cost",
    "expected_downtime_h",
    "k_of_n_availability",
    "parallel_availability",
    "series_availability",
    "service_availability",
]

HOURS_PER_YEAR = 8760.0


def _availability_array(a: Any, name: str) -> np.ndarray:
    arr = as_float_array(a, name)
    bad = (arr < 0) | (arr > 1)
    if np.any(bad):
        x = arr.flat[int(np.flatnonzero(bad)[0])]
        hint = f" Availabilities are decimals: use {x / 100:g} for {x:g} %." if x > 1 else ""
        raise ParameterError(f"`{name}` must be in [0, 1]. Got {x:g}.{hint}")
    return arr


def _out(x: np.ndarray) -> Any:
    return float(x) if np.ndim(x) == 0 else x


def availability_from_mtbf(mtbf_h: Any, mttr_h: Any) -> Any:
    """Steady-state (inherent) availability ``MTBF / (MTBF + MTTR)``.

    Parameters
    ----------
    mtbf_h : float or array_like
        Mean up time between failures, hours (> 0).
    mttr_h : float or array_like
        Mean time to restore, hours (>= 0).

    Returns
    -------
    float or ndarray
        Availability in [0, 1], broadcast over the inputs.

    References
    ----------
    PTC Windchill Risk and Reliability, "Availability" (MTBF 50 h, MTTR 10 h -> 0.8333).

    Examples
    --------
    >>> print(f"{availability_from_mtbf(50, 10):.4f}")
    0.8333
    """
    mtbf = as_float_array(check_positive(mtbf_h, "mtbf_h"), "mtbf_h")
    mttr = as_float_array(mttr_h, "mttr_h")
    if np.any(mttr < 0):
        x = mttr.flat[int(np.flatnonzero(mttr < 0)[0])]
        raise ParameterError(f"`mttr_h` must be 0 or more hours. Got {x:g}.")
    return _out(mtbf / (mtbf + mttr))


def expected_downtime_h(availability: Any, *, hours_per_year: float = HOURS_PER_YEAR) -> Any:
    """Expected downtime hours per year, ``(1 - A) * hours_per_year``.

    Examples
    --------
    >>> print(f"{expected_downtime_h(0.99999) * 3600:.2f} s")  # five nines: 315.36 s a year
    315.36 s
    """
    a = _availability_array(availability, "availability")
    hours = check_positive(hours_per_year, "hours_per_year")
    return _out((1.0 - a) * hours)


def downtime_cost(downtime_h: Any, cost_per_h: Any) -> Any:
    """Cost of ``downtime_h`` hours of outage at ``cost_per_h`` (one rate, or 24 by hour).

    With 24 hourly rates, outages are taken as equally likely at any hour, so the expected
    cost uses the day's mean rate.

    Examples
    --------
    >>> downtime_cost(10.0, 5000.0)
    50000.0
    >>> downtime_cost(2.0, [1000.0] * 8 + [4000.0] * 12 + [1000.0] * 4)
    5000.0
    """
    hours = as_float_array(downtime_h, "downtime_h")
    rate = as_float_array(cost_per_h, "cost_per_h", ndim=(0, 1))
    if rate.ndim == 1 and rate.size not in (1, 24):
        raise ParameterError(f"`cost_per_h` must be one rate or 24 (by hour). Got {rate.size}.")
    if np.any(hours < 0) or np.any(rate < 0):
        raise ParameterError("`downtime_h` and `cost_per_h` must be 0 or more.")
    check_magnitude(hours, "downtime_h", "number")
    check_magnitude(rate, "cost_per_h", "amount")
    return _out(hours * float(np.mean(rate)))


def series_availability(a: Any) -> Any:
    """Availability of components in series (all needed): ``prod_i A_i`` over the last axis.

    Examples
    --------
    >>> print(f"{series_availability([0.99, 0.99]):.4f}")
    0.9801
    """
    arr = _availability_array(a, "a")
    return _out(np.prod(np.atleast_1d(arr), axis=-1))


def parallel_availability(a: Any) -> Any:
    """Availability of components in parallel (one is enough): ``1 - prod_i (1 - A_i)``.

    Examples
    --------
    >>> print(f"{parallel_availability([0.99, 0.99]):.4f}")
    0.9999
    """
    arr = _availability_array(a, "a")
    return _out(1.0 - np.prod(1.0 - np.atleast_1d(arr), axis=-1))


def k_of_n_availability(a: Any, k: int, *, n: int | None = None) -> Any:
    """Probability that at least ``k`` of ``n`` independent components are up.

    Parameters
    ----------
    a : float or array_like
        With ``n`` given: the availability of each of ``n`` identical components (any shape,
        e.g. one per scenario). Without ``n``: one availability per component on the last
        axis (non-identical components; leading axes are scenarios).
    k : int
        Components needed (1 = parallel, n = series).
    n : int, optional
        Number of identical components.

    Returns
    -------
    float or ndarray

    Notes
    -----
    Identical: ``sum_{j=k}^{n} C(n, j) A^j (1 - A)^(n-j)`` (binomial survival function).
    Non-identical: the Poisson-binomial distribution of the number up, by the recursion
    ``P_j(m) = P_{j-1}(m) (1 - A_j) + P_{j-1}(m-1) A_j`` over components, on whole arrays of
    scenarios; the result is ``1 - sum_{m<k} P_n(m)``.

    References
    ----------
    Rausand & Hoyland (2004), section 4.4. Reliability Analytics, "Reliability modeling:
    k-out-of-n configuration" (3-of-4 at 0.9 -> 0.9477).

    Examples
    --------
    >>> print(f"{k_of_n_availability(0.9, 2, n=3):.3f}")  # 3p^2 - 2p^3
    0.972
    >>> print(f"{k_of_n_availability([0.9, 0.9, 0.9, 0.9], 3):.4f}")
    0.9477
    """
    arr = _availability_array(a, "a")
    k = check_int(k, "k", minimum=1)
    if n is not None:
        n = check_int(n, "n", minimum=1)
        if k > n:
            raise ParameterError(f"`k` ({k}) must not exceed `n` ({n}): k of n must be up.")
        return _out(stats.binom.sf(k - 1, n, arr))
    arr = np.atleast_1d(arr)
    n_comp = arr.shape[-1]
    if k > n_comp:
        raise ParameterError(f"`k` ({k}) must not exceed the number of components ({n_comp}).")
    # dp[..., m] = P(exactly m of the components seen so far are up); only m < k is needed.
    dp = np.zeros((*arr.shape[:-1], k))
    dp[..., 0] = 1.0
    for j in range(n_comp):
        p = arr[..., j, None]
        new = dp * (1.0 - p)
        new[..., 1:] += dp[..., :-1] * p
        dp = new
    return _out(1.0 - dp.sum(axis=-1))


@dataclass(frozen=True)
class AvailabilityResult:
    """Steady-state availability of a service, its downtime and their cost.

    Attributes
    ----------
    service, currency : str
    availability : float
        Service availability in [0, 1].
    downtime_h : float
        Expected downtime hours per year, ``(1 - A) * hours_per_year``.
    downtime_cost : float
        Expected cost of that downtime per year (mean hourly outage cost over the day).
    sla_availability : float or None
        The availability target; ``meets_sla`` and ``allowed_downtime_h`` follow from it.
    failures_per_year : float
        Expected service outages per year, ``sum_i I_B(i) w_i`` (NaN if a component has only
        an availability).
    mean_outage_h : float
        Mean length of a service outage, ``downtime_h / failures_per_year``.
    components : DataFrame
        Per component: ``availability``, ``failures_per_year``, ``mttr_h``, ``birnbaum``
        (``A(1_i) - A(0_i)``), ``single_point_of_failure``, ``outages_per_year`` caused
        (``I_B(i) w_i``) and ``downtime_saved_if_perfect_h`` (``(A(1_i) - A) * hours``).
    """

    service: str
    currency: str
    availability: float
    downtime_h: float
    downtime_cost: float
    sla_availability: float | None
    meets_sla: bool | None
    allowed_downtime_h: float | None
    failures_per_year: float
    mean_outage_h: float
    hours_per_year: float
    components: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """Headline figures as a tidy table (``metric``, ``value``, ``unit``)."""
        rows = [
            ("availability", self.availability, "share"),
            ("downtime_h", self.downtime_h, "h/year"),
            ("downtime_cost", self.downtime_cost, f"{self.currency}/year"),
            ("failures_per_year", self.failures_per_year, "1/year"),
            ("mean_outage_h", self.mean_outage_h, "h"),
        ]
        if self.sla_availability is not None:
            rows += [("sla_availability", self.sla_availability, "share"),
                     ("allowed_downtime_h", self.allowed_downtime_h, "h/year")]  # fmt: skip
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def service_availability(model: ServiceModel) -> AvailabilityResult:
    """Evaluate a service: availability, expected downtime and cost, importance by component.

    Parameters
    ----------
    model : ServiceModel
        From :meth:`~cio_analytics.continuity.ServiceModel.from_spec`.

    Returns
    -------
    AvailabilityResult

    Notes
    -----
    ``A = phi(A_1, ..., A_n)`` with ``phi`` the structure's availability function (exact for
    independent components, each used once). Birnbaum importance ``I_B(i) = phi(1_i, A) -
    phi(0_i, A)``; service outages per year ``sum_i I_B(i) w_i`` with ``w_i`` the component's
    failures per year; mean outage ``(1 - A) hours / sum_i I_B(i) w_i``. All ``2n + 1``
    evaluations run as one array.

    Examples
    --------
    >>> from cio_analytics.continuity import ServiceModel
    >>> m = ServiceModel.from_spec({"root": "s", "outage_cost_per_h": 1000,
    ...     "blocks": {"s": {"type": "series", "children": ["a", "b"]}},
    ...     "components": {"a": {"mtbf_h": 999, "mttr_h": 1}, "b": {"availability": 0.999}}})
    >>> r = service_availability(m)
    >>> print(f"{r.availability:.6f} {r.downtime_h:.3f} {r.downtime_cost:,.0f}")
    0.998001 17.511 17,511
    """
    if not isinstance(model, ServiceModel):
        raise ParameterError(
            "`model` must be a ServiceModel; build it with ServiceModel.from_spec."
        )
    a = model.component_availability()
    n = a.size
    grid = np.tile(a, (2 * n + 1, 1))
    grid[1 + np.arange(n), np.arange(n)] = 1.0
    grid[1 + n + np.arange(n), np.arange(n)] = 0.0
    values = np.asarray(model.evaluate(grid))
    avail, up, down = values[0], values[1 : n + 1], values[n + 1 :]
    birnbaum = up - down
    freq = np.array([np.nan if c.failures_per_year is None else c.failures_per_year
                     for c in model.components])  # fmt: skip
    # a component is a single point of failure if its loss alone stops a perfect service
    perfect = np.ones((n, n))
    perfect[np.arange(n), np.arange(n)] = 0.0
    spof = np.asarray(model.evaluate(perfect)) < 0.5
    hours = model.hours_per_year
    downtime = (1.0 - avail) * hours
    w_sys = float(np.sum(birnbaum * freq))
    table = pd.DataFrame({
        "component": model.component_names,
        "availability": a,
        "failures_per_year": freq,
        "mttr_h": [np.nan if c.mttr_h is None else c.mttr_h for c in model.components],
        "birnbaum": birnbaum,
        "single_point_of_failure": spof,
        "outages_per_year": birnbaum * freq,
        "downtime_saved_if_perfect_h": (up - avail) * hours,
    })  # fmt: skip
    sla = model.sla_availability
    return AvailabilityResult(
        service=model.name,
        currency=model.currency,
        availability=float(avail),
        downtime_h=float(downtime),
        downtime_cost=float(downtime * model.mean_cost_per_h),
        sla_availability=sla,
        meets_sla=None if sla is None else bool(avail >= sla),
        allowed_downtime_h=None if sla is None else (1.0 - sla) * hours,
        failures_per_year=w_sys,
        mean_outage_h=float(downtime / w_sys) if w_sys > 0 else float("nan"),
        hours_per_year=hours,
        components=table,
    )
