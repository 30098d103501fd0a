"""``cio-analytics backfill``: past quarters built into one folder and history, the published
ones skipped, the ones without data refused with the reason, an interrupted backfill resumed.

The run day is fixed (``today=``); the data that decides a refusal is written here. The one
test that starts kernels uses a pack of one notebook that does nothing (a few seconds a
quarter).
"""

from __future__ import annotations

import dataclasses
import json
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest

from cio_analytics.cli import main
from cio_analytics.pipeline.backfill import backfill, plan_backfill
from cio_analytics.pipeline.pack import load_pack, select_jobs
from cio_analytics.pipeline.params import ParameterValidationError
from cio_analytics.pipeline.publish import RUN_FILE

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 12, 7)


def _tiny_pack(tmp_path: Path) -> Path:
    """A pack of one job that runs a notebook sleeping 0 s (no dated inputs)."""
    path = tmp_path / "tiny.yaml"
    notebook = ROOT / "tests" / "fixtures" / "notebooks" / "sleepy.ipynb"
    path.write_text(
        "name: tiny\ntitle: Tiny pack\njobs:\n"
        f"  - name: nap\n    notebook: {notebook}\n    parameters: {{sleep_s: 0}}\n",
        encoding="utf-8",
    )
    return path


def _manifest(folder: Path, pack: str = "tiny") -> None:
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(
        json.dumps({"pack": {"name": pack}, "jobs": [{"name": "nap", "status": "ok"}]}),
        encoding="utf-8",
    )


def test_plan_skips_published_and_refuses_periods_without_data(tmp_path):
    """Actuals from July 2026: 2026Q1 and 2026Q2 have no data (the reason names the job, the
    file and its dates), 2026Q3 is published already, 2026Q4 is to build as of the run day."""
    frame = pd.read_csv(ROOT / "data" / "sample" / "actuals.csv")
    frame = frame[frame["month"] == "2026-07"]
    actuals = tmp_path / "actuals.csv"
    pd.concat([frame.assign(month=m) for m in ("2026-07", "2026-08", "2026-09")]).to_csv(
        actuals, index=False
    )
    pack = select_jobs(
        load_pack("quarterly", overrides=[f"budget-review.actuals_path={actuals}"], root=ROOT),
        "budget-review",
    )
    out = tmp_path / "reports"
    _manifest(out / "2026Q3", pack="quarterly")
    plan = plan_backfill(
        pack, ["2026Q1", "2026Q2", "2026Q3", "2026Q4"], out=out, history=None, today=TODAY
    )
    assert [p.status for p in plan] == ["no data", "no data", "published", "to build"]
    assert "budget-review" in plan[0].reason and "2026-07 to 2026-09" in plan[0].reason
    assert "2026Q3" in plan[2].reason
    assert plan[3].reason == "as of 7 Dec 2026"


def test_wrong_range_is_refused_before_anything_runs(tmp_path):
    with pytest.raises(ParameterValidationError, match="before `--from`"):
        backfill(_tiny_pack(tmp_path), period_from="2026Q3", period_to="2026Q1", out=tmp_path)
    with pytest.raises(ParameterValidationError, match="quarter such as 2025Q1"):
        backfill(_tiny_pack(tmp_path), period_from="2026-01", period_to="2026Q1", out=tmp_path)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.slow
def test_backfill_builds_the_missing_periods_and_resumes(tmp_path):
    """2026Q1 already published: only 2026Q2 and 2026Q3 are built (two at once), into one
    history, and the building folder a killed backfill left behind is removed. A second
    backfill finds every period published (in the folder, or in the history once a folder is
    gone) and runs nothing."""
    pack = _tiny_pack(tmp_path)
    out = tmp_path / "reports"
    _manifest(out / "2026Q1")
    stale = out / ".2026Q2.building-killed"
    stale.mkdir()
    (stale / RUN_FILE).write_text(
        json.dumps({"pid": _dead_pid(), "host": socket.gethostname()}), encoding="utf-8"
    )
    seen = []
    result = backfill(
        pack,
        period_from="2026Q1",
        period_to="2026Q3",
        out=out,
        n_jobs=2,
        pdf=False,
        root=ROOT,
        today=TODAY,
        on_period=seen.append,
    )
    assert result.ok, result.summary()
    assert [p.status for p in result.periods] == ["published", "built", "built"]
    assert sorted(p.period for p in seen) == ["2026Q1", "2026Q2", "2026Q3"]
    for period in ("2026Q2", "2026Q3"):
        manifest = json.loads((out / period / "manifest.json").read_text())
        assert manifest["period"] == period and manifest["jobs"][0]["status"] == "ok"
        assert not list((out / period).glob("*.pdf"))
    assert not stale.exists()
    assert json.loads((out / "2026Q3" / "manifest.json").read_text())["jobs"][0]["parameters"]

    from cio_analytics.pipeline.history import history_runs

    runs = history_runs(out / "history.duckdb")
    assert sorted(runs["period"]) == ["2026Q2", "2026Q3"]

    import shutil

    shutil.rmtree(out / "2026Q3")  # the history still says 2026Q3 is published
    again = backfill(pack, period_from="2026Q1", period_to="2026Q3", out=out, root=ROOT,
                     today=TODAY)  # fmt: skip
    assert [p.status for p in again.periods] == ["published"] * 3
    assert "run history" in again.periods[2].reason


