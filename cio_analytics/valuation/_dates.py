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

from .._validation import as_float_array, check_magnitude, check_rate, short_repr
from ..exceptions import ParameterError
from .daycount import check_day_count, day_fractions

__all__ = [
    "DAY_COUNTS",
    "as_values",
    "check_discount_rate",
    "dated_flows",
    "per_row",
    "result",
    "sign_structure",
    "times_from_dates",
    "to_day_numbers",
    "year_fractions",
]

#: Conventions whose year is a fixed number of actual days (the fast path).
DAY_COUNTS = {"ACT/365F": 365.0, "ACT/360": 360.0}


def to_day_numbers(dates: Any, name: str = "dates", date_format: str | None = None) -> np.ndarray:
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
    parsed = _parse(flat, date_format)
    if parsed is None:  # find the first bad element for the message (error path only)
        bad = np.array([_parse_one(x, date_format) is None for x in flat])
        _raise_bad(arr, bad.reshape(arr.shape), name, date_format)
    days = parsed.astype("datetime64[D]").astype(np.int64)
    return days.reshape(arr.shape)


def _parse(flat: np.ndarray, date_format: str | None = None) -> np.ndarray | None:
    """Vectorised parse of an object array; None if any element is missing or unparseable.

    Strings follow one rule: ISO 8601 ('2024-01-31', '2024-01-31T18:00'), or exactly
    ``date_format`` when given; date and time objects convert as they are.
    """
    series = pd.Series(flat, dtype=object)
    if series.isna().any():
        return None
    text = series.map(lambda x: isinstance(x, str)).to_numpy(dtype=bool)
    out = np.empty(len(series), dtype="datetime64[ns]")
    try:
        if text.any():
            fmt = "ISO8601" if date_format is None else date_format
            out[text] = _naive(pd.to_datetime(series[text], format=fmt))
        if (~text).any():
            out[~text] = _naive(pd.to_datetime(series[~text]))
    except (ValueError, TypeError, OverflowError):
        return None
    return None if np.isnat(out).any() else out


def _naive(parsed: pd.Series) -> np.ndarray:
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.to_numpy(dtype="datetime64[ns]")


def _parse_one(x: Any, date_format: str | None = None) -> pd.Timestamp | None:
    if x is None or (isinstance(x, float) and np.isnan(x)) or isinstance(x, (int, float, bool)):
        return None
    return None if _parse(np.array([x], dtype=object), date_format) is None else x


def _raise_bad(arr: np.ndarray, bad: np.ndarray, name: str, date_format: str | None = None):
    where = tuple(int(i) for i in np.argwhere(bad)[0])
    pos = where[0] if len(where) == 1 else where
    value = arr[where].item() if isinstance(arr[where], np.generic) else arr[where]
    rule = (
        f"does not match date_format={date_format!r}"
        if date_format is not None
        else "is not an ISO 8601 date"
    )
    raise ParameterError(
        f"`{name}` at index {pos} {rule}: got {short_repr(value)}. Use ISO dates "
        "such as '2024-01-31', datetime.date or pandas Timestamps, one per cash flow; for "
        "another spelling state it, e.g. date_format='%d/%m/%Y'."
    )


def year_fractions(days: np.ndarray, day_count: str) -> np.ndarray:
    """Years from the earliest date of each row under ``day_count`` (see ``daycount``)."""
    day_count = check_day_count(day_count)
    first = days.T.min(axis=0)  # reducing along the long axis is the fast direction
    if day_count not in DAY_COUNTS:
        return day_fractions(first[..., None] if days.ndim == 2 else first, days, day_count)
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


def times_from_dates(
    dates: Any, values: np.ndarray, day_count: str, date_format: str | None = None
) -> np.ndarray:
    """Year fractions from the earliest date, checked against the shape of ``values``."""
    days = to_day_numbers(dates, "dates", date_format)
    n_rows, n = values.shape
    if days.shape[-1] != n or (days.ndim == 2 and days.shape[0] != n_rows):
        want = f"({n},) shared by all rows or ({n_rows}, {n})"
        raise ParameterError(
            f"`dates` must give one date per cash flow: shape {want}. Got shape {days.shape} "
            f"for `values` of shape {values.shape}. Check that no date or amount is missing."
        )
    return year_fractions(days, day_count)


