"""Business units: the same pack run for every unit of a group, each on its own data.

A units file (YAML) names the units, the folder of each unit's data and the parameter values
that differ::

    title: Group IT decision pack          # optional: the group index's title
    sample_data: data/sample               # optional: the folder the pack's inputs name
    units:
      - name: retail                       # folder-safe: the unit's reports go to <period>/retail/
        title: Retail
        data: data/units/retail            # replaces data/sample in every input of the pack
        parameters:                        # optional: as in a pack (name, or JOB.name)
          staffing-growth.growth: 0.05

Every input file a job reads from ``sample_data`` is read from the unit's ``data`` folder
instead (same relative path); a unit folder that lacks one of those files is refused naming the
file, the job that reads it and the fix. Parameters are ``-p`` assignments for that unit only.

:func:`load_units` reads and checks the file (every problem at once, like a pack);
:func:`unit_overrides` gives the ``JOB.name=value`` assignments that make a unit's pack from
the group's (:func:`cio_analytics.pipeline.pack.load_pack` ``overrides=``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .._validation import did_you_mean
from .params import ParameterValidationError

__all__ = ["Unit", "UnitsFile", "load_units", "unit_overrides"]

_UNIT_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
_KEYS = {"title", "sample_data", "units"}
_UNIT_KEYS = {"name", "title", "data", "parameters"}


@dataclass(frozen=True)
class Unit:
    """One business unit: its name (a folder name), title, data folder and parameter values."""

    name: str
    title: str
    data: Path
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class UnitsFile:
    """A checked units file: the group title, the sample-data folder and the units in order."""

    title: str
    sample_data: Path
    units: tuple[Unit, ...]
    source: Path


def load_units(path: str | os.PathLike[str], *, root: Path) -> UnitsFile:
    """Read and check a units file; raise one error listing every problem.

    Relative folders resolve against ``root`` (the project). Checks: the keys (with a
    did-you-mean), unit names (lower-case letters, digits, - and _; unique), every unit's data
    folder exists, parameters are a mapping.
    """
    source = Path(path)
    where = source.name
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ParameterValidationError(
            [f"--units {path}: the file cannot be read ({exc.strerror or exc})."]
        ) from None
    except yaml.YAMLError as exc:
        raise ParameterValidationError([f"{where} is not valid YAML: {exc}"]) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("units"), list) or not raw["units"]:
        raise ParameterValidationError(
            [f"{where} must be a mapping with a non-empty `units:` list (name, title, data)."]
        )
    problems: list[str] = []
    for key in raw:
        if key not in _KEYS:
            problems.append(f"{where}: unknown key `{key}`.{did_you_mean(str(key), _KEYS)}")
    sample = root / str(raw.get("sample_data") or "data/sample")
    units: list[Unit] = []
    seen: set[str] = set()
    for i, item in enumerate(raw["units"], start=1):
        if not isinstance(item, dict):
            problems.append(f"{where}: unit {i} must be a mapping with `name` and `data`.")
            continue
        for key in item:
            if key not in _UNIT_KEYS:
                problems.append(
                    f"{where}: unit {i}: unknown key `{key}`.{did_you_mean(str(key), _UNIT_KEYS)}"
                )
        name = str(item.get("name") or "")
        label = f"unit {i}" + (f" ({name})" if name else "")
        if not _UNIT_NAME.fullmatch(name):
            problems.append(
                f"{where}: {label}: `name` must be lower-case letters, digits, - and _ (it is "
                f"the unit's folder name). Got {item.get('name')!r}; e.g. `name: retail`."
            )
        elif name in seen:
            problems.append(f"{where}: unit name `{name}` is used twice; give each a unique name.")
        seen.add(name)
        data_text = item.get("data")
        data = root / str(data_text) if data_text else None
        if data is None:
            problems.append(f"{where}: {label}: `data` (the unit's data folder) is missing.")
        elif not data.is_dir():
            problems.append(
                f"{where}: {label}: `data: {data_text}` is not a folder in the project. Create "
                f"it with the unit's files (the same names as in {raw.get('sample_data') or 'data/sample'})."
            )
        params = item.get("parameters") or {}
        if not isinstance(params, dict):
            problems.append(f"{where}: {label}: `parameters` must be a mapping of name: value.")
            params = {}
        units.append(Unit(name, str(item.get("title") or name), data or root, dict(params)))
    if problems:
        raise ParameterValidationError(problems)
    title = str(raw.get("title") or "Group report pack")
    return UnitsFile(title, sample, tuple(units), source)


def unit_overrides(unit: Unit, pack: Any, *, sample_data: Path) -> list[str]:
    """The ``JOB.name=value`` assignments that turn the group's pack into ``unit``'s pack.

    ``pack`` is the group's loaded :class:`~cio_analytics.pipeline.pack.Pack`. For every job
    and every input-file parameter whose file lies in ``sample_data``, the same relative path in
    the unit's folder; then the unit's own parameters. Raises one error listing each input
    file the unit's folder lacks.
    """
    sample = sample_data.resolve()
    overrides: list[str] = []
    missing: list[str] = []
    for job in pack.jobs:
        for name, path in job.inputs(pack.root).items():
            try:
                rel = Path(path).resolve().relative_to(sample)
            except ValueError:
                continue  # not sample data: the same file for every unit
            target = unit.data / rel
            if not target.exists():
                missing.append(
                    f"unit `{unit.name}`: {_shown(target, pack.root)} is missing (job "
                    f"`{job.name}` reads `{name}`: {job.parameters[name]}). Add the unit's file, "
                    "or copy the sample one if the unit shares it."
                )
                continue
            overrides.append(f"{job.name}.{name}={_shown(target, pack.root)}")
    if missing:
        raise ParameterValidationError(missing)
    for key, value in unit.parameters.items():
        overrides.append(f"{key}={yaml.safe_dump(value, default_flow_style=True).strip()}")
    return [o.removesuffix("\n...") for o in overrides]


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
