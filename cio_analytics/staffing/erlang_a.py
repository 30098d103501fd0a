"""Erlang A (M/M/n+M): the service-desk queue with abandonment, exact and vectorised.

Callers wait for a limited, exponentially distributed time (mean ``patience_s``) and hang up
when no agent has answered by then. Unlike Erlang C the queue is always stable, fewer agents
than the load can still meet a target, and the share of callers lost is reported.

With ``x = n mu / theta`` and ``y = lambda / theta`` (``mu = 1 / handle_time_s``,
``theta = 1 / patience_s``, ``lambda = load mu``) and ``P(a, z)`` the regularised lower
incomplete gamma function, the formulas used (Garnett, Mandelbaum & Reiman 2002;
Mandelbaum & Zeltyn 2007) are

- ``A(x, y) = x e**y y**-x gamma(x, y) = sum_j y**j / ((x+1) ... (x+j))``
- ``P(wait) = A E / (1 + (A - 1) E)`` with ``E`` the Erlang B of ``(load, n)``
- the offered wait ``V`` (time to reach an agent for a caller with infinite patience),
  given ``V > 0``: ``P(V > t | V > 0) = P(x, y e**(-theta t)) / P(x, y)``
- answered within ``t``: ``P(V = 0) + P(V > 0) (x / y) [P(x+1, y) - P(x+1, y e**(-theta t))] / P(x, y)``
- ``P(abandon) = P(wait) (1 - (x / y) P(x+1, y) / P(x, y))``
- mean wait of all callers ``E[W] = P(abandon) patience_s`` (abandonment balance), and the
  average speed of answer (mean wait of answered calls) ``E[V exp(-theta V)] / P(answered)``
  summed exactly over the queue length seen on arrival.

All of it is computed with logarithms of incomplete gamma functions so that very long
patience (the Erlang C limit) and very large queues neither overflow nor underflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from .._validation import check_choice
from .erlang import (
    _asa_core,
    _counts,
    _erlang_c_core,
    _log_erlang_b,
    _nonneg,
    _occupancy_core,
    _service_level_core,
)

__all__ = ["SL_DEFINITIONS", "ErlangAResult", "erlang_a"]

#: Service-level definitions under abandonment (numerator: calls answered within t).
SL_DEFINITIONS = ("offered", "answered", "offered_excl_short_abandons")

_TINY = 1e-280


def _log_p(a: np.ndarray, z: np.ndarray) -> np.ndarray:
    """log of the regularised lower incomplete gamma P(a, z), a > 0, z >= 0, stable."""
    a, z = np.broadcast_arrays(np.asarray(a, float), np.asarray(z, float))
    with np.errstate(divide="ignore"):
        p = special.gammainc(a, z)
        out = np.where(p > 0.5, np.log1p(-special.gammaincc(a, z)), np.log(p))
    under = (p <= _TINY) & (z > 0)
    if under.any():
        # P(a, z) = z**a e**-z / Gamma(a+1) * sum_j z**j / ((a+1)...(a+j)); here a >> z.
        aa, zz = a[under], z[under]
        total, term = np.ones(aa.shape), np.ones(aa.shape)
        active = np.ones(aa.shape, bool)
        j = 0
        while active.any() and j < 10_000_000:
            j += 1
            term = np.where(active, term * zz / (aa + j), 0.0)
            total += term
            active &= term > 1e-17 * total
        out[under] = special.xlogy(aa, zz) - zz - special.gammaln(aa + 1.0) + np.log(total)
    return out


def _served_wait_moment(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """theta E[V exp(-theta V) | V > 0], summed exactly over the queue length j on arrival.

    Given j callers ahead, V is a sum of exponentials with rates theta (x + k), k = 0..j, so
    theta E[V e^{-theta V} | j] = x / (x+j+1) * (psi(x+j+2) - psi(x+1)); the weights are
    y**j / ((x+1)...(x+j)). The sum runs over a window of +-10 standard deviations around
    the mode of the weights (the neglected tail is below 1e-20 of the total).
    """
    out = np.zeros(x.shape)
    mode = np.maximum(0.0, np.ceil(y - x - 1.0))
    half = np.ceil(10.0 * np.sqrt(np.maximum(np.maximum(x, y), 1.0))) + 50.0
    start = np.maximum(0.0, mode - half)
    stop = mode + half
    num = np.zeros(x.shape)
    den = np.zeros(x.shape)
    ref = special.xlogy(mode, y) - (special.gammaln(x + mode + 1.0) - special.gammaln(x + 1.0))
    block = np.arange(512.0)
    offset = 0.0
    idx = np.arange(x.size)
    while idx.size:
        j = start[idx, None] + offset + block[None, :]
        valid = j <= stop[idx, None]
        xi, yi = x[idx, None], y[idx, None]
        logw = special.xlogy(j, yi) - (special.gammaln(xi + j + 1.0) - special.gammaln(xi + 1.0))
        w = np.where(valid, np.exp(logw - ref[idx, None]), 0.0)
        g = xi / (xi + j + 1.0) * (special.digamma(xi + j + 2.0) - special.digamma(xi + 1.0))
        num[idx] += np.sum(w * g, axis=1)
        den[idx] += np.sum(w, axis=1)
        offset += block.size
        idx = idx[start[idx] + offset <= stop[idx]]
    np.divide(num, den, out=out, where=den > 0)
    return out


def _erlang_a_core(
    load, agents, handle_time_s, patience_s, answer_time_s, definition="offered", want_asa=True
) -> dict[str, np.ndarray]:
    """Erlang A figures for broadcastable float arrays (validated by the caller)."""
    arrays = np.broadcast_arrays(
        *(np.asarray(v, float) for v in (load, agents, handle_time_s, patience_s, answer_time_s))
    )
    a, n, h, pat, t = (np.array(v, dtype=float).ravel() for v in arrays)
    shape = arrays[0].shape
    res = {
        k: np.zeros(a.size)
        for k in ("p_wait", "p_abandon", "service_level", "asa_s", "mean_wait_s")
    }
    res["service_level"][:] = 1.0
    # Infinite patience: Erlang C.
    inf = np.isinf(pat) & (a > 0)
    if inf.any():
        res["p_wait"][inf] = _erlang_c_core(a[inf], n[inf])
        res["service_level"][inf] = _service_level_core(a[inf], n[inf], h[inf], t[inf])
        res["asa_s"][inf] = _asa_core(a[inf], n[inf], h[inf])
        res["mean_wait_s"][inf] = res["asa_s"][inf]
    # No agents: every caller waits and abandons.
    none = (n == 0) & (a > 0) & ~inf
    res["p_wait"][none] = res["p_abandon"][none] = 1.0
    res["service_level"][none] = 0.0
    res["asa_s"][none] = np.inf
    res["mean_wait_s"][none] = pat[none]
    m = (n > 0) & (a > 0) & ~inf
    if m.any():
        _fill_erlang_a(res, m, a[m], n[m], h[m], pat[m], t[m], definition, want_asa)
    if not want_asa:
        res["asa_s"][m] = np.nan
    return {k: v.reshape(shape) for k, v in res.items()}


def _fill_erlang_a(res, m, a, n, h, pat, t, definition, want_asa) -> None:
    x, y = n * pat / h, a * pat / h
    lp = _log_p(x, y)
    log_big_a = np.log(x) + y - special.xlogy(x, y) + special.gammaln(x) + lp
    log_e = _log_erlang_b(a, n)
    with np.errstate(over="ignore", divide="ignore"):
        p_wait = 1.0 / (1.0 + np.exp(np.log1p(-np.exp(log_e)) - log_big_a - log_e))
    # E[e^{-U}] and E[e^{-U}; U <= u] given a wait (U = theta V, u = theta t).
    lp1 = _log_p(x + 1.0, y)
    served_given_wait = np.minimum(x / y * np.exp(lp1 - lp), 1.0)
    u = t / pat
    lp1t = _log_p(x + 1.0, y * np.exp(-u))
    within = served_given_wait * -np.expm1(np.minimum(lp1t - lp1, 0.0))
    tail = np.exp(np.minimum(_log_p(x, y * np.exp(-u)) - lp, 0.0))  # P(U > u | U > 0)
    p_ab = p_wait * (1.0 - served_given_wait)
    answered_within = (1.0 - p_wait) + p_wait * within
    if definition == "offered":
        sl = answered_within
    elif definition == "answered":
        sl = answered_within / (1.0 - p_ab)
    else:  # offered_excl_short_abandons
        short_ab = p_wait * np.clip(1.0 - within - np.exp(-u) * tail, 0.0, 1.0)
        sl = answered_within / (1.0 - short_ab)
    res["p_wait"][m] = p_wait
    res["p_abandon"][m] = p_ab
    res["service_level"][m] = np.clip(sl, 0.0, 1.0)
    res["mean_wait_s"][m] = p_ab * pat
    if want_asa:
        moment = _served_wait_moment(x, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            asa = np.where(p_ab < 1.0, p_wait * moment * pat / (1.0 - p_ab), np.inf)
        res["asa_s"][m] = asa


@dataclass(frozen=True)
class ErlangAResult:
    """Erlang A (M/M/n+M) figures, one value per element of the broadcast inputs.

    Attributes
    ----------
    load, agents, handle_time_s, patience_s, answer_time_s, definition
        The inputs, echoed (broadcast).
    p_wait : numpy.ndarray
        Probability that a caller finds every agent busy.
    p_abandon : numpy.ndarray
        Probability that a caller hangs up before being answered.
    service_level : numpy.ndarray
        Share of calls answered within ``answer_time_s`` under ``definition``.
    asa_s : numpy.ndarray
        Average speed of answer: mean wait of the answered calls, seconds.
    mean_wait_s : numpy.ndarray
        Mean time in queue over all callers (answered or not), seconds.
    occupancy : numpy.ndarray
        Share of agents' time busy: ``load (1 - p_abandon) / agents``.
    """

    load: np.ndarray
    agents: np.ndarray
    handle_time_s: np.ndarray
    patience_s: np.ndarray
    answer_time_s: np.ndarray
    definition: str
    p_wait: np.ndarray
    p_abandon: np.ndarray
    service_level: np.ndarray
    asa_s: np.ndarray
    mean_wait_s: np.ndarray
    occupancy: np.ndarray

    def summary(self) -> pd.DataFrame:
        """One row per element: inputs and figures (tidy)."""
        cols = (
            "load",
            "agents",
            "handle_time_s",
            "patience_s",
            "answer_time_s",
            "p_wait",
            "p_abandon",
            "service_level",
            "asa_s",
            "mean_wait_s",
            "occupancy",
        )
        return pd.DataFrame({c: np.ravel(getattr(self, c)) for c in cols})


def erlang_a(
    load: Any,
    agents: Any,
    handle_time_s: Any,
    patience_s: Any,
    answer_time_s: Any = 20.0,
    *,
    definition: str = "offered",
) -> ErlangAResult:
    """Erlang A (M/M/n+M): waiting, abandonment, service level and ASA with impatient callers.

    Parameters
    ----------
    load : float or array_like
        Offered load in Erlangs, >= 0.
    agents : int or array_like
        Agents answering, whole numbers >= 0.
    handle_time_s : float or array_like
        Average handle time in seconds, > 0.
    patience_s : float or array_like
        Mean caller patience in seconds, > 0 (exponential); ``inf`` gives Erlang C.
    answer_time_s : float or array_like, default 20
        Service-level answer time in seconds, >= 0.
    definition : {"offered", "answered", "offered_excl_short_abandons"}
        Denominator of the service level: all offered calls (default, the strictest), answered
        calls only, or offered calls less those abandoned within ``answer_time_s``.

    Returns
    -------
    ErlangAResult
        Arrays broadcast from the inputs (0-d arrays for scalar inputs).

    Notes
    -----
    See the module docstring for the formulas. As ``patience_s`` grows, every figure tends
    to its Erlang C value when ``agents > load`` (tested).

    References
    ----------
    O. Garnett, A. Mandelbaum and M. Reiman (2002), "Designing a call center with impatient
    customers", *Manufacturing & Service Operations Management* 4(3), 208-227.
    A. Mandelbaum and S. Zeltyn (2007), "Service engineering in action: the Palm/Erlang-A
    queue, with applications to call centers", in *Advances in Services Innovations*, 17-45.

    Examples
    --------
    >>> r = erlang_a(10, 11, 180, 120, 20)
    >>> print(f"{r.p_wait:.4f} {r.p_abandon:.4f} {r.service_level:.4f}")
    0.3828 0.0942 0.7422
    """
    check_choice(definition, "definition", SL_DEFINITIONS)
    a = _nonneg(load, "load")
    n = _counts(agents, "agents")
    h = _nonneg(handle_time_s, "handle_time_s", strict=True)
    p = _nonneg(patience_s, "patience_s", strict=True, allow_inf=True)
    t = _nonneg(answer_time_s, "answer_time_s", allow_inf=True)
    core = _erlang_a_core(a, n, h, p, t, definition)
    a_b, n_b, h_b, p_b, t_b = np.broadcast_arrays(a, n, h, p, t)
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(n_b > 0, a_b * (1.0 - core["p_abandon"]) / n_b, 0.0)
    occ = np.where(np.isinf(p_b), _occupancy_core(a_b, n_b), np.minimum(occ, 1.0))
    return ErlangAResult(
        load=a_b, agents=n_b, handle_time_s=h_b, patience_s=p_b, answer_time_s=t_b,
        definition=definition, occupancy=occ, **core,
    )  # fmt: skip
