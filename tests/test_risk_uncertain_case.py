"""Uncertain investment cases: agreement with the deterministic case, linearity, IRR status."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cio_analytics.exceptions import DataFileError, ParameterError
from cio_analytics.io import read_uncertain_case
from cio_analytics.risk import PERT, Discrete, Uniform, simulate_case, uncertainty_from_spec
from cio_analytics.valuation import InvestmentCase, LineItem, npv


def _case():
    return InvestmentCase(
        "x", [LineItem("Build", "capex", 1000), LineItem("Gain", "benefit", 300)],
        horizon_years=5, discount_rate=0.10,
    )  # fmt: skip


def test_base_matches_evaluate_and_mean_is_linear():
    """NPV is linear in the amounts, so E[NPV] = NPV at the mean amounts exactly; the base NPV
    equals InvestmentCase.evaluate() (137.24 for -1000 then 5 x 300 at 10 %, Excel
    NPV(10%, 300 x5) - 1000). 50,000 LHS trials, seed 1, tolerance 0.5."""
    case = _case()
    res = simulate_case(
        case, {"Build": PERT(900, 1000, 1300), "Gain": Uniform(250, 350)}, 50_000, rng=1
    )
    assert res.npv_base == pytest.approx(case.evaluate().npv) == pytest.approx(137.24, abs=0.005)
    exact_mean = npv(0.10, [-PERT(900, 1000, 1300).mean()] + [300.0] * 5)
    assert res.npv_mean == pytest.approx(exact_mean, abs=0.5)
    assert res.irr_undefined_share == 0.0
    # per trial: NPV of -build then gain x5
    s = res.simulation.samples
    np.testing.assert_allclose(
        res.simulation.outputs["npv"], npv(0.10, np.column_stack([-s["build"]] + [s["gain"]] * 5))
    )


def test_irr_undefined_share_and_payback_never():
    """Trials whose benefit is 0 (a multiplier of 0 with probability 0.3) have flows with no
    sign change: IRR undefined (numpy-financial / Excel return NaN / #NUM!) and no payback.
    With Latin hypercube the share is 0.3 up to one stratum."""
    case = _case()
    zero = simulate_case(
        case, {"Gain": Discrete([0.0, 1.0], [0.3, 0.7])}, 1_000, basis="multiplier", rng=3
    )
    assert zero.irr_undefined_share == pytest.approx(0.3, abs=0.002)
    assert zero.payback_never_share == pytest.approx(0.3, abs=0.002)
    assert zero.irr_p50 == pytest.approx(0.15238, abs=1e-4)  # IRR of -1000, 300 x5
    assert zero.irr_status.set_index("status").loc["undefined", "share"] == zero.irr_undefined_share
    res = simulate_case(case, {"Gain": Uniform(250, 600)}, 20_000, basis="amount", rng=2)
    # payback in the undisturbed half: 1000 / gain years
    pay = res.simulation.outputs["payback_years"].to_numpy()
    gain = res.simulation.samples["gain"].to_numpy()
    ok = gain > 250
    np.testing.assert_allclose(pay[ok], 1000 / gain[ok])


def test_multiplier_basis_and_sensitivity():
    case = _case()
    res = simulate_case(case, {"Build": PERT(0.9, 1.0, 1.5), "Gain": PERT(0.8, 1.0, 1.1)}, 10_000,
                        basis="multiplier", rng=4)  # fmt: skip
    tornado = res.sensitivity()
    assert set(tornado["input"]) == {"Build", "Gain"}
    assert tornado.set_index("input").loc["Gain", "spearman"] > 0
    assert list(res.summary().columns) == ["metric", "value", "unit"]


def test_sample_file_and_errors():
    spec = uncertainty_from_spec(
        read_uncertain_case(
            "data/sample/uncertain_case.yaml", case="data/sample/cases/service_desk_platform.yaml"
        )
    )
    res = simulate_case(spec.case, spec.uncertainty, 2_000, basis=spec.basis, rng=5)
    assert 0 < res.probability_npv_negative < 1
    with pytest.raises(ParameterError, match="Did you mean 'Build'"):
        simulate_case(_case(), {"Biuld": PERT(1, 2, 3)}, 10)
    with pytest.raises(ParameterError, match="distribution"):
        simulate_case(_case(), {"Build": 5.0}, 10)
    with pytest.raises(ParameterError, match="basis"):
        simulate_case(_case(), {"Build": PERT(1, 2, 3)}, 10, basis="multipler")
    corr = pd.DataFrame([[1, 0.5], [0.5, 1]], index=["Build", "Gain"], columns=["Build", "Gain"])
    res = simulate_case(_case(), {"Build": PERT(900, 1000, 1300), "Gain": Uniform(250, 350)}, 5_000,
                        correlation=corr, rng=6)  # fmt: skip
    assert res.simulation.correlation.achieved.iloc[0, 1] == pytest.approx(0.5, abs=0.05)


# ---------------------------------------------------------------- ranges follow the case in use
SAMPLE_CASE = "data/sample/cases/service_desk_platform.yaml"
SAMPLE_RANGES = "data/sample/uncertain_case.yaml"


def _other_case(tmp_path, name="Service desk platform"):
    """The sample case re-planned: capex 420k -> 300k, productivity benefit 340k -> 500k (the
    plan of issue 12, whose page showed the sample's P10-P90 beside its own NPV)."""
    text = open(SAMPLE_CASE, encoding="utf-8").read()
    text = text.replace("amount: 420000", "amount: 300000").replace(
        "amount: 340000", "amount: 500000"
    )
    text = text.replace("name: Service desk platform", f"name: {name}")
    path = tmp_path / "replanned.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _notebook_library_path(case_path, uncertainty_path, n_trials=4000, seed=2026):
    """What notebooks/investment_case.ipynb calls, in the same order and with the same arguments."""
    from cio_analytics.io import read_case

    case = InvestmentCase.from_spec(read_case(case_path))
    result = case.evaluate()
    ranges = uncertainty_from_spec(read_uncertain_case(uncertainty_path, case=case_path))
    risk = simulate_case(result.case, ranges.uncertainty, n_trials, basis=ranges.basis, rng=seed)
    return result, risk


def test_notebook_ranges_follow_another_case(tmp_path):
    """Issue 12: with another case_path the P10-P90 must be computed from that case. Check per
    trial that the NPV is the re-planned case's NPV at the drawn factors times its own
    planned amounts (independent of the engine: cash_flow_matrix then npv)."""
    other = _other_case(tmp_path)
    result, risk = _notebook_library_path(other, SAMPLE_RANGES)
    case = result.case
    amounts = dict(zip(case.item_names, case.base_amounts, strict=True))
    assert (
        amounts["Platform implementation"] == 300_000 and amounts["Agent productivity"] == 500_000
    )
    assert risk.npv_base == pytest.approx(result.npv)
    factors = np.ones((risk.n_trials, len(case.item_names)))
    for k, item in enumerate(case.item_names):
        if item in risk.inputs_map:
            factors[:, k] = risk.simulation.samples[risk.inputs_map[item]].to_numpy()
    per_trial = npv(case.period_rate, case.cash_flow_matrix(multipliers=factors))
    for p, got in ((0.1, risk.npv_p10), (0.5, risk.npv_p50), (0.9, risk.npv_p90)):
        assert got == pytest.approx(np.quantile(per_trial, p), rel=1e-12)
    # and not the sample plan's: its whole P10-P90 band lies below the re-planned NPV's P10
    _, sample = _notebook_library_path(SAMPLE_CASE, SAMPLE_RANGES)
    assert sample.npv_p90 < risk.npv_p10
    assert risk.npv_p10 < result.npv < risk.npv_p90


def test_ranges_for_items_the_case_lacks_are_refused_naming_them(tmp_path):
    ranges = tmp_path / "r.yaml"
    ranges.write_text(
        "basis: factor\nuncertainty:\n"
        "  Platform implementation: {distribution: pert, low: 0.9, most_likely: 1, high: 1.5}\n"
        "  Cloud migration: {distribution: pert, low: 0.9, most_likely: 1, high: 1.5}\n"
        "  Vendor exit: {distribution: uniform, low: 0.5, high: 1.5}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match="does not have: 'Cloud migration', 'Vendor exit'"):
        read_uncertain_case(ranges, case=SAMPLE_CASE)
    with pytest.raises(ParameterError, match="does not have: 'Cloud'"):
        simulate_case(_case(), {"Cloud": PERT(1, 2, 3)})


def test_a_file_bound_to_another_case_is_refused(tmp_path):
    other = _other_case(tmp_path)
    bound = tmp_path / "bound.yaml"
    bound.write_text(
        f"case_path: {SAMPLE_CASE}\nbasis: factor\nuncertainty:\n"
        "  Data migration: {distribution: pert, low: 0.8, most_likely: 1, high: 2}\n",
        encoding="utf-8",
    )
    assert read_uncertain_case(bound)["case"].name == "Service desk platform"
    with pytest.raises(DataFileError, match="bound to the case file"):
        read_uncertain_case(bound, case=other)
    named = tmp_path / "named.yaml"
    named.write_text(
        "case_name: Identity platform\nbasis: factor\nuncertainty:\n"
        "  Data migration: {distribution: pert, low: 0.8, most_likely: 1, high: 2}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match="bound to case 'Identity platform'"):
        read_uncertain_case(named, case=SAMPLE_CASE)


def test_absolute_amounts_only_where_stated_and_bound(tmp_path):
    rng = "  Platform implementation: {distribution: pert, low: 380000, most_likely: 420000, high: 650000}\n"
    loose = tmp_path / "loose.yaml"
    loose.write_text("basis: amount\nuncertainty:\n" + rng, encoding="utf-8")
    with pytest.raises(DataFileError, match="does not name its case"):
        read_uncertain_case(loose, case=SAMPLE_CASE)
    bound = tmp_path / "bound.yaml"
    bound.write_text(
        "case_name: Service desk platform\nbasis: amount\nuncertainty:\n" + rng, encoding="utf-8"
    )
    assert read_uncertain_case(bound, case=SAMPLE_CASE)["basis"] == "amount"
    # same case name, re-planned amounts: the plan (300k) lies outside the absolute range
    with pytest.raises(DataFileError, match=r"planned amount 300000 .* lies outside"):
        read_uncertain_case(bound, case=_other_case(tmp_path))
    missing = tmp_path / "missing.yaml"
    missing.write_text("uncertainty:\n" + rng, encoding="utf-8")
    with pytest.raises(DataFileError, match="must hold `basis:`"):
        read_uncertain_case(missing, case=SAMPLE_CASE)
    with pytest.raises(DataFileError, match="does not say which case"):
        read_uncertain_case(SAMPLE_RANGES)


def test_percent_basis_equals_factor_basis(tmp_path):
    """Percentages of the planned amount are factors times 100 (domain: the sample ranges)."""
    pct = tmp_path / "pct.yaml"
    pct.write_text(
        "basis: percent\nuncertainty:\n"
        "  Data migration: {distribution: pert, low: 75, most_likely: 100, high: 200}\n",
        encoding="utf-8",
    )
    got = read_uncertain_case(pct, case=SAMPLE_CASE)
    assert got["basis"] == "multiplier"
    sample = read_uncertain_case(SAMPLE_RANGES, case=SAMPLE_CASE)
    want = sample["uncertainty"]["Data migration"]
    assert got["uncertainty"]["Data migration"]["distribution"] == want["distribution"] == "pert"
    for k in ("low", "most_likely", "high"):
        assert got["uncertainty"]["Data migration"][k] == pytest.approx(want[k], rel=1e-15)
