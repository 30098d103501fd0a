"""Grid search for every root of rows with several sign changes (private numerics).

The fallback of :mod:`._several` for the rows its cascade cannot take (flows sharing a date
can break its sign count), and the search :func:`~.annuity.rate` uses for annuity streams
with two sign changes: a coarse grid scan; where it finds at least two roots fewer than
there are sign changes, an exhaustive search (eigenvalues of the batched companion matrices
of the polynomial in ``x = 1/(1+r)`` for periodic flows, a fine grid for dated flows); each
candidate polished and checked.
"""

from __future__ import annotations

import numpy as np

from ._solver import (
    HORNER_MAX_PERIODS,
    RESIDUAL_TOL,
    Y_MAX,
    _evaluator,
    _Exponential,
    _residual,
    _rows,
    newton,
)

__all__ = ["COARSE_GRID", "FINE_GRID", "grid_roots"]


def _periodic_roots(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Candidate roots y of periodic rows: eigenvalues of the companion matrices.

    Returns (row index, y) pairs. Rows are grouped by polynomial degree (a loop over at most
    n_periods degrees, each group solved by one batched ``np.linalg.eigvals``).
    """
    n = values.shape[1]
    nz = values != 0
    a = np.argmax(nz, axis=1)  # first nonzero (x**a factor: root x = 0, r = inf, dropped)
    b = n - 1 - np.argmax(nz[:, ::-1], axis=1)
    deg = b - a
    rows_out, y_out = [], []
    for k in np.unique(deg[deg >= 1]):
        rows = np.flatnonzero(deg == k)
        idx = a[rows, None] + np.arange(k + 1)
        c = np.take_along_axis(values[rows], idx, axis=1)  # c_0 + c_1 x + ... + c_k x^k
        comp = np.zeros((len(rows), k, k))
        comp[:, np.arange(1, k), np.arange(k - 1)] = 1.0
        comp[:, :, -1] = -c[:, :k] / c[:, k : k + 1]
        w = np.linalg.eigvals(comp)
        real = (np.abs(w.imag) <= 1e-6 * np.abs(w)) & (w.real > 0)
        r_i, c_i = np.nonzero(real)
        rows_out.append(rows[r_i])
        y_out.append(-np.log(w.real[r_i, c_i]))
    if not rows_out:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(rows_out), np.concatenate(y_out)


def _grid(n_points: int) -> np.ndarray:
    """Points in y = log(1 + r) spaced like sinh: dense near r = 0, reaching |y| = Y_MAX."""
    return np.sinh(np.linspace(-np.arcsinh(Y_MAX), np.arcsinh(Y_MAX), n_points))


COARSE_GRID, FINE_GRID = _grid(41), _grid(3201)  # spacing near r = 0: ~20 % and ~0.3 %


def _signs_on_grid(values: np.ndarray, times: np.ndarray | None, grid: np.ndarray) -> np.ndarray:
    """sign(f) of every row at every grid point, (n_rows, n_grid), vectorised in chunks."""
    m, n = values.shape
    out = np.empty((m, len(grid)), dtype=np.int8)
    if times is None and n <= HORNER_MAX_PERIODS:
        x = np.exp(-grid)[None, :]
        p = np.repeat(values[:, -1:], len(grid), axis=1)
        with np.errstate(over="ignore", invalid="ignore"):
            for j in range(n - 2, -1, -1):  # Horner over periods, all rows x grid points
                p *= x
                p += values[:, j : j + 1]
        return np.sign(np.nan_to_num(p)).astype(np.int8)
    t = np.arange(n, dtype=float) if times is None else times
    if t.ndim == 1:  # shared times: one (grid, flows) matrix of weights for every row
        w = np.exp(-np.outer(grid, t) - np.maximum(0.0, -grid * t.max())[:, None])
        return np.sign(values @ w.T).astype(np.int8)
    shift = np.maximum(0.0, -np.outer(t.max(axis=1), grid))  # (rows, grid)
    for r0 in range(0, m, 256):  # chunks of rows keep the (rows, flows, grid) block small
        sl = slice(r0, r0 + 256)
        e = t[sl, :, None] * -grid
        e -= shift[sl, None, :]
        np.exp(e, out=e)
        e *= values[sl, :, None]
        out[sl] = np.sign(e.sum(axis=1))
    return out


def _scan(values, times, grid):
    """(row, y) of the roots bracketed by sign changes on ``grid``, each solved by _newton."""
    signs = _signs_on_grid(values, times, grid)
    cross = signs[:, :-1] * signs[:, 1:] < 0
    zero = (signs[:, :-1] == 0) & (signs[:, 1:] != 0)
    r_i, g_i = np.nonzero(cross)
    z_r, z_g = np.nonzero(zero)
    y_zero = grid[z_g]
    if len(r_i):
        lo, hi = grid[g_i], grid[g_i + 1]
        ev = _evaluator(values[r_i], _rows(times, r_i))
        y, conv, _ = newton(ev, 0.5 * (lo + hi), lo.copy(), hi.copy(), signs[r_i, g_i + 1] * 1.0)
        r_i, y = r_i[conv], y[conv]
    else:
        y = np.zeros(0)
    return np.concatenate([r_i, z_r]), np.concatenate([y, y_zero])


def grid_roots(values, times, multi, changes):
    """Every root (row, y, residual) of the rows ``multi`` by a search over a grid.

    A coarse grid scan finds the roots of most rows; a row with fewer roots than sign
    changes (Descartes' bound) is searched again exhaustively: eigenvalues of the companion
    matrix for periodic flows, a fine grid for dated flows.
    """
    sub, t_sub = values[multi], _rows(times, multi)
    r_i, y, res = _polish(sub, t_sub, *_scan(sub, t_sub, COARSE_GRID), n_steps=0)
    found = np.bincount(r_i, minlength=len(multi))
    # roots counted with multiplicity have the parity of the sign changes: one missing root
    # lies beyond the representable rates; two or more missing may be a pair the coarse
    # grid stepped over, so only then is the row searched again
    redo = np.flatnonzero(changes[multi] - found >= 2)
    if len(redo):
        t_redo = _rows(t_sub, redo)
        if times is None:
            r2, y2 = _periodic_roots(sub[redo])
        else:
            r2, y2 = _scan(sub[redo], t_redo, FINE_GRID)
        r2, y2, res2 = _polish(sub[redo], t_redo, r2, y2, n_steps=0 if times is not None else 8)
        keep = ~np.isin(r_i, redo)
        r_i = np.concatenate([r_i[keep], redo[r2]])
        y = np.concatenate([y[keep], y2])
        res = np.concatenate([res[keep], res2])
    return multi[r_i], y, res


def _polish(values, times, r_i, y, n_steps):
    """Polish candidate roots (``n_steps`` clipped steps; roots from a bracketed solve need
    none), drop those that are not roots, de-duplicate."""
    if len(r_i) == 0:
        return r_i, y, y
    y = np.clip(y, -Y_MAX, Y_MAX)
    t = np.arange(values.shape[1], dtype=float) if times is None else times
    ev = _Exponential(values[r_i], t if t.ndim == 1 else t[r_i])
    for _ in range(n_steps):  # eigenvalue candidates are close: a few clipped steps suffice
        step = np.clip(np.nan_to_num(ev(y)[1]), -0.1, 0.1)
        y = np.clip(y - step, -Y_MAX, Y_MAX)
    res = _residual(ev, y)
    keep = res <= RESIDUAL_TOL
    r_i, y, res = r_i[keep], y[keep], res[keep]
    order = np.lexsort((y, r_i))
    r_i, y, res = r_i[order], y[order], res[order]
    dup = np.zeros(len(y), dtype=bool)
    dup[1:] = (r_i[1:] == r_i[:-1]) & (np.abs(np.diff(y)) <= 1e-9 * (1 + np.abs(y[1:])))
    return r_i[~dup], y[~dup], res[~dup]
