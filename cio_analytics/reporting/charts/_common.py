"""Shared machinery of the chart functions: figures, alt text, titles, argument checks."""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable
from typing import Any, TypeVar

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..._alt_text import ALT_TEXT_ATTR, alt_text
from ...exceptions import ParameterError
from .theme import COLORS, FIGSIZE, theme_context

__all__ = [
    "ALT_TEXT_ATTR",
    "alt_text",
    "chart",
    "new_figure",
    "set_alt_text",
    "show_figures_in_notebooks",
]

F = TypeVar("F", bound=Callable[..., Figure])


def set_alt_text(fig: Figure, text: str) -> Figure:
    """Attach a descriptive alt text to ``fig`` (used by the HTML reports); returns ``fig``.

    Examples
    --------
    >>> fig = set_alt_text(Figure(), "Bar chart of cost by year.")
    >>> alt_text(fig)
    'Bar chart of cost by year.'
    """
    if not isinstance(fig, Figure):
        raise ParameterError(f"`fig` must be a matplotlib Figure. Got {type(fig).__name__}.")
    if not isinstance(text, str) or not text.strip():
        raise ParameterError(f"`text` must be a non-empty string. Got {text!r}.")
    setattr(fig, ALT_TEXT_ATTR, " ".join(text.split()))
    return fig


def _png(fig: Figure) -> tuple[bytes, dict[str, str]]:
    """The figure as PNG bytes at its own resolution, with its alt text as display metadata."""
    import io

    if fig.canvas is None or not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi, bbox_inches="tight")
    return buf.getvalue(), {"alt": alt_text(fig)}


