"""notebooks/investment_case.ipynb runs clean under papermill, with and without a comparison."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _notebooks import count_charts, run_notebook

from cio_analytics.io import read_case, read_uncertain_case
from cio_analytics.reporting.formatting import format_percent
from cio_analytics.reporting.record import read_summary, summary_path, tables_path
from cio_analytics.risk import simulate_case, uncertainty_from_spec
from cio_analytics.valuation import InvestmentCase

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "investment_case.ipynb"


def run(tmp_path, monkeypatch, **parameters):
    return run_notebook(NOTEBOOK, tmp_path, monkeypatch, **parameters)


def entries(tmp_path):
    """The recorded figures in order, with their labels, units and formats."""
    lines = (tmp_path / "records.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines]


def check_units(tmp_path):
    """Issue 13: money recorded with the unit "EUR", shares with the format ".1%"."""
    for e in entries(tmp_path):
        if e.get("unit") == "%":
            assert e["fmt"] == ".1%", e
        if e.get("fmt") == ",.0f":
            assert e["unit"] == "EUR", e


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
    spec = uncertainty_from_spec(
        read_uncertain_case(
            "data/sample/uncertain_case.yaml", case="data/sample/cases/service_desk_platform.yaml"
        )
    )
    risk = simulate_case(
        case.replace(discount_rate=0.08, tax_rate=0.25),
        spec.uncertainty,
        100,
        basis=spec.basis,
        rng=2026,
    )
    assert found["probability_npv_positive"] == pytest.approx(1 - risk.probability_npv_negative)
    assert found["npv_p50"] == pytest.approx(risk.npv_p50)
    assert "chance the NPV is positive" in text
    # Issue 13: the plan (most likely values) against the simulated median and mean, explained
    # with the share of trials below the plan, counted from the trials.
    below = float((risk.simulation.outputs["npv"] < found["npv"]).mean())
    assert found["share_below_plan"] == pytest.approx(below)
    assert f"{format_percent(below)} of the 100 trials come out below the plan" in text
    assert "most likely amount" in text
    summary = read_summary(summary_path(tmp_path / "records.jsonl"))
    assert summary["at_stake"] == pytest.approx(found["tco"]) and found["tco"] > 0
    assert summary["at_stake_label"] == "Total cost of ownership (5 years)"
    check_units(tmp_path)
    # P10, P50 and P90 are recorded together, right after the plan's NPV (the index shows them)
    names = [e["name"] for e in entries(tmp_path)]
    assert names[names.index("npv") : names.index("npv") + 4] == [
        "npv",
        "npv_p10",
        "npv_p50",
        "npv_p90",
    ]


@pytest.mark.slow
def test_runs_a_build_vs_buy_comparison(tmp_path, monkeypatch):
    text, found, outputs = run(
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
    # Issue 13: the index showed the rejected Buy option's NPV under "Choose Lease": the chosen
    # option's figures come first, the other is labelled as not chosen.
    lease = InvestmentCase.from_spec(read_case("data/sample/cases/laptops_lease.yaml"))
    buy = InvestmentCase.from_spec(read_case("data/sample/cases/laptops_buy.yaml"))
    lease_r, buy_r = lease.evaluate(discount_rate=0.06), buy.evaluate(discount_rate=0.06)
    records = [e for e in entries(tmp_path) if e["name"] != "decision"]
    assert records[0]["name"] == "npv" and "Lease: 500 laptops (chosen)" in records[0]["label"]
    assert records[0]["value"] == pytest.approx(lease_r.npv)
    rejected = next(e for e in records if e["name"] == "npv_not_chosen")
    assert "Buy: 500 laptops (not chosen)" in rejected["label"]
    assert rejected["value"] == pytest.approx(buy_r.npv)
    assert found["tco"] == pytest.approx(lease_r.tco) and "irr" not in found
    summary = read_summary(summary_path(tmp_path / "records.jsonl"))
    assert summary["at_stake"] == pytest.approx(lease_r.tco)
    assert summary["key_numbers"][0]["figure"] == "NPV: Lease: 500 laptops (chosen)"
    check_units(tmp_path)
    # the comparison table has one unit per column: rates as percentages, not -0.47
    assert "-47.5 %" in "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    # the workbook gets both tables with a format per unit (IRR as a percentage)
    tables = {
        t["name"]: t
        for t in map(json.loads, tables_path(tmp_path / "records.jsonl").read_text().splitlines())
    }
    assert tables["comparison"]["formats"]["IRR"].startswith("percent")
    assert tables["comparison"]["formats"]["NPV (EUR)"] == "currency"
    assert tables["metrics"]["formats"] == {
        "amount": "currency",
        "rate": "percent:1",
        "years": "number:1",
    }
    # the "Key figures of the plan" section shows the case in case_path (Buy); so does its sheet
    assert tables["metrics"]["data"][0][:2] == ["NPV", pytest.approx(buy_r.npv)]
    assert 0.0 < found["break_even_rate"] < 0.06
    assert "the choice flips at a discount rate of" in text
