"""Report packs: a YAML file naming notebooks and their parameter sets, validated up front.

A pack file (a project's live in ``packs/``; this repository's in ``notebooks/packs/``)::

    name: quarterly
    title: Quarterly IT decision pack
    timeout: {cell_s: 600, job_s: 1800}   # optional: per cell and per job
    parameters:                            # shared: every job whose notebook declares them
      currency: EUR
      seed: 2026
    jobs:
      - name: risk-review-retail           # optional; default: the notebook's stem
        notebook: notebooks/risk_review.ipynb
        title: Risk review, Retail
        parameters: {business_unit: Retail}
        timeout: {cell_s: 120}             # optional: this job's own timeouts

Relative paths in a pack (notebooks, data files) resolve against the project holding the pack
file: the nearest folder above it with ``cio-analytics.toml`` (:mod:`cio_analytics.project`),
whatever the working directory.

Values are layered, later wins: the notebook's defaults, the project's ``cio-analytics.toml``
(``currency``, ``fiscal_year_start_month``), the pack's ``parameters``, the job's
``parameters``, ``-f`` files, then ``-p`` assignments. A ``-f`` file or ``-p`` name applies to
every job that declares it; ``JOB.name`` (``-p risk-review-retail.n_trials=500``, or a
``JOB: {...}`` mapping in a ``-f`` file) targets one job. ``as_of`` is a run-level parameter
(:mod:`.period`): the run gives each job declaring it the as-of date of its period; a pack-wide
``as_of`` (pack ``parameters``, ``-p as_of=2026-11-15``) replaces that date for the whole run,
even when no notebook declares it (it still dates every report). Every problem is collected and raised
as one :class:`~cio_analytics.pipeline.params.ParameterValidationError` before anything runs.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .._validation import did_you_mean
from ..io.paths import project_root
from ..project import find_project, load_project
from .params import (
    NotebookSchema,
    ParameterValidationError,
    from_cli,
    parse_assignment,
    read_schema,
    resolve_input,
)

__all__ = [
    "Job",
    "Pack",
    "find_pack",
    "load_pack",
    "make_pack",
    "pack_dir",
    "select_jobs",
    "shipped_packs",
]

_JOB_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
PACK_DIR = Path("notebooks") / "packs"  # this repository's packs
PACK_DIRS = (Path("packs"), PACK_DIR)  # where a project's packs are, first wins


@dataclass(frozen=True)
class Job:
    """One notebook with one full, coerced parameter set."""

    name: str
    notebook: Path
    title: str
    parameters: dict[str, Any]
    schema: NotebookSchema = field(repr=False)
    timeouts: dict[str, float | None] = field(default_factory=dict)

    @property
    def seed(self) -> int | None:
        seed = self.parameters.get("seed")
        return seed if isinstance(seed, int) else None

    def timeout(self, pack: Pack, key: str) -> float | None:
        """This job's ``cell_s`` or ``job_s`` timeout: its own, else the pack's."""
        return self.timeouts.get(
            key, pack.cell_timeout_s if key == "cell_s" else pack.job_timeout_s
        )

    def inputs(self, root: Path) -> dict[str, Path]:
        """The data files this job reads: ``{parameter: resolved path}``."""
        return {
            p.name: resolve_input(self.parameters[p.name], root)
            for p in self.schema.params
            if p.is_path
            and isinstance(self.parameters.get(p.name), str)
            and self.parameters[p.name]
        }


@dataclass(frozen=True)
class Pack:
    """A validated pack: its jobs in order, timeouts, and where it came from."""

    name: str
    title: str
    jobs: tuple[Job, ...]
    root: Path
    source: Path | None = None
    cell_timeout_s: float | None = 600.0
    job_timeout_s: float | None = 3600.0
    as_of: str | None = None  # a pack-wide as-of date (ISO), else the period's (see .period)


RUN_PARAMETERS = frozenset({"as_of"})  # shared parameters the run itself uses


def pack_dir(root: Path | None = None) -> Path:
    """The folder of the project's packs: ``packs/`` (a project written by ``cio-analytics
    init``), else ``notebooks/packs/`` (this repository)."""
    root = root or project_root()
    return next((root / d for d in PACK_DIRS if (root / d).is_dir()), root / PACK_DIRS[0])


def shipped_packs(root: Path | None = None) -> dict[str, Path]:
    """The packs of the project, by name: ``{name: path}`` (see :func:`pack_dir`)."""
    root = root or project_root()
    found: dict[str, Path] = {}
    for d in PACK_DIRS:
        for p in sorted((root / d).glob("*.y*ml")):
            found.setdefault(p.stem, p)
    return found


def find_pack(pack: str | os.PathLike[str], root: Path | None = None) -> Path:
    """A pack file: an existing path, else the name of a shipped pack."""
    path = Path(pack)
    if path.is_file():
        return path.resolve()
    shipped = shipped_packs(root)
    if str(pack) in shipped:
        return shipped[str(pack)]
    raise ParameterValidationError(
        [
            f"no pack file at {str(pack)!r} and no shipped pack of that name."
            f"{did_you_mean(str(pack), shipped)} Shipped packs: {', '.join(shipped) or 'none'}."
        ]
    )


def _notebook_path(text: str, root: Path, base: Path) -> Path | None:
    p = Path(text).expanduser()
    for candidate in [p] if p.is_absolute() else [root / p, base / p, root / "notebooks" / p]:
        if candidate.is_file():
            return candidate.resolve()
    return None


def _mapping(value: Any, what: str, problems: list[str]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{what} must be a mapping of name: value. Got {type(value).__name__}.")
        return {}
    return {str(k): v for k, v in value.items()}


def _timeout(raw: dict[str, Any], key: str, default: float | None, problems: list[str]):
    value = raw.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        problems.append(f"timeout `{key}` must be a positive number of seconds. Got {value!r}.")
        return default
    return float(value)


def load_pack(
    pack: str | os.PathLike[str],
    *,
    overrides: list[str] | tuple[str, ...] = (),
    param_files: list[str | os.PathLike[str]] | tuple = (),
    root: Path | None = None,
) -> Pack:
    """Read, layer and validate a pack file; raise one error listing every problem.

    ``root`` is the project the pack name is looked up in (default: the one of the working
    directory); a pack file inside another project resolves its paths against that project.
    """
    root = (root or project_root()).resolve()
    path = find_pack(pack, root)
    root = find_project(path) or root
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ParameterValidationError([f"{path.name} is not valid YAML: {exc}"]) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("jobs"), list) or not raw["jobs"]:
        raise ParameterValidationError(
            [f"{path.name} must be a mapping with a non-empty `jobs:` list of notebooks."]
        )
    config = load_project(root)
    return make_pack(
        raw,
        overrides=overrides,
        param_files=param_files,
        root=root,
        source=path,
        project_defaults=config.parameter_defaults if config else None,
    )


def make_pack(
    raw: dict[str, Any],
    *,
    overrides: list[str] | tuple[str, ...] = (),
    param_files: list[str | os.PathLike[str]] | tuple = (),
    root: Path,
    source: Path | None = None,
    project_defaults: dict[str, Any] | None = None,
) -> Pack:
    """Build and validate a :class:`Pack` from a parsed pack mapping (see the module doc).

    ``project_defaults`` (the project config's values) apply to every notebook declaring them,
    under the pack's own ``parameters``."""
    problems: list[str] = []
    where = source.name if source else "pack"
    known = {"name", "title", "description", "timeout", "parameters", "jobs"}
    for key in raw:
        if key not in known:
            problems.append(f"{where}: unknown key `{key}`.{did_you_mean(key, known)}")
    timeouts = _mapping(raw.get("timeout"), f"{where}: `timeout`", problems)
    cell_s = _timeout(timeouts, "cell_s", 600.0, problems)
    job_s = _timeout(timeouts, "job_s", 3600.0, problems)
    shared = _mapping(raw.get("parameters"), f"{where}: `parameters`", problems)
    base = source.parent if source else root

    entries: list[tuple[str, Path, str, dict[str, Any], NotebookSchema, dict]] = []
    seen: dict[str, int] = {}
    for i, job in enumerate(raw.get("jobs") or [], start=1):
        if isinstance(job, str):
            job = {"notebook": job}
        if not isinstance(job, dict) or "notebook" not in job:
            problems.append(f"{where}: job {i} must be a mapping with a `notebook:` path.")
            continue
        for key in job:
            if key not in {"name", "notebook", "title", "parameters", "timeout"}:
                problems.append(f"{where}: job {i}: unknown key `{key}`.")
        nb = _notebook_path(str(job["notebook"]), root, base)
        if nb is None:
            problems.append(f"{where}: job {i}: no notebook at {job['notebook']!r}.")
            continue
        stem = nb.stem.replace("_", "-")
        seen[stem] = seen.get(stem, 0) + 1
        name = str(job.get("name") or (stem if seen[stem] == 1 else f"{stem}-{seen[stem]}"))
        if not _JOB_NAME.fullmatch(name):
            problems.append(f"{where}: job name {name!r} may hold only letters, digits, - and _.")
        params = _mapping(job.get("parameters"), f"{where}: job `{name}` parameters", problems)
        own = _mapping(job.get("timeout"), f"{where}: job `{name}` timeout", problems)
        timeouts = {k: _timeout(own, k, None, problems) for k in ("cell_s", "job_s") if k in own}
        entries.append((name, nb, str(job.get("title") or name), params, read_schema(nb), timeouts))

    names = [e[0] for e in entries]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"{where}: job name `{dup}` is used twice; give each job a unique `name`.")

    # Layers that apply to every job declaring a name, or to one job via JOB.name.
    per_job: dict[str, dict[str, Any]] = {n: {} for n in names}
    everyone: dict[str, Any] = {}
    cli_raw: dict[tuple[str | None, str], str] = {}

    def _assign(key: str, value: Any, origin: str, raw_text: str | None = None) -> None:
        job, dot, pname = key.partition(".")
        if dot and job in per_job:
            per_job[job][pname] = value
            target: tuple[str | None, str] = (job, pname)
        elif dot:
            problems.append(
                f"{origin}: no job named `{job}`.{did_you_mean(job, names)} Jobs: {', '.join(names)}."
            )
            return
        else:
            everyone[key] = value
            target = (None, key)
        if raw_text is not None:
            cli_raw[target] = raw_text

    for fpath in param_files:
        try:
            data = yaml.safe_load(Path(fpath).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            problems.append(f"-f {fpath}: cannot read it: {exc}")
            continue
        for key, value in _mapping(data, f"-f {fpath}", problems).items():
            if key in per_job and isinstance(value, dict):
                for k, v in value.items():
                    _assign(f"{key}.{k}", v, f"-f {fpath}")
            else:
                _assign(key, value, f"-f {fpath}")
    for text in overrides:
        try:
            key, value, raw_text = parse_assignment(text)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        _assign(key, value, f"-p {text}", raw_text)

    all_names = sorted({n for e in entries for n in e[4].names})
    for layer, origin in ((shared, f"{where}: `parameters`"), (everyone, "-p/-f")):
        for key in layer:
            if key in RUN_PARAMETERS:
                continue
            if entries and not any(key in e[4].names for e in entries):
                problems.append(
                    f"{origin}: `{key}` is not a parameter of any notebook in the pack."
                    f"{did_you_mean(key, all_names)}"
                )

    jobs: list[Job] = []
    for name, nb, title, params, schema, timeouts in entries:
        values: dict[str, Any] = {
            k: v for k, v in (project_defaults or {}).items() if k in schema.names
        }
        values.update({k: v for k, v in shared.items() if k in schema.names})
        values.update(params)
        values.update({k: v for k, v in everyone.items() if k in schema.names})
        values.update(per_job.get(name, {}))
        for (job, key), text in cli_raw.items():
            if key in schema.names and job in (None, name) and key in values:
                values[key] = from_cli(schema[key], values[key], text)
        full, errs = schema.validate(values, root=root, who=f"job `{name}` ({nb.name})")
        problems.extend(errs)
        jobs.append(Job(name, nb, title, full, schema, timeouts))

    as_of = everyone.get("as_of", shared.get("as_of"))
    if as_of not in (None, ""):
        from ..exceptions import ParameterError
        from ..io._as_of import as_of_date

        try:
            as_of = f"{as_of_date(as_of):%Y-%m-%d}"
        except ParameterError as exc:
            problems.append(str(exc))
    if problems:
        raise ParameterValidationError(problems, context=f" in {where}")
    return Pack(
        name=str(raw.get("name") or (source.stem if source else "pack")),
        title=str(raw.get("title") or raw.get("name") or "Report pack"),
        jobs=tuple(jobs),
        root=root,
        source=source,
        cell_timeout_s=cell_s,
        job_timeout_s=job_s,
        as_of=as_of or None,
    )


def select_jobs(pack: Pack, only: str | Iterable[str]) -> Pack:
    """The pack with only the named jobs, in the pack's order (``run --only a,b``).

    ``only`` is a comma-separated text or a list of job names (texts may themselves hold
    commas). An unknown name is refused with the closest job name and the list of jobs, before
    anything runs.

    Examples
    --------
    >>> from cio_analytics.pipeline.pack import Pack
    >>> from pathlib import Path
    >>> jobs = tuple(Job(n, Path(f"{n}.ipynb"), n, {}, None) for n in ("a", "b", "c"))
    >>> [j.name for j in select_jobs(Pack("p", "P", jobs, Path(".")), "c,a").jobs]
    ['a', 'c']
    """
    texts = [only] if isinstance(only, str) else list(only)
    wanted = [n.strip() for t in texts for n in str(t).split(",") if n.strip()]
    names = [j.name for j in pack.jobs]
    if not wanted:
        raise ParameterValidationError(
            [f"--only needs one or more job names (JOB[,JOB]). Jobs: {', '.join(names)}."]
        )
    unknown = [n for n in wanted if n not in names]
    if unknown:
        raise ParameterValidationError(
            [
                f"--only: no job named `{n}` in pack {pack.name}.{did_you_mean(n, names)} "
                f"Jobs: {', '.join(names)}."
                for n in unknown
            ]
        )
    return dataclasses.replace(pack, jobs=tuple(j for j in pack.jobs if j.name in wanted))
