"""The one formatting module: every number on a report page goes through these functions.

One set of defaults for text, tables, summaries, decisions and charts (``docs/charts.md``):

* Money: ISO currency code, a space, the amount; the minus sign before the code
  (``-EUR 2.5k``). Two explicit styles:

  - ``style="compact"`` (the default; prose, key-number tiles, chart labels): suffixes ``k``
    (thousand), ``M`` (million), ``bn`` (billion), ``tn`` (trillion), one decimal, trailing
    zeros dropped: ``EUR 1.2M``, ``EUR 500k``; amounts below one thousand in whole units.
  - ``style="full"`` (table cells): the whole amount with thousands separators,
    ``EUR 1,234,567``.

* Percent: the value is a decimal share (0.845) and prints with a space before the sign
  (``84.5 %``). By default with the decimals that matter: one decimal, a trailing ``.0``
  dropped (``8 %``, ``8.5 %``), and more decimals only where one would round a non-zero share
  to 0 % or a share below 100 % to 100 % (``99.99 %`` availability, ``0.05 %`` odds).
* Counts and quantities: thousands separators, an optional unit (``12.5 FTE``).
* Years plain: ``2026`` (no thousands separator).
* Missing values (``None``, NaN, ``pd.NA``, ``NaT``) and infinities print as ``n/a``: never
  ``nan``, ``inf`` or a repr on a page.

Display only: nothing here changes a computed number. The tick formatters of chart axes
(:mod:`cio_analytics.reporting.charts.formatting`) build on the same helpers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import ParameterError

__all__ = [
    "MISSING",
    "MONEY_STYLES",
    "auto_decimals",
    "format_money",
    "format_number",
    "format_percent",
    "format_year",
    "is_missing",
]

MISSING = "n/a"
MONEY_STYLES = ("compact", "full")

# (threshold, suffix), largest first
_TIERS: tuple[tuple[float, str], ...] = ((1e12, "tn"), (1e9, "bn"), (1e6, "M"), (1e3, "k"))
_MAX_PERCENT_DECIMALS = 4


def is_missing(value: Any) -> bool:
    """True for ``None``, NaN, ``pd.NA`` and ``NaT`` (and infinities: never a figure to show).

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), pd.NA, float("inf"), 0.0, "")]
    [True, True, True, True, False, False]
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)):
        return not math.isfinite(float(value))
    return False


def tier(a: float) -> int:
    """Index into the suffix tiers (``tn``, ``bn``, ``M``, ``k``, none) for ``a >= 0``."""
    for i, (threshold, _) in enumerate(_TIERS):
        if a >= threshold:
            return i
    return len(_TIERS)


def scale(i: int) -> tuple[float, str]:
    """(divisor, suffix) of tier ``i`` (see :func:`tier`)."""
    return _TIERS[i] if i < len(_TIERS) else (1.0, "")


def n_tiers() -> int:
    """The number of suffix tiers (the index of the tier without a suffix)."""
    return len(_TIERS)


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


def _as_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ParameterError(
            f"`value` must be a number (or NaN/None for missing). Got {value!r}."
        ) from None


