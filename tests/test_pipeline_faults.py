"""Faults of a run on the output side, interruptions and leftovers (issue 12).

Every fault gives one clear line on stderr, a documented exit code (``pipeline.errors``), no
traceback, and no hidden ``.building-*`` folder. ``kill -9`` and Ctrl-C of a real run (a pack of
notebooks that sleep, ``tests/fixtures/packs/nap*.yaml``) leave no process and no staging
behind. Faults found before anything runs take milliseconds; the real runs start kernels and
are marked slow.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from _procs import command_line, descendants

from cio_analytics.cli import main
from cio_analytics.pipeline import publish
from cio_analytics.pipeline.errors import EXIT_CODES, public_text
from cio_analytics.pipeline.publish import RUN_FILE, remove_stale_staging

ROOT = Path(__file__).resolve().parents[1]
NAP = ROOT / "tests" / "fixtures" / "packs" / "nap.yaml"
NAP_PAIR = ROOT / "tests" / "fixtures" / "packs" / "nap_pair.yaml"


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def staging(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.building-*")) if folder.is_dir() else []


def assert_one_clear_line(err: str, *words: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in err, (word, err)


@contextlib.contextmanager
def tmpfs(path: Path, size: str, *, read_only: bool = False):
    """A tiny tmpfs at ``path`` (skip the test where this process may not mount one)."""
    path.mkdir(parents=True, exist_ok=True)
    opts = f"size={size}" + (",ro" if read_only else "")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(path)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def test_exit_codes_are_documented_in_help_and_docs(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    doc = (ROOT / "docs" / "reporting.md").read_text(encoding="utf-8")
    for code in EXIT_CODES:
        assert f"  {code:<4} " in text, code
        assert f"| {code} |" in doc, code


def test_out_naming_an_existing_file(tmp_path):
    target = tmp_path / "reports.txt"
    target.write_text("keep me", encoding="utf-8")
    code, _, err = run_cli("run", str(NAP), "--out", str(target), "--period", "T1")
    assert code == 3
    assert_one_clear_line(err, "is a file, not a folder", "--out")
    assert target.read_text(encoding="utf-8") == "keep me"


def test_out_on_a_read_only_file_system(tmp_path):
    with tmpfs(tmp_path / "ro", "64k", read_only=True) as out:
        code, _, err = run_cli("run", str(NAP), "--out", str(out / "reports"), "--period", "T1")
        assert code == 3
        assert_one_clear_line(err, "read-only", "--out")
        assert list(out.iterdir()) == []


def test_out_read_only_by_a_patched_write(tmp_path, monkeypatch):
    """Where no tmpfs can be mounted (and chmod means nothing to root): the write fails."""

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(publish.tempfile, "mkdtemp", refuse)
    code, _, err = run_cli("run", str(NAP), "--out", str(tmp_path), "--period", "T1")
    assert code == 3
    assert_one_clear_line(err, "read-only")
    assert staging(tmp_path) == []


def test_disk_full_during_the_run_patched(tmp_path, monkeypatch):
    """A worker's write fails with ENOSPC: the run stops, the building folder goes."""

    def fill_the_disk(specs, **kwargs):
        Path(specs[0].out_dir, "nap.log").write_text("started\n", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(publish, "run_jobs", fill_the_disk)
    code, _, err = run_cli("run", str(NAP), "--out", str(tmp_path), "--period", "T1")
    assert code == 3
    assert_one_clear_line(err, "disk is full", "Free some space")
    assert staging(tmp_path) == [] and not (tmp_path / "T1").exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    "pack, jobs", [(NAP, "1"), (NAP_PAIR, "2")], ids=["in-process", "pool-workers"]
)
def test_disk_full_in_a_real_run_on_a_tiny_tmpfs(tmp_path, pack, jobs):
    """A real kernel run into a 32 kB tmpfs: the executed notebook and the HTML do not fit;
    in a pool worker the fault crosses the process boundary and still stops the run."""
    with tmpfs(tmp_path / "tiny", "32k") as out:
        code, _, err = run_cli(
            "run", str(pack), "--out", str(out), "--period", "T1", "-p", "sleep_s=0",
            "--jobs", jobs,
        )  # fmt: skip
        assert code == 3, err
        assert_one_clear_line(err, "disk is full")
        assert staging(out) == [] and not (out / "T1").exists()


