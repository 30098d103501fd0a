"""notebooks/risk_review.ipynb runs clean under papermill and records its headline figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from _notebooks import run_notebook

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "risk_review.ipynb"


@pytest.mark.slow
def test_runs_with_small_parameters(tmp_path, monkeypatch):
    text, found, outputs = run_notebook(
        NOTEBOOK, tmp_path, monkeypatch, n_trials=5_000, max_expected_loss=100_000.0
    )
    assert "**Outside appetite**: the register's expected annual loss" in text  # above 100k
    assert "is above the EUR 100k limit" in text
    # The executive summary is the report's first output (nothing printed before it).
    assert "cioa-summary" in outputs[0]["data"]["text/html"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert found["within_appetite"] is False
    assert (
        found["register_p_level"]
        > found["register_expected_loss"]
        > found["register_expected_loss_after"]
    )
    assert found["fair_total_ale"] > 0 and found["n_fair_breaches"] >= 1
