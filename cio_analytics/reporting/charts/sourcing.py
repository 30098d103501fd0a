"""Cost of each sourcing option: the mean present value with its P10-P90 range."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ...exceptions import ParameterError
from ._common import chart, finish, money, new_figure
from .formatting import currency_axis
from .theme import COLORS

__all__ = ["option_costs"]


@chart
def option_costs(
    costs: pd.DataFrame,
    *,
    currency: str | None = None,
    highlight: str | None = None,
    muted: str | None = None,
    horizon_years: int | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Horizontal bars of each option's mean present value of cost, whiskers P10 to P90.

    Parameters
    ----------
    costs : DataFrame
        ``offer``, ``pv_mean``, ``pv_p10``, ``pv_p90`` (currency), e.g.
        ``OfferComparison.costs`` or ``InhouseComparison.costs``.
    currency : str, optional
        ISO code of the axis.
    highlight : str, optional
        The option chosen, drawn in the primary colour; default the lowest mean.
    muted : str, optional
        An option drawn in grey (the in-house reference).
    horizon_years : int, optional
        Named in the axis label.
    title : str, optional
        Replaces the generated headline ("Vendor B is cheapest: EUR 4.0M, EUR 0.6M below the
        next option").
    figsize : (float, float), optional
        Inches; default 10 x (2 + 0.7 per option).

    Returns
    -------
    matplotlib.figure.Figure
        The lowest cost on top.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"offer": ["A", "B"], "pv_mean": [4.6e6, 4.0e6],
    ...                   "pv_p10": [4.1e6, 3.6e6], "pv_p90": [5.2e6, 4.5e6]})
    >>> option_costs(c, currency="EUR").get_suptitle()
    'B costs least: EUR 4M, EUR 600k below A'
    """
    need = {"offer", "pv_mean", "pv_p10", "pv_p90"}
    if not isinstance(costs, pd.DataFrame) or not need <= set(costs.columns):
        raise ParameterError(
            f"`costs` must be a DataFrame with columns {sorted(need)} "
            "(OfferComparison.costs). Got "
            f"{list(costs.columns) if isinstance(costs, pd.DataFrame) else type(costs).__name__}."
        )
    if costs.empty:
        raise ParameterError("`costs` has no option to plot.")
    t = costs.sort_values("pv_mean", ascending=False, kind="stable").reset_index(drop=True)
    order = t["offer"].astype(str).tolist()
    best = highlight or order[-1]
    k = len(t)
    fig, ax = new_figure(figsize or (10.0, 2.0 + 0.7 * k))
    y = np.arange(k)
    mean = t["pv_mean"].to_numpy(float)
    colours = [
        COLORS["reference"] if o == muted else COLORS["primary"] if o == best else COLORS["light"]
        for o in order
    ]
    ax.barh(y, mean, color=colours, height=0.6, zorder=2)
    ax.errorbar(mean, y, xerr=[mean - t["pv_p10"].to_numpy(float),
                               t["pv_p90"].to_numpy(float) - mean],
                fmt="none", ecolor=COLORS["text"], capsize=5, lw=1.2, zorder=3)  # fmt: skip
    ax.set_yticks(y, order)
    ax.set_xlim(0, float(t["pv_p90"].max()) * 1.08)
    currency_axis(ax, currency, "x")
    rest = t[t["offer"].astype(str) != best]
    chosen = float(t.loc[t["offer"].astype(str) == best, "pv_mean"].iloc[0])
    if len(rest):
        nxt = rest.sort_values("pv_mean").iloc[0]
        gap = float(nxt["pv_mean"]) - chosen
        rel = "below" if gap >= 0 else "above"
        headline = (
            f"{best} costs least: {money(chosen, currency)}, {money(abs(gap), currency)} {rel} "
            f"{nxt['offer']}"
            if gap >= 0
            else f"{best}: {money(chosen, currency)}, {money(-gap, currency)} {rel} {nxt['offer']}"
        )
    else:
        headline = f"{best}: {money(chosen, currency)}"
    span = f"{horizon_years}-year " if horizon_years else ""
    return finish(
        fig, ax, title=title or headline,
        subtitle="Bars: mean present value; whiskers: P10 to P90 of the volume scenarios",
        xlabel=f"Present value of {span}cost" + (f" ({currency})" if currency else ""),
        ylabel="",
        alt=(
            f"Horizontal bars of the present value of cost of {k} options with P10 to P90 "
            f"whiskers; {best} at {money(chosen, currency)}."
        ),
    )  # fmt: skip
