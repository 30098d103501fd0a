"""Imported once in every report kernel at start-up: alt text for every matplotlib figure.

nbconvert's HTML has no alt text for a chart unless the output carries it, and then warns
"Alternative text is missing". This hook makes the kernel's image formatters attach
``{"alt": ...}`` metadata built from the figure's title and axis labels (a notebook may still
give its own with ``display(fig, metadata={"image/png": {"alt": "..."}})``). It changes what is
displayed only, never a computed number.
"""

from __future__ import annotations

import sys

from .._alt_text import alt_text

_MIMES = ("image/png", "image/jpeg", "image/svg+xml")


def _wrap_formatters() -> None:
    if "matplotlib.figure" not in sys.modules:
        return
    from IPython import get_ipython
    from matplotlib.figure import Figure

    shell = get_ipython()
    if shell is None:
        return
    for mime in _MIMES:
        fmt = shell.display_formatter.formatters.get(mime)
        if fmt is None:
            continue
        try:
            fn = fmt.lookup_by_type(Figure)
        except KeyError:
            continue
        if getattr(fn, "_cioa_alt", False):
            continue

        def with_alt(fig, *args, _fn=fn, **kwargs):
            out = _fn(fig, *args, **kwargs)
            data, md = out if isinstance(out, tuple) else (out, None)
            if data is None:
                return None
            md = dict(md or {})
            md.setdefault("alt", alt_text(fig))
            return data, md

        with_alt._cioa_alt = True  # type: ignore[attr-defined]
        fmt.for_type(Figure, with_alt)


def _install() -> None:
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    try:
        import matplotlib_inline.backend_inline  # noqa: F401 - sets the inline formatters
    except ImportError:
        pass
    _wrap_formatters()
    shell.events.register("pre_run_cell", lambda *a: _wrap_formatters())
    shell.events.register("post_execute", _wrap_formatters)


_install()
