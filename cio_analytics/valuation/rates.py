"""Rate functions on cash flows: NPV, XNPV, IRR, XIRR, MIRR and payback periods.

Every function takes one scenario (a 1-D sequence or Series -> a float) or many scenarios
(a 2-D array or DataFrame, rows = scenarios, columns = periods -> one result per row, a
Series for a DataFrame) and computes all rows in one vectorised pass.

Conventions: rates are decimals per period; money out is negative; ``values[..., 0]`` is
period 0 ("now") and is not discounted, unlike Excel's NPV (use ``first_period=1`` for Excel's).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_choice, check_int, check_magnitude, short_repr
from ..exceptions import ParameterError
from ._dates import (
    as_values,
    check_discount_rate,
    dated_flows,
    per_row,
    result,
    times_from_dates,
)
from ._solver import check_root, solve_rates
from .daycount import check_day_count
from .rate_result import SEVERAL_RATES_LABEL, RateResult, finish

__all__ = [
    "SEVERAL_RATES_LABEL",
    "RateResult",
    "discounted_payback_period",
    "irr",
    "mirr",
    "npv",
    "payback_period",
    "xirr",
    "xnpv",
]


# --------------------------------------------------------------------------- NPV family
def npv(rate: Any, values: Any, *, first_period: int = 0) -> Any:
    """Net present value of periodic cash flows.

    Parameters
    ----------
    rate : float or array_like
        Discount rate per period, a decimal in (-1, 1]. One rate, or one per scenario (row).
        With a single scenario, an array of rates gives the NPV at each rate.
    values : array_like or DataFrame
        Cash flows per period (money out negative). 1-D: one scenario; 2-D: rows are scenarios.
    first_period : int, default 0
        Period of ``values[..., 0]``. 0 (default): the first flow is now, undiscounted.
        1: Excel's ``NPV``, which discounts its first value by one period.

    Returns
    -------
    float, ndarray or Series
        ``sum_j values[j] / (1 + rate) ** (j + first_period)``, one per scenario.

    Notes
    -----
    ``NPV = sum_{j=0}^{n-1} v_j (1 + r)^{-(j + p)}`` with ``p = first_period``. Excel's
    ``NPV(r, v0, v1, ...)`` equals ``npv(r, [v0, v1, ...], first_period=1)``; the usual
    finance convention (an outlay now) is ``npv(r, values)`` = ``v0 + NPV(r, v1, ...)``.

    References
    ----------
    Microsoft, "NPV function", Excel documentation.

    Examples
    --------
    >>> print(f"{npv(0.1, [-10000, 3000, 4200, 6800], first_period=1):.2f}")
    1188.44
    >>> print(f"{npv(0.08, [-40000, 8000, 9200, 10000, 12000, 14500]):.2f}")
    1922.06
    """
    _check_swapped(rate, values)
    rate = check_discount_rate(rate, "rate")
    first_period = check_int(first_period, "first_period", minimum=0)
    v, single, index = as_values(values)
    check_magnitude(v, "values", "amount")
    t = np.arange(v.shape[1], dtype=float) + first_period
    r = np.asarray(rate, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        if r.ndim == 0:
            out = v @ (1.0 + r) ** -t
        elif single:
            out = (v[0] * (1.0 + r[..., None]) ** -t).sum(axis=-1)
        else:
            out = (v * (1.0 + per_row(r, "rate", v.shape[0])[:, None]) ** -t).sum(axis=1)
    if not np.all(np.isfinite(out)):
        bad = float(np.broadcast_to(r, np.shape(out)).ravel()[np.flatnonzero(~np.isfinite(out))[0]])
        raise ParameterError(
            f"`rate` {bad:g} over {v.shape[1]} periods gives discount factors beyond the range "
            "of floating-point numbers, so the NPV cannot be computed. A rate this close to "
            "-100 % is not a discount rate: check the sign and the unit (decimals per period)."
        )
    if r.ndim and single:
        return out
    return result(out, single, index, "npv")


def _check_swapped(rate: Any, values: Any) -> None:
    """Refuse ``npv(values, rate)``: several numbers as the rate and one number as the flows."""
    if isinstance(rate, (str, bytes)) or isinstance(values, (str, bytes)):
        return
    if np.ndim(rate) >= 1 and np.size(rate) >= 2 and np.ndim(values) == 0:
        raise ParameterError(
            f"`rate` looks like cash flows and `values` like a rate: got rate="
            f"{short_repr(rate)} and values={short_repr(values)}. The call form is "
            "npv(rate, values), e.g. npv(0.08, [-1000, 300, 400, 500])."
        )


def xnpv(
    rate: Any,
    values: Any,
    dates: Any = None,
    *,
    day_count: Any = "ACT/365F",
    date_format: str | None = None,
) -> Any:
    """Net present value of cash flows on given dates (Excel's ``XNPV``).

    Parameters
    ----------
    rate : float or array_like
        Annual discount rate, a decimal in (-1, 1]; one, or one per scenario. With a single
        scenario, an array of rates gives the XNPV at each rate (the NPV curve).
    values : array_like, DataFrame, Series or list of pairs
        Cash flows; 1-D (one scenario) or 2-D (rows are scenarios). Without ``dates``, as
        pyxirr takes them: a list of (date, amount) pairs, a two-column DataFrame (a date and
        an amount column) or a Series indexed by date.
    dates : sequence or 2-D array of dates, optional
        One date per flow (str, datetime, date, numpy datetime64, pandas Timestamp), in any
        order: 1-D shared by all rows, or 2-D with one row of dates per scenario.
    day_count : str or int, default "ACT/365F"
        A convention of :func:`~cio_analytics.valuation.year_fraction` ("ACT/365F",
        "ACT/360", "30/360", "30E/360", "30E/360 ISDA", "ACT/ACT ISDA", "ACT/ACT Excel") or
        Excel's basis 0-4. "ACT/365F" is Excel's XNPV.
    date_format : str, optional
        The strftime format of date strings that are not ISO 8601 ('%d/%m/%Y'); without it
        only ISO strings ('2024-01-31') are accepted.

    Returns
    -------
    float, ndarray or Series
        ``sum_j v_j / (1 + rate) ** yf(d_0, d_j)``, one per scenario (or per rate).

    Notes
    -----
    ``d_0`` is the earliest date of the row, so the earliest flow is not discounted. Excel
    discounts to the first date listed and refuses a later date that precedes it; where Excel
    answers, both agree. Times of day are ignored, as Excel truncates date serials.

    References
    ----------
    Microsoft, "XNPV function", Excel documentation.

    Examples
    --------
    >>> flows = [-10000, 2750, 4250, 3250, 2750]
    >>> days = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]
    >>> print(f"{xnpv(0.09, flows, days):.2f}")
    2086.65
    """
    rate = check_discount_rate(rate, "rate")
    day_count = check_day_count(day_count)
    values, dates = dated_flows(values, dates)
    v, single, index = as_values(values)
    t = times_from_dates(dates, v, day_count, date_format)
    if single and np.ndim(rate) == 1:  # one scenario, many rates: the NPV curve
        r = np.asarray(rate, dtype=float)
        return (v[0] * (1.0 + r[:, None]) ** -t.reshape(-1)).sum(axis=1)
    r = per_row(rate, "rate", v.shape[0])
    out = (v * (1.0 + r[:, None]) ** -t).sum(axis=1)
    return result(out, single, index, "xnpv")


def mirr(values: Any, finance_rate: Any, reinvest_rate: Any) -> Any:
    """Modified internal rate of return (Excel's ``MIRR``).

    Parameters
    ----------
    values : array_like or DataFrame
        Periodic cash flows, at least two per scenario; 1-D or 2-D (rows are scenarios).
    finance_rate : float or array_like
        Rate paid on the money invested (the negative flows), decimal per period.
    reinvest_rate : float or array_like
        Rate earned on reinvested positive flows, decimal per period.

    Returns
    -------
    float, ndarray or Series
        MIRR per period; NaN for a scenario without both a positive and a negative flow
        (Excel's #DIV/0!).

    Notes
    -----
    With ``n`` flows, ``MIRR = (FV_pos / -PV_neg) ** (1 / (n - 1)) - 1`` where
    ``FV_pos = sum_{v_j > 0} v_j (1 + reinvest_rate) ** (n - 1 - j)`` and
    ``PV_neg = sum_{v_j < 0} v_j / (1 + finance_rate) ** j``: Excel's definition.

    References
    ----------
    Microsoft, "MIRR function", Excel documentation.

    Examples
    --------
    >>> print(f"{mirr([-120000, 39000, 30000, 21000, 37000, 46000], 0.10, 0.12):.6f}")
    0.126094
    """
    finance_rate = check_discount_rate(finance_rate, "finance_rate")
    reinvest_rate = check_discount_rate(reinvest_rate, "reinvest_rate")
    v, single, index = as_values(values)
    m, n = v.shape
    if n < 2:
        raise ParameterError(f"`values` needs at least 2 flows per scenario for MIRR. Got {n}.")
    f = per_row(finance_rate, "finance_rate", m)[:, None]
    rr = per_row(reinvest_rate, "reinvest_rate", m)[:, None]
    j = np.arange(n, dtype=float)
    pv_neg = (np.minimum(v, 0.0) * (1.0 + f) ** -j).sum(axis=1)
    fv_pos = (np.maximum(v, 0.0) * (1.0 + rr) ** (n - 1 - j)).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (fv_pos / -pv_neg) ** (1.0 / (n - 1)) - 1.0
    out[(pv_neg == 0) | (fv_pos == 0)] = np.nan
    return result(out, single, index, "mirr")


# --------------------------------------------------------------------------- payback
def _payback(flows: np.ndarray) -> np.ndarray:
    cum = np.cumsum(flows, axis=1)
    # Leading periods with no cash flow are not "paid back": count from the first non-zero flow.
    started = np.cumsum(flows != 0, axis=1) > 0
    reached = (cum >= 0) & started
    k = np.argmax(reached, axis=1)
    rows = np.arange(len(flows))
    prev = cum[rows, np.maximum(k - 1, 0)]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (k - 1) + (-prev) / flows[rows, k]
    out = np.where(k == 0, 0.0, out)
    return np.where(reached.any(axis=1), out, np.nan)


def payback_period(values: Any) -> Any:
    """Periods until the cumulative cash flow first reaches zero, interpolated.

    Parameters
    ----------
    values : array_like or DataFrame
        Periodic cash flows; 1-D or 2-D (rows are scenarios). ``values[0]`` is period 0.

    Returns
    -------
    float, ndarray or Series
        Fractional periods; 0 when the first non-zero flow is an inflow; NaN when the
        cumulative flow never reaches zero (or every flow is zero).

    Notes
    -----
    With ``C_k = sum_{j<=k} v_j`` and ``k`` the first period with ``C_k >= 0``, the payback is
    ``(k - 1) + (-C_{k-1}) / v_k``: the flow of period ``k`` is assumed to arrive evenly over
    the period. Leading periods with no cash flow are skipped, so a project whose spend starts
    in period 1 is measured from there (its payback is still stated from period 0). A later dip
    below zero (say a decommissioning cost) is ignored.

    Examples
    --------
    >>> print(f"{payback_period([-100, 30, 40, 50]):.2f}")
    2.60
    >>> print(f"{payback_period([0, -100, 50, 80]):.3f}")
    2.625
    """
    v, single, index = as_values(values)
    return result(_payback(v), single, index, "payback_period")


def discounted_payback_period(rate: Any, values: Any) -> Any:
    """Payback period of the discounted cash flows ``v_j / (1 + rate) ** j``.

    Parameters
    ----------
    rate : float or array_like
        Discount rate per period, a decimal in (-1, 1]; one, or one per scenario.
    values : array_like or DataFrame
        Periodic cash flows; 1-D or 2-D (rows are scenarios). ``values[0]`` is period 0.

    Returns
    -------
    float, ndarray or Series
        Fractional periods, interpolated as in :func:`payback_period`; NaN when never.

    Examples
    --------
    >>> print(f"{discounted_payback_period(0.10, [-100, 30, 40, 50, 20]):.3f}")
    3.154
    """
    rate = check_discount_rate(rate, "rate")
    v, single, index = as_values(values)
    r = per_row(rate, "rate", v.shape[0])[:, None]
    disc = v * (1.0 + r) ** -np.arange(v.shape[1], dtype=float)
    return result(_payback(disc), single, index, "discounted_payback_period")


# --------------------------------------------------------------------------- IRR family
def _solve(values, times, guess, nan_policy, all_roots, root):
    check_choice(nan_policy, "nan_policy", ("raise", "propagate"))
    v, single, index = as_values(values, allow_nan=nan_policy == "propagate")
    g = per_row(check_discount_rate(guess, "guess"), "guess", v.shape[0])
    t = None if times is None else times(v)
    return solve_rates(v, t, g, all_roots=all_roots, root=root), single, index


def irr(
    values: Any,
    *,
    guess: Any = 0.1,
    full_output: bool = False,
    raise_on_error: bool = False,
    all_roots: bool = False,
    nan_policy: str = "raise",
    root: str = "nearest",
) -> Any:
    """Internal rate of return of periodic cash flows (Excel's ``IRR``), per scenario.

    Parameters
    ----------
    values : array_like or DataFrame
        Periodic cash flows (money out negative), ``values[0]`` at period 0. 1-D: one
        scenario; 2-D: rows are scenarios.
    guess : float or array_like, default 0.1
        Rate (decimal per period), one or one per scenario. When several rates solve the
        equation, the one nearest the guess is returned, as Excel does; a scenario with a
        single root gets that root whatever the guess.
    full_output : bool, default False
        Return a :class:`RateResult` with a status per scenario instead of the rate alone.
    raise_on_error : bool, default False
        Raise :class:`~cio_analytics.exceptions.ConvergenceError` if any scenario has no rate.
    all_roots : bool, default False
        Return every root per scenario (1-D for one scenario; 2-D ascending, NaN padded).
    nan_policy : {"raise", "propagate"}
        "propagate": a row with NaN gets NaN and status "invalid input" instead of an error.
    root : {"nearest", "smallest", "all"}, default "nearest"
        The rate reported where several rates solve: the one nearest ``guess`` (Excel's
        rule), the smallest, or "all" (every root, as ``all_roots=True``). A report should
        show such a row as :data:`SEVERAL_RATES_LABEL` ("several rates (see MIRR)"), not as
        one of its rates: ``full_output=True`` gives the status and ``RateResult.several``.

    Returns
    -------
    float, ndarray, Series, or RateResult
        The rate per period (NaN where no rate exists), never at or below -100 %.

    Notes
    -----
    Solves ``sum_j v_j (1 + r)^{-j} = 0`` in ``y = log(1 + r)`` with Newton's method
    safeguarded by a bracket and bisection (bounded iterations), converged to ~1e-15,
    independent of the size of the amounts. Rates are searched in (-1 + 1e-13, 1e13). Rows whose flows change sign more than once may have several roots (Descartes'
    rule); all are found from the eigenvalues of the companion matrix of the polynomial in
    ``x = 1 / (1 + r)`` and the status says "several roots" when more than one exists.

    References
    ----------
    Microsoft, "IRR function", Excel documentation.

    Examples
    --------
    >>> flows = [-70000, 12000, 15000, 18000, 21000, 26000]
    >>> print(f"{irr(flows):.4f}")
    0.0866
    >>> print(irr([[-100, 60, 60], [-100, 10, 10]]).round(4))
    [ 0.1307 -0.6298]
    >>> irr([-100, 230, -132], full_output=True).status
    'several roots'
    """
    root = check_root(root)
    all_roots = all_roots or root == "all"
    sol, single, index = _solve(values, None, guess, nan_policy, all_roots, root)
    return finish(sol, single, index, guess, "irr", full_output, raise_on_error, all_roots, root)


def xirr(
    values: Any,
    dates: Any = None,
    *,
    guess: Any = 0.1,
    day_count: Any = "ACT/365F",
    full_output: bool = False,
    raise_on_error: bool = False,
    all_roots: bool = False,
    nan_policy: str = "raise",
    root: str = "nearest",
    date_format: str | None = None,
) -> Any:
    """Internal rate of return of cash flows on given dates (Excel's ``XIRR``), per scenario.

    Parameters
    ----------
    values : array_like, DataFrame, Series or list of pairs
        Cash flows; 1-D (one scenario) or 2-D (rows are scenarios). Without ``dates``, as
        pyxirr takes them: (date, amount) pairs, a two-column DataFrame (a date and an amount
        column) or a Series indexed by date.
    dates : sequence or 2-D array of dates, optional
        One date per flow, any order, same-date flows allowed: 1-D shared by all rows or 2-D
        one row per scenario (str, datetime, date, datetime64, Timestamp).
    guess, full_output, raise_on_error, all_roots, nan_policy, root
        As in :func:`irr`; ``guess`` is an annual rate.
    day_count : str or int, default "ACT/365F"
        A convention of :func:`~cio_analytics.valuation.year_fraction` or Excel's basis 0-4;
        "ACT/365F" is Excel's XIRR.
    date_format : str, optional
        The strftime format of date strings that are not ISO 8601; without it only ISO
        strings ('2024-01-31') are accepted.

    Returns
    -------
    float, ndarray, Series, or RateResult
        The annual rate (NaN where no rate exists), never at or below -100 %.

    Notes
    -----
    Solves ``sum_j v_j (1 + r)^{-yf(d_0, d_j)} = 0`` with ``d_0`` the earliest date and
    ``yf`` the day count. Flows on one date are added before counting sign changes; all
    flows on a single date is "degenerate". One sign change: Halley's method, safeguarded as
    in :func:`irr`. Two: the one critical point of ``(1 + r)^c NPV`` splits the rates, found
    exactly (``_several``). More: every root is located on a grid (dense near 0 %) and
    polished; roots closer together than about 0.3 % (near 0 %) may be reported as one.

    References
    ----------
    Microsoft, "XIRR function", Excel documentation.

    Examples
    --------
    >>> flows = [-10000, 2750, 4250, 3250, 2750]
    >>> days = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]
    >>> print(f"{xirr(flows, days):.6f}")
    0.373363
    """
    day_count = check_day_count(day_count)
    root = check_root(root)
    all_roots = all_roots or root == "all"
    values, dates = dated_flows(values, dates)

    def times(v: np.ndarray) -> np.ndarray:
        return times_from_dates(dates, v, day_count, date_format)

    sol, single, index = _solve(values, times, guess, nan_policy, all_roots, root)
    return finish(sol, single, index, guess, "xirr", full_output, raise_on_error, all_roots, root)
