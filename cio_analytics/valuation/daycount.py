"""Day-count conventions: the year fraction between two dates (Excel's ``YEARFRAC``).

Every convention works on whole days (times of day are dropped, as Excel truncates date
serials) and is vectorised: ``start`` and ``end`` broadcast against each other.

=================  ==============  ===================================================
``day_count``      Excel basis     rule
=================  ==============  ===================================================
"30/360"           0 (US/NASD)     30-day months, Excel's end-of-February rules
"ACT/ACT Excel"    1               actual days / Excel's actual year length
"ACT/360"          2               actual days / 360
"ACT/365F"         3               actual days / 365 (Excel's XNPV and XIRR)
"30E/360"          4 (Eurobond)    30-day months, day 31 -> 30
"30E/360 ISDA"     -               30E/360, last day of February -> 30 (ISDA 4.16(h))
"ACT/ACT ISDA"     -               days in leap years / 366 + days in others / 365
=================  ==============  ===================================================
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import did_you_mean, short_repr
from ..exceptions import ParameterError

__all__ = ["DAY_COUNTS", "EXCEL_BASIS", "check_day_count", "day_fractions", "year_fraction"]

#: The supported conventions, in the order of the table above.
DAY_COUNTS = (
    "ACT/365F",
    "ACT/360",
    "30/360",
    "30E/360",
    "30E/360 ISDA",
    "ACT/ACT ISDA",
    "ACT/ACT Excel",
)
#: Excel's YEARFRAC ``basis`` argument and the convention it names.
EXCEL_BASIS = {0: "30/360", 1: "ACT/ACT Excel", 2: "ACT/360", 3: "ACT/365F", 4: "30E/360"}


def check_day_count(day_count: Any) -> str:
    """The canonical name of ``day_count`` (a name, any case, or Excel's basis 0-4)."""
    if isinstance(day_count, (int, np.integer)) and not isinstance(day_count, bool):
        if int(day_count) in EXCEL_BASIS:
            return EXCEL_BASIS[int(day_count)]
    elif isinstance(day_count, str):
        key = day_count.strip().upper()
        for name in DAY_COUNTS:
            if key == name.upper():
                return name
    raise ParameterError(
        f"`day_count` must be one of {', '.join(map(repr, DAY_COUNTS))} or Excel's basis 0-4. "
        f"Got {short_repr(day_count)}.{did_you_mean(str(day_count), DAY_COUNTS)} "
        "'ACT/365F' is Excel's XNPV/XIRR convention."
    )


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month (1-12) and day of month of int64 day numbers (days since 1970-01-01)."""
    d = days.astype("datetime64[D]")
    months = d.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (d - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def _is_leap(year: np.ndarray) -> np.ndarray:
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


def _jan1(year: np.ndarray) -> np.ndarray:
    return (year - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)


def _end_of_feb(month: np.ndarray, day: np.ndarray, year: np.ndarray) -> np.ndarray:
    return (month == 2) & (day == np.where(_is_leap(year), 29, 28))


def _thirty_360(y1, m1, d1, y2, m2, d2) -> np.ndarray:
    return (360 * (y2 - y1) + 30 * (m2 - m1) + (d2 - d1)) / 360.0


def _us_30_360(s: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Excel basis 0 (start <= end): the rules in order, the first that applies wins."""
    y1, m1, d1 = _ymd(s)
    y2, m2, d2 = _ymd(e)
    feb1, feb2 = _end_of_feb(m1, d1, y1), _end_of_feb(m2, d2, y2)
    both31 = (d1 == 31) & (d2 == 31)
    r1 = ~both31 & (d1 == 31)
    r2 = ~both31 & ~r1 & (d1 == 30) & (d2 == 31)
    rest = ~(both31 | r1 | r2)
    febs = rest & feb1 & feb2
    feb_only = rest & feb1 & ~feb2
    d1n = np.where(both31 | r1 | febs | feb_only, 30, d1)
    d2n = np.where(both31 | r2 | febs, 30, d2)
    return _thirty_360(y1, m1, d1n, y2, m2, d2n)


def _act_act_excel(s: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Excel basis 1 (start <= end): one year or less -> /365 or /366, else the mean year."""
    y1, m1, d1 = _ymd(s)
    y2, m2, d2 = _ymd(e)
    within = (y1 == y2) | ((y2 == y1 + 1) & ((m1 > m2) | ((m1 == m2) & (d1 >= d2))))
    mar1_1 = _jan1(y1) + 59 + _is_leap(y1)
    mar1_2 = _jan1(y2) + 59 + _is_leap(y2)
    feb29 = (_is_leap(y1) & (s < mar1_1)) | (_is_leap(y2) & (e >= mar1_2))
    short = np.where(
        ((y1 == y2) & _is_leap(y1)) | ((y1 != y2) & (feb29 | ((m2 == 2) & (d2 == 29)))),
        366.0,
        365.0,
    )
    mean_year = (_jan1(y2 + 1) - _jan1(y1)) / (y2 - y1 + 1.0)
    return (e - s) / np.where(within, short, mean_year)


def _fraction(s: np.ndarray, e: np.ndarray, day_count: str, maturity: Any) -> np.ndarray:
    """Year fraction for start <= end elementwise."""
    if day_count == "ACT/365F":
        return (e - s) / 365.0
    if day_count == "ACT/360":
        return (e - s) / 360.0
    if day_count == "30/360":
        return _us_30_360(s, e)
    if day_count == "ACT/ACT Excel":
        return _act_act_excel(s, e)
    if day_count == "ACT/ACT ISDA":
        y1, y2 = _ymd(s)[0], _ymd(e)[0]
        len1, len2 = 365.0 + _is_leap(y1), 365.0 + _is_leap(y2)
        return (y2 - y1) + (e - _jan1(y2)) / len2 - (s - _jan1(y1)) / len1
    y1, m1, day1 = _ymd(s)
    y2, m2, day2 = _ymd(e)
    d1, d2 = np.minimum(day1, 30), np.minimum(day2, 30)
    if day_count == "30E/360 ISDA":
        d1 = np.where(_end_of_feb(m1, day1, y1), 30, d1)
        last = _end_of_feb(m2, day2, y2)
        if maturity is not None:
            last &= e != maturity
        d2 = np.where(last, 30, d2)
    return _thirty_360(y1, m1, d1, y2, m2, d2)


def day_fractions(start: np.ndarray, end: np.ndarray, day_count: str, maturity=None):
    """Signed year fractions between int64 day numbers (the engine of :func:`year_fraction`)."""
    start, end = np.broadcast_arrays(np.asarray(start, np.int64), np.asarray(end, np.int64))
    lo, hi = np.minimum(start, end), np.maximum(start, end)
    out = _fraction(lo, hi, day_count, maturity)
    return np.where(end < start, -out, out) * 1.0


def _days(x: Any, name: str) -> np.ndarray:
    from ._dates import to_day_numbers  # local: _dates imports this module

    if isinstance(x, (str, bytes)) or np.ndim(x) == 0:
        return to_day_numbers([x], name)[0]
    return to_day_numbers(x, name)


def year_fraction(start: Any, end: Any, day_count: Any = "ACT/365F", *, maturity: Any = None):
    """Fraction of a year from ``start`` to ``end`` under a day-count convention (``YEARFRAC``).

    Parameters
    ----------
    start, end : date or array_like of dates
        ISO strings ('2024-01-31'), ``datetime.date``/``datetime``, numpy ``datetime64`` or
        pandas Timestamps; 1-D or 2-D, broadcast against each other. Times of day are dropped.
    day_count : str or int, default "ACT/365F"
        "ACT/365F", "ACT/360", "30/360" (US/NASD), "30E/360" (Eurobond), "30E/360 ISDA",
        "ACT/ACT ISDA", "ACT/ACT Excel"; or Excel's YEARFRAC ``basis`` 0-4.
    maturity : date, optional
        Only for "30E/360 ISDA": the termination date, whose end-of-February day is kept as
        is (ISDA 2006, 4.16(h)). By default no ``end`` is the termination date.

    Returns
    -------
    float or ndarray
        Years, positive when ``end`` is after ``start`` and negative when before (Excel's
        ``YEARFRAC`` returns the absolute value: it swaps the dates).

    Notes
    -----
    30-day conventions: ``(360 (Y2 - Y1) + 30 (M2 - M1) + (D2 - D1)) / 360`` after adjusting
    the days: "30E/360" caps both at 30; "30E/360 ISDA" also sets the last day of February
    to 30; "30/360" applies Excel's basis-0 rules (D1 = 31 -> 30; D2 = 31 -> 30 when D1 is 30
    or 31; both last days of February -> 30; D1 the last day of February -> 30).
    "ACT/ACT ISDA" counts the days in leap years over 366 and the others over 365.
    "ACT/ACT Excel" divides the days by 366 when a 29 February falls within a span of a
    year or less (or both dates are in one leap year), by 365 otherwise, and by the mean
    length of the calendar years spanned for longer spans.

    References
    ----------
    Microsoft, "YEARFRAC function", Excel documentation.
    International Swaps and Derivatives Association, *2006 ISDA Definitions*, Section 4.16.
    D. A. Wheeler, "YEARFRAC: how Excel computes it" (OpenFormula notes on basis 0 and 1).

    Examples
    --------
    Excel's YEARFRAC example, 1 January to 30 July 2012:

    >>> print(f"{year_fraction('2012-01-01', '2012-07-30', '30/360'):.8f}")
    0.58055556
    >>> print(f"{year_fraction('2012-01-01', '2012-07-30', 1):.8f}")
    0.57650273
    >>> print(f"{year_fraction('2012-01-01', '2012-07-30', 'ACT/365F'):.8f}")
    0.57808219
    """
    name = check_day_count(day_count)
    s, e = _days(start, "start"), _days(end, "end")
    mat = None if maturity is None else _days(maturity, "maturity")
    out = day_fractions(s, e, name, mat)
    return float(out) if out.ndim == 0 else out
