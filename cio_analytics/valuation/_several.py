"""Rows with several sign changes: every root from a cascade of critical points (private).

A Monte Carlo cash-flow matrix has a few rows whose flows change sign more than once (an
outlay, inflows, then a decommissioning cost; a mid-life refit). Telling how many rates
such a row has by scanning a grid is slow. Instead, all such rows are solved together,
exactly, by Rolle's theorem:

With ``f(y) = sum_j v_j e^{-y t_j}`` and any time ``c``, the roots of ``f`` are the roots of
``e^{y c} f(y)``, whose derivative is ``e^{y c} h(y)`` with ``h(y) = sum_j v_j (c - t_j)
e^{-y t_j}``. Choosing ``c`` at the flow where the second sign change happens merges two
sign blocks, so ``h`` has one sign change fewer than ``f``. Between two consecutive roots of
``h`` (and the ends of the rates represented, ``|y| <= Y_MAX``) ``e^{y c} f`` is monotone:
``f`` has a root there exactly when its signs at the two ends differ, and a bracketed Newton
solve finds it. Starting from the level with one sign change (one root), each level's roots
bracket the roots of the level below: ``k`` batched bracketed solves for ``k`` sign changes,
every row at once. Rows where a level does not come out with one sign change fewer (flows
on shared dates can do that), or a solve fails, are returned for the grid search.
"""

from __future__ import annotations

import numpy as np

from ._dates import sign_structure
from ._solver import RESIDUAL_TOL, Y_MAX, _evaluator, _Horner, _residual, newton

__all__ = ["several_roots"]

#: The ends of the represented range, which split every row besides its critical points.
#: (Extra fixed splits between them were tried: they cost more evaluations than they save.)
SPLITS = np.array([-Y_MAX, Y_MAX])


def _second_change_time(v: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Per row, the time of the flow at which the sign changes for the second time."""
    order = np.argsort(t, axis=-1, kind="stable")
    if t.ndim == 1:
        v, t = v[:, order], np.broadcast_to(t[order], v.shape)
    else:
        v, t = np.take_along_axis(v, order, axis=1), np.take_along_axis(t, order, axis=1)
    m, n = v.shape
    last = np.zeros(m, dtype=np.int8)
    count = np.zeros(m, dtype=np.int64)
    c = np.full(m, np.nan)
    s = np.sign(v).astype(np.int8)
    for j in range(n):  # a loop over the (few) flows, every row at once
        count += (s[:, j] * last) < 0
        c = np.where(np.isnan(c) & (count == 2), t[:, j], c)
        last = np.where(s[:, j] != 0, s[:, j], last)
    return c


def _levels(v: np.ndarray, t: np.ndarray, k: np.ndarray):
    """The coefficient matrices of levels 0..max(k)-1 and the rows where the cascade holds."""
    levels = [v]
    fit = np.ones(len(v), dtype=bool)
    for level in range(1, int(k.max())):  # one level per sign change beyond the first
        c = _second_change_time(levels[-1], t)
        need = k - level >= 1
        w = np.where(need[:, None], levels[-1] * (np.nan_to_num(c)[:, None] - t), 0.0)
        got, _, _ = sign_structure(w, t)
        fit &= ~need | (np.isfinite(c) & (got == k - level))
        levels.append(w)
    return levels, fit


def several_roots(values, times, rows, changes):
    """Roots of ``rows`` (two or more sign changes each) of ``values``.

    Returns ``(row, y, residual, unresolved)``: pairs of row index (into ``values``) and
    root ``y = log(1 + r)`` with its relative residual, and the rows left for the grid.
    """
    v = np.take(values, rows, axis=0)  # faster than values[rows]
    t = np.arange(values.shape[1], dtype=float) if times is None else times
    t = t if t.ndim == 1 else np.take(t, rows, axis=0)
    k = changes[rows]
    levels, fit = _levels(v, t, k)
    crit_r = np.zeros(0, dtype=np.int64)  # (row, y) roots of the level above
    crit_y = np.zeros(0)
    for level in range(len(levels) - 1, -1, -1):  # from one sign change down to f itself
        live = np.flatnonzero(fit & (k - level >= 1))
        keep = fit[crit_r]
        crit_r, crit_y = crit_r[keep], crit_y[keep]
        # the points splitting each live row: the ends of the range and the critical points
        pr = np.concatenate([np.repeat(live, len(SPLITS)), crit_r])
        py = np.concatenate([np.tile(SPLITS, len(live)), crit_y])
        order = np.lexsort((py, pr))
        pr, py = pr[order], py[order]
        # periodic flows: every level is a polynomial in x = 1/(1+r) (Horner, no exp)
        t_pr = None if times is None else (t if t.ndim == 1 else np.take(t, pr, axis=0))
        ev = _evaluator(np.take(levels[level], pr, axis=0), t_pr)
        with np.errstate(all="ignore"):
            f, _, size = ev(py)
            if size is None:
                size = ev.scale(py)
        # a polynomial can overflow at the range's ends (huge flows, y = -30): such rows go
        # to the grid search, which scales its terms
        fit[pr[~(np.isfinite(f) & np.isfinite(size))]] = False
        with np.errstate(divide="ignore", invalid="ignore"):
            res_p = np.abs(f) / size
        at_point = (res_p <= RESIDUAL_TOL) & (np.abs(py) < Y_MAX)  # a root at a critical point
        same = pr[1:] == pr[:-1]
        sf = np.sign(np.where(res_p <= RESIDUAL_TOL, 0.0, f))
        bracket = np.flatnonzero(same & (sf[1:] * sf[:-1] < 0))
        lo, hi = py[bracket], py[bracket + 1]
        # start near the usual rates (r ~ 10 %), kept inside the bracket: from the middle of
        # a bracket reaching |y| = 30, Newton would mostly bisect
        width = hi - lo
        y0 = np.clip(0.1, lo + 0.01 * width, hi - 0.01 * width)
        sub = ev.take(bracket)
        y, conv, res = newton(sub, y0, lo, hi, sf[bracket + 1])
        if level == 0 and isinstance(sub, _Horner):  # res holds |f|: make it relative
            res = _residual(sub, np.where(conv, y, 0.0))
        failed = pr[bracket[~conv]]
        fit[failed] = False
        good = conv if level else conv & (res <= RESIDUAL_TOL)
        crit_r = np.concatenate([pr[bracket[good]], pr[at_point]])
        crit_y = np.concatenate([y[good], py[at_point]])
        crit_res = np.concatenate([res[good], res_p[at_point]])
        order = np.lexsort((crit_y, crit_r))
        crit_r, crit_y, crit_res = crit_r[order], crit_y[order], crit_res[order]
        dup = np.zeros(len(crit_y), dtype=bool)
        dup[1:] = (crit_r[1:] == crit_r[:-1]) & (
            np.abs(np.diff(crit_y)) <= 1e-9 * (1 + np.abs(crit_y[1:]))
        )
        crit_r, crit_y, crit_res = crit_r[~dup], crit_y[~dup], crit_res[~dup]
    keep = fit[crit_r]
    return rows[crit_r[keep]], crit_y[keep], crit_res[keep], rows[~fit]
