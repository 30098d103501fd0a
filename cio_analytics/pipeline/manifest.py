"""``manifest.json``: what a run computed, from what, with what; and a pack rebuilt from it.

Per job the manifest holds the parameters after coercion, the seed, start, end, duration and
status, the notebook's and every input file's SHA-256, and the figures it recorded; per run the
Python and package versions, the git commit and whether the tree was dirty. Rerunning from it
(``cio-analytics run --from-manifest reports/2026Q4/manifest.json``) executes the same notebooks
with the same parameters and refuses when a notebook or input file has changed since.

Nothing in it names this machine's folders: notebooks, the pack and input files are recorded
relative to the project root (a file outside it as ``<outside the project>/name``), the command
line with its paths made relative the same way, and the environment by name.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from ..io.paths import file_sha256
from .errors import public_text
from .pack import Pack, make_pack
from .params import ParameterValidationError

__all__ = ["build_manifest", "environment_info", "git_info", "pack_from_manifest"]

MANIFEST_VERSION = 1
PACKAGES = (
    "cio-analytics",
    "numpy",
    "pandas",
    "scipy",
    "matplotlib",
    "seaborn",
    "openpyxl",
    "pyyaml",
    "papermill",
    "nbclient",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "jupyter_client",
)


def git_info(root: Path) -> dict[str, Any]:
    """The commit checked out at ``root`` and whether the working tree differs from it."""

    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(
                ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=20
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no") if commit else None
    return {"commit": commit, "dirty": None if status is None else bool(status)}


def environment_info() -> dict[str, Any]:
    """Python, platform and the versions of the packages a report depends on."""
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "python": sys.version.split()[0],
        "name": environment_name(),
        "platform": platform.platform(),
        "packages": versions,
    }


def environment_name() -> str:
    """The Python environment by name: the conda environment, else the virtualenv's folder
    name (``.venv``), else ``system``; never its path."""
    conda = os.environ.get("CONDA_DEFAULT_ENV")
    if conda and sys.prefix == os.environ.get("CONDA_PREFIX", sys.prefix):
        return conda
    return Path(sys.prefix).name if sys.prefix != sys.base_prefix else "system"


OUTSIDE = "<outside the project>"


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return f"{OUTSIDE}/{Path(path).name}"


def _public_command(command: list[str] | None, root: Path) -> list[str] | None:
    if command is None:
        return None
    out = []
    for arg in command:
        name, eq, value = arg.partition("=")
        text = value if eq else arg
        if os.path.isabs(text):
            text = _relative(Path(text), root)
        out.append(f"{name}={text}" if eq else text)
    return [public_text(a, root) for a in out]


def build_manifest(
    pack: Pack,
    results: list[dict[str, Any]],
    *,
    period: str,
    start: str,
    end: str,
    duration_s: float,
    n_jobs: int | None,
    executor: str | None,
    command: list[str] | None = None,
) -> dict[str, Any]:
    """The manifest of one run, as a JSON-ready dict."""
    root = pack.root
    jobs = []
    for job, res in zip(pack.jobs, results, strict=True):
        inputs = {
            name: {
                "path": job.parameters[name],
                "resolved": _relative(path, root),
                "sha256": file_sha256(path) if path.is_file() else None,
            }
            for name, path in job.inputs(root).items()
        }
        jobs.append(
            {
                "name": job.name,
                "title": job.title,
                "notebook": _relative(job.notebook, root),
                "notebook_sha256": file_sha256(job.notebook),
                "parameters": job.parameters,
                "seed": job.seed,
                "timeout": {
                    "cell_s": job.timeout(pack, "cell_s"),
                    "job_s": job.timeout(pack, "job_s"),
                },
                "inputs": inputs,
                **{k: res[k] for k in ("status", "message", "error", "start", "end")},
                "duration_s": res["duration_s"],
                "kernel_attempts": res["kernel_attempts"],
                "report_noise": res.get("report_noise", []),
                "files": res["files"],
                "records": res["records"],
            }
        )
    return {
        "manifest_version": MANIFEST_VERSION,
        "pack": {
            "name": pack.name,
            "title": pack.title,
            "source": _relative(pack.source, root) if pack.source else None,
            "cell_timeout_s": pack.cell_timeout_s,
            "job_timeout_s": pack.job_timeout_s,
        },
        "period": period,
        "start": start,
        "end": end,
        "duration_s": round(duration_s, 3),
        "n_jobs": n_jobs,
        "executor": executor,
        "command": _public_command(command, root),
        "git": git_info(root),
        "environment": environment_info(),
        "jobs": jobs,
    }


def write_manifest(manifest: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")


def _units_manifest_problem(path: Path, manifest: dict[str, Any]) -> str:
    """What to do with the manifest of a units run, which ``--from-manifest`` cannot rerun."""
    names = [str(u.get("name")) for u in manifest.get("units") or [] if isinstance(u, dict)]
    pack = (manifest.get("pack") or {}).get("source") or (manifest.get("pack") or {}).get("name")
    units_file = manifest.get("units_file") or "UNITS_FILE"
    period = manifest.get("period") or "PERIOD"
    return (
        f"{path}: the manifest of a units run ({len(names)} units: {', '.join(names)}); "
        "`--from-manifest` reruns one pack's manifest. Run the group again with "
        f"`cio-analytics run {pack or 'PACK'} --units {units_file} --period {period}`."
    )


def pack_from_manifest(path: str | Path, *, root: Path) -> Pack:
    """Rebuild the pack of a past run: same notebooks, same parameters, same timeouts.

    Raises :class:`ParameterValidationError` listing every notebook or input file whose SHA-256
    differs from the manifest (the numbers would not be reproduced) and every other problem.
    """
    path = Path(path)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        units = isinstance(manifest, dict) and manifest.get("kind") == "units"
        jobs = None if units else manifest["jobs"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ParameterValidationError([f"{path}: not a readable run manifest ({exc})."]) from None
    if units:
        raise ParameterValidationError([_units_manifest_problem(path, manifest)])
    problems = []
    for job in jobs:
        nb = root / job["notebook"]
        if nb.is_file() and file_sha256(nb) != job.get("notebook_sha256"):
            problems.append(f"job `{job['name']}`: {job['notebook']} changed since the run.")
        for name, info in (job.get("inputs") or {}).items():
            if str(info["resolved"]).startswith(OUTSIDE):
                continue  # not recorded where it is: cannot be compared
            p = root / info["resolved"] if not Path(info["resolved"]).is_absolute() else None
            p = p or Path(info["resolved"])
            if p.is_file() and file_sha256(p) != info.get("sha256"):
                problems.append(
                    f"job `{job['name']}`: input `{name}` ({info['path']}) changed since the run "
                    "(SHA-256 differs); restore that file to reproduce the numbers."
                )
    if problems:
        raise ParameterValidationError(problems, context=f" in {path.name}")
    info = manifest.get("pack", {})
    raw = {
        "name": info.get("name", "pack"),
        "title": info.get("title", "Report pack"),
        "timeout": {"cell_s": info.get("cell_timeout_s"), "job_s": info.get("job_timeout_s")},
        "jobs": [
            {
                "name": j["name"],
                "title": j["title"],
                "notebook": str(root / j["notebook"]),
                "parameters": j["parameters"],
                "timeout": j.get("timeout") or {},
            }
            for j in jobs
        ],
    }
    pack = make_pack(raw, root=root, source=path)
    return Pack(
        **{**pack.__dict__, "source": (root / info["source"]) if info.get("source") else path}
    )
