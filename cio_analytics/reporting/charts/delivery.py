"""Delivery charts: the running projects at P80, a project's finish-date S-curve, its EVM trend."""

from __future__ import annotations

import math
import textwrap
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.dates import DateFormatter, MonthLocator
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ...exceptions import ParameterError
from ..formatting import format_number, format_percent
from ._common import chart, finish, money, new_figure
from .formatting import currency_axis, percent_axis
from .theme import COLORS

__all__ = ["completion_s_curve", "delivery_portfolio", "evm_trend"]


def _day(value: Any) -> str:
    day = pd.Timestamp(value)
    return f"{day.day} {day:%b %Y}"  # 8 Jul 2027, as every report writes a date


def _fit_title(fig: Figure) -> Figure:
    """Re-wrap the bold headline so that it fits the figure width (bold glyphs are wide)."""
    title = " ".join(fig.get_suptitle().split())
    size = float(mpl.rcParams["axes.titlesize"])
    fig._suptitle.set_text(textwrap.fill(title, int(fig.get_figwidth() * 72 / (size * 0.7))))
    return fig


def _days(value: float) -> str:
    return f"{format_number(abs(value), decimals=0)} day{'' if abs(value) == 1 else 's'}"


@chart
def delivery_portfolio(
    table: pd.DataFrame,
    *,
    currency: str | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """The running projects at P80: days late against the committed date, money over budget.

    Parameters
    ----------
    table : DataFrame
        :func:`~cio_analytics.reporting.decisions.delivery_table`: ``name``,
        ``slip_days_p80``, ``overrun_p80`` (currency), ``needs_attention``.
    currency : str, optional
    title : str, optional
        Replaces the generated headline (the worst slip and the worst overrun).
    figsize : (float, float), optional
        Inches; default 10 x (2.6 + 0.8 per project).

    Returns
    -------
    matplotlib.figure.Figure
        Two bar panels sharing the projects: P80 slip in calendar days (left), cost at P80
        minus budget (right); a bar past zero is late or over budget, drawn in the loss colour.

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["A", "B"], "slip_days_p80": [-10.0, 34.0],
    ...                   "overrun_p80": [-2e4, 1.5e5], "needs_attention": [False, True]})
    >>> delivery_portfolio(t, currency="EUR").get_suptitle()
    'B finishes 34 days late and EUR 150k over budget at P80'
    """
    need = {"name", "slip_days_p80", "overrun_p80", "needs_attention"}
    if not isinstance(table, pd.DataFrame) or not need <= set(table.columns) or table.empty:
        raise ParameterError(
            f"`table` must be a non-empty DataFrame with columns {sorted(need)} "
            "(delivery_table). Got "
            f"{list(table.columns) if isinstance(table, pd.DataFrame) else type(table).__name__}."
        )
    t = table.reset_index(drop=True)
    k = len(t)
    names = t["name"].astype(str).tolist()
    slip = t["slip_days_p80"].to_numpy(float)
    over = t["overrun_p80"].to_numpy(float)
    fig, (ax, ax2) = new_figure(figsize or (10.0, 2.6 + 0.8 * k), ncols=2, sharey=True)
    y = np.arange(k)[::-1]
    for a, v in ((ax, slip), (ax2, over)):
        a.barh(y, v, color=[COLORS["loss"] if x > 0 else COLORS["gain"] for x in v],
               height=0.55, zorder=2)  # fmt: skip
        a.axvline(0, color=COLORS["reference"], lw=1.2, zorder=3)
        a.grid(True, axis="x")
        a.grid(False, axis="y")
        lo, hi = min(0.0, float(np.nanmin(v))), max(0.0, float(np.nanmax(v)))
        span = (hi - lo) or 1.0
        a.set_xlim(lo - 0.05 * span, hi + 0.45 * span)  # room for the labels on the right
        a.xaxis.set_major_locator(MaxNLocator(nbins=4))
    for yi, s, o in zip(y, slip, over, strict=True):  # labels right of the bar or of zero
        ax.annotate(f"{s:+,.0f} d", (max(s, 0.0), yi), xytext=(5, 0), textcoords="offset points",
                    ha="left", va="center", fontsize="medium", zorder=4)  # fmt: skip
        ax2.annotate(money(o, currency, signed=True), (max(o, 0.0), yi), xytext=(5, 0),
                     textcoords="offset points", ha="left", va="center", fontsize="medium",
                     zorder=4)  # fmt: skip
    ax.set_yticks(y, names)
    ax.set_xlabel("P80 finish minus committed date (calendar days)")
    currency_axis(ax2, None, "x")  # the currency is in the axis label
    ax2.set_xlabel("Cost at P80 minus budget" + (f" ({currency})" if currency else ""))
    i, j = int(np.nanargmax(slip)), int(np.nanargmax(over))
    late = f"{names[i]} finishes {_days(slip[i])} late" if slip[i] > 0 else ""
    cost = money(over[j], currency) + " over budget"
    if late and over[j] > 0:
        same = i == j
        headline = f"{late} and {cost} at P80" if same else f"{late}, {names[j]} {cost} at P80"
    elif late:
        headline = f"{late} at P80; every project within budget"
    elif over[j] > 0:
        headline = f"Every project on time at P80; {names[j]} {cost}"
    else:
        headline = "Every running project on time and within budget at P80"
    n_att = int(t["needs_attention"].sum())
    fig = finish(
        fig, ax, title=title or headline, xlabel=ax.get_xlabel(), ylabel="",
        subtitle=f"{n_att} of {k} projects need attention; right of zero: late or over budget",
        alt=(
            f"Two bar panels for {k} running projects: P80 finish minus the committed date in "
            "days ("
            + ", ".join(f"{n} {s:+.0f}" for n, s in zip(names, slip, strict=True))
            + ") and cost at P80 minus budget ("
            + ", ".join(f"{n} {money(o, currency)}" for n, o in zip(names, over, strict=True))
            + ")."
        ),
    )  # fmt: skip
    return _fit_title(fig)


@chart
def completion_s_curve(
    outlook: Any,
    *,
    name: str = "The project",
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Cumulative probability of the finish date, the committed date and P50/P80 marked.

    Parameters
    ----------
    outlook : ProjectOutlook
        ``project_outlook``: ``completion_dates`` (one per trial), ``committed_date``,
        ``completion_date_p50/p80``, ``probability_on_time``.
    name : str
        The project, as the headline names it.
    title : str, optional
    figsize : (float, float), optional

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> d = np.datetime64("2027-06-01") + np.arange(100)
    >>> o = NS(completion_dates=d, committed_date=np.datetime64("2027-06-30"),
    ...        completion_date_p50=d[49], completion_date_p80=d[79], probability_on_time=0.3)
    >>> completion_s_curve(o, name="NIS2").get_suptitle()
    'NIS2: 30 % chance of finishing by the committed 30 Jun 2027'
    """
    dates = np.asarray(getattr(outlook, "completion_dates", None))
    if dates.dtype.kind != "M" or dates.size == 0:
        raise ParameterError(
            "`outlook` must be a ProjectOutlook (project_outlook) with `completion_dates`. "
            f"Got {type(outlook).__name__}."
        )
    days = np.sort(dates.astype("datetime64[D]"))
    share = np.arange(1, days.size + 1) / days.size
    x = pd.to_datetime(days)
    fig, ax = new_figure(figsize)
    ax.grid(True, axis="both")
    ax.step(x, share, where="post", color=COLORS["primary"], lw=2.4, zorder=3,
            label="Chance of finishing by the date")  # fmt: skip
    committed = outlook.committed_date
    has_commit = not np.isnat(np.datetime64(committed, "D"))
    if has_commit:
        ax.axvline(pd.Timestamp(committed), color=COLORS["loss"], lw=1.8, zorder=2,
                   label=f"Committed {_day(committed)}")  # fmt: skip
    for level, day in ((0.5, outlook.completion_date_p50), (0.8, outlook.completion_date_p80)):
        ts = pd.Timestamp(day)
        ax.plot([ts], [level], "o", color=COLORS["primary"], zorder=4)
        ax.annotate(f"P{level * 100:.0f} {_day(day)}", (ts, level), xytext=(8, -4),
                    textcoords="offset points", ha="left", va="top", fontsize="medium",
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.9},
                    zorder=5)  # fmt: skip
    ax.set_ylim(0, 1.0)
    percent_axis(ax, "y")
    n_months = (x[-1].year - x[0].year) * 12 + x[-1].month - x[0].month + 1
    ax.xaxis.set_major_locator(MonthLocator(interval=max(1, math.ceil(n_months / 6))))
    ax.xaxis.set_major_formatter(DateFormatter("%b %Y"))
    fig.legend(loc="outside lower center", ncols=2)
    p = outlook.probability_on_time
    headline = (
        f"{name}: {format_percent(p, 0)} chance of finishing by the committed {_day(committed)}"
        if has_commit
        else f"{name}: P80 finish {_day(outlook.completion_date_p80)}"
    )
    fig = finish(
        fig, ax, title=title or headline, xlabel="Finish date",
        ylabel="Chance of finishing by the date (%)",
        subtitle=f"P50 {_day(outlook.completion_date_p50)}, P80 "
        f"{_day(outlook.completion_date_p80)} over {days.size:,} simulated trials",
        alt=(
            f"S-curve of the finish date of {name} over {days.size:,} trials: P50 "
            f"{_day(outlook.completion_date_p50)}, P80 {_day(outlook.completion_date_p80)}"
            + (f", committed {_day(committed)}, {format_percent(p, 0)} chance of making it."
               if has_commit else ".")
        ),
    )  # fmt: skip
    return _fit_title(fig)


@chart
def evm_trend(
    evm: Any,
    project: str,
    *,
    name: str | None = None,
    min_cpi: float | None = None,
    min_spi: float | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """CPI and SPI of one project over its status dates, with the 1.0 line (on plan).

    Parameters
    ----------
    evm : EarnedValueResult
        ``earned_value``: its ``table`` (``project``, ``period``, ``cpi``, ``spi``).
    project : str
        The project id in the table.
    name : str, optional
        The project, as the headline names it (default the id).
    min_cpi, min_spi : float, optional
        Thresholds drawn as dotted lines (the decision's).
    title : str, optional
    figsize : (float, float), optional

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> t = pd.DataFrame({"project": "P", "period": pd.to_datetime(["2026-10-31", "2026-11-30"]),
    ...                   "cpi": [0.9, 0.81], "spi": [0.98, 0.97]})
    >>> evm_trend(NS(table=t), "P", name="CRM").get_suptitle()
    'CRM: CPI down to 0.81 and SPI 0.97 in Nov 2026'
    """
    table = getattr(evm, "table", None)
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(
            f"`evm` must be an EarnedValueResult (earned_value). Got {type(evm).__name__}."
        )
    t = table[table["project"] == project]
    if t.empty:
        known = ", ".join(map(str, table["project"].unique()))
        raise ParameterError(f"`project` {project!r} is not in the status table. Known: {known}.")
    name = name or str(project)
    x = pd.to_datetime(t["period"])
    fig, ax = new_figure(figsize)
    ax.axhline(1.0, color=COLORS["reference"], lw=1.2, ls="--", label="On plan (1.0)", zorder=1)
    ax.plot(x, t["cpi"], color=COLORS["primary"], lw=2.4, marker="o", ms=5,
            label="CPI (cost: earned / actual)", zorder=3)  # fmt: skip
    ax.plot(x, t["spi"], color=COLORS["secondary"], lw=2.4, marker="s", ms=5,
            label="SPI (schedule: earned / planned)", zorder=3)  # fmt: skip
    for level, colour in ((min_cpi, COLORS["primary"]), (min_spi, COLORS["secondary"])):
        if level is not None:
            ax.axhline(level, color=colour, lw=1, ls=":", zorder=1)
    values = np.concatenate([t["cpi"].to_numpy(float), t["spi"].to_numpy(float), [1.0]]
                            + [[v] for v in (min_cpi, min_spi) if v is not None])  # fmt: skip
    values = values[np.isfinite(values)]
    lo, hi = float(values.min()), float(values.max())
    pad = max(0.05, 0.15 * (hi - lo))
    ax.set_ylim(lo - pad, hi + pad)
    step = max(1, math.ceil(len(x) / 8))
    ax.set_xticks(list(x.iloc[::-1][::step][::-1]))  # at the status dates, the latest labelled
    ax.xaxis.set_major_formatter(DateFormatter("%b %Y"))
    fig.legend(loc="outside lower center", ncols=3)
    cpi, spi = float(t["cpi"].iloc[-1]), float(t["spi"].iloc[-1])
    first_cpi = float(t["cpi"].iloc[0])
    move = "down to" if cpi < first_cpi - 0.02 else "up to" if cpi > first_cpi + 0.02 else "at"
    r = lambda v: format_number(v, decimals=2)  # noqa: E731
    headline = f"{name}: CPI {move} {r(cpi)} and SPI {r(spi)} in {x.iloc[-1]:%b %Y}"
    fig = finish(
        fig, ax, title=title or headline, xlabel="Status date", ylabel="Index (1.0 = on plan)",
        subtitle="Below 1.0: over cost (CPI) or behind schedule (SPI)"
        + ("; dotted: the decision's thresholds" if min_cpi or min_spi else ""),
        alt=(
            f"Line chart of the CPI and SPI of {name} over {len(t)} status dates, ending at "
            f"CPI {r(cpi)} and SPI {r(spi)} in {x.iloc[-1]:%b %Y}."
        ),
    )  # fmt: skip
    return _fit_title(fig)
