"""The what-if explorers without a browser: compute() against direct library calls, common random
numbers (a slider moved back gives the same numbers), the scenario writer, the widget's update.

The known answers are the library's own functions called directly on inputs scaled here by
hand (``InvestmentCase.evaluate``, ``simulate_case``, ``staffing_plan``, ``simulate_register``,
``simulate_fair``); the properties are exact consequences of linearity and of common random
numbers (the same uniforms for every setting), each stated on its test.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.io import (
    read_case,
    read_fair_scenarios,
    read_risk_appetite,
    read_risk_register,
    read_team_roster,
    read_ticket_history,
    read_uncertain_case,
)
from cio_analytics.reporting.decisions import investment_decision
from cio_analytics.reporting.explore import (
    InvestmentExplorer,
    RiskExplorer,
    StaffingExplorer,
    parse_change,
    relative_change,
    scaled_case,
    write_scenario,
)
from cio_analytics.reporting.formatting import format_money
from cio_analytics.risk import (
    FairScenario,
    Risk,
    simulate_case,
    simulate_fair,
    simulate_register,
    uncertainty_from_spec,
)
from cio_analytics.staffing import arrival_profile, staffing_plan
from cio_analytics.valuation import InvestmentCase

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
CASE = SAMPLE / "cases" / "service_desk_platform.yaml"
RANGES = SAMPLE / "uncertain_case.yaml"
N = 2_000
SEED = 11
HAS_WIDGETS = importlib.util.find_spec("ipywidgets") is not None


@pytest.fixture(scope="module")
def investment():
    return InvestmentExplorer.from_files(
        case_path=CASE, uncertainty_path=RANGES, n_trials=N, rng=SEED
    )


@pytest.fixture(scope="module")
def staffing():
    return StaffingExplorer.from_files(
        history_path=SAMPLE / "ticket_history.csv",
        roster_path=SAMPLE / "team_roster.csv",
        rng=SEED,
        hiring=False,
    )


@pytest.fixture(scope="module")
def risk():
    return RiskExplorer.from_files(
        register_path=SAMPLE / "risk_register.csv",
        fair_path=SAMPLE / "fair_scenarios.yaml",
        appetite_path=SAMPLE / "risk_appetite.csv",
        n_trials=N,
        rng=SEED,
    )


# ------------------------------------------------------------------------------ investment
def _scaled_by_hand(case: InvestmentCase, benefits: float, capex: float) -> InvestmentCase:
    items = []
    for item in case.line_items:
        k = {"benefit": benefits, "capex": capex}.get(item.kind, 1.0)
        items.append(dataclasses.replace(item, amount=item.amount * k))
    return case.replace(line_items=items)


def test_investment_compute_equals_the_valuation_and_risk_libraries(investment):
    """NPV, Monte Carlo and decision equal direct calls on the case scaled by hand."""
    view = investment.compute(benefits=0.8, capex=1.15, discount_rate=0.10)
    case = _scaled_by_hand(InvestmentCase.from_spec(read_case(CASE)), 0.8, 1.15)
    direct = case.evaluate(discount_rate=0.10)
    assert view.npv == pytest.approx(direct.npv, rel=1e-12, abs=1e-6)
    assert view.result.irr == pytest.approx(direct.irr, rel=1e-12)
    ranges = uncertainty_from_spec(read_uncertain_case(RANGES, case=CASE))
    mc = simulate_case(direct.case, ranges.uncertainty, N, basis=ranges.basis, rng=SEED)
    assert view.risk.npv_p10 == pytest.approx(mc.npv_p10, rel=1e-12)
    assert view.risk.probability_npv_negative == mc.probability_npv_negative
    decision = investment_decision(direct, mc, hurdle_rate=0.12, min_probability_positive=0.6)
    assert view.decision.sentence == decision.sentence
    # and by the formula: NPV = sum_t CF_t (1 + r)^-t with CF = a W
    cf = case.base_amounts @ case.cash_flow_weights().to_numpy()
    by_hand = float(np.sum(cf / 1.10 ** np.arange(cf.size)))
    assert view.npv == pytest.approx(by_hand, rel=1e-12)
    assert view.npv_text == format_money(direct.npv, "EUR", style="full")


@settings(max_examples=25, deadline=None)
@given(b=st.floats(0.0, 3.0), c=st.floats(0.0, 3.0))
def test_investment_npv_is_affine_in_each_factor(b, c):
    """Domain: factors in [0, 3]. The NPV is linear in the amounts, so
    NPV(b, c) = NPV(0, 0) + b (NPV(1, 0) - NPV(0, 0)) + c (NPV(0, 1) - NPV(0, 0)); tolerance:
    1e-9 of the largest term (a handful of roundings of sums of ~1e6)."""
    case = InvestmentCase.from_spec(read_case(CASE))

    def npv(bb, cc):
        return scaled_case(case, benefits=bb, capex=cc).evaluate().npv

    n00, n10, n01 = npv(0, 0), npv(1, 0), npv(0, 1)
    expected = n00 + b * (n10 - n00) + c * (n01 - n00)
    scale = max(abs(n00), abs(n10), abs(n01)) * 4
    assert npv(b, c) == pytest.approx(expected, abs=1e-9 * scale)


def test_investment_uses_common_random_numbers(investment):
    """Same draws for every setting: per trial, the NPV is affine in the benefits factor
    (exactly, up to rounding) only if every setting used the same uniforms."""
    trials = {
        b: investment.compute(benefits=b).risk.simulation.outputs["npv"].to_numpy()
        for b in (0.0, 0.7, 1.0)
    }
    expected = trials[0.0] + 0.7 * (trials[1.0] - trials[0.0])
    np.testing.assert_allclose(trials[0.7], expected, rtol=0, atol=1e-6 * np.abs(trials[1.0]).max())


def test_investment_slider_moved_back_gives_the_same_numbers(investment):
    first = investment.compute(benefits=0.85, capex=1.1)
    investment.compute(benefits=1.3, capex=0.9, discount_rate=0.05)
    again = investment.compute(benefits=0.85, capex=1.1)
    pd.testing.assert_frame_equal(first.summary(), again.summary())
    assert first.decision.sentence == again.decision.sentence


def test_investment_cases_are_the_yaml_cases_of_the_folder(investment):
    names = set(investment.cases)
    assert "Service desk platform" in names and len(names) >= 3
    # a case the ranges do not fit is explored at plan, without a Monte Carlo
    plain = [n for n, (_, ranges) in investment.cases.items() if ranges is None]
    assert plain, "the sample ranges name service-desk line items only"
    view = investment.compute(case=plain[0])
    assert view.risk is None and view.n_trials == 0


def test_investment_refuses_out_of_range_factors(investment):
    with pytest.raises(
        ParameterError, match=r"`benefits` must be a factor of the plan in \[0, 3\]"
    ):
        investment.compute(benefits=5)
    with pytest.raises(ParameterError, match="`case` 'Nope' is not loaded"):
        investment.compute(case="Nope")


# ------------------------------------------------------------------------------- staffing
def test_staffing_compute_equals_staffing_plan(staffing):
    """FTE, agents and cost equal staffing_plan on the forecast grown with the library's own
    growth argument and the handle time rescaled by hand."""
    view = staffing.compute(
        growth=0.1, handle_time_s=420, target_service_level=0.85, answer_time_s=30, shrinkage=0.35
    )
    profile = arrival_profile(read_ticket_history(SAMPLE / "ticket_history.csv"), weeks=12)
    forecast = profile.forecast_table("2026-03-30", growth=0.1)
    base = profile.forecast_table("2026-03-30")
    mean = (base["calls"] * base["handle_time_s"]).sum() / base["calls"].sum()
    forecast["handle_time_s"] = forecast["handle_time_s"] * 420 / mean
    cost = read_team_roster(SAMPLE / "team_roster.csv").loc["Service desk"]
    plan = staffing_plan(
        forecast,
        target_service_level=0.85,
        answer_time_s=30,
        max_occupancy=0.85,
        shrinkage=0.35,
        hours_per_fte_week=37.5,
        cost_per_fte_year=cost["employee_cost_per_fte_year"],
    )
    assert view.fte_needed == pytest.approx(plan.total_fte, rel=1e-12)
    assert view.plan.peak_agents == plan.peak_agents
    assert view.plan.annual_cost == pytest.approx(plan.annual_cost, rel=1e-12)
    np.testing.assert_array_equal(
        view.plan.detail["agents_scheduled"].to_numpy(), plan.detail["agents_scheduled"].to_numpy()
    )
    assert view.calls_per_week == pytest.approx(1.1 * base["calls"].sum(), rel=1e-12)
    assert view.fte_text == f"{plan.total_fte:,.1f} FTE"


def test_staffing_more_volume_never_needs_fewer_fte(staffing):
    """Erlang C: more offered load at the same targets never needs fewer agents."""
    fte = [staffing.compute(growth=g).fte_needed for g in (-0.2, 0.0, 0.2, 0.5)]
    assert fte == sorted(fte) and fte[0] < fte[-1]


def test_staffing_slider_moved_back_gives_the_same_numbers(staffing):
    first = staffing.compute(shrinkage=0.25, answer_time_s=15)
    staffing.compute(shrinkage=0.45, answer_time_s=60)
    pd.testing.assert_frame_equal(
        first.summary(), staffing.compute(shrinkage=0.25, answer_time_s=15).summary()
    )


# ----------------------------------------------------------------------------------- risk
def test_risk_at_plan_equals_the_register_and_fair_libraries(risk):
    """Frequency and magnitude 100 %, mitigations as planned: the library's own runs."""
    view = risk.compute()
    appetite = read_risk_appetite(SAMPLE / "risk_appetite.csv")
    risks = Risk.from_table(read_risk_register(SAMPLE / "risk_register.csv"))
    reg = simulate_register(risks, N, percentile=0.9, appetite=appetite, currency="EUR", rng=SEED)
    assert view.expected_loss == pytest.approx(reg.expected_loss, rel=1e-12)
    assert view.register.loss_at_percentile == pytest.approx(reg.loss_at_percentile, rel=1e-12)
    assert view.register.expected_loss_after == pytest.approx(reg.expected_loss_after, rel=1e-12)
    spec = read_fair_scenarios(SAMPLE / "fair_scenarios.yaml")
    for got, (s, c) in zip(view.fair, FairScenario.from_spec(spec), strict=True):
        want = simulate_fair(s, N, controls=c, appetite=appetite, currency="EUR", rng=SEED)
        assert got.expected_ale == pytest.approx(want.expected_ale, rel=1e-12)


