"""Break-even values (Goal Seek, vectorised): the value of one input at which a decision flips.

For an investment case: the line-item amount (or discount rate) at which NPV = 0, at which the
IRR equals a hurdle rate, or at which the Monte Carlo probability of a positive NPV equals a
required probability. The staffing and sourcing break-evens
(:func:`cio_analytics.staffing.service_level_break_even`,
:func:`cio_analytics.sourcing.tco_break_even`) return the same result objects.

Every search is one vectorised bracketing root-finder (:func:`find_root`): all inputs of a case
are solved together, one row per input, each iteration one matrix product. Nothing here
phrases text: :mod:`cio_analytics.reporting.decisions.breakeven` turns a :class:`BreakEven`
into "the decision holds while benefits stay above EUR 240k (19 % below plan)".
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._validation import (
    as_float_array,
    check_probability,
    check_rate,
    did_you_mean,
    short_repr,
)
from ..exceptions import ParameterError
from .case import InvestmentCase
from .rates import irr, npv

__all__ = [
    "BREAK_EVEN_STATUSES",
    "BreakEven",
    "BreakEvenAnalysis",
    "find_root",
    "irr_break_even",
    "npv_break_even",
    "probability_break_even",
]

#: What a break-even search can end with.
BREAK_EVEN_STATUSES = ("found", "no flip in range", "no effect")

_MAX_ITER = 200


@dataclass(frozen=True)
class BreakEven:
    """The value of one input at which a decision flips, the others held at plan.

    Attributes
    ----------
    input : str
        The input varied (a line item, ``discount_rate``, ``calls``, ``volume``, ...).
    base_value : float
        Its planned value, in ``unit``.
    break_even_value : float
        The value at which the decision metric equals ``threshold``; NaN unless ``status`` is
        "found".
    change, relative_change : float
        ``break_even_value - base_value`` and ``break_even_value / base_value - 1`` (-0.19: 19 %
        below plan); NaN when not found (``relative_change`` also when the base is 0).
    status : {"found", "no flip in range", "no effect"}
        "no flip in range": the metric stays on one side of the threshold over the whole search
        range ``search_low .. search_high``; "no effect": the input does not move the metric.
    criterion : str
        The decision metric: "npv", "irr", "probability_npv_positive", "service_level", "tco".
    threshold : float
        The metric's value at which the decision flips (0, the hurdle rate, the required
        probability, the target service level, 0 difference in PV of cost).
    metric_at_base : float
        The metric at plan (NPV, NPV at the hurdle, probability, service level, PV advantage).
    decision_holds_at_base : bool
        Whether the plan meets the threshold (NPV >= 0, SL >= target, ...).
    holds_while : {"above", "below", ""}
        Where the decision made at plan keeps holding: while the input stays above (a benefit)
        or below (a cost) the break-even value; "" when not found.
    unit : str
        Unit of the input values: a currency code for a one-off amount ("EUR"), with the
        period for a recurring one ("EUR per year", "EUR per month"); "per year" for a rate;
        "calls", "s", "units per year", "x" (a price level) in staffing and sourcing.
    search_low, search_high : float
        The range searched.
    """

    input: str
    base_value: float
    break_even_value: float
    change: float
    relative_change: float
    status: str
    criterion: str
    threshold: float
    metric_at_base: float
    decision_holds_at_base: bool
    holds_while: str
    unit: str
    search_low: float
    search_high: float

    @property
    def found(self) -> bool:
        """True when a break-even value exists in the range searched."""
        return self.status == "found"

    def summary(self) -> pd.DataFrame:
        """One tidy row with every field (columns as the attributes)."""
        return pd.DataFrame([{k: getattr(self, k) for k in self.__dataclass_fields__}])


@dataclass(frozen=True)
class BreakEvenAnalysis:
    """Break-even values of several inputs of one decision (one :class:`BreakEven` each).

    Attributes
    ----------
    subject : str
        What was decided (the case, the queue, the offers compared).
    criterion : str
        The decision metric (see :class:`BreakEven`).
    threshold : float
        Its threshold.
    results : tuple of BreakEven
        One per input, in the order searched.
    currency : str
        Currency of money inputs ("" when none).
    n_trials : int
        Monte Carlo trials behind the metric (0 for a deterministic metric).
    seed : int or None
        Seed of the trials (common random numbers for every input); None when deterministic.
    """

    subject: str
    criterion: str
    threshold: float
    results: tuple[BreakEven, ...] = field(repr=False)
    currency: str = ""
    n_trials: int = 0
    seed: int | None = None

    @property
    def inputs(self) -> list[str]:
        """The inputs searched, in order."""
        return [r.input for r in self.results]

    def __getitem__(self, name: str) -> BreakEven:
        for r in self.results:
            if r.input == name:
                return r
        raise ParameterError(
            f"no break-even for input {name!r}. Inputs: {', '.join(self.inputs)}."
            f"{did_you_mean(str(name), self.inputs)}"
        )

    def summary(self) -> pd.DataFrame:
        """Tidy table, one row per input (the columns of :meth:`BreakEven.summary`)."""
        return pd.concat([r.summary() for r in self.results], ignore_index=True)


# ------------------------------------------------------------------------------ the solver
def find_root(
    fn: Callable[[np.ndarray], np.ndarray],
    low: Any,
    high: Any,
    *,
    xtol: float = 1e-12,
    max_iter: int = _MAX_ITER,
) -> tuple[np.ndarray, np.ndarray]:
    """Roots of ``fn`` in ``[low, high]``, one per element, by vectorised bisection.

    Parameters
    ----------
    fn : callable
        Maps an array ``x`` of shape (m,) to ``fn(x)`` of shape (m,): element ``i`` is the
        function of search ``i`` at ``x[i]`` (continuous, or a monotone step function).
    low, high : array_like
        The brackets, shape (m,) or scalars, ``low < high``.
    xtol : float, default 1e-12
        Stop when every bracket is narrower than ``xtol * max(1, |x|)``.
    max_iter : int, default 200
        Hard cap on iterations (never loops forever).

    Returns
    -------
    x : ndarray
        The roots (NaN where the bracket holds no sign change).
    status : ndarray of str
        "found" or "no flip in range".

    Notes
    -----
    Bisection keeps a sign change inside ``[a, b]`` and halves it each step; after it the root
    is placed by linear interpolation between the two ends, which is exact for a function
    linear in ``x`` (NPV in a line-item amount) and within the bracket width otherwise. An
    end where ``fn`` is exactly 0 is a root. A step function (a Monte Carlo share) gets the
    jump where it crosses 0.

    References
    ----------
    .. [1] Press, W. H. et al., *Numerical Recipes*, 3rd ed., section 9.1 (bracketing and
       bisection).

    Examples
    --------
    >>> x, status = find_root(lambda x: x**2 - np.array([2.0, 9.0, -1.0]), 0.0, 4.0)
    >>> np.round(x, 10).tolist(), status.tolist()
    ([1.4142135624, 3.0, nan], ['found', 'found', 'no flip in range'])
    """
    a, b = (np.asarray(v, dtype=float) for v in (low, high))
    probe = np.asarray(fn(np.broadcast_to(a, np.broadcast_shapes(a.shape, b.shape)).copy()))
    a, b = (np.broadcast_to(v, probe.shape).astype(float) for v in (a, b))
    fa, fb = np.asarray(fn(a), dtype=float), np.asarray(fn(b), dtype=float)
    ok = np.isfinite(fa) & np.isfinite(fb) & ((fa == 0) | (fb == 0) | (np.sign(fa) != np.sign(fb)))
    for _ in range(max_iter):
        width = b - a
        if not np.any(ok & (width > xtol * np.maximum(1.0, np.abs(a)))):
            break
        m = a + 0.5 * width
        fm = np.asarray(fn(m), dtype=float)
        left = np.sign(fm) == np.sign(fa)  # root in [m, b]
        a, fa = np.where(left, m, a), np.where(left, fm, fa)
        b, fb = np.where(left, b, m), np.where(left, fb, fm)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(fa == fb, 0.5, fa / (fa - fb))
    x = np.where(fa == 0, a, np.where(fb == 0, b, a + np.clip(t, 0.0, 1.0) * (b - a)))
    return np.where(ok, x, np.nan), np.where(ok, "found", "no flip in range")


def _results(
    names: list[str],
    base: np.ndarray,
    x: np.ndarray,
    status: np.ndarray,
    g_low: np.ndarray,
    g_high: np.ndarray,
    g_base: np.ndarray,
    *,
    criterion: str,
    threshold: float,
    metric_at_base: np.ndarray,
    units: list[str],
    low: np.ndarray,
    high: np.ndarray,
) -> tuple[BreakEven, ...]:
    """One :class:`BreakEven` per input from the solver's output (``g``: metric - threshold)."""
    out = []
    for k, name in enumerate(names):  # a loop over the inputs, not over trials
        s = str(status[k])
        if g_low[k] == g_high[k]:
            s = "no effect"
        found = s == "found"
        value = float(x[k]) if found else float("nan")
        increasing = g_high[k] > g_low[k]
        holds = bool(g_base[k] >= 0)
        if not found:
            where = ""
        else:  # the side of the break-even on which the metric meets the threshold
            where = "above" if increasing else "below"
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = value / base[k] - 1.0 if base[k] != 0 else float("nan")
        out.append(
            BreakEven(
                input=name,
                base_value=float(base[k]),
                break_even_value=value,
                change=value - float(base[k]),
                relative_change=float(rel),
                status=s,
                criterion=criterion,
                threshold=float(threshold),
                metric_at_base=float(metric_at_base[k]),
                decision_holds_at_base=holds,
                holds_while=where,
                unit=units[k],
                search_low=float(low[k]),
                search_high=float(high[k]),
            )
        )
    return tuple(out)


