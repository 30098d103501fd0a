"""Charts of simulated outcomes: distribution with P10/P50/P90 and S-curve."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ...exceptions import ParameterError
from ..formatting import format_number, format_percent
from ._common import chart, check_choice, finish, money, new_figure
from ._outcomes import Outcome, outcome_of
from .formatting import currency_axis, number_axis, percent_axis
from .theme import COLORS

__all__ = ["fmt_value", "outcome_distribution", "s_curve", "value_axis"]

_LEVELS = (0.1, 0.5, 0.9)


def fmt_value(o: Outcome, v: float) -> str:
    """A value of the outcome in its unit, compact."""
    if o.kind == "money":
        return money(v, o.currency)
    if o.kind == "percent":
        return format_percent(v)
    if o.kind == "years":
        return format_number(v, decimals=1, unit="years")
    return money(v, None)


def value_axis(ax: Axes, o: Outcome, axis: str) -> None:
    if o.kind == "money":
        currency_axis(ax, o.currency, axis)
    elif o.kind == "percent":
        percent_axis(ax, axis)
    else:
        number_axis(ax, axis)


def _threshold(o: Outcome, threshold: float | None) -> float:
    if threshold is not None:
        t = float(threshold)
        if not math.isfinite(t):
            raise ParameterError(f"`threshold` must be a finite number. Got {threshold!r}.")
        return t
    if o.default_threshold is not None:
        return float(o.default_threshold)
    if o.is_loss and o.appetite is not None:
        return float(o.appetite["loss"].iloc[0])
    return 0.0


def _side(o: Outcome, loss_side: str | None) -> str:
    if loss_side is None:
        return "above" if o.is_loss else "below"
    return check_choice(loss_side, "loss_side", ("below", "above"))


def _p_loss(o: Outcome, thr: float, side: str) -> float:
    """Share of trials on the loss side; a payback that never comes counts as "above"."""
    v = o.values
    bad = int(np.sum(v < thr) if side == "below" else np.sum(v > thr))
    never = o.n_trials - v.size if o.short == "payback" and side == "above" else 0
    return (bad + never) / (v.size + never)


def _loss_phrase(o: Outcome, thr: float, side: str, p: float) -> str:
    word = "below" if side == "below" else "above"
    text = f"{format_percent(p)} chance the {o.short} is {word} {fmt_value(o, thr)}"
    if o.short == "payback" and side == "above" and o.n_trials > o.values.size:
        text += f" (incl. {format_percent(1 - o.values.size / o.n_trials)} never)"
    if o.is_loss and o.appetite is not None and thr == float(o.appetite["loss"].iloc[0]):
        limit = float(o.appetite["max_probability"].iloc[0])
        text += f" (appetite: at most {format_percent(limit)})"
    return text


def _mark_percentiles(ax: Axes, o: Outcome, qs: np.ndarray, x0: float, x1: float) -> None:
    """Dashed lines at P10 / P50 / P90 with their values written at the top of the plot."""
    span = x1 - x0
    levels = [0]
    for i in (1, 2):  # drop a label one row when it would overlap its left neighbour
        crowded = qs[i] - qs[i - 1] < 0.15 * span
        levels.append(levels[-1] + 1 if crowded else 0)
    heights = [0.97 - 0.15 * lv for lv in levels]
    for level, q, h in zip(_LEVELS, qs, heights, strict=True):
        ax.axvline(q, color=COLORS["text"], ls=(0, (4, 3)), lw=1.1, zorder=3)
        ax.annotate(
            f"P{level * 100:.0f}\n{fmt_value(o, q)}",
            xy=(q, h),
            xycoords=("data", "axes fraction"),
            ha="left" if q - x0 < 0.06 * span else "right" if x1 - q < 0.06 * span else "center",
            va="top",
            fontsize="small",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.9},
            zorder=4,
        )


@chart
def outcome_distribution(
    result: Any,
    output: str | None = None,
    *,
    threshold: float | None = None,
    currency: str | None = None,
    loss_side: str | None = None,
    title: str | None = None,
    bins: int = 50,
    kde: bool | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Histogram of a simulated outcome: P10/P50/P90 marked, loss side shaded, P(loss) written.

    Parameters
    ----------
    result : UncertainCaseResult, SimulationResult, RegisterResult, FairResult or array
        ``UncertainCaseResult``: ``output`` one of "npv" (default), "irr", "payback_years".
        ``SimulationResult``: ``output`` names the model output (needed with several).
        ``RegisterResult``: the annual loss, ``output`` "before" (default) or "after" mitigation.
        ``FairResult``: the annualised loss exposure, ``output`` None or a control's name.
        An array or Series of trial values is plotted as is.
    output : str, optional
        Which output of ``result`` (see above).
    threshold : float, optional
        Where the loss side starts, in the outcome's unit. Default: 0 (NPV below zero); the
        discount rate for an IRR; the horizon for a payback; for annual losses the first
        (lowest) point of the result's risk appetite, else 0.
    currency : str, optional
        ISO code for the axis; default the result's currency (none for a plain simulation).
    loss_side : {"below", "above"}, optional
        Which side of ``threshold`` is bad. Default "below"; "above" for annual losses and
        payback times.
    title : str, optional
        Replaces the generated title.
    bins : int, default 50
        Histogram bins over the P0.5-P99.5 range (one edge sits on the threshold).
    kde : bool, optional
        Draw a kernel density line; default True except for annual losses (a point mass at 0).
    figsize : (float, float), optional
        Inches; default 10 x 5.6. ``font_scale=`` (keyword) scales every font.

    Returns
    -------
    matplotlib.figure.Figure
        Not tracked by pyplot: show it as a cell's last expression or with ``display(fig)``.

    Notes
    -----
    Bar height is the share of ALL finite trials in the bin (bars sum to at most 1); the
    probability written is ``mean(values < threshold)`` (or ``>``) over all finite trials,
    including those outside the plotted range. Percentiles are numpy's linear quantiles.

    Examples
    --------
    >>> import numpy as np
    >>> fig = outcome_distribution(np.random.default_rng(1).normal(1e5, 5e4, 2000), currency="EUR")
    >>> fig.axes[0].get_xlabel()
    'Outcome (EUR)'
    """
    o = outcome_of(result, output, currency)
    side, thr = _side(o, loss_side), _threshold(o, threshold)
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or not 5 <= bins <= 500:
        raise ParameterError(f"`bins` must be an integer in [5, 500]. Got {bins!r}.")
    v = o.values
    n = v.size
    p = _p_loss(o, thr, side)
    qs = np.quantile(v, _LEVELS)
    lo, hi = (float(x) for x in np.quantile(v, [0.005, 0.995]))
    if o.is_loss:
        lo = min(lo, 0.0)
    if v.min() <= thr <= v.max():
        lo, hi = min(lo, thr), max(hi, thr)
    if hi <= lo:
        lo, hi = lo - max(abs(lo), 1.0) * 0.05, hi + max(abs(hi), 1.0) * 0.05
    width = (hi - lo) / bins
    start = thr - math.ceil((thr - lo) / width) * width if lo <= thr <= hi else lo
    edges = start + width * np.arange(math.ceil((hi - start) / width - 1e-9) + 1)
    share = np.histogram(v, edges)[0] / n
    centres = edges[:-1] + width / 2
    bad = centres < thr if side == "below" else centres > thr

    fig, ax = new_figure(figsize)
    ax.bar(
        edges[:-1][~bad],
        share[~bad],
        width=width,
        align="edge",
        color=COLORS["light"],
        edgecolor="white",
        linewidth=0.5,
        zorder=2,
    )
    ax.bar(
        edges[:-1][bad],
        share[bad],
        width=width,
        align="edge",
        color=COLORS["loss"],
        alpha=0.75,
        edgecolor="white",
        linewidth=0.5,
        zorder=2,
    )
    if kde if kde is not None else not o.is_loss:
        _kde_line(ax, v, edges, width)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_ylim(0, share.max() * 1.4 if share.max() > 0 else 1)
    if edges[0] <= thr <= edges[-1]:
        ax.axvspan(
            *((edges[0], thr) if side == "below" else (thr, edges[-1])),
            color=COLORS["loss"],
            alpha=0.06,
            zorder=0,
            lw=0,
        )
        ax.axvline(thr, color=COLORS["loss"], lw=1.6, zorder=3)
    _mark_percentiles(ax, o, qs, edges[0], edges[-1])
    phrase = _loss_phrase(o, thr, side, p)
    ax.annotate(
        phrase.replace(" chance ", " chance\n", 1),
        xy=(0.015 if side == "below" else 0.985, 0.66),
        xycoords="axes fraction",
        ha="left" if side == "below" else "right",
        va="top",
        color=COLORS["loss"],
        fontweight="bold",
        bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "none", "alpha": 0.85},
        zorder=5,
    )
    value_axis(ax, o, "x")
    percent_axis(ax, "y")
    clipped = int(np.sum((v < edges[0]) | (v > edges[-1])))
    dropped = o.n_trials - n
    note = f"{n:,} trials" + (f" ({dropped:,} without a value left out)" if dropped else "")
    if clipped:
        note += f"; {clipped:,} extreme trials beyond the axis are counted in the percentages"
    q_text = ", ".join(
        f"P{lv * 100:.0f} {fmt_value(o, q)}" for lv, q in zip(_LEVELS, qs, strict=True)
    )
    alt = (
        f"Histogram of {o.name} ({o.unit}) for {o.subject} over {n:,} simulated trials. "
        f"{q_text}. {phrase[0].upper() + phrase[1:]}; that side of "
        f"{fmt_value(o, thr)} is shaded red."
    )
    return finish(
        fig,
        ax,
        title=title or f"{o.subject}: {o.name.lower() if o.is_loss else o.name}, distribution",
        subtitle=f"{phrase[0].upper() + phrase[1:]}; median {fmt_value(o, qs[1])}",
        xlabel=f"{o.name} ({o.unit})",
        ylabel="Share of trials (%)",
        alt=alt,
        note=note,
    )


