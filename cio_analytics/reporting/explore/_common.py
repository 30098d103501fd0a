"""What the three explorers share: the scenario writer, relative changes as text, the widget frame.

The explorers keep their logic in ``compute()`` (pure, testable without a browser); this module
holds the ipywidgets frame around it: the controls, the headline readout, the executive summary
that is replaced in place on every change, and the "Save as scenario" row.
"""

from __future__ import annotations

import html
import math
import os
import re
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from ..._validation import change_factor
from ...exceptions import ParameterError

__all__ = [
    "DEFAULT_SCENARIOS",
    "parse_change",
    "relative_change",
    "write_scenario",
]

#: Where "Save as scenario" writes by default, relative to the project root.
DEFAULT_SCENARIOS = Path("scenarios") / "explorer.yaml"

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$")


def relative_change(factor: float, decimals: int = 1) -> str:
    """A factor on the plan as the relative change a scenarios file holds.

    Parameters
    ----------
    factor : float
        1.0 = as planned, 0.8 = 20 % below plan.
    decimals : int, default 1
        Most decimals of the percentage (trailing zeros dropped).

    Returns
    -------
    str
        ``"-20 %"``, ``"+15 %"``, ``"+0 %"``.

    Notes
    -----
    ``text = sign(100 (factor - 1)) |100 (factor - 1)| " %"``; :func:`parse_change` reads it back.

    Examples
    --------
    >>> relative_change(0.8), relative_change(1.15), relative_change(1.0)
    ('-20 %', '+15 %', '+0 %')
    >>> parse_change(relative_change(0.875))
    0.875
    """
    if not math.isfinite(float(factor)) or factor < 0:
        raise ParameterError(
            f"`factor` must be a finite factor of the plan >= 0 (1.0 = as planned). Got {factor!r}."
        )
    pct = round(100.0 * (float(factor) - 1.0), decimals)
    text = f"{abs(pct):.{decimals}f}".rstrip("0").rstrip(".")
    return f"{'-' if pct < 0 else '+'}{text} %"


def parse_change(text: str) -> float:
    """The factor of a relative change written as text (``"-20 %"`` -> 0.8).

    Examples
    --------
    >>> parse_change("-20 %"), parse_change("+15%")
    (0.8, 1.15)
    """
    factor = change_factor(str(text))
    if factor is None:
        raise ParameterError(
            f"A relative change must read like '-20 %' or '+15 %'. Got {text!r}. "
            "Write the sign, the percentage and '%'."
        )
    return factor


def _check_name(name: Any) -> str:
    text = str(name).strip() if name is not None else ""
    if not _NAME.match(text) or text == "base":
        raise ParameterError(
            f"The scenario name must be 1-64 letters, digits, spaces, '_', '.' or '-', start "
            f"with a letter or digit, and not be 'base'. Got {name!r}. "
            "Use a short name such as 'pessimistic'."
        )
    return text


