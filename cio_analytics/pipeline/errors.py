"""What stops a whole run (not one report): the output side, the executor, an interruption.

Each carries the exit status ``cio-analytics run`` returns for it (documented in
``docs/reporting.md`` and ``cio-analytics --help``):

====  =============================================================================
0     every report succeeded
1     a report failed or timed out (the others still finished and were published)
2     the pack or a parameter is wrong: nothing ran and nothing was written
3     the output cannot be written (``--out`` is a file, read-only, or the disk is full)
4     the ``--executor`` scheduler cannot be reached
130   interrupted (Ctrl-C); 143 when stopped by SIGTERM
====  =============================================================================

In every case but 0 and 1 nothing is published and no hidden ``.building-*`` folder is left.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from ..exceptions import CioAnalyticsError

__all__ = [
    "EXIT_CODES",
    "ExecutorError",
    "OutputError",
    "RunError",
    "describe_os_error",
    "public_path",
    "public_text",
]

EXIT_CODES = {
    0: "every report succeeded",
    1: "a report failed or timed out (the others still finished and were published)",
    2: "the pack or a parameter is wrong: nothing ran and nothing was written",
    3: "the output cannot be written (--out is a file, read-only, or the disk is full)",
    4: "the --executor scheduler cannot be reached",
    130: "interrupted (Ctrl-C; 143 for SIGTERM): kernels and workers stopped, nothing published",
}


class RunError(CioAnalyticsError):
    """A run stopped as a whole; ``exit_code`` is the command's exit status."""

    exit_code = 3


class OutputError(RunError):
    """The run's output folder cannot be created or written."""

    exit_code = 3


class ExecutorError(RunError):
    """The Dask scheduler given as ``--executor`` cannot be reached."""

    exit_code = 4


_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT}


def is_output_fault(exc: BaseException) -> bool:
    """True for an OS error that means "this folder cannot take the reports"."""
    return isinstance(exc, OSError) and (
        exc.errno in _OUTPUT_ERRNOS or isinstance(exc, (FileExistsError, NotADirectoryError))
    )


def describe_os_error(exc: OSError, out: Path) -> str:
    """One line saying why ``out`` cannot take the reports, and what to do.

    Examples
    --------
    >>> describe_os_error(OSError(errno.ENOSPC, "No space left on device"), Path("reports"))
    'cannot write the reports to reports: the disk is full (No space left on device). Free some space or give another folder with --out; nothing was published.'
    """
    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
    }.get(exc.errno or 0)
    fix = (
        "Free some space or give another folder with --out"
        if exc.errno in (errno.ENOSPC, errno.EDQUOT)
        else "Give a folder you can write to with --out"
    )
    if isinstance(exc, (FileExistsError, NotADirectoryError)) and reason is None:
        reason = "it is a file, not a folder"
        fix = "Give a folder (it is created if missing) with --out"
    detail = f" ({exc.strerror})" if exc.strerror and reason else ""
    what = reason or f"{type(exc).__name__}: {exc.strerror or exc}"
    return (
        f"cannot write the reports to {public_path(out)}: {what}{detail}. {fix}; "
        "nothing was published."
    )


def _prefixes(root: Path | None) -> list[tuple[str, str]]:
    package_parent = str(Path(__file__).resolve().parents[2])
    pairs = []
    if root is not None:
        pairs.append((str(Path(root).resolve()), ""))
    pairs.append((package_parent, ""))
    for site in sorted({p for p in sys.path if p.endswith(("site-packages", "dist-packages"))}):
        pairs.append((site, "site-packages"))
    pairs += [(sys.prefix, "<env>"), (sys.base_prefix, "<python>")]
    home = os.path.expanduser("~")
    if home not in ("/", "~"):
        pairs.append((home, "~"))
    # longest first, so a site-packages inside the project is not cut at the project root
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def public_text(text: str, root: Path | None = None) -> str:
    """``text`` with this machine's folders replaced: the project root and the package's own
    checkout by nothing (paths become ``cio_analytics/valuation/rates.py``), site-packages by
    ``site-packages``, the environment by ``<env>``, the home folder by ``~``.

    Examples
    --------
    >>> import cio_analytics
    >>> pkg = Path(cio_analytics.__file__).resolve().parent
    >>> public_text(f'File {pkg}/valuation/rates.py:12')
    'File cio_analytics/valuation/rates.py:12'
    """
    for prefix, short in _prefixes(root):
        if prefix and prefix != "/":
            text = text.replace(prefix + os.sep, f"{short}/" if short else "")
            text = text.replace(prefix, short or ".")
    return text


def public_path(path: str | os.PathLike[str], root: Path | None = None) -> str:
    """A path as it may be published: relative to the project root (or the working folder)
    when inside it, else with this machine's folders replaced (:func:`public_text`)."""
    p = Path(path)
    for base in [b for b in (root, Path.cwd()) if b is not None]:
        try:
            return p.resolve().relative_to(Path(base).resolve()).as_posix() or "."
        except ValueError:
            continue
    return public_text(str(p), root)
