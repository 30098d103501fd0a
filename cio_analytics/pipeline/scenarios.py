"""Named scenarios side by side: ``cio-analytics run PACK --scenarios FILE``.

A scenarios file names a base and variants, each a set of overrides::

    jobs: [investment-service-desk]   # optional: the jobs compared (job or notebook names)
    base:                             # optional: applied to the base and to every variant
      n_trials: 5000
    variants:
      pessimistic: {benefits: -20 %, capex: +15 %, discount_rate: 0.10}
      optimistic:  {benefits: +10 %}
      longer life: {horizon_years: 7}

An override is a notebook parameter (``discount_rate: 0.10``, ``growth: 0.2``; a number
parameter also takes a relative change of the job's value under the file's base,
``n_trials: +100 %``), or a model input of a notebook that takes ``adjustments``: the
investment case (``benefits``, ``costs``, a kind such as ``capex``, a line item by its name,
``horizon_years``; :func:`cio_analytics.valuation.adjust_case`), the vendor offers (an offer's
name: a change of its prices; :func:`cio_analytics.sourcing.adjust_offers`) or the service-desk
staffing (``calls``, ``handle_time_s``; :func:`cio_analytics.staffing.adjust_forecast`). ``JOB.name``
targets one job. Without ``jobs:`` the jobs compared are those whose notebook takes every
change of a variant. Every problem of the file is listed at once (file, variant, key, the value
as typed, the fix) before anything runs.

:func:`run_scenarios` runs the base and every variant of each job with the same seed (common
random numbers: the same random streams, so a difference is the change and not noise), then
writes one comparison report per job (:mod:`~cio_analytics.pipeline.comparison`) and an index
whose card per comparison shows the decision under each scenario, into
``reports/<period>-<file stem>/``. The quarterly pack's ``reports/<period>/`` and the run
history are left alone. This is the format "Save as scenario" of the explorers writes
(:func:`cio_analytics.reporting.explore.write_scenario`).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from .._validation import change_factor, did_you_mean, short_repr
from ..exceptions import CioAnalyticsError, ParameterError
from .pack import Job, Pack
from .params import ParameterValidationError, coerce_value, read_schema

__all__ = [
    "BASE",
    "ScenarioPlan",
    "ScenarioRun",
    "Scenarios",
    "ScenariosResult",
    "load_scenarios",
    "plan_scenarios",
    "run_scenarios",
]

BASE = "base"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$")
_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Scenarios:
    """A scenarios file as read: the jobs it names, the base overrides, the variants.

    Attributes
    ----------
    path : Path
        The file.
    jobs : tuple of str
        Job or notebook names of ``jobs:`` (empty: the jobs are found from the changes).
    base : dict
        Overrides of the base, applied to every variant too.
    variants : dict of str -> dict
        Variant name -> its overrides (key -> value as typed), in file order.
    """

    path: Path
    jobs: tuple[str, ...]
    base: dict[str, Any]
    variants: dict[str, dict[str, Any]]

    @property
    def name(self) -> str:
        """The file's stem, which names the output folder (``reports/2026Q4-<name>/``)."""
        return _SLUG.sub("-", self.path.stem).strip("-") or "scenarios"

    def summary(self):
        """One row per override: ``scenario``, ``key``, ``value`` (as typed)."""
        import pandas as pd

        rows = [(BASE, k, v) for k, v in self.base.items()]
        rows += [(n, k, v) for n, o in self.variants.items() for k, v in o.items()]
        return pd.DataFrame(rows, columns=["scenario", "key", "value"])


