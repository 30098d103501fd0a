"""The notebook contract: a report notebook's parameter schema, read from its ``parameters`` cell.

What goes into a report notebook is declared in its first code cell, tagged ``parameters``: one
typed literal per line, in papermill's contract plus a type and a help comment::

    discount_rate: float = 0.08  # annual discount rate, decimal [0, 1)
    n_trials: int = 10_000  # Monte Carlo trials [100, 1_000_000]
    currency: str = "EUR"  # currency code {EUR, USD, GBP}
    case_path: str = "data/sample/case.yaml"  # the investment case file
    as_of: str = ""  # day the report is read, ISO (e.g. "2026-12-07"); empty: today
    business_unit: str = None  # required: which unit this report is for

- ``type`` is one of ``int``, ``float``, ``str``, ``bool``, ``list``, ``dict`` (a mapping of
  text keys, e.g. a scenario's ``adjustments``; the notebook checks its entries). A default of ``None`` (or
  a ``T | None`` type) lets the parameter be ``None`` ("not given"; the notebook decides).
- A trailing ``[lo, hi]`` in the comment is the allowed range (``(`` / ``)`` for open ends, empty
  or ``inf`` for no bound); for a ``list`` it applies to every element. A trailing ``{a, b}``
  lists the allowed values of a ``str``. A ``list`` whose default holds numbers (or text) takes
  numbers (or text) only.
- **Required**: a default of ``None`` and a help comment that starts with ``required``
  (``business_unit: str = None  # required: the unit``) means the notebook has no sensible
  default: every parameter set must give a value that is not ``None``.
- A ``str`` parameter whose name ends in ``_path`` names a data file, relative to the project root
  or absolute; it must exist before anything runs, and the manifest records its SHA-256.
  ``None`` or an empty string means "no file" and is not checked.
- A ``str`` parameter named ``as_of`` or ending in ``_date`` or ``_start``, or whose help says
  ``ISO``, holds an ISO 8601 date (``2026-03-30``) or date-time; an empty string means "not given".

The same schema is checked in two places with the same messages: by the pack runner and the
command line before anything runs (:mod:`cio_analytics.pipeline.params`), and inside the kernel
by the cell that follows the parameters cell in every report notebook,
``check_parameters(globals())``, so a notebook run by JupyterLab or plain papermill refuses a
misspelt or out-of-range parameter before any work. This module is the kernel side: it imports
nothing heavy (``nbformat`` only inside :func:`read_schema`).
"""

from __future__ import annotations

import ast
import io
import json
import math
import numbers
import os
import re
import tokenize
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .._validation import did_you_mean, short_repr
from ..exceptions import ParameterError

__all__ = [
    "NOTEBOOK_ENV",
    "NotebookSchema",
    "Param",
    "ParameterValidationError",
    "check_parameters",
    "coerce_value",
    "parse_parameters_source",
    "read_schema",
]

#: Environment variable naming the notebook a kernel runs (set by the pack runner), so the
#: kernel-side check names it as the command line does.
NOTEBOOK_ENV = "CIO_ANALYTICS_NOTEBOOK"

TYPES = ("int", "float", "str", "bool", "list", "dict")
_NUM = r"[-+]?(?:\d[\d_]*\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|inf)"
_RANGE = re.compile(rf"([\[(])\s*({_NUM})?\s*,\s*({_NUM})?\s*([\])])\s*$")
_CHOICES = re.compile(r"\{([^{}]+)\}\s*$")


class ParameterValidationError(ParameterError):
    """Every problem found in a pack's parameter sets, listed in one message.

    ``problems`` holds one line per problem; nothing was run and nothing was written.
    """

    def __init__(self, problems: list[str], *, context: str = "") -> None:
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) found{context}; nothing was run or written:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))


@dataclass(frozen=True)
class Param:
    """One parameter of a notebook, as declared in its parameters cell."""

    name: str
    type: str
    default: Any
    help: str = ""
    low: float | None = None
    high: float | None = None
    low_closed: bool = True
    high_closed: bool = True
    choices: tuple[str, ...] | None = None
    optional: bool = False
    line: int = 0

    @property
    def required(self) -> bool:
        """True when the default is ``None`` and the help text starts with "required"."""
        return self.default is None and self.help.lower().startswith("required")

    @property
    def is_path(self) -> bool:
        """True for a ``str`` parameter naming a data file (its name ends in ``_path``)."""
        return self.type == "str" and self.name.endswith("_path")

    @property
    def is_date(self) -> bool:
        """True for a ``str`` parameter holding an ISO 8601 date: named ``as_of`` or ``*_date``
        or ``*_start``, or whose help says ``ISO``."""
        return self.type == "str" and (
            self.name == "as_of" or self.name.endswith(("_date", "_start")) or "ISO" in self.help
        )

    @property
    def range_text(self) -> str:
        """The allowed range as written (``"[0, 1)"``), or an empty string."""
        if self.low is None and self.high is None:
            return ""
        lo = "" if self.low is None else _num_text(self.low)
        hi = "" if self.high is None else _num_text(self.high)
        return f"{'[' if self.low_closed else '('}{lo}, {hi}{']' if self.high_closed else ')'}"

    @property
    def type_text(self) -> str:
        return self.type