def _search_factors(search_factors: Any) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in search_factors)
    except (TypeError, ValueError):
        lo = hi = float("nan")
    if not (np.isfinite(lo) and np.isfinite(hi) and 0.0 <= lo < hi):
        raise ParameterError(
            "`search_factors` must be two multiples of the planned value, 0 <= low < high. "
            f"Got {short_repr(search_factors)}. Use (0, 10) to search from 0 to 10 x plan."
        )
    return lo, hi


def _pick_inputs(inputs: Iterable[str] | None, known: list[str], default: list[str]) -> list[str]:
    if inputs is None:
        return default
    chosen = [inputs] if isinstance(inputs, str) else list(inputs)
    unknown = [str(i) for i in chosen if i not in known]
    if unknown or not chosen:
        first = unknown[0] if unknown else ""
        raise ParameterError(
            f"`inputs` must name inputs of this model: {', '.join(known)}. "
            f"Got {short_repr(inputs)}.{did_you_mean(first, known) if first else ''}"
        )
    return chosen


# ------------------------------------------------------------------ investment case: NPV, IRR
def _case_search(
    case: InvestmentCase,
    *,
    period_rate: float,
    criterion: str,
    threshold: float,
    inputs: Iterable[str] | None,
    search_factors: Any,
    with_rate: bool,
) -> BreakEvenAnalysis:
    if not isinstance(case, InvestmentCase):
        raise ParameterError(f"`case` must be an InvestmentCase. Got {short_repr(case)}.")
    lo_f, hi_f = _search_factors(search_factors)
    items = case.item_names
    known = items + (["discount_rate"] if with_rate else [])
    chosen = _pick_inputs(inputs, known, known)
    base_amounts = case.base_amounts
    weights = case.cash_flow_weights().to_numpy()
    item_idx = np.array([items.index(n) for n in chosen if n != "discount_rate"], dtype=int)
    m_items = item_idx.size
    level = threshold if criterion == "npv" else 0.0  # the NPV the search solves for

    def npv_items(x: np.ndarray) -> np.ndarray:  # row j: item item_idx[j] set to x[j]
        amounts = np.tile(base_amounts, (m_items, 1))
        amounts[np.arange(m_items), item_idx] = x
        return np.asarray(npv(period_rate, amounts @ weights), dtype=float).reshape(m_items) - level

    base = base_amounts[item_idx]
    low, high = lo_f * base, hi_f * base
    x, status = find_root(npv_items, low, high)
    g_low, g_high = npv_items(low), npv_items(high)
    g_base = npv_items(base.copy())
    names = [items[i] for i in item_idx]
    units = [_money_unit(case, items[i]) for i in item_idx]
    if "discount_rate" in chosen:  # NPV(r) = 0: the IRR, searched on the annual rate
        net = base_amounts @ weights
        ppy = case.periods_per_year

        def npv_rate(r: np.ndarray) -> np.ndarray:
            per = (1.0 + r) ** (1.0 / ppy) - 1.0
            return np.asarray(npv(per, net), dtype=float).reshape(np.shape(r)) - level

        r_lo, r_hi = np.array([-0.9]), np.array([1.0])
        xr, sr = find_root(npv_rate, r_lo, r_hi)
        # NPV falls as the rate rises for a conventional case: holds below the break-even
        g = np.concatenate(
            [npv_rate(r_lo), npv_rate(r_hi), npv_rate(np.array([case.discount_rate]))]
        )
        x, status = np.append(x, xr), np.append(status, sr)
        g_low, g_high, g_base = (
            np.append(g_low, g[0]),
            np.append(g_high, g[1]),
            np.append(g_base, g[2]),
        )
        base = np.append(base, case.discount_rate)
        low, high = np.append(low, r_lo), np.append(high, r_hi)
        names.append("discount_rate")
        units.append("per year")
    metric = g_base + threshold if criterion == "npv" else g_base
    order = [names.index(n) for n in chosen]
    results = _results(
        names, base, x, status, g_low, g_high, g_base, criterion=criterion,
        threshold=threshold, metric_at_base=metric, units=units, low=low, high=high,
    )  # fmt: skip
    return BreakEvenAnalysis(
        subject=case.name,
        criterion=criterion,
        threshold=threshold,
        results=tuple(results[i] for i in order),
        currency=case.currency,
    )


