"""The ``cio-analytics`` command: run, list and validate report packs.

    cio-analytics run PACK [--only JOB[,JOB]] [--period 2026Q4] [-p name=value]...
                           [-f params.yaml]... [--jobs N] [--out DIR] [--executor ADDRESS]
                           [--timeout CELL_S] [--job-timeout JOB_S] [--units FILE]
    cio-analytics run PACK --scenarios FILE   (a scenarios file's base and variants, compared)
    cio-analytics run --from-manifest reports/2026Q4/manifest.json [--period ...]
    cio-analytics backfill PACK --from 2025Q1 --to 2026Q4 [--jobs N] [--no-pdf] [--out DIR]
    cio-analytics list [PACK]
    cio-analytics validate [PACK] [-p name=value]... [-f params.yaml]...
    cio-analytics init DIR [--with-sample-data] [--force]
    cio-analytics upgrade-notebooks [--write]

The command works in the project it stands in: the nearest folder at or above the working
directory holding ``cio-analytics.toml`` (``init`` writes one; this repository has one).

PACK is a pack file or the name of a shipped pack (``notebooks/packs/<name>.yaml``); without one,
``run`` and ``validate`` take the quarterly pack. ``validate`` refuses everything ``run`` would
refuse before running (the same loading, coercion and checks). Exit status (also in
``cio-analytics --help`` and docs/reporting.md): 0 every report succeeded, 1 a report failed or
timed out, 2 the pack or a parameter is wrong (nothing ran, nothing written), 3 the output cannot
be written, 4 the executor cannot be reached, 130 interrupted (143 for SIGTERM), 141 the output
pipe was closed by its reader (``| head``). Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from .exceptions import CioAnalyticsError
from .io.paths import project_root

__all__ = ["main"]

DEFAULT_PACK = "quarterly"
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a pipe closed by its reader


def _exit_codes_text() -> str:
    from .pipeline.errors import EXIT_CODES

    return "exit status:\n" + "\n".join(f"  {code:<4} {text}" for code, text in EXIT_CODES.items())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cio-analytics",
        description="Run parameterized report notebooks as a report pack.",
        epilog=_exit_codes_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def add_params(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "-p",
            "--parameter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="set a parameter (YAML scalar) in every job that has it; JOB.NAME=VALUE for one job",
        )
        p.add_argument(
            "-f",
            "--parameters-file",
            action="append",
            default=[],
            metavar="FILE",
            help="YAML file of name: value (or JOB: {name: value}) parameters",
        )

    run = sub.add_parser(
        "run",
        help="run a report pack into reports/<period>/",
        epilog=_exit_codes_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "pack", nargs="?", help=f"pack file or shipped pack name (default: {DEFAULT_PACK})"
    )
    run.add_argument("--from-manifest", metavar="FILE", help="rerun the jobs of a past run")
    run.add_argument(
        "--units",
        metavar="FILE",
        help="run the pack for every business unit of this units file (e.g. data/units/units.yaml)",
    )
    run.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="JOB[,JOB]",
        help="run only these jobs of the pack (names as `cio-analytics list PACK` shows them)",
    )
    run.add_argument(
        "--period",
        help="the quarter (e.g. 2026Q3) the reports are as of and their folder's name (default: "
        "the latest quarter of the pack's data)",
    )
    run.add_argument(
        "--scenarios",
        metavar="FILE",
        help="run the base and every variant of a scenarios file and compare them "
        "(into <period>-<file name>/; see docs/scenarios.md)",
    )
    add_params(run)
    run.add_argument("--jobs", "-j", type=int, help="worker processes (default: number of cores)")
    run.add_argument("--out", help="parent folder of the period folders (default: reports/)")
    run.add_argument("--executor", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://host:8786")
    run.add_argument("--timeout", type=float, metavar="CELL_S", help="per-cell timeout, seconds")
    run.add_argument("--job-timeout", type=float, metavar="JOB_S", help="per-job timeout, seconds")
    run.add_argument(
        "--history",
        metavar="PATH",
        help="the run history to add this run to (default: history.duckdb in --out's folder)",
    )
    run.add_argument(
        "--no-history", action="store_true", help="do not add this run to the run history"
    )
    run.add_argument(
        "--no-pdf", action="store_true", help="no PDFs: the reports, records and history only"
    )
    run.add_argument(
        "--previous",
        action="store_true",
        help="first build the quarter before --period (no PDFs) when it is not published yet, "
        "so the index shows what changed since (make reports does)",
    )

    bf = sub.add_parser(
        "backfill",
        help="build a pack for past quarters into the same folder and history (skips the "
        "quarters already published; builds a quarter without the reports that have no data "
        "for it, and refuses one for which none has)",
        description="Build PACK for each quarter from --from to --to into --out and its run "
        "history, as `run --period QUARTER` would, skipping the quarters already published. "
        "A quarter for which some reports have no data (their dated input starts later) is "
        "built without them, and the output names them and why; a quarter for which no "
        "report that reads dated data has any is refused with the reason.",
    )
    bf.add_argument(
        "pack", nargs="?", help=f"pack file or shipped pack name (default: {DEFAULT_PACK})"
    )
    bf.add_argument("--from", dest="period_from", required=True, metavar="PERIOD",
                    help="first quarter, e.g. 2025Q1")  # fmt: skip
    bf.add_argument("--to", dest="period_to", required=True, metavar="PERIOD",
                    help="last quarter, e.g. 2026Q4")  # fmt: skip
    bf.add_argument(
        "--only", default=None, metavar="JOB[,JOB]", help="build only these jobs of the pack"
    )
    add_params(bf)
    bf.add_argument(
        "--jobs", "-j", type=int, help="worker processes in all (default: number of cores)"
    )
    bf.add_argument("--out", help="parent folder of the period folders (default: reports/)")
    bf.add_argument(
        "--history",
        metavar="PATH",
        help="the run history (default: history.duckdb in --out's folder)",
    )
    bf.add_argument("--no-pdf", action="store_true", help="no PDFs (faster)")

    his = sub.add_parser(
        "history",
        help="figures of past runs from the run history (reports/history.duckdb)",
    )
    his.add_argument(
        "--history", metavar="PATH", help="the history file (default: reports/history.duckdb)"
    )
    his.add_argument("--pack", help="only this pack (its name, e.g. quarterly)")
    his.add_argument(
        "--job", action="append", default=[], metavar="JOB", help="only this job (repeatable)"
    )
    his.add_argument(
        "--figure",
        action="append",
        default=[],
        metavar="NAME",
        help="only this figure (repeatable)",
    )
    his.add_argument(
        "--from", dest="period_from", metavar="PERIOD", help="first period, e.g. 2025Q1"
    )
    his.add_argument("--to", dest="period_to", metavar="PERIOD", help="last period, e.g. 2026Q4")
    his.add_argument("--all-runs", action="store_true", help="also the superseded runs of a period")
    his.add_argument("--runs", action="store_true", help="list the runs instead of their figures")
    his.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="output format"
    )

    lst = sub.add_parser("list", help="show the notebooks and their parameters")
    lst.add_argument(
        "pack",
        nargs="?",
        help="show this pack's jobs with the values each job runs with (pack and job "
        "parameters over the notebook defaults)",
    )

    val = sub.add_parser("validate", help="check a pack and its parameters without running it")
    val.add_argument(
        "pack", nargs="?", default=DEFAULT_PACK, help=f"pack file or name (default: {DEFAULT_PACK})"
    )
    add_params(val)
    val.add_argument(
        "--period", help="also check the pack's dated data reaches this quarter (e.g. 2026Q3)"
    )

    ini = sub.add_parser("init", help="write a new project folder: notebooks, pack, data, config")
    ini.add_argument("folder", metavar="DIR", help="the project folder (created; must be empty)")
    ini.add_argument(
        "--with-sample-data",
        action="store_true",
        help="copy the sample data into data/ (default: templates with each file's header row)",
    )
    ini.add_argument("--force", action="store_true", help="write into a folder that is not empty")

    upg = sub.add_parser(
        "upgrade-notebooks",
        help="show how the shipped notebooks differ from the project's (--write takes unedited ones)",
    )
    upg.add_argument(
        "--write",
        action="store_true",
        help="copy the shipped notebooks you have not edited since init (never your edits)",
    )
    return parser


def _cmd_init(args: argparse.Namespace) -> int:
    from .pipeline.scaffold import init_project

    result = init_project(args.folder, with_sample_data=args.with_sample_data, force=args.force)
    kinds: dict[str, int] = {}
    for f in result.files:
        kinds[f.split("/")[0]] = kinds.get(f.split("/")[0], 0) + 1
    data = "sample data" if result.with_sample_data else "templates (header rows)"
    print(f"Wrote the project {_rel(result.folder)} (cio-analytics {result.version}):")
    print(f"  notebooks/ {kinds.get('notebooks', 0)} report notebooks, yours to change")
    print("  packs/quarterly.yaml, cio-analytics.toml, README.md, reports/")
    print(f"  data/ {kinds.get('data', 0)} files: {data}")
    print(f"Next: cd {_rel(result.folder)} && cio-analytics run quarterly")
    return 0


def _cmd_upgrade(args: argparse.Namespace, root: Path) -> int:
    from .pipeline.scaffold import notebook_changes, upgrade_notebooks
    from .project import shipped_root

    if root.resolve() == shipped_root().resolve():
        print(f"{_rel(root)} is the source checkout: its notebooks are the shipped ones.")
        return 0
    changes = notebook_changes(root)
    for change in changes:
        hint = {
            "shipped changed": " (you have not edited it: --write takes the new one)",
            "edited": " (you edited it: never overwritten; merge by hand)",
            "new": " (not in this project: --write adds it)",
        }.get(change.status, "")
        print(f"{change.status:<16} {change.notebook}{hint}")
        if change.diff and not args.write:
            print(change.diff)
    if not args.write:
        n = sum(c.updatable for c in changes)
        print(f"Dry run: {n} notebook(s) would be written; run with --write to write them.")
        return 0
    written = upgrade_notebooks(root)
    print(f"Wrote {len(written)} notebook(s){': ' if written else '.'}{', '.join(written)}")
    return 0


def _rel(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it, else absolute."""
    path = Path(path).absolute()
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class _Progress:
    """One line per job start and end; a redrawn bar underneath when stdout is a terminal."""

    def __init__(self, total: int, stream=None) -> None:
        self.total, self.done, self.stream = total, 0, stream or sys.stdout
        self.tty = self.stream.isatty()

    def _bar(self) -> str:
        n = 30
        filled = int(n * self.done / max(self.total, 1))
        return f"[{'#' * filled}{'.' * (n - filled)}] {self.done}/{self.total}"

    def _line(self, text: str) -> None:
        if self.tty:
            self.stream.write("\r\033[K" + text + "\n" + self._bar())
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def __call__(self, event: str, spec: Any, result: dict[str, Any] | None) -> None:
        if event == "start":
            self._line(f"  start    {spec.name}")
            return
        self.done += 1
        status = result["status"]
        word = "ok" if status == "ok" else status.upper()
        tail = f"  {result['message']}" if status != "ok" and result.get("message") else ""
        self._line(f"  {word:<8} {spec.name:<32} {result['duration_s']:7.1f} s{tail}")

    def close(self) -> None:
        if self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _load(args: argparse.Namespace, root: Path):
    from .pipeline.pack import load_pack

    return load_pack(
        args.pack, overrides=args.parameter, param_files=args.parameters_file, root=root
    )


