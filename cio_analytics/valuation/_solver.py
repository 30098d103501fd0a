"""Vectorised root finding for IRR-type equations (private numerics of ``rates``).

Every row (scenario) solves ``f(y) = sum_j v_j * exp(-y * t_j) = 0`` for ``y = log(1 + r)``.
Working in ``y`` keeps every candidate rate above -100 % (``r = expm1(y)``) and makes the
function nearly linear around typical roots. Rows are classified first by the signs of their
(time-ordered, same-date-aggregated) flows:

* one sign change: exactly one root (Descartes' rule of signs, which also holds for sums of
  exponentials). It is found by Halley steps (Newton's where Halley's is unsafe) from a
  start value, two evaluations for most rows; the few rows that do not settle go to the
  same steps safeguarded by a bracket that every evaluation tightens: right of the root
  ``f`` has the sign of the earliest flow.
* several sign changes: every real root is found by a cascade of critical points
  (``_several``), or for the few rows it cannot take by a grid search (``_grid``), and the
  ``root`` rule picks the one reported (nearest the guess by default, as Excel).

All loops run over iterations, columns (periods), grid chunks or blocks of 16,384 rows,
never over single rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_choice
from ._dates import sign_structure

__all__ = [
    "ROOT_RULES",
    "STATUS_NAMES",
    "Solution",
    "check_root",
    "newton",
    "pick_roots",
    "roots_table",
    "solve_rates",
]

OK, NO_SIGN_CHANGE, NO_ROOT, SEVERAL_ROOTS, DEGENERATE, INVALID = range(6)
STATUS_NAMES = ("ok", "no sign change", "no root", "several roots", "degenerate", "invalid input")
#: Which rate a row with several roots reports: nearest the guess (Excel), the smallest, all.
ROOT_RULES = ("nearest", "smallest", "all")

Y_MAX = 30.0  # |log(1 + r)| bound: rates in (-1 + 9e-14, 1e13)
STEP_TOL = 1e-10  # a Newton step |dy| <= STEP_TOL leaves an error ~ dy**2 in y: done
WIDTH_TOL = 1e-14  # ... or the bracket is this narrow
RESIDUAL_TOL = 1e-8  # |NPV| / sum |discounted flows| accepted at a root
MAX_ITER = 128  # Newton/bisection iterations per row (bounded: never hangs)
BLOCK_ROWS = 1 << 14  # rows solved together (a 12-flow block, 1.5 MB an array, stays in cache)
HORNER_MAX_PERIODS = 20  # longer periodic series use the overflow-safe exponential evaluator
FAST_ITER = 8  # unguarded steps tried on one-root rows before the bracketed solver
HALLEY_STEP_TOL = 1e-5  # a Halley step this small leaves an error ~ dy**3 (1e-15): done


def _columns(a: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``a[:, keep]`` (a boolean mask or indices): np.compress / np.take copy the columns
    of a (n_flows, n_rows) array about three times faster than fancy indexing."""
    return np.compress(keep, a, axis=1) if keep.dtype == bool else np.take(a, keep, axis=1)