def load_scenarios(path: str | os.PathLike[str]) -> Scenarios:
    """Read a scenarios file; raise one error listing every problem of its form.

    Parameters
    ----------
    path : str or path-like
        The YAML file: ``variants:`` (required, a mapping of name -> overrides), ``base:``
        and ``jobs:`` (optional).

    Returns
    -------
    Scenarios

    Raises
    ------
    ParameterValidationError
        Every problem at once (the file, the variant, the key, the value as typed, the fix).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "what-if.yaml"
    >>> _ = p.write_text("variants:\\n  pessimistic: {benefits: -20 %, discount_rate: 0.1}\\n")
    >>> s = load_scenarios(p)
    >>> s.name, s.variants["pessimistic"]
    ('what-if', {'benefits': '-20 %', 'discount_rate': 0.1})
    """
    path = Path(path)
    where = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ParameterValidationError(
            [f"--scenarios {path}: cannot read it ({exc.strerror or exc}). Check the path."]
        ) from None
    except yaml.YAMLError as exc:
        raise ParameterValidationError([f"{where} is not valid YAML: {exc}"]) from None
    if not isinstance(raw, dict):
        raise ParameterValidationError(
            [
                f"{where}: a scenarios file is a mapping with `variants:` (and optionally `base:`"
                f" and `jobs:`). Got {type(raw).__name__}. See docs/scenarios.md."
            ]
        )
    problems: list[str] = []
    known = ("jobs", "base", "variants", "description")
    for key in raw:
        if key not in known:
            problems.append(f"{where}: unknown key `{key}`.{did_you_mean(str(key), known)}")
    jobs = raw.get("jobs") or []
    if isinstance(jobs, str):
        jobs = [jobs]
    if not isinstance(jobs, list) or not all(isinstance(j, str) for j in jobs):
        problems.append(f"{where}: `jobs` must be a list of job names. Got {short_repr(jobs)}.")
        jobs = []
    base = raw.get("base") or {}
    if not isinstance(base, dict):
        problems.append(
            f"{where}: `base` must be a mapping of name: value. Got {short_repr(base)}."
        )
        base = {}
    variants = raw.get("variants")
    if not isinstance(variants, dict) or not variants:
        problems.append(
            f"{where}: `variants` must be a non-empty mapping of name -> overrides, e.g. "
            f"`pessimistic: {{benefits: -20 %}}`. Got {short_repr(variants)}."
        )
        variants = {}
    out: dict[str, dict[str, Any]] = {}
    slugs: dict[str, str] = {}
    for name, overrides in variants.items():
        text = str(name).strip()
        if not _NAME.match(text) or text == BASE:
            problems.append(
                f"{where}: variant {short_repr(name)}: a name is 1-64 letters, digits, spaces, "
                "'_', '.' or '-', starts with a letter or digit and is not 'base'. Rename it."
            )
            continue
        slug = _SLUG.sub("-", text)
        if slug in slugs:
            problems.append(
                f"{where}: variants `{slugs[slug]}` and `{text}` give the same report name "
                f"({slug}); rename one."
            )
        slugs[slug] = text
        if overrides is None:
            overrides = {}
        if not isinstance(overrides, dict):
            problems.append(
                f"{where}: variant `{text}` must be a mapping of name: value, e.g. "
                f"`{{benefits: -20 %}}`. Got {short_repr(overrides)}."
            )
            continue
        out[text] = {str(k): v for k, v in overrides.items()}
    if problems:
        raise ParameterValidationError(problems, context=f" in {where}")
    return Scenarios(path, tuple(jobs), {str(k): v for k, v in base.items()}, out)