def npv_break_even(
    case: InvestmentCase,
    *,
    threshold: float = 0.0,
    inputs: Iterable[str] | None = None,
    search_factors: tuple[float, float] = (0.0, 10.0),
) -> BreakEvenAnalysis:
    """The amount of each line item (and the discount rate) at which the case's NPV is 0.

    Parameters
    ----------
    case : InvestmentCase
        The planned case; every other input stays at plan while one moves.
    threshold : float, default 0
        The NPV at which the decision flips, in the case currency: 0 for "invest or not";
        another option's NPV for a choice between two (the amount at which this case's NPV
        equals it). The discount rate's break-even then solves ``NPV(r) = threshold`` with the
        other option's NPV held fixed.
    inputs : list of str, optional
        Line-item names and/or ``"discount_rate"``; default all of them.
    search_factors : (float, float), default (0, 10)
        The amounts searched, as multiples of each item's planned amount (0 to 10 x plan).
        The discount rate is searched from -90 % to 100 % a year.

    Returns
    -------
    BreakEvenAnalysis
        ``criterion="npv"``, ``threshold`` as given; per input a :class:`BreakEven` whose
        ``break_even_value`` is an amount per period in the case currency (the discount
        rate's is an annual rate: the case's IRR where NPV has one root).

    Notes
    -----
    ``NPV(x) = sum_t (a(x) W)_t (1 + r)^-t`` with ``a(x)`` the planned amounts with item ``k``
    set to ``x``: linear in ``x``, so the break-even is ``x* = a_k - NPV / (W_k . d)`` and the
    solver's final interpolation returns it exactly. For a level benefit ``b`` over ``n``
    years against a capex ``C`` now: ``b* = C / a(n, r)`` with the annuity factor
    ``a(n, r) = (1 - (1 + r)^-n) / r``.

    References
    ----------
    .. [1] Brealey, R., Myers, S. and Allen, F., *Principles of Corporate Finance*, ch. 2 and 10
       (annuity factor; break-even analysis).

    Examples
    --------
    >>> from cio_analytics.valuation import InvestmentCase, LineItem
    >>> case = InvestmentCase("x", [LineItem("Build", "capex", 1000),
    ...                             LineItem("Savings", "benefit", 300)],
    ...                       horizon_years=5, discount_rate=0.10)
    >>> be = npv_break_even(case)["Savings"]
    >>> print(f"{be.break_even_value:.2f} {be.relative_change:+.3f} {be.holds_while}")
    263.80 -0.121 above
    """
    rate = case.period_rate if isinstance(case, InvestmentCase) else 0.0
    level = float(as_float_array(threshold, "threshold", ndim=0))
    if not np.isfinite(level):
        raise ParameterError(
            f"`threshold` must be a finite NPV in the case currency. Got {short_repr(threshold)}. "
            "Use 0 for 'invest or not', or the other option's NPV for a choice between two."
        )
    return _case_search(
        case, period_rate=rate, criterion="npv", threshold=level, inputs=inputs,
        search_factors=search_factors, with_rate=True,
    )  # fmt: skip