@pytest.mark.parametrize("m", [0.5, 1.3, 2.0])
def test_risk_magnitude_scales_every_loss_exactly(risk, m):
    """Common random numbers: the same uniforms through a scaled quantile function give m
    times each year's loss, so the expected loss and the P90 scale by exactly m."""
    base, view = risk.compute(), risk.compute(magnitude=m)
    np.testing.assert_allclose(
        view.register.total_before, m * base.register.total_before, rtol=1e-12
    )
    assert view.register.loss_at_percentile == pytest.approx(
        m * base.register.loss_at_percentile, rel=1e-12
    )
    for a, b in zip(view.fair, base.fair, strict=True):
        assert a.expected_ale == pytest.approx(m * b.expected_ale, rel=1e-9)


def test_risk_expected_loss_follows_the_exact_formula(risk):
    """E[annual loss] = sum min(1, f p) m E[I] (probability risks) + f lambda m E[I]
    (frequency risks); the simulated mean agrees within 4 standard errors."""
    f, m = 1.5, 1.2
    view = risk.compute(frequency=f, magnitude=m)
    exact = 0.0
    for r in risk.risks:
        chance = min(1.0, f * r.probability) if r.basis == "probability" else f * r.frequency
        exact += chance * m * r.impact.mean()
    se = view.register.total_before.std() / np.sqrt(N)
    assert abs(view.expected_loss - exact) < 4 * se


