"""Staffing charts: weekday x interval heatmap, service level vs agents, hiring plan."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from ...exceptions import ParameterError
from ..formatting import format_number, format_percent
from ._common import chart, finish, money, new_figure
from .formatting import PercentFormatter, number_axis, percent_axis
from .theme import COLORS, sequential_cmap

__all__ = ["hiring_plan_chart", "service_level_curve", "staffing_heatmap"]

_VALUES = {
    "agents": ("agents_scheduled", "Agents scheduled, incl. shrinkage", "agents", "sum"),
    "agents_scheduled": ("agents_scheduled", "Agents scheduled, incl. shrinkage", "agents", "sum"),
    "agents_required": ("agents_required", "Agents needed on the phones", "agents", "sum"),
    "calls": ("calls", "Calls offered per interval", "calls", "sum"),
    "service_level": ("service_level", "Service level", "%", "min"),
    "occupancy": ("occupancy", "Agent occupancy", "%", "max"),
    "asa_s": ("asa_s", "Average speed of answer", "s", "max"),
}


@chart
def staffing_heatmap(
    staffing_plan: Any,
    value: str = "agents",
    queue: str | None = None,
    *,
    trim: bool = True,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Weekday x time-of-day heatmap of a staffing plan (agents, calls, service level, ...).

    Parameters
    ----------
    staffing_plan : StaffingPlan
        From :func:`cio_analytics.staffing.staffing_plan`.
    value : str, default "agents"
        "agents" (scheduled, incl. shrinkage), "agents_required", "calls", "service_level",
        "occupancy", "asa_s", or any numeric column of ``staffing_plan.detail``.
    queue : str, optional
        One queue; default all queues (agents and calls summed; service level: the worst
        queue; occupancy and ASA: the highest).
    trim : bool, default True
        Leave out the leading and trailing times of day that are zero on every day.

    Examples
    --------
    >>> import pandas as pd
    >>> from cio_analytics.staffing import staffing_plan
    >>> starts = pd.date_range("2026-03-30", periods=7 * 48, freq="30min")
    >>> calls = 40 * ((starts.hour >= 8) & (starts.hour < 18))
    >>> forecast = pd.DataFrame({"queue": "Desk", "interval_start": starts, "calls": calls,
    ...                          "handle_time_s": 300.0})
    >>> plan = staffing_plan(forecast, target_service_level=0.8, answer_time_s=20)
    >>> staffing_heatmap(plan).axes[0].get_xlabel()
    'Start of interval (local time)'
    """
    if type(staffing_plan).__name__ != "StaffingPlan":
        raise ParameterError(
            f"`staffing_plan` must be a StaffingPlan (cio_analytics.staffing.staffing_plan). "
            f"Got {type(staffing_plan).__name__}."
        )
    column, label, unit, agg = _VALUES.get(
        value, (value, value.replace("_", " ").capitalize(), "", "sum")
    )
    table = staffing_plan.heatmap(column, queue=queue, aggfunc=agg).T  # rows weekdays
    calls = staffing_plan.heatmap("calls", queue=queue, aggfunc="sum").T.reindex_like(table)
    quiet = calls.fillna(0).to_numpy(float) <= 0
    if column in ("service_level", "occupancy", "asa_s", "p_wait", "p_abandon"):
        table = table.mask(quiet)  # no calls: no service level to show
    if trim and table.size:
        busy = np.flatnonzero(~quiet.all(axis=0))
        if busy.size:
            table = table.iloc[:, busy[0] : busy[-1] + 1]
    data = table.to_numpy(float)
    n_days, n_times = data.shape
    fig, ax = new_figure(figsize or (9.4, 1.9 + 0.52 * n_days))  # ~940 px: fits the page
    ax.set_facecolor("#DADADA")  # masked cells (no calls)
    import seaborn as sns

    share = unit == "%"
    norm, cmap = None, sequential_cmap("primary")
    if value == "service_level":  # diverging at the target: red below, blue above
        target = float(staffing_plan.target_service_level)
        low = float(np.nanmin(data)) if np.isfinite(data).any() else target
        cmap = LinearSegmentedColormap.from_list(
            "cioa_sl", [COLORS["loss"], "#F7F7F7", COLORS["primary"]]
        )
        norm = TwoSlopeNorm(
            vcenter=target, vmin=min(low, target - 0.05), vmax=max(1.0, target + 1e-6)
        )
    sns.heatmap(
        table,
        ax=ax,
        cmap=cmap,
        norm=norm,
        linewidths=0.5,
        linecolor="white",
        cbar_kws={
            # short enough to fit the height of the bar at 1024 px ("Agents scheduled")
            "label": label.split(",")[0] if unit in label.lower() else f"{label} ({unit})",
            "pad": 0.01,
            "format": PercentFormatter() if share else None,
        },
    )
    step = max(1, round(n_times / 12))
    ax.set_xticks(np.arange(0, n_times, step) + 0.5, list(table.columns[::step]), rotation=0)
    ax.set_yticks(np.arange(n_days) + 0.5, list(table.index), rotation=0)
    ax.tick_params(length=0)
    ax.grid(False)
    finite = np.where(np.isfinite(data), data, -np.inf if value != "service_level" else np.inf)
    r, c = np.unravel_index(
        np.argmin(finite) if value == "service_level" else np.argmax(finite), data.shape
    )
    extreme = data[r, c]
    ext_word = "lowest" if value == "service_level" else "peak"
    shown = (
        format_percent(extreme)
        if share
        else format_number(extreme, decimals=0 if unit in ("agents", "calls") else 1)
    )
    ax.add_patch(Rectangle((c, r), 1, 1, fill=False, ec=COLORS["text"], lw=2.2, zorder=5))
    where = f"{table.index[r]} {table.columns[c]}"
    q = f", {queue}" if queue else ", all queues"
    alt = (
        f"Heatmap of {label.lower()}{q} by weekday (rows: {', '.join(map(str, table.index))}) and "
        f"half-hour of the day ({table.columns[0]} to {table.columns[-1]}). The {ext_word} is "
        f"{shown}{'' if share else ' ' + unit} on {where} (outlined)."
    )
    return finish(
        fig,
        ax,
        title=title
        or f"{label.split(',')[0]}{q}: {ext_word} {shown}{'' if share else ' ' + unit} on {where}",
        subtitle=f"Week of {staffing_plan.detail['interval_start'].min():%d %b %Y}"
        + ("; grey: no calls" if np.isnan(data).any() else "")
        + "; "
        f"target {format_percent(staffing_plan.target_service_level, decimals=0)} of calls "
        f"answered within {staffing_plan.answer_time_s:g} s",
        xlabel="Start of interval (local time)",
        ylabel="Weekday",
        alt=alt,
    )


