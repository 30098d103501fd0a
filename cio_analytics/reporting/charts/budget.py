"""Budget landing fan: cumulative spend against budget, actuals then the forecast's P10-P90."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure

from ...exceptions import ParameterError
from ._common import chart, finish, money, new_figure
from .formatting import currency_axis, format_percent
from .theme import COLORS

__all__ = ["landing_fan"]

_COLUMNS = ("month", "cum_budget", "cum_actual", "cum_p10", "cum_p50", "cum_p90")


@chart
def landing_fan(
    forecast: Any,
    adjustment: Any = None,
    *,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Where the year lands: cumulative spend minus cumulative budget, actuals to date, then
    the forecast's median and P10-P90 fan to the year end.

    Parameters
    ----------
    forecast : LandingForecast
        ``landing_forecast``: ``monthly`` (``month``, ``cum_budget``, ``cum_actual``,
        ``cum_p10``, ``cum_p50``, ``cum_p90``, currency), ``n_months_reported``,
        ``landing_p10/p50/p90``, ``budget_total``, ``probability_of_overrun``, ``currency``.
    adjustment : BudgetAdjustment, optional
        ``recommend_adjustment``: when it recommends a cut, the median landing after it is
        marked at the year end.
    title : str, optional
        Replaces the generated headline ("Landing EUR 0.4M over budget, 62 % chance of
        overrun").
    figsize : (float, float), optional
        Inches; default 10 x 5.6. ``font_scale=`` (keyword) scales every font.

    Returns
    -------
    matplotlib.figure.Figure
        Zero is on budget; above it is overspend. The legend sits under the plot.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> m = pd.DataFrame({"month": pd.date_range("2026-01-01", periods=4, freq="MS"),
    ...     "cum_budget": [100.0, 200, 300, 400], "cum_actual": [110.0, 215, None, None],
    ...     "cum_p10": [110.0, 215, 300, 390], "cum_p50": [110.0, 215, 320, 425],
    ...     "cum_p90": [110.0, 215, 340, 460]})
    >>> fc = NS(monthly=m, n_months_reported=2, landing_p10=390.0, landing_p50=425.0,
    ...         landing_p90=460.0, budget_total=400.0, probability_of_overrun=0.8, currency="EUR")
    >>> landing_fan(fc).get_suptitle()
    'Landing EUR 25 over budget (median), 80 % chance of overrun'
    """
    monthly = getattr(forecast, "monthly", None)
    if not isinstance(monthly, pd.DataFrame):
        raise ParameterError(
            "`forecast` must be a LandingForecast (landing_forecast) with a `monthly` table. "
            f"Got {type(forecast).__name__}."
        )
    missing = sorted(set(_COLUMNS) - set(monthly.columns))
    if missing:
        raise ParameterError(f"`forecast.monthly` lacks columns {missing}.")
    cur = forecast.currency
    m = monthly.reset_index(drop=True)
    months = pd.to_datetime(m["month"])
    gap = m[["cum_actual", "cum_p10", "cum_p50", "cum_p90"]].sub(m["cum_budget"], axis=0)
    done = int(forecast.n_months_reported)
    fan = np.arange(len(m)) >= max(done - 1, 0)
    fig, ax = new_figure(figsize)
    ax.axhline(0, color=COLORS["reference"], lw=1.2, ls="--", label="On budget", zorder=1)
    ax.fill_between(months[fan], gap["cum_p10"][fan], gap["cum_p90"][fan],
                    color=COLORS["secondary"], alpha=0.3, label="Forecast P10 to P90")  # fmt: skip
    ax.plot(months[fan], gap["cum_p50"][fan], color=COLORS["secondary"], lw=2.2,
            label="Forecast median")  # fmt: skip
    actual = np.arange(len(m)) < done
    ax.plot(months[actual], gap["cum_actual"][actual], color=COLORS["primary"], lw=2.6,
            marker="o", ms=5, label="Actual to date", zorder=3)  # fmt: skip
    cut = 0.0 if adjustment is None else float(adjustment.reduction_recommended)
    if cut > 0:
        ax.scatter([months.iloc[-1]], [adjustment.landing_p50_after - forecast.budget_total],
                   color=COLORS["gain"], s=70, zorder=4,
                   label=f"Median after cutting {money(cut, cur)}")  # fmt: skip
    delta = float(forecast.landing_p50 - forecast.budget_total)
    side = "over" if delta > 0 else "under"
    headline = title or (
        f"Landing {money(abs(delta), cur)} {side} budget (median), "
        f"{format_percent(forecast.probability_of_overrun)} chance of overrun"
    )
    fig.legend(loc="outside lower center", ncols=3 if cut > 0 else 4)
    ax.xaxis.set_major_formatter(DateFormatter("%b"))
    currency_axis(ax, cur, "y")
    end = f"{months.iloc[-1]:%B}"
    return finish(
        fig, ax, title=headline, xlabel="Month",
        ylabel=f"Cumulative spend minus budget ({cur})" if cur else "Cumulative spend minus budget",
        subtitle=f"Full-year budget {money(forecast.budget_total, cur)}; above zero is overspend",
        alt=(
            f"Cumulative IT spend minus cumulative budget by month: actuals for {done} months, "
            f"then a forecast fan to {end} ending between "
            f"{money(forecast.landing_p10 - forecast.budget_total, cur)} and "
            f"{money(forecast.landing_p90 - forecast.budget_total, cur)} against a budget of "
            f"{money(forecast.budget_total, cur)}."
        ),
    )  # fmt: skip
