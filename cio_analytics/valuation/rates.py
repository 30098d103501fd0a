"""Rate functions on cash flows: NPV, XNPV, IRR, XIRR, MIRR and payback periods.

Every function takes one scenario (a 1-D sequence or Series -> a float) or many scenarios
(a 2-D array or DataFrame, rows = scenarios, columns = periods -> one result per row, a
Series for a DataFrame) and computes all rows in one vectorised pass.

Conventions: rates are decimals per period; money out is negative; ``values[..., 0]`` is
period 0 ("now") and is not discounted, unlike Excel's NPV (use ``first_period=1`` for Excel's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_choice, check_int, check_magnitude, short_repr
from ..exceptions import ConvergenceError, ParameterError
from ._dates import as_values, check_discount_rate, per_row, result, times_from_dates
from ._solver import STATUS_NAMES, solve_rates

__all__ = [
    "RateResult",
    "discounted_payback_period",
    "irr",
    "mirr",
    "npv",
    "payback_period",
    "xirr",
    "xnpv",
]

_REASONS = {
    "ok": "one rate makes the NPV zero",
    "no sign change": "flows never change sign (all in or all out): no rate makes the NPV zero",
    "no root": "flows change sign, but no rate in (-100 %, 1e13) makes the NPV zero",
    "several roots": "several rates make the NPV zero; the one nearest the guess is reported",
    "degenerate": "all flows are zero or on one date: the rate is undefined",
    "invalid input": "the row holds NaN or an infinity",
}


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


def xnpv(rate: Any, values: Any, dates: Any, *, day_count: str = "ACT/365F") -> Any:
    """Net present value of cash flows on given dates (Excel's ``XNPV``).

    Parameters
    ----------
    rate : float or array_like
        Annual discount rate, a decimal in (-1, 1]; one, or one per scenario.
    values : array_like or DataFrame
        Cash flows; 1-D (one scenario) or 2-D (rows are scenarios).
    dates : sequence or 2-D array of dates
        One date per flow (str, datetime, date, numpy datetime64, pandas Timestamp), in any
        order: 1-D shared by all rows, or 2-D with one row of dates per scenario.
    day_count : {"ACT/365F", "ACT/360"}
        Days per year. "ACT/365F" (default) is Excel's convention.

    Returns
    -------
    float, ndarray or Series
        ``sum_j v_j / (1 + rate) ** ((d_j - d_0) / 365)``, one per scenario.

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
    v, single, index = as_values(values)
    t = times_from_dates(dates, v, day_count)
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
@dataclass(frozen=True)
class RateResult:
    """Rates of return with a per-scenario status (``irr``/``xirr`` with ``full_output=True``).

    Attributes
    ----------
    rate : float or ndarray
        The rate per scenario (NaN where there is no answer).
    status : str or ndarray of str
        "ok", "no sign change", "no root", "several roots", "degenerate", "invalid input".
    n_sign_changes : int or ndarray
        Sign changes of the time-ordered flows (Descartes' bound on the number of roots).
    n_roots : int or ndarray
        Distinct rates > -100 % at which the NPV is zero.
    residual : float or ndarray
        ``|NPV| / sum |discounted flows|`` at the solver's last evaluation (within one tiny
        final step of the rate); a rate is reported only when it is below 1e-8.
    roots : ndarray or None
        Every root per scenario (ascending, NaN padded) when ``all_roots=True``.
    guess, function : the inputs echoed; ``index`` is the DataFrame index, if any.
    """

    rate: Any
    status: Any
    n_sign_changes: Any
    n_roots: Any
    residual: Any
    roots: np.ndarray | None
    guess: Any
    function: str
    index: Any = field(default=None, repr=False)

    @property
    def ok(self) -> Any:
        """True where a rate was found (status "ok" or "several roots")."""
        return np.isin(self.status, ("ok", "several roots"))

    def to_frame(self) -> pd.DataFrame:
        """One row per scenario: rate, status, n_sign_changes, n_roots, residual."""
        cols = ("rate", "status", "n_sign_changes", "n_roots", "residual")
        data = {c: np.atleast_1d(getattr(self, c)) for c in cols}
        return pd.DataFrame(data, index=self.index)

    def summary(self) -> pd.DataFrame:
        """Tidy counts per status: status, n_scenarios, share, median_rate, reason."""
        frame = self.to_frame()
        rows = []
        for name in STATUS_NAMES:
            sel = frame["status"] == name
            if sel.any():
                rates = frame.loc[sel, "rate"]
                median = float(rates.median()) if rates.notna().any() else np.nan
                share = float(sel.mean())
                rows.append((name, int(sel.sum()), share, median, _REASONS[name]))
        cols = ["status", "n_scenarios", "share", "median_rate", "reason"]
        return pd.DataFrame(rows, columns=cols)


def _finish(sol, single, index, guess, function, full_output, raise_on_error, all_roots):
    if raise_on_error:
        bad = np.flatnonzero(~np.isin(sol.status, (0, 3)))  # neither "ok" nor "several roots"
        if len(bad):
            names = np.asarray(STATUS_NAMES)[sol.status[bad]]
            counts = pd.Series(names).value_counts().to_dict()
            where = "" if single else f" First at row {int(bad[0])}."
            raise ConvergenceError(
                f"{function}: no rate for {len(bad)} of {len(sol.status)} scenario(s) {counts}."
                f"{where} Call with raise_on_error=False to get NaN and a status per row."
            )
    roots = sol.roots
    if roots is not None and single:
        roots = roots[0][np.isfinite(roots[0])]
    if full_output:
        names = np.asarray(STATUS_NAMES, dtype=object)[sol.status]
        pick = (
            (lambda a: a[0].item() if isinstance(a[0], np.generic) else a[0])
            if single
            else (lambda a: a)
        )
        return RateResult(
            rate=pick(sol.rate),
            status=pick(names),
            n_sign_changes=pick(sol.n_sign_changes),
            n_roots=pick(sol.n_roots),
            residual=pick(sol.residual),
            roots=roots,
            guess=guess,
            function=function,
            index=index,
        )
    if all_roots:
        if index is not None:
            cols = [f"root_{i + 1}" for i in range(roots.shape[1])]
            return pd.DataFrame(roots, index=index, columns=cols)
        return roots
    return result(sol.rate, single, index, function)


def _solve(values, times, guess, nan_policy, all_roots):
    check_choice(nan_policy, "nan_policy", ("raise", "propagate"))
    v, single, index = as_values(values, allow_nan=nan_policy == "propagate")
    g = per_row(check_discount_rate(guess, "guess"), "guess", v.shape[0])
    t = None if times is None else times(v)
    return solve_rates(v, t, g, all_roots=all_roots), single, index


def irr(
    values: Any,
    *,
    guess: Any = 0.1,
    full_output: bool = False,
    raise_on_error: bool = False,
    all_roots: bool = False,
    nan_policy: str = "raise",
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
    sol, single, index = _solve(values, None, guess, nan_policy, all_roots)
    return _finish(sol, single, index, guess, "irr", full_output, raise_on_error, all_roots)


def xirr(
    values: Any,
    dates: Any,
    *,
    guess: Any = 0.1,
    day_count: str = "ACT/365F",
    full_output: bool = False,
    raise_on_error: bool = False,
    all_roots: bool = False,
    nan_policy: str = "raise",
) -> Any:
    """Internal rate of return of cash flows on given dates (Excel's ``XIRR``), per scenario.

    Parameters
    ----------
    values : array_like or DataFrame
        Cash flows; 1-D (one scenario) or 2-D (rows are scenarios).
    dates : sequence or 2-D array of dates
        One date per flow, any order, same-date flows allowed: 1-D shared by all rows or 2-D
        one row per scenario (str, datetime, date, datetime64, Timestamp).
    guess, full_output, raise_on_error, all_roots, nan_policy
        As in :func:`irr`; ``guess`` is an annual rate.
    day_count : {"ACT/365F", "ACT/360"}
        Days per year; "ACT/365F" is Excel's convention.

    Returns
    -------
    float, ndarray, Series, or RateResult
        The annual rate (NaN where no rate exists), never at or below -100 %.

    Notes
    -----
    Solves ``sum_j v_j (1 + r)^{-(d_j - d_0) / 365} = 0`` with ``d_0`` the earliest date.
    Flows on one date are added before counting sign changes; all flows on a single date is
    "degenerate". One sign change: Halley's method, safeguarded as in :func:`irr`. Several:
    every root is located on a grid (dense near 0 %) and polished; roots closer together
    than about 0.3 % (near 0 %) may be reported as one.

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
    day_count = check_choice(day_count, "day_count", ("ACT/365F", "ACT/360"))

    def times(v: np.ndarray) -> np.ndarray:
        return times_from_dates(dates, v, day_count)

    sol, single, index = _solve(values, times, guess, nan_policy, all_roots)
    return _finish(sol, single, index, guess, "xirr", full_output, raise_on_error, all_roots)
