"""Build a pack for past periods: ``cio-analytics backfill PACK --from 2025Q1 --to 2026Q4``.

Each quarter is built as ``cio-analytics run PACK --period Q --out OUT`` would build it (same
folder, same run history, so the history accumulates), as of that quarter's data
(:mod:`.period`). Before anything runs, every quarter is sorted into one of three:

- **published**: the run history holds a current run of the pack for it, or ``OUT/Q`` holds
  a run's ``manifest.json``: skipped, so a backfill that was stopped resumes where it was;
- **no data**: none of the jobs that read dated data (actuals, tickets, ...) has a record up to
  the quarter's as-of date, or the quarter has not started: refused with the reason
  (:func:`~.period.check_period`'s);
- **to build**: run, several quarters at once where the cores allow. A quarter for which only
  some jobs have data is built with those (``run --only``); its outcome names the reports left
  out and why ("as of 31 Dec 2025; without 1 of 11 reports: project-delivery (earned-value
  status only from 31 May 2026)"), from :func:`~.period.period_coverage`.

Each quarter runs in a process of its own (the ``run`` command), so one quarter's failure, or
an interrupted backfill, never leaves another quarter half-written: a quarter is published
whole or not at all, and the next backfill picks up the quarters still missing.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from .params import ParameterValidationError

__all__ = ["BackfillResult", "PeriodOutcome", "backfill", "is_published", "plan_backfill"]


@dataclass(frozen=True)
class PeriodOutcome:
    """What a backfill did with one period: ``status`` is ``built``, ``failed``,
    ``published`` (skipped: already there), ``no data`` (refused) or ``to build`` (a plan).

    ``jobs`` are the jobs built for the period when some of the pack's have no data for it
    (empty: all of them); ``left_out`` are those others, and ``reason`` says why.
    """

    period: str
    status: str
    reason: str = ""
    duration_s: float = 0.0
    jobs: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class BackfillResult:
    """The outcome of :func:`backfill`: one :class:`PeriodOutcome` per period, in order."""

    pack: str
    out: Path
    periods: tuple[PeriodOutcome, ...]
    duration_s: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when no period that was run failed (skipped and refused periods are fine)."""
        return all(p.status != "failed" for p in self.periods)

    def summary(self):
        """One row per period: period, status, reason, duration_s, left_out (the jobs not
        built for it for want of data, comma-separated; "" when none)."""
        import pandas as pd

        keys = ("period", "status", "reason", "duration_s")
        return pd.DataFrame(
            [{**{k: getattr(p, k) for k in keys}, "left_out": ", ".join(p.left_out)}
             for p in self.periods],
            columns=[*keys, "left_out"],
        )  # fmt: skip


def is_published(pack_name: str, period: str, out: Path, history: Path | None) -> str | None:
    """Why ``period`` of the pack ``pack_name`` counts as published in ``out`` (its reason:
    a run's manifest in ``out/period``, or a current run in the ``history``), or None."""
    manifest = out / period / "manifest.json"
    if manifest.is_file():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if (data.get("pack") or {}).get("name") in (None, pack_name):
            jobs = data.get("jobs") or []
            n_ok = sum(j.get("status") == "ok" for j in jobs)
            return f"already published in {out.name}/{period} ({n_ok} of {len(jobs)} reports ok)"
    if history is not None and history.is_file():
        from .history import history_runs

        try:
            runs = history_runs(history)
        except Exception:  # an unreadable history: decided by the folder alone
            return None
        mine = runs[(runs["pack"] == pack_name) & (runs["period"] == period) & runs["current"]]
        if len(mine):
            row = mine.iloc[-1]
            return (
                f"already published (run {row['run_id']} in the run history, "
                f"{int(row['n_ok'])} of {int(row['n_jobs'])} reports ok)"
            )
    return None


