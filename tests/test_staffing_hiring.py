"""Hiring plan: hand-worked least-cost plans, infeasibility diagnosis and properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ConvergenceError, ParameterError
from cio_analytics.staffing.hiring import hiring_plan

COSTS = {"employee_cost_per_fte_year": 60_000, "contractor_cost_per_fte_year": 108_000}


def test_no_lag_hire_the_gap():
    """Hand-worked: 10 staff, 12 needed, no lag or ramp-up: hire 2 at once;
    cost 12 x 5,000 x 6 months = 360,000."""
    plan = hiring_plan(12, current_headcount=10, n_months=6, **COSTS)
    assert plan.status == "optimal"
    assert plan.monthly["hires"].tolist() == [2, 0, 0, 0, 0, 0]
    assert plan.peak_contractors == 0
    assert plan.total_cost == pytest.approx(360_000)


def test_lag_and_ramp_up_bridged_by_contractors():
    """Hand-worked: hires start after 2 months at 50 % in their first month (ramp-up 1).
    Hire 2 now, contractors 2, 2, 1: employees 10x5,000x6 + 2x5,000x4 = 340,000, contractors
    5 x 9,000 = 45,000, total 385,000 (hiring 3 instead costs 360,000 + 27,000 = 387,000)."""
    plan = hiring_plan(
        12, current_headcount=10, n_months=6, time_to_hire_months=2, ramp_up_months=1, **COSTS
    )
    m = plan.monthly
    assert m["hires"].tolist() == [2, 0, 0, 0, 0, 0]
    assert m["starters"].tolist() == [0, 0, 2, 0, 0, 0]
    assert m["employee_fte"].tolist() == [10, 10, 11, 12, 12, 12]
    assert m["contractors"].tolist() == [2, 2, 1, 0, 0, 0]
    assert plan.total_cost == pytest.approx(385_000)


def test_attrition_hand_worked():
    """10 staff, 10 % monthly attrition, 9 needed: 10, 9, 8.1 -> hire 1 for month 3
    (5,000 beats a 9,000 contractor); employees 10, 9, 9.1."""
    plan = hiring_plan(9, current_headcount=10, n_months=3, monthly_attrition=0.1, **COSTS)
    assert plan.monthly["employees"].tolist() == pytest.approx([10, 9, 9.1])
    assert plan.monthly["hires"].tolist() == [0, 0, 1]
    assert plan.total_cost == pytest.approx(50_000 + 45_000 + 45_500)


def test_contractors_win_when_need_is_short():
    """A one-month peak with a 3-month ramp-up: a contractor (9,000) beats a hire."""
    req = [10, 11, 10, 10]
    plan = hiring_plan(req, current_headcount=10, ramp_up_months=3, **COSTS)
    assert plan.monthly["contractors"].tolist() == [0, 1, 0, 0]
    assert plan.total_hires == 0


def test_monthly_budget_changes_the_mix():
    """With 68,000 a month, the 69,000 bridge month is unaffordable: contractors only
    (2 x 9,000 + 50,000 = 68,000 every month, total 408,000)."""
    kw = dict(current_headcount=10, n_months=6, time_to_hire_months=2, ramp_up_months=1, **COSTS)
    plan = hiring_plan(12, budget_per_month=68_000, **kw)
    assert plan.total_hires == 0 and plan.total_cost == pytest.approx(408_000)
    assert (plan.monthly["total_cost"] <= 68_000 + 1e-6).all()


def test_infeasible_budget_says_what_fixes_it():
    kw = dict(current_headcount=10, n_months=6, time_to_hire_months=2, ramp_up_months=1, **COSTS)
    plan = hiring_plan(12, budget_per_month=60_000, **kw)
    assert plan.status == "infeasible" and np.isnan(plan.total_cost)
    assert "raise `budget_per_month` by at least 8,000 EUR" in plan.message
    total = hiring_plan(12, total_budget=300_000, **kw)
    assert "raise `total_budget` to at least 385,000 EUR" in total.message
    with pytest.raises(ConvergenceError, match="budget"):
        hiring_plan(12, budget_per_month=60_000, raise_on_infeasible=True, **kw)


def test_infeasible_contractor_cap():
    plan = hiring_plan(
        12, current_headcount=10, n_months=6, time_to_hire_months=2, max_contractors=1, **COSTS
    )
    assert plan.status == "infeasible"
    assert "Allow at least 2 contractors" in plan.message


@settings(max_examples=40, deadline=None)
@given(
    req=st.lists(st.integers(0, 30), min_size=1, max_size=10),
    e0=st.integers(0, 30),
    attrition=st.floats(0, 0.2),
    lag=st.integers(0, 3),
    ramp=st.integers(0, 3),
)
def test_plan_properties(req, e0, attrition, lag, ramp):
    plan = hiring_plan(
        req,
        current_headcount=e0,
        monthly_attrition=attrition,
        time_to_hire_months=lag,
        ramp_up_months=ramp,
        cost_per_hire=1000,
        **COSTS,
    )
    m = plan.monthly
    assert plan.status == "optimal"  # unlimited contractors: always feasible
    assert (m["employees"] >= 0).all() and (m["hires"] >= 0).all() and (m["contractors"] >= 0).all()
    assert (m["capacity_fte"] >= m["required_fte"] - 1e-6).all()
    assert (m["employee_fte"] <= m["employees"] + 1e-9).all()  # ramp-up never above 100 %
    parts = m["employee_cost"] + m["contractor_cost"] + m["hiring_cost"]
    np.testing.assert_allclose(m["total_cost"], parts)
    assert plan.total_cost == pytest.approx(m["total_cost"].sum())
    np.testing.assert_allclose(m["employee_cost"], 5_000 * m["employees"])


def test_bad_input():
    with pytest.raises(ParameterError, match=r"0\.02 for 2 %"):
        hiring_plan(5, current_headcount=3, monthly_attrition=2, **COSTS)
    with pytest.raises(ParameterError, match="current_headcount"):
        hiring_plan(5, current_headcount=-1, **COSTS)
    with pytest.raises(ParameterError, match="n_months"):
        hiring_plan([5, 6], current_headcount=3, n_months=3, **COSTS)
    with pytest.raises(ParameterError, match="time_to_hire_months"):
        hiring_plan(5, current_headcount=3, time_to_hire_months=1.5, **COSTS)


def test_solver_gap_and_relaxation():
    """Whole hires cost at least the LP relaxation; the reported gap is within the tolerance."""
    kw = dict(
        current_headcount=30,
        monthly_attrition=0.015,
        time_to_hire_months=2,
        ramp_up_months=2,
        **COSTS,
    )
    req = np.linspace(30, 40, 12)
    whole = hiring_plan(req, **kw)
    relaxed = hiring_plan(req, whole_hires=False, **kw)
    assert whole.status == "optimal" and whole.optimality_gap <= 1e-3 + 1e-12
    assert relaxed.total_cost <= whole.total_cost + 1e-6
    assert whole.total_cost <= relaxed.total_cost * (1 + 0.01)
    assert (whole.monthly["hires"] == np.round(whole.monthly["hires"])).all()
    whole_c = hiring_plan(req, whole_contractors=True, **kw)
    assert (whole_c.monthly["contractors"] == np.round(whole_c.monthly["contractors"])).all()
    assert whole_c.total_cost >= whole.total_cost * (1 - 1e-3)
