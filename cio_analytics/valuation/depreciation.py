"""Excel-exact depreciation: SLN, SYD, DDB, DB, and a whole-schedule table.

Each function broadcasts like a numpy ufunc over all its arguments (many assets, many periods in
one call) and returns the depreciation for the period asked, in the currency of ``cost``.
Periods count from 1 (the first period of the asset's life), as in Excel.

DDB and DB are computed in closed form (the book value before period ``p`` is a power of the
declining factor), not by a loop over periods, so a vector of periods costs one array operation.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import as_float_array, check_choice
from ..exceptions import ParameterError

__all__ = ["db", "ddb", "depreciation_schedule", "sln", "syd"]


def _nonneg(x: Any, name: str) -> np.ndarray:
    arr = as_float_array(x, name)
    if np.any(arr < 0):
        bad = arr.flat[int(np.flatnonzero(arr < 0)[0])]
        raise ParameterError(
            f"`{name}` must be 0 or more. Got {bad:g}. Enter amounts as positives."
        )
    return arr


def _life(life: Any) -> np.ndarray:
    arr = as_float_array(life, "life")
    if np.any(arr <= 0):
        bad = arr.flat[int(np.flatnonzero(arr <= 0)[0])]
        raise ParameterError(
            f"`life` must be greater than 0. Got {bad:g}. Give the useful life in periods, e.g. 5."
        )
    return arr


def _period(period: Any, life: np.ndarray, *, extra: np.ndarray | float = 0.0) -> np.ndarray:
    per = as_float_array(period, "period")
    per_b, last_b = np.broadcast_arrays(per, life + extra)
    bad = (per_b < 1) | (per_b > last_b)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise ParameterError(
            f"`period` must be between 1 and {last_b.flat[i]:g} (the asset's life). "
            f"Got {per_b.flat[i]:g}. Periods count from 1, the first period of the asset's life."
        )
    return per


def _out(value: np.ndarray) -> Any:
    return float(value) if np.ndim(value) == 0 else value


def sln(cost: Any, salvage: Any, life: Any) -> Any:
    """Straight-line depreciation for one period (Excel ``SLN``).

    Parameters
    ----------
    cost : float or array_like
        Initial cost of the asset, in currency, 0 or more.
    salvage : float or array_like
        Value at the end of the life, in currency, 0 or more.
    life : float or array_like
        Useful life in periods, greater than 0.

    Returns
    -------
    float or ndarray
        Depreciation per period, in currency.

    Notes
    -----
    ``SLN = (cost - salvage) / life``.

    References
    ----------
    Microsoft, "SLN function", Excel documentation.

    Examples
    --------
    Excel's example: a 30,000 truck with a salvage value of 7,500 after 10 years.

    >>> sln(30000, 7500, 10)
    2250.0
    """
    c, s, n = _nonneg(cost, "cost"), _nonneg(salvage, "salvage"), _life(life)
    return _out((c - s) / n)


def syd(cost: Any, salvage: Any, life: Any, period: Any) -> Any:
    """Sum-of-years'-digits depreciation for one period (Excel ``SYD``).

    Parameters
    ----------
    cost, salvage : float or array_like
        Initial cost and value at the end of the life, in currency, 0 or more.
    life : float or array_like
        Useful life in periods, greater than 0.
    period : float or array_like
        The period, from 1 to ``life``.

    Returns
    -------
    float or ndarray
        Depreciation in ``period``, in currency.

    Notes
    -----
    ``SYD = (cost - salvage) (life - period + 1) 2 / (life (life + 1))``.

    References
    ----------
    Microsoft, "SYD function", Excel documentation.

    Examples
    --------
    Excel's example, first and tenth year of a 30,000 asset worth 7,500 after 10 years.

    >>> print(f"{syd(30000, 7500, 10, 1):.2f}, {syd(30000, 7500, 10, 10):.2f}")
    4090.91, 409.09
    """
    c, s, n = _nonneg(cost, "cost"), _nonneg(salvage, "salvage"), _life(life)
    p = _period(period, n)
    return _out((c - s) * (n - p + 1.0) * 2.0 / (n * (n + 1.0)))


def ddb(cost: Any, salvage: Any, life: Any, period: Any, factor: Any = 2) -> Any:
    """Declining-balance depreciation at ``factor / life`` a period (Excel ``DDB``).

    Parameters
    ----------
    cost, salvage : float or array_like
        Initial cost and value at the end of the life, in currency, 0 or more.
    life : float or array_like
        Useful life in periods, greater than 0.
    period : float or array_like
        The period, from 1 to ``life``.
    factor : float or array_like, default 2
        Rate at which the balance declines (2: double-declining balance), greater than 0.

    Returns
    -------
    float or ndarray
        Depreciation in ``period``, in currency. Never takes the book value below ``salvage``.

    Notes
    -----
    With ``d = min(factor / life, 1)``, the book value before period ``p`` is
    ``cost (1 - d)^(p - 1)`` and ``DDB = min(book d, book - salvage)``, floored at 0: Excel's
    ``min((cost - prior depreciation) d, cost - salvage - prior depreciation)``. Like Excel,
    DDB does not switch to straight line when that would be larger (that is Excel's ``VDB``).

    References
    ----------
    Microsoft, "DDB function", Excel documentation.

    Examples
    --------
    Excel's example: a 2,400 machine worth 300 after 10 years.

    >>> print(f"{ddb(2400, 300, 10, 1):.2f}, {ddb(2400, 300, 10, 2, 1.5):.2f}, {ddb(2400, 300, 10, 10):.2f}")
    480.00, 306.00, 22.12
    """
    c, s, n = _nonneg(cost, "cost"), _nonneg(salvage, "salvage"), _life(life)
    p = _period(period, n)
    f = as_float_array(factor, "factor")
    if np.any(f <= 0):
        raise ParameterError(
            f"`factor` must be greater than 0. Got {f.flat[int(np.flatnonzero(f <= 0)[0])]:g}. "
            "Use 2 for double-declining balance, 1.5 for 150 %."
        )
    d = np.minimum(f / n, 1.0)
    before = c * (1.0 - d) ** (p - 1.0)
    after = c * (1.0 - d) ** p
    dep = np.where(after < s, before - s, before - after)
    return _out(np.maximum(dep, 0.0))


def db(cost: Any, salvage: Any, life: Any, period: Any, month: Any = 12) -> Any:
    """Fixed-declining-balance depreciation (Excel ``DB``), with Excel's rounded rate.

    Parameters
    ----------
    cost, salvage : float or array_like
        Initial cost and value at the end of the life, in currency, 0 or more.
    life : float or array_like
        Useful life in years, greater than 0.
    period : float or array_like
        The year, from 1 to ``life``; ``life + 1`` when ``month < 12`` (the part year left over).
    month : float or array_like, default 12
        Months in the first year, 1 to 12.

    Returns
    -------
    float or ndarray
        Depreciation in ``period``, in currency.

    Notes
    -----
    ``rate = 1 - (salvage / cost)^(1 / life)``, rounded to three decimals as Excel does.
    First year: ``cost rate month / 12``; years 2 to ``life``: ``(cost - prior) rate``;
    year ``life + 1``: ``(cost - prior) rate (12 - month) / 12``. A zero cost depreciates 0.

    References
    ----------
    Microsoft, "DB function", Excel documentation.

    Examples
    --------
    Excel's example: 1,000,000 cost, 100,000 salvage, 6 years, 7 months in the first year.

    >>> print(f"{db(1_000_000, 100_000, 6, 1, 7):,.2f}")
    186,083.33
    >>> print(f"{db(1_000_000, 100_000, 6, 7, 7):,.2f}")
    15,845.10
    """
    c, s, n = _nonneg(cost, "cost"), _nonneg(salvage, "salvage"), _life(life)
    m = as_float_array(month, "month")
    if np.any((m < 1) | (m > 12)):
        bad = m.flat[int(np.flatnonzero((m < 1) | (m > 12))[0])]
        raise ParameterError(f"`month` must be between 1 and 12. Got {bad:g}.")
    p = _period(period, n, extra=np.where(m < 12, 1.0, 0.0))
    safe_c = np.where(c == 0, 1.0, c)
    rate = np.round(1.0 - (s / safe_c) ** (1.0 / n), 3)
    first = c * rate * m / 12.0
    after_first = c - first
    middle = after_first * (1.0 - rate) ** np.maximum(p - 2.0, 0.0) * rate
    last = after_first * (1.0 - rate) ** np.maximum(n - 1.0, 0.0) * rate * (12.0 - m) / 12.0
    dep = np.where(p == 1, first, np.where(p > n, last, middle))
    return _out(np.where(c == 0, 0.0, dep))


_METHODS = ("sln", "syd", "ddb", "db")


def depreciation_schedule(
    cost: float,
    salvage: float,
    life: int,
    *,
    method: str = "sln",
    factor: float = 2.0,
    month: int = 12,
) -> pd.DataFrame:
    """The whole depreciation schedule of one asset, period by period.

    Parameters
    ----------
    cost, salvage : float
        Initial cost and value at the end of the life, in currency.
    life : int
        Useful life in periods (whole number, 1 or more).
    method : {"sln", "syd", "ddb", "db"}, default "sln"
        The Excel method.
    factor : float, default 2
        Declining factor for ``"ddb"``.
    month : int, default 12
        Months in the first year for ``"db"`` (adds a part year ``life + 1`` when below 12).

    Returns
    -------
    pandas.DataFrame
        Index ``period`` (1, 2, ...); columns ``opening_book_value``, ``depreciation``,
        ``accumulated_depreciation``, ``closing_book_value``.

    Examples
    --------
    >>> table = depreciation_schedule(30000, 7500, 10, method="syd")
    >>> print(f"{table['depreciation'].sum():.2f}")
    22500.00
    """
    method = check_choice(method, "method", _METHODS)
    life_ = float(life)
    if life_ != int(life_) or life_ < 1:
        raise ParameterError(f"`life` must be a whole number of periods, 1 or more. Got {life!r}.")
    n_rows = int(life_) + (1 if method == "db" and month < 12 else 0)
    periods = np.arange(1, n_rows + 1, dtype=float)
    if method == "sln":
        dep = np.full(n_rows, sln(cost, salvage, life_))
    elif method == "syd":
        dep = syd(cost, salvage, life_, periods)
    elif method == "ddb":
        dep = ddb(cost, salvage, life_, periods, factor)
    else:
        dep = db(cost, salvage, life_, periods, month)
    accumulated = np.cumsum(dep)
    return pd.DataFrame(
        {
            "opening_book_value": float(cost) - (accumulated - dep),
            "depreciation": dep,
            "accumulated_depreciation": accumulated,
            "closing_book_value": float(cost) - accumulated,
        },
        index=pd.Index(periods.astype(int), name="period"),
    )
