"""Fast inverse CDF of the beta distribution (the cost centre of Latin hypercube PERT sampling).

``scipy.special.betaincinv`` costs about 2 microseconds per value, so inverting 100,000
stratified uniforms for each of 20 PERT inputs takes about 4 s. Here the inverse is tabulated
once per ``(a, b)`` in a variable in which it is smooth, interpolated with cubic Hermite
polynomials using the exact derivative, and the table is accepted only if the interpolant agrees
with ``betaincinv`` to ``2e-13`` (absolute, on the unit interval) at the midpoint of every table
interval, where the interpolation error of a cubic Hermite segment peaks. If the check fails the
table is refined; if it still fails, every value is computed with ``betaincinv``.

Why a transformed variable: near ``q = 0`` the beta quantile behaves like ``(a B q)^(1/a)``, which
is not smooth in ``q``. With ``t = q^(1/a)`` the quantile ``x(t)`` is analytic (the incomplete
beta function is ``x^a`` times a power series in ``x``), so a uniform grid in ``t`` works up to
the endpoint. The upper half uses the mirror image: ``1 - x`` is ``Beta(b, a)`` at ``1 - q``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import special

__all__ = ["beta_ppf"]

_DIRECT_BELOW = 20_000  # below this many values the table costs more than it saves
_TOLERANCE = 2e-13  # at the midpoints; leaves margin for the 1e-12 claim
_NODES = (512, 2048, 8192)
_PIECE = 8_192


def _lower_table(a: float, b: float, m: int) -> tuple[np.ndarray, np.ndarray, float] | None:
    """Nodes ``x_j`` and slopes ``dx/dt`` on ``t in [0, 0.5^(1/a)]``; None if not accurate."""
    t_max = 0.5 ** (1.0 / a)
    t = np.linspace(0.0, t_max, m + 1)
    x = special.betaincinv(a, b, t**a)
    slope = _slope(t, x, a, b)
    h = t_max / m
    mid_t = t[:-1] + 0.5 * h
    exact = special.betaincinv(a, b, mid_t**a)
    approx = 0.5 * (x[:-1] + x[1:]) + 0.125 * h * (slope[:-1] - slope[1:])
    if not np.all(np.isfinite(slope)) or np.max(np.abs(approx - exact)) > _TOLERANCE:
        return None
    return x, slope * h, h


def _slope(t: np.ndarray, x: np.ndarray, a: float, b: float) -> np.ndarray:
    """dx/dt for x(t) = I^-1(t^a): a B(a,b) (t/x)^(a-1) / (1-x)^(b-1); limit (aB)^(1/a) at 0."""
    log_ab = np.log(a) + special.betaln(a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(t > 0, t / np.where(x > 0, x, 1.0), np.exp(-log_ab / a))
        log_slope = log_ab + (a - 1.0) * np.log(ratio) - (b - 1.0) * np.log1p(-x)
    return np.exp(log_slope)


@lru_cache(maxsize=128)
def _table(a: float, b: float) -> tuple[np.ndarray, float] | None:
    """Cubic coefficients (one row ``c0 c1 c2 c3`` per interval) and the node spacing."""
    for m in _NODES:
        table = _lower_table(a, b, m)
        if table is not None:
            x, dx, h = table
            d = np.diff(x)
            coef = np.column_stack(
                [x[:-1], dx[:-1], 3.0 * d - 2.0 * dx[:-1] - dx[1:], dx[:-1] + dx[1:] - 2.0 * d]
            )
            return np.ascontiguousarray(coef.T), h
    return None


def _hermite(t: np.ndarray, table, out: np.ndarray) -> None:
    """Evaluate the piecewise cubic at ``t`` into ``out`` (Horner, few temporaries)."""
    (c0, c1, c2, c3), h = table
    pos = t * (1.0 / h)
    with np.errstate(invalid="ignore"):  # NaN in -> NaN out (clipped index, NaN weight)
        j = pos.astype(np.intp)
    np.minimum(j, c0.size - 1, out=j)
    pos -= j  # local coordinate s in [0, 1]
    tmp = np.take(c2, j, mode="clip")
    np.take(c3, j, out=out, mode="clip")
    out *= pos
    out += tmp
    np.take(c1, j, out=tmp, mode="clip")
    out *= pos
    out += tmp
    np.take(c0, j, out=tmp, mode="clip")
    out *= pos
    out += tmp


def beta_ppf(q: np.ndarray, a: float, b: float) -> np.ndarray:
    """Quantiles of ``Beta(a, b)`` on [0, 1] at probabilities ``q`` (array), to ``1e-12``.

    Parameters
    ----------
    q : ndarray
        Probabilities in [0, 1].
    a, b : float
        Shape parameters (> 0).

    Returns
    -------
    ndarray
        ``x`` with ``I_x(a, b) = q``, same shape as ``q``.

    Examples
    --------
    >>> import numpy as np
    >>> q = np.linspace(0, 1, 50_001)
    >>> err = np.abs(beta_ppf(q, 2.0, 4.0) - special.betaincinv(2.0, 4.0, q)).max()
    >>> bool(err < 1e-12)
    True
    """
    q = np.asarray(q, dtype=float)
    if q.size < _DIRECT_BELOW:
        return special.betaincinv(a, b, q)
    lower, upper = _table(float(a), float(b)), _table(float(b), float(a))
    if lower is None or upper is None:
        return special.betaincinv(a, b, q)
    flat = q.ravel()
    out = np.empty_like(flat)
    inv_a, inv_b = 1.0 / a, 1.0 / b
    # Pieces of 8,192 values keep every temporary small (large fresh arrays are page-faulted
    # on each call, which costs more than the arithmetic).
    for i in range(0, flat.size, _PIECE):
        qp, op = flat[i : i + _PIECE], out[i : i + _PIECE]
        low = qp <= 0.5
        if low.all():
            _hermite(qp**inv_a, lower, op)
        elif not low.any():
            _hermite((1.0 - qp) ** inv_b, upper, op)
            np.subtract(1.0, op, out=op)
        else:
            lo_part, hi_part = np.empty(int(low.sum())), np.empty(int((~low).sum()))
            _hermite(qp[low] ** inv_a, lower, lo_part)
            _hermite((1.0 - qp[~low]) ** inv_b, upper, hi_part)
            op[low], op[~low] = lo_part, 1.0 - hi_part
    np.clip(out, 0.0, 1.0, out=out)
    return out.reshape(q.shape)