def test_risk_ineffective_mitigations_change_nothing(risk):
    """control_effectiveness 0: after mitigation = before, year by year (same uniforms)."""
    view = risk.compute(control_effectiveness=0.0, frequency=1.2)
    np.testing.assert_allclose(view.register.total_after, view.register.total_before, rtol=1e-12)


def test_risk_slider_moved_back_gives_the_same_numbers(risk):
    first = risk.compute(frequency=1.4)
    risk.compute(frequency=0.6, magnitude=2.0)
    pd.testing.assert_frame_equal(first.summary(), risk.compute(frequency=1.4).summary())


def test_risk_overrides_are_relative_changes(risk):
    assert risk.overrides({"frequency": 150, "magnitude": 100, "control_effectiveness": 50}) == {
        "frequency": "+50 %",
        "control_effectiveness": 0.5,
    }


# ------------------------------------------------------------------------- save as scenario
@settings(max_examples=50, deadline=None)
@given(x=st.floats(0.0, 3.0))
def test_relative_change_round_trips_to_a_tenth_of_a_percent(x):
    """Domain: factors in [0, 3]; the text keeps one decimal of the percentage."""
    assert abs(parse_change(relative_change(x)) - x) <= 0.0005 + 1e-12


def test_write_scenario_merges_without_losing_others(tmp_path):
    path = tmp_path / "scenarios" / "explorer.yaml"
    path.parent.mkdir()
    path.write_text("base: {n_trials: 5000}\nvariants:\n  kept: {capex: '+10 %'}\n")
    write_scenario(path, "pessimistic", {"benefits": "-20 %", "discount_rate": np.float64(0.1)})
    write_scenario(path, "kept2", {"growth": 0.2})
    write_scenario(path, "pessimistic", {"benefits": "-25 %"})  # replaced, not duplicated
    data = yaml.safe_load(path.read_text())
    assert data == {
        "base": {"n_trials": 5000},
        "variants": {
            "kept": {"capex": "+10 %"},
            "pessimistic": {"benefits": "-25 %"},
            "kept2": {"growth": 0.2},
        },
    }


