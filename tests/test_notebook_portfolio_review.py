"""notebooks/portfolio_review.ipynb runs clean under papermill and records its headline figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from _notebooks import count_charts, run_notebook

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "portfolio_review.ipynb"


@pytest.mark.slow
def test_runs_with_small_parameters(tmp_path, monkeypatch):
    text, found, outputs = run_notebook(
        NOTEBOOK, tmp_path, monkeypatch, n_trials=2_000, n_scenarios=60, n_frontier_points=3
    )
    assert "**Fund " in text and "proved optimal" in text and "less budget" in text
    assert count_charts(outputs) >= 1
    assert found["value_p_low"] < found["expected_value"] < found["value_p_high"]
    assert 0 < found["budget_share_used"] <= 1 and found["mip_gap"] == 0
    assert found["n_dropped_at_cut"] >= 1 and found["value_lost_at_cut"] > 0
