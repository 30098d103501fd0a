"""Run a validated pack into ``reports/<period>/``, never destroying an earlier run.

The run is built in a hidden temporary folder next to the target (``reports/.2026Q4.building-*``)
and renamed into place when every job has finished and the index and manifest are written. If
``reports/2026Q4`` already exists it is first renamed to the next free ``2026Q4.N`` (``.1`` is
the oldest kept run): the newest run always has the plain name and no file of an earlier run is
ever overwritten.

The building folder holds ``.run.json`` (the pid, host and start time of the run that builds
it). A run that fails or is interrupted removes its building folder; one that was killed outright
(``kill -9``) cannot, so every run first removes the building folders of runs that are no longer
alive on this host. An output folder that cannot take the reports (a file, read-only, a full
disk) stops the run with :class:`~.errors.OutputError` and one line, before or during the run.

The period drives the data (:mod:`.period`): the jobs run "as of" the period's last day (capped
at the day of the run while the period runs); a period for which a job's dated input holds no
record is refused before any kernel starts; without ``period`` the run builds the latest
quarter of the pack's data.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..io.paths import file_sha256
from .board import write_board_summary
from .changes import pack_changes
from .errors import OutputError, describe_os_error, is_output_fault
from .history import DEFAULT_HISTORY
from .index import write_index
from .manifest import build_manifest, write_manifest
from .pack import Pack
from .params import ParameterValidationError
from .runner import JobSpec, run_jobs

__all__ = ["PackRun", "current_period", "publish", "run_pack", "with_as_of"]

_PERIOD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def current_period(today: date | None = None) -> str:
    """The calendar quarter of ``today`` as ``YYYYQn``.

    Examples
    --------
    >>> current_period(date(2026, 11, 26)), current_period(date(2027, 1, 1))
    ('2026Q4', '2027Q1')
    """
    today = today or date.today()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class PackRun:
    """The outcome of :func:`run_pack`: where the reports are and how each job ended."""

    pack: Pack
    period: str
    folder: Path
    index: Path
    manifest: Path
    jobs: tuple[dict[str, Any], ...]
    duration_s: float
    archived: Path | None = None
    notes: tuple[str, ...] = ()  # one line each: what of the pack was skipped and why
    history: Path | None = None  # the run history the run was added to
    as_of: date | None = None  # the data's as-of date (None: a period name that is no quarter)

    @property
    def ok(self) -> bool:
        """True when every job succeeded."""
        return all(j["status"] == "ok" for j in self.jobs)

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [j for j in self.jobs if j["status"] != "ok"]

    def summary(self):
        """One row per job: name, status, duration_s, message."""
        import pandas as pd

        return pd.DataFrame(
            [{k: j.get(k) for k in ("name", "status", "duration_s", "message")} for j in self.jobs]
        )


def publish(building: Path, target: Path) -> Path | None:
    """Rename ``building`` to ``target``; move an existing ``target`` aside first.

    Returns the path the earlier run was moved to, or None.
    """
    archived = None
    if target.exists():
        taken = [
            int(m.group(1))
            for p in target.parent.glob(f"{target.name}.*")
            if (m := re.fullmatch(re.escape(target.name) + r"\.(\d+)", p.name))
        ]
        archived = target.with_name(f"{target.name}.{max(taken, default=0) + 1}")
        os.rename(target, archived)
    if target.exists():  # someone else published meanwhile: never replace their run
        raise FileExistsError(f"{target} appeared during the run; the new run is in {building}")
    os.rename(building, target)
    return archived


RUN_FILE = ".run.json"


def _process_start(pid: int) -> float | None:
    try:
        import psutil

        return psutil.Process(pid).create_time()
    except Exception:
        return None


def _alive(info: dict[str, Any]) -> bool:
    """True when the run that wrote ``info`` (its ``.run.json``) may still be running."""
    if info.get("host") != socket.gethostname():
        return True  # another machine's run (a shared folder): not ours to judge
    pid = info.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    started, now = info.get("process_start"), _process_start(pid)
    return started is None or now is None or abs(now - started) < 1.0  # else a reused pid


def remove_stale_staging(out: Path) -> list[Path]:
    """Remove the hidden building folders in ``out`` of runs that are no longer alive.

    A folder without ``.run.json`` (a run of an older version) is left alone. Returns the
    folders removed.
    """
    removed = []
    for folder in sorted(out.glob(".*.building-*")):
        try:
            info = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(info, dict) and not _alive(info):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def history_path(out: Path, history: str | Path | bool | None) -> Path | None:
    """The run history a run reads and records into: ``out/history.duckdb`` for True, the
    given path, or None for False or None (no history).

    Examples
    --------
    >>> history_path(Path("reports"), True).as_posix(), history_path(Path("r"), False)
    ('reports/history.duckdb', None)
    """
    if history is None or history is False:
        return None
    return out / DEFAULT_HISTORY if history is True else Path(history)


def _output_folder(out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise OutputError(
            f"--out {out} is a file, not a folder. Give a folder for the reports (it is "
            "created if missing), e.g. --out reports; nothing was run."
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, out)) from None
    return out


def _start_building(out: Path, period: str) -> Path:
    """The hidden building folder, with ``.run.json`` naming this run (also a write probe)."""
    try:
        building = Path(tempfile.mkdtemp(prefix=f".{period}.building-", dir=out))
    except OSError as exc:
        raise OutputError(describe_os_error(exc, out)) from None
    try:
        os.chmod(building, 0o755)  # mkdtemp makes it private; reports are for readers
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "process_start": _process_start(os.getpid()),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        (building / RUN_FILE).write_text(json.dumps(info) + "\n", encoding="utf-8")
    except OSError as exc:
        shutil.rmtree(building, ignore_errors=True)
        raise OutputError(describe_os_error(exc, out)) from None
    return building


def _inputs_text(job, root: Path) -> dict[str, str]:
    return {
        name: f"{job.parameters[name]} (sha256 {file_sha256(path)[:16]}...)"
        for name, path in job.inputs(root).items()
    }


def run_pack(
    pack: Pack,
    *,
    period: str | None = None,
    out: str | Path | None = None,
    n_jobs: int | None = None,
    executor: str | None = None,
    on_event: Callable[[str, JobSpec, dict[str, Any] | None], None] | None = None,
    command: list[str] | None = None,
    start_timeout_s: float = 60.0,
    history: str | Path | bool | None = True,
    today: date | None = None,
    pdf: bool = True,
    left_out: Sequence[Mapping[str, str]] = (),
) -> PackRun:
    """Run every job of ``pack`` and publish ``out/period``.

    ``period`` (default: the latest quarter of the pack's dated data, see
    :func:`~.period.default_period`) drives the data: each job runs with ``as_of`` = the
    period's last day, capped at ``today`` (default: the day of the run) while it runs
    (:func:`with_as_of`); a period with no data for a job is refused with
    :class:`~.params.ParameterValidationError` before anything starts.

    Failing jobs do not stop the others; look at :attr:`PackRun.ok` and :attr:`PackRun.failed`.
    An output folder that cannot take the reports raises :class:`~.errors.OutputError`, an
    unreachable ``executor`` :class:`~.errors.ExecutorError`; then, as after Ctrl-C, nothing
    is published and the building folder is removed.

    ``history``: the published run's figures are added to the run history
    (:mod:`~cio_analytics.pipeline.history`), by default ``out/history.duckdb``; a path puts it
    elsewhere, False leaves it alone. ``pdf=False`` writes no PDF (neither the reports' nor
    ``board-pack.pdf``): the reports, their records and the history only. A history that cannot be written (held by another run
    past the wait) does not undo the published reports: the run says so in its ``notes``.

    ``left_out``: reports of the full pack this run does not build and why (``{"job", "title",
    "reason"}`` each, e.g. a past quarter without the projects' status yet); the manifest
    keeps them and the index names them under the cards.
    """
    from .period import check_period, default_period

    period = period or default_period(pack, today=today)[0]
    check_period_name(period)
    as_of = check_period(pack, period, today=today, as_of=pack.as_of)  # before any kernel
    pack = with_as_of(pack, as_of)
    out = _output_folder(Path(out) if out is not None else pack.root / "reports")
    remove_stale_staging(out)
    building = _start_building(out, period)
    try:
        where = history_path(out, history)
        run = _build(pack, period, out, building, n_jobs, executor, on_event, command,
                     start_timeout_s, as_of, pdf, history=where, left_out=left_out)  # fmt: skip
        return _record_history(run, out, history)
    except OSError as exc:
        if is_output_fault(exc):
            raise OutputError(describe_os_error(exc, out)) from None
        raise
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)


def with_as_of(pack: Pack, as_of: date | None) -> Pack:
    """``pack`` with ``as_of`` (ISO) given to every job whose notebook declares ``as_of`` and
    that has no value for it (a value from the pack, ``-p`` or ``-f`` is kept).

    Examples
    --------
    >>> from cio_analytics.pipeline.pack import Job
    >>> from types import SimpleNamespace
    >>> schema = SimpleNamespace(names={"as_of", "seed"})
    >>> jobs = (Job("a", Path("a.ipynb"), "a", {"as_of": "", "seed": 1}, schema),
    ...         Job("b", Path("b.ipynb"), "b", {"as_of": "2026-08-31"}, schema),
    ...         Job("c", Path("c.ipynb"), "c", {}, SimpleNamespace(names={"seed"})))
    >>> p = with_as_of(Pack("p", "P", jobs, Path(".")), date(2026, 9, 30))
    >>> [j.parameters.get("as_of") for j in p.jobs]
    ['2026-09-30', '2026-08-31', None]
    """
    import dataclasses

    if as_of is None:
        return pack
    jobs = tuple(
        dataclasses.replace(job, parameters={**job.parameters, "as_of": as_of.isoformat()})
        if "as_of" in job.schema.names and not job.parameters.get("as_of")
        else job
        for job in pack.jobs
    )
    return dataclasses.replace(pack, jobs=jobs)


def check_period_name(period: str) -> str:
    """``period`` as a folder name, or :class:`~.params.ParameterValidationError` saying why not.

    Examples
    --------
    >>> check_period_name("2026Q4")
    '2026Q4'
    """
    if not _PERIOD.fullmatch(period):
        raise ParameterValidationError(
            [f"`period` may hold only letters, digits, - and _ (e.g. 2026Q4). Got {period!r}."]
        )
    return period


def job_specs(
    pack: Pack,
    period: str,
    folder: Path,
    start_timeout_s: float,
    *,
    as_of: date | None = None,
    pdf: bool = True,
    pack_title: str | None = None,
) -> list[JobSpec]:
    """The :class:`~.runner.JobSpec` of every job of ``pack``, writing into ``folder``
    (``pack_title``: the title the reports name, default the pack's)."""
    iso = as_of.isoformat() if as_of else ""
    return [
        JobSpec(
            name=job.name,
            notebook=str(job.notebook),
            title=job.title,
            parameters=job.parameters,
            out_dir=str(folder),
            root=str(pack.root),
            cell_timeout_s=job.timeout(pack, "cell_s"),
            job_timeout_s=job.timeout(pack, "job_s"),
            start_timeout_s=start_timeout_s,
            inputs=_inputs_text(job, pack.root),
            pack_title=pack.title if pack_title is None else pack_title,
            period=period,
            as_of=str(job.parameters.get("as_of") or iso),
            pdf=pdf,
        )
        for job in pack.jobs
    ]


def _build(pack, period, out, building, n_jobs, executor, on_event, command, start_timeout_s,
           as_of=None, pdf=True, history=None, left_out=()):  # fmt: skip
    specs = job_specs(pack, period, building, start_timeout_s, as_of=as_of, pdf=pdf)
    start = datetime.now(UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    results = run_jobs(specs, n_jobs=n_jobs, executor=executor, on_event=on_event)
    duration = time.perf_counter() - t0
    manifest = build_manifest(
        pack,
        results,
        period=period,
        start=start,
        end=datetime.now(UTC).isoformat(timespec="seconds"),
        duration_s=duration,
        n_jobs=n_jobs,
        executor=executor,
        command=command,
    )
    if left_out:
        manifest["left_out"] = [
            {k: str(item.get(k, "")) for k in ("job", "title", "reason")} for item in left_out
        ]
    write_manifest(manifest, building / "manifest.json")
    changes = pack_changes(history, manifest)  # this run against the history's earlier periods
    write_board_summary(
        building, manifest["jobs"], pack_title=pack.title, period=period, run_end=manifest["end"],
        changes=changes, left_out=manifest.get("left_out") or (),
    )  # fmt: skip
    write_index(building / "index.html", manifest, changes=changes)  # links the board summary
    notes = _board_pack(building, manifest, pdf, changes)  # after the board summary and index
    (building / RUN_FILE).unlink()
    target = out / period
    archived = publish(building, target)
    return PackRun(
        pack=pack,
        period=period,
        folder=target,
        index=target / "index.html",
        manifest=target / "manifest.json",
        jobs=tuple(results),
        duration_s=duration,
        archived=archived,
        notes=tuple(notes),
        as_of=as_of,
    )


def _record_history(run: PackRun, out: Path, history: str | Path | bool | None) -> PackRun:
    """Add the published run to the run history; a failure becomes a note, not an error."""
    from dataclasses import replace

    from .errors import RunError
    from .history import record_run

    path = history_path(out, history)
    if path is None:
        return run
    try:
        record_run(run.manifest, history=path)
    except (RunError, OSError) as exc:
        return replace(run, notes=(*run.notes, f"run history not updated: {exc}"))
    return replace(run, history=path)


def _board_pack(
    building: Path, manifest: dict[str, Any], pdf: bool = True, changes=None
) -> list[str]:
    """``board-pack.pdf`` and ``board-pack.pptx`` after the index and the board summary; the
    notes (one line each) say what could not be written and why."""
    from .deck import write_deck
    from .pdf import write_pack_pdf

    notes = []
    note = write_pack_pdf(building, manifest) if pdf else "PDFs not written (--no-pdf)."
    if note:
        notes.append(note)
    try:
        write_deck(building / "board-pack.pptx", manifest, building, changes=changes)
    except Exception as exc:  # the reports stand without the slides
        if is_output_fault(exc):
            raise
        (building / "board-pack.pptx").unlink(missing_ok=True)
        notes.append(f"board-pack.pptx not written: {type(exc).__name__}: {exc}")
    return notes
