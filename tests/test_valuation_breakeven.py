"""Break-even values of an investment case: closed forms, the IRR rule, Monte Carlo with CRN."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.risk import PERT, Uniform, simulate_case
from cio_analytics.valuation import (
    BreakEven,
    BreakEvenAnalysis,
    InvestmentCase,
    LineItem,
    find_root,
    irr,
    irr_break_even,
    npv,
    npv_break_even,
    probability_break_even,
)


def _annuity(n: int, r: float) -> float:
    return (1.0 - (1.0 + r) ** -n) / r


def _case(capex=1000.0, benefit=300.0, years=5, rate=0.10, **kw) -> InvestmentCase:
    items = [LineItem("Build", "capex", capex), LineItem("Savings", "benefit", benefit)]
    return InvestmentCase("Example", items, horizon_years=years, discount_rate=rate, **kw)


def _npv_with(case: InvestmentCase, item: str, amount: float, rate: float | None = None) -> float:
    amounts = case.base_amounts.copy()
    amounts[case.item_names.index(item)] = amount
    return float(npv(case.period_rate if rate is None else rate, case.cash_flow_matrix(amounts)))


def test_level_annuity_benefit_is_capex_over_the_annuity_factor():
    """Brealey, Myers & Allen, Principles of Corporate Finance, ch. 2: the 5-year annuity
    factor at 10 % is 3.791 (their table), so the benefit at which PV equals a 1,000 capex is
    1,000 / 3.7908 = 263.80 a year; and the capex at which NPV = 0 is 300 x 3.7908 = 1,137.24."""
    res = npv_break_even(_case())
    assert isinstance(res, BreakEvenAnalysis) and isinstance(res["Savings"], BreakEven)
    assert round(_annuity(5, 0.10), 3) == 3.791
    savings, build = res["Savings"], res["Build"]
    assert savings.break_even_value == pytest.approx(1000 / _annuity(5, 0.10), rel=1e-12)
    assert build.break_even_value == pytest.approx(300 * _annuity(5, 0.10), rel=1e-12)
    assert savings.status == build.status == "found"
    assert (savings.holds_while, build.holds_while) == ("above", "below")
    assert savings.relative_change == pytest.approx(263.797481 / 300 - 1, rel=1e-6)
    assert savings.metric_at_base == pytest.approx(137.236031, rel=1e-8)
    assert savings.decision_holds_at_base
    assert (savings.unit, build.unit) == ("EUR per year", "EUR")  # recurring, one-off


def test_discount_rate_break_even_is_the_irr():
    """NPV(r) = 0 at the IRR. Excel RATE(5, 300, -1000) = 15.2382 % (by hand: 300 x a(5, r)
    = 1,000 at r = 0.152382), the same as the library's irr of the flows."""
    be = npv_break_even(_case(), inputs=["discount_rate"])["discount_rate"]
    assert be.break_even_value == pytest.approx(0.152382, abs=1e-6)
    assert be.break_even_value == pytest.approx(float(irr([-1000] + [300] * 5)), abs=1e-10)
    assert be.holds_while == "below" and be.unit == "per year"


def test_irr_hurdle_break_even_is_the_annuity_at_the_hurdle():
    """IRR = h for conventional flows exactly when NPV at h = 0 (Brealey-Myers ch. 5): the
    benefit is capex / a(5, 12 %) = 1,000 / 3.6048 = 277.41, and the IRR of the case at that
    benefit is 12 %."""
    res = irr_break_even(_case(), 0.12)
    be = res["Savings"]
    assert be.break_even_value == pytest.approx(1000 / _annuity(5, 0.12), rel=1e-12)
    flows = [-1000.0] + [be.break_even_value] * 5
    assert float(irr(flows)) == pytest.approx(0.12, abs=1e-10)
    assert be.metric_at_base == pytest.approx(float(irr([-1000] + [300] * 5)), abs=1e-12)
    assert be.criterion == "irr" and be.threshold == 0.12
    assert "discount_rate" not in res.inputs