@dataclass(frozen=True)
class NotebookSchema:
    """The parameters of one notebook, in cell order, and any problem with the cell's form."""

    notebook: Path
    params: tuple[Param, ...]
    problems: tuple[str, ...] = field(default=())

    def __getitem__(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.params]

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def validate(
        self, values: dict[str, Any], *, root: Path, who: str = ""
    ) -> tuple[dict[str, Any], list[str]]:
        """Coerce ``values`` over the defaults; return ``(full parameter set, problems)``.

        ``who`` prefixes every problem (e.g. the job name). Unknown names get a did-you-mean,
        required parameters without a value, wrong types, out-of-range values and missing
        input files each give one problem line.
        """
        prefix = f"{who}: " if who else ""
        problems = [f"{prefix}{p}" for p in self.problems]
        out = self.defaults()
        for name, value in values.items():
            if name not in out:
                problems.append(
                    f"{prefix}`{name}` is not a parameter of {self.notebook.name}."
                    f"{did_you_mean(name, self.names)} Its parameters: {', '.join(self.names)}."
                )
                continue
            try:
                out[name] = coerce_value(self[name], value)
            except ParameterError as exc:
                problems.append(f"{prefix}{exc}")
                out[name] = None
        for p in self.params:
            if p.required and out[p.name] is None:
                problems.append(
                    f"{prefix}`{p.name}` is required ({p.help or p.type}) and has no value. "
                    f"Give it in the pack or with -p {p.name}=..."
                )
            elif p.is_path and out[p.name]:
                if not resolve_input(out[p.name], root).is_file():
                    problems.append(
                        f"{prefix}`{p.name}`: no file at {out[p.name]!r} (relative to the project "
                        f"root, {root.name}/). Fix the path or add the file."
                    )
        return out, problems


def _num_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


def resolve_input(value: str, root: Path) -> Path:
    """An input file named by a ``_path`` parameter: absolute, or relative to ``root``."""
    p = Path(value).expanduser()
    return p if p.is_absolute() else root / p


def _number(text: str | None) -> float | None:
    if text is None or text.strip().lstrip("+-") == "inf":
        return None
    return float(text.replace("_", ""))


def _comments(source: str) -> dict[int, str]:
    out: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                out[tok.start[0]] = tok.string[1:].strip()
    except (tokenize.TokenError, SyntaxError):
        pass
    return out


def _annotation(node: ast.expr) -> tuple[str | None, bool]:
    if isinstance(node, ast.Name) and node.id in TYPES:
        return node.id, False
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        sides = [node.left, node.right]
        nones = [s for s in sides if isinstance(s, ast.Constant) and s.value is None]
        names = [s for s in sides if isinstance(s, ast.Name) and s.id in TYPES]
        if len(nones) == 1 and len(names) == 1:
            return names[0].id, True
    return None, False


_FORM = "write it as `name: type = literal  # help text [lo, hi]`"


