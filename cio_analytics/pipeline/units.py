"""Business units: the same pack run for every unit of a group, each on its own data.

A units file (YAML) names the units, the folder of each unit's data and the parameter values
that differ::

    title: Group IT decision pack          # optional: the group index's title
    sample_data: data/sample               # optional: the folder the pack's inputs name
    sample_fallback: false                 # optional: true reads a file a unit lacks from it
    units:
      - name: retail                       # folder-safe: the unit's reports go to <period>/retail/
        title: Retail
        data: data/units/retail            # replaces data/sample in every input of the pack
        parameters:                        # optional: as in a pack (name, or JOB.name)
          staffing-growth.growth: 0.05

Every input file a job reads from ``sample_data`` is read from the unit's ``data`` folder
instead (same relative path); a unit folder that lacks one of those files is refused naming the
file, the job that reads it and the fix, unless ``sample_fallback: true`` says the unit shares
the sample file (a unit's folder then holds only what differs). Parameters are ``-p`` assignments for that unit only.

:func:`load_units` reads and checks the file (every problem at once, like a pack);
:func:`unit_overrides` gives the ``JOB.name=value`` assignments that make a unit's pack from
the group's (:func:`cio_analytics.pipeline.pack.load_pack` ``overrides=``);
:func:`unit_pack` builds that pack from a loaded one. :func:`run_units` runs the pack for every
unit (``cio-analytics run PACK --units FILE``): every unit's jobs in one job queue (a cluster
runs them all at once), one folder per unit that is a normal pack (``<period>/<unit>/``: index,
board summary, PDFs, slides), a group index ``<period>/index.html``
(:mod:`~cio_analytics.pipeline.group`) and one ``manifest.json`` for the whole run. Each unit's
figures go to the run history under the pack name ``<pack>/<unit>``.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from .._validation import did_you_mean
from .params import ParameterValidationError

__all__ = [
    "Unit",
    "UnitsFile",
    "UnitsRun",
    "load_units",
    "run_units",
    "unit_manifest",
    "unit_overrides",
    "unit_pack",
]

_UNIT_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
_KEYS = {"title", "sample_data", "sample_fallback", "units"}
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
    """A checked units file: the group title, the sample-data folder and the units in order.

    ``sample_fallback``: a file a unit's folder lacks is read from ``sample_data``.
    """

    title: str
    sample_data: Path
    units: tuple[Unit, ...]
    source: Path
    sample_fallback: bool = False


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
    fallback = raw.get("sample_fallback", False)
    if not isinstance(fallback, bool):
        problems.append(f"{where}: `sample_fallback` must be true or false. Got {fallback!r}.")
    if problems:
        raise ParameterValidationError(problems)
    title = str(raw.get("title") or "Group report pack")
    return UnitsFile(title, sample, tuple(units), source, bool(fallback))


def unit_overrides(
    unit: Unit, pack: Any, *, sample_data: Path, sample_fallback: bool = False
) -> list[str]:
    """The ``JOB.name=value`` assignments that turn the group's pack into ``unit``'s pack.

    ``pack`` is the group's loaded :class:`~cio_analytics.pipeline.pack.Pack`. For every job
    and every input-file parameter whose file lies in ``sample_data``, the same relative path in
    the unit's folder; then the unit's own parameters. Raises one error listing each input
    file the unit's folder lacks, unless ``sample_fallback`` (the sample file is kept).
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
            if not target.exists() and sample_fallback:
                continue  # the unit shares the sample's file
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