def test_monthly_case_with_tax_reaches_npv_zero():
    """A monthly case with tax and depreciation: the break-even amount gives NPV 0 (the model
    is linear in an amount, so the solver's interpolation is exact up to rounding)."""
    case = InvestmentCase(
        "Monthly",
        [
            LineItem("Build", "capex", 50_000),
            LineItem("Run", "opex_recurring", 800),
            LineItem("Savings", "benefit", 3_000),
        ],
        horizon_years=3, discount_rate=0.08, periods_per_year=12, tax_rate=0.25,
        depreciation_years=3,
    )  # fmt: skip
    for be in npv_break_even(case, inputs=["Build", "Run", "Savings"]).results:
        assert be.status == "found"
        assert abs(_npv_with(case, be.input, be.break_even_value)) < 1e-6


def test_no_flip_in_range_and_no_effect():
    """A benefit that cannot repay the capex within 10 x plan has no break-even; an item of
    amount 0 does not move the NPV."""
    case = InvestmentCase(
        "Hopeless",
        [LineItem("Build", "capex", 1e6), LineItem("Savings", "benefit", 100),
         LineItem("Extra", "licence", 0)],
        horizon_years=3,
    )  # fmt: skip
    res = npv_break_even(case, inputs=["Savings", "Extra"])
    assert res["Savings"].status == "no flip in range"
    assert np.isnan(res["Savings"].break_even_value) and res["Savings"].holds_while == ""
    assert not res["Savings"].decision_holds_at_base
    assert res["Extra"].status == "no effect"
    assert list(res.summary()["input"]) == ["Savings", "Extra"]


def test_unknown_input_says_did_you_mean():
    with pytest.raises(ParameterError, match=r"(?i)did you mean 'Savings'"):
        npv_break_even(_case(), inputs=["Saving"])
    with pytest.raises(ParameterError, match="search_factors"):
        npv_break_even(_case(), search_factors=(5, 1))
    with pytest.raises(ParameterError, match="no break-even for input"):
        npv_break_even(_case())["nothing"]


def test_find_root_known_roots_and_no_sign_change():
    """sqrt(2), 3 and no real root of x^2 + 1 on [0, 4]."""
    x, status = find_root(lambda x: x**2 - np.array([2.0, 9.0, -1.0]), 0.0, 4.0)
    np.testing.assert_allclose(x[:2], [np.sqrt(2.0), 3.0], rtol=1e-12)
    assert np.isnan(x[2]) and status.tolist() == ["found", "found", "no flip in range"]


@settings(max_examples=60, deadline=None)
@given(
    capex=st.floats(1e3, 1e7),
    opex_share=st.floats(0.0, 0.5),
    benefit_ratio=st.floats(0.05, 1.0),
    years=st.integers(1, 15),
    rate=st.floats(0.0, 0.3),
    tax=st.floats(0.0, 0.5),
)
def test_npv_is_zero_at_every_break_even(capex, opex_share, benefit_ratio, years, rate, tax):
    """Domain: positive capex, recurring opex and benefit, 1-15 years, rates 0-30 %, tax 0-50 %.
    Wherever a break-even is found, NPV there is 0 within 1e-9 of the case's gross PV (the
    condition of a sum of terms of that size), and the decision holds on the stated side."""
    case = InvestmentCase(
        "P",
        [LineItem("Build", "capex", capex), LineItem("Run", "opex_recurring", capex * opex_share),
         LineItem("Savings", "benefit", capex * benefit_ratio)],
        horizon_years=years, discount_rate=rate, tax_rate=tax, depreciation_years=years,
    )  # fmt: skip
    scale = capex * (1.0 + (opex_share + benefit_ratio) * years)
    for be in npv_break_even(case, inputs=["Build", "Run", "Savings"]).results:
        if be.status != "found":
            continue
        assert abs(_npv_with(case, be.input, be.break_even_value)) <= 1e-9 * scale
        step = 1e-3 * max(be.break_even_value, 1.0)
        side = be.break_even_value + (step if be.holds_while == "above" else -step)
        assert _npv_with(case, be.input, side) > 0
        # the plan is on the holding side exactly when the decision holds at plan
        on_side = (be.base_value >= be.break_even_value) == (be.holds_while == "above")
        if abs(be.metric_at_base) > 1e-9 * scale:
            assert on_side == be.decision_holds_at_base


