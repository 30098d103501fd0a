"""One job in a process of its own: ``python -m cio_analytics.pipeline.jobproc``.

A Dask worker (with or without a nanny) is a daemonic process, which may not start
``multiprocessing`` children; a plain ``subprocess`` is allowed anywhere. :func:`run_in_subprocess`
starts this module with the job spec in a JSON file, in a new session (its own process group), and
waits for the outcome, which the job process writes to a second JSON file. The job process:

- asks for ``SIGTERM`` when its parent (the worker) dies (:func:`._orphans.die_with_parent`), and
  on ``SIGTERM`` kills its kernel's process group and exits, like a pool worker of the local
  executor;
- runs :func:`.runner.run_job` (private kernel, papermill, export) and writes the outcome;
- exits 3 with ``{"output_error": ...}`` when its output folder cannot be written.

The parent kills the whole process group when the job runs past its time limit or the parent is
stopped, so no kernel outlives its job.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["JobCancelled", "JobProcessError", "run_in_subprocess"]

#: Seconds allowed on top of the job's own time limit (kernel start, export, Excel).
GRACE_S = 120.0


class JobProcessError(RuntimeError):
    """The job process died without an outcome (killed, crashed): the job may be retried."""


class _Forked:
    """A job process forked by the job server: alive until its pid is gone (the server
    ignores ``SIGCHLD``, so its children are reaped at once)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.returncode = pid, None

    def poll(self) -> int | None:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            self.returncode = 0 if self.returncode is None else self.returncode
        except PermissionError:
            pass
        return self.returncode


_SERVER_LOCK = threading.Lock()
_SERVER: subprocess.Popen | None = None