def dated_flows(values: Any, dates: Any) -> tuple[Any, Any]:
    """pyxirr's input shapes -> (values, dates); values and dates given apart pass through.

    With ``dates=None``, ``values`` may be a list of (date, amount) pairs, a DataFrame with a
    date and an amount column, or a Series whose index holds the dates.
    """
    if dates is not None:
        return values, dates
    if isinstance(values, pd.Series):
        return values.to_numpy(), values.index
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 2:
            raise ParameterError(
                "`values` as a DataFrame without `dates` must have two columns, a date and an "
                f"amount. Got columns {list(values.columns)}. Pass dates=... for a matrix "
                "of scenarios (rows) by flows (columns)."
            )
        kinds = [pd.api.types.is_numeric_dtype(values[c]) for c in values.columns]
        date_col = kinds.index(False) if kinds.count(False) == 1 else 0
        amount_col = 1 - date_col
        return values.iloc[:, amount_col].to_numpy(), values.iloc[:, date_col].to_numpy()
    if (
        isinstance(values, (list, tuple))
        and values
        and all(isinstance(p, (tuple, list)) and len(p) == 2 for p in values)
    ):
        firsts = [p[0] for p in values]
        if not all(isinstance(x, (int, float, np.number)) for x in firsts):
            return [p[1] for p in values], firsts
        if not any(isinstance(p[1], (int, float, np.number)) for p in values):
            raise ParameterError(
                f"`values` as pairs must be (date, amount). Got {short_repr(values[0])} first. "
                "Swap each pair: [(date, amount), ...]."
            )
    raise ParameterError(
        f"`dates` is missing. Got values={short_repr(values)} and no dates. Give dates=[...] "
        "(one per flow), or values as (date, amount) pairs, a DataFrame with a date and an "
        "amount column, or a Series indexed by date."
    )


def sign_structure(
    values: np.ndarray,
    times: np.ndarray | None,
    transposed: tuple[np.ndarray, np.ndarray | None] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: sign changes, sign of the earliest nonzero flow, number of distinct dates.

    Flows are ordered by time and flows on the same date are added first, so the count is
    the bound of Descartes' rule of signs on the number of roots ``r > -1``. Rows without
    zero flows or shared dates take a fast path; the others a loop over columns.
    ``transposed`` may give contiguous ``(values.T, times.T)`` copies (times 2-D, or None)
    that the caller already holds: the column loop then reads contiguous memory.
    """
    m, n = values.shape
    cols_v, cols_t = values.T, None if times is None else times.T
    if times is not None:
        if times.ndim == 1:
            order = np.argsort(times, kind="stable")
            values, times = values[:, order], times[order]
            cols_v, cols_t = values.T, times
        elif not (times[:, 1:] >= times[:, :-1]).all():
            order = np.argsort(times, axis=1, kind="stable")
            values = np.take_along_axis(values, order, axis=1)
            times = np.take_along_axis(times, order, axis=1)
            cols_v, cols_t = values.T, times.T
        elif transposed is not None:
            cols_v, cols_t = transposed
    elif transposed is not None:
        cols_v = transposed[0]
    pos, neg = cols_v > 0, cols_v < 0
    # row counts as a loop over the (few) columns: numpy reduces a short last axis slowly
    # and BLAS matrix-vector products contend for the cores of a shared machine
    changes = np.zeros(m, dtype=np.int64)
    slow = ~(pos[0] | neg[0])  # a zero flow somewhere
    for j in range(1, n):
        changes += pos[j] != pos[j - 1]
        slow |= ~(pos[j] | neg[j])
        if cols_t is not None:
            slow |= cols_t[j] == cols_t[j - 1]  # two flows on one date
    first = pos[0].astype(np.int8) - neg[0].astype(np.int8)
    n_dates = np.full(m, n, dtype=np.int64)
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