def parse_parameters_source(source: str, notebook: Path | str = "notebook") -> NotebookSchema:
    """Parse the source of a parameters cell into a :class:`NotebookSchema`.

    Examples
    --------
    >>> s = parse_parameters_source("rate: float = 0.08  # annual, decimal [0, 1)\\nunit: str = None  # required: the unit")
    >>> [(p.name, p.type, p.default, p.range_text, p.required) for p in s.params]
    [('rate', 'float', 0.08, '[0, 1)', False), ('unit', 'str', None, '', True)]
    """
    notebook = Path(notebook)
    problems: list[str] = []
    params: list[Param] = []
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return NotebookSchema(notebook, (), (f"{notebook.name}: parameters cell: {exc}",))
    comments = _comments(source)
    for node in tree.body:
        where = f"{notebook.name} parameters cell line {node.lineno}"
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            problems.append(f"{where}: {ast.unparse(node)[:60]!r} is not a typed literal; {_FORM}.")
            continue
        name = node.target.id
        type_, optional = _annotation(node.annotation)
        if type_ is None:
            problems.append(
                f"{where}: `{name}` has type {ast.unparse(node.annotation)!r}; "
                f"use one of {', '.join(TYPES)} (or `T | None`)."
            )
            continue
        if node.value is None:
            problems.append(f"{where}: `{name}` has no value; {_FORM}.")
            continue
        try:
            default = ast.literal_eval(node.value)
        except ValueError:
            problems.append(
                f"{where}: `{name}` = {ast.unparse(node.value)[:40]!r} is not a literal; "
                "compute derived values in a later cell."
            )
            continue
        comment = comments.get(node.end_lineno or node.lineno, "")
        if not comment:
            problems.append(f"{where}: `{name}` has no help comment; {_FORM}.")
        help_text, low, high, lo_c, hi_c, choices = comment, None, None, True, True, None
        m = _RANGE.search(comment)
        if m and type_ in ("int", "float", "list"):
            low, high = _number(m.group(2)), _number(m.group(3))
            lo_c, hi_c = m.group(1) == "[", m.group(4) == "]"
            help_text = comment[: m.start()].strip()
        m = _CHOICES.search(comment)
        if m and type_ == "str":
            choices = tuple(c.strip().strip("'\"") for c in m.group(1).split(","))
            help_text = comment[: m.start()].strip()
        optional = optional or default is None
        param = Param(name, type_, None, help_text, low, high, lo_c, hi_c, choices, optional)
        param = Param(**{**param.__dict__, "line": node.lineno})
        if default is not None:
            try:
                default = coerce_value(param, default)
            except ParameterError as exc:
                problems.append(f"{where}: default: {exc}")
        params.append(Param(**{**param.__dict__, "default": default}))
    names = [p.name for p in params]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"{notebook.name}: parameter `{dup}` is declared twice.")
    return NotebookSchema(notebook, tuple(params), tuple(problems))


def parameters_cell(nb: Any) -> Any:
    """The first code cell tagged ``parameters``, or None."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return cell
    return None


class _Node(dict):
    """A notebook or cell read as plain JSON, with nbformat's attribute access."""

    __getattr__ = dict.__getitem__


def _read_cells(notebook: Path) -> Any:
    """The notebook's cells, read as JSON (sources joined into one string).

    Not ``nbformat.read``: importing nbformat imports jsonschema, whose format checkers build
    dozens of grammars on import (``rfc3987_syntax``, about 1.5 s), and every report kernel
    reads its schema at start-up. A notebook of another nbformat major version than 4 is
    read (and converted) by nbformat.
    """
    with open(notebook, encoding="utf-8") as fh:
        raw = json.load(fh)
    if not isinstance(raw, dict) or raw.get("nbformat") != 4:
        import nbformat

        return nbformat.read(notebook, as_version=4)
    cells = []
    for c in raw.get("cells", []):
        source = c.get("source", "")
        cells.append(_Node(c, source="".join(source) if isinstance(source, list) else source))
    return _Node(cells=cells)


def read_schema(notebook: str | Path) -> NotebookSchema:
    """Read a notebook's parameter schema from its ``parameters`` cell."""
    notebook = Path(notebook)
    nb = _read_cells(notebook)
    cell = parameters_cell(nb)
    if cell is None:
        return NotebookSchema(
            notebook, (), (f"{notebook.name}: no code cell is tagged `parameters`.",)
        )
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    schema = parse_parameters_source(cell.source, notebook)
    if first_code is not cell:
        schema = NotebookSchema(
            notebook,
            schema.params,
            (
                *schema.problems,
                f"{notebook.name}: the `parameters` cell is not the first code cell.",
            ),
        )
    return schema


def _kind(value: Any) -> str:
    return f"{short_repr(value)} ({type(value).__name__})"


def _check_number(p: Param, value: Any, kind: str) -> int | float:
    if isinstance(value, (bool, str)) or not isinstance(value, numbers.Real):
        raise ParameterError(f"`{p.name}` must be {kind}. Got {_kind(value)}.")
    out: int | float
    if kind == "an integer":
        if isinstance(value, numbers.Integral):
            out = int(value)
        elif math.isfinite(float(value)) and float(value).is_integer():
            out = int(float(value))
        else:
            raise ParameterError(f"`{p.name}` must be an integer. Got {_kind(value)}.")
    else:
        out = float(value)
    lo_bad = p.low is not None and (out < p.low if p.low_closed else out <= p.low)
    hi_bad = p.high is not None and (out > p.high if p.high_closed else out >= p.high)
    if lo_bad or hi_bad or (isinstance(out, float) and math.isnan(out)):
        raise ParameterError(
            f"`{p.name}` must be in {p.range_text or '(-inf, inf)'}. Got {short_repr(value)}."
            + (f" ({p.help})" if p.help else "")
            + _percent_hint(p, out)
        )
    return out


