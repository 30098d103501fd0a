"""The product's one chart theme: colour-blind-safe palette, fonts readable when projected.

Every chart of :mod:`cio_analytics.reporting.charts` draws inside :func:`theme_context`, so a
chart looks the same whatever the notebook did to matplotlib's settings. :func:`use_theme`
applies the same settings globally, for a notebook's own plots.

The palette is Okabe and Ito's eight colours (distinguishable with the common colour-vision
deficiencies); the roles below give each colour one meaning across the product (blue: the
outcome, vermillion: loss or breach, green: gain or target met, grey: reference lines).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
from matplotlib.colors import LinearSegmentedColormap

__all__ = [
    "COLORS",
    "FIGSIZE",
    "PALETTE",
    "sequential_cmap",
    "theme_context",
    "theme_rc",
    "use_theme",
]

#: Okabe-Ito colours by name (Okabe & Ito 2008, "Color Universal Design").
OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: Colour by role; chart code uses these names, never raw hex values.
COLORS: dict[str, str] = {
    "primary": OKABE_ITO["blue"],
    "secondary": OKABE_ITO["orange"],
    "light": "#A6CEE8",  # a tint of the primary blue: bars behind a line
    "gain": OKABE_ITO["green"],
    "loss": OKABE_ITO["vermillion"],
    "accent": OKABE_ITO["purple"],
    "sky": OKABE_ITO["sky"],
    "reference": "#6E6E6E",  # thresholds, zero lines, targets
    "grid": "#E3E3E3",
    "text": "#222222",
}

#: Categorical palette, in the order series are coloured.
PALETTE: list[str] = [
    OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow")
] + ["#555555"]

#: Default figure size in inches (16:9, 1000 x 562 px at 100 dpi).
FIGSIZE: tuple[float, float] = (10.0, 5.625)

_BASE_FONT = 13.0


def theme_rc(font_scale: float = 1.0) -> dict[str, Any]:
    """Matplotlib rc settings of the theme.

    Parameters
    ----------
    font_scale : float, default 1.0
        Multiplies every font size (1.0: 13 pt text, 16 pt titles on a 10-inch-wide figure,
        readable on a projector at the back of a meeting room).

    Returns
    -------
    dict
        rc parameters for :func:`matplotlib.rc_context` or :func:`matplotlib.rcParams.update`.

    Examples
    --------
    >>> rc = theme_rc()
    >>> rc["axes.titlesize"], rc["axes.spines.top"]
    (16.0, False)
    """
    if not 0.5 <= float(font_scale) <= 3.0:
        from ...exceptions import ParameterError

        raise ParameterError(
            f"`font_scale` must be in [0.5, 3]. Got {font_scale!r}. Use 1.0 for the default size."
        )
    f = _BASE_FONT * float(font_scale)
    return {
        "figure.figsize": FIGSIZE,
        "figure.dpi": 100.0,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "savefig.bbox": "tight",
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
        "font.size": f,
        "axes.titlesize": round(f * 16 / 13, 1),
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.titlepad": 12.0,
        "axes.labelsize": f,
        "axes.labelcolor": COLORS["text"],
        "axes.edgecolor": "#888888",
        "axes.linewidth": 0.8,
        "axes.facecolor": "white",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "axes.axisbelow": True,
        "axes.prop_cycle": mpl.cycler(color=PALETTE),
        "grid.color": COLORS["grid"],
        "grid.linewidth": 0.8,
        "grid.linestyle": "-",
        "xtick.labelsize": round(f * 12 / 13, 1),
        "ytick.labelsize": round(f * 12 / 13, 1),
        "xtick.color": "#444444",
        "ytick.color": "#444444",
        "legend.fontsize": round(f * 12 / 13, 1),
        "legend.frameon": False,
        "lines.linewidth": 2.2,
        "lines.markersize": 6.0,
        "patch.edgecolor": "white",
        "text.color": COLORS["text"],
        "axes.formatter.use_locale": False,
        "axes.unicode_minus": False,
    }


@contextmanager
def theme_context(font_scale: float = 1.0) -> Iterator[dict[str, Any]]:
    """Apply the theme inside a ``with`` block only (the charts draw inside one)."""
    rc = theme_rc(font_scale)
    with mpl.rc_context(rc):
        yield rc


def use_theme(font_scale: float = 1.0, *, overrides: Mapping[str, Any] | None = None) -> None:
    """Apply the product theme to every later matplotlib / seaborn plot of this process.

    The chart functions of this package do not need it (they draw with the theme anyway); call
    it once at the top of a notebook so that its own plots match them.

    Parameters
    ----------
    font_scale : float, default 1.0
        Multiplies every font size; 1.2-1.4 for a slide.
    overrides : mapping, optional
        Extra rc parameters applied last, e.g. ``{"figure.figsize": (8, 4.5)}``.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with mpl.rc_context():
    ...     use_theme()
    ...     print(mpl.rcParams["axes.spines.right"])
    False
    """
    rc = theme_rc(font_scale)
    try:
        import seaborn as sns

        sns.set_theme(style="ticks", palette=PALETTE, rc=rc)
    except ImportError:  # pragma: no cover - seaborn is a dependency
        pass
    mpl.rcParams.update(rc)
    if overrides:
        mpl.rcParams.update(dict(overrides))


def sequential_cmap(color: str = "primary", name: str | None = None) -> LinearSegmentedColormap:
    """A light-to-dark colormap ending in one theme colour (readable in grey scale too).

    Examples
    --------
    >>> sequential_cmap("loss").N
    256
    """
    end = mpl.colors.to_rgb(COLORS.get(color, color))
    dark = tuple(0.55 * c for c in end)
    return LinearSegmentedColormap.from_list(name or f"cioa_{color}", ["#F7F7F7", end, dark], N=256)
