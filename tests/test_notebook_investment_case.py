"""notebooks/investment_case.ipynb runs clean under papermill, with and without a comparison."""

from __future__ import annotations

from pathlib import Path

import pytest
from _notebooks import count_charts, run_notebook

from cio_analytics.io import read_case, read_uncertain_case
from cio_analytics.risk import simulate_case, uncertainty_from_spec
from cio_analytics.valuation import InvestmentCase

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "investment_case.ipynb"


def run(tmp_path, monkeypatch, **parameters):
    return run_notebook(NOTEBOOK, tmp_path, monkeypatch, **parameters)


@pytest.mark.slow
def test_runs_with_defaults(tmp_path, monkeypatch):
    text, found, outputs = run(tmp_path, monkeypatch, n_trials=100)
    # The executive summary opens with the decision; the rule uses the thresholds passed in.
    assert "# Investment case: Service desk platform" in text
    chance = found["probability_npv_positive"]
    assert found["decision"] == ("Proceed" if chance >= 0.6 else "Do not proceed")
    assert f"**{found['decision']}**: " in text
    assert found["npv"] > 0 and found["irr"] > 0.12
    assert count_charts(outputs) >= 1
    assert "cioa-summary" in outputs[0]["data"]["text/html"]  # the summary comes first
    assert "comparison_preferred" not in found
    # The Monte Carlo figures are the library's for the same parameters and seed.
    case = InvestmentCase.from_spec(read_case("data/sample/cases/service_desk_platform.yaml"))
    _, ranges, basis = uncertainty_from_spec(
        read_uncertain_case(
            "data/sample/uncertain_case.yaml", case="data/sample/cases/service_desk_platform.yaml"
        )
    )
    risk = simulate_case(
        case.replace(discount_rate=0.08, tax_rate=0.25), ranges, 100, basis=basis, rng=2026
    )
    assert found["probability_npv_positive"] == pytest.approx(1 - risk.probability_npv_negative)
    assert found["npv_p50"] == pytest.approx(risk.npv_p50)
    assert "chance the NPV is positive" in text


@pytest.mark.slow
def test_runs_a_build_vs_buy_comparison(tmp_path, monkeypatch):
    text, found, _ = run(
        tmp_path,
        monkeypatch,
        case_path="data/sample/cases/laptops_buy.yaml",
        comparison_case_path="data/sample/cases/laptops_lease.yaml",
        uncertainty_path="",
        discount_rate=0.06,
        hurdle_rate=0.1,
        n_trials=100,
    )
    assert "**Choose “Lease: 500 laptops”**: its NPV at 6.0 % is" in text
    assert "Buy: 500 laptops on its own: do not proceed" in text
    assert found["decision"] == "Choose “Lease: 500 laptops”"
    assert found["comparison_preferred"] == "Lease: 500 laptops"
    assert 0.0 < found["break_even_rate"] < 0.06
    assert "the choice flips at a discount rate of" in text
