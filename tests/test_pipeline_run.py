"""Report pipeline end to end: the fixture pack through the real command (``main(argv)``).

One parallel run and one ``--from-manifest --jobs 1`` rerun into the same period are shared by
every test here (kernels are slow to start). The fixture pack holds two variants of a notebook
that reads a data file and records figures, a typed-parameter notebook, a notebook that fails
and one that runs past its cell timeout.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from cio_analytics._validation import resolve_rng
from cio_analytics.cli import main
from cio_analytics.io import file_sha256, read_team_demand
from cio_analytics.pipeline.export import report_noise
from cio_analytics.pipeline.kernel import PrivateKernel
from cio_analytics.reporting.record import read_records

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "tests" / "fixtures" / "packs" / "fixture.yaml"
OK_JOBS = ["figures-retail", "figures-wholesale", "typed"]
ALL_JOBS = [*OK_JOBS, "fails", "sleepy", "sleepy-job"]


def _main(argv: list[str]) -> tuple[int, str]:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(argv)
    return code, buf.getvalue()


def _snapshot(folder: Path) -> dict:
    return {
        "manifest": json.loads((folder / "manifest.json").read_text()),
        "index": (folder / "index.html").read_text(),
        "html": {j: (folder / f"{j}.html").read_text() for j in ALL_JOBS},
        "logs": {j: (folder / f"{j}.log").read_text() for j in ALL_JOBS},
        "records": {j: read_records(folder / f"{j}.records.jsonl") for j in ALL_JOBS},
        "files": sorted(p.name for p in folder.iterdir()),
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    # no PDFs: these tests read the HTML, records and manifest (tests/test_pipeline_pdf.py has
    # the PDFs), and rendering them doubled the fixture's time
    code, stdout = _main(
        ["run", str(PACK), "--out", str(out), "--period", "2026Q4", "-j", "2", "--no-pdf"]
    )
    first = _snapshot(out / "2026Q4")
    code2, stdout2 = _main(
        [
            "run",
            "--from-manifest",
            str(out / "2026Q4" / "manifest.json"),
            "--out",
            str(out),
            "--period",
            "2026Q4",
            "--jobs",
            "1",
            "--no-pdf",
        ]
    )
    return {
        "out": out,
        "first": (code, stdout, first),
        "rerun": (code2, stdout2, _snapshot(out / "2026Q4")),
    }


@pytest.mark.slow
def test_failures_are_isolated_and_the_exit_code_says_so(runs):
    code, stdout, snap = runs["first"]
    assert code == 1
    lines = stdout.strip().splitlines()
    for job in ALL_JOBS:
        assert any(re.match(rf"\s+start\s+{job}$", ln) for ln in lines), job
    for job in OK_JOBS:
        assert any(re.match(rf"\s+ok\s+{job}\s+[\d.]+ s$", ln) for ln in lines), job
    assert any(re.match(r"\s+FAILED\s+fails\s+[\d.]+ s\s+ZeroDivisionError", ln) for ln in lines)
    assert any(re.match(r"\s+TIMEOUT\s+sleepy", ln) for ln in lines)
    assert (
        "Done in" in stdout and "3 ok" in stdout and "1 failed" in stdout and "2 timeout" in stdout
    )
    assert "FAILED fails: ZeroDivisionError: division by zero" in stdout
    assert lines[-1].startswith("Index: ") and lines[-1].endswith("2026Q4/index.html")
    status = {j["name"]: j["status"] for j in snap["manifest"]["jobs"]}
    assert status == {
        **dict.fromkeys(OK_JOBS, "ok"),
        "fails": "failed",
        "sleepy": "timeout",
        "sleepy-job": "timeout",
    }


def test_every_job_has_its_files(runs):
    files = runs["first"][2]["files"]
    for job in ALL_JOBS:
        for ext in (".ipynb", ".html", ".log", ".records.jsonl"):
            assert f"{job}{ext}" in files
    assert {"index.html", "manifest.json"} <= set(files)
    assert not [p for p in runs["out"].iterdir() if p.name.startswith(".")]  # no building dir


def test_manifest_records_what_was_run(runs):
    m = runs["first"][2]["manifest"]
    jobs = {j["name"]: j for j in m["jobs"]}
    assert m["period"] == "2026Q4" and m["pack"]["name"] == "fixture"
    assert re.fullmatch(r"\d+\.\d+\.\d+", m["environment"]["python"])
    assert m["environment"]["packages"]["numpy"] == np.__version__
    assert set(m["git"]) == {"commit", "dirty"}
    typed = jobs["typed"]["parameters"]
    assert typed == {
        "rate": 1.0,
        "count": 4,
        "flag": False,
        "weights": [1.0, 2.0, 3.0],
        "note": None,
        "business_unit": "Retail",
    }
    retail = jobs["figures-retail"]
    assert retail["seed"] == 7 and retail["parameters"]["n_trials"] == 500
    demand = ROOT / "data" / "sample" / "team_demand.csv"
    assert retail["inputs"]["team_demand_path"]["sha256"] == file_sha256(demand)
    assert retail["notebook_sha256"] == file_sha256(ROOT / retail["notebook"])
    for job in jobs.values():
        assert job["start"] < job["end"] and job["duration_s"] > 0
    assert jobs["fails"]["error"]["ename"] == "ZeroDivisionError"
    assert jobs["fails"]["error"]["cell_id"] == "cell-04"
    assert jobs["sleepy"]["timeout"]["cell_s"] == 2.0


def test_nothing_published_names_a_folder_of_this_machine(runs):
    """Issue 12: the manifest, the executed notebooks (papermill's metadata, tracebacks), the
    HTML reports, the logs and the index hold project-relative paths and the environment's
    name only: not the project root, the output folder, the environment's path or the home."""
    folder = runs["out"] / "2026Q4"
    m = json.loads((folder / "manifest.json").read_text())
    assert "executable" not in m["environment"] and m["environment"]["name"]
    assert m["jobs"][0]["notebook"] == "tests/fixtures/notebooks/figures.ipynb"
    machine = {str(ROOT), str(runs["out"]), sys.prefix, os.path.expanduser("~")} - {"/", "~"}
    for path in folder.iterdir():
        if path.suffix in {".json", ".ipynb", ".html", ".log", ".jsonl"}:
            text = path.read_text(encoding="utf-8")
            leaks = [x for x in machine if x in text]
            assert not leaks, (path.name, leaks)


def test_sidecar_figures_equal_the_library(runs):
    """The recorded figures are the library's results for the same parameters and seed."""
    records = runs["first"][2]["records"]
    demand = read_team_demand(ROOT / "data" / "sample" / "team_demand.csv")
    hours = float(demand["demand_hours"].sum())
    draws = resolve_rng(7).triangular(1.0, 2.0, 4.0, size=500)
    assert records["figures-retail"]["total_hours"]["value"] == hours * 1.0
    assert records["figures-wholesale"]["total_hours"]["value"] == hours * 2.5
    assert records["figures-retail"]["mean_draw"]["value"] == float(draws.mean())
    assert records["figures-wholesale"]["unit"]["value"] == "Wholesale"
    assert records["typed"]["rate_type"]["value"] == "float"
    assert records["typed"]["count_type"]["value"] == "int"
    assert records["typed"]["weights_type"]["value"] == "float"
    assert records["fails"] == {"before": {"value": 1, "label": None, "unit": None, "fmt": None}}


def test_index_lists_every_report(runs):
    index = runs["first"][2]["index"]
    for title in ["Figures, Retail", "Figures, Wholesale", "typed", "fails", "sleepy"]:
        assert title in index
    assert "href='figures-retail.html'" in index
    assert "18,200 h" in index and "45,500 h" in index  # fmt ",.0f" and unit "h"
    assert "class='failed'>failed" in index and "class='timeout'>timeout" in index
    assert "3 ok" in index and "1 failed" in index


def test_successful_reports_are_clean(runs):
    snap = runs["first"][2]
    for job in OK_JOBS:
        html = snap["html"][job]
        assert report_noise(html) == [], job
        body = html[html.index("<body") :]
        assert "hl-ipython3" not in body and "jp-CodeMirrorEditor" not in body  # code hidden
        assert "jp-InputPrompt" not in body and "jp-OutputPrompt" not in body
        for img in re.findall(r"<img[^>]*>", html):
            assert re.search(r'alt="[^"]+"', img)
    assert 'alt="Chart: Triangular draws (Trials vs Value (h))"' in snap["html"]["figures-retail"]
    jobs = {j["name"]: j for j in snap["manifest"]["jobs"]}
    assert all(jobs[j]["report_noise"] == [] for j in OK_JOBS)
    assert all("TCP" not in snap["logs"][j] for j in OK_JOBS)
    assert all("nbconvert warning" not in snap["logs"][j] for j in OK_JOBS)
    # the check itself sees a traceback in the failed report
    assert "Traceback (most recent call last)" in report_noise(snap["html"]["fails"])


def test_failed_report_shows_the_error_and_the_cell(runs):
    snap = runs["first"][2]
    html = snap["html"]["fails"]
    assert "This report failed" in html and "ZeroDivisionError" in html
    assert "ratio = 1 / divisor" in html and "cell-04" in html
    assert "about to fail" in snap["logs"]["fails"]  # the kernel's stdout is in the log
    assert "This report timeout" in snap["html"]["sleepy"]
    assert "cell ran longer than 2 s" in snap["html"]["sleepy"]
    assert "job ran longer than 6 s" in snap["html"]["sleepy-job"]
    # the killed kernel is gone: the job ended long before its 300 s sleep
    job = next(j for j in snap["manifest"]["jobs"] if j["name"] == "sleepy-job")
    assert job["duration_s"] < 120


def test_executed_notebook_holds_the_injected_parameters(runs):
    folder = runs["out"] / "2026Q4.1"
    nb = nbformat.read(folder / "figures-wholesale.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "scale = 2.5" in injected[0].source


def test_rerun_from_manifest_reproduces_the_numbers_and_keeps_the_first_run(runs):
    code, stdout, snap = runs["rerun"]
    first = runs["first"][2]
    assert code == 1  # the same failing jobs fail again
    assert "The earlier run of 2026Q4 was kept as" in stdout
    kept = json.loads((runs["out"] / "2026Q4.1" / "manifest.json").read_text())
    assert kept["start"] == first["manifest"]["start"]  # the first run, untouched
    assert snap["manifest"]["n_jobs"] == 1
    for job in OK_JOBS:  # --jobs 1 gives the same figures as the parallel run
        assert snap["records"][job] == first["records"][job]
    params = [j["parameters"] for j in snap["manifest"]["jobs"]]
    assert params == [j["parameters"] for j in first["manifest"]["jobs"]]


def test_rerun_refuses_changed_inputs(runs, tmp_path, capsys):
    manifest = json.loads((runs["out"] / "2026Q4" / "manifest.json").read_text())
    manifest["jobs"][0]["inputs"]["team_demand_path"]["sha256"] = "0" * 64
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    assert main(["run", "--from-manifest", str(path), "--out", str(tmp_path / "r")]) == 2
    assert "changed since the run" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


@pytest.mark.slow
def test_only_runs_the_named_jobs(tmp_path):
    """`run PACK --only typed` runs that job alone: the manifest and the folder hold it only."""
    out = tmp_path / "reports"
    code, stdout = _main(
        ["run", str(PACK), "--only", "typed", "--out", str(out), "--period", "2026Q4", "-j", "1"]
    )
    assert code == 0, stdout
    manifest = json.loads((out / "2026Q4" / "manifest.json").read_text())
    assert [j["name"] for j in manifest["jobs"]] == ["typed"]
    assert "1 report(s)" in stdout
    assert not (out / "2026Q4" / "fails.html").exists()


def test_kernel_start_is_retried_once(tmp_path):
    class FlakyKernel(PrivateKernel):
        def _new_manager(self):
            km = super()._new_manager()
            if self.attempts == 1:
                km.kernel_spec_manager.get_kernel_spec = lambda name: (_ for _ in ()).throw(
                    OSError("simulated start failure")
                )
            return km

    with open(tmp_path / "k.log", "w") as log:
        kernel = FlakyKernel(cwd=ROOT, log=log)
        with kernel:
            os.kill(kernel.pid, 0)  # alive
            cmdline = Path(f"/proc/{kernel.pid}/cmdline")
            if cmdline.exists():  # this environment's interpreter, whatever kernelspecs exist
                assert cmdline.read_bytes().split(b"\0")[0].decode() == sys.executable
            assert (kernel.runtime_dir / "kernel.json").is_file()
            info = json.loads((kernel.runtime_dir / "kernel.json").read_text())
            assert info["transport"] == "ipc"
        assert kernel.attempts == 2 and kernel.runtime_dir is None