def write_scenario(
    path: str | os.PathLike[str],
    name: str,
    overrides: Mapping[str, Any],
    *,
    job: str | None = None,
) -> Path:
    """Write one named variant into a scenarios file, keeping every other variant.

    Parameters
    ----------
    path : str or path-like
        The scenarios YAML (created with its folder if missing).
    name : str
        The variant's name (``"pessimistic"``); an existing variant of that name is replaced.
    overrides : mapping
        Notebook parameter name -> value: a plain value (``discount_rate: 0.1``) or a relative
        change of a model input as text (``benefits: "-20 %"``).
    job : str, optional
        The pack job or report notebook the variant is for (``"investment_case"``); added to
        the file's ``jobs:`` list, so ``cio-analytics run PACK --scenarios FILE`` knows which
        reports to compare.

    Returns
    -------
    pathlib.Path
        The file written.

    Notes
    -----
    The file's shape is ``jobs: [...]`` (when a job is named), ``base: {}`` (kept as found)
    and ``variants: {name: {overrides}}``, as :mod:`cio_analytics.pipeline.scenarios` reads it. The
    file is written to a temporary file and renamed, so a reader never sees half of it.

    Examples
    --------
    >>> import tempfile, pathlib, yaml
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "s.yaml"
    >>> _ = write_scenario(target, "pessimistic", {"benefits": "-20 %"})
    >>> _ = write_scenario(target, "fast", {"discount_rate": 0.1})
    >>> yaml.safe_load(target.read_text())
    {'base': {}, 'variants': {'pessimistic': {'benefits': '-20 %'}, 'fast': {'discount_rate': 0.1}}}
    """
    name = _check_name(name)
    if not isinstance(overrides, Mapping):
        raise ParameterError(
            f"`overrides` must be a mapping of parameter name -> value. Got {type(overrides).__name__}."
        )
    target = Path(path)
    data: dict[str, Any] = {}
    if target.exists():
        try:
            loaded = yaml.safe_load(target.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ParameterError(
                f"{target}: not a readable YAML scenarios file ({exc}). Fix or move it first."
            ) from None
        if loaded is not None and not isinstance(loaded, dict):
            raise ParameterError(
                f"{target}: a scenarios file must hold `base` and `variants`. Got a "
                f"{type(loaded).__name__}. Move it away or choose another file."
            )
        data = dict(loaded or {})
    base = data.get("base") or {}
    variants = dict(data.get("variants") or {})
    variants[name] = {str(k): _plain(v) for k, v in overrides.items()}
    jobs = list(data.get("jobs") or [])
    if job and job not in jobs:
        jobs.append(str(job))
    if jobs:  # the reports compared come first in the file
        data = {"jobs": jobs, **{k: v for k, v in data.items() if k != "jobs"}}
    data.update(base=base, variants=variants)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".scenarios-", suffix=".yaml", dir=target.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        yaml.safe_dump(data, fh, sort_keys=False, allow_unicode=True)
    os.replace(tmp, target)
    return target


def _plain(value: Any) -> Any:
    """numpy scalars as Python numbers, so the YAML stays plain."""
    if hasattr(value, "item"):
        return value.item()
    return value


# ---------------------------------------------------------------------------------- widgets
_READOUT_CSS = (
    "<style>.cio-explore-readout{font:600 1.15em/1.4 system-ui,sans-serif;margin:4px 0 8px}"
    ".cio-explore-readout .cio-explore-time{font-weight:400;color:#555;font-size:.8em}"
    "</style>"
)


def readout_html(label: str, text: str, name: str, elapsed_s: float) -> str:
    """The headline figure the browser test reads: ``<span class="cio-explore-figure">``."""
    return (
        f'{_READOUT_CSS}<div class="cio-explore-readout">{html.escape(label)}: '
        f'<span class="cio-explore-figure" data-figure="{html.escape(name)}">'
        f"{html.escape(text)}</span> "
        f'<span class="cio-explore-time">(updated in {elapsed_s:.2f} s)</span></div>'
    )


def build_widget(
    controls: Mapping[str, Any],
    update: Callable[[dict[str, Any]], tuple[str, str]],
    overrides: Callable[[dict[str, Any]], dict[str, Any]],
    *,
    scenarios_path: str | os.PathLike[str],
    job: str | None = None,
) -> Any:
    """The explorer's page: controls on the left, the readout beside them, the summary below.

    ``update(settings) -> (readout_html, summary_html)`` runs on every change of a control (the
    sliders use ``continuous_update=False``: one update when the handle is released);
    ``overrides(settings)`` gives what "Save as scenario" writes.
    """
    import ipywidgets as w

    from ..charts import use_theme

    use_theme()  # the house look of the report charts
    readout = w.HTML(layout=w.Layout(min_height="2.2em"))
    summary = w.HTML()
    status = w.HTML()
    name_box = w.Text(placeholder="Scenario name, e.g. pessimistic", layout=w.Layout(width="230px"))
    save = w.Button(
        description="Save as scenario",
        icon="save",
        button_style="primary",
        layout=w.Layout(width="170px"),
    )

    def settings() -> dict[str, Any]:
        return {key: c.value for key, c in controls.items()}

    def refresh(_change: Any = None) -> None:
        try:
            head, body = update(settings())
        except Exception as exc:  # shown to the analyst, never a traceback on the page
            readout.value = f"<b>These settings cannot be computed:</b> {html.escape(str(exc))}"
            return
        readout.value = head
        summary.value = body

    def on_save(_button: Any) -> None:
        try:
            written = write_scenario(scenarios_path, name_box.value, overrides(settings()), job=job)
        except Exception as exc:
            status.value = f"<span style='color:#b00020'>{html.escape(str(exc))}</span>"
            return
        status.value = (
            f"Saved “{html.escape(name_box.value.strip())}” to {html.escape(str(written))} "
            f"at {time.strftime('%H:%M:%S')}."
        )

    for control in controls.values():
        control.observe(refresh, names="value")
    save.on_click(on_save)
    refresh()
    left = w.VBox(
        [*controls.values(), w.HBox([name_box, save]), status],
        layout=w.Layout(width="420px", flex="0 0 420px"),
    )
    right = w.VBox([readout], layout=w.Layout(flex="1 1 auto", min_width="0"))
    # the summary takes the full width below: its chart is drawn for a page, not a side column
    return w.VBox([w.HBox([left, right]), summary], layout=w.Layout(width="100%"))


def slider(
    kind: str, description: str, value: float, low: float, high: float, step: float, fmt: str
) -> Any:
    """A slider with its unit in the description and readout, updating on release."""
    import ipywidgets as w

    cls = w.IntSlider if kind == "int" else w.FloatSlider
    return cls(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        readout_format=fmt,
        continuous_update=False,
        style={"description_width": "170px"},
        layout=w.Layout(width="410px"),
    )
