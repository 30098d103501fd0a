"""Walking a process tree while it changes, for the tests that check no process survives.

psutil raises ``NoSuchProcess`` (or ``ZombieProcess``) when a process exits between being
listed and being read; a pack run or a Dask nanny starts and reaps processes all the time, so
every walk in the tests goes through these two functions instead of failing at random.
"""

from __future__ import annotations

import time

import psutil


def descendants(proc: psutil.Process) -> list[psutil.Process]:
    """``proc``'s descendants now; walks again when one exits mid-walk (it is then not listed)."""
    for _ in range(50):
        try:
            return proc.children(recursive=True)
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            if not proc.is_running():
                return []
            time.sleep(0.05)
    return proc.children(recursive=True)


def command_line(proc: psutil.Process) -> str:
    """``proc``'s command line, or "" for one that has exited or is a zombie."""
    try:
        return " ".join(proc.cmdline())
    except psutil.Error:
        return ""
