"""notebooks/sourcing_decision.ipynb runs clean under papermill and records its headline figures."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from cio_analytics.reporting.params import read_schema

papermill = pytest.importorskip("papermill")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "sourcing_decision.ipynb"


def run(tmp_path, monkeypatch, **parameters):
    records = tmp_path / "records.jsonl"
    monkeypatch.setenv("CIO_ANALYTICS_RECORD_FILE", str(records))
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"n_trials": 200, **parameters},
        kernel_name="python3",
        cwd=str(ROOT),
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    text = "\n".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    found = {}
    for line in records.read_text().splitlines():
        entry = json.loads(line)
        found[entry["name"]] = entry["value"]
    return text, found, outputs


def test_committed_notebook_is_clean():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert not any(
        line.lstrip().startswith(("def ", "class ")) for c in code for line in c.source.splitlines()
    )
    schema = read_schema(NOTEBOOK)
    assert schema.problems == ()
    assert {"offers_path", "sla_path", "seed", "n_trials", "currency"} <= set(schema.names)


def test_sample_decision(tmp_path, monkeypatch):
    text, found, outputs = run(tmp_path, monkeypatch)
    assert text.startswith("**Choose Vendor B**")
    assert "the ranking holds unless the" in text and "weight is" in text
    assert found["recommended_offer"] == found["best_scored_offer"] == "Vendor B"
    assert found["best_pv_p10"] < found["best_pv_mean"] < found["best_pv_p90"]
    assert found["inhouse_pv_mean"] > found["best_pv_mean"]
    assert found["outsourcing_saving"] == pytest.approx(
        found["inhouse_pv_mean"] - found["best_pv_mean"]
    )
    assert found["sla_credits_due"] == pytest.approx(149440.0)  # the sample's 18 months
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 1


def test_cheap_inhouse_flips_make_or_buy(tmp_path, monkeypatch):
    text, found, _ = run(
        tmp_path, monkeypatch, cost_per_fte_year=25000.0, inhouse_fixed_cost_per_year=0.0
    )
    assert "Keeping the service in-house is cheaper still" in text
    assert found["outsourcing_saving"] < 0 and found["p_inhouse_cheaper"] > 0.5