def money_text(
    value: Any,
    currency: str | None,
    decimals: int,
    compact: bool,
    signed: bool = False,
    trim: bool = False,
    significant: int | None = None,
) -> str:
    """One amount as text (the engine of :func:`format_money`; arguments already checked)."""
    if is_missing(value):
        return MISSING
    v = _as_float(value)
    prefix = f"{currency} " if currency else ""
    if compact:
        a = abs(v)
        i = tier(a)
        while True:
            divisor, suffix = scale(i)
            d = decimals if suffix else 0
            if significant and suffix and a > 0:
                d = max(0, significant - 1 - math.floor(math.log10(a / divisor)))
            mantissa = round(a / divisor, d)
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
    style: str | None = None,
    decimals: int | None = None,
    signed: bool = False,
    trim: bool | None = None,
    significant: int | None = None,
    compact: bool | None = None,
) -> Any:
    """An amount of money for a sentence, a tile, a chart or a table cell.

    Parameters
    ----------
    value : float or array-like
        The amount in currency units (not thousands). Missing values and infinities give
        ``"n/a"``.
    currency : str, optional
        ISO code written before the amount (``"EUR"``); None or "" for the bare amount.
    style : {"compact", "full"}, default "compact"
        ``"compact"`` for prose, key-number tiles and charts (``EUR 1.2M``); ``"full"`` for
        table cells (``EUR 1,234,567``).
    decimals : int, optional
        Decimals of the compact mantissa (default 1: ``EUR 1.2M``) or of the full amount
        (default 0). Compact amounts below one thousand are always whole units.
    signed : bool, default False
        Write ``+`` before positive amounts (changes, bridges, deltas).
    trim : bool, optional
        Drop trailing zeros of a compact mantissa (``EUR 500k``, ``EUR 1M``). Default True,
        unless ``decimals`` is given; False keeps aligned decimals (``EUR 500.0k``).
    significant : int, optional
        Show the compact mantissa with this many significant digits instead of ``decimals``
        (``significant=3``: ``EUR 1.58M``, ``EUR 515k``, ``EUR 97.8k``).
    compact : bool, optional
        Shorthand for the style: True is ``style="compact"``, False is ``style="full"``.

    Returns
    -------
    str, ndarray (object) of str or Series of str
        Same shape as ``value``.

    Notes
    -----
    The suffix is that of the largest power of one thousand not above ``|value|`` after
    rounding: 999,960 with one decimal is ``1M``, not ``1,000k``. A value that rounds to zero
    prints without a sign.

    Examples
    --------
    >>> format_money(1234567, "EUR")
    'EUR 1.2M'
    >>> format_money(1234567, "EUR", style="full")
    'EUR 1,234,567'
    >>> format_money(-2500, "EUR"), format_money(950, "USD"), format_money(500_000, "EUR")
    ('-EUR 2.5k', 'USD 950', 'EUR 500k')
    >>> format_money(3.2e9, "CHF", decimals=2), format_money(500_000, "EUR", trim=False)
    ('CHF 3.20bn', 'EUR 500.0k')
    >>> format_money(12500, "EUR", signed=True)
    '+EUR 12.5k'
    >>> format_money(1_581_000, "EUR", significant=3), format_money(514_630, "EUR", significant=3)
    ('EUR 1.58M', 'EUR 515k')
    >>> format_money(float("nan"), "EUR")
    'n/a'
    >>> list(format_money([1e3, 2.5e6]))
    ['1k', '2.5M']
    """
    if style is None:
        style = "compact" if compact is None or compact else "full"
    elif compact is not None and compact != (style == "compact"):
        raise ParameterError(
            f"`compact={compact!r}` contradicts `style={style!r}`: pass only `style`."
        )
    if style not in MONEY_STYLES:
        raise ParameterError(
            f"`style` must be one of {MONEY_STYLES}. Got {style!r}. Use 'compact' in prose and "
            "tiles (EUR 1.2M), 'full' in tables (EUR 1,234,567)."
        )
    is_compact = style == "compact"
    d = _check_decimals((1 if is_compact else 0) if decimals is None else decimals)
    if currency is not None and not isinstance(currency, str):
        raise ParameterError(f"`currency` must be an ISO code such as 'EUR'. Got {currency!r}.")
    return _elementwise(
        money_text,
        value,
        currency=currency or None,
        decimals=d,
        compact=is_compact,
        signed=signed,
        trim=decimals is None if trim is None else bool(trim),
        significant=significant,
    )


def percent_decimals(pct: float, start: int = 1) -> int:
    """The decimals that matter for a percentage ``pct`` (84.5, not 0.845): ``start``, more
    only while rounding would show a non-zero share as 0 or a share below 100 as 100."""
    d = start
    while d < _MAX_PERCENT_DECIMALS:
        r = abs(round(pct, d))
        if (r == 0 and pct != 0) or (r == 100 and abs(pct) != 100):
            d += 1
            continue
        break
    return d


