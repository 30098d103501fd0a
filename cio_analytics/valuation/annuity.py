"""RATE: the interest rate of an annuity or loan, with irr's statuses (Excel's ``RATE``).

Solves the annuity identity of :mod:`~cio_analytics.valuation.tvm` for the rate with the
machinery of ``irr`` (``_solver``): the same statuses, root rule and ``RateResult``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from .._validation import as_float_array
from ._dates import check_discount_rate
from ._grid import FINE_GRID
from ._solver import (
    DEGENERATE,
    NO_ROOT,
    NO_SIGN_CHANGE,
    OK,
    RESIDUAL_TOL,
    Solution,
    check_root,
    newton,
    pick_roots,
    roots_table,
)
from .rate_result import finish
from .tvm import _n_periods, _when

__all__ = ["rate"]

_H = 1e-20  # complex-step size: derivatives to machine precision, no cancellation


class _Annuity:
    """The annuity identity in ``y = log(1 + r)`` as an evaluator for the shared solver.

    ``f(y) = pv + pmt e^{w y} A(y) + fv e^{-n y}`` with ``A = (1 - e^{-n y}) / (e^y - 1)``
    (the NPV of the flows, divided by (1 + r)^n... times (1 + r)^n), scaled by ``e^{n y}``
    for ``y < 0`` so nothing overflows; the derivative comes from one complex-step
    evaluation, exact to rounding.
    """

    def __init__(self, pv_, pmt_, fv_, n, w) -> None:
        self.a = (pv_, pmt_, fv_, n, w)

    def take(self, keep: np.ndarray) -> _Annuity:
        return _Annuity(*(x[keep] for x in self.a))

    def terms(self, y):
        pv_, pmt_, fv_, n, w = self.a
        neg = np.real(y) < 0
        with np.errstate(all="ignore"):
            ny = n * y
            ann = np.where(neg, np.expm1(ny), -np.expm1(-ny)) / np.expm1(y)
            ann = np.where(y == 0, n, ann)
            return (
                pv_ * np.where(neg, np.exp(ny), 1.0),
                pmt_ * np.exp(w * y) * ann,
                fv_ * np.where(neg, 1.0, np.exp(-ny)),
            )

    def value(self, y: np.ndarray) -> np.ndarray:
        return sum(self.terms(y))

    def __call__(self, y: np.ndarray):
        parts = self.terms(y + 1j * _H)
        f_c = sum(parts)
        f, df = f_c.real, f_c.imag / _H
        size = sum(np.abs(p.real) for p in parts)
        with np.errstate(divide="ignore", invalid="ignore"):
            return f, f / df, size


def _flow_signs(pv_, pmt_, fv_, n, w):
    """Sign changes and first nonzero sign of the flows [pv + w pmt, pmt.., (1 - w) pmt + fv]."""
    seq = [pv_ + w * pmt_, np.where(n > 1, pmt_, 0.0), (1.0 - w) * pmt_ + fv_]
    changes = np.zeros(len(pv_), dtype=np.int64)
    first = np.zeros(len(pv_), dtype=np.int8)
    last = np.zeros(len(pv_), dtype=np.int8)
    for col in seq:  # three columns: the whole stream's sign pattern
        s = np.sign(col).astype(np.int8)
        changes += (s * last) < 0
        first = np.where(first == 0, s, first)
        last = np.where(s != 0, s, last)
    return changes, first


def _scan_annuity(ev: _Annuity, rows: np.ndarray, grid: np.ndarray):
    """Roots (row, y, residual) bracketed on ``grid``, rows in chunks, polished by Newton."""
    r_out, y_out, res_out = [], [], []
    for c0 in range(0, len(rows), 512):  # chunks of rows keep the (rows, grid) block small
        idx = rows[c0 : c0 + 512]
        sub = ev.take(idx)
        args = [x[:, None] for x in sub.a]
        f = _Annuity(*args).value(np.broadcast_to(grid, (len(idx), len(grid))))
        s = np.sign(np.nan_to_num(f)).astype(np.int8)
        r_i, g_i = np.nonzero(s[:, :-1] * s[:, 1:] < 0)
        if len(r_i):
            lo, hi = grid[g_i], grid[g_i + 1]
            y, conv, res = newton(sub.take(r_i), 0.5 * (lo + hi), lo, hi, s[r_i, g_i + 1] * 1.0)
            keep = conv & (res <= RESIDUAL_TOL)
            r_out.append(idx[r_i[keep]])
            y_out.append(y[keep])
            res_out.append(res[keep])
    if not r_out:
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    return np.concatenate(r_out), np.concatenate(y_out), np.concatenate(res_out)


def _solve_rate(pv_, pmt_, fv_, n, w, guess, root):
    m = len(pv_)
    changes, first = _flow_signs(pv_, pmt_, fv_, n, w)
    status = np.full(m, NO_SIGN_CHANGE, dtype=np.int8)
    status[changes == 1] = OK
    status[changes >= 2] = NO_ROOT
    status[first == 0] = DEGENERATE
    rate_ = np.full(m, np.nan)
    residual = np.full(m, np.nan)
    n_roots = np.zeros(m, dtype=np.int64)
    ev = _Annuity(pv_, pmt_, fv_, n, w)
    single = np.flatnonzero(status == OK)
    if len(single):
        inf = np.full(len(single), np.inf)
        y0 = np.clip(np.log1p(guess[single]), -2.0, 2.0)
        y, conv, res = newton(ev.take(single), y0, -inf, inf, first[single] * 1.0)
        ok = conv & (res <= RESIDUAL_TOL)
        rate_[single] = np.where(ok, np.expm1(y), np.nan)
        residual[single] = np.where(ok, res, np.nan)
        n_roots[single] = ok
        status[single] = np.where(ok, OK, NO_ROOT)
    multi = np.flatnonzero((status == NO_ROOT) & (changes >= 2))
    pair_row, pair_y = np.zeros(0, dtype=np.int64), np.zeros(0)
    if len(multi):
        pair_row, pair_y, pair_res = _scan_annuity(ev, multi, FINE_GRID)
        if len(pair_row):
            y_guess = np.log1p(guess)
            pick_roots(pair_row, pair_y, pair_res, y_guess, rate_, residual, n_roots, status, root)
    roots = roots_table(m, single, rate_, pair_row, pair_y) if root == "all" else None
    return Solution(rate_, status, changes, n_roots, residual, roots)


def rate(
    n_periods: Any,
    payment: Any,
    present_value: Any,
    future_value: Any = 0,
    *,
    when: Any = "end",
    guess: Any = 0.1,
    root: str = "nearest",
    full_output: bool = False,
    raise_on_error: bool = False,
) -> Any:
    """Interest rate per period of an annuity or loan (Excel ``RATE``), with a status.

    Parameters
    ----------
    n_periods : float or array_like
        Number of payment periods, greater than 0.
    payment : float or array_like
        Payment each period, in currency; money paid out is negative.
    present_value : float or array_like
        Amount at period 0, in currency (a loan received: positive).
    future_value : float or array_like, default 0
        Balance after the last payment, in currency.
    when : {"end", "begin", 0, 1} or array_like, default "end"
        Payments at the end (0) or the beginning (1) of each period.
    guess : float or array_like, default 0.1
        Rate per period; where several rates solve the identity, the rule in ``root`` picks.
    root : {"nearest", "smallest", "all"}, default "nearest"
        As in :func:`~cio_analytics.valuation.irr`: the rate nearest ``guess`` (Excel's
        rule), the smallest rate, or every rate per scenario (NaN padded, ascending).
    full_output : bool, default False
        Return a :class:`~cio_analytics.valuation.RateResult` with a status per scenario.
    raise_on_error : bool, default False
        Raise :class:`~cio_analytics.exceptions.ConvergenceError` if a scenario has no rate.

    Returns
    -------
    float, ndarray or RateResult
        The rate per period, broadcast over the inputs; NaN where no rate exists (status
        "no sign change", "no root" or "degenerate" with ``full_output``).

    Notes
    -----
    Solves ``pv (1 + r)^n + pmt (1 + r w) ((1 + r)^n - 1) / r + fv = 0`` in
    ``y = log(1 + r)``: the NPV of the flows ``pv + w pmt`` now, ``pmt`` each period and
    ``fv + (1 - w) pmt`` at ``n``. One sign change in that stream: one rate, found by the
    bracketed Newton method of :func:`irr` (rates in (-1 + 1e-13, 1e13)); two: every rate on
    a fine grid (spacing about 0.3 % near 0 %), each polished.

    References
    ----------
    Microsoft, "RATE function", Excel documentation.

    Examples
    --------
    Excel's RATE example: a 4-year loan of 8,000 repaid at 200 a month.

    >>> print(f"{rate(48, -200, 8000):.4%}")
    0.7701%
    >>> rate(10, 0, -3500, 10000, full_output=True).status
    'ok'
    """
    root = check_root(root)
    n = _n_periods(n_periods, strict=True)
    pmt_ = as_float_array(payment, "payment")
    pv_ = as_float_array(present_value, "present_value")
    fv_ = as_float_array(future_value, "future_value")
    w = _when(when)
    g = np.asarray(check_discount_rate(guess, "guess"), dtype=float)
    arrays = np.broadcast_arrays(n, pmt_, pv_, fv_, w, g)
    shape = arrays[0].shape
    flat = [np.ascontiguousarray(a, dtype=float).reshape(-1) for a in arrays]
    n_f, pmt_f, pv_f, fv_f, w_f, g_f = flat
    sol = _solve_rate(pv_f, pmt_f, fv_f, n_f, w_f, g_f, root)
    single = shape == ()
    res = finish(sol, single, None, guess, "rate", full_output, raise_on_error, root == "all")
    if single or len(shape) == 1:
        return res
    if isinstance(res, np.ndarray) and root != "all":
        return res.reshape(shape)
    if dataclasses.is_dataclass(res):
        fields = ("rate", "status", "n_sign_changes", "n_roots", "residual")
        return dataclasses.replace(res, **{k: getattr(res, k).reshape(shape) for k in fields})
    return res