def _left_out(full: Any, chosen: Any, period: str, coverage: Any = None) -> list[dict[str, str]]:
    """The reports of ``full`` that ``--only`` leaves out of ``chosen`` because they have no
    data for ``period`` (a backfill's past quarter), with the reason the index shows.
    ``coverage``: the period's :class:`~.pipeline.period.PeriodCoverage` when the caller has it."""
    if len(chosen.jobs) == len(full.jobs):
        return []
    if coverage is None:
        from .pipeline.params import ParameterValidationError
        from .pipeline.period import period_coverage

        try:
            coverage = period_coverage(full, period, as_of=full.as_of)
        except ParameterValidationError:  # a period that has not started: run_pack says why
            return []
    reasons = coverage.reasons()
    kept = {j.name for j in chosen.jobs}
    return [
        {"job": j.name, "title": j.title, "reason": reasons[j.name]}
        for j in full.jobs
        if j.name not in kept and j.name in reasons
    ]


def _cmd_run(args: argparse.Namespace, root: Path, argv: list[str]) -> int:
    from .pipeline.manifest import pack_from_manifest
    from .pipeline.period import default_period
    from .pipeline.publish import run_pack

    if args.pack and args.from_manifest:
        raise CioAnalyticsError("give either a PACK or --from-manifest FILE (one of them).")
    if not args.pack and not args.from_manifest:
        args.pack = DEFAULT_PACK
    if args.from_manifest:
        if args.parameter or args.parameters_file:
            raise CioAnalyticsError("--from-manifest reruns the recorded parameters; drop -p/-f.")
        if args.units:
            raise CioAnalyticsError("--from-manifest reruns one pack; drop --units.")
        pack = pack_from_manifest(args.from_manifest, root=root)
    else:
        pack = _load(args, root)
    full_pack = pack  # before --only: the reports a past period is built without are named
    units = None
    if args.units:
        from .pipeline.units import load_units

        if args.scenarios or args.previous:
            raise CioAnalyticsError(
                "--units runs one period of one pack; drop --scenarios/--previous."
            )
        units = load_units(args.units, root=pack.root)
    elif args.only:
        from .pipeline.pack import select_jobs

        pack = select_jobs(pack, args.only)
    if args.jobs is not None and args.jobs < 1:
        raise CioAnalyticsError(f"--jobs must be 1 or more. Got {args.jobs}.")
    changes = {}
    if args.timeout is not None:
        changes["cell_timeout_s"] = args.timeout if args.timeout > 0 else None
    if args.job_timeout is not None:
        changes["job_timeout_s"] = args.job_timeout if args.job_timeout > 0 else None
    if changes:  # the command line wins over the pack's and the jobs' own timeouts
        keys = {"cell_timeout_s": "cell_s", "job_timeout_s": "job_s"}
        jobs = tuple(
            dataclasses.replace(
                j, timeouts={k: v for k, v in j.timeouts.items() if k not in map(keys.get, changes)}
            )
            for j in pack.jobs
        )
        pack = dataclasses.replace(pack, jobs=jobs, **changes)
    if args.period:
        period = args.period
    else:
        period, why = default_period(pack)
        print(f"Period {why}; --period chooses another.", flush=True)
    n_jobs = args.jobs or os.cpu_count() or 1
    if args.scenarios:
        return _cmd_run_scenarios(args, pack, period, n_jobs, argv)
    where = f"Dask scheduler {args.executor}" if args.executor else f"{n_jobs} worker process(es)"
    if units is not None:  # --only applies to each unit's pack
        from .pipeline.pack import select_jobs
        from .pipeline.units import run_units

        size = len(select_jobs(pack, args.only).jobs) if args.only else len(pack.jobs)
        total = size * len(units.units)
        print(f"{pack.title}: {size} report(s) for each of {len(units.units)} units "
              f"({total} in all) for {period} on {where}", flush=True)  # fmt: skip
        run, extra = run_units, {"units": units, "only": args.only or None}
    else:
        total = len(pack.jobs)
        print(f"{pack.title}: {total} report(s) for {period} on {where}", flush=True)
        run, extra = run_pack, {"left_out": _left_out(full_pack, pack, period)}
    progress = _Progress(total)
    history = False if args.no_history else (args.history or True)
    t0 = time.perf_counter()
    if args.previous:
        _run_previous(pack, period, args, n_jobs, history)
    try:
        result = run(
            pack,
            **extra,
            period=period,
            out=args.out,
            n_jobs=n_jobs,
            executor=args.executor,
            on_event=progress,
            command=["cio-analytics", *argv],
            history=history,
            pdf=not args.no_pdf,
        )
    finally:
        progress.close()
    counts: dict[str, int] = {}
    for job in result.jobs:
        counts[job["status"]] = counts.get(job["status"], 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    print(f"Done in {time.perf_counter() - t0:.1f} s: {summary}.")
    if result.as_of:
        print(f"Data as of {result.as_of.day} {result.as_of:%b %Y}.")
    if result.archived:
        print(f"The earlier run of {period} was kept as {_rel(result.archived)}.")
    for note in result.notes:  # e.g. the PDFs skipped on a machine without WeasyPrint
        print(f"NOTE {note}")
    for job in result.jobs:
        if job.get("report_noise"):
            print(f"NOTE {job['name']}: the report shows {', '.join(job['report_noise'])}")
    for job in result.failed:
        html_file = result.folder / job["files"]["html"] if job["files"] else result.folder
        print(f"FAILED {job['name']}: {job['message']} (see {_rel(html_file)})")
    print(f"Index: {_rel(result.index)}")
    return 0 if result.ok else 1


def _cmd_run_scenarios(args, pack, period: str, n_jobs: int, argv: list[str]) -> int:
    """``run PACK --scenarios FILE``: every variant of the jobs the file names, compared."""
    from .pipeline.scenarios import plan_scenarios, run_scenarios

    plan = plan_scenarios(pack, args.scenarios)  # every problem of the file before any run
    name = plan.scenarios.name
    print(
        f"{pack.title}: scenarios {name}: {len(plan.runs)} run(s) of {len(plan.jobs)} job(s) "
        f"({', '.join(plan.jobs)}), same seed in every scenario",
        flush=True,
    )
    progress = _Progress(len(plan.runs) + len(plan.jobs))  # the runs, then a comparison per job
    t0 = time.perf_counter()
    try:
        result = run_scenarios(
            pack,
            plan,
            period=period,
            out=args.out,
            n_jobs=n_jobs,
            executor=args.executor,
            on_event=progress,
            command=["cio-analytics", *argv],
            pdf=not args.no_pdf,
        )
    finally:
        progress.close()
    print(f"Done in {time.perf_counter() - t0:.1f} s; the run history is not changed.")
    if result.archived:
        print(f"The earlier comparison was kept as {_rel(result.archived)}.")
    for job in result.failed:
        print(f"FAILED {job['name']}: {job['message']}")
    for path in result.comparisons:
        print(f"Comparison: {_rel(path)}")
    print(f"Index: {_rel(result.index)}")


def _run_previous(pack: Any, period: str, args: argparse.Namespace, n_jobs: int, history) -> None:
    """``run --previous``: build the quarter before ``period`` first (no PDFs) when neither
    the output folder nor the run history holds it, so the index can show the changes."""
    from .pipeline.backfill import is_published
    from .pipeline.history import previous_period
    from .pipeline.pack import select_jobs
    from .pipeline.params import ParameterValidationError
    from .pipeline.period import period_coverage
    from .pipeline.publish import history_path, run_pack

    before = previous_period(period)
    if before is None:
        return
    out = Path(args.out) if args.out else pack.root / "reports"
    store = history_path(out, history)
    reason = is_published(pack.name, before, out, store)
    if reason:
        print(f"Previous quarter {before}: {reason}.", flush=True)
        return
    try:
        found = period_coverage(pack, before, as_of=pack.as_of)
    except ParameterValidationError as exc:
        print(f"Previous quarter {before} not built: {exc.problems[0]}", flush=True)
        return
    if not found.has_data:
        print(f"Previous quarter {before} not built (no data): {found.problems()[0]}", flush=True)
        return
    built, left_out = pack, []
    without = ""
    if found.uncovered:  # as a backfill does: the reports that have data, the others named
        built = select_jobs(pack, found.covered)
        left_out = _left_out(pack, built, before, found)
        without = f", without {found.left_out_text()}"
    print(f"Previous quarter {before} first (no PDFs{without}), for the changes since:",
          flush=True)  # fmt: skip
    progress = _Progress(len(built.jobs))
    try:
        prior = run_pack(built, period=before, out=args.out, n_jobs=n_jobs, executor=args.executor,
                         on_event=progress, history=history, pdf=False,
                         left_out=left_out)  # fmt: skip
    finally:
        progress.close()
    if not prior.ok:
        names = ", ".join(j["name"] for j in prior.failed)
        print(f"NOTE previous quarter {before}: {names} failed; see {_rel(prior.index)}")


def _cmd_backfill(args: argparse.Namespace, root: Path) -> int:
    from .pipeline.backfill import backfill

    if args.jobs is not None and args.jobs < 1:
        raise CioAnalyticsError(f"--jobs must be 1 or more. Got {args.jobs}.")

    def said(outcome) -> None:
        took = f" in {outcome.duration_s:.0f} s" if outcome.duration_s else ""
        print(f"  {outcome.period}  {outcome.status}{took}: {outcome.reason}", flush=True)
        if outcome.left_out and outcome.status == "failed":  # the reason is the failure's
            print(f"          run without {', '.join(outcome.left_out)} (no data for them)")

    print(
        f"Backfill {args.pack or DEFAULT_PACK}: {args.period_from} to {args.period_to}", flush=True
    )
    result = backfill(
        args.pack or DEFAULT_PACK,
        period_from=args.period_from,
        period_to=args.period_to,
        out=args.out,
        n_jobs=args.jobs,
        pdf=not args.no_pdf,
        overrides=args.parameter,
        param_files=args.parameters_file,
        only=args.only,
        history=args.history or True,
        root=root,
        on_period=said,
    )
    counts: dict[str, int] = {}
    for p in result.periods:
        counts[p.status] = counts.get(p.status, 0) + 1
    partial = sum(p.status == "built" and bool(p.left_out) for p in result.periods)
    left_out = f" ({partial} without the reports that have no data for them)" if partial else ""
    summary = ", ".join(
        f"{n} {s}{left_out if s == 'built' else ''}" for s, n in sorted(counts.items())
    )
    print(f"Done in {result.duration_s:.1f} s: {summary}. Reports in {_rel(result.out)}.")
    return 0 if result.ok else 1


def _param_line(p: Any, value: Any, mark: str) -> str:
    shown = "(required)" if value is _REQUIRED else repr(value)
    rng = f" {p.range_text}" if p.range_text else ""
    rng += f" one of {', '.join(p.choices)}" if p.choices else ""
    rng += " (required)" if p.required and value is not _REQUIRED else ""
    kind = "file" if p.is_path else p.type_text
    return f"  {mark}{p.name:<28} {kind:<10} = {shown:<34} {p.help}{rng}"


_REQUIRED = object()


def _cmd_list(args: argparse.Namespace, root: Path) -> int:
    from .pipeline.pack import load_pack, pack_dir, shipped_packs
    from .pipeline.params import read_schema

    if args.pack:  # the values each job runs with: project, pack and job over the defaults
        pack = load_pack(args.pack, root=root)
        print(f"{pack.title}: {len(pack.jobs)} job(s); * = set by the pack, the job or the project")
        for job in pack.jobs:
            print(f"\n{job.name}  ({_rel(job.notebook)})")
            for p in job.schema.params:
                value = job.parameters.get(p.name, _REQUIRED)
                changed = p.required or value != p.default or type(value) is not type(p.default)
                print(_param_line(p, value, "*" if changed and value is not _REQUIRED else " "))
            for problem in job.schema.problems:
                print(f"  ! {problem}")
        return 0
    notebooks = sorted((root / "notebooks").glob("*.ipynb"))
    packs = shipped_packs(root)
    print(f"Packs: {', '.join(packs) or 'none'} (in {_rel(pack_dir(root))})")
    for nb in notebooks:
        schema = read_schema(nb)
        print(f"\n{_rel(nb)}")
        for p in schema.params:
            print(_param_line(p, _REQUIRED if p.required else p.default, " "))
        for problem in schema.problems:
            print(f"  ! {problem}")
    return 0


def _cmd_history(args: argparse.Namespace, root: Path) -> int:
    """Print figures (or runs) of the run history as a table, CSV or JSON."""
    from .pipeline.history import DEFAULT_HISTORY, history_runs, read_history
    from .project import load_project

    if args.history:
        path = Path(args.history)
    else:
        config = load_project(root)
        folder = Path(config.history_dir) if config is not None else root / "reports"
        path = folder / DEFAULT_HISTORY
    try:
        if args.runs:
            frame = history_runs(path)
        else:
            frame = read_history(
                path,
                pack=args.pack,
                job=args.job or None,
                figure=args.figure or None,
                period_from=args.period_from,
                period_to=args.period_to,
                all_runs=args.all_runs,
            )
    except FileNotFoundError as exc:
        print(f"cio-analytics history: {exc}", file=sys.stderr)
        return 2
    if not args.runs:
        frame = frame[["period", "job", "figure", "label", "value", "text", "unit", "run_id"]]
    if args.format == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    elif args.format == "json":
        sys.stdout.write(frame.to_json(orient="records", indent=1) + "\n")
    elif frame.empty:
        print("No figures match (the history holds runs; widen --pack/--job/--figure/--from/--to).")
    else:
        shown = frame.drop(columns=["run_id"], errors="ignore").fillna("")
        print(shown.to_string(index=False, max_colwidth=48))
    return 0


def _cmd_validate(args: argparse.Namespace, root: Path) -> int:
    from .pipeline.period import check_period, default_period

    pack = _load(args, root)
    period = args.period or default_period(pack)[0]
    as_of = check_period(pack, period, as_of=pack.as_of)
    data = f"; data as of {as_of.day} {as_of:%b %Y} for {period}" if as_of else ""
    print(f"{pack.title}: {len(pack.jobs)} job(s), all parameters valid{data}.")
    for job in pack.jobs:
        print(f"  {job.name:<32} {_rel(job.notebook)}")
    return 0


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C (exit 143 instead of 130)."""


def _on_sigterm(signum, frame) -> None:
    raise _Terminated()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``cio-analytics`` command; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    root = project_root()
    problem = (
        _check_project(args, root)
        if args.command in ("run", "list", "validate", "upgrade-notebooks", "backfill")
        else None
    )
    if problem:
        print(f"cio-analytics {args.command}: {problem}", file=sys.stderr)
        return 2
    previous = None
    if args.command == "run" and _in_main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        if args.command == "run":
            return _cmd_run(args, root, argv)
        if args.command == "list":
            return _cmd_list(args, root)
        if args.command == "init":
            return _cmd_init(args)
        if args.command == "upgrade-notebooks":
            return _cmd_upgrade(args, root)
        if args.command == "history":
            return _cmd_history(args, root)
        if args.command == "backfill":
            return _cmd_backfill(args, root)
        return _cmd_validate(args, root)
    except CioAnalyticsError as exc:
        print(f"cio-analytics {args.command}: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", 2)
    except BrokenPipeError:  # `cio-analytics list | head`: the reader left; no traceback
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt as exc:
        sigterm = isinstance(exc, _Terminated)
        print(
            f"\ncio-analytics {args.command}: interrupted"
            f"{' (SIGTERM)' if sigterm else ''}; kernels and workers stopped, nothing published.",
            file=sys.stderr,
        )
        return 143 if sigterm else EXIT_INTERRUPTED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _check_project(args: argparse.Namespace, root: Path) -> str | None:
    """Why the command cannot run here: outside a project (no ``cio-analytics.toml`` here or
    above) with no pack file named. Points ``run`` at the project's history store."""
    from .project import CONFIG_NAME, find_project, load_project

    pack = getattr(args, "pack", None)
    if pack and Path(pack).is_file():
        root = find_project(pack) or root  # a pack file belongs to its own project
    try:
        config = load_project(root)
    except CioAnalyticsError as exc:
        return str(exc)
    if args.command in ("run", "backfill") and args.out is None and config is not None:
        args.out = str(config.history_dir)
    if config is None and not (root / "data").is_dir() and not getattr(args, "from_manifest", None):
        if not (pack and Path(pack).is_file()):
            return (
                f"no cio-analytics project in {Path.cwd()} or above it (no {CONFIG_NAME}). "
                "Create one with `cio-analytics init my-it-decisions --with-sample-data` and "
                "run the command inside it."
            )
    return None


def _in_main_thread() -> bool:
    """True in the main thread (only there can a signal handler be installed)."""
    import threading

    return threading.current_thread() is threading.main_thread()


if __name__ == "__main__":
    sys.exit(main())