class _Horner:
    """Periodic flows, t_j = j: f(y) = p(x), x = exp(-y), by Horner's rule over columns."""

    def __init__(self, values: np.ndarray, vt: np.ndarray | None = None) -> None:
        # (n_periods, n_rows): contiguous columns (``vt``: a transposed copy already made)
        self.vt = np.ascontiguousarray(values.T) if vt is None else vt

    def take(self, keep: np.ndarray) -> _Horner:
        new = object.__new__(_Horner)
        new.vt = _columns(self.vt, keep)
        return new

    def __call__(self, y: np.ndarray, size: bool = True, predict: bool = False):
        """Value, Halley correction (Newton's where unsafe; ``y_new = y - it``), and None
        (no size of the terms).

        p, p' and p'' come from three fused Horner recurrences in one pass over the
        columns. With ``predict`` (the fast path of one-root rows) the value returned is
        the one expected after the step, as :meth:`_Exponential.__call__` gives it.
        """
        return self._halley(np.exp(-y), predict)

    def _halley(self, x: np.ndarray, predict: bool):
        vt = self.vt
        n = vt.shape[0]
        # p, p' and p''/2 by Horner's rule, highest power first (columns n-1 and n-2 seed it)
        dp = vt[-1].copy()
        p = vt[-1] * x
        p += vt[-2]
        d2 = np.zeros_like(p)
        for j in range(n - 3, -1, -1):
            d2 *= x
            d2 += dp
            dp *= x
            dp += p
            p *= x
            p += vt[j]
        # in y (x = e^-y): f1 = -x p', f2 = x p' + x^2 p'' = -f1 + 2 x^2 (p''/2)
        f1 = dp
        f1 *= x
        f1 *= -1.0
        f2 = d2
        f2 *= x
        f2 *= x
        f2 *= 2.0
        f2 -= f1
        f = p
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            newton = f / f1
            den = 2.0 * f1 * f1 - f * f2
            halley = 2.0 * f * f1 / den
            safe = (den > 0) & (halley * newton >= 0)
            step = np.where(safe, halley, newton)
            if predict:
                f = f - f1 * step + 0.5 * f2 * step * step
        return f, step, None

    def scale(self, y: np.ndarray) -> np.ndarray:
        """sum_j |v_j| x^j: the size of the discounted flows, for relative residuals."""
        x = np.exp(-y)
        vt = self.vt
        s = np.abs(vt[-1])
        for j in range(vt.shape[0] - 2, -1, -1):
            s *= x
            s += np.abs(vt[j])
        return s


class _Exponential:
    """Any times t_j >= 0 (shared 1-D or per row 2-D); terms scaled by exp(-max_j(-y t_j)).

    Stored transposed, (n_flows, n_rows), so every operation runs along contiguous rows.
    """

    def __init__(self, values: np.ndarray, times: np.ndarray, transposed=None) -> None:
        # ``transposed``: (values.T, times.T or None) contiguous copies already made
        vt, tt = (None, None) if transposed is None else transposed
        self.vt = np.ascontiguousarray(values.T) if vt is None else vt
        self.avt = np.abs(self.vt)
        if times.ndim == 1:
            self.tt = times[:, None]
        else:
            self.tt = np.ascontiguousarray(times.T) if tt is None else tt
        self.tmax = self.tt.max(axis=0) if times.ndim == 2 else np.full(len(values), times.max())

    def take(self, keep: np.ndarray) -> _Exponential:
        new = object.__new__(_Exponential)
        new.vt = _columns(self.vt, keep)
        new.avt = _columns(self.avt, keep)
        new.tt = self.tt if self.tt.shape[1] == 1 else _columns(self.tt, keep)
        new.tmax = self.tmax[keep]
        return new

    def _weights(self, y: np.ndarray) -> np.ndarray:
        e = self.tt * -y
        if (y < 0).any():
            e -= np.maximum(0.0, -y * self.tmax)
        return np.exp(e, out=e)

    def scale(self, y: np.ndarray) -> np.ndarray:
        """sum_j |v_j| e^{-y t_j} (scaled as the terms are): for relative residuals."""
        return np.einsum("jn,jn->n", self._weights(y), self.avt)

    def __call__(self, y: np.ndarray, size: bool = True, predict: bool = False):
        """Value, Halley correction (Newton's where unsafe) and size of the terms (None
        when ``size`` is False). With ``predict``, the value returned is the one expected
        after the step, ``f - f1 s + f2 s**2 / 2`` (error ~ f3 s**3): the fast path stops
        at steps up to ``HALLEY_STEP_TOL`` and judges the residual there."""
        # fused product-sums (einsum) where a product is not reused: a (n_flows, n_rows)
        # temporary costs more than the arithmetic (it is allocated and faulted in anew)
        w = self._weights(y)
        total = np.einsum("jn,jn->n", w, self.avt) if size else None
        w *= self.vt
        f = w.sum(axis=0)
        tt = self.tt if self.tt.shape[1] > 1 else np.broadcast_to(self.tt, w.shape)
        f1 = -np.einsum("jn,jn->n", w, tt)
        w *= self.tt
        f2 = np.einsum("jn,jn->n", w, tt)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            newton = f / f1
            den = 2.0 * f1 * f1 - f * f2
            halley = 2.0 * f * f1 / den
            safe = (den > 0) & (halley * newton >= 0)
            step = np.where(safe, halley, newton)
            if predict:
                f = f - f1 * step + 0.5 * f2 * step * step
        return f, step, total


