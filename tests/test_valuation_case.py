"""The investment case model and the comparison of two cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics import ParameterError
from cio_analytics.valuation import (
    CaseComparison,
    CaseResult,
    InvestmentCase,
    LineItem,
    compare_cases,
    irr,
    npv,
)


def small_case(**changes) -> InvestmentCase:
    settings_ = {
        "name": "Hand-worked",
        "line_items": [
            LineItem("Server", "capex", 900),
            LineItem("Licence", "licence", 100, escalation=0.10),
            LineItem("Savings", "benefit", 500),
        ],
        "horizon_years": 3,
        "discount_rate": 0.10,
        "tax_rate": 0.30,
        "depreciation_years": 3,
    }
    settings_.update(changes)
    return InvestmentCase(**settings_)


def test_hand_worked_case_with_tax_and_depreciation():
    """Worked by hand. Horizon 3 years, 10 %, tax 30 %, capex 900 now depreciated straight
    line over years 1-3 (300 a year), licence 100 from year 1 growing 10 % a year, benefit 500
    from year 1.

    period       0      1      2       3
    capex     -900      0      0       0
    licence      0   -100   -110    -121
    benefit      0    500    500     500
    taxable      0    100     90      79   (500 - licence - 300)
    tax          0    -30    -27   -23.7
    net       -900    370    363   355.3
    NPV = -900 + 370/1.1 + 363/1.21 + 355.3/1.331 = -900 + 336.3636 + 300 + 266.9421 = 3.3058
    payback: cumulative -900, -530, -167, 188.3 -> 2 + 167/355.3 = 2.4700 years
    TCO = 900 + 100 + 110 + 121 = 1231; discounted TCO = 900 + 3 x 90.9091 = 1172.7273
    EAC = 1172.7273 x 0.1 / (1 - 1.1^-3) = 471.5710
    """
    result = small_case().evaluate()
    table = result.cash_flows
    np.testing.assert_allclose(table["capex"], [-900, 0, 0, 0])
    np.testing.assert_allclose(table["licence"], [0, -100, -110, -121])
    np.testing.assert_allclose(table["benefit"], [0, 500, 500, 500])
    np.testing.assert_allclose(table["depreciation"], [0, 300, 300, 300])
    np.testing.assert_allclose(table["tax"], [0, -30, -27, -23.7])
    np.testing.assert_allclose(table["net"], [-900, 370, 363, 355.3])
    np.testing.assert_allclose(table["cumulative"], [-900, -530, -167, 188.3])
    assert result.npv == pytest.approx(3.305785, abs=1e-6)
    assert result.payback_years == pytest.approx(2 + 167 / 355.3)
    assert result.tco == pytest.approx(1231.0)
    assert result.discounted_tco == pytest.approx(900 + 3 * 100 / 1.1)
    assert result.eac == pytest.approx(471.5710, abs=1e-4)
    assert result.irr == pytest.approx(irr([-900, 370, 363, 355.3]))
    assert result.irr_status == "ok"
    assert result.npv == pytest.approx(npv(result.irr, [-900, 370, 363, 355.3]) + result.npv)


def test_defaults_start_duration_and_no_tax():
    """Worked by hand: without tax, capex 1000 now and a benefit of 300 a year (years 1-5)
    at 10 % give NPV = 300 x 3.790787 - 1000 = 137.24 and payback 3 + 100/300 years. A one-off
    opex runs one period; a recurring line runs from period 1 to the horizon."""
    case = InvestmentCase(
        "x",
        [LineItem("Build", "capex", 1000), LineItem("Gain", "benefit", 300)],
        horizon_years=5,
        discount_rate=0.10,
    )
    result = case.evaluate()
    assert result.npv == pytest.approx(300 * 3.7907867694 - 1000, abs=1e-6)
    assert result.payback_years == pytest.approx(3 + 100 / 300)
    items = [LineItem("Fee", "opex_one_off", 50, start=2), LineItem("Run", "staff", 10, duration=2)]
    table = InvestmentCase("y", items, horizon_years=4).cash_flow_table()
    np.testing.assert_allclose(table["opex_one_off"], [0, 0, -50, 0, 0])
    np.testing.assert_allclose(table["staff"], [0, -10, -10, 0, 0])


def test_monthly_periods():
    """Worked by hand: monthly, 12 %/year -> (1.12)^(1/12) - 1 a month; a licence of 10 a month
    from month 1 for 24 months escalating 10 %/year costs 12 x 10 + 12 x 11 = 252; IRR and
    payback are reported per year."""
    case = InvestmentCase(
        "m",
        [
            LineItem("Licence", "licence", 10, escalation=0.10, duration=24),
            LineItem("Setup", "capex", 100),
            LineItem("Gain", "benefit", 20),
        ],
        horizon_years=2,
        discount_rate=0.12,
        periods_per_year=12,
    )
    assert case.n_periods == 25
    assert case.period_rate == pytest.approx(1.12 ** (1 / 12) - 1)
    result = case.evaluate()
    assert -result.cash_flows["licence"].sum() == pytest.approx(252.0)
    net = result.cash_flows["net"].to_numpy()
    assert result.npv == pytest.approx(npv(case.period_rate, net))
    assert result.irr == pytest.approx((1 + irr(net)) ** 12 - 1)
    # cumulative: -100, then +10 a month for 12 months, +9 after -> payback 10 months
    assert result.payback_years == pytest.approx(10 / 12)


def test_cash_flow_matrix_is_the_table_and_scales():
    case = small_case()
    base = case.cash_flow_matrix()
    np.testing.assert_allclose(base, case.cash_flow_table()["net"])
    mult = np.array([[1.0, 1.0, 1.0], [1.1, 0.9, 0.8], [0.0, 0.0, 1.0]])
    by_mult = case.cash_flow_matrix(multipliers=mult)
    by_amount = case.cash_flow_matrix(amounts=mult * case.base_amounts)
    np.testing.assert_allclose(by_mult, by_amount)
    assert by_mult.shape == (3, case.n_periods)
    for row, m in zip(by_mult, mult, strict=True):  # reference: rebuild each case one by one
        items = [
            LineItem(i.name, i.kind, i.amount * f, i.start, i.duration, i.escalation)
            for i, f in zip(case.line_items, m, strict=True)
        ]
        np.testing.assert_allclose(row, case.replace(line_items=items).cash_flow_table()["net"])
    assert list(case.cash_flow_weights().index) == case.item_names


def test_cash_flow_matrix_bad_shapes():
    case = small_case()
    with pytest.raises(ParameterError, match="one column per line item"):
        case.cash_flow_matrix(amounts=np.ones((5, 2)))
    with pytest.raises(ParameterError, match="not both"):
        case.cash_flow_matrix(amounts=[1, 2, 3], multipliers=[1, 1, 1])


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: LineItem("a", "capx", 1), "Did you mean 'capex'"),
        (lambda: LineItem("a", "staff", 1, duration=-2), "duration` must be at least 1"),
        (lambda: LineItem("a", "staff", 1, escalation=3), "use 0.03 for 3 %"),
        (lambda: LineItem("a", "staff", "lots"), "amount` must hold numbers"),
        (lambda: LineItem("a", "staff", 1, depreciation_years=3), "only capex is depreciated"),
        (lambda: small_case(tax_rate=25), "use 0.25 for 25 %"),
        (lambda: small_case(discount_rate=8), "use 0.08 for 8 %"),
        (lambda: small_case(periods_per_year=4), "`periods_per_year` must be 1"),
        (lambda: small_case(currency="euro"), "3-letter code"),
        (lambda: small_case(line_items=[LineItem("a", "capex", 1, start=9)]), "after the horizon"),
        (lambda: small_case(line_items=[LineItem("a", "capex", 1)] * 2), "must be unique"),
        (lambda: small_case(line_items=[]), "non-empty"),
        (lambda: small_case().evaluate(currency="USD"), "not converted"),
    ],
)
def test_bad_input_raises(make, match):
    with pytest.raises(ParameterError, match=match):
        make()


def test_overrides_and_summary():
    case = small_case()
    result = case.evaluate(discount_rate=0.0, tax_rate=0.0)
    assert isinstance(result, CaseResult)
    assert result.case.discount_rate == 0.0
    assert result.npv == pytest.approx(-900 - 331 + 1500)
    summary = result.summary()
    assert list(summary.columns) == ["metric", "value", "unit"]
    assert summary.set_index("metric").loc["npv", "value"] == result.npv
    assert result.currency == "EUR"
    with pytest.raises(AttributeError):
        result.npv = 0.0  # frozen


def test_costs_only_case_has_no_irr():
    case = InvestmentCase("c", [LineItem("Run", "staff", 100)], horizon_years=3)
    result = case.evaluate()
    assert np.isnan(result.irr)
    assert result.irr_status == "no sign change"
    assert np.isnan(result.payback_years)
    assert np.isnan(result.discounted_payback_years)
    late = InvestmentCase(
        "late",
        [LineItem("Build", "capex", 100, start=1), LineItem("Gain", "benefit", 80, start=2)],
        horizon_years=3,
        discount_rate=0.0,
    ).evaluate()
    # flows 0, -100, 80, 80: cumulative reaches 0 a quarter into period 3 -> 2.25 years
    assert late.payback_years == pytest.approx(2.25)
    assert late.discounted_payback_years == pytest.approx(2.25)


def test_compare_build_vs_buy_by_hand():
    """Worked by hand, no tax, 8 %: build = -500 now and -20 a year (years 1-5); buy = -140 a
    year. Annuity factor a(8 %, 5) = 3.992710. NPV(build) = -500 - 20a = -579.85,
    NPV(buy) = -140a = -558.98; incremental flows (buy - build) = +500, -120 x 5, NPV
    500 - 120a = 20.87 > 0: buy is preferred by 20.87. Equal NPVs where a(r, 5) = 500/120
    = 4.1667: r = 6.40 % (below it building wins)."""
    build = InvestmentCase(
        "Build",
        [LineItem("Build", "capex", 500), LineItem("Run", "opex_recurring", 20)],
        horizon_years=5,
        discount_rate=0.08,
    )
    buy = InvestmentCase(
        "Buy", [LineItem("Subscription", "licence", 140)], horizon_years=5, discount_rate=0.08
    )
    cmp = compare_cases(build, buy)
    assert isinstance(cmp, CaseComparison)
    annuity = (1 - 1.08**-5) / 0.08
    assert cmp.base.npv == pytest.approx(-500 - 20 * annuity)
    assert cmp.alternative.npv == pytest.approx(-140 * annuity)
    assert cmp.npv_difference == pytest.approx(500 - 120 * annuity)
    assert cmp.npv_difference == pytest.approx(20.87, abs=0.005)
    assert cmp.preferred == "Buy"
    assert cmp.advantage == pytest.approx(cmp.npv_difference)
    np.testing.assert_allclose(cmp.cash_flows["incremental"], [500, -120, -120, -120, -120, -120])
    r = cmp.break_even_rate
    assert r == pytest.approx(0.0640, abs=5e-5)
    assert (1 - (1 + r) ** -5) / r == pytest.approx(500 / 120, rel=1e-12)
    assert npv(r, [-500, -20, -20, -20, -20, -20]) == pytest.approx(npv(r, [0] + [-140] * 5))
    below = compare_cases(build, buy, discount_rate=r - 0.01)
    assert below.preferred == "Build"
    assert cmp.break_even_status == "ok"
    assert cmp.eac_difference == pytest.approx(cmp.alternative.eac - cmp.base.eac)
    table = cmp.summary()
    assert {"metric", "base", "alternative", "difference", "unit"} <= set(table.columns)


def test_compare_refuses_mismatched_cases():
    a = small_case()
    with pytest.raises(ParameterError, match="share `currency`"):
        compare_cases(a, small_case(currency="USD"))
    with pytest.raises(ParameterError, match="differ in `discount_rate`"):
        compare_cases(a, small_case(discount_rate=0.05))
    same = compare_cases(a, small_case(discount_rate=0.05), discount_rate=0.07)
    assert same.npv_difference == pytest.approx(0.0, abs=1e-9)
    assert same.break_even_status == "degenerate"


kinds = st.sampled_from(["capex", "opex_one_off", "opex_recurring", "licence", "staff", "benefit"])
item = st.tuples(
    kinds,
    st.floats(min_value=0, max_value=1e6),
    st.integers(min_value=0, max_value=6),
    st.one_of(st.none(), st.integers(min_value=1, max_value=8)),
    st.floats(min_value=-0.2, max_value=0.2),
)


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(
    st.lists(item, min_size=1, max_size=6),
    st.floats(min_value=0.0, max_value=0.3),
    st.floats(min_value=0.0, max_value=0.5),
    st.one_of(st.none(), st.integers(min_value=1, max_value=7)),
)
def test_npv_is_npv_of_the_net_column(raw, rate, tax, dep_years):
    items = [
        LineItem(f"item {i}", k, a, start=s, duration=d, escalation=e)
        for i, (k, a, s, d, e) in enumerate(raw)
    ]
    case = InvestmentCase(
        "h", items, horizon_years=6, discount_rate=rate, tax_rate=tax, depreciation_years=dep_years
    )
    result = case.evaluate()
    net = result.cash_flows["net"].to_numpy()
    scale = np.abs(net).sum() + 1.0
    assert abs(result.npv - npv(rate, net)) <= 1e-9 * scale
    assert abs(result.cash_flows["discounted"].sum() - result.npv) <= 1e-9 * scale
    np.testing.assert_allclose(case.cash_flow_matrix(), net, atol=1e-9 * scale)
    # the depreciation tax shield never exceeds tax x capex
    capex = -result.cash_flows["capex"].sum()
    assert result.cash_flows["depreciation"].sum() <= capex * (1 + 1e-12) + 1e-9
    assert isinstance(result.cash_flows, pd.DataFrame)
