"""Downtime a year of a service, today against a continuity option, with the SLA allowance."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ...exceptions import ParameterError
from ..formatting import format_number, format_percent
from ._common import chart, finish, finite, new_figure
from .formatting import percent_axis
from .theme import COLORS

__all__ = ["downtime_comparison"]


def _hours(value: float) -> str:
    return format_number(value, decimals=1, unit="h")


@chart
def downtime_comparison(
    base: Any,
    after: Any,
    *,
    option: str,
    title: str | None = None,
    clip_percentile: float = 0.97,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Histogram of the simulated downtime a year today and with an option, and the SLA line.

    Parameters
    ----------
    base, after : OutageResult
        ``simulate_outages`` of today's service and of the service with the option, on the
        same simulated years: ``downtime_h`` (hours a year, one per trial),
        ``expected_downtime_h``, ``allowed_downtime_h`` (the SLA's allowance, hours a year, or
        None) and ``prob_sla_breach`` (share of years above the allowance).
    option : str
        The option's name, as the report shows it.
    title : str, optional
        Replaces the generated headline, which states how often the SLA allowance is
        exceeded with the option and today.
    clip_percentile : float, default 0.97
        The x axis ends at this percentile of today's downtime (a rare site loss would
        otherwise squeeze the common years into a corner); the years beyond are drawn in the
        last bar and counted in the subtitle.
    figsize : (float, float), optional
        Inches; default 10 x 5.6. ``font_scale=`` (keyword) scales every font.

    Returns
    -------
    matplotlib.figure.Figure
        Step histograms (share of simulated years) of today and with the option; the SLA
        allowance is a vertical line named in the legend, so no label overlaps the bars.

    Examples
    --------
    >>> import numpy as np
    >>> from types import SimpleNamespace as NS
    >>> g = np.random.default_rng(1)
    >>> base = NS(downtime_h=g.gamma(4, 6, 2000), expected_downtime_h=24.0,
    ...           allowed_downtime_h=8.76, prob_sla_breach=0.9)
    >>> after = NS(downtime_h=g.gamma(2, 6, 2000), expected_downtime_h=12.0,
    ...            allowed_downtime_h=8.76, prob_sla_breach=0.4)
    >>> fig = downtime_comparison(base, after, option="Second link")
    >>> " ".join(fig.get_suptitle().split())
    'With Second link, downtime exceeds the SLA allowance in 40 % of years (today 90 %)'
    """
    if not 0.5 <= clip_percentile <= 1:
        raise ParameterError(
            f"`clip_percentile` must be in [0.5, 1]. Got {clip_percentile!r}; use 0.97 to end "
            "the axis at the 97th percentile of today's downtime."
        )
    today = finite(base.downtime_h, "base.downtime_h")
    with_option = finite(after.downtime_h, "after.downtime_h")
    allowed = getattr(base, "allowed_downtime_h", None)
    top = float(np.quantile(today, clip_percentile))
    if allowed is not None:
        top = max(top, float(allowed) * 1.2)
    top = max(top, 1.0)
    edges = np.linspace(0.0, top, 41)
    fig, ax = new_figure(figsize)
    for values, colour, name, mean in (
        (today, COLORS["reference"], "Today", base.expected_downtime_h),
        (with_option, COLORS["primary"], f"With {option}", after.expected_downtime_h),
    ):
        weights = np.full(values.size, 1.0 / values.size)
        ax.hist(np.minimum(values, top), bins=edges, weights=weights, histtype="step", lw=2.4,
                color=colour, label=f"{name}: mean {_hours(mean)} a year")  # fmt: skip
    if allowed is not None:
        ax.axvline(float(allowed), color=COLORS["loss"], lw=2, ls="--",
                   label=f"SLA allowance: {_hours(allowed)} a year")  # fmt: skip
    ax.set_xlim(0, top)
    percent_axis(ax, "y")
    fig.legend(loc="outside lower center", ncols=3 if allowed is not None else 2)
    beyond = int((today > top).sum() + (with_option > top).sum())
    subtitle = f"Downtime a year over {today.size:,} simulated years, today and with {option}"
    if beyond:  # in the subtitle, not a footnote: a footnote would sit on the legend
        subtitle += f"; {beyond:,} years above {_hours(top)} are drawn in the last bar"
    if title is None and allowed is not None:
        title = (
            f"With {option}, downtime exceeds the SLA allowance in "
            f"{format_percent(after.prob_sla_breach)} of years (today "
            f"{format_percent(base.prob_sla_breach)})"
        )
    elif title is None:
        title = f"With {option}, downtime falls from {_hours(base.expected_downtime_h)} to " + (
            f"{_hours(after.expected_downtime_h)} a year"
        )
    return finish(
        fig, ax, title=title,
        subtitle=subtitle,
        xlabel="Downtime a year (hours)", ylabel="Share of simulated years",
        alt=(
            f"Histograms of the simulated downtime a year: today mean "
            f"{_hours(base.expected_downtime_h)}, with {option} mean "
            f"{_hours(after.expected_downtime_h)}"
            + (f"; the SLA allows {_hours(allowed)}." if allowed is not None else ".")
        ),
    )  # fmt: skip
