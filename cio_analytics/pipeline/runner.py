"""Run a pack's jobs: one private kernel per job, in a process pool or on a Dask cluster.

:func:`run_job` does one job from start to finish in whatever process it lands in: start a
private kernel (:mod:`.kernel`), execute the notebook through papermill with the job's
parameters, write the executed notebook, the HTML report (:mod:`.export`), the log and the
sidecar of recorded figures, and return a plain ``dict`` describing what happened. It never
raises for a notebook's failure: errors, timeouts and kernels that would not start become the
job's ``status``.

:func:`run_jobs` spreads jobs over ``n_jobs`` worker processes (``forkserver`` where available,
else ``spawn``), or over a Dask ``distributed`` scheduler given its address, or runs them in
this process when ``n_jobs == 1``; it reports each job's start and end through a callback.
On a Dask cluster each job travels as bytes (:mod:`.remote`: notebook, inputs with sha256,
parameters; back come the produced files with sha256) and runs in a job process of its own
(:mod:`.jobproc`, a plain subprocess, which a daemonic nanny worker may start).

Children die with the run (:mod:`._orphans`): the forkserver and every worker get a parent-death
signal, a worker stopped by ``SIGTERM`` (Ctrl-C of the run, or its parent's death) first kills
its kernel's process group. A write that fails because the output folder is read-only or the
disk is full stops the whole run with :class:`~.errors.OutputError`, not one job.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat

from ..reporting.parameters import NOTEBOOK_ENV
from ..reporting.record import (
    AS_OF_ENV,
    RECORD_ENV,
    read_records,
    read_tables,
    summary_path,
    tables_path,
)
from ._orphans import RUN_PID_ENV, die_with_parent
from .errors import (
    ExecutorError,
    OutputError,
    describe_os_error,
    is_output_fault,
    public_path,
    public_text,
)
from .export import export_html, failure_details, report_noise
from .kernel import KernelStartError, PrivateKernel

__all__ = ["JobSpec", "run_job", "run_jobs"]


@dataclass(frozen=True)
class JobSpec:
    """Everything a worker needs to run one job (plain data: it crosses process boundaries)."""

    name: str
    notebook: str
    title: str
    parameters: dict[str, Any]
    out_dir: str
    root: str
    cell_timeout_s: float | None = 600.0
    job_timeout_s: float | None = 3600.0
    start_timeout_s: float = 60.0
    inputs: dict[str, str] = field(default_factory=dict)
    pack_title: str = ""
    period: str = ""
    as_of: str = ""  # the data's as-of date (ISO) of the period; "" for none
    pdf: bool = True  # False: no PDF of the report (run --no-pdf)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class _LogStream:
    """File-like sink for papermill's copy of the notebook's stdout/stderr."""

    def __init__(self, fh, prefix: str) -> None:
        self.fh, self.prefix = fh, prefix

    def write(self, text: str) -> int:
        self.fh.write(text)
        self.fh.flush()
        return len(text)

    def flush(self) -> None:
        self.fh.flush()


#: Kernels running in this process, killed by :func:`_stop_kernels` on SIGTERM or interruption.
_ACTIVE_KERNELS: set[PrivateKernel] = set()


def _stop_kernels() -> None:
    for kernel in list(_ACTIVE_KERNELS):
        kernel.kill()
        if kernel.runtime_dir is not None:
            import shutil

            shutil.rmtree(kernel.runtime_dir, ignore_errors=True)


def _worker_terminated(signum, frame) -> None:  # pragma: no cover - runs in a worker process
    _stop_kernels()
    os._exit(128 + signum)


def _worker_init() -> None:  # pragma: no cover - runs in a worker process
    """A pool worker: Ctrl-C is the run's to handle (no traceback per worker); SIGTERM, or the
    forkserver's death, kills this worker's kernel and exits."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_terminated)
    die_with_parent(signal.SIGTERM, on_orphan=_stop_kernels)


def run_job(spec: JobSpec | dict[str, Any]) -> dict[str, Any]:
    """Run one job; return its outcome (status, times, error, files, recorded figures).

    Raises :class:`~.errors.OutputError` when the output folder cannot be written (read-only,
    disk full): that stops the run, not one job.
    """
    if isinstance(spec, dict):
        spec = JobSpec(**spec)
    try:
        return _run_job(spec)
    except OSError as exc:
        if is_output_fault(exc):
            raise OutputError(describe_os_error(exc, Path(spec.out_dir).parent)) from None
        raise


