"""``--executor`` against real ``dask scheduler`` and ``dask worker`` processes on 127.0.0.1.

The workers are started the usual way (with nannies, so each worker is a daemonic process) or
with ``--no-nanny``; the pack is run by the command line in a process of its own, as a user
would, for a small pack and for a two-unit pack (``--units``). Every process a test starts is
stopped by the fixture's finalizer, which then checks with psutil that none of them (nor any
job process or kernel below them) survives.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
psutil = pytest.importorskip("psutil")

from _procs import descendants  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NB = ROOT / "tests" / "fixtures" / "notebooks"
CLI = "import sys; from cio_analytics.cli import main; sys.exit(main(sys.argv[1:]))"


class Cluster:
    """A scheduler and one ``dask worker`` command (``n_workers`` processes) on loopback."""

    def __init__(self, tmp_path: Path, *, nanny: bool, n_workers: int) -> None:
        self.procs: list[subprocess.Popen] = []
        self.seen: set[psutil.Process] = set()
        env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "True"}
        sched_file = tmp_path / "scheduler.json"
        self._start(
            [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
             "--port", "0", "--no-dashboard", "--scheduler-file", str(sched_file)],
            tmp_path / "scheduler.log", env,
        )  # fmt: skip
        self.address = _scheduler_address(sched_file, self.procs[0])
        self._start(
            [sys.executable, "-m", "distributed.cli.dask_worker", self.address,
             "--nworkers", str(n_workers), "--nthreads", "1", "--host", "127.0.0.1",
             "--no-dashboard", "--local-directory", str(tmp_path / "dask-worker"),
             "--nanny" if nanny else "--no-nanny"],
            tmp_path / "worker.log", env,
        )  # fmt: skip
        with distributed.Client(self.address, timeout=30) as client:
            client.wait_for_workers(n_workers, timeout=60)
        self.remember()

    def _start(self, cmd, log: Path, env) -> None:
        with open(log, "ab") as fh:
            self.procs.append(
                subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, cwd=log.parent)
            )

    def remember(self) -> None:
        """Note every process below the ones started, to check later that none survives."""
        for proc in self.procs:
            try:
                parent = psutil.Process(proc.pid)
                self.seen |= {parent, *descendants(parent)}
            except psutil.NoSuchProcess:
                pass

    def worker_processes(self) -> list[psutil.Process]:
        """The processes that run tasks (the nannies' children, or the worker itself).

        A nanny restarts a worker killed by an earlier test, so processes come and go while
        this looks: one that is gone or a zombie by the time it is read is left out."""
        worker = psutil.Process(self.procs[1].pid)
        found = []
        for p in descendants(worker):
            try:
                if p.status() != psutil.STATUS_ZOMBIE and "jobproc" not in " ".join(p.cmdline()):
                    found.append(p)
            except psutil.Error:
                continue
        return found or [worker]

    def stop(self) -> None:
        self.remember()
        for proc in reversed(self.procs):
            proc.send_signal(signal.SIGTERM)
        for proc in reversed(self.procs):
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        _, alive = psutil.wait_procs(list(self.seen), timeout=10)
        for p in alive:
            p.kill()
        assert not alive, f"processes outlived the test: {[p.cmdline() for p in alive]}"


@pytest.fixture(scope="module")
def nanny_cluster(tmp_path_factory):
    """Two nanny workers (``dask worker ADDRESS --nworkers 2``), shared by the module's tests."""
    c = Cluster(tmp_path_factory.mktemp("nanny"), nanny=True, n_workers=2)
    yield c
    c.stop()


@pytest.fixture
def no_nanny_cluster(tmp_path):
    c = Cluster(tmp_path, nanny=False, n_workers=1)
    yield c
    c.stop()


def _scheduler_address(sched_file: Path, scheduler: subprocess.Popen, timeout_s: float = 60):
    """The address in the scheduler's file. The scheduler creates the file, then writes it: a
    read between the two finds it empty, so read until it parses."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return json.loads(sched_file.read_text(encoding="utf-8"))["address"]
        except (FileNotFoundError, json.JSONDecodeError, KeyError):
            if scheduler.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _pack(tmp_path: Path, body: str) -> Path:
    pack = tmp_path / "pack.yaml"
    pack.write_text(f"name: cluster\ntitle: Cluster pack\njobs:\n{body}", encoding="utf-8")
    return pack


def _run(pack: Path, address: str, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CLI, "run", str(pack), "--executor", address, "--out", str(out),
         "--period", "C1", "--no-history", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
    )  # fmt: skip


def _published(out: Path) -> tuple[dict, list[str]]:
    folder = out / "C1"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return manifest, sorted(p.name for p in folder.iterdir())


def test_pack_runs_on_nanny_workers_with_inputs_shipped(nanny_cluster, tmp_path):
    """Nanny workers (daemonic processes) run the jobs; an input outside the project travels
    with its job (its figure proves the worker read this file), the published files are the
    local executor's and name no folder of the worker."""
    c = nanny_cluster
    demand = tmp_path / "demand.csv"
    demand.write_text(
        (ROOT / "data" / "sample" / "team_demand.csv").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    import pandas as pd

    from cio_analytics.io import read_team_demand

    expected = float(read_team_demand(demand)["demand_hours"].sum()) * 2.0
    pack = _pack(
        tmp_path,
        f"""  - name: figures
    notebook: {NB / "figures.ipynb"}
    parameters: {{n_trials: 200, seed: 3, scale: 2.0, team_demand_path: {demand}}}
  - name: fails
    notebook: {NB / "fails.ipynb"}
""",
    )
    run = _run(pack, c.address, tmp_path / "r")
    text, _ = run.communicate(timeout=300)
    assert run.returncode == 1, text
    assert "daemonic" not in text
    manifest, names = _published(tmp_path / "r")
    status = {j["name"]: j["status"] for j in manifest["jobs"]}
    assert status == {"figures": "ok", "fails": "failed"}, manifest["jobs"]
    figures = manifest["jobs"][0]
    assert figures["records"]["total_hours"]["value"] == pytest.approx(expected)
    assert manifest["jobs"][1]["message"].startswith("ZeroDivisionError")
    for name in ("figures.ipynb", "figures.html", "figures.log", "figures.xlsx", "fails.html"):
        assert name in names
    assert not [n for n in names if n.endswith(".partial")]
    html = (tmp_path / "r" / "C1" / "figures.html").read_text(encoding="utf-8")
    assert "cioa-task-" not in html  # the worker's private project folder is not named
    assert "_inputs/team_demand_path/demand.csv" in html  # the worker's copy of the input
    assert pd.read_excel(tmp_path / "r" / "C1" / "figures.xlsx", sheet_name=None)


def test_two_unit_pack_with_a_worker_killed_mid_job(nanny_cluster, tmp_path):
    """A two-unit pack (issue 18: one queue for every unit's jobs) on nanny workers; the
    worker running one unit's long job is killed with SIGKILL. The killed job's process and
    kernel are gone; the job is run again from the start (the nanny's fresh worker or the
    other) or reported failed with none of its files published; every other job of both units
    finishes; the published folders hold only whole jobs; each unit's folder, the group index
    and the one manifest are published. (This is also the one-pack kill test: a one-unit run
    takes the same path through the executor.)"""
    c = nanny_cluster
    pack = _pack(
        tmp_path,
        f"""  - name: nap
    notebook: {NB / "sleepy.ipynb"}
    title: Long nap
    parameters: {{sleep_s: 6}}
  - name: figures
    notebook: {NB / "figures.ipynb"}
    title: Demand figures
    parameters: {{n_trials: 200}}
""",
    )
    units = ROOT / "tests" / "fixtures" / "units" / "two_units.yaml"
    run = _run(pack, c.address, tmp_path / "r", "--units", str(units))
    victim, job = _job_process(c, "sleepy.ipynb")
    below = descendants(victim)
    assert job in below
    time.sleep(1.0)
    killed_at = datetime.now(UTC).isoformat(timespec="milliseconds")
    victim.send_signal(signal.SIGKILL)
    _, alive = psutil.wait_procs(below, timeout=15)
    assert not alive, f"the killed job left {[p.cmdline() for p in alive]}"
    text, _ = run.communicate(timeout=400)
    assert "daemonic" not in text
    folder = tmp_path / "r" / "C1"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [u["name"] for u in manifest["units"]] == ["wholesale", "online"]
    assert (folder / "index.html").is_file()
    naps = []
    for unit in manifest["units"]:
        jobs = {j["name"]: j for j in unit["jobs"]}
        names = {p.name for p in (folder / unit["name"]).iterdir()}
        assert jobs["figures"]["status"] == "ok", text
        assert {"index.html", "figures.html", "figures.xlsx"} <= names
        nap = jobs["nap"]
        naps.append(nap)
        if nap["status"] == "ok":
            assert {"nap.html", "nap.ipynb", "nap.log"} <= names
        else:  # reported failed, none of its files published
            assert "did not finish on the cluster" in nap["message"]
            assert not [n for n in names if n.startswith("nap.")]
        assert not [n for n in names if n.endswith(".partial")]
    demand = [u["jobs"][1]["records"]["total_hours"]["value"] for u in manifest["units"]]
    assert demand[0] == pytest.approx(2 * demand[1])  # each unit's own data travelled
    retried = [n for n in naps if n["status"] == "ok" and n["start"] > killed_at]
    failed = [n for n in naps if n["status"] != "ok"]
    assert len(retried) + len(failed) >= 1  # the killed job was run again or reported
    assert run.returncode == (0 if not failed else 1), text


def _job_process(c: Cluster, notebook: str, timeout_s: float = 180.0):
    """The worker process running a job of ``notebook`` and that job's process (the parent of
    the kernel whose ``$CIO_ANALYTICS_NOTEBOOK`` names it), once its kernel has started."""
    from cio_analytics.reporting.parameters import NOTEBOOK_ENV

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for w in c.worker_processes():
            for p in descendants(w):
                try:
                    if "ipykernel_launcher" in p.cmdline() and p.environ().get(
                        NOTEBOOK_ENV, ""
                    ).endswith(notebook):
                        return w, p.parent()
                except psutil.Error:
                    continue
        time.sleep(0.2)
    raise AssertionError(f"no job of {notebook} started")


def test_ctrl_c_stops_the_jobs_on_the_workers(nanny_cluster, tmp_path):
    """Ctrl-C of the command cancels its tasks: the job process and its kernel on the worker
    are killed, the command exits 130 and nothing is published."""
    c = nanny_cluster
    pack = _pack(
        tmp_path,
        f"""  - name: long-nap
    notebook: {NB / "sleepy.ipynb"}
    parameters: {{sleep_s: 120}}
""",
    )
    run = _run(pack, c.address, tmp_path / "r")
    _, job = _job_process(c, "sleepy.ipynb")
    time.sleep(2.0)
    below = [job, *descendants(job)]
    run.send_signal(signal.SIGINT)
    text, _ = run.communicate(timeout=60)
    assert run.returncode == 130, text
    _, alive = psutil.wait_procs(below, timeout=20)
    assert not alive, f"the cancelled job left {[p.cmdline() for p in alive]}"
    assert not (tmp_path / "r" / "C1").exists()
    assert not list((tmp_path / "r").glob(".*building*"))


def test_no_nanny_worker_runs_a_job(no_nanny_cluster, tmp_path):
    """``--no-nanny`` workers still run jobs the same way."""
    c = no_nanny_cluster
    pack = _pack(
        tmp_path,
        f"""  - name: quick
    notebook: {NB / "fails.ipynb"}
    parameters: {{divisor: 4}}
""",
    )
    run = _run(pack, c.address, tmp_path / "r")
    text, _ = run.communicate(timeout=300)
    assert run.returncode == 0, text
    manifest, _ = _published(tmp_path / "r")
    assert manifest["jobs"][0]["records"]["after"]["value"] == 0.25


def test_version_mismatch_is_refused_naming_both_versions(tmp_path):
    """A worker with another cio-analytics refuses the job, naming both versions."""
    from cio_analytics import __version__
    from cio_analytics.pipeline.remote import run_shipped

    payload = {"version": "0.0.1", "spec": {"name": "x"}, "notebook": {}, "files": {}}
    outcome = run_shipped(payload)
    assert outcome["status"] == "failed"
    assert "0.0.1" in outcome["message"] and __version__ in outcome["message"]
    assert outcome["message"].startswith("refused")


def test_damaged_file_fails_the_job_and_writes_nothing(tmp_path):
    """The client checks every returned file's sha256: one damaged file, nothing written."""
    from cio_analytics.pipeline.remote import receive

    returned = {
        "outcome": {"name": "x", "status": "ok", "message": "",
                    "files": {"html": "x.html", "log": "x.log"}},
        "files": {"x.html": {"data": b"<html>", "sha256": "0" * 64},
                  "x.log": {"data": b"log", "sha256": __import__("hashlib").sha256(b"log").hexdigest()}},
    }  # fmt: skip
    outcome = receive(returned, tmp_path)
    assert outcome["status"] == "failed" and "x.html" in outcome["message"]
    assert list(tmp_path.iterdir()) == []