def percent_text(value: Any, decimals: int | None, signed: bool = False) -> str:
    """One share as a percentage (the engine of :func:`format_percent`)."""
    if is_missing(value):
        return MISSING
    v = _as_float(value) * 100.0
    d = percent_decimals(v) if decimals is None else decimals
    r = round(v, d)
    digits = f"{abs(r):,.{d}f}"
    if decimals is None and "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    sign = "-" if r < 0 else ("+" if signed and r > 0 else "")
    return f"{sign}{digits} %"


def format_percent(value: Any, decimals: int | None = None, *, signed: bool = False) -> Any:
    """A decimal share as a percentage: ``0.0845`` -> ``8.5 %``.

    Parameters
    ----------
    value : float or array-like
        A decimal (0.845 for 84.5 %). Missing values and infinities give ``"n/a"``.
    decimals : int, optional
        Fixed decimals of the percentage. Default: the decimals that matter (one, a trailing
        ``.0`` dropped; more where one decimal would show a non-zero share as 0 % or a share
        below 100 % as 100 %, up to four).
    signed : bool, default False
        Write ``+`` before positive values (changes in percentage points of a rate).

    Examples
    --------
    >>> format_percent(0.0845), format_percent(0.08), format_percent(0.845)
    ('8.5 %', '8 %', '84.5 %')
    >>> format_percent(0.9999), format_percent(0.0004)
    ('99.99 %', '0.04 %')
    >>> format_percent(0.08, 1), format_percent(-0.0123, decimals=2)
    ('8.0 %', '-1.23 %')
    >>> format_percent(0.05, signed=True), format_percent(None)
    ('+5 %', 'n/a')
    """
    d = None if decimals is None else _check_decimals(decimals)
    return _elementwise(percent_text, value, decimals=d, signed=signed)


def _number_text(value: Any, decimals: int, unit: str | None, compact: bool) -> str:
    if is_missing(value):
        return MISSING
    text = money_text(value, None, decimals, compact, trim=compact)
    return f"{text} {unit}" if unit else text


def format_number(
    value: Any, *, decimals: int | None = None, unit: str | None = None, compact: bool = False
) -> Any:
    """A count or quantity with thousands separators and an optional unit: ``12.5 FTE``.

    ``decimals`` defaults to 0 (1 for the compact mantissa, as :func:`format_money`).

    Examples
    --------
    >>> format_number(12345), format_number(-0.2)
    ('12,345', '0')
    >>> format_number(12.46, decimals=1, unit="FTE")
    '12.5 FTE'
    >>> format_number(2_500_000, compact=True, unit="calls")
    '2.5M calls'
    """
    d = _check_decimals((1 if compact else 0) if decimals is None else decimals)
    return _elementwise(_number_text, value, decimals=d, unit=unit, compact=compact)


def auto_decimals(values: Iterable[Any]) -> int:
    """Decimals that suit a column of figures: none for whole numbers and for typical values
    from one thousand up, then 1, 2 or 3 as the typical (median absolute) value gets smaller.

    Examples
    --------
    >>> auto_decimals([1200, 3400.5]), auto_decimals([12.25]), auto_decimals([0.5]), auto_decimals([3])
    (0, 1, 2, 0)
    """
    finite = [abs(float(v)) for v in values if not is_missing(v)]
    if not finite:
        return 0
    if all(float(v).is_integer() for v in finite):
        return 0
    typical = float(np.median(finite))
    return 0 if typical >= 1000 else 1 if typical >= 10 else 2 if typical >= 0.1 else 3


def _year_text(value: Any) -> str:
    if is_missing(value):
        return MISSING
    v = _as_float(value)
    return str(int(v)) if v.is_integer() else f"{v:g}"


def format_year(value: Any) -> Any:
    """A calendar year, plain: ``2026`` (never ``2,026`` or ``2026.0``).

    Examples
    --------
    >>> format_year(2026.0), format_year(np.int64(2027)), format_year(None)
    ('2026', '2027', 'n/a')
    """
    return _elementwise(_year_text, value)
