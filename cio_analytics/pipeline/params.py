"""A notebook's parameter schema, read from its ``parameters`` cell, and value validation.

The first code cell of a report notebook is tagged ``parameters`` and holds one typed literal per
line, in papermill's contract plus a type and a help comment::

    discount_rate: float = 0.08  # annual discount rate, decimal [0, 1)
    n_trials: int = 10_000  # Monte Carlo trials [100, 1_000_000]
    currency: str = "EUR"  # currency code {EUR, USD, GBP}
    case_path: str = "data/sample/case.yaml"  # the investment case file
    business_unit: str = None  # required: which unit this report is for

- ``type`` is one of ``int``, ``float``, ``str``, ``bool``, ``list``. A default of ``None`` (or
  a ``T | None`` type) lets the parameter be ``None`` ("not given"; the notebook decides).
- A trailing ``[lo, hi]`` in the comment is the allowed range (``(`` / ``)`` for open ends, empty
  or ``inf`` for no bound); for a ``list`` it applies to every element. A trailing ``{a, b}``
  lists the allowed values of a ``str``.
- **Required**: a default of ``None`` and a help comment that starts with ``required``
  (``business_unit: str = None  # required: the unit``) means the notebook has no sensible
  default: every parameter set must give a value that is not ``None``.
- A ``str`` parameter whose name ends in ``_path`` names a data file, relative to the project root
  or absolute; it must exist before anything runs, and the manifest records its SHA-256.
  ``None`` or an empty string means "no file" and is not checked.
"""

from __future__ import annotations

import ast
import io
import math
import numbers
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml

from .._validation import did_you_mean, short_repr
from ..exceptions import ParameterError

__all__ = [
    "NotebookSchema",
    "Param",
    "ParameterValidationError",
    "coerce_value",
    "parse_assignment",
    "parse_parameters_source",
    "read_schema",
]

TYPES = ("int", "float", "str", "bool", "list")
_NUM = r"[-+]?(?:\d[\d_]*\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|inf)"
_RANGE = re.compile(rf"([\[(])\s*({_NUM})?\s*,\s*({_NUM})?\s*([\])])\s*$")
_CHOICES = re.compile(r"\{([^{}]+)\}\s*$")
_EXP_FLOAT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+")


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
                        f"root {root}). Fix the path or add the file."
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


def parameters_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    """The first code cell tagged ``parameters``, or None."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return cell
    return None


def read_schema(notebook: str | Path) -> NotebookSchema:
    """Read a notebook's parameter schema from its ``parameters`` cell."""
    notebook = Path(notebook)
    nb = nbformat.read(notebook, as_version=4)
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
        )
    return out


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
        if not isinstance(value, str):
            raise ParameterError(f"`{p.name}` must be text. Got {_kind(value)}.")
        if p.choices is not None and value not in p.choices:
            raise ParameterError(
                f"`{p.name}` must be one of {', '.join(map(repr, p.choices))}. "
                f"Got {value!r}.{did_you_mean(value, p.choices)}"
            )
        return value
    if not isinstance(value, (list, tuple)):
        raise ParameterError(f"`{p.name}` must be a list, e.g. [1, 2]. Got {_kind(value)}.")
    items = list(value)
    kinds = {type(v) for v in (p.default or [])}
    if kinds <= {int, float} and kinds and all(isinstance(v, (int, float)) for v in items):
        elem = Param(p.name, "float" if float in kinds else "int", None, p.help, p.low, p.high,
                     p.low_closed, p.high_closed)  # fmt: skip
        items = [coerce_value(elem, v) for v in items]
    elif p.range_text:
        elem = Param(p.name, "float", None, p.help, p.low, p.high, p.low_closed, p.high_closed)
        items = [coerce_value(elem, v) if isinstance(v, (int, float)) else v for v in items]
    return items


def parse_assignment(text: str) -> tuple[str, Any, str]:
    """Split ``name=value`` from ``-p``; the value is read as a YAML scalar or flow list.

    Returns ``(name, parsed value, raw text)``; a ``str`` parameter gets the raw text back
    when YAML reads something else (``-p unit=2026`` stays ``"2026"``).

    Examples
    --------
    >>> parse_assignment("n_trials=500"), parse_assignment("rate=8e-2"), parse_assignment("on=yes")
    (('n_trials', 500, '500'), ('rate', 0.08, '8e-2'), ('on', True, 'yes'))
    """
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise ParameterError(f"-p takes name=value (e.g. -p n_trials=2000). Got {text!r}.")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    if isinstance(value, str) and _EXP_FLOAT.fullmatch(raw.strip()):
        value = float(raw)  # YAML 1.1 wants a dot in 1.0e-3; accept the usual 1e-3 as well
    return name, value, raw


def from_cli(p: Param, value: Any, raw: str) -> Any:
    """A ``-p`` value for parameter ``p``: the raw text for ``str`` parameters."""
    if p.type == "str" and not isinstance(value, str) and value is not None:
        return raw.strip()
    return value
