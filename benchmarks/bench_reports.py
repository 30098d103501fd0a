"""Report pack wall time: ``cio-analytics run quarterly`` against a shell loop of the
``papermill`` and ``jupyter nbconvert --to html --no-input`` commands over the same notebooks and
parameters, in the same run, both with ``.venv``'s binaries. Target: at most half the loop's time
on 2 cores (``x faster`` >= 2).

Usage: ``python benchmarks/bench_reports.py [n_trials] [repeats]`` (defaults 1000 and 1).
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


if __name__ == "__main__":
    main(sys.argv[1:])
