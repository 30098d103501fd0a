"""notebooks/sourcing_decision.ipynb runs clean under papermill and records its headline figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from _notebooks import count_charts, run_notebook

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "sourcing_decision.ipynb"


def run(tmp_path, monkeypatch, **parameters):
    return run_notebook(NOTEBOOK, tmp_path, monkeypatch, **{"n_trials": 200, **parameters})


@pytest.mark.slow
def test_sample_decision(tmp_path, monkeypatch):
    text, found, outputs = run(tmp_path, monkeypatch)
    assert text.startswith("# Sourcing decision") and "**Choose Vendor B**" in text
    assert "the ranking holds unless the" in text and "weight is" in text
    assert found["recommended_offer"] == found["best_scored_offer"] == "Vendor B"
    assert found["best_pv_p10"] < found["best_pv_mean"] < found["best_pv_p90"]
    assert found["inhouse_pv_mean"] > found["best_pv_mean"]
    assert found["outsourcing_saving"] == pytest.approx(
        found["inhouse_pv_mean"] - found["best_pv_mean"]
    )
    assert found["sla_credits_due"] == pytest.approx(149440.0)  # the sample's 18 months
    assert count_charts(outputs) >= 1


@pytest.mark.slow
def test_cheap_inhouse_flips_make_or_buy(tmp_path, monkeypatch):
    text, found, _ = run(
        tmp_path, monkeypatch, cost_per_fte_year=25000.0, inhouse_fixed_cost_per_year=0.0
    )
    assert "Keeping the service in-house is cheaper still" in text
    assert found["outsourcing_saving"] < 0 and found["p_inhouse_cheaper"] > 0.5