def test_probability_uses_the_trials_of_simulate_case():
    """Common random numbers: with the same seed and trials, the share at plan is
    1 - simulate_case's P(NPV < 0) (no trial has NPV exactly 0)."""
    case = _case()
    unc = {"Savings": PERT(200, 300, 350), "Build": PERT(900, 1000, 1300)}
    res = probability_break_even(case, unc, required_probability=0.8, n_trials=5000, rng=7)
    sim = simulate_case(case, unc, 5000, rng=7)
    for be in res.results:
        assert be.metric_at_base == pytest.approx(1.0 - sim.probability_npv_negative, abs=1e-12)
    assert res.seed == 7 and res.n_trials == 5000


def test_probability_break_even_for_a_uniform_benefit_closed_form():
    """Savings ~ Uniform(200, 400) scaled by s: P(NPV > 0) = P(s X > b0) with b0 = 1,000 /
    a(5, 10 %) = 263.80, so P = p at s = b0 / q_{1-p}(X), q_{0.2} = 240: s = 1.09915 and
    the planned level 300 moves to 329.75. Latin hypercube with 20,000 trials puts the
    sample quantile within 1/20,000 of the range of the exact one."""
    case = _case()
    res = probability_break_even(
        case, {"Savings": Uniform(200, 400)}, required_probability=0.8, n_trials=20_000, rng=3
    )
    be = res["Savings"]
    b0 = 1000 / _annuity(5, 0.10)
    assert be.break_even_value == pytest.approx(300 * b0 / 240.0, rel=2e-4)
    # P(X > b0) for X ~ U(200, 400): (400 - 263.80) / 200 = 0.681 < 0.8: the plan misses it
    assert be.metric_at_base == pytest.approx((400 - b0) / 200, abs=2e-3)
    assert not be.decision_holds_at_base and be.holds_while == "above"


@settings(max_examples=15, deadline=None)
@given(p=st.floats(0.05, 0.95), seed=st.integers(0, 2**31))
def test_probability_threshold_is_crossed_at_the_break_even(p, seed):
    """Domain: required probabilities 5-95 %, any seed. The share of trials with NPV > 0 is
    below p just on the losing side of the break-even and at least p just on the holding side
    (a step function: the break-even is its jump)."""
    case = _case()
    unc = {"Savings": PERT(150, 300, 400), "Build": PERT(800, 1000, 1400)}
    res = probability_break_even(case, unc, required_probability=p, n_trials=2000, rng=seed)
    sim = simulate_case(case, unc, 2000, rng=seed)
    npv_t = sim.simulation.outputs["npv"].to_numpy()
    for be in res.results:
        if be.status != "found":
            continue
        k = case.item_names.index(be.input)
        w = case.cash_flow_weights().to_numpy()[k]
        unit_pv = float(npv(case.period_rate, w))
        draws = sim.simulation.samples[sim.inputs_map[be.input]].to_numpy()
        s = be.break_even_value / be.base_value
        eps = 1e-7
        up, down = (s * (1 + eps), s * (1 - eps))
        hold, lose = (up, down) if be.holds_while == "above" else (down, up)
        pv_k = draws * unit_pv
        assert np.mean(npv_t + (hold - 1.0) * pv_k > 0) >= p
        assert np.mean(npv_t + (lose - 1.0) * pv_k > 0) < p


