"""Value against downside: the efficient portfolios of a selection problem."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from ...exceptions import ParameterError
from ._common import chart, finish, money, new_figure
from .formatting import currency_axis, format_percent
from .theme import COLORS

__all__ = ["value_risk_frontier"]


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
        Right is safer, up is more value. The y axis starts at zero when every value is
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
