"""notebooks/budget_review.ipynb runs clean under papermill and records its headline figures."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from cio_analytics.budget import landing_forecast
from cio_analytics.io import read_actuals, read_budget, read_commitments

papermill = pytest.importorskip("papermill")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "budget_review.ipynb"


def test_committed_notebook_is_clean():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert not any(
        line.lstrip().startswith(("def ", "class ")) for c in code for line in c.source.splitlines()
    )
    assert [c.id for c in nb.cells] == [f"cell-{i:02d}" for i in range(1, len(nb.cells) + 1)]


def test_runs_with_small_parameters(tmp_path, monkeypatch):
    records = tmp_path / "records.jsonl"
    monkeypatch.setenv("CIO_ANALYTICS_RECORD_FILE", str(records))
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"n_trials": 1_000},
        kernel_name="python3",
        cwd=str(ROOT),
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    text = "\n".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    assert "landing at EUR" in text and "chance of overrun" in text
    found = {}
    for line in records.read_text().splitlines():
        entry = json.loads(line)
        found[entry["name"]] = entry["value"]
    # the notebook's figures are the library's figures for the same inputs and seed
    fc = landing_forecast(
        read_budget("data/sample/budget.csv"),
        read_actuals("data/sample/actuals.csv"),
        read_commitments("data/sample/commitments.csv"),
        n_trials=1_000,
        rng=2026,
    )
    assert found["landing_p50"] == pytest.approx(fc.landing_p50, rel=1e-12)
    assert found["probability_of_overrun"] == pytest.approx(fc.probability_of_overrun)
    assert found["landing_p10"] <= found["landing_p50"] <= found["landing_p90"]
    assert found["decision"] in {"On track", "Adjust", "Escalate"}
    assert found["recommended_cut"] >= 0 and found["spend_per_employee"] > 0
