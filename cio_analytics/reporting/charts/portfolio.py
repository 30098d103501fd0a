"""Value against downside: the efficient portfolios of a selection problem."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ...exceptions import ParameterError
from ._common import chart, finish, money, new_figure
from .formatting import currency_axis, format_percent, percent_axis
from .theme import COLORS

__all__ = ["portfolio_outcomes", "value_risk_frontier"]


@chart
def value_risk_frontier(
    frontier: Any,
    selection: Any = None,
    *,
    currency: str | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Expected portfolio NPV against its downside, one point per efficient portfolio.

    Parameters
    ----------
    frontier : FrontierResult or DataFrame
        ``efficient_frontier``: ``points`` with ``downside`` (the mean NPV of the worst
        ``level`` share of scenarios, currency) and ``expected_value`` (currency), optionally
        ``n_selected``; or that table itself.
    selection : PortfolioSelection, optional
        The recommended portfolio, marked with its expected value; its downside is read from
        the frontier point with the highest expected value when the frontier was traced from it.
    currency : str, optional
        Default the frontier's portfolio currency.
    title : str, optional
        Replaces the generated headline, which states the price of safety (the expected NPV
        given up for the safest portfolio shown).
    figsize : (float, float), optional
        Inches; default 10 x 5.6. ``font_scale=`` (keyword) scales every font.

    Returns
    -------
    matplotlib.figure.Figure
        Right is safer, up is more value. Each axis starts at zero when every value on it is
        positive, so small differences are not exaggerated.

    Examples
    --------
    >>> import pandas as pd
    >>> pts = pd.DataFrame({"downside": [1.0e6, 1.6e6, 2.0e6],
    ...                     "expected_value": [5.0e6, 4.8e6, 4.1e6]})
    >>> fig = value_risk_frontier(pts, currency="EUR")
    >>> fig.get_suptitle()
    'A safer portfolio costs up to EUR 900k of expected NPV'
    """
    if isinstance(frontier, pd.DataFrame):
        points, level, n_scen = frontier, None, None
    else:
        points = getattr(frontier, "points", None)
        level = getattr(frontier, "level", None)
        n_scen = getattr(frontier, "n_scenarios", None)
        if currency is None and hasattr(frontier, "portfolio"):
            currency = getattr(frontier.portfolio, "currency", None)
    if not isinstance(points, pd.DataFrame) or not {"downside", "expected_value"} <= set(
        points.columns
    ):
        raise ParameterError(
            "`frontier` must be a FrontierResult (efficient_frontier) or a DataFrame with "
            f"columns downside and expected_value. Got {type(frontier).__name__}."
        )
    pts = points.dropna(subset=["downside", "expected_value"]).sort_values("downside")
    if pts.empty:
        raise ParameterError("`frontier` has no point with a finite value to plot.")
    x, y = pts["downside"].to_numpy(float), pts["expected_value"].to_numpy(float)
    fig, ax = new_figure(figsize)
    ax.plot(x, y, marker="o", ms=8, lw=2.2, color=COLORS["primary"], label="Efficient portfolios")
    top = int(y.argmax())
    if selection is not None:
        n = getattr(selection, "n_selected", None)
        ax.scatter(
            [x[top]],
            [y[top]],
            s=180,
            color=COLORS["secondary"],
            zorder=4,
            label=f"Recommended{f' ({n} projects)' if n else ''}: most expected value",
        )
    price = float(y.max() - y[-1])
    headline = title or (
        f"A safer portfolio costs up to {money(price, currency)} of expected NPV"
        if price > 0
        else "The recommended portfolio is also the safest one shown"
    )
    if float(y.min()) > 0:
        ax.set_ylim(0, float(y.max()) * 1.12)
    if float(x.min()) > 0:  # a short x span would make a small gain in safety look large
        ax.set_xlim(0, float(x.max()) * 1.12)
    fig.legend(loc="outside lower center", ncols=2)
    currency_axis(ax, currency, "both")
    worst = f"the worst {format_percent(level, decimals=0)}" if level else "the worst outcomes"
    basis = f"{n_scen:,} correlated scenarios" if n_scen else "the scenarios"
    return finish(
        fig, ax, title=headline,
        subtitle=f"Downside = mean NPV of {worst} of {basis}; right is safer",
        xlabel=f"Downside: mean NPV of {worst}" + (f" ({currency})" if currency else ""),
        ylabel="Expected portfolio NPV" + (f" ({currency})" if currency else ""),
        alt=(
            f"Efficient frontier of {len(pts)} portfolios: expected NPV from "
            f"{money(y.min(), currency)} to {money(y.max(), currency)} against a downside from "
            f"{money(x.min(), currency)} to {money(x.max(), currency)}."
        ),
    )  # fmt: skip