def _start_server() -> subprocess.Popen:
    """Start the job server from a thread that lives as long as the server (a parent-death
    signal follows the thread that started the process, not the process)."""
    box: dict[str, Any] = {}
    ready = threading.Event()

    def keeper() -> None:
        try:
            box["proc"] = subprocess.Popen(
                [sys.executable, "-m", "cio_analytics.pipeline.jobproc", "--server"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True,
                close_fds=True,
            )  # fmt: skip
        except BaseException as exc:  # pragma: no cover - no interpreter to start
            box["error"] = exc
        ready.set()
        if "proc" in box:
            box["proc"].wait()

    threading.Thread(target=keeper, name="cioa-job-server", daemon=True).start()
    ready.wait()
    if "error" in box:  # pragma: no cover
        raise box["error"]
    return box["proc"]


def _fork_job(spec_file: Path, result_file: Path, name: str) -> _Forked | None:
    """Ask this process's job server (started on first use) for a job process; None when the
    server cannot give one (the caller then starts a plain subprocess)."""
    global _SERVER
    request = json.dumps({"spec": str(spec_file), "result": str(result_file), "name": name})
    with _SERVER_LOCK:
        for _ in range(2):
            if _SERVER is None or _SERVER.poll() is not None:
                _SERVER = _start_server()
            try:
                _SERVER.stdin.write(request.encode() + b"\n")
                _SERVER.stdin.flush()
                line = _SERVER.stdout.readline()
                return _Forked(int(line))
            except (OSError, ValueError):  # the server died: start another once
                _SERVER.kill()
                _SERVER.wait()
                _SERVER = None
    return None


def _kill_group(proc) -> None:
    """SIGTERM to the job's process group (the job process kills its kernel), then SIGKILL."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        pass
    deadline = time.monotonic() + 5.0
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    while proc.poll() is None:
        time.sleep(0.05)


def _exit_handle(pid: int) -> int | None:
    """A file descriptor that becomes readable when process ``pid`` ends (Linux's pidfd), or
    None where there is none (other systems, old kernels, a process already gone)."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _wait(proc, timeout: float | None, stop: Callable[[], bool] | None) -> None:
    """Wait for ``proc``; raise ``TimeoutExpired`` after ``timeout`` s, :class:`JobCancelled`
    as soon as ``stop()`` is true (both checked every 0.2 s).

    Where the system has pidfds the wait ends the moment the process does (``select`` on its
    pidfd, 0.2 s at most between checks); elsewhere it checks every 0.2 s, so a job's end is
    seen 0.1 s late on average.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    handle = _exit_handle(proc.pid)
    try:
        while proc.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(proc.pid), timeout)
            if stop is not None and stop():
                raise JobCancelled("the job was cancelled by the run")
            if handle is None:
                time.sleep(0.2)
            else:
                select.select([handle], [], [], 0.2)
    finally:
        if handle is not None:
            os.close(handle)


class JobCancelled(RuntimeError):
    """The run no longer wants this job (Ctrl-C of the command, a cancelled Dask task)."""


def run_in_subprocess(
    spec: dict[str, Any], *, stop: Callable[[], bool] | None = None
) -> dict[str, Any]:
    """Run the job ``spec`` (a :class:`~.runner.JobSpec` as a dict) in a process of its own.

    The process is forked by this process's job server (``python -m
    cio_analytics.pipeline.jobproc --server``, started on first use, which has imported
    papermill, nbconvert, WeasyPrint and the runner once and rendered one tiny report), or,
    when no server can be started, a fresh ``python -m cio_analytics.pipeline.jobproc --job
    NAME`` subprocess. Either way it is a session (process group) of its own.

    Returns the job's outcome dict. Raises :class:`~.errors.OutputError` when the job's output
    folder cannot be written and :class:`JobProcessError` when the job process died without an
    outcome (killed by a signal, out of memory, past its time limit plus :data:`GRACE_S`).
    ``stop`` (polled while the job runs) returning true kills the job's process group and
    raises :class:`JobCancelled`.
    """
    from .errors import OutputError

    with tempfile.TemporaryDirectory(prefix="cioa-job-") as tmp:
        spec_file, result_file = Path(tmp) / "spec.json", Path(tmp) / "outcome.json"
        spec_file.write_text(json.dumps(spec), encoding="utf-8")
        limit = spec.get("job_timeout_s")
        timeout = None if not limit else float(limit) + GRACE_S
        proc = _fork_job(spec_file, result_file, spec["name"])
        if proc is None:
            cmd = [sys.executable, "-m", "cio_analytics.pipeline.jobproc", "--job",
                   spec["name"], str(spec_file), str(result_file)]  # fmt: skip
            proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, start_new_session=True, close_fds=True
            )
        try:
            _wait(proc, timeout, stop)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise JobProcessError(
                f"job {spec['name']!r}: its process ran {timeout:g} s, past its time limit, "
                "and was killed"
            ) from None
        except BaseException:  # the worker is stopping: take the job's kernel with us
            _kill_group(proc)
            raise
        try:  # a kernel the job process could not stop
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if not result_file.is_file():
            rc = proc.returncode
            how = f"killed by signal {-rc}" if rc and rc < 0 else "killed or crashed"
            raise JobProcessError(
                f"job {spec['name']!r}: its process ended ({how}) with no outcome"
            )
        outcome = json.loads(result_file.read_text(encoding="utf-8"))
    if "output_error" in outcome:
        raise OutputError(outcome["output_error"])
    return outcome


def _serve() -> int:  # pragma: no cover - runs in the job server
    """The job server: import once, then fork one job process per request line on stdin
    (``{"spec": ..., "result": ..., "name": ...}``) and answer its pid on stdout.

    Single-threaded, so forking is safe. It dies with its parent (``SIGTERM``, which it passes
    to every job's process group); ``SIGCHLD`` is ignored so finished jobs are reaped at once.
    """
    from ._orphans import die_with_parent

    children: set[int] = set()

    def terminated(signum, frame) -> None:
        for pid in children:
            try:
                os.killpg(pid, signal.SIGTERM)
            except (ProcessLookupError, PermissionError):
                pass
        os._exit(128 + signum)

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, terminated)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    die_with_parent(signal.SIGTERM)
    import nbconvert  # noqa: F401  (the imports a job would otherwise pay for)
    import papermill  # noqa: F401

    from . import excel, export, pdf, runner  # noqa: F401

    pdf.pdf_unavailable()  # imports WeasyPrint (seconds) here, not in every job's process
    _warm_up()

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    for line in iter(stdin.readline, b""):
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.setsid()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                null = os.open(os.devnull, os.O_RDWR)
                os.dup2(null, 0)
                os.dup2(2, 1)  # never write into the server's answer pipe
                code = main(["--job", request["name"], request["spec"], request["result"]])
            finally:
                os._exit(code)
        children.add(pid)
        children = {c for c in children if _alive(c)}
        stdout.write(f"{pid}\n".encode())
        stdout.flush()
    return 0


#: A 1x1 PNG: the warm-up report's chart, so the image code paths load too.
_PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def _warm_up() -> None:  # pragma: no cover - runs in the job server
    """Render one tiny report (HTML, workbook, PDF) in the job server before it forks any job.

    Every job process is a fresh fork of the server, so whatever the server has not done yet
    each job does again: nbconvert's first export (the exporter, its Jinja templates and
    filters), openpyxl's first workbook and WeasyPrint's first page (fonts, CSS) cost about
    1 to 3 s a job, which a local pool worker pays once, with its first job. Done here, every
    fork inherits them. Best effort: a failure here is the job's to report, not the server's.
    """
    import nbformat

    from . import excel, export, pdf

    with tempfile.TemporaryDirectory(prefix="cioa-warm-") as tmp:
        folder = Path(tmp)
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("chart")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": _PIXEL})]
        nb.cells = [
            nbformat.v4.new_markdown_cell("# Warm-up\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
            cell,
        ]
        try:
            html = folder / "warm.html"
            export.export_html(nb, html, title="Warm-up", parameters={"n": 1}, inputs={})
            excel.write_workbook(folder / "warm.xlsx", title="Warm-up", records={})
            if pdf.pdf_unavailable() is None:
                pdf.write_pdf(html, folder / "warm.pdf", footer="Warm-up")
        except Exception:  # the first job meets the same error and reports it
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _terminated(signum, frame) -> None:  # pragma: no cover - runs in the job process
    from .runner import _stop_kernels

    _stop_kernels()
    os._exit(128 + signum)


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - runs in the job process
    """The job process: ``--job NAME SPEC.json OUTCOME.json``."""
    from ._orphans import die_with_parent
    from .runner import _stop_kernels

    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--server"]:
        return _serve()
    if args[:1] == ["--job"]:
        args = args[2:]
    spec_file, result_file = Path(args[0]), Path(args[1])
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminated)
    die_with_parent(signal.SIGTERM, on_orphan=_stop_kernels)

    from .errors import OutputError
    from .runner import run_job

    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    code = 0
    try:
        outcome = run_job(spec)
    except OutputError as exc:
        outcome, code = {"output_error": str(exc)}, 3
    partial = result_file.with_suffix(f".{os.getpid()}.{time.time_ns()}")
    partial.write_text(json.dumps(outcome, default=str), encoding="utf-8")
    os.replace(partial, result_file)  # the parent sees a whole outcome or none
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
