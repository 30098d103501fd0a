"""Tick formatters for chart axes, on the conventions of :mod:`cio_analytics.reporting.formatting`.

The text functions (:func:`format_money`, :func:`format_percent`, :func:`format_number`) are
those of the one formatting module, re-exported here and from :mod:`cio_analytics.reporting.charts`
so that ``from cio_analytics.reporting.charts import format_money`` keeps working.

The axis helpers :func:`currency_axis`, :func:`percent_axis` and :func:`number_axis` install
tick formatters that pick ONE scale for all ticks of an axis (``EUR 0.5M, EUR 1.0M, ...``, not
``EUR 500k, EUR 1.0M``) and as few decimals as tell the ticks apart.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import Formatter

from ...exceptions import ParameterError
from ..formatting import (
    format_money,
    format_number,
    format_percent,
    money_text,
    n_tiers,
    percent_text,
    scale,
    tier,
)

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
        i = tier(top)
        while True:  # a narrow range at a large scale: next smaller suffix, fewer decimals
            self._scale, self._suffix = scale(i)
            if self.decimals is not None:
                self._d = int(self.decimals)
                break
            self._d = _tick_decimals(values / self._scale, max_decimals=9)
            if self._d <= 2 or i >= n_tiers():
                break
            i += 1

    def __call__(self, x: float, pos: int | None = None) -> str:
        if not np.isfinite(x):
            return ""
        if self._log():  # decades span several suffixes: each tick its own (10k, 100k, 1M)
            return money_text(x, self.currency, 1, True, trim=True)
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
        return percent_text(x, self._d) if np.isfinite(x) else ""


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