@settings(max_examples=40, deadline=None)
@given(
    capex=st.floats(1e3, 1e6),
    benefit_ratio=st.floats(0.05, 1.0),
    years=st.integers(2, 10),
    hurdle=st.floats(0.01, 0.4),
    monthly=st.booleans(),
)
def test_irr_equals_the_hurdle_at_every_break_even(capex, benefit_ratio, years, hurdle, monthly):
    """Domain: capex now, a level benefit after it (one sign change: a conventional case),
    yearly or monthly periods, hurdles 1-40 %. At a found break-even the case's annual IRR
    is the hurdle within 1e-8 (the IRR solver's own tolerance is far below)."""
    ppy = 12 if monthly else 1
    case = InvestmentCase(
        "P",
        [LineItem("Build", "capex", capex), LineItem("Savings", "benefit", capex * benefit_ratio / ppy)],
        horizon_years=years, periods_per_year=ppy,
    )  # fmt: skip
    for be in irr_break_even(case, hurdle).results:
        if be.status != "found":
            continue
        amounts = case.base_amounts.copy()
        amounts[case.item_names.index(be.input)] = be.break_even_value
        per = float(irr(case.cash_flow_matrix(amounts)))
        assert (1.0 + per) ** ppy - 1.0 == pytest.approx(hurdle, abs=1e-8)


def test_probability_with_multipliers_matches_simulate_case():
    """basis="multiplier": the same trials as simulate_case, and the break-even amount is the
    planned amount times the factor found."""
    case = _case()
    unc = {"Savings": PERT(0.6, 1.0, 1.2)}
    res = probability_break_even(
        case, unc, required_probability=0.5, basis="multiplier", n_trials=4000, rng=11
    )
    sim = simulate_case(case, unc, 4000, basis="multiplier", rng=11)
    be = res["Savings"]
    assert be.metric_at_base == pytest.approx(1.0 - sim.probability_npv_negative, abs=1e-12)
    assert be.base_value == 300.0 and be.status == "found"
    # the median trial breaks even: s * median(M) * 300 = b0 = 263.80
    draws = sim.simulation.samples["savings"].to_numpy()
    b0 = 1000 / _annuity(5, 0.10)
    assert be.break_even_value * np.median(draws) == pytest.approx(b0, rel=2e-3)


def test_npv_threshold_finds_where_a_choice_between_two_flips():
    """Buy (capex 900 now) against a lease of L a year paid at the end of years 1-3, at 6 %, no
    tax: the NPVs are -900 and -L a(3, 6 %) (annuity factor 2.6730, Brealey-Myers ch. 2), so
    the lease payment at which both cost the same is 900 / 2.6730 = 336.70, and the buy price
    at which they do for L = 320 is 320 x 2.6730 = 855.36."""
    a = _annuity(3, 0.06)
    buy = InvestmentCase("Buy", [LineItem("Kit", "capex", 900.0)], horizon_years=3,
                         discount_rate=0.06)  # fmt: skip
    lease = InvestmentCase("Lease", [LineItem("Fee", "opex_recurring", 320.0, start=1)],
                           horizon_years=3, discount_rate=0.06)  # fmt: skip
    fee = npv_break_even(lease, threshold=-900.0, inputs=["Fee"])["Fee"]
    kit = npv_break_even(buy, threshold=-320.0 * a, inputs=["Kit"])["Kit"]
    assert fee.break_even_value == pytest.approx(900.0 / a, rel=1e-9)
    assert round(fee.break_even_value, 2) == 336.70
    assert (fee.holds_while, fee.decision_holds_at_base) == ("below", True)
    assert kit.break_even_value == pytest.approx(320.0 * a, rel=1e-9)
    assert round(kit.break_even_value, 2) == 855.36
    assert (kit.holds_while, kit.decision_holds_at_base) == ("below", False)
    assert kit.metric_at_base == pytest.approx(-900.0)
    assert kit.threshold == pytest.approx(-320.0 * a)
    with pytest.raises(ParameterError, match="threshold"):
        npv_break_even(buy, threshold=float("nan"))