def _scrub_paths(nb: nbformat.NotebookNode, root: Path) -> None:
    """What is published names no folder of this machine: papermill's input and output paths
    become project-relative, error outputs show package-relative paths."""
    pm = nb.metadata.get("papermill", {})
    for key in ("input_path", "output_path"):
        if pm.get(key):
            pm[key] = public_path(pm[key], root) if key == "input_path" else Path(pm[key]).name
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "error":
                out["traceback"] = [public_text(line, root) for line in out.get("traceback", [])]
                out["evalue"] = public_text(out.get("evalue", ""), root)


def _run_job(spec: JobSpec) -> dict[str, Any]:
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    out = Path(spec.out_dir)
    files = {
        "notebook": f"{spec.name}.ipynb",
        "html": f"{spec.name}.html",
        "log": f"{spec.name}.log",
        "records": f"{spec.name}.records.jsonl",
        "tables": tables_path(f"{spec.name}.records.jsonl").name,
    }
    paths = {k: out / v for k, v in files.items()}
    root = Path(spec.root)
    paths["records"].write_text("", encoding="utf-8")
    paths["tables"].write_text("", encoding="utf-8")
    summary_path(paths["records"]).unlink(missing_ok=True)
    logging.getLogger("papermill").setLevel(logging.CRITICAL)  # outcomes go to the log/status
    start, t0 = _now(), time.perf_counter()
    status, message, attempts = "ok", "", 0
    timed_out = threading.Event()
    with open(paths["log"], "a", encoding="utf-8", buffering=1) as log:
        log.write(f"# {spec.name}: {public_path(spec.notebook, root)}\n# started {start}\n")
        log.flush()
        kernel = PrivateKernel(
            cwd=Path(spec.root),
            env={
                RECORD_ENV: str(paths["records"]),
                "CIO_ANALYTICS_HOME": spec.root,
                NOTEBOOK_ENV: spec.notebook,
                AS_OF_ENV: spec.as_of,
            },
            log=log,
            start_timeout_s=spec.start_timeout_s,
        )
        timer = None
        _ACTIVE_KERNELS.add(kernel)
        try:
            km = kernel.start()
            attempts = kernel.attempts
            log.write(
                f"# kernel ready after {time.perf_counter() - t0:.2f} s ({attempts} start(s))\n"
            )
            if spec.job_timeout_s:

                def _expire() -> None:
                    timed_out.set()
                    kernel.kill()

                timer = threading.Timer(spec.job_timeout_s, _expire)
                timer.daemon = True
                timer.start()
            stream = _LogStream(log, "")
            papermill.execute_notebook(
                spec.notebook,
                str(paths["notebook"]),
                parameters=spec.parameters,
                kernel_name="python3",
                progress_bar=False,
                log_output=False,
                stdout_file=stream,
                stderr_file=stream,
                start_timeout=spec.start_timeout_s,
                execution_timeout=spec.cell_timeout_s,
                km=km,
            )
        except KernelStartError as exc:
            attempts = kernel.attempts
            status, message = "failed", str(exc)
        except (CellTimeoutError, DeadKernelError, PapermillExecutionError, Exception) as exc:
            if timed_out.is_set():
                status = "timeout"
                message = f"the job ran longer than {spec.job_timeout_s:g} s and was stopped"
            elif isinstance(exc, CellTimeoutError) or "timed out" in str(exc).lower():
                status = "timeout"
                message = f"a cell ran longer than {spec.cell_timeout_s:g} s and was stopped"
            elif isinstance(exc, PapermillExecutionError):
                status, message = "failed", f"{exc.ename}: {public_text(exc.evalue, root)}"
            elif is_output_fault(exc):
                raise
            else:
                status, message = "failed", f"{type(exc).__name__}: {public_text(str(exc), root)}"
                log.write(public_text(traceback.format_exc(), root))
        finally:
            if timer is not None:
                timer.cancel()
            kernel.stop()
            _ACTIVE_KERNELS.discard(kernel)
        end, duration = _now(), time.perf_counter() - t0
        log.write(f"# finished {end}: {status} in {duration:.2f} s {message}\n")

    if paths["notebook"].is_file():
        nb = nbformat.read(paths["notebook"], as_version=4)
    else:
        nb = nbformat.read(spec.notebook, as_version=4)
    _scrub_paths(nb, root)
    nbformat.write(nb, paths["notebook"])
    error = failure_details(nb) if status != "ok" else None
    warnings = export_html(
        nb,
        paths["html"],
        title=spec.title,
        status=status,
        error=error,
        message=message,
        parameters=spec.parameters,
        inputs=spec.inputs,
        extra={"pack": spec.pack_title, "period": spec.period, "started": start},
    )
    noise = report_noise(paths["html"].read_text(encoding="utf-8")) if status == "ok" else []
    records = read_records(paths["records"])
    summary = summary_path(paths["records"])
    if summary.is_file():  # the executive summary as data, for the index, board summary, slides
        files["summary"] = summary.name
    if status == "ok":
        try:
            _write_excel(spec, out / f"{spec.name}.xlsx", paths["tables"], records, end)
            files["excel"] = f"{spec.name}.xlsx"
        except Exception as exc:  # the HTML report stands without its workbook
            if is_output_fault(exc):
                raise
            warnings.append(f"Excel workbook not written: {type(exc).__name__}: {exc}")
    pdf_line = (
        _write_pdf(spec, paths["html"], out / f"{spec.name}.pdf", files, warnings)
        if spec.pdf
        else "# PDF skipped: --no-pdf\n"
    )
    with open(paths["log"], "a", encoding="utf-8") as log:
        log.writelines(f"# nbconvert warning: {w}\n" for w in warnings)
        log.writelines(f"# report shows: {n}\n" for n in noise)
        log.write(f"# HTML written after {time.perf_counter() - t0:.2f} s\n")
        log.write(pdf_line)
    return {
        "name": spec.name,
        "status": status,
        "message": message,
        "error": error,
        "start": start,
        "end": end,
        "duration_s": round(duration, 3),
        "kernel_attempts": attempts,
        "export_warnings": warnings,
        "report_noise": noise,
        "files": files,
        "records": records,
        "worker_pid": os.getpid(),
    }


