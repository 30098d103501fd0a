"""notebooks/project_delivery.ipynb runs clean under papermill and reports the library's figures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from _notebooks import count_charts, run_notebook

from cio_analytics.io import (
    read_evm_status,
    read_project_progress,
    read_project_register,
    read_project_tasks,
)
from cio_analytics.pipeline import load_pack
from cio_analytics.pipeline.params import read_schema
from cio_analytics.reporting.record import read_summary, summary_path
from cio_analytics.risk import Task, earned_value, project_outlook

papermill = pytest.importorskip("papermill")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "project_delivery.ipynb"


def test_committed_notebook_is_clean_and_in_the_quarterly_pack():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    lines = [line.lstrip() for c in code for line in c.source.splitlines()]
    assert not any(line.startswith(("def ", "class ")) or "lambda" in line for line in lines)
    schema = read_schema(NOTEBOOK)
    assert not schema.problems
    assert {"register_path", "n_trials", "seed", "max_probability_late"} <= {
        p.name for p in schema.params
    }
    job = {j.name: j for j in load_pack(ROOT / "notebooks" / "packs" / "quarterly.yaml").jobs}
    assert job["project-delivery"].title == (
        "Project delivery: running projects against their commitments"
    )


def test_runs_on_the_sample_projects(tmp_path, monkeypatch):
    text, found, outputs = run_notebook(NOTEBOOK, tmp_path, monkeypatch, n_trials=500)
    html = outputs[0]["data"]["text/html"]
    assert "cioa-summary" in html  # the decision comes first
    assert "Project delivery, status 30 Nov 2026" in html
    assert found["decision"] == "2 of 3 projects need attention"
    assert found["n_projects_attention"] == 2
    assert f"**{found['decision']}**: " in text
    # one section per project needing attention, none for the healthy one
    assert "## NIS2 compliance programme" in text and "## CRM consolidation" in text
    assert "## Service desk platform" not in text
    # Every chart is an image under a plain kernel too: the summary's (inline in its HTML), then
    # an S-curve and an EVM trend per project needing attention, each PNG with its alt text.
    assert count_charts(outputs) == 5
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pngs) == 4 and all(o["metadata"]["image/png"]["alt"] for o in pngs)
    assert not [o for o in outputs if o.get("data", {}).get("text/plain", "").startswith("<Figure")]
    # The figures are the library's for the same files, parameters and seed.
    reg = read_project_register("data/sample/projects/register.yaml")
    progress = read_project_progress("data/sample/projects/progress.csv")
    row = reg.projects.set_index("id").loc["REG01"]
    o = project_outlook(
        Task.from_table(read_project_tasks(row["tasks"])),
        progress[progress["project"] == "REG01"],
        status_date=reg.status_date, committed_date=row["committed_date"],
        budget=row["budget_at_completion"], holidays=reg.holidays, n_trials=500, rng=2026,
    )  # fmt: skip
    assert found["probability_on_time_REG01"] == pytest.approx(o.probability_on_time)
    assert found["cost_p80_REG01"] == pytest.approx(o.cost_p80)
    assert found["completion_date_p80_REG01"] == str(o.completion_date_p80)
    latest = earned_value(read_evm_status("data/sample/projects/evm_status.csv")).latest
    assert found["cpi_CRM01"] == pytest.approx(latest.loc["CRM01", "cpi"])
    # no raw floats, booleans or code names in what the board reads
    for bad in ("True", "False", "nan", "REG01", "slip_days", "criticality_index"):
        assert not re.search(rf"\b{bad}\b", text), bad
    # issue 13: the decision states the money at stake; money in EUR, shares as ".1%"
    summary = read_summary(summary_path(tmp_path / "records.jsonl"))
    assert summary["at_stake"] == pytest.approx(found["contingency_short"])
    assert summary["at_stake_label"] == "Contingency to fund"
    entries = [json.loads(line) for line in (tmp_path / "records.jsonl").read_text().splitlines()]
    assert all(e["fmt"] == ".1%" for e in entries if e.get("unit") == "%")
    assert all(
        e["unit"] == "EUR" for e in entries if e["name"].startswith(("cost_", "contingency"))
    )


def test_stricter_thresholds_flag_every_project(tmp_path, monkeypatch):
    _, found, _ = run_notebook(NOTEBOOK, tmp_path, monkeypatch, n_trials=300, min_cpi=1.2, top_n=3)
    assert found["decision"] == "3 of 3 projects need attention"
