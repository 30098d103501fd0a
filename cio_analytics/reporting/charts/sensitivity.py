"""Tornado chart: which uncertain inputs swing a simulated output most."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ...exceptions import ParameterError
from ._common import chart, finish, new_figure
from ._outcomes import Outcome, outcome_of
from .distribution import fmt_value, value_axis
from .theme import COLORS

__all__ = ["tornado"]


def _tornado_data(
    result: Any, output: str | None, currency: str | None, base: float | None
) -> tuple[pd.DataFrame, float, Outcome]:
    name = type(result).__name__
    if name == "UncertainCaseResult":
        if output not in (None, "npv"):
            raise ParameterError(
                f"The tornado of an UncertainCaseResult is of 'npv'. Got {output!r}."
            )
        o = outcome_of(result, "npv", currency)
        table = result.sensitivity()
        mean = float(result.simulation.samples["npv"].mean())
    elif name == "SimulationResult":
        o = outcome_of(result, output, currency)
        table = result.sensitivity(output)
        mean = float(result.samples[result._name(output)].mean())
    elif isinstance(result, pd.DataFrame):
        missing = {"input", "low_mean", "high_mean"} - set(result.columns)
        if missing:
            raise ParameterError(
                f"A sensitivity DataFrame needs columns input, low_mean, high_mean "
                f"(SimulationResult.sensitivity()); missing {sorted(missing)}."
            )
        table = result
        label = output or "Output"
        o = Outcome(
            np.zeros(1), 0, label, label, "money" if currency else "number", currency, False, label
        )
        mean = float(((table["low_mean"] + table["high_mean"]) / 2).mean())
    else:
        raise ParameterError(
            "`result` must be an UncertainCaseResult, a SimulationResult or a sensitivity "
            f"DataFrame (columns input, low_mean, high_mean). Got {name}."
        )
    return table, (mean if base is None else float(base)), o


@chart
def tornado(
    result: Any,
    output: str | None = None,
    *,
    currency: str | None = None,
    base: float | None = None,
    n_inputs: int = 10,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Tornado: how far each uncertain input swings the output mean, largest swing on top.

    Parameters
    ----------
    result : UncertainCaseResult, SimulationResult or DataFrame
        A sensitivity table (``SimulationResult.sensitivity(output)``) is computed from the
        result; a DataFrame must have ``input``, ``low_mean`` and ``high_mean`` columns.
    output : str, optional
        The output (SimulationResult with several outputs); the axis name for a DataFrame.
    currency : str, optional
        ISO code; default the result's currency.
    base : float, optional
        The centre line; default the mean output over the stored trials (for a DataFrame, the
        average midpoint of its bars).
    n_inputs : int, default 10
        The inputs with the largest swing shown (the rest are named in a footnote).

    Notes
    -----
    @RISK's "change in output mean" tornado: for input ``X`` the bar runs from the mean output
    over trials with ``X`` at or below its P10 to the mean with ``X`` at or above its P90.
    Bars are sorted by ``|high_mean - low_mean|``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"input": ["a", "b"], "low_mean": [80.0, 95.0], "high_mean": [120, 104]})
    >>> fig = tornado(t, output="Cost", currency="EUR", base=100)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['a', 'b']
    """
    if isinstance(n_inputs, bool) or not isinstance(n_inputs, (int, np.integer)) or n_inputs < 1:
        raise ParameterError(f"`n_inputs` must be a positive integer. Got {n_inputs!r}.")
    table, centre, o = _tornado_data(result, output, currency, base)
    t = table.assign(_swing=(table["high_mean"] - table["low_mean"]).abs())
    t = t.sort_values("_swing", ascending=False, kind="stable").reset_index(drop=True)
    shown, rest = t.iloc[:n_inputs], t.iloc[n_inputs:]
    k = len(shown)
    height = figsize or (10.0, max(3.2, 1.6 + 0.55 * k))
    fig, ax = new_figure(height)
    y = np.arange(k)
    lo, hi = shown["low_mean"].to_numpy(float), shown["high_mean"].to_numpy(float)
    low_on_top = np.abs(lo - centre) <= np.abs(hi - centre)
    ax.barh(
        y,
        lo - centre,
        left=centre,
        color=COLORS["secondary"],
        height=0.62,
        label="Input in its lowest 10 % of trials",
        zorder=2,
    )
    ax.barh(
        y,
        hi - centre,
        left=centre,
        color=COLORS["primary"],
        height=0.62,
        label="Input in its highest 10 % of trials",
        zorder=2,
    )
    # where both bars point the same way, redraw the shorter one on top
    same = (lo - centre) * (hi - centre) > 0
    for yi, a, b, top_low in zip(y[same], lo[same], hi[same], low_on_top[same], strict=True):
        val, colour = (a, COLORS["secondary"]) if top_low else (b, COLORS["primary"])
        ax.barh([yi], [val - centre], left=centre, color=colour, height=0.62, zorder=2.5)
    ax.axvline(centre, color=COLORS["text"], lw=1.2, zorder=3)
    ax.set_yticks(y, [str(s) for s in shown["input"]])
    ax.invert_yaxis()
    ax.grid(True, axis="x")
    ax.grid(False, axis="y")
    left = float(min(lo.min(), hi.min(), centre))
    right = float(max(lo.max(), hi.max(), centre))
    pad = 0.22 * max(right - left, 1e-12)
    ax.set_xlim(left - pad, right + pad)
    for yi, a, b in zip(y, lo, hi, strict=True):
        same_side = (a - centre) * (b - centre) > 0
        far_first = sorted(
            ((a, COLORS["secondary"]), (b, COLORS["primary"])), key=lambda t: -abs(t[0] - centre)
        )
        for j, (val, colour) in enumerate(far_first):
            right_side = val >= centre
            end = far_first[0][0] if same_side else val
            dy = (-0.19 if j == 0 else 0.19) if same_side else 0.0
            ax.annotate(
                fmt_value(o, val),
                xy=(end, yi + dy),
                xytext=(5 if right_side else -5, 0),
                textcoords="offset points",
                ha="left" if right_side else "right",
                va="center",
                fontsize="small",
                color=colour if same_side else COLORS["text"],
            )
    value_axis(ax, o, "x")
    fig.legend(loc="outside lower center", ncols=2)
    note = None
    if len(rest):
        note = f"Not shown (smaller swing): {', '.join(map(str, rest['input']))}."
    top = shown.iloc[0] if k else None
    swings = "; ".join(
        f"{r.input}: {fmt_value(o, r.low_mean)} to {fmt_value(o, r.high_mean)}"
        for r in shown.itertuples(index=False)
    )
    alt = (
        f"Tornado chart of the mean {o.name} ({o.unit}) of {o.subject} around "
        f"{fmt_value(o, centre)} when each input is in its lowest or highest 10 % of trials, "
        f"largest swing first. {swings}."
    )
    lead = f"{top['input']} moves the {o.short} most" if top is not None else "No inputs"
    return finish(
        fig,
        ax,
        title=title or f"{o.subject}: {lead}",
        subtitle=f"Mean {o.short} {fmt_value(o, centre)} (centre line)",
        xlabel=f"Mean {o.name} ({o.unit})",
        ylabel="Uncertain input",
        alt=alt,
        note=note,
    )