@chart
def portfolio_outcomes(
    risk: Any,
    *,
    n_selected: int | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Histogram of the simulated portfolio NPV with its P10, P50 and P90 (the key numbers').

    Parameters
    ----------
    risk : PortfolioRisk
        ``simulate_portfolio`` of the recommended selection: ``values`` (the NPV of every
        trial, currency), ``npv_p10``, ``npv_p50``, ``npv_p90``, ``probability_negative``,
        ``n_trials`` and ``portfolio.currency``. The chart draws these trials, so it shows the
        same figures as the key numbers computed from them.
    n_selected : int, optional
        The number of projects funded, named in the headline.
    title : str, optional
        Replaces the generated headline ("33 funded projects: 99.9 % chance of a positive
        NPV, P10 to P90 EUR 17.6M to EUR 42.4M").
    figsize : (float, float), optional
        Inches; default 10 x 5.6. ``font_scale=`` (keyword) scales every font.

    Returns
    -------
    matplotlib.figure.Figure
        Bars: share of trials; the percentiles are dashed lines named in the legend (no label
        on the plot, so nothing overlaps); zero is marked when it is in range.

    Examples
    --------
    >>> import numpy as np
    >>> from types import SimpleNamespace as NS
    >>> v = np.random.default_rng(2).normal(3.0e6, 1.0e6, 5000)
    >>> q = np.quantile(v, [0.1, 0.5, 0.9])
    >>> risk = NS(values=v, npv_p10=q[0], npv_p50=q[1], npv_p90=q[2], n_trials=v.size,
    ...           probability_negative=float((v < 0).mean()), portfolio=NS(currency="EUR"))
    >>> " ".join(portfolio_outcomes(risk, n_selected=4).get_suptitle().split())
    '4 funded projects: 99.9 % chance of a positive NPV, P10 to P90 EUR 1.69M to EUR 4.27M'
    """
    values = np.asarray(getattr(risk, "values", None), dtype=float).ravel()
    values = values[np.isfinite(values)]
    if values.size == 0:
        raise ParameterError("`risk` has no finite simulated NPV to plot (PortfolioRisk.values).")
    currency = getattr(getattr(risk, "portfolio", None), "currency", None)
    fig, ax = new_figure(figsize)
    weights = np.full(values.size, 1.0 / values.size)
    ax.hist(values, bins=40, weights=weights, color=COLORS["light"], edgecolor="white", zorder=2)
    for q, name, style in ((risk.npv_p10, "P10", ":"), (risk.npv_p50, "P50 (median)", "--"),
                           (risk.npv_p90, "P90", ":")):  # fmt: skip
        ax.axvline(q, color=COLORS["primary"], lw=2, ls=style, zorder=3,
                   label=f"{name}: {money(q, currency)}")  # fmt: skip
    lo, hi = ax.get_xlim()
    if lo < 0 < hi:
        ax.axvline(
            0, color=COLORS["loss"], lw=1.5, zorder=3, label="Zero: the portfolio loses money"
        )
    percent_axis(ax, "y")
    currency_axis(ax, currency, "x")
    fig.legend(loc="outside lower center", ncols=2)
    p_pos = 1 - float(risk.probability_negative)
    who = f"{n_selected} funded projects" if n_selected else "The funded portfolio"
    headline = title or (
        f"{who}: {format_percent(p_pos, decimals=1)} chance of a positive NPV, P10 to P90 "
        f"{money(risk.npv_p10, currency)} to {money(risk.npv_p90, currency)}"
    )
    return finish(
        fig, ax, title=headline,
        subtitle=f"Portfolio NPV over {values.size:,} simulated outcomes (the key numbers' trials)",
        xlabel="Portfolio NPV" + (f" ({currency})" if currency else ""),
        ylabel="Share of simulated outcomes",
        alt=(
            f"Histogram of the portfolio NPV over {values.size:,} simulated outcomes: P10 "
            f"{money(risk.npv_p10, currency)}, median {money(risk.npv_p50, currency)}, P90 "
            f"{money(risk.npv_p90, currency)}."
        ),
    )  # fmt: skip