def plan_backfill(
    pack: Any,
    periods: Sequence[str],
    *,
    out: Path,
    history: Path | None,
    today: date | None = None,
) -> list[PeriodOutcome]:
    """Sort ``periods`` into published, no data and to build (nothing runs).

    A period for which some jobs have data and others none is to build with those that have
    (``jobs``), the others in ``left_out`` and the reason; one for which no job that reads
    dated data has any is ``no data`` (:attr:`~.period.PeriodCoverage.has_data`).
    """
    from .period import period_coverage

    plan = []
    for period in periods:
        reason = is_published(pack.name, period, out, history)
        if reason:
            plan.append(PeriodOutcome(period, "published", reason))
            continue
        try:
            found = period_coverage(pack, period, today=today, as_of=pack.as_of)
        except ParameterValidationError as exc:  # not started yet, a wrong as_of
            plan.append(PeriodOutcome(period, "no data", _said(exc.problems)))
            continue
        if not found.has_data:
            plan.append(PeriodOutcome(period, "no data", _said(found.problems())))
            continue
        as_of = found.as_of
        when = f"as of {as_of.day} {as_of:%b %Y}" if as_of else ""
        if not found.uncovered:
            plan.append(PeriodOutcome(period, "to build", when))
            continue
        n_out, n_all = len(found.uncovered), len(found.jobs)
        why = f"{when}; without {n_out} of {n_all} reports: {found.left_out_text()}"
        plan.append(PeriodOutcome(period, "to build", why, jobs=found.covered,
                                  left_out=found.uncovered))  # fmt: skip
    return plan


def _said(problems: Sequence[str]) -> str:
    """The problems of a period in one line, without the "period Q (...): " each starts with."""
    return " ".join(p.split(": ", 1)[-1] if p.startswith("period ") else p for p in problems)


def _run_command(
    source: str,
    period: str,
    out: Path,
    n_jobs: int,
    options: Sequence[str],
    only: Sequence[str] = (),
) -> list[str]:
    """The ``run`` command that builds one period: ``only`` (the jobs with data for it, within
    the user's ``--only``) becomes its ``--only``; none: the whole (selected) pack."""
    select = ["--only", ",".join(only)] if only else []
    return [
        sys.executable, "-m", "cio_analytics.cli", "run", source, "--period", period,
        "--out", str(out), "--jobs", str(n_jobs), *options, *select,
    ]  # fmt: skip