def _percent_hint(p: Param, value: float) -> str:
    """The "use 0.08 for 8 %" hint when a decimal was typed as a percentage."""
    words = ("decimal", "share", "probability", "rate")
    decimal = any(w in p.help.lower() for w in words) or p.name.endswith(("_rate", "_share"))
    if not decimal or not math.isfinite(value) or p.high is None or value <= p.high:
        return ""
    fraction = value / 100
    if p.high is not None and (fraction > p.high or (fraction == p.high and not p.high_closed)):
        return ""
    what = "Rates" if "rate" in p.name else "Shares"
    return f" {what} are decimals: use {fraction:g} for {value:g} %."


def coerce_value(p: Param, value: Any) -> Any:
    """Check ``value`` against ``p`` and return it coerced to the declared type.

    Examples
    --------
    >>> coerce_value(Param("rate", "float", 0.08, low=0, high=1), 7 / 100)
    0.07
    >>> coerce_value(Param("n_trials", "int", 10), 7.0)
    7
    >>> coerce_value(Param("x", "float", 1.0), 7)
    7.0
    """
    if value is None:
        if p.optional:
            return None
        raise ParameterError(f"`{p.name}` must be a {p.type}; None is not allowed.")
    if p.type == "int":
        return _check_number(p, value, "an integer")
    if p.type == "float":
        return _check_number(p, value, "a number")
    if p.type == "bool":
        if not isinstance(value, bool):
            raise ParameterError(f"`{p.name}` must be true or false. Got {_kind(value)}.")
        return value
    if p.type == "str":
        if p.is_date and isinstance(value, (date, datetime)):
            value = value.isoformat()  # a YAML file reads 2026-03-30 as a date
        if not isinstance(value, str):
            raise ParameterError(f"`{p.name}` must be text. Got {_kind(value)}.")
        if p.choices is not None and value not in p.choices:
            raise ParameterError(
                f"`{p.name}` must be one of {', '.join(map(repr, p.choices))}. "
                f"Got {value!r}.{did_you_mean(value, p.choices)}"
            )
        if p.is_date and value.strip():
            _check_date(p, value)
        return value
    if p.type == "dict":
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            raise ParameterError(
                f"`{p.name}` must be a mapping of name: value, e.g. {{benefits: -20 %}}. "
                f"Got {_kind(value)}."
            )
        return dict(value)
    if not isinstance(value, (list, tuple)):
        raise ParameterError(f"`{p.name}` must be a list, e.g. [1, 2]. Got {_kind(value)}.")
    items = list(value)
    kinds = {type(v) for v in (p.default or [])}
    want = "a number" if kinds and kinds <= {int, float} else "text" if kinds == {str} else None
    for i, v in enumerate(items, start=1):
        is_number = isinstance(v, (int, float)) and not isinstance(v, bool)
        if want and (not is_number if want == "a number" else not isinstance(v, str)):
            raise ParameterError(
                f"`{p.name}` must be a list of {'numbers' if want == 'a number' else 'texts'}, "
                f"e.g. {short_repr(p.default)}; item {i} is {_kind(v)}."
                + (f" ({p.help})" if p.help else "")
            )
    if kinds <= {int, float} and kinds and all(isinstance(v, (int, float)) for v in items):
        elem = Param(p.name, "float" if float in kinds else "int", None, p.help, p.low, p.high,
                     p.low_closed, p.high_closed)  # fmt: skip
        items = [coerce_value(elem, v) for v in items]
    elif p.range_text:
        elem = Param(p.name, "float", None, p.help, p.low, p.high, p.low_closed, p.high_closed)
        items = [coerce_value(elem, v) if isinstance(v, (int, float)) else v for v in items]
    return items


def _check_date(p: Param, value: str) -> None:
    text = value.strip()
    try:
        if len(text) <= 10:
            date.fromisoformat(text)
        else:
            datetime.fromisoformat(text)
    except ValueError as exc:
        reason = str(exc).replace("Invalid isoformat string", "not an ISO 8601 date")
        raise ParameterError(
            f"`{p.name}` must be an ISO 8601 date, YYYY-MM-DD (e.g. 2026-03-30), or a date-time "
            f"(2026-03-30T08:00). Got {value!r} ({reason})."
        ) from None