def _write_pdf(spec: JobSpec, html: Path, pdf: Path, files: dict, warnings: list) -> str:
    """The report's PDF beside its HTML (in this job's process, so reports render in parallel);
    returns the log line saying how long it took, or why it was skipped."""
    from .pdf import pdf_unavailable, write_pdf

    reason = pdf_unavailable()
    if reason is not None:
        return f"# PDF skipped: {reason}\n"
    t0 = time.perf_counter()
    try:
        write_pdf(html, pdf, footer=" · ".join(p for p in (spec.title, spec.period) if p))
    except Exception as exc:  # the HTML report stands without its PDF
        if is_output_fault(exc):
            raise
        pdf.unlink(missing_ok=True)
        warnings.append(f"PDF not written: {type(exc).__name__}: {exc}")
        return ""
    files["pdf"] = pdf.name
    return f"# PDF written in {time.perf_counter() - t0:.2f} s\n"


def _write_excel(spec: JobSpec, path: Path, tables: Path, records, end: str) -> None:
    from .excel import write_workbook

    write_workbook(
        path,
        title=spec.title,
        tables=read_tables(tables),
        records=records,
        pack=spec.pack_title,
        period=spec.period,
        run_date=end[:19].replace("T", " "),
        parameters=spec.parameters,
        inputs=spec.inputs,
    )


def failed_result(name: str, message: str) -> dict[str, Any]:
    """The result of a job that produced nothing (its worker or job process died, or a shipped
    job was refused): the same fields as a finished job's, status ``failed``."""
    now = _now()
    return {
        "name": name,
        "status": "failed",
        "message": message,
        "error": None,
        "start": now,
        "end": now,
        "duration_s": 0.0,
        "kernel_attempts": 0,
        "export_warnings": [],
        "report_noise": [],
        "files": {},
        "records": {},
        "worker_pid": None,
    }


def _crashed(spec: JobSpec, exc: BaseException) -> dict[str, Any]:
    return failed_result(
        spec.name, f"the worker running this job died: {type(exc).__name__}: {exc}"
    )


