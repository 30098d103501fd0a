"""notebooks/investment_case.ipynb runs clean under papermill, with and without a comparison."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from _notebooks import count_charts, run_notebook

from cio_analytics.io import read_case, read_uncertain_case
from cio_analytics.reporting.decisions import investment_decision
from cio_analytics.reporting.formatting import format_percent
from cio_analytics.reporting.record import read_summary, read_tables, summary_path, tables_path
from cio_analytics.risk import simulate_case, uncertainty_from_spec
from cio_analytics.valuation import (
    InvestmentCase,
    compare_cases,
    irr_break_even,
    npv_break_even,
    probability_break_even,
)

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "investment_case.ipynb"


def run(tmp_path, monkeypatch, **parameters):
    return run_notebook(NOTEBOOK, tmp_path, monkeypatch, **parameters)


def entries(tmp_path):
    """The recorded figures in order, with their labels, units and formats."""
    lines = (tmp_path / "records.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines]


def key(name: str) -> str:
    """The record name of an input's break-even value (``break_even_<input>``)."""
    return "break_even_" + re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def with_amount(case: InvestmentCase, item: str, amount: float) -> InvestmentCase:
    """``case`` with one line item's planned amount set to ``amount``."""
    items = [
        dataclasses.replace(i, amount=amount) if i.name == item else i for i in case.line_items
    ]
    return case.replace(line_items=items)


def decision_at(case, spec, item, amount, n_trials):
    """The notebook's decision re-evaluated with ``item`` planned at ``amount``."""
    moved = with_amount(case, item, amount)
    risk = simulate_case(moved, spec.uncertainty, n_trials, basis=spec.basis, rng=2026)
    result = moved.evaluate()
    return investment_decision(
        result, risk, hurdle_rate=0.12, min_probability_positive=0.6
    ).decision


def check_break_even_with_ranges(tmp_path, found, text, case, spec, n_trials):
    """Issue 14: per uncertain line item, the recorded break-even is where the first of the
    decision's three tests fails: the library's NPV = 0, IRR = hurdle and P(NPV > 0) = 60 %
    break-evens (same trials, same seed), the nearest to plan on the side the decision holds;
    re-evaluated there, the decision is "Proceed" just inside it and not just past it."""
    items = list(spec.uncertainty)
    tests = [
        npv_break_even(case, inputs=items),
        irr_break_even(case, 0.12, inputs=items),
        probability_break_even(case, spec.uncertainty, required_probability=0.6,
                               n_trials=n_trials, basis=spec.basis, rng=2026),
    ]  # fmt: skip
    assert "## What would change the decision" in text
    for item in items:
        values = [t[item].break_even_value for t in tests if t[item].found]
        cost = tests[0][item].holds_while == "below"
        expected = min(values) if cost else max(values)
        assert found[key(item)] == pytest.approx(expected, rel=1e-9), item
        inside, past = (1 - 1e-6, 1 + 1e-6) if cost else (1 + 1e-6, 1 - 1e-6)
        assert decision_at(case, spec, item, expected * inside, n_trials) == "Proceed", item
        assert decision_at(case, spec, item, expected * past, n_trials) == "Do not proceed"
    sheet = read_tables(tables_path(tmp_path / "records.jsonl"))["break_even"].frame
    assert set(sheet["Input"]) == set(items)
    assert set(sheet["Figure"]) == {"Plan", "Break-even", "Margin"}
    entries_ = {e["name"]: e for e in entries(tmp_path)}
    assert all(entries_[key(i)]["unit"] == "EUR" for i in items)
    # the most fragile input is flagged in the summary when under 20 % of its plan
    margins = {i: abs(found[key(i)] / case.base_amounts[case.item_names.index(i)] - 1)
               for i in items}  # fmt: skip
    fragile = min(margins, key=margins.get)
    flags = " ".join(read_summary(summary_path(tmp_path / "records.jsonl"))["flags"])
    assert ("A move of less than 20 % flips the decision" in flags) == (margins[fragile] < 0.2)
    if margins[fragile] < 0.2:
        assert fragile.lower() in flags.lower()


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
    check_break_even_with_ranges(
        tmp_path, found, text, case.replace(discount_rate=0.08, tax_rate=0.25), spec, 100
    )


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
    # Issue 14, plan-only choice: every line item of both options where the choice flips, the
    # library's npv_break_even against the other option's NPV; re-evaluated there, the choice
    # holds just inside the break-even and flips just past it.
    assert "## What would change the decision" in text
    tests = [
        (npv_break_even(lease_r.case, threshold=buy_r.npv, inputs=lease.item_names), lease_r),
        (npv_break_even(buy_r.case, threshold=lease_r.npv, inputs=buy.item_names), buy_r),
    ]
    for analysis, option in tests:
        for be in analysis.results:
            assert found[key(be.input)] == pytest.approx(be.break_even_value, rel=1e-9)
            holds = be.holds_while  # where the chosen Lease stays preferred
            if option is buy_r:  # the rejected option: the choice holds on the other side
                holds = {"above": "below", "below": "above"}[holds]
            inside = 1 + 1e-6 if holds == "above" else 1 - 1e-6
            for step, chosen in ((inside, "Lease"), (2 - inside, "Buy")):
                moved = with_amount(option.case, be.input, be.break_even_value * step)
                pair = (buy_r.case, moved) if option is lease_r else (moved, lease_r.case)
                preferred = compare_cases(*pair, discount_rate=0.06).preferred
                assert preferred.startswith(chosen), (be.input, step, preferred)