def unit_pack(pack: Any, unit: Unit, *, sample_data: Path, sample_fallback: bool = False) -> Any:
    """The group's loaded ``pack`` made ``unit``'s: inputs from its folder, its parameters.

    The unit's pack is named ``<pack>/<unit>`` (its figures' name in the run history) and
    titled ``<pack title>, <unit title>``; every job keeps its name, title and timeouts. Raises
    one :class:`ParameterValidationError` listing every missing file or wrong parameter.

    Examples
    --------
    >>> from cio_analytics.io.paths import project_root
    >>> from cio_analytics.pipeline.pack import load_pack
    >>> root = project_root()
    >>> units = load_units(root / "data" / "units" / "units.yaml", root=root)
    >>> wholesale = unit_pack(load_pack("quarterly", root=root), units.units[1],
    ...                       sample_data=units.sample_data, sample_fallback=True)
    >>> wholesale.name, wholesale.title
    ('quarterly/wholesale', 'Quarterly IT decision pack, Wholesale')
    >>> budget = next(job for job in wholesale.jobs if job.name == "budget-review")
    >>> budget.parameters["budget_path"], budget.parameters["currency"]
    ('data/units/wholesale/budget.csv', 'EUR')
    """
    from .pack import make_pack

    raw = {
        "name": f"{pack.name}/{unit.name}",
        "title": f"{pack.title}, {unit.title}",
        "timeout": {"cell_s": pack.cell_timeout_s, "job_s": pack.job_timeout_s},
        "jobs": [
            {
                "name": job.name,
                "title": job.title,
                "notebook": str(job.notebook),
                "parameters": dict(job.parameters),
                "timeout": dict(job.timeouts),
            }
            for job in pack.jobs
        ],
    }
    overrides = unit_overrides(unit, pack, sample_data=sample_data, sample_fallback=sample_fallback)
    try:
        made = make_pack(raw, overrides=overrides, root=pack.root, source=pack.source)
    except ParameterValidationError as exc:
        raise ParameterValidationError([f"unit `{unit.name}`: {p}" for p in exc.problems]) from None
    return replace(made, as_of=made.as_of or getattr(pack, "as_of", None))  # the run's date


@dataclass(frozen=True)
class UnitsRun:
    """The outcome of :func:`run_units`: the group's folder and each unit's pack run.

    ``jobs`` lists every unit's jobs, each named ``<unit>/<job>`` with its files relative to the
    group's folder (as :class:`~.publish.PackRun` lists a pack's), so a caller reads a group run
    as it reads a pack run.
    """

    units: UnitsFile
    period: str
    folder: Path
    index: Path
    manifest: Path
    runs: tuple[Any, ...]  # one PackRun per unit, in the units file's order
    duration_s: float
    archived: Path | None = None
    notes: tuple[str, ...] = ()
    history: Path | None = None
    as_of: Any = None  # the data's as-of date, as for a pack run

    @property
    def jobs(self) -> tuple[dict[str, Any], ...]:
        return tuple(
            {
                **job,
                "name": f"{unit.name}/{job['name']}",
                "unit": unit.name,
                "files": {k: f"{unit.name}/{v}" for k, v in (job.get("files") or {}).items()},
            }
            for unit, run in zip(self.units.units, self.runs, strict=True)
            for job in run.jobs
        )

    @property
    def ok(self) -> bool:
        """True when every job of every unit succeeded."""
        return all(run.ok for run in self.runs)

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [j for j in self.jobs if j["status"] != "ok"]

    def summary(self):
        """One row per job: unit, name, status, duration_s, message."""
        import pandas as pd

        return pd.DataFrame(
            [
                {"unit": unit.name, **row}
                for unit, run in zip(self.units.units, self.runs, strict=True)
                for row in run.summary().to_dict("records")
            ]
        )


