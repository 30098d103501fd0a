"""Erlang B and Erlang C: the queueing core of service-desk staffing, vectorised and exact.

Every function broadcasts like a numpy ufunc (scalar in, scalar out; arrays in, an array out)
and stays exact and finite for tens of thousands of servers: no factorials and no powers are
formed. Erlang B is computed in log space from the Poisson identity

    B(A, N) = poisson_pmf(N; A) / poisson_cdf(N; A),

with the cdf from the regularised upper incomplete gamma function (``scipy.special.pdtr``),
and, where that cdf underflows (load far above the servers), from the convergent series
``1 / B = sum_j N! / ((N - j)! A**j)``. Erlang C, the service level and the average speed of
answer follow from Erlang B in closed form.

Conventions: ``load`` is the offered load in Erlangs (calls x handle time / interval length);
server and agent counts are whole numbers. A queue with ``agents <= load`` is unstable: its
probability of waiting is 1, its service level 0 and its average speed of answer infinite.
A queue with no load never waits: P(wait) 0, service level 1, ASA 0, occupancy 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from .._validation import as_float_array, check_magnitude, column_kind
from ..exceptions import ParameterError

__all__ = [
    "average_speed_of_answer",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "offered_load",
    "service_level",
]

_TINY = 1e-280


# ---------------------------------------------------------------------------- validation
def _nonneg(x: Any, name: str, *, strict: bool = False, allow_inf: bool = False) -> np.ndarray:
    arr = as_float_array(x, name, allow_inf=allow_inf)
    bad = arr <= 0 if strict else arr < 0
    if np.any(bad):
        value = arr.flat[int(np.flatnonzero(bad)[0])]
        rule = "greater than 0" if strict else "0 or more"
        raise ParameterError(f"`{name}` must be {rule}. Got {value:g}.")
    kind = column_kind(name)
    check_magnitude(arr[np.isfinite(arr)] if allow_inf else arr, name, kind)
    return arr


def _check_not_swapped(interval_s: np.ndarray, handle_time_s: np.ndarray) -> None:
    """Refuse a handle time longer than its interval: almost surely the two swapped.

    Erlang C describes a steady state within each interval, which needs calls much shorter
    than the interval; ``f(calls, 300, 1800)`` is ``f(calls, 1800, 300)`` typed backwards.
    """
    i, h = np.broadcast_arrays(interval_s, handle_time_s)
    bad = h > i
    if np.any(bad):
        p = int(np.flatnonzero(bad)[0])
        raise ParameterError(
            f"handle time {h.flat[p]:g} s is longer than the {i.flat[p]:g} s interval: are they "
            "swapped? The call form is (calls, interval_s, handle_time_s), e.g. (120, 1800, "
            "300). Erlang C needs intervals much longer than a call: if calls really last "
            "longer, use a longer interval."
        )


def _counts(x: Any, name: str) -> np.ndarray:
    """Whole numbers >= 0 (as a float array: counts may reach millions)."""
    arr = _nonneg(x, name)
    check_magnitude(arr, name, "headcount")
    frac = arr != np.floor(arr)
    if np.any(frac):
        value = arr.flat[int(np.flatnonzero(frac)[0])]
        raise ParameterError(
            f"`{name}` must hold whole numbers of servers or agents. Got {value:g}. "
            "Round up with numpy.ceil to staff a fractional requirement."
        )
    return arr


def _out(arr: np.ndarray, *inputs: Any) -> Any:
    """Scalar out when every input was a scalar, else the array."""
    if all(np.ndim(x) == 0 for x in inputs):
        return np.asarray(arr).item()
    return arr


# ---------------------------------------------------------------------------- kernels
def _log_erlang_b(load: np.ndarray, servers: np.ndarray) -> np.ndarray:
    """log Erlang B for broadcastable float arrays (load >= 0, servers whole >= 0)."""
    a, n = np.broadcast_arrays(np.asarray(load, float), np.asarray(servers, float))
    out = np.zeros(a.shape)
    pos = a > 0
    # load 0: B = 0 with at least one server, B = 1 (log 0) with none.
    out[~pos] = np.where(n[~pos] > 0, -np.inf, 0.0)
    if not pos.any():
        return out
    ap, nparr = a[pos], n[pos]
    log_pmf = special.xlogy(nparr, ap) - ap - special.gammaln(nparr + 1.0)
    cdf = special.pdtr(nparr, ap)
    res = np.empty(ap.shape)
    good = cdf > _TINY
    res[good] = log_pmf[good] - np.log(cdf[good])
    if not good.all():
        res[~good] = -np.log(_inverse_b_series(ap[~good], nparr[~good]))
    out[pos] = np.minimum(res, 0.0)
    return out


def _inverse_b_series(load: np.ndarray, servers: np.ndarray) -> np.ndarray:
    """1 / B(A, N) = sum_{j=0..N} N (N-1) ... (N-j+1) / A**j, for A well above N.

    Used only where the Poisson cdf underflows, i.e. A exceeds N by dozens of standard
    deviations, so the terms fall at least geometrically and the loop is short.
    """
    total = np.ones(load.shape)
    term = np.ones(load.shape)
    active = np.ones(load.shape, bool)
    j = 0
    while active.any() and j < 10_000_000:
        term = np.where(active, term * np.maximum(servers - j, 0.0) / load, 0.0)
        total += term
        active &= term > 1e-17 * total
        j += 1
    return total


def _erlang_c_core(load: np.ndarray, agents: np.ndarray) -> np.ndarray:
    """P(wait) for float arrays; 1 where agents <= load > 0, 0 where load == 0."""
    a, n = np.broadcast_arrays(np.asarray(load, float), np.asarray(agents, float))
    b = np.exp(_log_erlang_b(a, n))
    stable = n > a
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(stable, n * b / (n - a * (1.0 - b)), 1.0)
    c = np.where(a == 0, 0.0, c)
    return np.clip(c, 0.0, 1.0)


def _service_level_core(load, agents, handle_time_s, answer_time_s) -> np.ndarray:
    a, n, h, t = np.broadcast_arrays(
        *(np.asarray(v, float) for v in (load, agents, handle_time_s, answer_time_s))
    )
    c = _erlang_c_core(a, n)
    with np.errstate(over="ignore", invalid="ignore"):
        sl = 1.0 - c * np.exp(-(n - a) * t / h)
    sl = np.where(n > a, sl, 0.0)
    return np.clip(np.where(a == 0, 1.0, sl), 0.0, 1.0)


def _asa_core(load, agents, handle_time_s) -> np.ndarray:
    a, n, h = np.broadcast_arrays(*(np.asarray(v, float) for v in (load, agents, handle_time_s)))
    c = _erlang_c_core(a, n)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        asa = np.where(n > a, c * h / (n - a), np.inf)
    return np.where(a == 0, 0.0, asa)


def _occupancy_core(load, agents) -> np.ndarray:
    a, n = np.broadcast_arrays(np.asarray(load, float), np.asarray(agents, float))
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(n > 0, np.minimum(a / n, 1.0), np.where(a > 0, np.nan, 0.0))
    return np.where(a == 0, 0.0, occ)


# ---------------------------------------------------------------------------- public API
def offered_load(calls: Any, interval_s: Any, handle_time_s: Any) -> Any:
    """Offered load (traffic intensity) in Erlangs.

    Parameters
    ----------
    calls : float or array_like
        Calls (contacts, tickets) arriving in the interval, >= 0.
    interval_s : float or array_like
        Interval length in seconds, > 0 (1800 for a half hour).
    handle_time_s : float or array_like
        Average handle time in seconds (talk + hold + wrap-up), > 0.

    Returns
    -------
    float or numpy.ndarray
        ``calls * handle_time_s / interval_s``: the average number of agents busy.

    Examples
    --------
    >>> offered_load(100, 1800, 180)
    10.0
    """
    c = _nonneg(calls, "calls")
    i = _nonneg(interval_s, "interval_s", strict=True)
    h = _nonneg(handle_time_s, "handle_time_s", strict=True)
    _check_not_swapped(i, h)
    return _out(c * h / i, calls, interval_s, handle_time_s)


def erlang_b(load: Any, servers: Any) -> Any:
    """Erlang B: the probability that a call is blocked (lost) with ``servers`` lines.

    Parameters
    ----------
    load : float or array_like
        Offered load in Erlangs, >= 0.
    servers : int or array_like
        Number of lines or servers, whole numbers >= 0.

    Returns
    -------
    float or numpy.ndarray
        Blocking probability in [0, 1].

    Notes
    -----
    ``B(A, N) = (A**N / N!) / sum_{k=0..N} A**k / k!`` is evaluated as the ratio of the
    Poisson pmf to the Poisson cdf in log space (``scipy.special.pdtr`` and ``gammaln``),
    so it neither overflows nor loses precision for tens of thousands of servers.

    References
    ----------
    A. K. Erlang (1917), "Solution of some problems in the theory of probabilities of
    significance in automatic telephone exchanges". ITU-D, *Teletraffic Engineering
    Handbook* (2005), ch. 7.

    Examples
    --------
    >>> print(f"{erlang_b(10, 15):.4f}")
    0.0365
    >>> erlang_b([1.0, 2.0], 2).round(4)
    array([0.2, 0.4])
    """
    a = _nonneg(load, "load")
    n = _counts(servers, "servers")
    return _out(np.exp(_log_erlang_b(a, n)), load, servers)


def erlang_c(load: Any, agents: Any) -> Any:
    """Erlang C: the probability that a call waits (all agents busy on arrival), M/M/n.

    Parameters
    ----------
    load : float or array_like
        Offered load in Erlangs, >= 0.
    agents : int or array_like
        Agents answering, whole numbers >= 0.

    Returns
    -------
    float or numpy.ndarray
        P(wait) in [0, 1]; 1 when ``agents <= load`` (the queue grows without bound),
        0 when ``load == 0``.

    Notes
    -----
    ``C(A, n) = n B(A, n) / (n - A (1 - B(A, n)))`` for ``n > A``, from Erlang B.

    References
    ----------
    A. K. Erlang (1917); ITU-D, *Teletraffic Engineering Handbook* (2005), ch. 12.

    Examples
    --------
    >>> print(f"{erlang_c(10, 14):.4f}")
    0.1741
    """
    a = _nonneg(load, "load")
    n = _counts(agents, "agents")
    return _out(_erlang_c_core(a, n), load, agents)


def service_level(load: Any, agents: Any, handle_time_s: Any, answer_time_s: Any) -> Any:
    """Erlang C service level: the share of calls answered within ``answer_time_s`` seconds.

    Parameters
    ----------
    load : float or array_like
        Offered load in Erlangs, >= 0.
    agents : int or array_like
        Agents answering, whole numbers >= 0.
    handle_time_s : float or array_like
        Average handle time in seconds, > 0.
    answer_time_s : float or array_like
        Target answer time in seconds, >= 0 (20 for "80 % in 20 s").

    Returns
    -------
    float or numpy.ndarray
        ``P(wait <= answer_time_s)`` in [0, 1]; 0 when ``agents <= load``, 1 when ``load == 0``.

    Notes
    -----
    ``SL = 1 - C(A, n) exp(-(n - A) t / h)``: waits are exponential with rate ``(n - A) / h``
    given that the call waits. No call abandons (Erlang C); see
    :func:`~cio_analytics.staffing.erlang_a` for the M/M/n+M version with abandonment.

    Examples
    --------
    >>> print(f"{service_level(10, 14, 180, 20):.4f}")
    0.8884
    """
    a = _nonneg(load, "load")
    n = _counts(agents, "agents")
    h = _nonneg(handle_time_s, "handle_time_s", strict=True)
    t = _nonneg(answer_time_s, "answer_time_s", allow_inf=True)
    return _out(_service_level_core(a, n, h, t), load, agents, handle_time_s, answer_time_s)


def average_speed_of_answer(load: Any, agents: Any, handle_time_s: Any) -> Any:
    """Erlang C average speed of answer (mean wait over all calls), in seconds.

    Parameters
    ----------
    load : float or array_like
        Offered load in Erlangs, >= 0.
    agents : int or array_like
        Agents answering, whole numbers >= 0.
    handle_time_s : float or array_like
        Average handle time in seconds, > 0.

    Returns
    -------
    float or numpy.ndarray
        ``ASA = C(A, n) h / (n - A)`` seconds; ``inf`` when ``agents <= load``, 0 with no load.

    Examples
    --------
    >>> print(f"{average_speed_of_answer(10, 14, 180):.2f}")
    7.84
    """
    a = _nonneg(load, "load")
    n = _counts(agents, "agents")
    h = _nonneg(handle_time_s, "handle_time_s", strict=True)
    return _out(_asa_core(a, n, h), load, agents, handle_time_s)


def occupancy(load: Any, agents: Any) -> Any:
    """Agent occupancy: the share of the agents' time spent handling calls.

    Parameters
    ----------
    load : float or array_like
        Offered load in Erlangs, >= 0.
    agents : int or array_like
        Agents answering, whole numbers >= 0.

    Returns
    -------
    float or numpy.ndarray
        ``min(A / n, 1)``; 0 with no load; ``nan`` for load on zero agents.

    Examples
    --------
    >>> occupancy(10, 14)
    0.7142857142857143
    """
    a = _nonneg(load, "load")
    n = _counts(agents, "agents")
    return _out(_occupancy_core(a, n), load, agents)
