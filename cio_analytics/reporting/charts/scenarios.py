"""Scenarios side by side: the outcome distributions of several scenarios overlaid, or one
figure per scenario as bars when the runs have no trials."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ...exceptions import ParameterError
from ..formatting import format_percent
from ._common import chart, finish, finite, money, new_figure
from .formatting import currency_axis, number_axis, percent_axis
from .theme import COLORS, PALETTE

__all__ = ["scenario_bars", "scenario_distributions"]


def _value_text(v: float, currency: str | None) -> str:
    return money(v, currency) if currency else money(v, None)


@chart
def scenario_distributions(
    outcomes: Mapping[str, Any],
    *,
    figure: str = "NPV",
    currency: str | None = None,
    threshold: float = 0.0,
    base: str | None = None,
    subtitle: str | None = None,
) -> Figure:
    """The distributions of one outcome under several scenarios, overlaid.

    Parameters
    ----------
    outcomes : mapping of str -> array-like
        Scenario label -> one value per trial (the base first, unless ``base`` names it).
    figure : str, default "NPV"
        What the values are, in words (the axis and the title).
    currency : str, optional
        Currency of money values (the axis shows ``EUR 0.5M``); None for plain numbers.
    threshold : float, default 0
        The line the decision is judged against (NPV = 0); the title gives the chance of
        being above it in each scenario.
    base : str, optional
        The scenario the others are compared with (default: the first).
    subtitle : str, optional
        A line under the title (e.g. the common random numbers note).

    Returns
    -------
    matplotlib.figure.Figure
        Step histograms on shared bins (share of trials per bin), the threshold as a line.

    Notes
    -----
    The share above the threshold is ``mean(x > threshold)`` over the finite trials of each
    scenario; the title names the lowest and highest and the base.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> z = rng.normal(size=2000)
    >>> fig = scenario_distributions({"Base": 1e5 + 1e5 * z, "Pessimistic": 2e4 + 1e5 * z},
    ...                              currency="EUR")
    >>> fig.texts[0].get_text().startswith("Chance the NPV is positive")
    True
    """
    if not outcomes:
        raise ParameterError("`outcomes` is empty: give at least one scenario's trial values.")
    data = {str(k): finite(v, f"outcomes[{k!r}]") for k, v in outcomes.items()}
    base = base if base in data else next(iter(data))
    above = {k: float(np.mean(v > threshold)) for k, v in data.items()}
    low = min(above, key=above.get)
    high = max(above, key=above.get)
    word = "positive" if threshold == 0 else f"above {_value_text(threshold, currency)}"
    others = [k for k in (low, high) if k != base]
    if others:
        parts = [f"{format_percent(above[k])} ({k})" for k in dict.fromkeys((low, high))]
        title = (
            f"Chance the {figure} is {word}: {' to '.join(parts)}; "
            f"{format_percent(above[base])} in the base"
        )
    else:
        title = f"Chance the {figure} is {word}: {format_percent(above[base])} in every scenario"
    fig, ax = new_figure((10.5, 5.0))
    lo = min(float(np.quantile(v, 0.002)) for v in data.values())
    hi = max(float(np.quantile(v, 0.998)) for v in data.values())
    bins = np.linspace(lo, hi, 50) if hi > lo else np.linspace(lo - 1, hi + 1, 50)
    for i, (name, values) in enumerate(data.items()):
        weights = np.full(values.size, 1.0 / values.size)
        colour = COLORS["primary"] if name == base else PALETTE[(i % (len(PALETTE) - 1)) + 1]
        ax.hist(
            np.clip(values, bins[0], bins[-1]),
            bins=bins,
            weights=weights,
            histtype="step",
            linewidth=2.6 if name == base else 2.0,
            color=colour,
            label=f"{name}: {format_percent(above[name])} {word}",
        )
    ax.axvline(threshold, color=COLORS["reference"], linestyle="--", linewidth=1.2)
    ax.set_ylim(bottom=0)
    if currency:
        currency_axis(ax, currency, "x")
    else:
        number_axis(ax, "x")
    percent_axis(ax, "y")
    ncols = len(data) if len(data) <= 3 else 2
    fig.legend(loc="outside lower center", ncols=ncols, frameon=False)  # never over the bars
    shares = ", ".join(f"{k} {format_percent(v)}" for k, v in above.items())
    return finish(
        fig,
        ax,
        title=title,
        subtitle=subtitle,
        xlabel=f"{figure}" + (f" ({currency})" if currency else ""),
        ylabel="Share of trials",
        alt=(
            f"Overlaid distributions of the {figure} under {len(data)} scenarios. Chance it is "
            f"{word}: {shares}."
        ),
    )


@chart
def scenario_bars(
    values: Mapping[str, float],
    *,
    figure: str = "NPV",
    currency: str | None = None,
    base: str | None = None,
    subtitle: str | None = None,
) -> Figure:
    """One figure per scenario as horizontal bars (runs without trials: the plan only).

    Examples
    --------
    >>> fig = scenario_bars({"Base": 4.1e5, "Pessimistic": 1.2e5}, currency="EUR")
    >>> fig.texts[0].get_text()
    'NPV from EUR 120k (Pessimistic) to EUR 410k (Base)'
    """
    if not values:
        raise ParameterError("`values` is empty: give at least one scenario's figure.")
    data = {str(k): float(v) for k, v in values.items() if np.isfinite(v)}
    if not data:
        raise ParameterError("`values` has no finite figure to show.")
    base = base if base in data else next(iter(data))
    low, high = min(data, key=data.get), max(data, key=data.get)
    if low == high:
        title = f"{figure} {_value_text(data[low], currency)} in every scenario"
    else:
        title = (
            f"{figure} from {_value_text(data[low], currency)} ({low}) to "
            f"{_value_text(data[high], currency)} ({high})"
        )
    fig, ax = new_figure((10.5, 0.9 + 0.7 * len(data)))
    names = list(data)[::-1]
    colours = [COLORS["primary"] if n == base else COLORS["light"] for n in names]
    ax.barh(names, [data[n] for n in names], color=colours)
    ax.axvline(0, color=COLORS["reference"], linewidth=1)
    if currency:
        currency_axis(ax, currency, "x")
    else:
        number_axis(ax, "x")
    return finish(
        fig,
        ax,
        title=title,
        subtitle=subtitle,
        xlabel=figure + (f" ({currency})" if currency else ""),
        ylabel="",
        alt=f"{figure} per scenario: "
        + ", ".join(f"{k} {_value_text(v, currency)}" for k, v in data.items())
        + ".",
    )