def run_units(
    pack: Any,
    units: UnitsFile,
    *,
    only: str | Iterable[str] | None = None,
    period: str | None = None,
    out: str | Path | None = None,
    n_jobs: int | None = None,
    executor: str | None = None,
    on_event: Callable[[str, Any, dict[str, Any] | None], None] | None = None,
    command: list[str] | None = None,
    start_timeout_s: float = 60.0,
    history: str | Path | bool | None = True,
    today: Any = None,
    pdf: bool = True,
) -> UnitsRun:
    """Run ``pack`` for every unit of ``units``; publish ``out/period`` with a folder per unit.

    Every unit's pack (:func:`unit_pack`) is checked before anything runs; then all their jobs
    go into one queue (``n_jobs`` local processes or the Dask scheduler ``executor``), so a
    cluster runs every unit at once. ``only`` keeps the named jobs of each unit's pack
    (``--only``). ``on_event`` is called as :func:`~.runner.run_jobs` calls it, with the job
    named ``<unit>/<job>``. Published, as one folder renamed into place when every job has
    ended (an earlier run of the period is kept as ``<period>.N``): ``<period>/<unit>/`` (the
    unit's reports, index, board summary, PDFs and slides), ``<period>/index.html`` (the group
    index) and ``<period>/manifest.json`` (every unit with its jobs). ``history``: as for
    :func:`~.publish.run_pack`; each unit is recorded as pack ``<pack>/<unit>``. ``period``
    (default: as for a pack), ``today`` and ``pdf`` as for :func:`~.publish.run_pack`: the
    period is checked and sets every unit's ``as_of`` before anything runs.
    """
    from . import publish as pub
    from .errors import describe_os_error, is_output_fault
    from .pack import select_jobs
    from .period import default_period

    period = period or default_period(pack, today=today)[0]
    pub.check_period_name(period)
    packs, problems = [], []
    for unit in units.units:
        try:
            packs.append(
                unit_pack(pack, unit, sample_data=units.sample_data,
                          sample_fallback=units.sample_fallback)
            )  # fmt: skip
        except ParameterValidationError as exc:
            problems += exc.problems
    if problems:
        raise ParameterValidationError(problems, context=f" in {units.source.name}")
    if only:
        packs = [select_jobs(p, only) for p in packs]
    as_of = _check_units_period(units, packs, period, today)  # before any kernel
    packs = [pub.with_as_of(p, as_of) for p in packs]
    out = pub._output_folder(Path(out) if out is not None else pack.root / "reports")
    pub.remove_stale_staging(out)
    building = pub._start_building(out, period)
    try:
        where = pub.history_path(out, history)
        run = _build(pack, units, packs, period, out, building, n_jobs, executor, on_event,
                     command, start_timeout_s, as_of, pdf, where)  # fmt: skip
        return _record_history(replace(run, as_of=as_of), out, history)
    except OSError as exc:
        if is_output_fault(exc):
            raise pub.OutputError(describe_os_error(exc, out)) from None
        raise
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)


def _check_units_period(units: UnitsFile, packs: list, period: str, today: Any) -> Any:
    """The period's as-of date, after checking that every unit's data covers it.

    Each unit reads its own files, so each unit's pack is checked (:func:`.period.
    period_coverage`); the problems of every unit are listed in one error, each line naming its
    unit. Raises :class:`~.params.ParameterValidationError`.
    """
    from .period import period_coverage

    problems, as_of = [], None
    for unit, unit_pack_ in zip(units.units, packs, strict=True):
        found = period_coverage(unit_pack_, period, today=today, as_of=unit_pack_.as_of)
        problems += [f"unit `{unit.name}`: {line}" for line in found.problems()]
        as_of = as_of or found.as_of
    if problems:
        raise ParameterValidationError(problems, context=f" for period {period}")
    return as_of