def test_cli_backfill_reports_each_period(tmp_path, capsys):
    """Every period published: the command lists each with its reason and exits 0."""
    pack = _tiny_pack(tmp_path)
    out = tmp_path / "reports"
    for period in ("2025Q4", "2026Q1"):
        _manifest(out / period)
    code = main(["backfill", str(pack), "--from", "2025Q4", "--to", "2026Q1", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "2025Q4  published" in printed and "2026Q1  published" in printed
    assert "2 published" in printed


@pytest.mark.slow
def test_run_previous_builds_the_quarter_before_once(tmp_path, monkeypatch, capsys):
    """``run --previous`` (what ``make reports`` runs): on an empty folder the quarter before is
    built first, without PDFs, into the same history; the next run finds it published."""
    from cio_analytics.pipeline.history import history_runs
    from cio_analytics.pipeline.period import TODAY_ENV

    monkeypatch.setenv(TODAY_ENV, TODAY.isoformat())
    pack, out = _tiny_pack(tmp_path), tmp_path / "reports"
    argv = ["run", str(pack), "--previous", "--period", "2026Q2", "--out", str(out), "-j", "1"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "Previous quarter 2026Q1 first (no PDFs)" in printed
    assert (out / "2026Q1" / "manifest.json").is_file() and not list((out / "2026Q1").glob("*.pdf"))
    assert sorted(history_runs(out / "history.duckdb")["period"]) == ["2026Q1", "2026Q2"]
    assert main(argv) == 0
    assert "Previous quarter 2026Q1: already published" in capsys.readouterr().out
    assert not (out / "2026Q1.1").exists()  # not built a second time


def _actuals_from(tmp_path: Path, first: str, name: str) -> Path:
    """A copy of one month of the sample actuals, dated ``first`` to 2026-09 (YYYY-MM)."""
    frame = pd.read_csv(ROOT / "data" / "sample" / "actuals.csv")
    frame = frame[frame["month"] == frame["month"].iloc[0]]
    months = [str(m) for m in pd.period_range(first, "2026-09", freq="M")]
    path = tmp_path / name
    pd.concat([frame.assign(month=m) for m in months]).to_csv(path, index=False)
    return path


def _early_late_pack(tmp_path: Path) -> Path:
    """Three jobs: ``early`` reads actuals from 2026-01, ``late`` from 2026-07, ``risk`` reads
    no dated data (the notebooks are never run here)."""
    early = _actuals_from(tmp_path, "2026-01", "early.csv")
    late = _actuals_from(tmp_path, "2026-07", "late.csv")
    budget = ROOT / "notebooks" / "budget_review.ipynb"
    path = tmp_path / "partial.yaml"
    path.write_text(
        "name: partial\ntitle: Partial pack\njobs:\n"
        f"  - name: early\n    notebook: {budget}\n    parameters: {{actuals_path: {early}}}\n"
        f"  - name: late\n    notebook: {budget}\n    parameters: {{actuals_path: {late}}}\n"
        f"  - name: risk\n    notebook: {ROOT / 'notebooks' / 'risk_review.ipynb'}\n",
        encoding="utf-8",
    )
    return path


def test_plan_builds_a_quarter_without_the_jobs_that_have_no_data_for_it(tmp_path):
    """2026Q2 (as of 30 Jun 2026): ``late``'s actuals start in July, so the quarter is to build
    with ``early`` and ``risk`` only, the outcome naming ``late`` and why. 2026Q3: every job.
    2025Q4: no job that reads dated data has any; ``risk`` alone is no report of the quarter,
    so it is "no data" with check_period's reasons."""
    pack = load_pack(_early_late_pack(tmp_path), root=ROOT)
    plan = plan_backfill(pack, ["2025Q4", "2026Q2", "2026Q3"], out=tmp_path / "reports",
                         history=None, today=TODAY)  # fmt: skip
    assert [p.status for p in plan] == ["no data", "to build", "to build"]
    assert "job `early`" in plan[0].reason and "job `late`" in plan[0].reason
    assert "2026-01 to 2026-09" in plan[0].reason and plan[0].jobs == ()
    assert plan[1].jobs == ("early", "risk") and plan[1].left_out == ("late",)
    assert plan[1].reason == (
        "as of 30 Jun 2026; without 1 of 3 reports: late (actuals only from Jul 2026)"
    )
    assert plan[2].reason == "as of 30 Sep 2026" and plan[2].jobs == plan[2].left_out == ()


def test_plan_names_jobs_that_read_the_same_file_together(tmp_path):
    """Two jobs on the same late file: one group, "a and b (...)", counted as two reports."""
    pack = load_pack(_early_late_pack(tmp_path), root=ROOT)
    late = pack.jobs[1]
    twin = dataclasses.replace(late, name="late-twin")
    pack = dataclasses.replace(pack, jobs=(*pack.jobs, twin))
    (plan,) = plan_backfill(pack, ["2026Q1"], out=tmp_path, history=None, today=TODAY)
    assert plan.left_out == ("late", "late-twin")
    assert plan.reason.endswith(
        "without 2 of 4 reports: late and late-twin (actuals only from Jul 2026)"
    )


class _FakeRun:
    """Stands in for ``subprocess.Popen`` of each quarter's ``run``: records the command and
    succeeds at once (no kernel starts)."""

    commands: ClassVar[list[list[str]]] = []

    def __init__(self, command, **kwargs):
        self.commands.append(list(command))
        self.pid = -1

    def wait(self):
        return 0


def _only_of(command: list[str]) -> str | None:
    assert command.count("--only") <= 1, command
    return command[command.index("--only") + 1] if "--only" in command else None


@pytest.fixture
def fake_run(monkeypatch):
    from cio_analytics.pipeline import backfill as module

    monkeypatch.setattr(_FakeRun, "commands", [])
    monkeypatch.setattr(module.subprocess, "Popen", _FakeRun)
    return _FakeRun


def test_backfill_runs_a_partial_quarter_with_only_its_covered_jobs(tmp_path, fake_run):
    """Each quarter's ``run`` gets ``--only`` with the jobs that have data for it; a quarter
    with data for all gets none; with the user's ``--only`` each quarter gets the
    intersection (and a quarter with data for all of it, the user's selection)."""
    pack = _early_late_pack(tmp_path)
    out = tmp_path / "reports"
    result = backfill(pack, period_from="2026Q2", period_to="2026Q3", out=out, n_jobs=1,
                      pdf=False, root=ROOT, today=TODAY)  # fmt: skip
    assert [p.status for p in result.periods] == ["built", "built"]
    assert result.periods[0].left_out == ("late",) and "without 1 of 3" in result.periods[0].reason
    commands = {c[c.index("--period") + 1]: c for c in fake_run.commands}
    assert _only_of(commands["2026Q2"]) == "early,risk"
    assert _only_of(commands["2026Q3"]) is None
    assert "--no-pdf" in commands["2026Q2"]
    assert list(result.summary()["left_out"]) == ["late", ""]

    fake_run.commands.clear()
    picked = backfill(pack, period_from="2026Q2", period_to="2026Q3", out=out, n_jobs=1,
                      only="late,early", root=ROOT, today=TODAY)  # fmt: skip
    commands = {c[c.index("--period") + 1]: c for c in fake_run.commands}
    assert _only_of(commands["2026Q2"]) == "early"
    assert _only_of(commands["2026Q3"]) == "early,late"
    assert picked.periods[0].reason.endswith("without 1 of 2 reports: late (actuals only from "
                                             "Jul 2026)")  # fmt: skip

    fake_run.commands.clear()
    alone = backfill(pack, period_from="2026Q2", period_to="2026Q2", out=out, only="late,risk",
                     root=ROOT, today=TODAY)  # fmt: skip
    assert [p.status for p in alone.periods] == ["no data"] and not fake_run.commands


def test_cli_backfill_names_the_reports_left_out(tmp_path, fake_run, capsys):
    pack = _early_late_pack(tmp_path)
    argv = ["backfill", str(pack), "--from", "2025Q4", "--to", "2026Q3",
            "--out", str(tmp_path / "reports"), "-j", "1"]  # fmt: skip
    from cio_analytics.pipeline.period import TODAY_ENV

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(TODAY_ENV, TODAY.isoformat())
        assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "2025Q4  no data" in printed
    assert "2026Q1  built" in printed and "2026Q2  built" in printed
    assert "without 1 of 3 reports: late (actuals only from Jul 2026)" in printed
    assert "3 built (2 without the reports that have no data for them" in printed


def test_run_still_refuses_a_quarter_one_job_has_no_data_for(tmp_path, monkeypatch):
    """``run`` builds the whole pack or nothing: 2026Q2 is refused naming ``late`` (though
    ``early`` has data), before any kernel starts, with period_coverage's reasons."""
    from cio_analytics.pipeline import kernel, publish
    from cio_analytics.pipeline.period import period_coverage

    started = []
    monkeypatch.setattr(kernel.PrivateKernel, "start", lambda self, *a, **k: started.append(1))
    monkeypatch.setattr(publish, "run_jobs", lambda *a, **k: started.append(2))
    pack = load_pack(_early_late_pack(tmp_path), root=ROOT)
    with pytest.raises(ParameterValidationError) as err:
        publish.run_pack(pack, period="2026Q2", out=tmp_path / "reports", today=TODAY)
    found = period_coverage(pack, "2026Q2", today=TODAY)
    assert err.value.problems == found.problems() and len(found.problems()) == 1
    assert "job `late`" in str(err.value) and "job `early`" not in str(err.value)
    assert not started and not (tmp_path / "reports").exists()


def test_a_past_quarter_built_without_a_report_names_it_on_the_index(tmp_path, monkeypatch):
    """The backfill's ``run --only`` of 2026Q2 leaves ``late`` out for want of data: the run
    passes the reason on (``_left_out``), the manifest keeps it and the index shows it under
    the cards, the board summary under its decisions. A report the user left out of ``--only`` for no such reason is not named."""
    from cio_analytics.cli import _left_out
    from cio_analytics.pipeline.index import write_index
    from cio_analytics.pipeline.period import TODAY_ENV

    monkeypatch.setenv(TODAY_ENV, TODAY.isoformat())
    full = load_pack(_early_late_pack(tmp_path), root=ROOT)
    chosen = select_jobs(full, "early,risk")
    left = _left_out(full, chosen, "2026Q2")
    assert left == [{"job": "late", "title": full.jobs[1].title,
                     "reason": "its actuals start in Jul 2026"}]  # fmt: skip
    assert _left_out(full, chosen, "2026Q3") == []  # late has data: the user's own choice
    assert _left_out(full, full, "2026Q2") == []
    manifest = {"pack": {"title": "Partial pack"}, "period": "2026Q2", "jobs": [],
                "end": "2026-12-07T10:00:00+00:00", "duration_s": 1.0, "left_out": left}  # fmt: skip
    page = write_index(tmp_path / "index.html", manifest).read_text(encoding="utf-8")
    assert "1 not built for this period (see below)" in page
    assert "Not built for this period" in page
    assert f"<b>{full.jobs[1].title}</b>: its actuals start in Jul 2026" in page
    # the board summary, read without the index, says so too (its header and under the table)
    from cio_analytics.pipeline.board import write_board_summary

    board = write_board_summary(
        tmp_path, [], pack_title="Partial pack", period="2026Q2", left_out=left
    ).read_text(encoding="utf-8")
    assert "1 not built for this period" in board
    assert (
        f"Not in this pack, no data for the period: <b>{full.jobs[1].title}</b> "
        "(its actuals start in Jul 2026)." in board
    )


def test_run_previous_builds_a_partial_previous_quarter_without_the_report_lacking_data(
    tmp_path, monkeypatch, capsys
):
    """``run --previous --period 2026Q3``: 2026Q2 has no data for ``late``, so it is built (as a
    backfill would) with ``early`` and ``risk``, naming ``late`` and why; then 2026Q3 whole.
    run_pack is replaced by a recorder: no kernel starts."""
    from types import SimpleNamespace

    from cio_analytics.pipeline import publish
    from cio_analytics.pipeline.period import TODAY_ENV

    class Stop(Exception):
        pass

    calls = []

    def recorder(pack, **kw):
        calls.append(([j.name for j in pack.jobs], kw["period"], kw.get("left_out"), kw["pdf"]))
        if len(calls) > 1:
            raise Stop
        return SimpleNamespace(ok=True, failed=[])

    monkeypatch.setattr(publish, "run_pack", recorder)
    monkeypatch.setenv(TODAY_ENV, TODAY.isoformat())
    pack, out = _early_late_pack(tmp_path), tmp_path / "reports"
    with pytest.raises(Stop):
        main(["run", str(pack), "--previous", "--period", "2026Q3", "--out", str(out), "-j", "1"])
    assert "Previous quarter 2026Q2 first (no PDFs, without late (actuals only from Jul 2026))" in (
        capsys.readouterr().out
    )
    (names, period, left_out, pdf), (names_now, period_now, _, _) = calls
    assert (names, period, pdf) == (["early", "risk"], "2026Q2", False)
    assert [x["job"] for x in left_out] == ["late"]
    assert left_out[0]["reason"] == "its actuals start in Jul 2026"
    assert (names_now, period_now) == (["early", "late", "risk"], "2026Q3")
