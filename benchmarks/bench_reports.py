"""Report pack wall time: ``cio-analytics run quarterly`` against a shell loop of the
``papermill`` and ``jupyter nbconvert --to html --no-input`` commands over the same notebooks and
parameters, in the same run, both with ``.venv``'s binaries. Target: at most half the loop's time
on 2 cores (``x faster`` >= 2).

Usage: ``python benchmarks/bench_reports.py [n_trials] [repeats]`` (defaults 1000 and 1).

``python benchmarks/bench_reports.py dask [repeats] [n_copies]``: the two-unit pack (the pack
``tests/fixtures/packs/unit.yaml``, its jobs ``n_copies`` times over, default 3, run for the two
units of ``tests/fixtures/units/two_units.yaml``: 12 jobs in one queue) run by ``cio-analytics
run --units ... --jobs 2`` (local processes) and by ``--executor`` on a local Dask cluster of the
same cores (two nanny workers, one thread each, started before the clock runs), both through
``run_units`` in this process (what ``--units`` calls). Both runs publish the same folders
(reports, PDFs, each unit's index, board summary and slides, the group index). The Dask overhead
per job is measured twice, each as a ratio of the mean job time (target: under 0.10): from the
wall times, ``(dask wall - local wall) * slots / jobs`` (two slots run jobs side by side, so a
job's extra time shows in the wall time halved), and per job, as the time a job held its slot
(its start to its end event, seen here) beyond its own time (measured where it ran), Dask minus
local; the second is less sensitive to a shared machine. With jobs per minute for both and the
machine's load average before and after.

A Dask worker starts its job server (imports, one warm-up report) with its first job, and keeps
it for its lifetime, so the first run on a fresh cluster pays that once per worker. The same
pack is then run once more on the same cluster ("warm workers": a long-lived cluster's usual
state) and its per-job overhead is printed too, against the same local runs.
"""

from __future__ import annotations

import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from _common import Row, print_table

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"