def test_unreachable_executor_fails_in_seconds(tmp_path, monkeypatch):
    """A closed port: the real Dask client where installed, else a stand-in that cannot connect;
    either way one line, exit 4, nothing left, and no 30 s wait."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        import types

        fake = types.ModuleType("distributed")

        def client(address, **kwargs):
            assert kwargs["timeout"] <= 10
            raise OSError(f"Timed out trying to connect to {address} after {kwargs['timeout']} s")

        fake.Client, fake.as_completed = client, None
        monkeypatch.setitem(sys.modules, "distributed", fake)
    t0 = time.monotonic()
    code, _, err = run_cli(
        "run", str(NAP), "--out", str(tmp_path), "--period", "T1",
        "--executor", "tcp://127.0.0.1:9",
    )  # fmt: skip
    assert time.monotonic() - t0 < 15
    assert code == 4
    assert_one_clear_line(err, "cannot reach the Dask scheduler", "tcp://127.0.0.1:9")
    assert staging(tmp_path) == []


def test_executor_without_distributed_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails
    code, _, err = run_cli(
        "run", str(NAP), "--out", str(tmp_path), "--period", "T1", "--executor", "tcp://h:8786"
    )
    assert code == 4
    assert_one_clear_line(err, "pip install 'cio-analytics[distributed]'")


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_later_run_removes_staging_of_dead_runs_only(tmp_path):
    import socket

    dead = tmp_path / ".2026Q4.building-dead"
    alive = tmp_path / ".2026Q4.building-alive"
    other_host = tmp_path / ".2026Q4.building-elsewhere"
    legacy = tmp_path / ".2026Q4.building-legacy"  # no .run.json: an older version's; kept
    for folder, pid, host in (
        (dead, _dead_pid(), socket.gethostname()),
        (alive, os.getpid(), socket.gethostname()),
        (other_host, _dead_pid(), "another-machine"),
    ):
        folder.mkdir()
        (folder / RUN_FILE).write_text(json.dumps({"pid": pid, "host": host}), encoding="utf-8")
    legacy.mkdir()
    assert remove_stale_staging(tmp_path) == [dead]
    assert not dead.exists() and alive.exists() and other_host.exists() and legacy.exists()


def test_an_interrupted_run_removes_its_staging_and_stale_ones(tmp_path, monkeypatch):
    import socket

    stale = tmp_path / ".2026Q3.building-x"
    stale.mkdir()
    info = {"pid": _dead_pid(), "host": socket.gethostname()}
    (stale / RUN_FILE).write_text(json.dumps(info), encoding="utf-8")

    def interrupted(specs, **kwargs):
        assert json.loads(Path(specs[0].out_dir, RUN_FILE).read_text())["pid"] == os.getpid()
        raise KeyboardInterrupt

    monkeypatch.setattr(publish, "run_jobs", interrupted)
    code, _, err = run_cli("run", str(NAP), "--out", str(tmp_path), "--period", "T1")
    assert code == 130
    assert "interrupted" in err and "Traceback" not in err
    assert staging(tmp_path) == []


def test_failed_report_text_shows_package_relative_paths():
    import cio_analytics

    pkg = Path(cio_analytics.__file__).resolve().parent
    line = f'File "{pkg}/valuation/rates.py", line 12, in npv'
    assert public_text(line) == 'File "cio_analytics/valuation/rates.py", line 12, in npv'
    assert str(pkg) not in public_text(f"{sys.prefix}/lib/x.py and {pkg}/io/cases.py")


# --- real runs in a subprocess: Ctrl-C and kill -9 -------------------------------------------


def _start(pack: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "cio_analytics.cli", "run", str(pack), "--out", str(out),
         "--period", "T1", *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _kernels(proc: psutil.Process) -> list[psutil.Process]:
    found = []
    for child in descendants(proc):
        with contextlib.suppress(psutil.Error):
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                found.append(child)
    return found


def _wait_for_kernels(run: subprocess.Popen, n: int, out: Path, timeout_s: float = 120) -> list:
    """Wait until ``n`` kernels run under ``run`` and their jobs' logs (in the staging folder
    under ``out``) say the kernel is ready, i.e. the job is in its sleeping cell; return every
    descendant (a snapshot). Not a fixed sleep: a loaded machine starts kernels slower."""
    proc = psutil.Process(run.pid)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if run.poll() is not None:
            pytest.fail(f"the run ended early: {run.communicate()}")
        ready = sum(
            "# kernel ready" in log.read_text(encoding="utf-8", errors="replace")
            for folder in staging(out)
            for log in folder.rglob("*.log")
        )
        if len(_kernels(proc)) >= n and ready >= n:
            time.sleep(0.5)  # from the ready line to the sleeping cell
            return descendants(proc)
        time.sleep(0.2)
    run.kill()
    pytest.fail("the kernels did not start in time")


def _survivors(procs: list[psutil.Process], timeout_s: float = 15) -> list[str]:
    deadline = time.monotonic() + timeout_s
    alive = list(procs)
    while alive and time.monotonic() < deadline:
        keep = []
        for p in alive:
            with contextlib.suppress(psutil.NoSuchProcess):
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                    keep.append(p)
        alive = keep
        time.sleep(0.2)
    out = []
    for p in alive:
        with contextlib.suppress(psutil.Error):
            out.append(f"{p.pid} {' '.join(p.cmdline())[:100]}")
            p.kill()
    return out


@pytest.mark.slow
@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_stops_kernels_removes_staging_and_exits_130(tmp_path, sig, code):
    run = _start(NAP, tmp_path)
    children = _wait_for_kernels(run, 1, tmp_path)
    run.send_signal(sig)
    _, err = run.communicate(timeout=60)
    assert run.returncode == code, err
    assert "interrupted" in err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert _survivors(children) == []
    assert staging(tmp_path) == [] and not (tmp_path / "T1").exists()


@pytest.mark.slow
def test_ctrl_c_of_a_pool_run_stops_workers_and_kernels(tmp_path):
    run = _start(NAP_PAIR, tmp_path, "--jobs", "2")
    children = _wait_for_kernels(run, 2, tmp_path)
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert _survivors(children) == []
    assert staging(tmp_path) == []


@pytest.mark.slow
def test_kill_9_orphans_nothing_and_a_later_run_removes_the_staging(tmp_path):
    """The forkserver, the resource tracker, both workers and both kernels die with the run."""
    run = _start(NAP_PAIR, tmp_path, "--jobs", "2")
    children = _wait_for_kernels(run, 2, tmp_path)
    names = " ".join(command_line(c) for c in children)
    assert "forkserver" in names and "resource_tracker" in names
    run.send_signal(signal.SIGKILL)
    run.communicate(timeout=30)
    assert _survivors(children) == []
    assert len(staging(tmp_path)) == 1  # nobody could remove it ...
    assert remove_stale_staging(tmp_path) and staging(tmp_path) == []  # ... the next run does


def test_executed_notebook_is_scrubbed_of_machine_paths():
    """papermill's input/output paths and an error's traceback through the library."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    import cio_analytics
    from cio_analytics.pipeline.runner import _scrub_paths

    pkg = Path(cio_analytics.__file__).resolve().parent
    nb = new_notebook(cells=[new_code_cell("npv(8, [1])")])
    nb.cells[0].outputs = [
        new_output(
            "error",
            ename="ParameterError",
            evalue=f"see {pkg}/valuation/rates.py",
            traceback=[f"File \x1b[0;32m{pkg}/valuation/rates.py:88\x1b[0m, in npv()"],
        )
    ]
    nb.metadata["papermill"] = {
        "input_path": str(ROOT / "notebooks" / "investment_case.ipynb"),
        "output_path": "/srv/out/.2026Q4.building-x/investment.ipynb",
    }
    _scrub_paths(nb, ROOT)
    text = nbformat.writes(nb)
    assert str(ROOT) not in text and "/srv/out" not in text
    assert "cio_analytics/valuation/rates.py:88" in nb.cells[0].outputs[0].traceback[0]
    assert nb.metadata.papermill.input_path == "notebooks/investment_case.ipynb"
    assert nb.metadata.papermill.output_path == "investment.ipynb"
