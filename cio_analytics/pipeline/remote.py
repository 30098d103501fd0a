"""Jobs that travel: what a Dask task carries to a worker and what it brings back.

No file system is shared between the client and the workers. :func:`ship` packs a job: the
notebook's text, every input file the job's ``_path`` parameters name (bytes and sha256), the
parameters and the client's ``cio_analytics.__version__``. :func:`run_shipped` (the Dask task)
refuses a version other than its own, rebuilds the job in a private temporary project folder
(checking every input's sha256), runs it in a job process of its own
(:func:`.jobproc.run_in_subprocess`: a daemonic nanny worker may start one) and returns the
outcome with the bytes and sha256 of every file the job produced. :func:`receive` (on the client)
checks each file against its hash and writes it into the run's building folder, each file whole
or not at all; a job whose files do not check out is reported failed and none of its files is
written.

Paths: an input inside the project root travels at its project-relative path, so the
parameter's value is unchanged; an input outside it (an absolute path) travels as
``_inputs/<parameter>/<file name>`` and the worker's copy of the parameter names that.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .. import __version__
from ..reporting.parameters import resolve_input
from .errors import public_path

__all__ = ["receive", "run_shipped", "ship"]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _relative(path: Path, root: Path) -> str | None:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def ship(spec) -> dict[str, Any]:
    """The task payload of the :class:`~.runner.JobSpec` ``spec`` (plain data and bytes)."""
    root = Path(spec.root)
    notebook = Path(spec.notebook)
    nb_rel = _relative(notebook, root) or f"_notebooks/{spec.name}/{notebook.name}"
    nb_bytes = notebook.read_bytes()
    parameters = dict(spec.parameters)
    files: dict[str, dict[str, Any]] = {}
    for name in spec.inputs:
        value = parameters.get(name)
        if not isinstance(value, str) or not value:
            continue
        path = resolve_input(value, root)
        rel = _relative(path, root)
        if rel is None:
            rel = f"_inputs/{name}/{path.name}"
            parameters[name] = rel
        data = path.read_bytes()
        files[rel] = {"data": data, "sha256": _sha(data)}
    payload = asdict(spec)
    payload.update(parameters=parameters, notebook=nb_rel, root="", out_dir="")
    return {
        "version": __version__,
        "spec": payload,
        "notebook": {"path": nb_rel, "data": nb_bytes, "sha256": _sha(nb_bytes)},
        "files": files,
    }


def _failed(spec: dict[str, Any], message: str) -> dict[str, Any]:
    from .runner import failed_result

    return failed_result(spec["name"], message)


def _place(root: Path, rel: str, item: dict[str, Any]) -> None:
    target = (root / rel).resolve()
    if root.resolve() not in target.parents:
        raise ValueError(f"input {rel!r} would land outside the job's folder")
    if _sha(item["data"]) != item["sha256"]:
        raise ValueError(f"input {rel!r} arrived damaged: its sha256 does not match the client's")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(item["data"])


def _task_cancelled():
    """A check that is true once the Dask task running this thread is cancelled or released
    (Ctrl-C of the command, a lost client); None outside a Dask worker."""
    try:
        from distributed import get_worker
        from distributed.worker import thread_state

        worker, key = get_worker(), thread_state.key
    except (ImportError, ValueError, AttributeError):
        return None

    def cancelled() -> bool:
        ts = worker.state.tasks.get(key)
        return ts is None or ts.state in {"cancelled", "released", "forgotten"}

    return cancelled


def run_shipped(payload: dict[str, Any]) -> dict[str, Any]:
    """The Dask task: run a :func:`ship`-ped job here; return its outcome and files as bytes.

    Raises :class:`~.jobproc.JobProcessError` when the job process died without an outcome (the
    scheduler then retries the task once elsewhere).
    """
    import socket

    from .jobproc import run_in_subprocess

    spec = dict(payload["spec"])
    if payload.get("version") != __version__:
        return _failed(
            spec,
            f"refused: the client runs cio-analytics {payload.get('version')} and this worker "
            f"({socket.gethostname()}) runs cio-analytics {__version__}; install "
            f"cio-analytics=={payload.get('version')} on every worker (pip install "
            f"'cio-analytics[distributed]=={payload.get('version')}') and run again.",
        )
    work = Path(tempfile.mkdtemp(prefix="cioa-task-"))
    try:
        root, out = work / "project", work / "out"
        out.mkdir(parents=True)
        root.mkdir()
        try:
            _place(root, payload["notebook"]["path"], payload["notebook"])
            for rel, item in payload["files"].items():
                _place(root, rel, item)
        except ValueError as exc:
            return _failed(spec, f"the job's files did not arrive whole: {exc}")
        spec.update(notebook=str(root / spec["notebook"]), root=str(root), out_dir=str(out))
        outcome = run_in_subprocess(spec, stop=_task_cancelled())
        produced = {}
        for name in outcome.get("files", {}).values():
            path = out / name
            if path.is_file():
                data = path.read_bytes()
                produced[name] = {"data": data, "sha256": _sha(data)}
        outcome["host"] = socket.gethostname()
        return {"outcome": outcome, "files": produced}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def receive(returned: dict[str, Any], out_dir: str | Path) -> dict[str, Any]:
    """Check the files a task returned and write them into ``out_dir``; return the outcome.

    A file whose bytes do not match its sha256 fails the job and none of its files is written.
    """
    if "outcome" not in returned:  # refused before it ran
        return returned
    outcome, produced = returned["outcome"], returned["files"]
    bad = [name for name, item in produced.items() if _sha(item["data"]) != item["sha256"]]
    bad += sorted(set(outcome.get("files", {}).values()) - set(produced))
    out = Path(out_dir)
    if bad:
        names = ", ".join(sorted(set(bad)))
        outcome.update(
            status="failed",
            message=f"the files of this job came back damaged or missing ({names}); "
            "none of them was published",
            files={},
        )
        return outcome
    for name, item in produced.items():
        target = out / name
        if target.resolve().parent != out.resolve():
            raise ValueError(f"a job returned a file outside its folder: {public_path(name)}")
        partial = target.with_name(f".{name}.partial")
        partial.write_bytes(item["data"])
        partial.replace(target)
    return outcome
