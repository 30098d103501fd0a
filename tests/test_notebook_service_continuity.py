"""notebooks/service_continuity.ipynb runs clean under papermill and records its headline figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from _notebooks import count_charts, run_notebook

from cio_analytics.continuity import service_availability, service_from_spec
from cio_analytics.io import read_service_structure

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "service_continuity.ipynb"


@pytest.mark.slow
def test_runs_with_small_parameters(tmp_path, monkeypatch):
    text, found, outputs = run_notebook(
        NOTEBOOK, tmp_path, monkeypatch, n_trials=2_000, option="Warm standby DR site"
    )
    assert text.startswith("# Service continuity") and "**Fund “Warm standby DR site”**" in text
    assert "also worth funding: “Second ISP link”" in text
    assert count_charts(outputs) >= 1
    expected = service_availability(service_from_spec(read_service_structure(
        "data/sample/continuity/online_ordering.yaml")))  # fmt: skip
    assert found["availability"] == pytest.approx(expected.availability, rel=1e-12)
    assert found["decision_option"] == "Warm standby DR site" and found["fund_option"] is True
    assert found["option_npv"] > 0 and found["best_recovery_tier"] == "Warm standby"
    assert 0 < found["prob_sla_breach"] <= 1