# ------------------------------------------------------------------------------- the plan
@dataclass(frozen=True)
class ScenarioRun:
    """One job under one scenario: the run's name and what it changes.

    ``changes`` are the scenario's own overrides that apply to the job, ``(name, value as
    typed)`` (the base's for the base), for the comparison report.
    """

    job: str
    scenario: str
    name: str
    title: str
    parameters: dict[str, Any]
    changes: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class ScenarioPlan:
    """What :func:`run_scenarios` runs: the runs of each job compared, as a pack to run.

    ``pack`` holds one job per run (named ``JOB--scenario``); ``skipped`` names, per job, the
    variants that change nothing in it (they are not run for that job).
    """

    scenarios: Scenarios
    pack: Pack
    runs: tuple[ScenarioRun, ...]
    jobs: tuple[str, ...]
    skipped: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def runs_of(self, job: str) -> list[ScenarioRun]:
        """The base first, then the variants in file order."""
        return [r for r in self.runs if r.job == job]

    def summary(self):
        """One row per run: ``job``, ``scenario``, ``run``, ``changes`` (as typed)."""
        import pandas as pd

        return pd.DataFrame(
            [
                (r.job, r.scenario, r.name, ", ".join(f"{k}: {v}" for k, v in r.changes))
                for r in self.runs
            ],
            columns=["job", "scenario", "run", "changes"],
        )


class _Inputs:
    """The model inputs a job's ``adjustments`` parameter takes (checked by the data layer)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._names: dict[str, list[str]] = {}

    def _parameters(self, job: Job) -> dict[str, Any]:
        return {**job.parameters, **job.inputs(self.root)}

    def names(self, job: Job) -> list[str]:
        """The inputs of the job, or [] when it takes none."""
        if "adjustments" not in job.schema.names:
            return []
        from ..io.scenario_inputs import model_inputs

        if job.name not in self._names:
            try:
                self._names[job.name] = model_inputs(self._parameters(job))
            except (CioAnalyticsError, OSError):  # the data file's own problem: the run says it
                self._names[job.name] = model_inputs({})
        return self._names[job.name]

    def check(self, job: Job, key: str, value: Any) -> None:
        from ..io.scenario_inputs import check_model_input

        try:
            check_model_input(self._parameters(job), key, value)
        except OSError:
            return


def _accepts(job: Job, key: str, inputs: _Inputs) -> bool:
    if key in job.schema.names and key != "adjustments":
        return True
    return key in inputs.names(job)


def _split(key: str, names: list[str]) -> tuple[str | None, str]:
    """``JOB.name`` -> (JOB, name) when JOB is a job of the pack, else (None, key)."""
    job, dot, rest = key.partition(".")
    return (job, rest) if dot and job in names else (None, key)


def _value_text(key: str, value: Any) -> str:
    return f"`{key}: {value if isinstance(value, str) else short_repr(value)}`"


def _parameter(job: Job, key: str, value: Any, values: dict[str, Any]) -> Any:
    """A notebook parameter's value under a scenario (a relative change of a number applied)."""
    p = job.schema[key]
    factor = change_factor(value)
    if factor is not None and p.type in ("int", "float"):
        current = values.get(key)
        if current is None:
            raise ParameterError(
                f"`{key}` has no value in job `{job.name}` to change by {value}. Give the new "
                "value itself (e.g. 0.10)."
            )
        value = current * factor
        value = round(value) if p.type == "int" else value
    return coerce_value(p, value)


def _targets(scn: Scenarios, pack: Pack, inputs: _Inputs, problems: list[str]) -> list[Job]:
    where = scn.path.name
    names = [j.name for j in pack.jobs]
    if scn.jobs:
        chosen: list[Job] = []
        stems = {j.notebook.stem for j in pack.jobs}
        for entry in scn.jobs:
            found = [j for j in pack.jobs if entry in (j.name, j.notebook.stem, j.notebook.name)]
            if not found:
                problems.append(
                    f"{where}: `jobs` names `{entry}`, which is no job of pack {pack.name}."
                    f"{did_you_mean(entry, [*names, *stems])} Jobs: {', '.join(names)}."
                )
            chosen += [j for j in found if j not in chosen]
        return chosen
    chosen = []
    for variant, overrides in scn.variants.items():
        plain = [k for k in overrides if _split(k, names)[0] is None]
        prefixed = {_split(k, names)[0] for k in overrides} - {None}
        fits = [j for j in pack.jobs if plain and all(_accepts(j, k, inputs) for k in plain)]
        notebooks = sorted({j.notebook.name for j in fits})
        if len(notebooks) > 1:
            problems.append(
                f"{where}: variant `{variant}`: its changes fit jobs of {len(notebooks)} notebooks "
                f"({', '.join(j.name for j in fits)}). Name the jobs to compare with "
                "`jobs: [JOB]` at the top of the file, or write `JOB.name`."
            )
        chosen += [j for j in fits if j not in chosen]
        chosen += [j for j in pack.jobs if j.name in prefixed and j not in chosen]
    return [j for j in pack.jobs if j in chosen]


