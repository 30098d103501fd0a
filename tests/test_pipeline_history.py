"""The run history (``reports/history.duckdb``): written and read back, killed and concurrent runs.

The store is a real DuckDB file; the killed-run and concurrent-publish tests run real
processes that hold DuckDB's file lock.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from cio_analytics.pipeline.history import (
    SCHEMA_VERSION,
    HistoryLockedError,
    export_history,
    figure_changes,
    history_runs,
    previous_period,
    read_history,
    record_run,
)


def manifest(period: str, *, decision: str = "Adjust", landing: float = 17.2e6, start=None):
    return {
        "pack": {"name": "quarterly", "title": "Quarterly IT decision pack"},
        "period": period,
        "start": start or f"{period[:4]}-10-01T08:00:00+00:00",
        "end": f"{period[:4]}-10-01T08:01:00+00:00",
        "git": {"commit": "0123abc", "dirty": False},
        "jobs": [
            {
                "name": "budget-review",
                "title": "Budget review",
                "status": "ok",
                "inputs": {"budget_path": {"path": "data/budget.csv", "sha256": "ab" * 32}},
                "records": {
                    "decision": {"value": decision, "label": "Decision"},
                    "landing_p50": {"value": landing, "label": "Landing", "unit": "EUR"},
                    "over": {"value": True, "label": "Over budget"},
                    "missing": {"value": None, "label": "Not computed"},
                },
            },
            {"name": "risk-review", "title": "Risk", "status": "failed", "records": {}},
        ],
    }


def test_two_periods_written_and_read_back(tmp_path):
    store = tmp_path / "reports" / "history.duckdb"
    record_run(manifest("2026Q3", landing=17.0e6), history=store)
    record_run(manifest("2026Q4", landing=17.3e6), history=store)
    frame = read_history(store)
    assert sorted(frame["period"].unique()) == ["2026Q3", "2026Q4"]
    landing = frame[frame["figure"] == "landing_p50"].set_index("period")["value"]
    assert landing.to_dict() == {"2026Q3": 17.0e6, "2026Q4": 17.3e6}
    row = frame[(frame["period"] == "2026Q4") & (frame["figure"] == "over")].iloc[0]
    assert (row["value"], row["text"]) == (1.0, "Yes")
    decision = frame[frame["figure"] == "decision"].iloc[0]
    assert decision["text"] == "Adjust" and math.isnan(decision["value"])
    assert read_history(store, figure="landing_p50", period_from="2026Q4")["value"].tolist() == [
        17.3e6
    ]
    assert read_history(store, job="risk-review").empty  # a failed job recorded nothing
    with duckdb.connect(str(store), read_only=True) as con:
        version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert int(version[0]) == SCHEMA_VERSION


def test_rerunning_a_period_keeps_every_run_and_marks_the_latest_current(tmp_path):
    store = tmp_path / "history.duckdb"
    first = record_run(manifest("2026Q4", landing=1.0), history=store)
    assert record_run(manifest("2026Q4", landing=1.0), history=store) == first  # same run: once
    second = record_run(
        manifest("2026Q4", landing=2.0, start="2026-12-07T09:00:00+00:00"), history=store
    )
    runs = history_runs(store)
    assert runs["run_id"].tolist() == [first, second]
    assert runs["current"].tolist() == [False, True]
    assert read_history(store, figure="landing_p50")["value"].tolist() == [2.0]
    assert sorted(read_history(store, figure="landing_p50", all_runs=True)["value"]) == [1.0, 2.0]


def test_rerunning_one_report_of_a_period_keeps_the_others_current(tmp_path):
    """``run --only budget-review`` for a period already published: the budget's figures are
    superseded, the other reports' figures of that period stay current."""
    store = tmp_path / "history.duckdb"
    full = manifest("2026Q4", landing=1.0)
    full["jobs"][1] = {"name": "risk-review", "title": "Risk", "status": "ok",
                       "records": {"ale": {"value": 5.0, "label": "Loss", "unit": "EUR"}}}  # fmt: skip
    record_run(full, history=store)
    only = manifest("2026Q4", landing=2.0, start="2026-12-07T09:00:00+00:00")
    only["jobs"] = only["jobs"][:1]
    record_run(only, history=store)
    now = read_history(store, figure=["landing_p50", "ale"])
    assert dict(zip(now["figure"], now["value"], strict=True)) == {"landing_p50": 2.0, "ale": 5.0}
    assert now["current"].all()
    every = read_history(store, figure="landing_p50", all_runs=True)
    assert every.sort_values("value")["current"].tolist() == [False, True]


