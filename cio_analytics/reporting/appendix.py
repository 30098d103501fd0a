"""What a report was run with: the parameters as a small table, provenance as a closing appendix.

In a report notebook the parameters are plain variables (papermill injects a cell of
assignments, hidden in the HTML), so :func:`parameters_table` takes them explicitly, or takes the
kernel's namespace with the notebook's path and keeps the names its ``parameters`` cell declares,
with their help texts. :func:`provenance_appendix` renders a collapsed ``<details>`` block: seed,
SHA-256 of each data file, Python and package versions, run date.
"""

from __future__ import annotations

import html
import platform
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from ..exceptions import ParameterError
from .formatting import MISSING, format_money, format_number, format_percent
from .tables import format_table, humanize

__all__ = ["Provenance", "parameters_table", "provenance_appendix"]

DEFAULT_PACKAGES = ("cio-analytics", "numpy", "pandas", "scipy", "matplotlib", "papermill")
_PERCENT_NAME = re.compile(
    r"(rate|level|shrinkage|occupancy|confidence|growth|probability|share|attrition)$"
)
_PERCENT_HELP = re.compile(r"\b(decimal|share of|probability)\b", re.IGNORECASE)
_MONEY_NAME = re.compile(r"(cost|loss|budget|amount|price|value)(_|$)")


def _format_parameter(name: str, value: Any, help_text: str, currency: str | None) -> str:
    if value is None or (isinstance(value, str) and value == ""):
        return "not set"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return ", ".join(_format_parameter(name, v, help_text, currency) for v in value)
    if isinstance(value, dict):  # a scenario's adjustments: "benefits -20 %, capex +15 %"
        if not value:
            return "not set"
        return ", ".join(
            f"{str(k).replace('_', ' ')} {_format_parameter(str(k), v, '', currency)}"
            for k, v in value.items()
        )
    if isinstance(value, int):
        return format_number(value) if name.startswith("n_") else str(value)
    if isinstance(value, float):
        if _PERCENT_NAME.search(name) or _PERCENT_HELP.search(help_text):
            return format_percent(value)
        if _MONEY_NAME.search(name):
            return format_money(value, currency, style="full")
        text = format_number(value, decimals=0 if value.is_integer() else 2)
        text = text.rstrip("0").rstrip(".") if "." in text else text
        return text + (" s" if name.endswith("_s") else " h" if name.endswith("_h") else "")
    return str(value)


def parameters_table(
    params: Mapping[str, Any] | None = None,
    *,
    notebook: str | Path | None = None,
    caption: str | None = "Scenario parameters",
    **values: Any,
) -> Any:
    """The run's parameters as a small formatted table: Parameter, Value, Meaning.

    Parameters
    ----------
    params : mapping, optional
        Parameter name -> value. With ``notebook``, may be the whole kernel namespace
        (``globals()``): only the names the notebook's ``parameters`` cell declares are shown.
    notebook : str or Path, optional
        The report notebook (relative to the project root): its parameters cell gives the
        order and the help texts (the "Meaning" column).
    caption : str, optional
    **values
        Parameters given one by one (``parameters_table(discount_rate=discount_rate)``).

    Returns
    -------
    pandas.io.formats.style.Styler
        Rates and shares as percentages, counts with thousands separators, empty paths as
        ``not set``, amounts (``cost_*``, ``*_loss``) in the ``currency`` parameter's currency.

    Examples
    --------
    >>> t = parameters_table(discount_rate=0.08, n_trials=10000, seed=2026, case_path="a.yaml")
    >>> t.data.to_dict("list")["Value"]
    ['8 %', '10,000', '2026', 'a.yaml']
    """
    given = {**dict(params or {}), **values}
    helps: dict[str, str] = {}
    if notebook is not None:
        from ..io.paths import resolve_data_path
        from .parameters import read_schema

        schema = read_schema(resolve_data_path(notebook, parameter="notebook"))
        missing = [p.name for p in schema.params if p.name not in given]
        if missing:
            raise ParameterError(
                f"`parameters_table`: no value for {missing} declared in {Path(notebook).name}. "
                "Pass the notebook's namespace (globals()) or each value."
            )
        helps = {p.name: p.help for p in schema.params}
        given = {name: given[name] for name in helps}
    elif not given:
        raise ParameterError(
            "`parameters_table` needs the parameters: pass a mapping or name=value."
        )
    cur = given.get("currency") if isinstance(given.get("currency"), str) else None
    rows = [
        (humanize(name), _format_parameter(name, value, helps.get(name, ""), cur), helps.get(name))
        for name, value in given.items()
    ]
    frame = pd.DataFrame(rows, columns=["Parameter", "Value", "Meaning"])
    if not helps:
        frame = frame.drop(columns="Meaning")
    styler = format_table(frame, caption=caption)
    return styler.set_properties(subset=["Value"], **{"text-align": "right"})