def test_write_scenario_refuses_a_bad_name_and_keeps_the_file(tmp_path):
    path = tmp_path / "s.yaml"
    write_scenario(path, "a", {"capex": "+1 %"})
    before = path.read_text()
    for bad in ("", "  ", "base", "x/y", None):
        with pytest.raises(ParameterError, match="scenario name"):
            write_scenario(path, bad, {"capex": "+2 %"})
    assert path.read_text() == before


def test_explorer_overrides_round_trip_through_the_file(investment, tmp_path):
    values = {"case": investment.default_case, "benefits": 80, "capex": 115, "discount_rate": 10.0}
    path = write_scenario(tmp_path / "s.yaml", "pessimistic", investment.overrides(values))
    saved = yaml.safe_load(path.read_text())["variants"]["pessimistic"]
    assert saved == {"benefits": "-20 %", "capex": "+15 %", "discount_rate": 0.1}
    settings_back = {
        "benefits": parse_change(saved["benefits"]),
        "capex": parse_change(saved["capex"]),
        "discount_rate": saved["discount_rate"],
    }
    assert (
        investment.compute(**settings_back).npv
        == investment.compute(benefits=0.8, capex=1.15, discount_rate=0.1).npv
    )
    assert (
        investment.overrides({**values, "benefits": 100, "capex": 100, "discount_rate": 8.0}) == {}
    )


