"""notebooks/risk_review.ipynb runs clean under papermill and records its headline figures."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

papermill = pytest.importorskip("papermill")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "risk_review.ipynb"


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
        parameters={"n_trials": 5_000, "max_expected_loss": 100_000.0},
        kernel_name="python3",
        cwd=str(ROOT),
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    text = "\n".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    assert "**Outside appetite**: the register's expected annual loss" in text  # above 100k
    assert "is above the EUR 100k limit" in text
    # The executive summary is the report's first output (nothing printed before it).
    assert "cioa-summary" in outputs[0]["data"]["text/html"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    found = {}
    for line in records.read_text().splitlines():
        entry = json.loads(line)
        found[entry["name"]] = entry["value"]
    assert found["within_appetite"] is False
    # issue 17: the fitted overrun distribution is named with its AIC and used below
    assert f"Cost overruns fitted: **{found['overrun_family']}**, AIC" in text
    assert found["overrun_family"] == "LogNormal"
    assert (
        found["register_p_level"]
        > found["register_expected_loss"]
        > found["register_expected_loss_after"]
    )
    assert found["fair_total_ale"] > 0 and found["n_fair_breaches"] >= 1
