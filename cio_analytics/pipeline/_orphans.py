"""Children die with the run: a parent-death signal for the forkserver and the pool's workers.

A run's process tree is ``cio-analytics`` -> forkserver -> workers -> kernels (plus the
multiprocessing resource tracker). ``kill -9`` of the command gives nobody a chance to clean up,
so each child asks the kernel to signal it when its parent dies (Linux ``PR_SET_PDEATHSIG``,
through ``ctypes``), or, elsewhere, watches its parent from a thread:

- the forkserver imports this module as a preload (:func:`runner._mp_context`) and, when its
  parent is the run (``$CIOA_RUN_PID``), dies with it (``SIGKILL``);
- each worker calls :func:`die_with_parent` in its initializer: ``SIGTERM`` when the forkserver
  dies, which the worker turns into "kill my kernel's process group, then exit";
- a kernel exits when its worker goes (ipykernel's parent poller, ``JPY_PARENT_PID``);
- the resource tracker exits when the last process holding its pipe is gone.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

__all__ = ["RUN_PID_ENV", "die_with_parent"]

RUN_PID_ENV = "CIOA_RUN_PID"
_PR_SET_PDEATHSIG = 1


def _prctl_pdeathsig(sig: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent(sig: int = signal.SIGKILL, on_orphan: Callable[[], None] | None = None) -> None:
    """Get ``sig`` when the parent process dies (or, without prctl, poll the parent).

    ``on_orphan`` runs before exiting when the watchdog thread (not Linux) sees the parent gone.
    """
    parent = os.getppid()
    armed = _prctl_pdeathsig(sig)
    if os.getppid() != parent or parent == 1:  # the parent died before the signal was armed
        if on_orphan:
            on_orphan()
        os._exit(1)
    if armed:
        return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        if on_orphan:
            on_orphan()
        os._exit(1)

    threading.Thread(target=watch, name="cioa-parent-watchdog", daemon=True).start()


def _guard_forkserver() -> None:
    """In the forkserver (its parent is the run named by ``$CIOA_RUN_PID``): die with the run."""
    run_pid = os.environ.get(RUN_PID_ENV, "")
    in_forkserver = "multiprocessing.forkserver" in sys.modules and sys.argv[:1] == ["-c"]
    if in_forkserver and run_pid.isdigit() and os.getppid() == int(run_pid):
        die_with_parent(signal.SIGKILL)


_guard_forkserver()
