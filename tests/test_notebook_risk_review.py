"""notebooks/risk_review.ipynb runs clean under papermill and records its headline figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from _notebooks import count_charts, run_notebook

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
    assert count_charts(outputs) >= 1
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