def show_figures_in_notebooks() -> bool:
    """Make a plain IPython kernel (JupyterLab, papermill) show chart figures as images.

    The chart functions build figures without pyplot, so a kernel whose inline backend was
    never activated would print ``<Figure ...>`` instead of the chart. When no PNG formatter
    for figures is registered, this registers one (with the figure's alt text); a kernel that
    already renders figures (the inline backend, the report packs' kernels) is left as it is.
    Called when :mod:`cio_analytics.reporting.charts` is imported; returns whether it
    registered the formatter.

    >>> show_figures_in_notebooks()  # outside IPython: nothing to do
    False
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the notebook stack
        return False
    shell = get_ipython()
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters.get("image/png")
    if formatter is None:
        return False
    try:
        formatter.lookup_by_type(Figure)
        return False
    except KeyError:
        formatter.for_type(Figure, _png)
        return True


def new_figure(
    figsize: tuple[float, float] | None = None, *, nrows: int = 1, ncols: int = 1, **subplot_kw: Any
) -> tuple[Figure, Any]:
    """A themed Figure that pyplot does not track, and its axes.

    The figure is not registered with :mod:`matplotlib.pyplot`: it is shown when it is the last
    expression of a notebook cell or passed to ``display``, is never shown twice, and never needs
    ``plt.close`` (closing it anyway is harmless).
    """
    fig = Figure(figsize=figsize or FIGSIZE, dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, **subplot_kw)
    return fig, axes


def chart(fn: F) -> F:
    """Decorator: draw inside the theme (``font_scale=`` keyword) and check the result."""

    @functools.wraps(fn)
    def wrapper(*args: Any, font_scale: float = 1.0, **kwargs: Any) -> Figure:
        with theme_context(font_scale):
            fig = fn(*args, **kwargs)
            legible_text(fig)
            legend_clear_of_text(fig)
        return fig

    return wrapper  # type: ignore[return-value]


#: The width a chart is judged at (a projector or a laptop) and the smallest legible text there.
SHOWN_WIDTH_PX = 1024
MIN_FONT_PT = 11.0


def legible_text(fig: Figure) -> Figure:
    """Raise every text of ``fig`` to the smallest legible size when shown 1024 px wide.

    A chart wider than 10 inches is shrunk more when it is shown, so its "small" texts
    (footnotes, bar labels, keys) fall under 11 pt; they are set to the floor
    ``11 * 96 * width_in / 1024`` points (see ``_layout.apparent_size_pt``). Larger texts are
    left as they are. Returns ``fig``.

    Examples
    --------
    >>> fig, ax = new_figure((12.0, 5.0))
    >>> t = ax.text(0.5, 0.5, "note", fontsize=9)
    >>> round(legible_text(fig).axes[0].texts[0].get_fontsize(), 2)
    12.38
    """
    from matplotlib.text import Text

    floor = MIN_FONT_PT * 96.0 * fig.get_figwidth() / SHOWN_WIDTH_PX
    for text in fig.findobj(Text):
        if text.get_fontsize() < floor:
            text.set_fontsize(floor)
    for ax in fig.axes:  # tick labels are made when drawn: set their size on the axis
        for axis, name in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            for which in ("major", "minor"):
                size = axis.get_ticklabels(which=which)
                if any(t.get_fontsize() < floor for t in size):
                    ax.tick_params(axis=name, which=which, labelsize=floor)
    return fig


def legend_clear_of_text(fig: Figure) -> Figure:
    """Move a legend drawn inside a plot under the plot when it covers one of the plot's texts.

    The legend placement rule of the charts: a legend sits inside the plot only where it
    hides nothing; when it overlaps an annotation of the plot (a payback note, a P90 label),
    it becomes a figure legend under the plot, in as many columns (up to four) as fit the
    figure's width. Returns ``fig``.

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> _ = ax.plot([0, 1], [0, 1], label="Cumulative cash flow")
    >>> _ = ax.legend(loc="upper left")
    >>> _ = ax.text(0.02, 0.97, "No payback within 3 years", transform=ax.transAxes, va="top")
    >>> fig = legend_clear_of_text(fig)
    >>> ax.get_legend() is None, len(fig.legends)
    (True, 1)
    """
    movers = [ax for ax in fig.axes if ax.get_legend() is not None and ax.texts]
    if not movers:
        return fig
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in movers:
        legend = ax.get_legend()
        box = legend.get_window_extent(renderer)
        texts = [t for t in ax.texts if t.get_visible() and t.get_text().strip()]
        if not any(box.overlaps(t.get_window_extent(renderer)) for t in texts):
            continue
        handles = list(legend.legend_handles)
        labels = [t.get_text() for t in legend.get_texts()]
        legend.remove()
        for ncols in range(min(4, len(labels)), 0, -1):  # as many columns as fit the width
            moved = fig.legend(handles, labels, loc="outside lower center", ncols=ncols)
            fig.canvas.draw()
            if moved.get_window_extent(renderer).width <= fig.bbox.width or ncols == 1:
                break
            moved.remove()
    return fig


def finish(
    fig: Figure,
    ax: Axes,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    alt: str,
    subtitle: str | None = None,
    note: str | None = None,
) -> Figure:
    """Headline (bold, figure-wide), subtitle, axis labels, footnote and alt text.

    The headline is the figure's suptitle, left-aligned and wrapped to the figure width; the
    subtitle (key numbers, method) is the axes title.
    """
    size = float(mpl.rcParams["axes.titlesize"])
    width_chars = max(30, int(fig.get_figwidth() * 72 / (size * 0.6)))
    fig.suptitle(
        textwrap.fill(title, width_chars),
        x=0.01,
        ha="left",
        fontsize=size,
        fontweight="bold",
        color=COLORS["text"],
    )
    if subtitle:
        sub_chars = max(30, int(0.85 * fig.get_figwidth() * 72 / (size * 13 / 16 * 0.6)))
        subtitle = textwrap.fill(subtitle, sub_chars)
        ax.set_title(subtitle, loc="left", fontsize="medium", color="#555555", fontweight="normal")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if note:
        fig.text(0.01, 0.005, note, ha="left", va="bottom", fontsize="small", color="#666666")
        fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
    return set_alt_text(fig, alt)


def finite(values: Any, name: str) -> np.ndarray:
    """1-D float array of the finite values; error if none is left."""
    arr = np.asarray(values, dtype=float).ravel()
    out = arr[np.isfinite(arr)]
    if out.size == 0:
        raise ParameterError(f"`{name}` has no finite values to plot (all NaN or infinite).")
    return out


def check_choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ParameterError(
            f"`{name}` must be one of {', '.join(repr(c) for c in choices)}. Got {value!r}."
        )
    return value


def label_color(kind: str) -> str:
    return COLORS.get(kind, kind)


def money(value: Any, currency: str | None, **kwargs: Any) -> str:
    """Money for chart text: three significant digits, no trailing zeros (``EUR 1.58M``)."""
    from ..formatting import format_money

    return format_money(value, currency, significant=3, trim=True, **kwargs)