def backfill(
    pack: str | os.PathLike[str],
    *,
    period_from: str,
    period_to: str,
    out: str | Path | None = None,
    n_jobs: int | None = None,
    pdf: bool = True,
    overrides: Sequence[str] = (),
    param_files: Sequence[str | os.PathLike[str]] = (),
    only: str | None = None,
    history: str | Path | bool | None = True,
    root: Path | None = None,
    today: date | None = None,
    on_period: Callable[[PeriodOutcome], None] | None = None,
) -> BackfillResult:
    """Build ``pack`` for every quarter from ``period_from`` to ``period_to`` into ``out``.

    Parameters
    ----------
    pack : str or path
        A pack file or the name of a shipped pack (as for ``cio-analytics run``).
    period_from, period_to : str
        The first and last quarter, both included (``"2025Q1"``, ``"2026Q4"``).
    out : path, optional
        The parent folder of the period folders (default: the project's ``reports/``).
    n_jobs : int, optional
        Worker processes in all (default: the number of cores). Up to ``n_jobs`` quarters are
        built at once, each with ``n_jobs // quarters`` workers (at least one).
    pdf : bool, default True
        False builds the reports, their records and the history without PDFs (faster).
    overrides, param_files, only
        As ``-p``, ``-f`` and ``--only`` of ``cio-analytics run``.
    history : path or bool, default True
        The run history (default ``out/history.duckdb``); False: not recorded, and only the
        period folders tell what is published.
    today : date, optional
        The day of the run (default: today): a quarter still running is as of it.
    on_period : callable, optional
        Called with each period's :class:`PeriodOutcome` as it is decided or finished.

    Returns
    -------
    BackfillResult
        One outcome per period: ``built``, ``failed``, ``published`` (skipped) or ``no data``
        (refused, with the reason). A period built without the jobs that have no data for it
        names them in ``left_out`` and why in ``reason``.

    Raises
    ------
    ParameterValidationError
        A wrong pack, parameter or period range (nothing runs).
    """
    from ..io.paths import project_root
    from .pack import load_pack, select_jobs
    from .period import quarters_between

    t0 = time.perf_counter()
    periods = quarters_between(period_from, period_to)
    root = (root or project_root()).resolve()
    loaded = load_pack(pack, overrides=list(overrides), param_files=list(param_files), root=root)
    if only:
        loaded = select_jobs(loaded, only)
    out = Path(out) if out is not None else loaded.root / "reports"
    out = out.resolve()
    if history is True:
        from .history import DEFAULT_HISTORY

        history_path: Path | None = out / DEFAULT_HISTORY
    else:
        history_path = None if history in (None, False) else Path(history).resolve()
    plan = plan_backfill(loaded, periods, out=out, history=history_path, today=today)
    for item in plan:
        if item.status != "to build" and on_period:
            on_period(item)
    todo = [p.period for p in plan if p.status == "to build"]
    cores = n_jobs or os.cpu_count() or 1
    at_once = max(1, min(cores, len(todo)))
    per_period = max(1, cores // at_once)
    options: list[str] = []
    for text in overrides:
        options += ["-p", text]
    for f in param_files:
        options += ["-f", str(f)]
    if not pdf:
        options.append("--no-pdf")
    if history is False or history is None:
        options.append("--no-history")
    elif history_path is not None and history is not True:
        options += ["--history", str(history_path)]
    source = str(loaded.source or pack)
    env = {**os.environ}
    if today is not None:
        from .period import TODAY_ENV

        env[TODAY_ENV] = today.isoformat()
    outcomes = {p.period: p for p in plan}
    # the pack is already reduced to the user's --only: a period's jobs lie within it
    selected = tuple(j.name for j in loaded.jobs) if only else ()
    children: set[subprocess.Popen] = set()
    lock = threading.Lock()

    def build(period: str) -> PeriodOutcome:
        start = time.perf_counter()
        log_dir = out / ".backfill"
        log_dir.mkdir(parents=True, exist_ok=True)
        log_file = log_dir / f"{period}.log"
        jobs = outcomes[period].jobs or selected
        command = _run_command(source, period, out, per_period, options, jobs)
        with open(log_file, "w", encoding="utf-8") as log:
            proc = subprocess.Popen(
                command,
                cwd=root,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
            with lock:
                children.add(proc)
            code = proc.wait()
            with lock:
                children.discard(proc)
        took = time.perf_counter() - start
        text = log_file.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        planned = outcomes[period]
        if code == 0:
            outcome = replace(planned, status="built", duration_s=took)
            log_file.unlink(missing_ok=True)
        else:
            said = [t.strip() for t in text if t.startswith(("FAILED", "cio-analytics"))]
            said = said or [t.strip() for t in text[-1:]] or [f"exit status {code}"]
            rel = f"{out.name}/.backfill/{log_file.name}"
            reason = f"{'; '.join(said)} (log: {rel})"
            outcome = replace(planned, status="failed", reason=reason, duration_s=took)
        if on_period:
            on_period(outcome)
        return outcome

    pool = ThreadPoolExecutor(max_workers=at_once)
    try:
        for outcome in pool.map(build, todo):
            outcomes[outcome.period] = outcome
    except BaseException:  # Ctrl-C: stop every period still running; each removes its folder
        import signal

        with lock:
            for proc in children:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except OSError:
                    pass
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    with contextlib.suppress(OSError):
        (out / ".backfill").rmdir()  # the logs of failed periods stay
    return BackfillResult(
        pack=loaded.name,
        out=out,
        periods=tuple(outcomes[p] for p in periods),
        duration_s=time.perf_counter() - t0,
    )
