"""Break-even values for staffing: the contact volume or handle time at which a headcount stops
meeting its service-level target (Erlang C).

Returns the result objects of :mod:`cio_analytics.valuation.breakeven` (:class:`BreakEven`,
:class:`BreakEvenAnalysis`), so a report phrases every domain's break-even the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .._validation import as_float_array, check_probability, short_repr
from ..exceptions import ParameterError
from ..valuation import BreakEvenAnalysis, find_root
from ..valuation.breakeven import _pick_inputs, _results, _search_factors
from .erlang import offered_load, service_level

__all__ = ["SERVICE_LEVEL_INPUTS", "service_level_break_even"]

#: The inputs :func:`service_level_break_even` can move.
SERVICE_LEVEL_INPUTS = ("calls", "handle_time_s")


def _scalar(x: Any, name: str) -> float:
    return float(as_float_array(x, name, ndim=0))


def service_level_break_even(
    calls: float,
    interval_s: float,
    handle_time_s: float,
    agents: int,
    *,
    target_service_level: float,
    answer_time_s: float,
    inputs: Iterable[str] | None = None,
    search_factors: tuple[float, float] = (0.0, 10.0),
) -> BreakEvenAnalysis:
    """The calls per interval and the handle time at which ``agents`` just meet the target.

    Parameters
    ----------
    calls : float
        Calls offered in the interval at plan, >= 0.
    interval_s : float
        Interval length in seconds, > 0 (1800 for a half hour).
    handle_time_s : float
        Average handle time at plan in seconds, > 0.
    agents : int
        The headcount answering in the interval (after shrinkage), a whole number >= 1.
    target_service_level : float
        Share of calls to answer within ``answer_time_s``, a decimal in (0, 1) (0.8 for 80 %).
    answer_time_s : float
        Service-level answer time in seconds, >= 0 (20 for "80 % in 20 s").
    inputs : list of str, optional
        Any of ``"calls"``, ``"handle_time_s"``; default both.
    search_factors : (float, float), default (0, 10)
        The values searched as multiples of plan (the handle time from a millionth of plan).

    Returns
    -------
    BreakEvenAnalysis
        ``criterion="service_level"``, ``threshold=target_service_level``; per input a
        :class:`~cio_analytics.valuation.BreakEven` with the value (calls per interval, or
        seconds) at which the Erlang C service level equals the target. The target holds
        while the input stays ``below`` it; ``metric_at_base`` is the service level at plan.

    Notes
    -----
    ``SL(A, n) = 1 - C(A, n) exp(-(n - A) t / h)`` with ``A = calls h / interval_s``, 0 once
    ``A >= n``. With ``n`` fixed it falls continuously as calls or handle time rise, so the
    break-even is the one root of ``SL - target`` (vectorised bisection over both inputs).
    It is the largest volume the headcount carries: :func:`required_agents` at that volume
    gives ``agents``, a call more needs an agent more.

    References
    ----------
    .. [1] Erlang, A. K. (1917), "Solution of some problems in the theory of probabilities of
       significance in automatic telephone exchanges"; the 80/20 worked example (100 calls a
       half hour, 180 s, 14 agents: 88.8 %) in Call Centre Helper, "Erlang C formula - made
       simple with an easy worked example".

    Examples
    --------
    >>> be = service_level_break_even(100, 1800, 180, 14, target_service_level=0.8,
    ...                               answer_time_s=20)
    >>> print(f"{be['calls'].break_even_value:.1f} {be['calls'].holds_while}")
    108.7 below
    """
    c = _scalar(calls, "calls")
    i = _scalar(interval_s, "interval_s")
    h = _scalar(handle_time_s, "handle_time_s")
    a = float(offered_load(c, i, h))  # validates calls, interval, handle time
    n = float(as_float_array(agents, "agents", ndim=0))
    if not (n >= 1 and n == np.floor(n)):
        raise ParameterError(
            f"`agents` must be a whole number >= 1. Got {short_repr(agents)}. "
            "Give the agents answering in the interval (after shrinkage)."
        )
    target = float(check_probability(target_service_level, "target_service_level"))
    if not 0.0 < target < 1.0:
        raise ParameterError(
            f"`target_service_level` must be in (0, 1). Got {target:g}. Use 0.8 for 80 %."
        )
    t = _scalar(answer_time_s, "answer_time_s")
    float(service_level(a, n, h, t))  # validates answer_time_s
    lo_f, hi_f = _search_factors(search_factors)
    chosen = _pick_inputs(inputs, list(SERVICE_LEVEL_INPUTS), list(SERVICE_LEVEL_INPUTS))
    is_calls = np.array([name == "calls" for name in chosen])

    def gap(x: np.ndarray) -> np.ndarray:
        calls_x = np.where(is_calls, x, c)
        h_x = np.where(is_calls, h, x)
        return service_level(calls_x * h_x / i, n, h_x, t) - target

    base = np.where(is_calls, c, h)
    low = np.where(is_calls, lo_f * c, np.maximum(lo_f * h, 1e-6 * h))
    high = hi_f * base
    x, status = find_root(gap, low, high)
    g_base = gap(base)
    results = _results(
        chosen, base, x, status, gap(low), gap(high), g_base, criterion="service_level",
        threshold=target, metric_at_base=g_base + target,
        units=["calls" if k else "s" for k in is_calls], low=low, high=high,
    )  # fmt: skip
    return BreakEvenAnalysis(
        subject=f"{n:.0f} agents", criterion="service_level", threshold=target, results=results
    )
