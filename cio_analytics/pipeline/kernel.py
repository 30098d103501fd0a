"""Private kernels: this environment's interpreter, an ipc transport in a private folder.

Every job gets its own kernel, started from ``sys.executable`` (whatever kernelspecs the user has
installed elsewhere), talking over Unix-domain sockets in a fresh private directory: no TCP ports
to race for, no shared connection files, and no "running over TCP without encryption" warning.
The kernel's own stdout and stderr go to the job's log file. A kernel that fails to start is
retried once; a kernel is killed with its whole process group when the job ends or times out.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

__all__ = ["KernelStartError", "PrivateKernel", "kernel_argv"]

_SETUP = "import cio_analytics.pipeline._kernel_setup"


class KernelStartError(RuntimeError):
    """The kernel did not start (after the retry)."""


def kernel_argv() -> list[str]:
    """The command of a report kernel: this interpreter, no history database, alt-text hook."""
    return [
        sys.executable,
        "-Xfrozen_modules=off",
        "-m",
        "ipykernel_launcher",
        "-f",
        "{connection_file}",
        "--HistoryManager.enabled=False",
        f"--IPKernelApp.exec_lines={_SETUP}",
    ]


class _OwnSpecs(KernelSpecManager):
    """A kernelspec manager that knows one kernel: this environment's Python."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return KernelSpec(
            argv=kernel_argv(),
            display_name="Python 3 (cio-analytics)",
            language="python",
            resource_dir=str(Path(__file__).parent),
        )

    def find_kernel_specs(self) -> dict[str, str]:
        return {"python3": str(Path(__file__).parent)}


def kernel_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The kernel's environment: ours, quiet Jupyter path and debugger notices, plus ``extra``."""
    env = dict(os.environ)
    env.update(
        {
            "JUPYTER_PLATFORM_DIRS": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("JPY_PARENT_PID", None)
    env.update(extra or {})
    return env


class PrivateKernel:
    """Start one kernel for one job; use as a context manager.

    Parameters
    ----------
    cwd : path
        The kernel's working directory (the project root).
    env : dict
        Extra environment variables (the record sidecar file).
    log : file
        Open binary/text file receiving the kernel process's stdout and stderr.
    start_timeout_s : float
        Seconds to wait for the kernel to answer.
    retries : int
        Extra attempts when the kernel does not start.
    """

    def __init__(
        self,
        *,
        cwd: Path,
        env: dict[str, str] | None = None,
        log: IO | None = None,
        start_timeout_s: float = 60.0,
        retries: int = 1,
    ) -> None:
        self.cwd, self.env, self.log = Path(cwd), kernel_env(env), log
        self.start_timeout_s, self.retries = start_timeout_s, retries
        self.km: AsyncKernelManager | None = None
        self.runtime_dir: Path | None = None
        self.attempts = 0
        self.pid: int | None = None

    def _new_manager(self) -> AsyncKernelManager:
        # Unix socket paths are limited to ~100 bytes: keep the folder short, under the tmp dir.
        self.runtime_dir = Path(tempfile.mkdtemp(prefix="cioa-"))
        os.chmod(self.runtime_dir, 0o700)
        km = AsyncKernelManager(
            kernel_name="python3",
            kernel_spec_manager=_OwnSpecs(),
            transport="ipc",
            ip=str(self.runtime_dir / "k"),
            connection_file=str(self.runtime_dir / "kernel.json"),
        )
        return km

    def start(self) -> AsyncKernelManager:
        last: BaseException | None = None
        for _ in range(1 + self.retries):
            self.attempts += 1
            km = self.km = self._new_manager()
            try:
                run_sync(km.start_kernel)(
                    env=self.env, cwd=str(self.cwd), stdout=self.log, stderr=self.log
                )
                self.pid = getattr(km.provisioner, "pid", None)
                kc = km.blocking_client()
                kc.start_channels()
                try:
                    kc.wait_for_ready(timeout=self.start_timeout_s)
                finally:
                    kc.stop_channels()
                return km
            except Exception as exc:
                last = exc
                self.stop()
                time.sleep(0.2)
        raise KernelStartError(
            f"the kernel did not start after {self.attempts} attempt(s): {last!r}"
        ) from last

    def kill(self) -> None:
        """Kill the kernel and everything it started (its process group), at once."""
        if self.pid:
            try:
                os.killpg(os.getpgid(self.pid), signal.SIGKILL)
            except (ProcessLookupError, PermissionError, OSError):
                pass

    def stop(self) -> None:
        """Shut the kernel down (kill it if it does not go quietly) and remove its folder."""
        km, self.km = self.km, None
        if km is not None and km.has_kernel:
            try:
                run_sync(km.shutdown_kernel)(now=True)
            except Exception:
                pass
        self.kill()
        self.pid = None
        if km is not None:
            try:
                run_sync(km.cleanup_resources)()
            except Exception:
                pass
        if self.runtime_dir is not None:
            shutil.rmtree(self.runtime_dir, ignore_errors=True)
            self.runtime_dir = None

    def __enter__(self) -> AsyncKernelManager:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
