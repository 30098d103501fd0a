"""Uncertain investment cases: agreement with the deterministic case, linearity, IRR status."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cio_analytics.exceptions import ParameterError
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
    spec = uncertainty_from_spec(read_uncertain_case("data/sample/uncertain_case.yaml"))
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
