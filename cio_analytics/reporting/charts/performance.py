"""Control chart of a team's monthly metric: limits from the baseline months, signals ringed."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ...exceptions import ParameterError
from ._common import chart, finish, new_figure
from .formatting import format_percent, number_axis, percent_axis
from .theme import COLORS

__all__ = ["control_chart"]

_LABELS = {
    "sla_attainment": ("SLA attainment", "share of tickets resolved in target"),
    "reopen_rate": ("Reopen rate", "share of tickets reopened"),
    "fcr_rate": ("First-contact resolution", "share of tickets"),
    "resolve_p50_h": ("Median time to resolve", "hours"),
    "resolve_p90_h": ("P90 time to resolve", "hours"),
    "backlog": ("Backlog", "open tickets"),
}


@chart
def control_chart(
    control: Any,
    *,
    team: str | None = None,
    metric: str | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Control chart: a team's metric by month against the limits its earlier months set.

    Parameters
    ----------
    control : ControlChart
        ``TeamReview.chart(team, metric)``: ``points`` (``label``, ``value``, ``centre``,
        ``lcl``, ``ucl``, ``signal``), ``kind`` ("p" for shares, "xmr" for hours and counts),
        ``baseline_points``; the team and metric are read from it when it carries them.
    team, metric : str, optional
        Named in the title and axis (default: those of ``control``).
    title : str, optional
        Replaces the generated headline, which states the message (how many months broke the
        limits and the latest value against its limits).
    figsize : (float, float), optional
        Inches; default 10 x 5.6. ``font_scale=`` (keyword) scales every font.

    Returns
    -------
    matplotlib.figure.Figure
        The shaded band is the control limits (3 sigma), the dashed line the centre, ringed
        points the months a run rule flags; a vertical line splits the baseline months from
        the months judged. The legend sits under the plot.

    Notes
    -----
    Shewhart's chart as in Montgomery, *Introduction to Statistical Quality Control* (7th ed.),
    ch. 6-7: limits ``centre +- 3 sigma`` from the baseline months only.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> pts = pd.DataFrame({"label": ["2026-07", "2026-08", "2026-09", "2026-10"],
    ...     "value": [0.86, 0.88, 0.85, 0.70], "centre": 0.86, "lcl": 0.79, "ucl": 0.93,
    ...     "signal": [False, False, False, True]})
    >>> c = NS(points=pts, kind="p", baseline_points=3, team="Desk", metric="sla_attainment")
    >>> fig = control_chart(c)
    >>> fig.get_suptitle()
    'Desk: SLA attainment 70.0 % in Oct 2026, outside its limits'
    """
    points = getattr(control, "points", None)
    if not isinstance(points, pd.DataFrame):
        raise ParameterError(
            "`control` must be a ControlChart (TeamReview.chart(team, metric)) with a `points` "
            f"table. Got {type(control).__name__}."
        )
    missing = {"label", "value", "centre", "lcl", "ucl", "signal"} - set(points.columns)
    if missing:
        raise ParameterError(f"`control.points` lacks columns {sorted(missing)}.")
    if points.empty:
        raise ParameterError("`control.points` is empty: no month to chart.")
    team = team or str(getattr(control, "team", "") or "Team")
    metric = metric or str(getattr(control, "metric", "") or "sla_attainment")
    name, unit = _LABELS.get(metric, (metric.replace("_", " ").capitalize(), ""))
    share = getattr(control, "kind", "p") == "p"
    fmt = (lambda v: format_percent(v, decimals=1)) if share else (lambda v: f"{v:,.1f}")
    months = pd.to_datetime(points["label"])
    value = points["value"].to_numpy(float)
    lcl = points["lcl"].to_numpy(float)
    ucl = points["ucl"].to_numpy(float)
    signal = points["signal"].to_numpy(bool)
    fig, ax = new_figure(figsize)
    ax.fill_between(months, lcl, ucl, step="mid", color=COLORS["light"], alpha=0.45, zorder=1)
    ax.plot(months, points["centre"].to_numpy(float), ls="--", lw=1.2, color=COLORS["reference"])
    ax.plot(months, value, marker="o", lw=2.2, color=COLORS["primary"], zorder=3)
    ax.scatter(months[signal], value[signal], s=200, facecolors="none",
               edgecolors=COLORS["loss"], linewidths=2.2, zorder=4)  # fmt: skip
    base = int(getattr(control, "baseline_points", 0) or 0)
    if 0 < base < len(months):
        split = months.iloc[base] - pd.Timedelta(days=15)
        ax.axvline(split, color=COLORS["reference"], lw=0.9)
    n_sig = int(signal.sum())
    last_out = bool(value[-1] < lcl[-1] or value[-1] > ucl[-1])
    where = "outside its limits" if last_out else "within its limits"
    flagged = f"{n_sig} month{'s' if n_sig != 1 else ''} flagged" if n_sig else "no month flagged"
    headline = title or (f"{team}: {name} {fmt(value[-1])} in {months.iloc[-1]:%b %Y}, {where}")
    handles = [
        Line2D([], [], color=COLORS["primary"], marker="o", lw=2.2, label=name),
        Line2D([], [], color=COLORS["reference"], ls="--", label="Centre line"),
        Patch(color=COLORS["light"], alpha=0.45, label="Control limits (3 sigma)"),
        Line2D(
            [],
            [],
            color=COLORS["loss"],
            marker="o",
            mfc="none",
            ls="",
            ms=12,
            mew=2,
            label="Real change (run rule)",
        ),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=4)
    ax.xaxis.set_major_formatter(DateFormatter("%b %Y"))
    if share:
        percent_axis(ax, "y")
    else:
        number_axis(ax, "y")
    lo = float(np.nanmin(np.r_[value, lcl]))
    hi = float(np.nanmax(np.r_[value, ucl]))
    pad = 0.08 * (hi - lo if hi > lo else max(abs(hi), 1.0))
    ax.set_ylim(max(lo - pad, 0.0) if share or lo >= 0 else lo - pad, hi + pad)
    subtitle = f"{flagged.capitalize()} by a run rule" + (
        f"; limits from the first {base} months, the months after the vertical line judged"
        if 0 < base < len(months)
        else ""
    )
    return finish(
        fig, ax, title=headline, subtitle=subtitle, xlabel="Month",
        ylabel=f"{name} ({unit})" if unit else name,
        alt=(
            f"Control chart of {team}'s monthly {name.lower()}: {len(months)} months, {flagged}; "
            f"latest {fmt(value[-1])} against limits {fmt(lcl[-1])} to {fmt(ucl[-1])}."
        ),
    )  # fmt: skip