def _statements(source: str) -> list[ast.stmt] | None:
    try:
        return ast.parse(source).body
    except (SyntaxError, ValueError):
        return None


def _is_parameters_source(source: str) -> bool:
    body = _statements(source)
    return bool(body) and all(
        isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) for n in body or []
    )


def _injected_names(source: str) -> list[str]:
    """The names papermill's injected cell assigns (it starts with ``# Parameters``)."""
    if not source.lstrip().startswith("# Parameters"):
        return []
    body = _statements(source) or []
    return [
        t.id
        for n in body
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name)
    ]


def _notebook_name(namespace: dict[str, Any], notebook: str | os.PathLike[str] | None) -> str:
    for candidate in (notebook, os.environ.get(NOTEBOOK_ENV), namespace.get("__session__")):
        if candidate:
            return Path(str(candidate)).name
    return "this notebook"


def check_parameters(
    namespace: dict[str, Any], *, notebook: str | os.PathLike[str] | None = None
) -> None:
    """Refuse a misspelt, mistyped or out-of-range notebook parameter before any work.

    Called in the cell right after a report notebook's ``parameters`` cell as
    ``check_parameters(globals())``. The schema is the parameters cell as this kernel last ran
    it (from IPython's input history), or ``notebook``'s parameters cell when given. Every name
    papermill injected (its ``# Parameters`` cell) must be a declared parameter, and every value
    must pass the declared type, range, choices, date form, required flag and input file check:
    the same rules and messages as ``cio-analytics validate``. Values are then written back to
    ``namespace`` coerced to their declared types (``7`` for a ``float`` becomes ``7.0``).

    Parameters
    ----------
    namespace : dict
        The notebook's global namespace, ``globals()``.
    notebook : path, optional
        The notebook file, when the kernel's history does not hold its parameters cell (a
        script, or a kernel where the cells were not run in order).

    Raises
    ------
    ParameterValidationError
        Listing every problem, one per line (also a :class:`ParameterError`).

    Examples
    --------
    >>> ns = {"In": ["", "rate: float = 0.08  # annual, decimal [0, 0.5]", "# Parameters\\nrat = 0.12\\n",
    ...              "check_parameters(globals())"], "rate": 0.08, "rat": 0.12}
    >>> check_parameters(ns)
    Traceback (most recent call last):
    ...
    cio_analytics.reporting.parameters.ParameterValidationError: 1 problem(s) found in the parameters of this notebook; nothing was run or written:
      - `rat` is not a parameter of this notebook. Did you mean 'rate'? Its parameters: rate.
    >>> ns["In"][2] = "# Parameters\\nrate = 8\\n"; ns.update(rate=8); del ns["rat"]
    >>> check_parameters(ns)
    Traceback (most recent call last):
    ...
    cio_analytics.reporting.parameters.ParameterValidationError: 1 problem(s) found in the parameters of this notebook; nothing was run or written:
      - `rate` must be in [0, 0.5]. Got 8. (annual, decimal) Rates are decimals: use 0.08 for 8 %.
    """
    from ..io.paths import project_root

    name = _notebook_name(namespace, notebook)
    history = namespace.get("In") or namespace.get("_ih") or []
    schema: NotebookSchema | None = None
    injected: list[str] = []
    if notebook is None and history:
        entries = [str(h) for h in history]
        last = max(
            (i for i, h in enumerate(entries) if "check_parameters(" in h), default=len(entries)
        )
        for source in reversed(entries[:last]):
            if _is_parameters_source(source):
                schema = parse_parameters_source(source, name)
                break
            injected = _injected_names(source) + injected
    if schema is None:
        path = notebook or os.environ.get(NOTEBOOK_ENV)
        if not path:
            raise ParameterError(
                "check_parameters: this kernel has not run the notebook's parameters cell, so "
                "there is nothing to check; run the notebook from its first cell (or pass "
                "notebook='notebooks/<name>.ipynb')."
            )
        schema = read_schema(path)
        schema = NotebookSchema(Path(name), schema.params, schema.problems)
    values = {k: namespace[k] for k in schema.names if k in namespace}
    values.update({k: namespace.get(k) for k in injected if k not in schema.names})
    full, problems = schema.validate(values, root=project_root())
    if problems:
        raise ParameterValidationError(problems, context=f" in the parameters of {name}")
    namespace.update({k: v for k, v in full.items() if k in values})