def plan_scenarios(pack: Pack, scenarios: Scenarios | str | os.PathLike[str]) -> ScenarioPlan:
    """Resolve a scenarios file against a pack: every run's full, validated parameters.

    Raises
    ------
    ParameterValidationError
        Every problem at once: unknown names (with the closest parameter or input), values of
        the wrong type or out of range, a variant that changes the seed (common random
        numbers need one seed), missing files.
    """
    scn = scenarios if isinstance(scenarios, Scenarios) else load_scenarios(scenarios)
    where = scn.path.name
    problems: list[str] = []
    inputs = _Inputs(pack.root)
    names = [j.name for j in pack.jobs]
    targets = _targets(scn, pack, inputs, problems)
    if not targets and not problems:
        problems.append(
            f"{where}: no job of pack {pack.name} takes these changes. Name the jobs with "
            f"`jobs: [JOB]`. Jobs: {', '.join(names)}."
        )
    runs: list[ScenarioRun] = []
    skipped: dict[str, tuple[str, ...]] = {}
    layers = {BASE: [scn.base], **{n: [scn.base, o] for n, o in scn.variants.items()}}
    # keys no compared job takes: one problem each, with the closest name
    vocabulary = sorted({n for j in targets for n in (*j.schema.names, *inputs.names(j))})
    for scenario, overrides in (("base", scn.base), *scn.variants.items()):
        for key, value in overrides.items():
            job, name = _split(key, names)
            takers = [j for j in targets if job in (None, j.name) and _accepts(j, name, inputs)]
            if "." in key and job is None and not takers:
                head = key.partition(".")[0]
                problems.append(
                    f"{where}: {scenario}: {_value_text(key, value)}: no job named `{head}`."
                    f"{did_you_mean(head, names)} Jobs: {', '.join(names)}."
                )
            elif not takers:
                problems.append(
                    f"{where}: {scenario}: {_value_text(key, value)}: `{name}` is neither a "
                    f"parameter nor a model input of the jobs compared "
                    f"({', '.join(j.name for j in targets) or 'none'}).{did_you_mean(name, vocabulary)}"
                )
            if name == "seed" and scenario != BASE and takers:
                problems.append(
                    f"{where}: {scenario}: {_value_text(key, value)}: every scenario runs with "
                    "the same seed (common random numbers). Set `seed` under `base:` instead."
                )
    for job in targets:
        unchanged = []
        for scenario, stack in layers.items():
            own = [  # (name, key, value) in the order applied: the base, then the variant
                (name, key, value)
                for overrides in stack
                for key, value in overrides.items()
                for target, name in [_split(key, names)]
                if target in (None, job.name) and _accepts(job, name, inputs)
            ]
            mine = stack[-1] if scenario != BASE else scn.base
            if scenario != BASE and not any(key in mine for _, key, _ in own):
                unchanged.append(scenario)  # this variant changes nothing in this job
                continue
            values = dict(job.parameters)
            adjustments = dict(values.get("adjustments") or {})
            for name, key, value in own:
                context = f"{where}: {scenario}: {_value_text(key, value)} (job `{job.name}`)"
                try:
                    if name in job.schema.names and name != "adjustments":
                        values[name] = _parameter(job, name, value, values)
                    else:
                        inputs.check(job, name, value)
                        adjustments[name] = value
                except CioAnalyticsError as exc:
                    problems.append(f"{context}: {exc}")
            if adjustments:
                values["adjustments"] = adjustments
            slug = _SLUG.sub("-", scenario)
            who = f"{where}: {scenario} (job `{job.name}`)"
            full, errs = job.schema.validate(values, root=pack.root, who=who)
            problems.extend(errs)
            label = "Base" if scenario == BASE else f"Scenario {scenario}"
            runs.append(
                ScenarioRun(
                    job=job.name,
                    scenario=scenario,
                    name=f"{job.name}--{slug}",
                    title=f"{job.title} ({label})",
                    parameters=full,
                    changes=tuple((name, v) for name, k, v in own if scenario == BASE or k in mine),
                )
            )
        if unchanged:
            skipped[job.name] = tuple(unchanged)
    if problems:  # a base problem is found once per variant: say it once; in file order
        order = {n: i for i, n in enumerate([BASE, *scn.variants])}

        def _rank(text: str) -> int:
            return order.get(text[len(where) + 2 :].split(":", 1)[0].split(" (job")[0], -1)

        unique = sorted(dict.fromkeys(problems), key=_rank)
        raise ParameterValidationError(unique, context=f" in {where}")
    by_name = {j.name: j for j in pack.jobs}
    jobs = tuple(
        dataclasses.replace(by_name[r.job], name=r.name, title=r.title, parameters=r.parameters)
        for r in runs
    )
    return ScenarioPlan(
        scenarios=scn,
        pack=dataclasses.replace(pack, jobs=jobs),
        runs=tuple(runs),
        jobs=tuple(j.name for j in targets),
        skipped=skipped,
    )


