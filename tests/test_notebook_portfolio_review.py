"""notebooks/portfolio_review.ipynb runs clean under papermill and records its headline figures."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

papermill = pytest.importorskip("papermill")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "portfolio_review.ipynb"


def test_committed_notebook_is_clean():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
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
        parameters={"n_trials": 2_000, "n_scenarios": 60, "n_frontier_points": 3},
        kernel_name="python3",
        cwd=str(ROOT),
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    text = "\n".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    assert "**Fund " in text and "proved optimal" in text and "less budget" in text
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 1
    found = {}
    for line in records.read_text().splitlines():
        entry = json.loads(line)
        found[entry["name"]] = entry["value"]
    assert found["value_p_low"] < found["expected_value"] < found["value_p_high"]
    assert 0 < found["budget_share_used"] <= 1 and found["mip_gap"] == 0
    assert found["n_dropped_at_cut"] >= 1 and found["value_lost_at_cut"] > 0
