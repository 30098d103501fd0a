"""notebooks/service_continuity.ipynb runs clean under papermill and records its headline figures."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from cio_analytics.continuity import service_availability, service_from_spec
from cio_analytics.io import read_service_structure

papermill = pytest.importorskip("papermill")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "service_continuity.ipynb"


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
        parameters={"n_trials": 2_000, "option": "Warm standby DR site"},
        kernel_name="python3",
        cwd=str(ROOT),
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    text = "\n".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    assert text.startswith("**Fund *Warm standby DR site***")
    assert "also worth funding: *Second ISP link*" in text
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 1
    found = {}
    for line in records.read_text().splitlines():
        entry = json.loads(line)
        found[entry["name"]] = entry["value"]
    expected = service_availability(service_from_spec(read_service_structure(
        "data/sample/continuity/online_ordering.yaml")))  # fmt: skip
    assert found["availability"] == pytest.approx(expected.availability, rel=1e-12)
    assert found["decision_option"] == "Warm standby DR site" and found["fund_option"] is True
    assert found["option_npv"] > 0 and found["best_recovery_tier"] == "Warm standby"
    assert 0 < found["prob_sla_breach"] <= 1