def _build(group, units, packs, period, out, building, n_jobs, executor, on_event, command,
           start_timeout_s, as_of=None, pdf=True, history=None) -> UnitsRun:  # fmt: skip
    from . import publish as pub
    from .board import write_board_summary
    from .changes import pack_changes
    from .group import write_group_index
    from .index import write_index
    from .manifest import build_manifest, write_manifest
    from .runner import run_jobs

    specs: list[list[Any]] = []
    for unit, upack in zip(units.units, packs, strict=True):
        (building / unit.name).mkdir()
        specs.append(pub.job_specs(upack, period, building / unit.name, start_timeout_s,
                                   as_of=as_of, pdf=pdf))  # fmt: skip
    where = {id(s): unit.name for unit, ss in zip(units.units, specs, strict=True) for s in ss}

    def event(kind: str, spec: Any, result: dict[str, Any] | None) -> None:
        if on_event is not None:
            on_event(kind, replace(spec, name=f"{where[id(spec)]}/{spec.name}"), result)

    start = datetime.now(UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    results = run_jobs([s for ss in specs for s in ss], n_jobs=n_jobs, executor=executor,
                       on_event=event)  # fmt: skip
    duration = time.perf_counter() - t0
    end = datetime.now(UTC).isoformat(timespec="seconds")
    manifests, notes, first = [], [], 0
    for unit, upack, ss in zip(units.units, packs, specs, strict=True):
        res, first = results[first : first + len(ss)], first + len(ss)
        manifest = build_manifest(upack, res, period=period, start=start, end=end,
                                  duration_s=duration, n_jobs=n_jobs, executor=executor,
                                  command=command)  # fmt: skip
        folder = building / unit.name
        # the unit against its own earlier periods (history pack ``<pack>/<unit>``)
        changes = pack_changes(history, manifest)
        write_board_summary(
            folder, manifest["jobs"], pack_title=upack.title, period=period, run_end=end,
            changes=changes,
        )  # fmt: skip
        write_index(
            folder / "index.html",
            manifest,
            manifest_href="../manifest.json",
            up=("../index.html", f"All units: {units.title}"),
            changes=changes,
        )
        notes += [
            f"{unit.title}: {n}"
            for n in pub._board_pack(folder, manifest, pdf=pdf, changes=changes)
        ]
        manifests.append(manifest)
    group = _group_manifest(group, units, packs, manifests)
    write_manifest(group, building / "manifest.json")
    write_group_index(building / "index.html", group)
    (building / pub.RUN_FILE).unlink()
    target = out / period
    archived = pub.publish(building, target)
    runs = tuple(
        pub.PackRun(
            pack=upack,
            period=period,
            folder=target / unit.name,
            index=target / unit.name / "index.html",
            manifest=target / "manifest.json",
            jobs=tuple(results[sum(map(len, specs[:i])) : sum(map(len, specs[: i + 1]))]),
            duration_s=duration,
        )
        for i, (unit, upack) in enumerate(zip(units.units, packs, strict=True))
    )
    return UnitsRun(units, period, target, target / "index.html", target / "manifest.json",
                    runs, duration, archived, tuple(notes))  # fmt: skip


def _group_manifest(group, units: UnitsFile, packs, manifests) -> dict[str, Any]:
    """One manifest for the whole run: the run's fields once, then each unit with its jobs."""
    first = manifests[0]
    root = group.root
    return {
        "manifest_version": first["manifest_version"],
        "kind": "units",
        "title": units.title,
        "units_file": _shown(units.source, root),
        "sample_data": _shown(units.sample_data, root),
        "sample_fallback": units.sample_fallback,
        "pack": {**first["pack"], "name": group.name, "title": group.title},
        **{
            k: first[k]
            for k in (
                "period",
                "start",
                "end",
                "duration_s",
                "n_jobs",
                "executor",
                "command",
                "git",
                "environment",
            )
        },
        "units": [
            {
                "name": unit.name,
                "title": unit.title,
                "data": _shown(unit.data, root),
                "parameters": unit.parameters,
                "folder": unit.name,
                "pack": {"name": upack.name, "title": upack.title},
                "jobs": manifest["jobs"],
            }
            for unit, upack, manifest in zip(units.units, packs, manifests, strict=True)
        ],
    }


def unit_manifest(group: dict[str, Any], unit: str) -> dict[str, Any]:
    """A unit's entry of a group manifest as a pack's manifest (for the history, the index)."""
    entry = next(u for u in group["units"] if u["name"] == unit)
    return {
        **{k: v for k, v in group.items() if k not in ("units", "kind", "title")},
        "pack": {**group["pack"], **entry["pack"]},
        "jobs": entry["jobs"],
    }


def _record_history(run: UnitsRun, out: Path, history) -> UnitsRun:
    """Add every unit's figures to the run history (pack ``<pack>/<unit>``); a failure is a
    note, not an error (the reports are published)."""
    import json

    from .errors import RunError
    from .history import record_run
    from .publish import history_path

    path = history_path(out, history)
    if path is None:
        return run
    group = json.loads(run.manifest.read_text(encoding="utf-8"))
    try:
        for unit in run.units.units:
            record_run(unit_manifest(group, unit.name), history=path)
    except (RunError, OSError) as exc:
        return replace(run, notes=(*run.notes, f"run history not updated: {exc}"))
    return replace(run, history=path)
