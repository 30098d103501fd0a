"""Is a chart legible on a projector? Text sizes and overlaps measured on the drawn figure.

:func:`check_layout` draws a figure as it is shown at a given width (1024 px: a projector or a
laptop) and returns what a reader would stumble on: text under the minimum size, a legend over
a label or annotation, annotations over each other, tick labels run together, text cut off at
the figure's edge. The chart tests run it on every public chart function.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from ...exceptions import ParameterError

__all__ = ["LayoutFinding", "apparent_size_pt", "check_layout"]

#: Pixels per inch of a screen in CSS terms (a 12 pt font is 16 px on a web page).
CSS_PX_PER_INCH = 96.0
#: Two boxes "overlap" when they share at least this many pixels in each direction (boxes of
#: text touch at their edges by design: a label under its tick, lines of a legend).
_TOUCH_PX = 1.0


@dataclass(frozen=True)
class LayoutFinding:
    """One legibility problem of a figure.

    Attributes
    ----------
    rule : str
        ``"small-text"``, ``"legend-overlap"``, ``"text-overlap"``, ``"tick-overlap"`` or
        ``"outside-figure"``.
    text : str
        The text concerned (the first 60 characters, on one line).
    detail : str
        What is wrong, in words (the size, or the text it overlaps).
    """

    rule: str
    text: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.text!r} {self.detail}"


def apparent_size_pt(fontsize_pt: float, fig_width_in: float, width_px: float) -> float:
    """The size a font appears at when the whole figure is shown ``width_px`` wide on screen.

    Parameters
    ----------
    fontsize_pt : float
        The font size in the figure (points, 1/72 inch of the figure).
    fig_width_in : float
        The figure's width in inches.
    width_px : float
        The width the figure is shown at, in CSS pixels (96 per inch).

    Returns
    -------
    float
        Points on the screen.

    Notes
    -----
    The figure is scaled by ``width_px / (fig_width_in * 96)``, so the font appears at
    ``fontsize_pt * width_px / (96 * fig_width_in)`` points.

    Examples
    --------
    >>> round(apparent_size_pt(12.0, 10.0, 1024), 2)  # the theme's tick labels
    12.8
    >>> round(apparent_size_pt(9.0, 16.0, 1024), 2)  # small text on a wide figure
    6.0
    """
    return float(fontsize_pt) * float(width_px) / (CSS_PX_PER_INCH * float(fig_width_in))


def _line(text: str) -> str:
    one = " ".join(text.split())
    return one if len(one) <= 60 else one[:57] + "..."


def _tick_labels(axis: Axis) -> list[Text]:
    """The tick labels the axis draws: those of ticks inside its view interval."""
    lo, hi = sorted(axis.get_view_interval())
    tol = 1e-9 * max(1.0, abs(hi - lo))
    out = []
    for ticks, locs in (
        (axis.get_major_ticks(), axis.get_majorticklocs()),
        (axis.get_minor_ticks(), axis.get_minorticklocs()),
    ):
        for tick, loc in zip(ticks, locs, strict=False):
            if not (lo - tol <= loc <= hi + tol):
                continue
            for label in (tick.label1, tick.label2):
                if label.get_visible() and label.get_text().strip():
                    out.append(label)
    return out


def _legends(fig: Figure) -> list[Legend]:
    found = list(fig.legends)
    found += [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    return [lg for lg in found if lg.get_visible()]


def _overlap(a: Bbox, b: Bbox) -> bool:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w >= _TOUCH_PX and h >= _TOUCH_PX


def check_layout(
    fig: Figure, *, width_px: float = 1024, min_font_pt: float = 11
) -> list[LayoutFinding]:
    """What makes ``fig`` hard to read when shown ``width_px`` wide.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The chart, as a chart function returned it (it is drawn, then left as it was).
    width_px : float, default 1024
        The width the figure is shown at, in CSS pixels.
    min_font_pt : float, default 11
        The smallest legible text, in points on the screen (see :func:`apparent_size_pt`).

    Returns
    -------
    list of LayoutFinding
        Empty when every visible text is at least ``min_font_pt`` and nothing overlaps:
        ``small-text`` (a text under the size), ``legend-overlap`` (a legend over a title,
        label, annotation or tick label), ``text-overlap`` (titles, axis labels and
        annotations over each other or over tick labels), ``tick-overlap`` (neighbouring
        tick labels of one axis run together), ``outside-figure`` (text cut off at the edge).

    Notes
    -----
    Boxes are the drawn extents of the texts (matplotlib's ``get_window_extent``) after a
    draw with the figure's own layout engine; two boxes overlap when they share at least one
    pixel both across and down. The texts of a legend are checked against other texts
    through the legend's box, not one by one.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(10, 5.6))
    >>> ax = fig.subplots()
    >>> _ = ax.set_title("Cost by year", fontsize=14)
    >>> ax.tick_params(labelsize=12)
    >>> _ = ax.text(0.5, 0.5, "tiny", fontsize=6)
    >>> [(f.rule, f.text) for f in check_layout(fig)]
    [('small-text', 'tiny')]
    """
    if not isinstance(fig, Figure):
        raise ParameterError(
            f"`fig` must be a matplotlib Figure. Got {type(fig).__name__}. "
            "Pass what a chart function returned."
        )
    if not (float(width_px) > 0 and float(min_font_pt) > 0):
        raise ParameterError(
            f"`width_px` and `min_font_pt` must be positive. Got {width_px!r} and "
            f"{min_font_pt!r}. Use 1024 and 11 for a projector."
        )
    if fig.canvas is None or not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legends, free, ticks, legend_texts = _texts(fig)
    tick_texts = [t for group in ticks for t in group]
    every = free + tick_texts + legend_texts
    box = {id(t): t.get_window_extent(renderer) for t in every}
    return [
        *_small_text(every, fig.get_figwidth(), width_px, min_font_pt),
        *_cut_off(every, box, fig.bbox),
        *_overlaps(legends, free, ticks, box, renderer),
    ]


def _texts(fig: Figure) -> tuple[list[Legend], list[Text], list[list[Text]], list[Text]]:
    """The figure's legends, free texts (titles, labels, annotations), the tick labels of each
    drawn axis, and the legends' own texts; only visible, non-empty texts."""
    legends = _legends(fig)
    legend_texts = [t for lg in legends for t in [*lg.get_texts(), lg.get_title()]]
    in_legend = {id(t) for t in legend_texts}
    ticks: list[list[Text]] = []
    free: list[Text] = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for axis in (ax.xaxis, ax.yaxis):
            if ax.axison and axis.get_visible():  # ``ax.axis("off")`` draws no tick label
                ticks.append(_tick_labels(axis))
        free += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        free += list(ax.texts)
    free += [t for t in (fig._suptitle, fig._supxlabel, fig._supylabel) if t is not None]
    free += list(fig.texts)
    seen: set[int] = set()  # the suptitle is also one of ``fig.texts``
    free = [
        t
        for t in free
        if t.get_visible()
        and t.get_text().strip()
        and id(t) not in in_legend
        and not (id(t) in seen or seen.add(id(t)))
    ]
    legend_texts = [t for t in legend_texts if t.get_visible() and t.get_text().strip()]
    return legends, free, ticks, legend_texts


def _small_text(
    texts: list[Text], fig_width_in: float, width_px: float, min_font_pt: float
) -> list[LayoutFinding]:
    out = []
    for t in texts:
        size = apparent_size_pt(t.get_fontsize(), fig_width_in, width_px)
        if size < min_font_pt - 1e-9:
            out.append(
                LayoutFinding(
                    "small-text",
                    _line(t.get_text()),
                    f"is {size:.1f} pt at {width_px:g} px wide "
                    f"(font {t.get_fontsize():.1f} pt on a {fig_width_in:g}-inch figure); "
                    f"at least {min_font_pt:g} pt is legible",
                )
            )
    return out


def _cut_off(texts: list[Text], box: dict[int, Bbox], fig_box: Bbox) -> list[LayoutFinding]:
    out = []
    for t in texts:
        b = box[id(t)]
        if (
            b.x0 < fig_box.x0 - _TOUCH_PX
            or b.y0 < fig_box.y0 - _TOUCH_PX
            or b.x1 > fig_box.x1 + _TOUCH_PX
            or b.y1 > fig_box.y1 + _TOUCH_PX
        ):
            out.append(
                LayoutFinding("outside-figure", _line(t.get_text()), "is cut off at the edge")
            )
    return out


def _overlaps(
    legends: list[Legend],
    free: list[Text],
    ticks: list[list[Text]],
    box: dict[int, Bbox],
    renderer: Any,
) -> list[LayoutFinding]:
    out = []
    tick_texts = [t for group in ticks for t in group]
    for lg in legends:
        lb = lg.get_window_extent(renderer)
        out += [
            LayoutFinding("legend-overlap", _line(t.get_text()), "is under the legend")
            for t in free + tick_texts
            if _overlap(lb, box[id(t)])
        ]
    for a, b in combinations(legends, 2):
        if _overlap(a.get_window_extent(renderer), b.get_window_extent(renderer)):
            out.append(LayoutFinding("legend-overlap", "legend", "overlaps another legend"))
    for a, b in combinations(free, 2):
        if _overlap(box[id(a)], box[id(b)]):
            out.append(
                LayoutFinding(
                    "text-overlap", _line(a.get_text()), f"overlaps {_line(b.get_text())!r}"
                )
            )
    for a in free:
        out += [
            LayoutFinding(
                "text-overlap", _line(a.get_text()), f"overlaps tick label {_line(b.get_text())!r}"
            )
            for b in tick_texts
            if _overlap(box[id(a)], box[id(b)])
        ]
    for group in ticks:
        out += [
            LayoutFinding("tick-overlap", _line(a.get_text()), f"runs into {_line(b.get_text())!r}")
            for a, b in combinations(group, 2)
            if _overlap(box[id(a)], box[id(b)])
        ]
    return out