class Provenance:
    """A collapsed provenance appendix (an IPython display object; see :func:`provenance_appendix`)."""

    def __init__(self, title: str, facts: list[tuple[str, str]], files: list[tuple[str, str, str]]):
        self.title, self.facts, self.files = title, facts, files

    def _repr_html_(self) -> str:
        esc = html.escape
        facts = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in self.facts)
        files = "".join(
            f"<tr><td><code>{esc(p)}</code></td><td>{esc(size)}</td>"
            f"<td><code style='word-break:break-all'>{esc(h)}</code></td></tr>"
            for p, size, h in self.files
        )
        table = "border-collapse:collapse;font-size:.85em;margin:.5em 0"
        file_table = (
            f"<table style='{table}'><tr><th>Data file</th><th>Size</th><th>SHA-256</th></tr>"
            f"{files}</table>"
            if files
            else "<p>No data files.</p>"
        )
        return (
            "<details class='cioa-provenance' id='provenance'>"
            f"<summary style='cursor:pointer;font-weight:600'>{esc(self.title)}</summary>"
            f"<table style='{table}'>{facts}</table>{file_table}</details>"
        )

    def _repr_markdown_(self) -> str:
        lines = [f"**{self.title}**", "", *(f"- {k}: {v}" for k, v in self.facts)]
        lines += [f"- `{p}` ({size}): `{h}`" for p, size, h in self.files]
        return "\n".join(lines) + "\n"


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return MISSING  # pragma: no cover


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def provenance_appendix(
    *,
    seed: int | None = None,
    files: Iterable[str | Path | None] | Mapping[str, str | Path | None] = (),
    packages: Iterable[str] = DEFAULT_PACKAGES,
    extra: Mapping[str, Any] | None = None,
    run_date: datetime | None = None,
    title: str = "Appendix: provenance (seed, data files, versions)",
) -> Provenance:
    """A collapsed appendix that lets anyone replay the report: seed, data hashes, versions.

    Parameters
    ----------
    seed : int, optional
        The random seed of the run (shown as "not used" for a deterministic report).
    files : iterable of paths, or mapping label -> path
        Data files read (relative to the project root or absolute); ``None`` and ``""`` are
        skipped (optional files not given). Each is listed with its size and SHA-256.
    packages : iterable of str
        Distribution names whose installed versions are listed (with Python's).
    extra : mapping, optional
        More facts to list (``{"Trials": "10,000"}``).
    run_date : datetime, optional
        Default: now, UTC.
    title : str

    Returns
    -------
    Provenance
        Displays as a ``<details>`` block, closed until clicked.

    Examples
    --------
    >>> p = provenance_appendix(seed=7, files=[], packages=["numpy"])
    >>> html_text = p._repr_html_()
    >>> html_text.startswith("<details") and " open" not in html_text.split(">")[0]
    True
    """
    from ..io.paths import file_sha256, resolve_data_path

    items = files.items() if isinstance(files, Mapping) else ((None, f) for f in files)
    rows = []
    for label, path in items:
        if path is None or str(path) == "":
            continue
        resolved = resolve_data_path(path, parameter=str(label or "files"))
        shown = f"{label}: {path}" if label else str(path)
        rows.append((shown, _size(resolved.stat().st_size), file_sha256(resolved)))
    when = (run_date or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M %Z").strip()
    facts = [
        ("Run date", when),
        ("Random seed", "not used (no random draws)" if seed is None else str(seed)),
        ("Python", f"{platform.python_version()} ({platform.system()} {platform.machine()})"),
        *((pkg, _version(pkg)) for pkg in packages),
        *((str(k), str(v)) for k, v in (extra or {}).items()),
    ]
    return Provenance(title, facts, rows)
