"""Input handling for the rate functions: cash-flow arrays, rates, dates and their order.

Dates arrive as strings, ``datetime``/``date`` objects, numpy ``datetime64`` values, pandas
Timestamps, a DatetimeIndex, a Series or a DataFrame. They are turned into whole day numbers
(like a spreadsheet's date serials, times of day truncated) and then into year fractions
measured from the earliest date of each row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import as_float_array, check_choice, check_magnitude, check_rate, short_repr
from ..exceptions import ParameterError

__all__ = [
    "DAY_COUNTS",
    "as_values",
    "check_discount_rate",
    "per_row",
    "result",
    "sign_structure",
    "times_from_dates",
    "to_day_numbers",
    "year_fractions",
]

#: Supported day-count conventions and the number of days in their year.
DAY_COUNTS = {"ACT/365F": 365.0, "ACT/360": 360.0}


def to_day_numbers(dates: Any, name: str = "dates") -> np.ndarray:
    """Parse ``dates`` (1-D or 2-D) into an int64 array of day numbers (days since 1970-01-01).

    Times of day are dropped (a flow on 2024-03-01 18:00 counts as 2024-03-01), as Excel
    truncates date serials. Raises a ParameterError naming the first date that does not parse.
    """
    if isinstance(dates, pd.DataFrame):
        arr = dates.to_numpy()
    elif isinstance(dates, (pd.Series, pd.Index)):
        arr = dates.to_numpy()
    elif isinstance(dates, (str, bytes)) or np.ndim(dates) == 0:
        raise ParameterError(
            f"`{name}` must be a sequence of dates, one per cash flow. Got {short_repr(dates)}."
        )
    else:
        arr = np.asarray(dates)
    if arr.ndim not in (1, 2):
        raise ParameterError(
            f"`{name}` must be a 1-D sequence (shared by all rows) or a 2-D array (one row of "
            f"dates per scenario). Got shape {arr.shape}."
        )
    if arr.size == 0:
        raise ParameterError(f"`{name}` is empty. Give one date per cash flow.")
    if np.issubdtype(arr.dtype, np.datetime64):
        if np.isnat(arr).any():
            _raise_bad(arr, np.isnat(arr), name)
        return arr.astype("datetime64[D]", copy=False).view(np.int64)
    if arr.dtype.kind in "biufc":
        raise ParameterError(
            f"`{name}` must hold dates, not numbers (got dtype {arr.dtype}). Pass dates such as "
            "'2024-01-31' or datetime.date objects; for Excel date serials use "
            "pd.to_datetime(serials, unit='D', origin='1899-12-30')."
        )
    flat = arr.ravel()
    parsed = _parse(flat)
    if parsed is None:
        bad = np.array([_parse_one(x) is None for x in flat])
        _raise_bad(arr, bad.reshape(arr.shape), name)
    days = parsed.astype("datetime64[D]").astype(np.int64)
    return days.reshape(arr.shape)


def _parse(flat: np.ndarray) -> np.ndarray | None:
    """Vectorised parse of an object array; None if any element is missing or unparseable."""
    series = pd.Series(flat, dtype=object)
    if series.isna().any():
        return None
    for fmt in (None, "mixed"):
        try:
            out = pd.to_datetime(series, format=fmt)
        except (ValueError, TypeError, OverflowError):
            continue
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_localize(None)
        if out.isna().any():
            return None
        return out.to_numpy(dtype="datetime64[ns]")
    return None


def _parse_one(x: Any) -> pd.Timestamp | None:
    if x is None or (isinstance(x, float) and np.isnan(x)) or isinstance(x, (int, float, bool)):
        return None
    try:
        ts = pd.Timestamp(x)
    except (ValueError, TypeError, OverflowError):
        return None
    return None if pd.isna(ts) else ts


def _raise_bad(arr: np.ndarray, bad: np.ndarray, name: str) -> None:
    where = tuple(int(i) for i in np.argwhere(bad)[0])
    pos = where[0] if len(where) == 1 else where
    raise ParameterError(
        f"`{name}` at index {pos} is not a date: got {short_repr(arr[where])}. Use ISO dates "
        "such as '2024-01-31', datetime.date or pandas Timestamps, one per cash flow."
    )


def year_fractions(days: np.ndarray, day_count: str) -> np.ndarray:
    """Years from the earliest date of each row: ``(d - min(d)) / days_per_year``."""
    check_choice(day_count, "day_count", DAY_COUNTS)
    first = days.T.min(axis=0)  # reducing along the long axis is the fast direction
    out = (days - first[..., None]) if days.ndim == 2 else (days - first)
    return out * (1.0 / DAY_COUNTS[day_count])


def check_discount_rate(rate: Any, name: str) -> Any:
    """``check_rate``, except that a computed rate above 100 % (an IRR of 1.8734...) passes.

    A rate above 1 with at most two decimals (8, 12.5, 7.25) is almost surely a percentage
    typed as a number and is refused with check_rate's hint; so is anything at or below -1.
    """
    arr = as_float_array(rate, name)
    scaled = arr * 100.0
    typed = (arr > 1) & (np.abs(scaled - np.round(scaled)) <= 1e-9 * scaled)
    if np.any(arr <= -1) or np.any(typed):
        check_rate(np.where(typed | (arr <= -1), arr, 0.0), name)  # raises the usual message
    return float(arr) if arr.ndim == 0 else arr


def as_values(values: Any, *, allow_nan: bool = False) -> tuple[np.ndarray, bool, Any]:
    """(2-D float array, one-scenario flag, index or None)."""
    index = values.index if isinstance(values, pd.DataFrame) else None
    arr = as_float_array(
        values, "values", ndim=(1, 2), allow_nan=allow_nan, allow_inf=allow_nan, min_size=1
    )
    check_magnitude(arr[np.isfinite(arr)], "values", "amount")  # 1e300 is a typo, not a flow
    if arr.ndim == 1:
        return arr[None, :], True, None
    return arr, False, index


def result(arr: np.ndarray, single: bool, index: Any, name: str) -> Any:
    """A float for one scenario, a Series for a DataFrame's rows, else the ndarray."""
    if single:
        return float(arr[0])
    if index is not None:
        return pd.Series(arr, index=index, name=name)
    return arr