@chart
def service_level_curve(
    load: float,
    handle_time_s: float,
    answer_time_s: float,
    *,
    target: float = 0.8,
    agents: Any = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Erlang C service level (and occupancy) against the number of agents, target marked.

    Parameters
    ----------
    load : float
        Offered load in Erlangs (:func:`cio_analytics.staffing.offered_load`), > 0.
    handle_time_s, answer_time_s : float
        Average handle time and the answer-time threshold, seconds.
    target : float, default 0.8
        Target service level, decimal in (0, 1).
    agents : array_like of int, optional
        Agent counts on the x axis; default from ``floor(load) + 1`` to a few past the count
        that meets 99 %.

    Notes
    -----
    ``SL(n) = 1 - C(A, n) exp(-(n - A) t / h)`` (:func:`cio_analytics.staffing.service_level`)
    and occupancy ``A / n``. The marked count is the smallest ``n`` with ``SL(n) >= target``.

    Examples
    --------
    >>> fig = service_level_curve(10.0, 180, 20, target=0.8)
    >>> fig.get_suptitle()
    '14 agents answer 80 % of calls within 20 s'
    """
    from ...staffing import occupancy, service_level

    a = float(load)
    if not (math.isfinite(a) and a > 0):
        raise ParameterError(f"`load` must be a positive number of Erlangs. Got {load!r}.")
    if not 0 < float(target) < 1:
        raise ParameterError(f"`target` must be a decimal in (0, 1), e.g. 0.8. Got {target!r}.")
    if agents is None:
        n = np.arange(math.floor(a) + 1, math.floor(a) + 1 + max(12, int(4 * math.sqrt(a)) + 8))
        sl = service_level(a, n, handle_time_s, answer_time_s)
        top = int(np.argmax(sl >= 0.99)) if np.any(sl >= 0.99) else n.size - 1
        n = n[: min(n.size, top + 4)]
    else:
        n = np.unique(np.asarray(agents, dtype=int))
        if n.size == 0 or n.min() < 0:
            raise ParameterError(f"`agents` must hold agent counts >= 0. Got {agents!r}.")
    sl = np.asarray(service_level(a, n, handle_time_s, answer_time_s), float)
    occ = np.asarray(occupancy(a, n), float)
    meets = np.flatnonzero(sl >= target)
    fig, ax = new_figure(figsize)
    ax.grid(True, axis="both")
    ax.plot(
        n,
        sl,
        marker="o",
        color=COLORS["primary"],
        lw=2.4,
        zorder=3,
        label=f"Service level: calls answered within {answer_time_s:g} s",
    )
    ax.plot(
        n,
        occ,
        marker="s",
        ms=4,
        ls="--",
        color=COLORS["secondary"],
        lw=1.8,
        zorder=3,
        label="Agent occupancy (busy share of time)",
    )
    ax.axhline(
        target,
        color=COLORS["gain"],
        lw=1.6,
        ls="-",
        zorder=2,
        label=f"Target {format_percent(target, decimals=0)}",
    )
    if meets.size:
        k = int(n[meets[0]])
        ax.axvline(k, color=COLORS["text"], lw=1.0, ls=":", zorder=2)
        ax.annotate(
            f"{k} agents: {format_percent(sl[meets[0]])}",
            xy=(k, sl[meets[0]]),
            xytext=(10, -28),
            textcoords="offset points",
            fontweight="bold",
            arrowprops={"arrowstyle": "-", "color": COLORS["text"]},
            bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": "none"},
        )
        head = f"{k} agents answer {format_percent(target, decimals=0)} of calls within {answer_time_s:g} s"
    else:
        head = f"No agent count shown reaches {format_percent(target, decimals=0)}"
    ax.set_ylim(0, 1.04)
    ax.set_xticks(n if n.size <= 25 else n[:: math.ceil(n.size / 25)])
    percent_axis(ax, "y")
    number_axis(ax, "x")
    ax.legend(loc="lower right")
    alt = (
        f"Line chart of the Erlang C service level and occupancy (%) against agents ({n.min()} to "
        f"{n.max()}) for an offered load of {a:.1f} Erlangs, handle time {handle_time_s:g} s. "
        f"{head}. Service level by agents: "
        + ", ".join(f"{int(x)}: {format_percent(s)}" for x, s in zip(n, sl, strict=True))
        + "."
    )
    return finish(
        fig,
        ax,
        title=title or head,
        subtitle=f"Offered load {a:,.1f} Erlangs, average handle time {handle_time_s:g} s (Erlang C)",
        xlabel="Agents on the phones (number)",
        ylabel="Share (%)",
        alt=alt,
    )


@chart
def hiring_plan_chart(
    hiring_plan: Any,
    *,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Monthly capacity of a hiring plan (productive employees + contractors) vs requirement.

    Bars: productive employee FTE and contractor FTE stacked (their top is the capacity); line:
    required FTE; dots: employees on the payroll (including those still ramping up).

    Examples
    --------
    >>> from cio_analytics.staffing import hiring_plan
    >>> plan = hiring_plan([10, 12, 12, 12], current_headcount=10,
    ...     employee_cost_per_fte_year=60000, contractor_cost_per_fte_year=90000)
    >>> hiring_plan_chart(plan).axes[0].get_ylabel()
    'Full-time equivalents (FTE)'
    """
    if type(hiring_plan).__name__ != "HiringPlan":
        raise ParameterError(
            f"`hiring_plan` must be a HiringPlan (cio_analytics.staffing.hiring_plan). "
            f"Got {type(hiring_plan).__name__}."
        )
    h, m, cur = hiring_plan, hiring_plan.monthly, hiring_plan.currency
    fig, ax = new_figure(figsize)
    months = m["month"].to_numpy() if len(m) else np.zeros(0)
    feasible = h.status != "infeasible" and len(m) and m["employee_fte"].notna().all()
    if feasible:
        emp, con = m["employee_fte"].to_numpy(float), m["contractors"].to_numpy(float)
        ax.bar(months, emp, color=COLORS["primary"], width=0.7, zorder=2)
        ax.bar(months, con, bottom=emp, color=COLORS["secondary"], width=0.7, zorder=2)
        ax.plot(months, m["employees"].to_numpy(float), "o", color=COLORS["text"], ms=5, zorder=4)
    if len(m):
        ax.step(
            months,
            m["required_fte"].to_numpy(float),
            where="mid",
            color=COLORS["loss"],
            lw=2.4,
            zorder=3,
        )
    handles = [
        Patch(color=COLORS["primary"], label="Employees, productive FTE"),
        Patch(color=COLORS["secondary"], label="Contractors (FTE)"),
        Line2D([], [], color=COLORS["loss"], lw=2.4, label="Required FTE"),
        Line2D([], [], color=COLORS["text"], marker="o", ls="", label="Employees on payroll"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=4)
    if len(m):
        ax.set_xticks(months)
        top = float(np.nanmax(np.r_[m["required_fte"], m.get("capacity_fte", m["required_fte"])]))
        ax.set_ylim(0, top * 1.15 if top > 0 else 1)
    number_axis(ax, "y")
    if feasible:
        head = (
            f"Hire {format_number(h.total_hires)} and bridge with at most "
            f"{format_number(h.peak_contractors, decimals=1)} contractor FTE"
        )
        how = (
            "the least-cost plan" if h.status == "optimal" else "best plan found in the time limit"
        )
        sub = f"Plan cost {money(h.total_cost, cur)} over {len(m)} months, {how}"
    else:
        head, sub = "No feasible hiring plan", h.message
    alt = (
        f"Bar and line chart of a {len(m)}-month hiring plan in FTE: productive employees and "
        f"contractors stacked as bars, required FTE as a red line. {head}; {sub}."
    )
    return finish(
        fig,
        ax,
        title=title or head,
        subtitle=sub,
        xlabel="Month of the plan",
        ylabel="Full-time equivalents (FTE)",
        alt=alt,
    )