def test_changes_flag_flipped_decisions_moved_figures_and_trend(tmp_path):
    store = tmp_path / "history.duckdb"
    for period, landing, decision in [
        ("2026Q1", 10.0, "Hold"),
        ("2026Q2", 11.0, "Hold"),
        ("2026Q3", 12.0, "Hold"),
        ("2026Q4", 15.0, "Adjust"),
    ]:
        record_run(manifest(period, landing=landing, decision=decision), history=store)
    changes = {c.figure: c for c in figure_changes(store, pack="quarterly", period="2026Q4")}
    landing = changes["landing_p50"]
    assert landing.previous_period == "2026Q3" and landing.change == 3.0
    assert landing.relative_change == pytest.approx(0.25) and landing.moved
    assert landing.trend == (10.0, 11.0, 12.0, 15.0)
    assert changes["decision"].flipped and changes["decision"].previous_text == "Hold"
    assert not changes["over"].moved and not changes["over"].flipped
    small = figure_changes(store, pack="quarterly", period="2026Q4", threshold=0.5)
    assert not {c.figure: c for c in small}["landing_p50"].moved
    assert figure_changes(store, pack="quarterly", period="2025Q4") == []


def test_changes_against_the_run_not_yet_recorded(tmp_path):
    """The index is written before the run is added: `current` stands for this period, in place
    of an earlier run of it in the history; a figure the previous period lacks is new."""
    store = tmp_path / "history.duckdb"
    record_run(manifest("2026Q2", landing=10.0), history=store)
    record_run(manifest("2026Q3", landing=12.0), history=store)
    record_run(manifest("2026Q4", landing=99.0), history=store)  # an earlier run of 2026Q4
    now = manifest("2026Q4", landing=9.0, decision="Hold")
    budget = now["jobs"][0]["records"]
    budget["over"]["value"] = False
    budget["spend"] = {"value": 5.0, "label": "Spend", "unit": "EUR"}
    changes = {
        c.figure: c for c in figure_changes(store, pack="quarterly", period="2026Q4", current=now)
    }
    landing = changes["landing_p50"]
    assert landing.value == 9.0 and landing.previous_value == 12.0 and landing.change == -3.0
    assert landing.relative_change == pytest.approx(-0.25) and landing.moved
    assert landing.trend == (10.0, 12.0, 9.0)
    assert landing.trend_periods == ("2026Q2", "2026Q3", "2026Q4")
    assert changes["spend"].new and changes["spend"].previous_value is None
    assert not changes["landing_p50"].new
    over = changes["over"]  # a yes/no answer that changed flips; it does not "move"
    assert over.flipped and (over.text, over.previous_text) == ("No", "Yes") and not over.moved
    assert changes["decision"].flipped and changes["decision"].previous_text == "Adjust"
    assert changes["landing_p50"].job_title == "Budget review"


def test_changes_compare_with_the_pack_s_previous_period_in_the_history(tmp_path):
    """A figure missing from the previous period is new, even when an older period had it;
    a skipped quarter makes the one before it the previous period; the first period of a
    pack has nothing to compare with."""
    store = tmp_path / "history.duckdb"
    record_run(manifest("2026Q1", landing=10.0), history=store)
    gap = manifest("2026Q2")
    del gap["jobs"][0]["records"]["landing_p50"]
    record_run(gap, history=store)
    changes = {
        c.figure: c
        for c in figure_changes(
            store, pack="quarterly", period="2026Q4", current=manifest("2026Q4", landing=11.0)
        )
    }
    landing = changes["landing_p50"]
    assert landing.previous_period == "2026Q2" and landing.new and landing.change is None
    assert landing.trend == (10.0, None, 11.0)
    first = figure_changes(
        tmp_path / "none.duckdb", pack="quarterly", period="2026Q4", current=manifest("2026Q4")
    )
    assert first and all(c.previous_period is None and not c.new for c in first)
    assert figure_changes(None, pack="quarterly", period="2026Q4", current={"jobs": []}) == []


def test_previous_period():
    assert previous_period("2026Q1") == "2025Q4" and previous_period("2026Q3") == "2026Q2"
    assert previous_period("board") is None


def test_export_to_parquet_and_csv(tmp_path):
    store = tmp_path / "history.duckdb"
    record_run(manifest("2026Q4"), history=store)
    parquet = export_history(store, tmp_path / "h.parquet", figure="landing_p50")
    with duckdb.connect() as con:
        got = con.execute(f"SELECT value FROM read_parquet('{parquet}')").fetchall()
    assert got == [(17.2e6,)]
    csv = export_history(store, tmp_path / "h.csv")
    assert len(pd.read_csv(csv)) == 4
    with pytest.raises(ValueError, match="'parquet' or 'csv'"):
        export_history(store, tmp_path / "h.xlsx")


def test_a_missing_or_newer_store_is_refused_with_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match="publish a pack first"):
        read_history(tmp_path / "none.duckdb")
    store = tmp_path / "future.duckdb"
    record_run(manifest("2026Q4"), history=store)
    with duckdb.connect(str(store)) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(ValueError, match="schema version 99, newer"):
        record_run(manifest("2027Q1"), history=store)