def _kde_line(ax: Axes, v: np.ndarray, edges: np.ndarray, width: float) -> None:
    """Gaussian kernel density (Scott's rule) scaled to the bars' share-per-bin axis."""
    if np.ptp(v) <= 0:
        return
    from scipy.stats import gaussian_kde

    sample = v if v.size <= 5000 else np.random.default_rng(0).choice(v, 5000, replace=False)
    grid = np.linspace(edges[0], edges[-1], 300)
    try:
        density = gaussian_kde(sample)(grid)
    except np.linalg.LinAlgError:  # pragma: no cover - degenerate sample
        return
    ax.plot(grid, density * width, color=COLORS["primary"], lw=2.0, zorder=3)


@chart
def s_curve(
    result: Any,
    output: str | None = None,
    *,
    threshold: float | None = None,
    currency: str | None = None,
    loss_side: str | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Cumulative probability (S-curve) of a simulated outcome, P10/P50/P90 and threshold marked.

    Accepts the same results and options as :func:`outcome_distribution`.

    Notes
    -----
    The curve is the empirical CDF ``F(x) = share of trials <= x``, drawn through 1,001 quantiles.

    Examples
    --------
    >>> import numpy as np
    >>> fig = s_curve(np.random.default_rng(1).normal(0, 1, 500), title="Test")
    >>> fig.axes[0].get_ylabel()
    'Probability of a value at or below x (%)'
    """
    o = outcome_of(result, output, currency)
    side, thr = _side(o, loss_side), _threshold(o, threshold)
    v = o.values
    levels = np.linspace(0.0, 1.0, 1001)
    xs = np.quantile(v, levels)
    qs = np.quantile(v, _LEVELS)
    p = _p_loss(o, thr, side)
    fig, ax = new_figure(figsize)
    ax.grid(True, axis="both")
    ax.plot(xs, levels, color=COLORS["primary"], lw=2.4, zorder=3)
    for level, q in zip(_LEVELS, qs, strict=True):
        ax.plot([xs[0], q], [level, level], color=COLORS["reference"], lw=1, ls=":", zorder=2)
        ax.plot([q, q], [0, level], color=COLORS["reference"], lw=1, ls=":", zorder=2)
        ax.plot([q], [level], "o", color=COLORS["primary"], zorder=4)
        ax.annotate(
            f"P{level * 100:.0f} {fmt_value(o, q)}",
            xy=(q, level),
            xytext=(8, -4),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize="small",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.9},
            zorder=5,
        )
    if xs[0] <= thr <= xs[-1]:
        ax.axvline(thr, color=COLORS["loss"], lw=1.6, zorder=3)
        ax.axvspan(
            *((xs[0], thr) if side == "below" else (thr, xs[-1])),
            color=COLORS["loss"],
            alpha=0.06,
            lw=0,
            zorder=0,
        )
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(0, 1.0)
    value_axis(ax, o, "x")
    percent_axis(ax, "y")
    phrase = _loss_phrase(o, thr, side, p)
    alt = (
        f"S-curve (cumulative probability) of {o.name} ({o.unit}) for {o.subject} over "
        f"{v.size:,} trials. "
        + ", ".join(f"P{lv * 100:.0f} {fmt_value(o, q)}" for lv, q in zip(_LEVELS, qs, strict=True))
        + f". {phrase[0].upper() + phrase[1:]}."
    )
    return finish(
        fig,
        ax,
        title=title
        or f"{o.subject}: {o.name.lower() if o.is_loss else o.name}, cumulative probability",
        subtitle=f"{phrase[0].upper() + phrase[1:]}",
        xlabel=f"{o.name} ({o.unit})",
        ylabel="Probability of a value at or below x (%)",
        alt=alt,
    )
