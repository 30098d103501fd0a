"""Agents and lines required to meet service targets, for whole weeks of intervals at once.

``required_agents`` finds, for every element of its broadcast inputs, the fewest agents that
meet every stated target (service level, average speed of answer, maximum occupancy and, with
abandonment, a maximum abandonment rate). Each target is monotone in the number of agents, so
the smallest count meeting all of them is found by one vectorised integer bisection over the
whole array: a bracket is grown by doubling from a square-root-staffing guess, then halved;
about 10-20 passes over the array whatever its size, never a Python loop per interval.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._validation import as_float_array, check_choice
from ..exceptions import ParameterError
from ._search import failing as _failing
from ._search import figures as _figures
from ._search import smallest as _smallest
from ._search import sqrt_staffing_guess
from .erlang import _check_not_swapped, _counts, _log_erlang_b, _nonneg, _out
from .erlang_a import SL_DEFINITIONS

__all__ = [
    "StaffingRequirement",
    "StaffingWarning",
    "apply_shrinkage",
    "required_agents",
    "required_lines",
    "staffing_requirement",
]

#: Status of each element: target met, stopped at ``max_agents``, or target unattainable.
STATUSES = ("ok", "capped", "infeasible")
#: Practical limits used for unattainable targets (SL of 1, ASA or abandonment of 0).
_PRACTICAL = {"service_level": 1e-6, "asa": 1e-3, "abandonment": 1e-6}


class StaffingWarning(UserWarning):
    """Some intervals cannot meet their target (capped or unattainable)."""


# ---------------------------------------------------------------------------- result
@dataclass(frozen=True)
class StaffingRequirement:
    """Agents required per interval, with the figures they achieve.

    Attributes
    ----------
    calls, interval_s, handle_time_s, target_service_level, answer_time_s, max_occupancy,
    target_asa_s, patience_s, max_abandon_rate, min_agents, max_agents, sl_definition
        The inputs, echoed and broadcast (``None`` for targets not stated).
    model : str
        ``"erlang_c"`` or ``"erlang_a"`` (when ``patience_s`` is given).
    load : numpy.ndarray
        Offered load in Erlangs.
    agents : numpy.ndarray of int64
        Agents to schedule on the phones (before shrinkage).
    service_level, asa_s, occupancy, p_wait, p_abandon : numpy.ndarray
        Figures achieved with ``agents``.
    status : numpy.ndarray of str
        ``"ok"``, ``"capped"`` (``max_agents`` reached before the targets) or ``"infeasible"``
        (a target no finite staff meets: 100 % service level, ASA or abandonment of 0; the
        agents are then the count at which the measure is within 1e-6 of its limit, ASA within
        1 ms, or ``max_agents``).
    binding : numpy.ndarray of str
        The constraint that sets the count: ``service_level``, ``asa``, ``abandonment``,
        ``occupancy``, ``stability`` (Erlang C needs more agents than load), ``agents`` (at
        least one agent for any call), ``min_agents``, ``max_agents``, or ``no_calls``.
    """

    calls: np.ndarray
    interval_s: np.ndarray
    handle_time_s: np.ndarray
    target_service_level: np.ndarray | None
    answer_time_s: np.ndarray
    max_occupancy: np.ndarray | None
    target_asa_s: np.ndarray | None
    patience_s: np.ndarray | None
    max_abandon_rate: np.ndarray | None
    min_agents: np.ndarray
    max_agents: np.ndarray | None
    sl_definition: str
    model: str
    load: np.ndarray
    agents: np.ndarray
    service_level: np.ndarray
    asa_s: np.ndarray
    occupancy: np.ndarray
    p_wait: np.ndarray
    p_abandon: np.ndarray
    status: np.ndarray
    binding: np.ndarray

    @property
    def n_agents_total(self) -> int:
        """Sum of agents over every element (agent-intervals)."""
        return int(np.sum(self.agents))

    def to_frame(self) -> pd.DataFrame:
        """One row per element (flattened in C order): inputs, agents, figures, status."""
        cols = (
            "calls",
            "interval_s",
            "handle_time_s",
            "load",
            "agents",
            "service_level",
            "asa_s",
            "occupancy",
            "p_wait",
            "p_abandon",
            "status",
            "binding",
        )
        return pd.DataFrame({c: np.ravel(getattr(self, c)) for c in cols})

    def summary(self) -> pd.DataFrame:
        """Tidy headline figures: ``metric, value``."""
        frame = self.to_frame()
        busy = frame[frame["calls"] > 0]
        rows = [
            ("model", self.model),
            ("n_elements", len(frame)),
            ("n_agents_total", self.n_agents_total),
            ("max_agents_in_an_element", int(frame["agents"].max()) if len(frame) else 0),
            ("n_ok", int((frame["status"] == "ok").sum())),
            ("n_capped", int((frame["status"] == "capped").sum())),
            ("n_infeasible", int((frame["status"] == "infeasible").sum())),
            ("min_service_level", float(busy["service_level"].min()) if len(busy) else np.nan),
            ("max_asa_s", float(busy["asa_s"].max()) if len(busy) else np.nan),
            ("max_p_abandon", float(busy["p_abandon"].max()) if len(busy) else np.nan),
        ]
        return pd.DataFrame(rows, columns=["metric", "value"])


# ---------------------------------------------------------------------------- validation
def _level(x: Any, name: str, *, open_zero: bool = False) -> np.ndarray:
    arr = as_float_array(x, name)
    bad = (arr <= 0 if open_zero else arr < 0) | (arr > 1)
    if np.any(bad):
        v = arr.flat[int(np.flatnonzero(bad)[0])]
        rule = "(0, 1]" if open_zero else "[0, 1]"
        hint = f" Levels are decimals: use {v / 100:g} for {v:g} %." if v > 1 else ""
        raise ParameterError(f"`{name}` must be a decimal in {rule}. Got {v:g}.{hint}")
    return arr


def _optional(x: Any, fn, *args, **kw) -> np.ndarray | None:
    return None if x is None else fn(x, *args, **kw)


# ---------------------------------------------------------------------------- public API
def staffing_requirement(
    calls: Any,
    interval_s: Any,
    handle_time_s: Any,
    *,
    target_service_level: Any,
    answer_time_s: Any,
    max_occupancy: Any = None,
    target_asa_s: Any = None,
    patience_s: Any = None,
    max_abandon_rate: Any = None,
    min_agents: Any = 0,
    max_agents: Any = None,
    sl_definition: str = "offered",
) -> StaffingRequirement:
    """Fewest agents meeting every stated target, with the figures they achieve and a status.

    Same parameters as :func:`required_agents`; returns the full
    :class:`StaffingRequirement` (``required_agents(..., full_output=True)`` is the same).

    Examples
    --------
    >>> r = staffing_requirement(100, 1800, 180, target_service_level=0.8, answer_time_s=20)
    >>> print(r.agents, f"{r.service_level:.4f}", r.status, r.binding)
    14 0.8884 ok service_level
    """
    return _solve(
        calls, interval_s, handle_time_s, target_service_level=target_service_level,
        answer_time_s=answer_time_s, max_occupancy=max_occupancy, target_asa_s=target_asa_s,
        patience_s=patience_s, max_abandon_rate=max_abandon_rate, min_agents=min_agents,
        max_agents=max_agents, sl_definition=sl_definition, counts_only=False,
    )  # fmt: skip


def _solve(
    calls: Any,
    interval_s: Any,
    handle_time_s: Any,
    *,
    target_service_level: Any,
    answer_time_s: Any,
    max_occupancy: Any = None,
    target_asa_s: Any = None,
    patience_s: Any = None,
    max_abandon_rate: Any = None,
    min_agents: Any = 0,
    max_agents: Any = None,
    sl_definition: str = "offered",
    counts_only: bool,
) -> Any:
    """The search behind staffing_requirement and required_agents (counts only: no figures)."""
    check_choice(sl_definition, "sl_definition", SL_DEFINITIONS)
    c = _nonneg(calls, "calls")
    i = _nonneg(interval_s, "interval_s", strict=True)
    h = _nonneg(handle_time_s, "handle_time_s", strict=True)
    _check_not_swapped(i, h)
    sl = _optional(target_service_level, _level, "target_service_level")
    t = _nonneg(answer_time_s, "answer_time_s")
    occ = _optional(max_occupancy, _level, "max_occupancy", open_zero=True)
    asa = _optional(target_asa_s, _nonneg, "target_asa_s")
    pat = _optional(patience_s, _nonneg, "patience_s", strict=True, allow_inf=True)
    ab = _optional(max_abandon_rate, _level, "max_abandon_rate")
    if ab is not None and pat is None:
        raise ParameterError(
            "`max_abandon_rate` needs `patience_s`: abandonment exists only in Erlang A. "
            "Give the callers' mean patience in seconds, e.g. patience_s=120."
        )
    lo_n = _counts(min_agents, "min_agents")
    hi_n = _optional(max_agents, _counts, "max_agents")
    if hi_n is not None and np.any(np.broadcast_arrays(lo_n, hi_n)[0] > hi_n):
        raise ParameterError(
            "`min_agents` must not exceed `max_agents`. "
            f"Got min_agents={np.max(lo_n):g} and max_agents={np.min(hi_n):g}."
        )
    given = [c, i, h, t, lo_n] + [v for v in (sl, occ, asa, pat, ab, hi_n) if v is not None]
    shape = np.broadcast_shapes(*(v.shape for v in given))

    def flat(v, default):
        return np.broadcast_to(default if v is None else v, shape).astype(float).ravel()

    cf, hf, tf = flat(c, 0), flat(h, 1), flat(t, 0)
    load = cf * hf / flat(i, 1)
    patf = flat(pat, np.inf)
    slf, occf, asaf, abf = flat(sl, 0.0), flat(occ, 1.0), flat(asa, np.inf), flat(ab, 1.0)
    busy = load > 0
    # Unattainable targets: relax to a practical limit and flag the element.
    infeasible = busy & ((slf >= 1.0) | (asaf <= 0.0) | (abf <= 0.0))
    slf = np.where(busy & (slf >= 1.0), 1.0 - _PRACTICAL["service_level"], slf)
    asaf = np.where(busy & (asaf <= 0.0), _PRACTICAL["asa"], asaf)
    abf = np.where(busy & (abf <= 0.0), _PRACTICAL["abandonment"], abf)
    targets = (slf, asaf, occf, abf)
    want_asa = asa is not None

    def pred(n, idx):
        fig = _figures(load[idx], n, hf[idx], tf[idx], patf[idx], sl_definition, want_asa)
        return ~np.any(
            list(_failing(fig, n, load[idx], patf[idx], [v[idx] for v in targets]).values()), axis=0
        )

    agents = np.zeros(load.size)
    failed = np.zeros(load.size, bool)
    b = np.flatnonzero(busy)
    if b.size:
        lb = np.where(np.isinf(patf[b]), np.floor(load[b]), 0.0)
        guess = sqrt_staffing_guess(load[b], hf[b], tf[b], slf[b], asaf[b], occf[b])
        if occ is not None:  # Erlang C occupancy is load / n: a direct lower bound
            occ_lb = np.ceil(load[b] / occf[b] * (1 - 1e-12)) - 1.0
            lb = np.where(np.isinf(patf[b]), np.maximum(lb, occ_lb), lb)
        agents[b], failed[b] = _smallest(lambda n, k: pred(n, b[k]), lb, guess)
    infeasible |= failed
    floor_n = flat(lo_n, 0)
    floored = floor_n > agents
    agents = np.maximum(agents, floor_n)
    cap = flat(hi_n, np.inf)
    capped = agents > cap
    agents = np.minimum(agents, cap)
    status = np.where(infeasible, "infeasible", np.where(capped, "capped", "ok"))
    if counts_only:
        return agents.astype(np.int64).reshape(shape), status
    fig = _figures(load, agents, hf, tf, patf, sl_definition, want_asa=True)
    # Binding constraint: the first that fails one agent below the answer.
    below = np.maximum(agents - 1.0, 0.0)
    fig_below = _figures(load, below, hf, tf, patf, sl_definition, want_asa)
    fails = _failing(fig_below, below, load, patf, targets)
    binding = np.full(load.size, "none", dtype=object)
    for name in ("agents", "stability", "occupancy", "abandonment", "asa", "service_level"):
        binding = np.where(fails[name], name, binding)
    binding = np.where(floored, "min_agents", binding)
    binding = np.where(capped, "max_agents", binding)
    binding = np.where(busy | floored, binding, "no_calls")

    def shaped(v):
        return np.asarray(v).reshape(shape)

    def echo(v):
        return None if v is None else np.broadcast_to(v, shape)

    return StaffingRequirement(
        calls=echo(c), interval_s=echo(i), handle_time_s=echo(h),
        target_service_level=echo(sl), answer_time_s=echo(t), max_occupancy=echo(occ),
        target_asa_s=echo(asa), patience_s=echo(pat), max_abandon_rate=echo(ab),
        min_agents=echo(lo_n), max_agents=echo(hi_n), sl_definition=sl_definition,
        model="erlang_c" if pat is None else "erlang_a", load=shaped(load),
        agents=shaped(agents.astype(np.int64)), service_level=shaped(fig["service_level"]),
        asa_s=shaped(fig["asa_s"]), occupancy=shaped(fig["occupancy"]),
        p_wait=shaped(fig["p_wait"]), p_abandon=shaped(fig["p_abandon"]),
        status=shaped(status.astype(str)), binding=shaped(binding.astype(str)),
    )  # fmt: skip


def required_agents(
    calls: Any,
    interval_s: Any,
    handle_time_s: Any,
    *,
    target_service_level: Any,
    answer_time_s: Any,
    max_occupancy: Any = None,
    target_asa_s: Any = None,
    patience_s: Any = None,
    max_abandon_rate: Any = None,
    min_agents: Any = 0,
    max_agents: Any = None,
    sl_definition: str = "offered",
    full_output: bool = False,
) -> Any:
    """Fewest agents that meet every stated target, per interval (Erlang C, or Erlang A).

    Parameters
    ----------
    calls : float or array_like
        Calls offered in each interval, >= 0 (a week of 336 half hours x 20 queues is fine).
    interval_s : float or array_like
        Interval length in seconds, > 0.
    handle_time_s : float or array_like
        Average handle time in seconds, > 0.
    target_service_level : float, array_like or None
        Share of calls to answer within ``answer_time_s``, a decimal in [0, 1] (0.8 for 80 %);
        None for no service-level target.
    answer_time_s : float or array_like
        Service-level answer time in seconds, >= 0.
    max_occupancy : float or array_like, optional
        Highest acceptable agent occupancy, a decimal in (0, 1].
    target_asa_s : float or array_like, optional
        Highest acceptable average speed of answer, seconds (Erlang A: of answered calls).
    patience_s : float or array_like, optional
        Callers' mean patience in seconds. Given, the model is Erlang A (M/M/n+M) and the
        search starts from one agent (with abandonment fewer agents than the load can meet a
        target); ``inf`` elements use Erlang C.
    max_abandon_rate : float or array_like, optional
        Highest acceptable share of calls abandoned (Erlang A only).
    min_agents : int or array_like, default 0
        Staffing floor applied after the search, also to intervals with no calls.
    max_agents : int or array_like, optional
        Cap; elements that need more get ``max_agents`` and status ``"capped"``.
    sl_definition : {"offered", "answered", "offered_excl_short_abandons"}
        Erlang A service-level denominator (see :func:`erlang_a`); irrelevant for Erlang C.
    full_output : bool, default False
        Return the :class:`StaffingRequirement` (figures, status, binding constraint) instead
        of the counts.

    Returns
    -------
    int, numpy.ndarray of int64 or StaffingRequirement
        Agents on the phones (before shrinkage: see :func:`apply_shrinkage`). Intervals with
        no calls need 0 agents (or ``min_agents``). A :class:`StaffingWarning` is issued when
        some element is capped or its target unattainable (SL of 1, ASA or abandonment of 0);
        ask ``full_output=True`` for the status and the figures achieved.

    Notes
    -----
    Erlang C needs ``n > A`` (stability) and its service level ``1 - C(A, n) e^{-(n-A) t/h}``
    rises with ``n``; the answer is the smallest ``n`` with every measure on its side of the
    target (service level compared with a 1e-12 tolerance). The search is a vectorised
    integer bisection, so ``n`` meets the targets and ``n - 1`` does not (tested).

    References
    ----------
    Erlang C: ITU-D, *Teletraffic Engineering Handbook* (2005). Erlang A: Garnett, Mandelbaum
    and Reiman (2002). Square-root staffing: S. Halfin and W. Whitt (1981), "Heavy-traffic
    limits for queues with many exponential servers", *Operations Research* 29(3).

    Examples
    --------
    >>> required_agents(100, 1800, 180, target_service_level=0.8, answer_time_s=20)
    14
    >>> required_agents([0, 100, 5000], 1800, [180, 180, 300], target_service_level=0.8,
    ...                 answer_time_s=20, max_occupancy=0.85)
    array([  0,  14, 981])
    """
    res = _solve(
        calls, interval_s, handle_time_s, target_service_level=target_service_level,
        answer_time_s=answer_time_s, max_occupancy=max_occupancy, target_asa_s=target_asa_s,
        patience_s=patience_s, max_abandon_rate=max_abandon_rate, min_agents=min_agents,
        max_agents=max_agents, sl_definition=sl_definition, counts_only=not full_output,
    )  # fmt: skip
    if full_output:
        return res
    agents, status = res
    n_capped = int(np.sum(status == "capped"))
    n_infeasible = int(np.sum(status == "infeasible"))
    if n_capped or n_infeasible:
        warnings.warn(
            f"{n_capped} element(s) capped at max_agents and {n_infeasible} with an "
            "unattainable target (service level 1, ASA or abandonment 0): their counts do not "
            "meet the target. Call with full_output=True for the status and figures.",
            StaffingWarning,
            stacklevel=2,
        )
    return _out(agents, calls, interval_s, handle_time_s, target_service_level,
                answer_time_s, max_occupancy, target_asa_s, patience_s, max_abandon_rate,
                min_agents, max_agents)  # fmt: skip


def required_lines(load: Any, max_blocking: Any) -> Any:
    """Fewest lines (servers) whose Erlang B blocking is at most ``max_blocking``.

    Parameters
    ----------
    load : float or array_like
        Offered load in Erlangs, >= 0.
    max_blocking : float or array_like
        Highest acceptable blocking probability (grade of service), a decimal in (0, 1].

    Returns
    -------
    int or numpy.ndarray of int64
        Lines; 0 for no load.

    Notes
    -----
    Erlang B falls strictly as lines are added, so a vectorised bisection finds the smallest
    ``N`` with ``B(A, N) <= max_blocking`` (relative tolerance 1e-12).

    Examples
    --------
    >>> required_lines(10, 0.01)
    18
    >>> required_lines([1.0, 100.0], 0.01)
    array([  5, 117])
    """
    a = _nonneg(load, "load")
    gos = _level(max_blocking, "max_blocking", open_zero=True)
    a_f, g_f = (v.astype(float).ravel() for v in np.broadcast_arrays(a, gos))
    log_g = np.log(g_f) + 1e-12
    lines = np.zeros(a_f.size)
    b = np.flatnonzero(a_f > 0)
    if b.size:

        def pred(n, k):
            return _log_erlang_b(a_f[b[k]], n) <= log_g[b[k]]

        guess = np.ceil(a_f[b] + 3.0 * np.sqrt(a_f[b]) + 1.0)
        lines[b], _ = _smallest(pred, np.zeros(b.size), guess)
    out = lines.astype(np.int64).reshape(np.broadcast_shapes(a.shape, gos.shape))
    return _out(out, load, max_blocking)


def apply_shrinkage(agents: Any, shrinkage: Any) -> Any:
    """Agents to schedule so that ``agents`` remain on the phones after shrinkage.

    Parameters
    ----------
    agents : float or array_like
        Agents needed on the phones (from :func:`required_agents`), >= 0.
    shrinkage : float or array_like
        Share of paid time not available for calls (breaks, training, absence), a decimal in
        [0, 1): 0.3 for 30 %.

    Returns
    -------
    int or numpy.ndarray of int64
        ``ceil(agents / (1 - shrinkage))`` (ratios within a relative 1e-12 of a whole number
        are not rounded up: 14 / 0.7 is 20, not 21).

    Examples
    --------
    >>> apply_shrinkage(14, 0.3)
    20
    """
    n = _nonneg(agents, "agents")
    s = as_float_array(shrinkage, "shrinkage")
    bad = (s < 0) | (s >= 1)
    if np.any(bad):
        v = s.flat[int(np.flatnonzero(bad)[0])]
        hint = f" Shrinkage is a decimal: use {v / 100:g} for {v:g} %." if v > 1 else ""
        raise ParameterError(f"`shrinkage` must be a decimal in [0, 1). Got {v:g}.{hint}")
    ratio = n / (1.0 - s)
    out = np.ceil(ratio * (1.0 - 1e-12)).astype(np.int64)
    return _out(out, agents, shrinkage)
