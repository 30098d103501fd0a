"""Notebook parameters on the pipeline side: the schema, and ``-p name=value`` from the command line.

The schema itself (reading a notebook's ``parameters`` cell, types, ranges, choices, dates,
required parameters and input files, coercion and the did-you-mean messages) is the notebook
contract and lives with the kernel side, in :mod:`cio_analytics.reporting.parameters`: the pack
runner, ``cio-analytics validate`` and the check cell inside every report notebook use the same
code and give the same messages. This module re-exports it for the pipeline and adds what only
the command line needs: reading ``-p`` assignments.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..exceptions import ParameterError
from ..reporting.parameters import (
    TYPES,
    NotebookSchema,
    Param,
    ParameterValidationError,
    coerce_value,
    parameters_cell,
    parse_parameters_source,
    read_schema,
    resolve_input,
)

__all__ = [
    "TYPES",
    "NotebookSchema",
    "Param",
    "ParameterValidationError",
    "coerce_value",
    "from_cli",
    "parameters_cell",
    "parse_assignment",
    "parse_parameters_source",
    "read_schema",
    "resolve_input",
]

_EXP_FLOAT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+")


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
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        value = raw  # e.g. 2026-13-45 looks like a YAML date but is none: keep the text
    if isinstance(value, str) and _EXP_FLOAT.fullmatch(raw.strip()):
        value = float(raw)  # YAML 1.1 wants a dot in 1.0e-3; accept the usual 1e-3 as well
    return name, value, raw


def from_cli(p: Param, value: Any, raw: str) -> Any:
    """A ``-p`` value for parameter ``p``: the raw text for ``str`` parameters."""
    if p.type == "str" and not isinstance(value, str) and value is not None:
        return raw.strip()
    return value