# --- real processes holding DuckDB's lock ------------------------------------------------------

HOLDER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from cio_analytics.pipeline import history

    store, manifest_file, marker, hold_s = sys.argv[1:5]
    real = history._insert_figures

    def slow_insert(con, rows):
        real(con, rows[: len(rows) // 2])  # half the rows written, not committed
        Path(marker).write_text("inside", encoding="utf-8")
        time.sleep(float(hold_s))
        real(con, rows[len(rows) // 2 :])

    history._insert_figures = slow_insert
    history.record_run(json.loads(Path(manifest_file).read_text()), history=store)
    print("committed")
    """
)


def _holder(tmp_path: Path, store: Path, m: dict, name: str, hold_s: float):
    script = tmp_path / "holder.py"
    script.write_text(HOLDER, encoding="utf-8")
    mfile = tmp_path / f"{name}.json"
    mfile.write_text(json.dumps(m), encoding="utf-8")
    marker = tmp_path / f"{name}.inside"
    proc = subprocess.Popen(
        [sys.executable, str(script), str(store), str(mfile), str(marker), str(hold_s)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"holder did not start: {proc.communicate()}")
        time.sleep(0.05)
    return proc


def test_a_run_killed_while_writing_leaves_no_partial_rows(tmp_path):
    store = tmp_path / "history.duckdb"
    record_run(manifest("2026Q3"), history=store)
    proc = _holder(tmp_path, store, manifest("2026Q4"), "killed", hold_s=60)
    try:
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    frame = read_history(store)
    assert frame["period"].unique().tolist() == ["2026Q3"]  # nothing of the killed run
    assert history_runs(store)["period"].tolist() == ["2026Q3"]
    record_run(manifest("2026Q4"), history=store)  # and the store still takes the next run
    assert sorted(read_history(store)["period"].unique()) == ["2026Q3", "2026Q4"]


def test_two_concurrent_publishes_both_land(tmp_path):
    store = tmp_path / "history.duckdb"
    record_run(manifest("2026Q2"), history=store)  # the store exists
    proc = _holder(tmp_path, store, manifest("2026Q3"), "first", hold_s=1.5)
    try:
        record_run(manifest("2026Q4"), history=store, timeout_s=60)  # waits for the lock
    finally:
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "committed" in out, err
    assert sorted(read_history(store)["period"].unique()) == ["2026Q2", "2026Q3", "2026Q4"]


def test_a_lock_held_too_long_stops_with_a_clear_message(tmp_path):
    store = tmp_path / "history.duckdb"
    record_run(manifest("2026Q2"), history=store)
    proc = _holder(tmp_path, store, manifest("2026Q3"), "long", hold_s=30)
    try:
        with pytest.raises(HistoryLockedError, match=r"history.duckdb is in use .* 0.5 s"):
            record_run(manifest("2026Q4"), history=store, timeout_s=0.5)
    finally:
        proc.kill()
        proc.wait(timeout=30)


# --- the command line and the pack run --------------------------------------------------------


def test_history_command_answers_as_table_csv_and_json(tmp_path, capsys):
    import io
    import json as jsonlib

    from cio_analytics.cli import main

    store = tmp_path / "history.duckdb"
    record_run(manifest("2026Q3", landing=17.0e6), history=store)
    record_run(manifest("2026Q4", landing=17.3e6), history=store)
    assert main(["history", "--history", str(store), "--figure", "landing_p50"]) == 0
    table = capsys.readouterr().out
    assert "2026Q3" in table and "2026Q4" in table and "Landing" in table
    assert main(["history", "--history", str(store), "--from", "2026Q4", "--format", "csv"]) == 0
    csv = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert set(csv["period"]) == {"2026Q4"} and "landing_p50" in set(csv["figure"])
    assert main(["history", "--history", str(store), "--runs", "--format", "json"]) == 0
    runs = jsonlib.loads(capsys.readouterr().out)
    assert [r["period"] for r in runs] == ["2026Q3", "2026Q4"]
    assert main(["history", "--history", str(tmp_path / "none.duckdb")]) == 2
    assert "publish a pack first" in capsys.readouterr().err


def test_a_published_pack_is_in_the_history(quarterly_pack):
    """`cio-analytics run` adds what it published to <out>/history.duckdb."""
    _, _, folder = quarterly_pack
    frame = read_history(folder.parent / "history.duckdb", period_from=folder.name)
    published = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert set(frame["job"]) == {j["name"] for j in published["jobs"] if j["records"]}
    decision = frame[(frame["job"] == "budget-review") & (frame["figure"] == "decision")]
    budget = next(j for j in published["jobs"] if j["name"] == "budget-review")
    assert decision["text"].tolist() == [budget["records"]["decision"]["value"]]