# ---------------------------------------------------------------------------- the widgets
@pytest.mark.skipif(not HAS_WIDGETS, reason="ipywidgets not installed (the explore extra)")
def test_widget_updates_the_readout_in_place(investment, tmp_path):
    """Setting a slider's value (what the browser does on release) replaces the readout and the
    summary of the same widgets with the new setting's figures."""
    import ipywidgets as w

    investment.scenarios_path = tmp_path / "scenarios.yaml"
    page = investment.widget()
    found = {type(c).__name__: c for c in page.children[0].children[0].children}
    (readout,) = page.children[0].children[1].children
    summary = page.children[1]
    benefits = next(
        c for c in page.children[0].children[0].children
        if isinstance(c, w.IntSlider) and c.description.startswith("Benefits")
    )  # fmt: skip
    assert "(% of plan)" in benefits.description and not benefits.continuous_update
    assert investment.compute().npv_text in readout.value
    benefits.value = 70
    assert investment.compute(benefits=0.7).npv_text in readout.value
    assert "Executive summary" in summary.value
    row = next(c for c in found.values() if isinstance(c, w.HBox))
    name, save = row.children
    name.value = "low benefits"
    save.click()
    saved = yaml.safe_load((tmp_path / "scenarios.yaml").read_text())
    assert saved["variants"]["low benefits"] == {"benefits": "-30 %"}


# ------------------------------------------------------------------- the risk distributions
@settings(max_examples=40, deadline=None)
@given(
    low=st.floats(1.0, 1e6),
    spread=st.floats(0.1, 10.0),
    mode_at=st.floats(0.05, 0.95),
    factor=st.floats(0.01, 100.0),
    q=st.floats(0.001, 0.999),
)
def test_scaled_is_the_same_quantiles_times_the_factor(low, spread, mode_at, factor, q):
    """Domain: PERT(a, m, b) with 0 < a < m < b, factor in [0.01, 100], q in [0.001, 0.999].
    Known answer: the PERT mean (a + 4m + b) / 6 (Malcolm et al. 1959) times the factor;
    ppf scales by the factor and cdf(ppf(q)) = q (to 1e-9, the round trip's conditioning)."""
    from cio_analytics.reporting.explore import Scaled
    from cio_analytics.risk import PERT

    high = low * (1 + spread)
    mode = low + mode_at * (high - low)
    base = PERT(low, mode, high)
    s = Scaled(base, factor)
    assert s.mean() == pytest.approx(factor * (low + 4 * mode + high) / 6, rel=1e-9)
    assert s.var() == pytest.approx(factor**2 * base.var(), rel=1e-12)
    assert float(s.ppf(q)) == pytest.approx(factor * float(base.ppf(q)), rel=1e-12)
    assert float(s.cdf(s.ppf(q))) == pytest.approx(q, abs=1e-9)


@pytest.mark.parametrize("w", [0.0, 0.25, 0.5, 1.0])
def test_blend_moves_each_quantile_and_the_mean_linearly(w):
    """(1 - w) ppf_A + w ppf_B at every q; the mean is the same blend of the means (exact)."""
    from cio_analytics.reporting.explore import Blend
    from cio_analytics.risk import PERT, Triangular

    a, b = PERT(100, 400, 1500), Triangular(50, 150, 500)
    blend = Blend(a, b, w)
    q = np.linspace(0.01, 0.99, 25)
    np.testing.assert_allclose(blend.ppf(q), (1 - w) * a.ppf(q) + w * b.ppf(q), rtol=1e-12)
    assert blend.mean() == pytest.approx((1 - w) * a.mean() + w * b.mean(), rel=1e-12)
    with pytest.raises(ParameterError, match="`weight` must be a share"):
        Blend(a, b, 1.5)


def test_scaled_risks_cap_probabilities_at_one(risk):
    """A probability scaled above 1 is certain, never more; frequencies are not capped."""
    from cio_analytics.reporting.explore import scaled_risks

    out = scaled_risks(risk.risks, frequency=10.0)
    for before, after in zip(risk.risks, out, strict=True):
        if before.basis == "probability":
            assert after.probability == min(1.0, 10 * before.probability)
        else:
            assert after.frequency == pytest.approx(10 * before.frequency, rel=1e-15)
    with pytest.raises(ParameterError, match=r"`control_effectiveness` must lie in \[0, 1\]"):
        scaled_risks(risk.risks, control_effectiveness=1.2)
