"""Charts of investment cases: cumulative cash flow with payback, waterfall (TCO, budget bridge)."""

from __future__ import annotations

import math
import textwrap
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ...exceptions import ParameterError
from ..formatting import format_percent
from ._common import chart, finish, money, new_figure
from .formatting import currency_axis
from .theme import COLORS

__all__ = ["cumulative_cash_flow", "tco_steps", "tco_waterfall", "waterfall"]

_KIND_LABELS = {
    "capex": "Capital expenditure",
    "opex_one_off": "One-off operating cost",
    "opex_recurring": "Recurring operating cost",
    "licence": "Licences and subscriptions",
    "staff": "Staff",
}


def _case_result(result: Any, what: str) -> Any:
    if type(result).__name__ != "CaseResult":
        hint = (
            " For a simulated case, chart `result.case.evaluate()`."
            if type(result).__name__ == "UncertainCaseResult"
            else ""
        )
        raise ParameterError(
            f"`{what}` needs a CaseResult (InvestmentCase.evaluate()). "
            f"Got {type(result).__name__}.{hint}"
        )
    return result


@chart
def cumulative_cash_flow(
    case_result: Any,
    *,
    discounted: bool = True,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Net cash flow per period (bars), cumulative cash flow (line) and the payback point.

    Parameters
    ----------
    case_result : CaseResult
        From :meth:`InvestmentCase.evaluate`.
    discounted : bool, default True
        Also draw the cumulative discounted cash flow (dashed); its zero crossing is the
        discounted payback.
    title : str, optional
        Replaces the generated title ("<case>: pays back after 3.0 years").
    figsize : (float, float), optional
        Inches. ``font_scale=`` (keyword) scales every font.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    The payback marker sits at ``case_result.payback_years`` on the zero line: where the
    cumulative line (straight between period ends) crosses zero.

    Examples
    --------
    >>> from cio_analytics.valuation import InvestmentCase, LineItem
    >>> case = InvestmentCase(name="Demo", line_items=[LineItem("Build", "capex", 1000),
    ...     LineItem("Gain", "benefit", 400, start=1)], horizon_years=4, discount_rate=0.08)
    >>> fig = cumulative_cash_flow(case.evaluate())
    >>> fig.get_suptitle()
    'Demo: pays back after 2.5 years'
    """
    r = _case_result(case_result, "cumulative_cash_flow")
    case, cf, cur = r.case, r.cash_flows, r.currency
    years = cf["year"].to_numpy(float)
    net = cf["net"].to_numpy(float)
    cum = cf["cumulative"].to_numpy(float)
    width = 0.6 / max(int(getattr(case, "periods_per_year", 1)), 1)
    fig, ax = new_figure(figsize)
    ax.bar(
        years,
        net,
        width=width,
        color=np.where(net >= 0, COLORS["gain"], COLORS["loss"]),
        alpha=0.55,
        zorder=2,
    )
    ax.plot(years, cum, marker="o", color=COLORS["primary"], lw=2.6, zorder=4)
    handles = [
        Patch(color=COLORS["gain"], alpha=0.55, label="Net cash flow in, per year"),
        Patch(color=COLORS["loss"], alpha=0.55, label="Net cash flow out, per year"),
        Line2D([], [], color=COLORS["primary"], marker="o", lw=2.6, label="Cumulative cash flow"),
    ]
    if discounted:
        ax.plot(
            years,
            cf["cumulative_discounted"].to_numpy(float),
            ls="--",
            color=COLORS["accent"],
            lw=2.0,
            zorder=3,
        )
        handles.append(
            Line2D(
                [],
                [],
                color=COLORS["accent"],
                ls="--",
                lw=2.0,
                label=f"Cumulative, discounted at {format_percent(case.discount_rate)}",
            )
        )
    ax.axhline(0, color=COLORS["reference"], lw=1.0, zorder=3)
    pb = r.payback_years
    if math.isfinite(pb):
        ax.plot([pb], [0], marker="D", ms=11, color=COLORS["text"], mec="white", mew=1.5, zorder=6)
        ax.annotate(
            f"Payback after {pb:.1f} years",
            xy=(pb, 0),
            xytext=(18, -42),
            textcoords="offset points",
            ha="left",
            fontweight="bold",
            arrowprops={"arrowstyle": "-", "color": COLORS["text"], "lw": 1.0},
            bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "none", "alpha": 0.9},
            zorder=7,
        )
        headline = f"pays back after {pb:.1f} years"
    else:
        ax.annotate(
            f"No payback within {case.horizon_years} years",
            xy=(0.5, 0.95),
            xycoords="axes fraction",
            ha="center",
            va="top",
            color=COLORS["loss"],
            fontweight="bold",
            bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "none", "alpha": 0.9},
            zorder=7,
        )
        headline = f"does not pay back within {case.horizon_years} years"
    if case.periods_per_year == 1:
        ax.set_xticks(years, [f"{y:.0f}" for y in years])
    currency_axis(ax, cur)
    # The legend sits under the axes so that no annotation (the payback label, the "no
    # payback" note at the top of the plot) can fall on it.
    fig.legend(handles=handles, loc="outside lower center", ncols=2)
    low, high = min(cum.min(), net.min(), 0.0), max(cum.max(), net.max(), 0.0)
    ax.set_ylim(low - 0.08 * (high - low), high + 0.18 * (high - low))
    irr_text = format_percent(r.irr) if math.isfinite(r.irr) else f"n/a ({r.irr_status})"
    dpb = r.discounted_payback_years
    alt = (
        f"Bar and line chart of {case.name} over {case.horizon_years} years ({cur}): net cash flow "
        f"per year as bars, cumulative cash flow as a line. The cumulative cash flow starts at "
        f"{money(cum[0], cur)}, is lowest at {money(cum.min(), cur)} and ends at "
        f"{money(cum[-1], cur)}; the case {headline}"
        + (f" ({dpb:.1f} years discounted)" if math.isfinite(dpb) else "")
        + f". NPV {money(r.npv, cur)}, IRR {irr_text}."
    )
    return finish(
        fig,
        ax,
        title=title or f"{case.name}: {headline}",
        subtitle=f"NPV {money(r.npv, cur)} at {format_percent(case.discount_rate)}, "
        f"IRR {irr_text}"
        + (f", discounted payback {dpb:.1f} years" if math.isfinite(dpb) else "")
        + f", total cost of ownership {money(r.tco, cur)}",
        xlabel="Year (0 = today)",
        ylabel=f"Cash flow ({cur})",
        alt=alt,
    )


def _steps_frame(steps: Any, total_label: str | None) -> pd.DataFrame:
    if isinstance(steps, pd.Series):
        frame = pd.DataFrame(
            {"step": steps.index.astype(str), "value": steps.to_numpy(float), "measure": "relative"}
        )
    elif isinstance(steps, pd.DataFrame):
        cols = set(steps.columns)
        name_col = "step" if "step" in cols else "name" if "name" in cols else None
        if name_col is None or "value" not in cols:
            raise ParameterError(
                "A waterfall DataFrame needs columns `step` (or `name`) and `value`, optionally "
                f"`measure` ('relative', 'absolute', 'total'). Got columns {list(steps.columns)}."
            )
        frame = pd.DataFrame(
            {
                "step": steps[name_col].astype(str).to_numpy(),
                "value": pd.to_numeric(steps["value"], errors="coerce").to_numpy(float),
                "measure": steps["measure"].to_numpy() if "measure" in cols else "relative",
            }
        )
    else:
        raise ParameterError(
            f"`steps` must be a pandas Series (name -> change) or DataFrame. Got {type(steps).__name__}."
        )
    bad = ~frame["measure"].isin(["relative", "absolute", "total"])
    if bad.any():
        raise ParameterError(
            f"`measure` must be 'relative', 'absolute' or 'total'. Got {frame['measure'][bad].iloc[0]!r} "
            f"at step {frame['step'][bad].iloc[0]!r}."
        )
    nan = frame["value"].isna() & (frame["measure"] != "total")
    if nan.any():
        raise ParameterError(f"Step {frame['step'][nan].iloc[0]!r} has no numeric value.")
    if len(frame) == 0:
        raise ParameterError("`steps` is empty: give at least one step.")
    if total_label and frame["measure"].iloc[-1] != "total":
        frame = pd.concat(
            [frame, pd.DataFrame({"step": [total_label], "value": [np.nan], "measure": ["total"]})],
            ignore_index=True,
        )
    return frame


@chart
def waterfall(
    steps: Any,
    *,
    title: str,
    currency: str | None,
    total_label: str | None = "Total",
    increase_is_good: bool | None = None,
    subtitle: str | None = None,
    xlabel: str = "",
    ylabel: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Waterfall (bridge): named steps adding up to a total, e.g. a TCO or a budget bridge.

    Parameters
    ----------
    steps : Series or DataFrame
        A Series maps step name -> signed change. A DataFrame has ``step`` (or ``name``),
        ``value`` and optionally ``measure`` as in Plotly's waterfall: ``"relative"`` adds the
        value, ``"absolute"`` sets the running total to it (a bar from zero: a starting budget),
        ``"total"`` shows the running total (its value is ignored).
    title : str
        Chart title.
    currency : str or None
        ISO code of the amounts.
    total_label : str or None, default "Total"
        Appends a total bar with this label unless the last step already is a total.
    increase_is_good : bool, optional
        Colours: None (default) blue up / orange down; True green up / red down (benefits);
        False red up / green down (costs).

    Notes
    -----
    Running total ``T_k = T_{k-1} + v_k`` (relative), ``T_k = v_k`` (absolute); a relative bar
    spans ``[T_{k-1}, T_k]``, absolute and total bars span ``[0, T_k]``.

    Examples
    --------
    >>> import pandas as pd
    >>> fig = waterfall(pd.Series({"Licences": 300.0, "Staff": 500.0}), title="TCO", currency="EUR")
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['Licences', 'Staff', 'Total']
    """
    frame = _steps_frame(steps, total_label)
    measure, value = frame["measure"].to_numpy(), frame["value"].to_numpy(float)
    running = np.empty(len(frame))
    bottom, top = np.empty(len(frame)), np.empty(len(frame))
    level = 0.0
    for i, (m, v) in enumerate(zip(measure, value, strict=True)):  # a loop over named steps
        if m == "relative":
            bottom[i], level = level, level + v
        elif m == "absolute":
            bottom[i], level = 0.0, v
        else:
            bottom[i] = 0.0
        running[i] = top[i] = level
    up, down = (
        (COLORS["primary"], COLORS["secondary"])
        if increase_is_good is None
        else (COLORS["gain"], COLORS["loss"])
        if increase_is_good
        else (COLORS["loss"], COLORS["gain"])
    )
    colours = [
        COLORS["reference"] if m != "relative" else (up if v >= 0 else down)
        for m, v in zip(measure, value, strict=True)
    ]
    n = len(frame)
    fig, ax = new_figure(figsize or (max(10.0, min(16.0, 2.0 + 1.5 * n)), 5.625))
    x = np.arange(n)
    ax.bar(x, top - bottom, bottom=bottom, color=colours, width=0.62, zorder=2)
    for i in range(n - 1):
        ax.plot(
            [x[i] + 0.31, x[i + 1] - 0.31],
            [running[i], running[i]],
            color="#999999",
            lw=0.9,
            ls=(0, (2, 2)),
            zorder=1,
        )
    span = max(float(np.max(np.abs(np.r_[top, bottom]))), 1e-12)
    for i in range(n):
        rel = measure[i] == "relative"
        text = money(value[i] if rel else running[i], currency, signed=rel)
        y = max(top[i], bottom[i])
        ax.annotate(
            text,
            xy=(x[i], y),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize="small",
            fontweight="normal" if rel else "bold",
        )
    ax.set_xticks(x, [textwrap.fill(s, 13) for s in frame["step"]])
    ax.axhline(0, color=COLORS["reference"], lw=0.9)
    lo, hi = min(0.0, float(np.min(np.r_[top, bottom]))), float(np.max(np.r_[top, bottom]))
    ax.set_ylim(lo - 0.04 * span if lo < 0 else 0, hi + 0.12 * span)
    currency_axis(ax, currency)
    parts = "; ".join(
        f"{s}: {money(v, currency, signed=True) if m == 'relative' else money(t, currency)}"
        for s, v, m, t in zip(frame["step"], value, measure, running, strict=True)
    )
    alt = f"Waterfall chart, {title} ({currency or 'amount'}), {n} bars. {parts}."
    return finish(
        fig,
        ax,
        title=title,
        subtitle=subtitle,
        xlabel=xlabel,
        ylabel=ylabel or (f"Amount ({currency})" if currency else "Amount"),
        alt=alt,
    )


def tco_steps(case_result: Any, *, discounted: bool = False) -> pd.Series:
    """Total cost of ownership by cost kind (positive amounts), summing to ``tco``.

    Examples
    --------
    >>> from cio_analytics.valuation import InvestmentCase, LineItem
    >>> case = InvestmentCase(name="Demo", line_items=[LineItem("Build", "capex", 1000),
    ...     LineItem("Run", "opex_recurring", 100, start=1)], horizon_years=3, discount_rate=0.0)
    >>> tco_steps(case.evaluate()).to_dict()
    {'Capital expenditure': 1000.0, 'Recurring operating cost': 300.0}
    """
    r = _case_result(case_result, "tco_steps")
    cf = r.cash_flows
    weight = cf["discount_factor"].to_numpy(float) if discounted else 1.0
    out = {
        label: float(-(cf[kind].to_numpy(float) * weight).sum())
        for kind, label in _KIND_LABELS.items()
        if kind in cf.columns
    }
    return pd.Series({k: v for k, v in out.items() if abs(v) > 0}, dtype=float)


def tco_waterfall(
    case_result: Any,
    *,
    discounted: bool = False,
    title: str | None = None,
    font_scale: float = 1.0,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Waterfall of a case's total cost of ownership by cost kind (see :func:`tco_steps`).

    The total bar equals ``case_result.tco`` (``discounted_tco`` with ``discounted=True``).

    Examples
    --------
    >>> from cio_analytics.valuation import InvestmentCase, LineItem
    >>> case = InvestmentCase(name="Demo", line_items=[LineItem("Build", "capex", 1000)],
    ...     horizon_years=3, discount_rate=0.05)
    >>> tco_waterfall(case.evaluate()).axes[0].get_ylabel()
    'Cost over 3 years (EUR)'
    """
    r = _case_result(case_result, "tco_waterfall")
    case, cur = r.case, r.currency
    total = r.discounted_tco if discounted else r.tco
    label = "Discounted TCO" if discounted else "Total cost of ownership"
    return waterfall(
        tco_steps(r, discounted=discounted),
        title=title or f"{case.name}: {label.lower()} {money(total, cur)}",
        subtitle=f"Cost by kind over {case.horizon_years} years"
        + (
            f", discounted at {format_percent(case.discount_rate)}"
            if discounted
            else ", undiscounted"
        ),
        currency=cur,
        total_label=label,
        xlabel="Cost kind",
        ylabel=f"Cost over {case.horizon_years} years ({cur})",
        font_scale=font_scale,
        figsize=figsize,
    )
