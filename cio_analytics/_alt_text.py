"""The alt text of a chart figure: one definition for the charts and the report kernels.

It reads a matplotlib figure through its own methods and never imports matplotlib, so a report
kernel can load it at start-up for free (:mod:`cio_analytics.pipeline._kernel_setup`) and the
chart functions (:mod:`cio_analytics.reporting.charts`) attach the same text to their images.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ALT_TEXT_ATTR", "alt_text"]

#: Attribute of a Figure holding its explicit alt text (set by ``reporting.charts.set_alt_text``),
#: preferred to the description built from titles and axis labels.
ALT_TEXT_ATTR = "cioa_alt_text"


def alt_text(fig: Any) -> str:
    """The alt text of ``fig``: the explicit one, else a line built from titles and labels.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> ax = fig.subplots()
    >>> _ = ax.set_title("Cost"), ax.set_xlabel("Year"), ax.set_ylabel("Cost (EUR)")
    >>> alt_text(fig)
    'Chart: Cost (Cost (EUR) vs Year)'
    """
    explicit = getattr(fig, ALT_TEXT_ATTR, None)
    if isinstance(explicit, str) and explicit.strip():
        return explicit.strip()
    sup = getattr(fig, "_suptitle", None)
    parts = [sup.get_text()] if sup is not None and sup.get_text() else []
    for ax in fig.axes:
        title = ax.get_title() or ax.get_title("left") or ax.get_title("right")
        labels = [t for t in (ax.get_xlabel(), ax.get_ylabel()) if t]
        text = title + (f" ({' vs '.join(reversed(labels))})" if labels else "")
        if text.strip():
            parts.append(text.strip())
    return "Chart: " + "; ".join(parts) if parts else "Chart without a title"