def irr_break_even(
    case: InvestmentCase,
    hurdle_rate: float,
    *,
    inputs: Iterable[str] | None = None,
    search_factors: tuple[float, float] = (0.0, 10.0),
) -> BreakEvenAnalysis:
    """The amount of each line item at which the case's IRR equals ``hurdle_rate``.

    Parameters
    ----------
    case : InvestmentCase
    hurdle_rate : float
        The annual rate of return the case must reach, a decimal (0.12 for 12 %).
    inputs : list of str, optional
        Line-item names; default all.
    search_factors : (float, float), default (0, 10)
        Multiples of each item's planned amount searched.

    Returns
    -------
    BreakEvenAnalysis
        ``criterion="irr"``, ``threshold=hurdle_rate``; ``metric_at_base`` is the case's annual
        IRR at plan (NaN when it has none).

    Notes
    -----
    For conventional cash flows (outflows, then inflows: one sign change) the NPV falls as the
    rate rises, so ``IRR >= h`` exactly when ``NPV(h) >= 0`` and the break-even solves
    ``NPV(h) = 0``: the IRR of the case at the break-even amount is ``h``. With several sign
    changes the IRR may not be unique; check ``irr`` at the break-even.

    References
    ----------
    .. [1] Brealey, R., Myers, S. and Allen, F., *Principles of Corporate Finance*, ch. 5
       (the IRR rule and its equivalence with NPV for conventional flows).

    Examples
    --------
    >>> from cio_analytics.valuation import InvestmentCase, LineItem
    >>> case = InvestmentCase("x", [LineItem("Build", "capex", 1000),
    ...                             LineItem("Savings", "benefit", 300)], horizon_years=5)
    >>> print(f"{irr_break_even(case, 0.12)['Savings'].break_even_value:.2f}")
    277.41
    """
    h = float(check_rate(hurdle_rate, "hurdle_rate", allow_array=False))
    if not isinstance(case, InvestmentCase):
        raise ParameterError(f"`case` must be an InvestmentCase. Got {short_repr(case)}.")
    per = (1.0 + h) ** (1.0 / case.periods_per_year) - 1.0
    found = _case_search(
        case, period_rate=per, criterion="irr", threshold=h, inputs=inputs,
        search_factors=search_factors, with_rate=False,
    )  # fmt: skip
    rate = float(irr(case.cash_flow_matrix()))
    at_plan = (1.0 + rate) ** case.periods_per_year - 1.0
    results = tuple(dataclasses.replace(r, metric_at_base=at_plan) for r in found.results)
    return dataclasses.replace(found, results=results)