def _mp_context() -> multiprocessing.context.BaseContext:
    """``forkserver`` (workers fork from a server that imported papermill and nbconvert once),
    else ``spawn``; never plain ``fork`` of this possibly threaded process."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        # _orphans first: the forkserver arms its parent-death signal before the slow imports.
        ctx.set_forkserver_preload(
            ["cio_analytics.pipeline._orphans", "cio_analytics.pipeline.runner", "papermill",
             "nbconvert"]
        )  # fmt: skip
        os.environ[RUN_PID_ENV] = str(os.getpid())
        return ctx
    return multiprocessing.get_context("spawn")


Callback = Callable[[str, JobSpec, dict[str, Any] | None], None]


def run_jobs(
    specs: list[JobSpec],
    *,
    n_jobs: int | None = None,
    executor: str | None = None,
    on_event: Callback | None = None,
) -> list[dict[str, Any]]:
    """Run ``specs``; return their outcomes in the same order.

    ``on_event("start", spec, None)`` and ``on_event("end", spec, outcome)`` are called in this
    process as each job starts and ends. ``n_jobs`` defaults to the number of cores; ``1`` runs
    in this process; ``executor`` (``"tcp://host:8786"``) sends jobs to a Dask scheduler.
    Two specs may share a name when their ``out_dir`` differs (the units of a group run).
    """
    on_event = on_event or (lambda *a: None)
    results: dict[int, dict[str, Any]] = {}  # by id(spec)
    if executor:
        _run_dask(specs, executor, on_event, results)
    elif (n_jobs or os.cpu_count() or 1) == 1 or len(specs) == 1:
        for spec in specs:
            on_event("start", spec, None)
            results[id(spec)] = run_job(spec)
            on_event("end", spec, results[id(spec)])
    else:
        _run_pool(specs, min(n_jobs or os.cpu_count() or 1, len(specs)), on_event, results)
    return [results[id(s)] for s in specs]


def _stop_pool(pool: cf.ProcessPoolExecutor) -> None:
    """Stop every worker now (each kills its kernel on SIGTERM), then drop the pool."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    deadline = time.monotonic() + 5.0
    for proc in procs:
        proc.join(max(0.0, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def _run_pool(specs, n_workers, on_event, results) -> None:
    pending = list(specs)
    while pending:
        pool = cf.ProcessPoolExecutor(
            max_workers=n_workers, mp_context=_mp_context(), initializer=_worker_init
        )
        try:
            running: dict[cf.Future, JobSpec] = {}
            broken = False
            while (pending and not broken) or running:
                while pending and len(running) < n_workers and not broken:
                    spec = pending.pop(0)
                    on_event("start", spec, None)
                    running[pool.submit(run_job, asdict(spec))] = spec
                done, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
                for fut in done:
                    spec = running.pop(fut)
                    try:
                        results[id(spec)] = fut.result()
                    except OutputError:
                        raise
                    except BrokenProcessPool as exc:
                        broken = True  # finish this pool's jobs, then start a fresh pool
                        results[id(spec)] = _crashed(spec, exc)
                    except Exception as exc:
                        results[id(spec)] = _crashed(spec, exc)
                    on_event("end", spec, results[id(spec)])
        except BaseException:  # Ctrl-C, an output fault: stop the workers and their kernels now
            _stop_pool(pool)
            raise
        pool.shutdown(wait=True)


def run_job_isolated(spec: dict[str, Any]) -> dict[str, Any]:
    """:func:`run_job` in a fresh job process (:func:`.jobproc.run_in_subprocess`).

    A plain subprocess, not a ``multiprocessing`` child: a Dask worker under a nanny is a
    daemonic process, which may not have children of its own.
    """
    from .jobproc import run_in_subprocess

    return run_in_subprocess(spec)


def _connect(address: str, timeout_s: float):
    """A Dask client of the scheduler at ``address``, or :class:`ExecutorError` within
    ``timeout_s`` seconds."""
    from distributed import Client

    try:
        return Client(address, set_as_default=False, timeout=timeout_s)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ExecutorError(
            f"cannot reach the Dask scheduler at {address!r} within {timeout_s:g} s ({reason}). "
            "Check the address (e.g. tcp://scheduler:8786) and that the scheduler is running, "
            "or drop --executor to run on this machine; nothing was run."
        ) from None


def _run_dask(specs, address, on_event, results, connect_timeout_s: float = 5.0) -> None:
    try:
        from distributed import as_completed
    except ImportError:  # depends on the optional extra
        raise ExecutorError(
            "--executor needs Dask distributed, which is not installed: "
            "pip install 'cio-analytics[distributed]' (or drop --executor); nothing was run."
        ) from None
    from .remote import receive, run_shipped, ship

    with _connect(address, connect_timeout_s) as client:
        slots = max(1, sum(client.nthreads().values()))
        pending, running = list(specs), {}
        done = as_completed(loop=client.loop)

        def submit() -> None:
            while pending and len(running) < slots:
                spec = pending.pop(0)
                on_event("start", spec, None)
                key = f"cioa-{spec.name}-{uuid.uuid4().hex}"
                # retries=1: a job whose process died is run once more, on any worker.
                fut = client.submit(run_shipped, ship(spec), pure=False, key=key, retries=1)
                running[fut.key] = (spec, fut)
                done.add(fut)

        try:
            submit()
            for fut in done:
                spec, _ = running.pop(fut.key)
                try:
                    results[id(spec)] = receive(fut.result(), spec.out_dir)
                except OutputError:
                    raise
                except Exception as exc:
                    results[id(spec)] = _crashed(spec, exc)
                    results[id(spec)]["message"] = (
                        f"the job did not finish on the cluster, after one retry: "
                        f"{type(exc).__name__}: {exc}; nothing of it was published"
                    )
                on_event("end", spec, results[id(spec)])
                submit()
        except BaseException:  # Ctrl-C, an output fault: take the queued jobs back
            client.cancel([f for _, f in running.values()], force=True)
            raise