def _evaluator(
    values: np.ndarray, times: np.ndarray | None, transposed=None
) -> _Horner | _Exponential:
    if times is None:
        if values.shape[1] <= HORNER_MAX_PERIODS:
            return _Horner(values, None if transposed is None else transposed[0])
        times = np.arange(values.shape[1], dtype=float)
        transposed = None if transposed is None else (transposed[0], None)
    return _Exponential(values, times, transposed)


def check_root(root: str) -> str:
    """Validate the ``root`` rule (one of :data:`ROOT_RULES`)."""
    return check_choice(root, "root", ROOT_RULES)


def newton(ev, y0, lo, hi, s_hi):
    """Safeguarded Newton on all rows at once; returns (y, converged).

    ``lo``/``hi`` bracket the root (may be -inf/+inf); ``s_hi`` is the sign of f right of
    the root, so every evaluation tightens the bracket. A Newton step that leaves the
    bracket, or that is not half the step before last (slow progress, as in Numerical
    Recipes' ``rtsafe``), is replaced by bisection (or by a step of 2 in y towards an open
    side). Finished rows leave the working set once fewer than half of it is still active.
    """
    m = len(y0)
    y_out = np.full(m, np.nan)
    res_out = np.full(m, np.nan)  # |f| (/ size of the terms, if known) at the last evaluation
    conv = np.zeros(m, dtype=bool)
    work = np.arange(m)
    active = np.ones(m, dtype=bool)
    y, lo, hi, s_hi = y0.copy(), lo.copy(), hi.copy(), s_hi.copy()
    d1, d2 = np.full(m, np.inf), np.full(m, np.inf)  # the last two step sizes taken
    with np.errstate(all="ignore"):
        for _ in range(MAX_ITER):
            f, step, size = ev(y)
            q = f * s_hi  # > 0: y is right of the root
            hi = np.where(q > 0, y, hi)
            lo = np.where(q < 0, y, lo)
            step = np.clip(step, -2.0, 2.0)
            y_new = y - step
            inside = (y_new >= lo) & (y_new <= hi)  # False for NaN
            size_step = np.abs(step)
            done = (size_step <= STEP_TOL) & inside
            good = inside & (size_step <= 0.5 * d2)
            if not good.all():
                bad = ~good
                both = np.isfinite(lo) & np.isfinite(hi)
                fb = np.where(both, 0.5 * (lo + hi), np.where(np.isfinite(hi), hi - 2.0, lo + 2.0))
                y_new = np.where(good | done, y_new, fb)
                narrow = bad & (hi - lo <= WIDTH_TOL * (1.0 + np.abs(y)))
                done |= narrow
                active &= ~(bad & np.isnan(f))  # an evaluation failed: give up on the row
            np.clip(y_new, -Y_MAX, Y_MAX, out=y_new)
            d2, d1 = d1, np.abs(y_new - y)
            newly = active & done
            if newly.any():
                y_out[work[newly]] = y_new[newly]
                conv[work[newly]] = True
                af = np.abs(f[newly])
                res_out[work[newly]] = af if size is None else af / size[newly]
                active &= ~done
            n_active = np.count_nonzero(active)
            if n_active == 0:
                break
            y = y_new
            if n_active < 0.5 * len(active):
                keep = active
                y, lo, hi, s_hi = y[keep], lo[keep], hi[keep], s_hi[keep]
                d1, d2 = d1[keep], d2[keep]
                ev, work = ev.take(keep), work[keep]
                active = np.ones(n_active, dtype=bool)
    return y_out, conv, res_out


