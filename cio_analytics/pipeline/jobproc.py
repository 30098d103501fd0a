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
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["JobCancelled", "JobProcessError", "run_in_subprocess"]

#: Seconds allowed on top of the job's own time limit (kernel start, export, Excel).
GRACE_S = 120.0


class JobProcessError(RuntimeError):
    """The job process died without an outcome (killed, crashed): the job may be retried."""


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # the job process kills its kernel, then exits
        proc.wait(5.0)
    except (ProcessLookupError, PermissionError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _wait(proc: subprocess.Popen, timeout: float | None, stop: Callable[[], bool] | None) -> None:
    """Wait for ``proc``; raise ``TimeoutExpired`` after ``timeout`` s, :class:`JobCancelled`
    as soon as ``stop()`` is true (polled every half second)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        step = 0.5 if stop is not None else None
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise subprocess.TimeoutExpired(proc.args, timeout)
            step = left if step is None else min(step, left)
        try:
            proc.wait(step)
            return
        except subprocess.TimeoutExpired:
            if stop is not None and stop():
                raise JobCancelled("the job was cancelled by the run") from None


class JobCancelled(RuntimeError):
    """The run no longer wants this job (Ctrl-C of the command, a cancelled Dask task)."""


def run_in_subprocess(
    spec: dict[str, Any], *, stop: Callable[[], bool] | None = None
) -> dict[str, Any]:
    """Run the job ``spec`` (a :class:`~.runner.JobSpec` as a dict) in a new Python process.

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
        cmd = [sys.executable, "-m", "cio_analytics.pipeline.jobproc", "--job", spec["name"],
               str(spec_file), str(result_file)]  # fmt: skip
        limit = spec.get("job_timeout_s")
        timeout = None if not limit else float(limit) + GRACE_S
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
            how = (
                f"killed by signal {-proc.returncode}"
                if proc.returncode < 0
                else f"exit status {proc.returncode}"
            )
            raise JobProcessError(
                f"job {spec['name']!r}: its process ended ({how}) with no outcome"
            )
        outcome = json.loads(result_file.read_text(encoding="utf-8"))
    if "output_error" in outcome:
        raise OutputError(outcome["output_error"])
    return outcome


def _terminated(signum, frame) -> None:  # pragma: no cover - runs in the job process
    from .runner import _stop_kernels

    _stop_kernels()
    os._exit(128 + signum)


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - runs in the job process
    """The job process: ``--job NAME SPEC.json OUTCOME.json``."""
    from ._orphans import die_with_parent
    from .runner import _stop_kernels

    args = list(sys.argv[1:] if argv is None else argv)
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
