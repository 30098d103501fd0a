"""Money, percent and number formatting for charts and text: one convention for the product.

Conventions (documented in ``docs/charts.md``):

* Money: ISO currency code, a space, the amount: ``EUR 1.2M``. Compact amounts use the suffixes
  ``k`` (thousand), ``M`` (million), ``bn`` (billion) and ``tn`` (trillion) with ``decimals``
  decimals (default 1); amounts below one thousand are shown in whole units (``EUR 950``).
  The minus sign goes before the code: ``-EUR 2.5k``. ``compact=False`` writes the full amount
  with thousands separators: ``EUR 1,234,567``.
* Percent: the value is a decimal share (0.845) and prints as ``84.5 %`` (a space before the
  sign, as in SI and the house style).
* Missing values (NaN, None) print as ``n/a``.

The axis helpers :func:`currency_axis`, :func:`percent_axis` and :func:`number_axis` install
tick formatters that pick ONE scale for all ticks of an axis (``EUR 0.5M, EUR 1.0M, ...``, not
``EUR 500k, EUR 1.0M``) and as few decimals as tell the ticks apart.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import Formatter

from ...exceptions import ParameterError

__all__ = [
    "MoneyFormatter",
    "NumberFormatter",
    "PercentFormatter",
    "currency_axis",
    "format_money",
    "format_number",
    "format_percent",
    "number_axis",
    "percent_axis",
]

# (threshold, suffix), largest first
_TIERS: tuple[tuple[float, str], ...] = ((1e12, "tn"), (1e9, "bn"), (1e6, "M"), (1e3, "k"))
_NA = "n/a"


def _tier(a: float) -> int:
    """Index into ``_TIERS`` + [(1, "")] of the largest tier not above ``a`` (a >= 0)."""
    for i, (threshold, _) in enumerate(_TIERS):
        if a >= threshold:
            return i
    return len(_TIERS)


def _scale(i: int) -> tuple[float, str]:
    return _TIERS[i] if i < len(_TIERS) else (1.0, "")


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, Real) and math.isnan(float(value)))


def _elementwise(fn, value: Any, **kw: Any) -> Any:
    """Scalar -> str; Series -> Series (same index); other array-likes -> ndarray of str."""
    if isinstance(value, pd.Series):
        return value.map(lambda v: fn(v, **kw))
    if isinstance(value, (list, tuple, np.ndarray, pd.Index)):
        arr = np.asarray(value, dtype=object)
        out = np.empty(arr.shape, dtype=object)
        for idx, v in np.ndenumerate(arr):  # formatting is per string: no numeric hot path
            out[idx] = fn(v, **kw)
        return out
    return fn(value, **kw)


def _check_decimals(decimals: Any) -> int:
    if isinstance(decimals, bool) or not isinstance(decimals, (int, np.integer)):
        raise ParameterError(f"`decimals` must be an integer in [0, 6]. Got {decimals!r}.")
    if not 0 <= int(decimals) <= 6:
        raise ParameterError(f"`decimals` must be an integer in [0, 6]. Got {decimals!r}.")
    return int(decimals)


def _money_one(
    value: Any,
    currency: str | None,
    decimals: int,
    compact: bool,
    signed: bool,
    trim: bool = False,
    significant: int | None = None,
) -> str:
    if _is_missing(value):
        return _NA
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ParameterError(
            f"`value` must be a number (or NaN/None for missing). Got {value!r}."
        ) from None
    prefix = f"{currency} " if currency else ""
    if math.isinf(v):
        body = "∞"
    elif compact:
        a = abs(v)
        i = _tier(a)
        while True:
            scale, suffix = _scale(i)
            d = decimals if suffix else 0
            if significant and suffix and a > 0:
                d = max(0, significant - 1 - math.floor(math.log10(a / scale)))
            mantissa = round(a / scale, d)
            if mantissa >= 1000 and i > 0:  # 999,960 -> "1,000.0k" -> "1.0M"
                i -= 1
                continue
            break
        digits = f"{mantissa:,.{d}f}"
        if trim and "." in digits:
            digits = digits.rstrip("0").rstrip(".")
        body = f"{digits}{suffix}"
        if mantissa == 0:
            v = 0.0
    else:
        body = f"{abs(v):,.{decimals}f}"
        if round(abs(v), decimals) == 0:
            v = 0.0
    sign = "-" if v < 0 else ("+" if signed and v > 0 else "")
    return f"{sign}{prefix}{body}"


def format_money(
    value: Any,
    currency: str | None = None,
    *,
    decimals: int | None = None,
    compact: bool = True,
    signed: bool = False,
    trim: bool = False,
    significant: int | None = None,
) -> Any:
    """An amount of money for a chart, a table or a sentence: ``EUR 1.2M``.

    Parameters
    ----------
    value : float or array-like
        The amount in currency units (not thousands). NaN or None gives ``"n/a"``.
    currency : str, optional
        ISO code written before the amount (``"EUR"``); None or "" for the bare amount.
    decimals : int, optional
        Decimals of the compact mantissa (default 1: ``EUR 1.2M``) or, with ``compact=False``,
        of the full amount (default 0: ``EUR 1,234,567``). Compact amounts below one thousand
        are always whole units.
    compact : bool, default True
        Suffixes k / M / bn / tn (True) or the full amount with thousands separators (False).
    signed : bool, default False
        Write ``+`` before positive amounts (changes, bridges, deltas).
    trim : bool, default False
        Drop trailing zeros of a compact mantissa (``EUR 500k`` instead of ``EUR 500.0k``):
        for sentences; keep False for table columns, where aligned decimals read better.
    significant : int, optional
        Show the compact mantissa with this many significant digits instead of ``decimals``
        (``significant=3``: ``EUR 1.58M``, ``EUR 515k``, ``EUR 97.8k``).

    Returns
    -------
    str, ndarray (object) of str or Series of str
        Same shape as ``value``.

    Notes
    -----
    The suffix is that of the largest power of one thousand not above ``|value|`` after
    rounding: 999,960 with one decimal is ``1.0M``, not ``1,000.0k``. A value that rounds to
    zero prints without a sign.

    Examples
    --------
    >>> format_money(1234567, "EUR")
    'EUR 1.2M'
    >>> format_money(-2500, "EUR")
    '-EUR 2.5k'
    >>> format_money(950, "USD")
    'USD 950'
    >>> format_money(3.2e9, "CHF", decimals=2)
    'CHF 3.20bn'
    >>> format_money(1234567, "EUR", compact=False)
    'EUR 1,234,567'
    >>> format_money(12500, "EUR", signed=True)
    '+EUR 12.5k'
    >>> format_money(1_581_000, "EUR", significant=3), format_money(514_630, "EUR", significant=3)
    ('EUR 1.58M', 'EUR 515k')
    >>> format_money(500_000, "EUR", trim=True)
    'EUR 500k'
    >>> format_money(float("nan"), "EUR")
    'n/a'
    >>> list(format_money([1e3, 2e6]))
    ['1.0k', '2.0M']
    """
    d = _check_decimals(1 if decimals is None and compact else 0 if decimals is None else decimals)
    if currency is not None and not isinstance(currency, str):
        raise ParameterError(f"`currency` must be an ISO code such as 'EUR'. Got {currency!r}.")
    return _elementwise(
        _money_one,
        value,
        currency=currency,
        decimals=d,
        compact=compact,
        signed=signed,
        trim=trim,
        significant=significant,
    )


def _percent_one(value: Any, decimals: int, signed: bool) -> str:
    if _is_missing(value):
        return _NA
    v = float(value) * 100.0
    if math.isinf(v):
        return ("-" if v < 0 else "") + "∞ %"
    r = round(v, decimals)
    sign = "-" if r < 0 else ("+" if signed and r > 0 else "")
    return f"{sign}{abs(r):,.{decimals}f} %"


def format_percent(value: Any, *, decimals: int = 1, signed: bool = False) -> Any:
    """A decimal share as a percentage: ``0.845`` -> ``84.5 %``.

    Parameters
    ----------
    value : float or array-like
        A decimal (0.845 for 84.5 %). NaN or None gives ``"n/a"``.
    decimals : int, default 1
        Decimals of the percentage.
    signed : bool, default False
        Write ``+`` before positive values (changes in percentage points of a rate).

    Examples
    --------
    >>> format_percent(0.845)
    '84.5 %'
    >>> format_percent(0.08, decimals=0)
    '8 %'
    >>> format_percent(-0.0123, decimals=2)
    '-1.23 %'
    >>> format_percent(0.05, signed=True)
    '+5.0 %'
    """
    return _elementwise(_percent_one, value, decimals=_check_decimals(decimals), signed=signed)


def _number_one(value: Any, decimals: int, unit: str | None, compact: bool) -> str:
    if _is_missing(value):
        return _NA
    text = _money_one(value, None, decimals, compact, False)
    return f"{text} {unit}" if unit else text


def format_number(
    value: Any, *, decimals: int | None = None, unit: str | None = None, compact: bool = False
) -> Any:
    """A count or quantity with thousands separators and an optional unit: ``12.5 FTE``.

    ``decimals`` defaults to 0 (1 for the compact mantissa, as :func:`format_money`).

    Examples
    --------
    >>> format_number(12345)
    '12,345'
    >>> format_number(12.46, decimals=1, unit="FTE")
    '12.5 FTE'
    >>> format_number(2_500_000, compact=True, unit="calls")
    '2.5M calls'
    """
    d = _check_decimals((1 if compact else 0) if decimals is None else decimals)
    return _elementwise(_number_one, value, decimals=d, unit=unit, compact=compact)


# ------------------------------------------------------------------------------ tick formatters
def _tick_decimals(values: np.ndarray, max_decimals: int = 4) -> int:
    """Fewest decimals that show every tick value exactly (ticks are round numbers)."""
    finite = np.unique(values[np.isfinite(values)])
    if finite.size == 0:
        return 0
    steps = np.diff(finite)
    tol = 1e-6 * float(steps.min()) if steps.size else 1e-9 * max(1.0, float(abs(finite[0])))
    for d in range(max_decimals + 1):
        if np.all(np.abs(np.round(finite, d) - finite) <= tol):
            return d
    return max_decimals


class MoneyFormatter(Formatter):
    """Tick labels in money: one suffix for the whole axis, ``EUR 0.5M``, ``-EUR 1.0M``."""

    def __init__(self, currency: str | None = None, *, decimals: int | None = None) -> None:
        self.currency = currency
        self.decimals = decimals
        self._scale, self._suffix, self._d = 1.0, "", 0

    def _log(self) -> bool:
        axis = getattr(self, "axis", None)
        return axis is not None and axis.get_scale() == "log"

    def set_locs(self, locs: Any) -> None:
        values = np.asarray(locs, dtype=float)
        finite = np.abs(values[np.isfinite(values)])
        top = float(finite.max()) if finite.size else 0.0
        i = _tier(top)
        while True:  # a narrow range at a large scale: next smaller suffix, fewer decimals
            self._scale, self._suffix = _scale(i)
            if self.decimals is not None:
                self._d = int(self.decimals)
                break
            self._d = _tick_decimals(values / self._scale, max_decimals=9)
            if self._d <= 2 or i >= len(_TIERS):
                break
            i += 1

    def __call__(self, x: float, pos: int | None = None) -> str:
        if not np.isfinite(x):
            return ""
        if self._log():  # decades span several suffixes: each tick its own (10k, 100k, 1M)
            return _money_one(x, self.currency, 1, True, False, trim=True)
        m = round(abs(x) / self._scale, self._d)
        prefix = f"{self.currency} " if self.currency else ""
        if m == 0:
            return f"{prefix}0"
        sign = "-" if x < 0 else ""
        return f"{sign}{prefix}{m:,.{self._d}f}{self._suffix}"


class PercentFormatter(Formatter):
    """Tick labels for decimal shares: ``25 %``, ``2.5 %`` (fewest decimals that differ)."""

    def __init__(self, *, decimals: int | None = None) -> None:
        self.decimals = decimals
        self._d = 0

    def set_locs(self, locs: Any) -> None:
        values = np.asarray(locs, dtype=float) * 100.0
        self._d = _tick_decimals(values) if self.decimals is None else int(self.decimals)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return _percent_one(x, self._d, False) if np.isfinite(x) else ""


class NumberFormatter(Formatter):
    """Tick labels for counts and quantities: thousands separators, fewest decimals."""

    def __init__(self, *, decimals: int | None = None) -> None:
        self.decimals = decimals
        self._d = 0

    def set_locs(self, locs: Any) -> None:
        values = np.asarray(locs, dtype=float)
        self._d = _tick_decimals(values) if self.decimals is None else int(self.decimals)

    def __call__(self, x: float, pos: int | None = None) -> str:
        if not np.isfinite(x):
            return ""
        r = round(x, self._d)
        return f"{0.0 if r == 0 else r:,.{self._d}f}"


def _axes_of(ax: Axes, axis: str) -> list[Any]:
    if not isinstance(ax, Axes):
        raise ParameterError(f"`ax` must be a matplotlib Axes. Got {type(ax).__name__}.")
    if axis not in ("x", "y", "both"):
        raise ParameterError(f"`axis` must be 'x', 'y' or 'both'. Got {axis!r}.")
    return [ax.xaxis, ax.yaxis] if axis == "both" else [ax.xaxis if axis == "x" else ax.yaxis]


def currency_axis(
    ax: Axes, currency: str | None, axis: str = "y", *, decimals: int | None = None
) -> Axes:
    """Format an axis's ticks as money (``EUR 0.5M``); returns ``ax``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> _ = ax.plot([0, 2_000_000], [0, 1])
    >>> ax.set_xticks([0, 500_000, 1_000_000, 1_500_000])  # doctest: +ELLIPSIS
    [...]
    >>> labels = currency_axis(ax, "EUR", axis="x").xaxis.get_major_formatter()
    >>> labels.format_ticks([0, 500_000, 1_000_000, 1_500_000])
    ['EUR 0', 'EUR 0.5M', 'EUR 1.0M', 'EUR 1.5M']
    """
    for a in _axes_of(ax, axis):
        a.set_major_formatter(MoneyFormatter(currency, decimals=decimals))
    return ax


def percent_axis(ax: Axes, axis: str = "y", *, decimals: int | None = None) -> Axes:
    """Format an axis holding decimal shares as percentages (``25 %``); returns ``ax``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> percent_axis(ax).yaxis.get_major_formatter().format_ticks([0, 0.25, 0.5])
    ['0 %', '25 %', '50 %']
    """
    for a in _axes_of(ax, axis):
        a.set_major_formatter(PercentFormatter(decimals=decimals))
    return ax


def number_axis(ax: Axes, axis: str = "y", *, decimals: int | None = None) -> Axes:
    """Format an axis of counts with thousands separators (``12,000``); returns ``ax``."""
    for a in _axes_of(ax, axis):
        a.set_major_formatter(NumberFormatter(decimals=decimals))
    return ax
