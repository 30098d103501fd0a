"""Where data files are: paths relative to the project root work from any working directory.

A notebook opened in JupyterLab runs in ``notebooks/``; papermill and the report pipeline run from
the project root. Parameters name data files relative to the project root (``data/sample/...``),
and :func:`resolve_data_path` finds them from either place.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..exceptions import DataFileError
from ..project import CONFIG_NAME, find_project

__all__ = ["file_sha256", "project_root", "resolve_data_path"]

_MARKERS = ("pyproject.toml",)


def project_root() -> Path:
    """The project root, in this order: ``$CIO_ANALYTICS_HOME`` (set by the pack runner for its
    kernels); the nearest folder at or above the working directory holding
    ``cio-analytics.toml`` (see :mod:`cio_analytics.project`); the nearest holding
    ``pyproject.toml`` and ``data/`` (a checkout older than the config file); the source
    checkout of an editable install; else the working directory itself (a folder that is no
    project: the command line says so)."""
    env = os.environ.get("CIO_ANALYTICS_HOME")
    if env:
        return Path(env).resolve()
    found = find_project()
    if found is not None:
        return found
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "data").is_dir() and any((folder / m).is_file() for m in _MARKERS):
            return folder
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / CONFIG_NAME).is_file():
        return checkout
    return here


def resolve_data_path(path: str | os.PathLike[str], *, parameter: str = "path") -> Path:
    """Return an existing file's path: absolute, relative to the working directory, or relative
    to the project root (in that order). Raises DataFileError naming ``parameter`` otherwise."""
    p = Path(path).expanduser()
    candidates = [p] if p.is_absolute() else [Path.cwd() / p, project_root() / p]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    for candidate in candidates:
        if candidate.is_dir():
            inside = sorted(f.name for f in candidate.iterdir() if f.is_file())[:3]
            example = f" (it holds {', '.join(map(repr, inside))})" if inside else " (it is empty)"
            raise DataFileError(
                f"`{parameter}`: {str(path)!r} is a folder, not a file{example}. "
                "Name the data file itself, e.g. 'data/sample/budget.csv'."
            )
    raise DataFileError(
        f"`{parameter}`: no file at {str(path)!r} (looked in {', '.join(str(c.parent) for c in candidates)}). "
        "Give a path relative to the project root, e.g. 'data/sample/...', or an absolute path."
    )


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 hex digest of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