def per_row(x: Any, name: str, n_rows: int) -> np.ndarray:
    """A scalar or one value per row, as a float array of shape (n_rows,)."""
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0 or arr.shape in ((n_rows,), (1,)):
        return np.broadcast_to(arr.reshape(-1) if arr.ndim else arr, (n_rows,)).astype(float)
    raise ParameterError(
        f"`{name}` must be one number or one per scenario ({n_rows}). Got shape {arr.shape}."
    )


def times_from_dates(dates: Any, values: np.ndarray, day_count: str) -> np.ndarray:
    """Year fractions from the earliest date, checked against the shape of ``values``."""
    days = to_day_numbers(dates, "dates")
    n_rows, n = values.shape
    if days.shape[-1] != n or (days.ndim == 2 and days.shape[0] != n_rows):
        want = f"({n},) shared by all rows or ({n_rows}, {n})"
        raise ParameterError(
            f"`dates` must give one date per cash flow: shape {want}. Got shape {days.shape} "
            f"for `values` of shape {values.shape}. Check that no date or amount is missing."
        )
    return year_fractions(days, day_count)


def sign_structure(
    values: np.ndarray, times: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: sign changes, sign of the earliest nonzero flow, number of distinct dates.

    Flows are ordered by time and flows on the same date are added first, so the count is
    the bound of Descartes' rule of signs on the number of roots ``r > -1``. Rows without
    zero flows or shared dates take a fast path; the others a loop over columns.
    """
    m, n = values.shape
    if times is not None:
        if times.ndim == 1:
            order = np.argsort(times, kind="stable")
            values, times = values[:, order], times[order]
        elif not (times[:, 1:] >= times[:, :-1]).all():
            order = np.argsort(times, axis=1, kind="stable")
            values = np.take_along_axis(values, order, axis=1)
            times = np.take_along_axis(times, order, axis=1)
    pos, neg = values > 0, values < 0
    # row sums of boolean matrices as float matrix-vector products: the fast direction
    changes = ((pos[:, 1:] != pos[:, :-1]).astype(float) @ np.ones(n - 1)).astype(np.int64)
    first = pos[:, 0].astype(np.int8) - neg[:, 0].astype(np.int8)
    n_dates = np.full(m, n, dtype=np.int64)
    slow = (~(pos | neg)).astype(float) @ np.ones(n) > 0  # a zero flow somewhere
    if times is not None:
        slow |= np.broadcast_to((times[..., 1:] == times[..., :-1]).any(axis=-1), (m,))
    if slow.any():
        idx = np.flatnonzero(slow)
        t = None if times is None else (times if times.ndim == 1 else times[idx])
        changes[idx], first[idx], n_dates[idx] = _sign_loop(values[idx], t)
    return changes, first, n_dates


def _sign_loop(values: np.ndarray, times: np.ndarray | None):
    """Column loop of sign_structure: skips zero flows, adds flows that share a date."""
    m, n = values.shape
    changes = np.zeros(m, dtype=np.int64)
    first = np.zeros(m, dtype=np.int8)
    last = np.zeros(m, dtype=np.int8)
    n_dates = np.full(m, n if times is None else 1, dtype=np.int64)

    def emit(s: np.ndarray) -> None:
        nonlocal first, last
        changes[:] += (s * last) < 0
        first = np.where(first == 0, s, first)
        last = np.where(s != 0, s, last)

    acc = values[:, 0].copy()
    for j in range(1, n):
        if times is None:
            emit(np.sign(acc).astype(np.int8))
            acc = values[:, j].copy()
            continue
        new = times[..., j] != times[..., j - 1]
        emit(np.where(new, np.sign(acc), 0).astype(np.int8))
        acc = np.where(new, values[:, j], acc + values[:, j])
        n_dates += new
    emit(np.sign(acc).astype(np.int8))
    return changes, first, n_dates