def _fast_newton(ev, y0: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Plain Halley steps (Newton's where Halley's is unsafe), no bracket: one-root rows.

    A row with one sign change has exactly one root, so a step below ``HALLEY_STEP_TOL``
    (the error after a Halley step is ~ step**3) means that root. Most rows get there in
    two evaluations from :func:`_start`; the bookkeeping of the bracket in :func:`newton`
    would cost more than the evaluations. Periodic flows take p, p' and p'' in one Horner
    pass over the columns (three fused recurrences), dated flows the exponential sums.
    Returns ``(y, converged, residual)``: |f| after the last step, predicted from the last
    evaluation (for dated flows relative to the size of the terms; periodic rows are made
    relative by the caller). Rows not converged within ``FAST_ITER`` steps go to
    :func:`newton`.
    """
    m = len(y0)
    exponential = isinstance(ev, _Exponential)
    tol = HALLEY_STEP_TOL
    y_out, res_out = np.full(m, np.nan), np.full(m, np.nan)
    conv = np.zeros(m, dtype=bool)
    work, y = np.arange(m), y0.copy()
    active = np.ones(m, dtype=bool)
    with np.errstate(all="ignore"):
        for it in range(FAST_ITER):
            # the size of the terms costs one product more; rows rarely finish at step 0
            f, step, size = ev(y, size=exponential and it > 0, predict=True)
            y = y - np.clip(step, -2.0, 2.0)
            np.clip(y, -Y_MAX, Y_MAX, out=y)
            newly = active & (np.abs(step) <= tol)
            if newly.any():
                y_out[work[newly]] = y[newly]
                af = np.abs(f[newly])
                res_out[work[newly]] = af if size is None else af / size[newly]
                conv[work[newly]] = True
                active &= ~newly
            n_active = np.count_nonzero(active)
            if n_active == 0:
                break
            if n_active < 0.5 * len(active):
                y, work, ev = y[active], work[active], ev.take(active)
                active = np.ones(n_active, dtype=bool)
    return y_out, conv, res_out


def _residual(ev, y: np.ndarray) -> np.ndarray:
    """|NPV| / sum |discounted flows| at ``y``: how well ``y`` solves, whatever the amounts."""
    with np.errstate(all="ignore"):  # an overflow gives a NaN residual: not a root
        f, _, size = ev(y)
        if size is None:
            size = ev.scale(y)
        return np.abs(f) / size


def _start(ev) -> np.ndarray:
    """A Halley step from r = 0 (needs no exponentials): the start for single-root rows.

    Uses the evaluator's transposed (n_flows, n_rows) copies: sums over the flows then run
    along contiguous rows, the fast direction.
    """
    vt = ev.vt
    if isinstance(ev, _Horner) or ev.tt.shape[1] == 1:
        # shared times: the three sums are one (3, n_flows) x (n_flows, n_rows) product;
        # einsum's own single-threaded loop is five times faster than three elementwise
        # passes and, unlike BLAS, does not spawn threads on a shared machine
        t = np.arange(vt.shape[0], dtype=float) if isinstance(ev, _Horner) else ev.tt[:, 0]
        f0, f1, f2 = np.einsum("kj,jn->kn", np.stack([np.ones_like(t), -t, t * t]), vt)
    else:
        tt = ev.tt
        f0 = vt.sum(axis=0)
        w = vt * tt
        f1 = -np.einsum("jn,jn->n", vt, tt)  # a fused product-sum: no temporary
        f2 = np.einsum("jn,jn->n", w, tt)
    with np.errstate(all="ignore"):
        newton = f0 / f1
        den = 2.0 * f1 * f1 - f0 * f2
        halley = 2.0 * f0 * f1 / den
        step = np.where((den > 0) & (halley * newton >= 0), halley, newton)
    return np.clip(np.nan_to_num(-step, nan=0.0, posinf=Y_MAX, neginf=-Y_MAX), -2.0, 2.0)


def _rows(times: np.ndarray | None, idx: np.ndarray) -> np.ndarray | None:
    return times if times is None or times.ndim == 1 else np.take(times, idx, axis=0)


@dataclass(frozen=True)
class Solution:
    """Raw per-row output of :func:`solve_rates` (arrays of length n_rows)."""

    rate: np.ndarray
    status: np.ndarray  # int8 codes into STATUS_NAMES
    n_sign_changes: np.ndarray
    n_roots: np.ndarray
    residual: np.ndarray  # |NPV at rate| / sum |discounted flows|
    roots: np.ndarray | None  # (n_rows, max roots) rates, NaN padded, ascending


def solve_rates(
    values: np.ndarray,
    times: np.ndarray | None,
    guess: np.ndarray,
    *,
    all_roots: bool = False,
    root: str = "nearest",
) -> Solution:
    """Solve every row of ``values`` (n_rows, n_flows) for its internal rate of return.

    ``times`` is None for periodic flows (t_j = j) or year fractions >= 0, 1-D shared or 2-D.
    ``guess`` is one rate per row. Non-finite rows get status "invalid input". Rows are
    solved in blocks of ``BLOCK_ROWS`` so each block's working data stays in cache and the
    peak memory stays a small fraction of the input.
    """
    m = values.shape[0]
    parts = []
    for start in range(0, m, BLOCK_ROWS):  # blocks of rows, each solved vectorised
        sl = slice(start, start + BLOCK_ROWS)
        t = times if times is None or times.ndim == 1 else times[sl]
        parts.append(_solve_block(values[sl], t, guess[sl]))
    if len(parts) == 1:
        rate, status, changes, n_roots, residual = parts[0]
    else:
        rate, status, changes, n_roots, residual = (
            np.concatenate(c) for c in zip(*parts, strict=True)
        )
    # rows with several sign changes (a few %): solved together across all blocks, so the
    # fixed cost of the cascade's iterations is paid once (their rows are finite)
    multi = np.flatnonzero((status == NO_ROOT) & (changes >= 2))
    pair_row, pair_y = np.zeros(0, dtype=np.int64), np.zeros(0)
    if len(multi):
        t_multi = _rows(times, multi)
        r_i, pair_y, pair_res = _all_roots(
            np.take(values, multi, axis=0), t_multi, np.arange(len(multi)), changes[multi]
        )
        pair_row = multi[r_i]
        if len(pair_row):
            y_guess = np.log1p(guess)
            pick_roots(pair_row, pair_y, pair_res, y_guess, rate, residual, n_roots, status, root)
    roots = None
    if all_roots:
        roots = roots_table(m, np.flatnonzero(changes == 1), rate, pair_row, pair_y)
    return Solution(rate, status, changes, n_roots, residual, roots)


def _solve_block(values, times, guess):
    """Classify the rows of a block and solve those with one sign change.

    Returns ``(rate, status, n_sign_changes, n_roots, residual)``; rows with several sign
    changes keep status "no root" for :func:`solve_rates` to solve across blocks.
    """
    m = values.shape[0]
    # one contiguous transposed copy serves the finiteness test (a reduction over the
    # contiguous axis is ten times faster than along the short rows), the sign count and
    # the evaluator
    vt = np.ascontiguousarray(values.T)
    finite = np.isfinite(vt).all(axis=0)
    clean = values
    if not finite.all():
        clean = np.where(finite[:, None], values, 0.0)
        vt = np.where(finite, vt, 0.0)
    tt = None if times is None or times.ndim == 1 else np.ascontiguousarray(times.T)
    changes, first, n_dates = sign_structure(clean, times, (vt, tt))
    status = np.full(m, NO_SIGN_CHANGE, dtype=np.int8)
    status[changes == 1] = OK
    status[changes >= 2] = NO_ROOT  # until a root is found
    status[(first == 0) | (n_dates < 2)] = DEGENERATE
    status[~finite] = INVALID
    rate = np.full(m, np.nan)
    n_roots = np.zeros(m, dtype=np.int64)
    residual = np.full(m, np.nan)
    single = np.flatnonzero(status == OK)
    if len(single):
        whole = len(single) == m
        sub_t = times
        if not (times is None or times.ndim == 1 or whole):
            sub_t = np.take(times, single, axis=0)
        sub_tt = tt if tt is None or whole else _columns(tt, single)
        sub_v = clean if whole else np.take(clean, single, axis=0)
        ev = _evaluator(sub_v, sub_t, (vt if whole else _columns(vt, single), sub_tt))
        y0 = _start(ev)
        y, conv, res = _fast_newton(ev, y0)
        fast = conv.copy()
        slow = np.flatnonzero(~conv)
        if len(slow):  # the few rows plain steps did not settle: the bracketed solver
            inf = np.full(len(slow), np.inf)
            s_hi = first[single[slow]].astype(float)
            y[slow], conv[slow], _ = newton(ev.take(slow), y0[slow], -inf, inf, s_hi)
        y = np.where(conv, y, 0.0)
        if isinstance(ev, _Horner):  # res holds |f|: divide by the size of the terms
            with np.errstate(divide="ignore", invalid="ignore"):
                res /= ev.scale(y)
        # residuals not known (or from the slow path): measure them at the rate
        redo = np.flatnonzero(~fast | ~(res <= RESIDUAL_TOL))
        if len(redo):
            res[redo] = _residual(ev.take(redo), y[redo])
        del ev
        ok = conv & (res <= RESIDUAL_TOL)
        rate[single] = np.where(ok, np.expm1(y), np.nan)
        residual[single] = np.where(ok, res, np.nan)
        n_roots[single] = ok
        status[single] = np.where(ok, OK, NO_ROOT)
    return rate, status, changes, n_roots, residual


def _all_roots(values, times, multi, changes):
    """Every root (row, y, residual) of the rows ``multi`` (several sign changes).

    All rows are solved together by a cascade of critical points (:mod:`._several`); the
    few rows that method leaves (flows on shared dates can) by ``_grid.grid_roots``.
    """
    from ._several import several_roots  # local: _several builds on this module

    r_i, y, res, rest = several_roots(values, times, multi, changes)
    if len(rest):
        from ._grid import grid_roots  # local: _grid builds on this module

        r_g, y_g, res_g = grid_roots(values, times, rest, changes)
        r_i, y, res = (
            np.concatenate([r_i, r_g]),
            np.concatenate([y, y_g]),
            np.concatenate([res, res_g]),
        )
    order = np.lexsort((y, r_i))
    return r_i[order], y[order], res[order]


def pick_roots(pair_row, pair_y, pair_res, y_guess, rate, residual, n_roots, status, root):
    """Per row: the reported root (``root`` rule), the root count and the status.

    "nearest" (and "all", whose headline rate is Excel's too): the root nearest the guess
    in rate; "smallest": the smallest root.
    """
    r = np.expm1(pair_y)
    dist = r if root == "smallest" else np.abs(r - np.expm1(y_guess[pair_row]))
    order = np.lexsort((dist, pair_row))
    rows_sorted = pair_row[order]
    first_of_row = np.r_[True, rows_sorted[1:] != rows_sorted[:-1]]
    best = order[first_of_row]
    rate[pair_row[best]] = r[best]
    residual[pair_row[best]] = pair_res[best]
    counts = np.bincount(pair_row, minlength=len(rate))
    has = counts > 0
    n_roots[has] = counts[has]
    multi_rows = np.flatnonzero(has)
    status[multi_rows] = np.where(counts[multi_rows] >= 2, SEVERAL_ROOTS, OK)


def roots_table(m, single, rate, pair_row, pair_y):
    """(n_rows, max roots) table of every root per row, ascending, NaN padded."""
    rows = np.concatenate([single, pair_row])
    vals = np.concatenate([rate[single], np.expm1(pair_y)])
    keep = np.isfinite(vals)
    rows, vals = rows[keep], vals[keep]
    order = np.lexsort((vals, rows))
    rows, vals = rows[order], vals[order]
    counts = np.bincount(rows, minlength=m)
    width = max(1, int(counts.max(initial=0)))
    table = np.full((m, width), np.nan)
    start = np.r_[0, np.cumsum(counts)[:-1]]
    col = np.arange(len(rows)) - start[rows]
    table[rows, col] = vals
    return table