# --------------------------------------------------------- Monte Carlo: P(NPV > 0) = required
def probability_break_even(
    case: InvestmentCase,
    uncertainty: Mapping[str, Any],
    *,
    required_probability: float,
    n_trials: int = 10_000,
    basis: str = "amount",
    correlation: pd.DataFrame | None = None,
    method: str = "lhs",
    rng: int | np.random.Generator | None = None,
    inputs: Iterable[str] | None = None,
    search_factors: tuple[float, float] = (0.0, 10.0),
) -> BreakEvenAnalysis:
    """The planned level of each uncertain line item at which P(NPV > 0) = the required probability.

    Parameters
    ----------
    case, uncertainty, n_trials, basis, correlation, method
        As for :func:`cio_analytics.risk.simulate_case` (same seed: the same trials).
    required_probability : float
        The chance of a positive NPV the decision needs, in (0, 1) (0.8 for 80 %).
    rng : None, int or Generator
        Seed; recorded as ``seed``. One set of trials serves every input (common random
        numbers), so the break-evens differ by the input, not by sampling noise.
    inputs : list of str, optional
        Uncertain line items to search; default every item in ``uncertainty``.
    search_factors : (float, float), default (0, 10)
        Multiples of the planned level searched.

    Returns
    -------
    BreakEvenAnalysis
        ``criterion="probability_npv_positive"``; per input the planned amount per period
        (``base_value``, the case's amount) and the amount at which the share of trials with
        NPV > 0 reaches ``required_probability`` (``break_even_value``); ``metric_at_base`` is
        that share at plan.

    Notes
    -----
    Moving an item's plan by a factor ``s`` scales its every draw by ``s`` (its relative spread
    is kept). NPV is linear in each amount, so trial ``i`` has ``NPV_i(s) = NPV_i + (s - 1) c_ik``
    with ``c_ik`` the present value of item ``k``'s cash flows in trial ``i``; the share
    ``P(s) = mean_i [NPV_i(s) > 0]`` is a monotone step function of ``s``, and the break-even is
    the jump at which it reaches the required probability (bisection on all inputs at once,
    on the count of positive trials less the count needed, offset by one half so that a
    plateau exactly at the required share counts as met).
    The answer carries the Monte Carlo error of a quantile of ``n_trials`` draws.

    Examples
    --------
    >>> from cio_analytics.risk import PERT
    >>> from cio_analytics.valuation import InvestmentCase, LineItem
    >>> case = InvestmentCase("x", [LineItem("Build", "capex", 1000),
    ...                             LineItem("Savings", "benefit", 300)],
    ...                       horizon_years=5, discount_rate=0.10)
    >>> res = probability_break_even(case, {"Savings": PERT(200, 300, 350)},
    ...                              required_probability=0.8, n_trials=20_000, rng=1)
    >>> be = res["Savings"]
    >>> print(f"{be.metric_at_base:.2f} {be.break_even_value:.0f} {be.holds_while}")
    0.83 297 above
    """
    from ..risk import Distribution, simulate  # run time: risk itself imports valuation

    if not isinstance(case, InvestmentCase):
        raise ParameterError(f"`case` must be an InvestmentCase. Got {short_repr(case)}.")
    p = float(check_probability(required_probability, "required_probability"))
    if not 0.0 < p < 1.0:
        raise ParameterError(
            f"`required_probability` must be in (0, 1). Got {p:g}. Use 0.8 for an 80 % chance."
        )
    if basis not in ("amount", "multiplier"):
        raise ParameterError(
            f"`basis` must be 'amount' or 'multiplier'. Got {short_repr(basis)}."
            f"{did_you_mean(str(basis), ['amount', 'multiplier'])}"
        )
    items = case.item_names
    if not isinstance(uncertainty, Mapping) or not uncertainty:
        raise ParameterError(
            "`uncertainty` must be a non-empty dict of line item -> distribution, e.g. "
            "{'Savings': PERT(200, 300, 350)}."
        )
    unknown = [str(k) for k in uncertainty if k not in items]
    if unknown:
        raise ParameterError(
            f"`uncertainty` names line items case {case.name!r} does not have: "
            f"{', '.join(map(repr, unknown))}. Its items: {items}.{did_you_mean(unknown[0], items)}"
        )
    for item, dist in uncertainty.items():
        if not isinstance(dist, Distribution):
            raise ParameterError(
                f"`uncertainty[{item!r}]` must be a distribution. Got {short_repr(dist)}."
            )
    lo_f, hi_f = _search_factors(search_factors)
    chosen = _pick_inputs(inputs, list(uncertainty), list(uncertainty))
    # the engine's input names and streams, exactly as simulate_case draws them
    names = {item: _engine_name(item) for item in items}
    base = case.base_amounts
    scale = base if basis == "multiplier" else np.ones_like(base)
    sim_inputs = {
        names[item]: uncertainty.get(item, 1.0 if basis == "multiplier" else float(base[k]))
        for k, item in enumerate(items)
    }
    weights = case.cash_flow_weights().to_numpy()
    pv_unit = np.asarray(npv(case.period_rate, weights), dtype=float)  # PV per unit amount
    order = [names[item] for item in items]
    idx = np.array([items.index(c) for c in chosen], dtype=int)

    def model(**x: np.ndarray) -> dict[str, np.ndarray]:
        m = np.broadcast_to(x[order[0]], x[order[0]].shape).size
        amounts = np.column_stack([np.broadcast_to(x[k], (m,)) for k in order]) * scale
        contrib = amounts * pv_unit
        out = {"npv": contrib.sum(axis=1)}
        out.update({f"pv_{j}": contrib[:, k] for j, k in enumerate(idx)})
        return out

    corr = None
    if correlation is not None:
        if not isinstance(correlation, pd.DataFrame):
            raise ParameterError("`correlation` must be a DataFrame labelled with line items.")
        corr = correlation.rename(index=names, columns=names)
    sim = simulate(model, sim_inputs, n_trials, correlation=corr, method=method, rng=rng)
    npv_t = sim.outputs["npv"].to_numpy()
    pv = np.column_stack([sim.outputs[f"pv_{j}"].to_numpy() for j in range(idx.size)]).T

    n_t = npv_t.size
    need = np.ceil(p * n_t - 1e-9 * n_t)  # trials with NPV > 0 that make the share >= p

    def gap(s: np.ndarray) -> np.ndarray:  # row j: item idx[j] scaled by s[j]; never 0
        return np.sum(npv_t[None, :] + (s[:, None] - 1.0) * pv > 0.0, axis=1) - need + 0.5

    ones = np.ones(idx.size)
    low, high = lo_f * ones, hi_f * ones
    s, status = find_root(gap, low, high)
    g_low, g_high, g_base = gap(low), gap(high), gap(ones)
    at_plan = np.full(idx.size, np.mean(npv_t > 0.0))
    planned = base[idx]
    results = _results(
        chosen, planned, s * planned, status, g_low, g_high, g_base,
        criterion="probability_npv_positive", threshold=p, metric_at_base=at_plan,
        units=[_money_unit(case, items[i]) for i in idx], low=low * planned,
        high=high * planned,
    )  # fmt: skip
    return BreakEvenAnalysis(
        subject=case.name,
        criterion="probability_npv_positive",
        threshold=p,
        results=results,
        currency=case.currency,
        n_trials=sim.n_trials,
        seed=sim.seed,
    )


def _money_unit(case: InvestmentCase, name: str) -> str:
    """ "EUR" for a one-off amount, "EUR per year" / "EUR per month" for a recurring one."""
    item = case.line_items[case.item_names.index(name)]
    one_off = item.duration == 1 or (
        item.duration is None and item.kind in ("capex", "opex_one_off")
    )
    if one_off:
        return case.currency
    return f"{case.currency} per {'year' if case.periods_per_year == 1 else 'month'}"


def _engine_name(item: str) -> str:
    """The risk engine's input name of a line item (as :func:`simulate_case` names it)."""
    key = re.sub(r"\W+", "_", item.strip()).strip("_").lower() or "item"
    return key if key[0].isalpha() else f"item_{key}"