# ------------------------------------------------------------------------------- the run
@dataclass(frozen=True)
class ScenariosResult:
    """The outcome of :func:`run_scenarios`: where the comparisons are and how each run ended."""

    plan: ScenarioPlan
    period: str
    folder: Path
    index: Path
    comparisons: tuple[Path, ...]
    jobs: tuple[dict[str, Any], ...]
    duration_s: float
    archived: Path | None = None

    @property
    def ok(self) -> bool:
        """True when every run succeeded."""
        return all(j["status"] == "ok" for j in self.jobs)

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [j for j in self.jobs if j["status"] != "ok"]

    def summary(self):
        """One row per run: job, scenario, status, duration_s, message."""
        import pandas as pd

        status = {j["name"]: j for j in self.jobs}
        return pd.DataFrame(
            [
                {
                    "job": r.job,
                    "scenario": r.scenario,
                    "status": status.get(r.name, {}).get("status"),
                    "duration_s": status.get(r.name, {}).get("duration_s"),
                    "message": status.get(r.name, {}).get("message"),
                }
                for r in self.plan.runs
            ]
        )


def run_scenarios(
    pack: Pack,
    scenarios: Scenarios | ScenarioPlan | str | os.PathLike[str],
    *,
    period: str | None = None,
    out: str | Path | None = None,
    n_jobs: int | None = None,
    executor: str | None = None,
    on_event: Callable[..., None] | None = None,
    command: list[str] | None = None,
    start_timeout_s: float = 60.0,
    pdf: bool = True,
) -> ScenariosResult:
    """Run the base and every variant of the jobs a scenarios file names; compare them.

    Parameters
    ----------
    pack : Pack
        The pack whose jobs the scenarios change (:func:`~.pack.load_pack`).
    scenarios : Scenarios, ScenarioPlan or path
        The scenarios file (:func:`load_scenarios`) or its plan.
    period : str, optional
        The period (default: the latest quarter of the pack's data, as for a pack run); every
        run sees the data as of its last day; the folder is ``<period>-<file stem>``.
    out, n_jobs, executor, on_event, command, start_timeout_s, pdf
        As for :func:`~.publish.run_pack` (``pdf=False``: no PDF of each report).

    Returns
    -------
    ScenariosResult

    Notes
    -----
    Every run of a job has the job's seed, so the Monte Carlo draws the same uniforms in the
    same order in every scenario (common random numbers): the difference between two
    scenarios is the effect of the changed inputs, not sampling noise. The folder is built
    hidden and renamed into place as a pack run is; an earlier comparison of the same name is
    kept as ``<folder>.N``. The run history is not written.
    """
    from .comparison import comparison_entries, comparison_name, comparison_notebook, write_plans
    from .index import write_index
    from .manifest import build_manifest, write_manifest
    from .period import check_period, default_period
    from .publish import (
        RUN_FILE,
        _output_folder,
        _start_building,
        check_period_name,
        job_specs,
        publish,
        remove_stale_staging,
        with_as_of,
    )
    from .runner import run_jobs

    plan = scenarios if isinstance(scenarios, ScenarioPlan) else plan_scenarios(pack, scenarios)
    period = period or default_period(pack)[0]
    check_period_name(period)
    as_of = check_period(plan.pack, period, as_of=pack.as_of)  # the data as a pack run sees it
    folder_name = f"{period}-{plan.scenarios.name}"
    out_dir = _output_folder(Path(out) if out is not None else pack.root / "reports")
    remove_stale_staging(out_dir)
    building = _start_building(out_dir, folder_name)
    try:
        runs = with_as_of(plan.pack, as_of)
        specs = job_specs(
            runs, folder_name, building, start_timeout_s, as_of=as_of, pdf=pdf,
            pack_title=f"{pack.title}: scenarios {plan.scenarios.name}",
        )  # fmt: skip
        start = datetime.now(UTC).isoformat(timespec="seconds")
        t0 = time.perf_counter()
        results = run_jobs(specs, n_jobs=n_jobs, executor=executor, on_event=on_event)
        # then one comparison report per job, from what its scenarios recorded
        notebook = comparison_notebook(pack.root)
        plans = write_plans(building, plan, pack, results)
        title = {j.name: j.title for j in pack.jobs}
        compare = [
            dataclasses.replace(
                specs[0],
                name=comparison_name(job),
                notebook=str(notebook),
                title=f"Scenarios compared: {title[job]}",
                parameters={"plan_file": plan_file},
                inputs={},
            )
            for job, plan_file in plans.items()
        ]
        results += run_jobs(compare, n_jobs=n_jobs, executor=executor, on_event=on_event)
        duration = time.perf_counter() - t0
        compared = dataclasses.replace(
            runs,
            jobs=runs.jobs
            + tuple(
                dataclasses.replace(
                    runs.jobs[0], name=s.name, notebook=notebook, title=s.title,
                    parameters=s.parameters, schema=read_schema(notebook),
                )
                for s in compare
            ),
        )  # fmt: skip
        manifest = build_manifest(
            compared,
            results,
            period=folder_name,
            start=start,
            end=datetime.now(UTC).isoformat(timespec="seconds"),
            duration_s=duration,
            n_jobs=n_jobs,
            executor=executor,
            command=command,
        )
        manifest["pack"]["title"] = f"{pack.title}: scenarios compared"
        manifest["scenarios"] = {
            "file": plan.scenarios.path.name,
            "name": plan.scenarios.name,
            "variants": list(plan.scenarios.variants),
        }
        manifest["comparisons"] = comparison_entries(building, plan, pack, manifest["jobs"])
        write_manifest(manifest, building / "manifest.json")
        write_index(building / "index.html", manifest)
        (building / RUN_FILE).unlink()
        target = out_dir / folder_name
        archived = publish(building, target)
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    return ScenariosResult(
        plan=plan,
        period=period,
        folder=target,
        index=target / "index.html",
        comparisons=tuple(target / c["html"] for c in manifest["comparisons"] if c["html"]),
        jobs=tuple(results),
        duration_s=duration,
        archived=archived,
    )
