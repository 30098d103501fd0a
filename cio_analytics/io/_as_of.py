"""Data as of a period: the readers keep only the records dated up to the as-of date.

``--period 2026Q3`` means "the quarter closed at 30 September 2026": a report built for it uses
actuals, tickets and status records dated up to then, and no later, even when the files hold
more. The readers of dated records take ``as_of=`` (a date, ``"2026-09-30"``, ``"2026-09"`` or a
quarter ``"2026Q3"``) and drop later rows; a file with no record up to that date is refused,
naming the date range it does hold.

Examples
--------
>>> as_of_date("2026Q3"), as_of_date("2026-02"), as_of_date("2026-05-15")
(Timestamp('2026-09-30 00:00:00'), Timestamp('2026-02-28 00:00:00'), Timestamp('2026-05-15 00:00:00'))
>>> as_of_date(None) is None
True
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pandas as pd

from ..exceptions import ParameterError

__all__ = ["as_of_date", "keep_last_months", "keep_up_to"]

_QUARTER = re.compile(r"(\d{4})\s*[Qq]([1-4])")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def as_of_date(value: Any, parameter: str = "as_of") -> pd.Timestamp | None:
    """The as-of date (midnight of the last day that counts) of a date, month or quarter."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (datetime.date, pd.Timestamp)):
        return pd.Timestamp(value).normalize()
    text = str(value).strip()
    if m := _QUARTER.fullmatch(text):
        year, quarter = int(m.group(1)), int(m.group(2))
        return (
            pd.Timestamp(year=year, month=3 * quarter, day=1) + pd.offsets.MonthEnd(0)
        ).normalize()
    if m := _MONTH.fullmatch(text):
        return (pd.Timestamp(year=int(m.group(1)), month=int(m.group(2)), day=1)
                + pd.offsets.MonthEnd(0))  # fmt: skip
    try:
        return pd.Timestamp(datetime.date.fromisoformat(text))
    except ValueError:
        raise ParameterError(
            f"`{parameter}` must be a date (2026-09-30), a month (2026-09) or a quarter "
            f"(2026Q3). Got {value!r}."
        ) from None


def keep_up_to(
    frame: pd.DataFrame, column: str, as_of: Any, *, path: str, what: str, monthly: bool = False
) -> pd.DataFrame:
    """The rows of ``frame`` dated up to ``as_of`` (all rows when ``as_of`` is None).

    ``monthly`` compares the month of ``column`` (a month counts once it has started). Raises
    DataFileError naming the file and the dates it holds when no row is left.
    """
    cut = as_of_date(as_of)
    if cut is None or frame.empty:
        return frame
    dates = _timestamps(frame[column])
    limit = cut if monthly else cut + pd.Timedelta(days=1)
    keep = (dates <= limit) if monthly else (dates < limit)
    if not keep.any():
        from ..exceptions import DataFileError

        raise DataFileError(
            f"no {what} dated up to {cut:%Y-%m-%d} (the as-of date of the period); column "
            f"`{column}` runs from {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}. Choose a "
            "later period, or add the records of that period to the file.",
            path=path,
            column=column,
        )
    out = frame.loc[keep.to_numpy()].reset_index(drop=True)
    out.attrs.update(frame.attrs)
    out.attrs["as_of"] = f"{cut:%Y-%m-%d}"
    return out


def keep_last_months(
    frame: pd.DataFrame, column: str, months: Any, *, parameter: str = "months"
) -> pd.DataFrame:
    """The rows of ``frame`` dated in its last ``months`` calendar months (all rows when None).

    The window ends with the month of the latest row (after an as-of cut, the latest row up to
    the as-of date), so a report reads the same months whatever older records the file holds.

    Examples
    --------
    >>> f = pd.DataFrame({"month": pd.period_range("2025-01", "2026-09", freq="M")})
    >>> w = keep_last_months(f, "month", 18)
    >>> len(w), str(w["month"].iloc[0]), w.attrs["window"]
    (18, '2025-04', '2025-04 to 2026-09')
    """
    if months is None or frame.empty:
        return frame
    from .._validation import check_int

    n = check_int(months, parameter, minimum=1)
    stamps = _timestamps(frame[column])
    month = stamps.dt.to_period("M")
    first = month.max() - (n - 1)
    keep = (month >= first).to_numpy()
    out = frame.loc[keep].reset_index(drop=True)
    out.attrs.update(frame.attrs)
    out.attrs["window"] = f"{max(first, month.min())} to {month.max()}"
    return out


def _timestamps(values: pd.Series) -> pd.Series:
    """Timestamps of a date, date-time, month-period or ISO-text column."""
    if isinstance(values.dtype, pd.PeriodDtype):
        return values.dt.to_timestamp()
    return pd.to_datetime(values)