def _loop_script(jobs, out: Path) -> str:
    lines = ["set -e", f"cd {shlex.quote(str(ROOT))}"]
    for job in jobs:
        nb_out = out / f"{job.name}.ipynb"
        params = yaml.safe_dump(job.parameters, default_flow_style=True, width=10_000).strip()
        lines.append(
            f"{BIN / 'papermill'} --no-progress-bar -k python3 {shlex.quote(str(job.notebook))} "
            f"{shlex.quote(str(nb_out))} -y {shlex.quote(params)} >/dev/null 2>&1"
        )
        lines.append(
            f"{BIN / 'jupyter'} nbconvert --to html --no-input {shlex.quote(str(nb_out))} "
            ">/dev/null 2>&1"
        )
    return "\n".join(lines)


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    sys.path.insert(0, str(ROOT))
    from cio_analytics.pipeline.pack import load_pack

    argv = argv or []
    n_trials = int(argv[0]) if argv else 1000
    repeats = int(argv[1]) if len(argv) > 1 else 1
    pack = load_pack("quarterly", overrides=[f"n_trials={n_trials}"], root=ROOT)
    ours, loop = [], []
    work = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    try:
        for i in range(repeats):
            out = work / f"loop{i}"
            out.mkdir()
            script = work / f"loop{i}.sh"
            script.write_text(_loop_script(pack.jobs, out))
            loop.append(_time(["bash", str(script)]))
            cmd = [str(BIN / "cio-analytics"), "run", "quarterly", "-p", f"n_trials={n_trials}"]
            ours.append(_time([*cmd, "--out", str(work / "ours"), "--period", f"B{i}"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ours_s, loop_s = statistics.median(ours), statistics.median(loop)
    task = f"quarterly pack, {len(pack.jobs)} reports, n_trials={n_trials}"
    print_table([Row(task, ours_s, "papermill+nbconvert loop", loop_s, 2.0)])
    print(f"ours {ours_s:.1f} s, loop {loop_s:.1f} s, ratio loop/ours {loop_s / ours_s:.2f}x")


UNIT_PACK = ROOT / "tests" / "fixtures" / "packs" / "unit.yaml"
TWO_UNITS = ROOT / "tests" / "fixtures" / "units" / "two_units.yaml"
SLOTS = 2


def _pack_copies(work: Path, n_copies: int) -> Path:
    """The unit pack's jobs ``n_copies`` times over, notebooks by absolute path."""
    spec = yaml.safe_load(UNIT_PACK.read_text(encoding="utf-8"))
    jobs = []
    for i in range(n_copies):
        for job in spec["jobs"]:
            nb = str(ROOT / job["notebook"])
            jobs.append({**job, "name": f"{job['name']}-{i}", "notebook": nb})
    pack = work / "unit.yaml"
    pack.write_text(yaml.safe_dump({**spec, "jobs": jobs}), encoding="utf-8")
    return pack


def _run_pack(pack: Path, out: Path, **where) -> tuple[float, list[float], list[float]]:
    """Run the pack for both units (``run_units``, as ``--units`` does); return the wall time,
    each job's own time (kernel start to notebook done, measured where it ran) and each job's
    time held in a slot (from its start event to its end event, seen by this process)."""
    from cio_analytics.pipeline.pack import load_pack
    from cio_analytics.pipeline.units import load_units, run_units

    started: dict[str, float] = {}
    held: dict[str, float] = {}

    def on_event(kind, spec, result) -> None:
        if kind == "start":
            started[spec.name] = time.perf_counter()
        else:
            held[spec.name] = time.perf_counter() - started[spec.name]

    t0 = time.perf_counter()
    run = run_units(load_pack(pack, root=ROOT), load_units(TWO_UNITS, root=ROOT), out=out,
                    period="B", history=False, on_event=on_event, **where)  # fmt: skip
    wall = time.perf_counter() - t0
    assert run.ok, run.failed
    jobs = run.jobs
    return wall, [j["duration_s"] for j in jobs], [held[j["name"]] for j in jobs]


def main_dask(argv: list[str]) -> None:
    import os

    from distributed import LocalCluster

    repeats = int(argv[0]) if argv else 1
    n_copies = int(argv[1]) if len(argv) > 1 else 3
    work = Path(tempfile.mkdtemp(prefix="bench-dask-"))
    local, dask, job_s, extra = [], [], [], {"local": [], "dask": [], "warm": []}
    load_before = os.getloadavg()
    try:
        pack = _pack_copies(work, n_copies)
        n = 2 * 2 * n_copies  # two units, two jobs per copy
        with LocalCluster(
            n_workers=SLOTS, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as cluster:
            for i in range(repeats):
                wall, durations, held = _run_pack(pack, work / f"local{i}", n_jobs=SLOTS)
                local.append(wall)
                job_s += durations
                extra["local"] += [h - d for h, d in zip(held, durations, strict=True)]
                wall, durations, held = _run_pack(
                    pack, work / f"dask{i}", executor=cluster.scheduler_address
                )
                dask.append(wall)
                extra["dask"] += [h - d for h, d in zip(held, durations, strict=True)]
            wall, durations, held = _run_pack(
                pack, work / "warm", executor=cluster.scheduler_address
            )
            warm_s = wall
            extra["warm"] += [h - d for h, d in zip(held, durations, strict=True)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()
    local_s, dask_s, mean_job = (
        statistics.median(local),
        statistics.median(dask),
        statistics.mean(job_s),
    )
    overhead = (dask_s - local_s) * SLOTS / n
    per_job = statistics.mean(extra["dask"]) - statistics.mean(extra["local"])
    per_job_warm = statistics.mean(extra["warm"]) - statistics.mean(extra["local"])
    print(f"two-unit pack x{n_copies}: {n} jobs on {SLOTS} cores, mean job {mean_job:.2f} s")
    print(f"local processes: {local_s:.1f} s ({60 * n / local_s:.1f} jobs/min)")
    print(f"local Dask cluster: {dask_s:.1f} s ({60 * n / dask_s:.1f} jobs/min)")
    print(
        f"Dask overhead per job, from the wall times: {overhead:+.2f} s = "
        f"{overhead / mean_job:+.1%} of a job (target < 10 %)"
    )
    print(
        "Dask overhead per job, from each job's time in its slot beyond its own time "
        f"(local {statistics.mean(extra['local']):.2f} s, Dask "
        f"{statistics.mean(extra['dask']):.2f} s): {per_job:+.2f} s = "
        f"{per_job / mean_job:+.1%} of a job (target < 10 %)"
    )
    print(
        f"the same on warm workers (one more run on the same cluster, {warm_s:.1f} s, "
        f"{60 * n / warm_s:.1f} jobs/min; Dask {statistics.mean(extra['warm']):.2f} s): "
        f"{per_job_warm:+.2f} s = {per_job_warm / mean_job:+.1%} of a job (target < 10 %)"
    )
    print(
        f"load average (1, 5, 15 min) before {', '.join(f'{x:.1f}' for x in load_before)}; "
        f"after {', '.join(f'{x:.1f}' for x in load_after)} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["dask"]:
        main_dask(sys.argv[2:])
    else:
        main(sys.argv[1:])
