"""notebooks/budget_review.ipynb runs clean under papermill and records its headline figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from _notebooks import run_notebook

from cio_analytics.budget import landing_forecast
from cio_analytics.io import read_actuals, read_budget, read_commitments

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "budget_review.ipynb"


@pytest.mark.slow
def test_runs_with_small_parameters(tmp_path, monkeypatch):
    text, found, _ = run_notebook(NOTEBOOK, tmp_path, monkeypatch, n_trials=1_000)
    assert "landing at EUR" in text and "chance of overrun" in text
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
