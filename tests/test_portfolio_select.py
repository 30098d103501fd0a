"""select_portfolio: published knapsack optima, hand-worked dependency cases, brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.portfolio import Constraints, Portfolio, downside, select_portfolio


def knapsack(profits, weights):
    ids = [f"i{k + 1}" for k in range(len(profits))]
    return Portfolio.from_table(pd.DataFrame({"id": ids, "npv": profits, "cost_2027": weights}))


# John Burkardt, KNAPSACK_01 test data (Florida State University, P01, P02, P04, P06), the
# textbook 0/1 knapsack instances with their published optimal selections.
BURKARDT = [
    (
        165,
        [23, 31, 29, 44, 53, 38, 63, 85, 89, 82],
        [92, 57, 49, 68, 60, 43, 67, 84, 87, 72],
        309,
        [1, 2, 3, 4, 6],
    ),
    (26, [12, 7, 11, 8, 9], [24, 13, 23, 15, 16], 51, [2, 3, 4]),
    (190, [56, 59, 80, 64, 75, 17], [50, 50, 64, 46, 50, 5], 150, [1, 2, 5]),
    (170, [41, 50, 49, 59, 55, 57, 60], [442, 525, 511, 593, 546, 564, 617], 1735, [2, 4, 7]),
]


@pytest.mark.parametrize(("capacity", "weights", "profits", "best", "items"), BURKARDT)
def test_burkardt_knapsack_optima(capacity, weights, profits, best, items):
    """Burkardt's KNAPSACK_01 data sets: optimal profit and items as published."""
    sel = select_portfolio(knapsack(profits, weights), Constraints({2027: capacity}))
    assert sel.status == "optimal" and sel.mip_gap == 0
    assert sel.expected_value == best == sel.objective_value
    assert sel.bound == pytest.approx(best, rel=1e-9)
    assert sel.selected == tuple(f"i{k}" for k in items)
    assert sel.budget_use.loc["2027", "used"] <= capacity


def test_dependency_case_by_hand():
    """Budget 10. A is an enabler (NPV -2, cost 4); B needs A (15, 5); C (9, 5); D (4, 1).

    Feasible sets by hand: {A,B,D} = 17 (cost 10), {A,B} = 13, {C,D} = 13, {C} + {A} = 7 ...
    B without A is not allowed, so the value-per-cost greedy set {B, D, C} (28) is infeasible.
    Optimum {A, B, D} = 17. With A excluding D the best is {A, B} = 13 vs {C, D} = 13 + nothing:
    a tie at 13; making D worth 4.5 breaks it to {C, D} = 13.5.
    """
    t = pd.DataFrame({"id": list("ABCD"), "npv": [-2.0, 15.0, 9.0, 4.0], "cost_2027": [4.0, 5.0, 5.0, 1.0],
                      "needs": ["", "A", "", ""]})  # fmt: skip
    sel = select_portfolio(Portfolio.from_table(t), Constraints({2027: 10.0}))
    assert sel.selected == ("A", "B", "D") and sel.expected_value == 17.0
    assert sel.projects.loc["A", "needed_by"] == "B"
    t2 = t.assign(npv=[-2.0, 15.0, 9.0, 4.5], excludes=["D", "", "", ""])
    sel2 = select_portfolio(Portfolio.from_table(t2), Constraints({2027: 10.0}))
    assert sel2.selected == ("C", "D") and sel2.expected_value == 13.5


def test_two_years_and_skills_by_hand():
    """Year budgets 10/10, 2 developers. P1 (8; 6 then 0; 1 dev), P2 (7; 5 then 5; 1 dev),
    P3 (6; 0 then 9; 1 dev), P4 (5; 4 then 4; 2 dev). Developers: P4 alone uses both in both
    years. Candidates by hand: {P1,P3} = 14 (6/9, devs 1/1), {P1,P2} = 15 (11 > 10, no),
    {P2,P3} (14 > 10 in 2028, no), {P1,P2} no; {P2} + {P1} no; {P1,P3} + P2 no (2027 11).
    {P2,P1}... so the best is {P1, P3} = 14; a 3rd developer does not help (budget binds)."""
    t = pd.DataFrame({"id": ["P1", "P2", "P3", "P4"], "npv": [8.0, 7.0, 6.0, 5.0],
                      "cost_2027": [6.0, 5.0, 0.0, 4.0], "cost_2028": [0.0, 5.0, 9.0, 4.0],
                      "fte_dev": [1.0, 1.0, 1.0, 2.0]})  # fmt: skip
    p = Portfolio.from_table(t)
    sel = select_portfolio(p, Constraints({"2027": 10.0, "2028": 10.0}, {"dev": 2}))
    assert sel.selected == ("P1", "P3") and sel.expected_value == 14.0
    use = sel.capacity_use.set_index("year")
    assert use["used"].tolist() == [1.0, 1.0]  # P1 active 2027 only, P3 2028 only


def test_mandatory_projects_are_kept_and_pull_in_prerequisites():
    t = pd.DataFrame({"id": list("ABC"), "npv": [-5.0, -1.0, 10.0], "cost_2027": [2.0, 2.0, 5.0],
                      "needs": ["", "A", ""], "mandatory": [False, True, False]})  # fmt: skip
    sel = select_portfolio(Portfolio.from_table(t), Constraints({2027: 9.0}))
    assert sel.selected == ("A", "B", "C") and sel.expected_value == 4.0
    assert sel.projects["status"].tolist() == ["selected", "mandatory", "selected"]


def test_infeasible_is_reported_with_the_shortfall():
    t = pd.DataFrame({"id": list("ABC"), "npv": [1.0, 1.0, 1.0], "cost_2027": [6.0, 5.0, 1.0],
                      "cost_2028": [1.0, 0.0, 0.0], "fte_dev": [2.0, 0.0, 0.0],
                      "mandatory": [True, False, False], "needs": ["B", "", ""]})  # fmt: skip
    p = Portfolio.from_table(t)
    sel = select_portfolio(p, Constraints({2027: 10.0, 2028: 5.0}, {"dev": 1}))
    assert sel.status == "infeasible" and not sel.feasible and sel.selected == ()
    short = sel.shortfall.set_index(["constraint", "year", "skill"])["shortfall"]
    assert short[("budget", "2027", "")] == 1.0  # A + B need 11 of 10
    assert short[("capacity", "2027", "dev")] == 1.0 and short[("capacity", "2028", "dev")] == 1.0
    assert "add 1" in sel.message
    with pytest.raises(ParameterError, match=r"budget 2027: needs 11, has 10 \(add 1\)"):
        select_portfolio(p, Constraints({2027: 10.0, 2028: 5.0}, {"dev": 1}), on_infeasible="raise")


def test_mandatory_needing_an_excluded_project_is_infeasible():
    t = pd.DataFrame({"id": list("ABC"), "npv": [1.0, 1.0, 1.0], "cost_2027": [1.0, 1.0, 1.0],
                      "mandatory": [True, True, False], "needs": ["C", "", ""], "excludes": ["", "C", ""]})  # fmt: skip
    sel = select_portfolio(Portfolio.from_table(t), Constraints({2027: 10.0}))
    assert sel.status == "infeasible"
    assert sel.shortfall["constraint"].tolist() == ["exclusion"] and "'B' and 'C'" in sel.message


def test_score_floor():
    t = pd.DataFrame({"id": list("ABC"), "npv": [10.0, 8.0, 1.0], "cost_2027": [1.0, 1.0, 1.0],
                      "strategic_score": [1.0, 4.0, 5.0]})  # fmt: skip
    p = Portfolio.from_table(t)
    assert select_portfolio(p, Constraints({2027: 2.0})).selected == ("A", "B")  # average 2.5
    assert select_portfolio(p, Constraints({2027: 2.0}, min_average_score=3.0)).selected == (
        "A",
        "C",
    )
    none = select_portfolio(p, Constraints({2027: 2.0}, min_average_score=6.0))
    assert none.status == "optimal" and none.selected == () and none.expected_value == 0.0
    must = t.assign(mandatory=[True, False, False])
    bad = select_portfolio(
        Portfolio.from_table(must), Constraints({2027: 2.0}, min_average_score=6.0)
    )
    assert bad.status == "infeasible" and "min_average_score" in bad.message


def test_downside_known_values():
    v = np.arange(1.0, 11.0)
    assert downside(v, "expected_shortfall", 0.2) == pytest.approx(1.5)
    assert downside(v, "expected_shortfall", 0.25) == pytest.approx((1 + 2 + 0.5 * 3) / 2.5)
    assert downside(v, "percentile", 0.2) == 3.0 and downside(v, "percentile", 0.05) == 1.0


def _brute(p: Portfolio, c: Constraints, scen=None, measure=None, level=0.1):
    """Best objective over every subset (vectorised over the 2^n subsets)."""
    n = p.n_projects
    xs = np.array(list(itertools.product([0, 1], repeat=n)), dtype=bool)
    ok = (xs.astype(float) @ p.costs.to_numpy() <= c.budget[list(p.years)].to_numpy() + 1e-9).all(
        axis=1
    )
    dem = np.einsum("mi,ikt->mkt", xs.astype(float), p.fte_demand())
    if p.skills:
        ok &= (dem <= c.capacity.loc[list(p.skills)].to_numpy()[None] + 1e-9).all(axis=(1, 2))
    pos = {q: i for i, q in enumerate(p.ids)}
    for a, b in p.needs:
        ok &= ~xs[:, pos[a]] | xs[:, pos[b]]
    for a, b in p.excludes:
        ok &= ~(xs[:, pos[a]] & xs[:, pos[b]])
    ok &= xs[:, p.projects["mandatory"].to_numpy()].all(axis=1)
    if not ok.any():
        return None
    if measure is None:
        return float((xs[ok].astype(float) @ p.projects["npv"].to_numpy()).max())
    return float(downside(xs[ok].astype(float) @ scen.T, measure, level).max())


@st.composite
def instances(draw, max_n=10):
    n = draw(st.integers(1, max_n))
    money = st.integers(0, 20)
    t = pd.DataFrame({"id": [f"p{i}" for i in range(n)],
                      "npv": [float(draw(st.integers(-5, 30))) for _ in range(n)],
                      "cost_2027": [float(draw(money)) for _ in range(n)],
                      "cost_2028": [float(draw(money)) for _ in range(n)],
                      "fte_dev": [float(draw(st.integers(0, 3))) for _ in range(n)]})  # fmt: skip
    needs = [[f"p{j}" for j in range(i) if draw(st.integers(0, 5)) == 0] for i in range(n)]
    excl = [[f"p{j}" for j in range(i) if draw(st.integers(0, 7)) == 0 and f"p{j}" not in needs[i]]
            for i in range(n)]  # fmt: skip
    t["needs"], t["excludes"] = [";".join(x) for x in needs], [";".join(x) for x in excl]
    t["mandatory"] = [draw(st.integers(0, 9)) == 0 for _ in range(n)]
    c = Constraints({2027: float(draw(st.integers(0, 60))), 2028: float(draw(st.integers(0, 60)))},
                    {"dev": float(draw(st.integers(0, 6)))})  # fmt: skip
    return Portfolio.from_table(t), c


def _check_feasible(sel):
    p, c = sel.portfolio, sel.constraints
    chosen = set(sel.selected)
    assert (sel.budget_use["used"] <= sel.budget_use["budget"] + 1e-9).all()
    assert (sel.capacity_use["used"] <= sel.capacity_use["capacity"] + 1e-9).all()
    assert all(b in chosen for a, b in p.needs if a in chosen)
    assert not any(a in chosen and b in chosen for a, b in p.excludes)
    assert set(p.projects.index[p.projects["mandatory"]]) <= chosen
    assert c is sel.constraints


@pytest.mark.slow
@settings(max_examples=120, deadline=None)
@given(instances(max_n=12))
def test_milp_feasible_and_never_beaten_by_brute_force(case):
    p, c = case
    sel = select_portfolio(p, c)
    best = _brute(p, c)
    if best is None:
        assert sel.status == "infeasible" and not sel.shortfall.empty
        return
    assert sel.status == "optimal"
    _check_feasible(sel)
    assert sel.expected_value == pytest.approx(best, abs=1e-9)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(instances(max_n=8), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_more_budget_never_lowers_the_optimum(case, s1, s2):
    p, c = case
    lo, hi = sorted((s1, s2))
    a, b = select_portfolio(p, c.scaled(lo)), select_portfolio(p, c.scaled(hi))
    if a.feasible:
        assert b.feasible and b.expected_value >= a.expected_value - 1e-9


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(instances(max_n=7), st.sampled_from(["expected_shortfall", "percentile"]),
       st.sampled_from([0.1, 0.25]), st.integers(0, 2**31))  # fmt: skip
def test_risk_objectives_match_brute_force(case, measure, level, seed):
    """The Rockafellar-Uryasev and big-M forms give the exact best downside on the scenarios."""
    p, c = case
    scen = np.random.default_rng(seed).normal(
        p.projects["npv"].to_numpy(), 10.0, size=(40, p.n_projects)
    )
    best = _brute(p, c, scen, measure, level)
    sel = select_portfolio(p, c, objective=measure, tail_share=level, scenarios=scen)
    if best is None:
        assert sel.status == "infeasible"
        return
    _check_feasible(sel)
    assert sel.objective_value == pytest.approx(best, rel=1e-6, abs=1e-6)
    assert sel.downside == pytest.approx(best, rel=1e-6, abs=1e-6)


def test_risk_objective_prefers_the_safe_project_and_records_the_seed():
    t = pd.DataFrame({"id": ["safe", "bold"], "npv": [10.0, 14.0], "npv_low": [8.0, -30.0],
                      "npv_high": [12.0, 50.0], "cost_2027": [5.0, 5.0], "excludes": ["bold", ""]})  # fmt: skip
    p, c = Portfolio.from_table(t), Constraints({2027: 10.0})
    assert select_portfolio(p, c).selected == ("bold",)
    es = select_portfolio(p, c, objective="expected_shortfall", n_trials=300, rng=5)
    assert es.selected == ("safe",) and es.seed == 5 and es.n_scenarios == 300
    again = select_portfolio(p, c, objective="expected_shortfall", n_trials=300, rng=5)
    assert again.objective_value == es.objective_value
    summary = es.summary().set_index("metric")["value"]
    assert summary["objective"] == "expected_shortfall" and summary["n_selected"] == 1


def test_bad_arguments():
    p = knapsack([1.0], [1.0])
    with pytest.raises(
        ParameterError, match=r"`objective` must be one of.*Did you mean 'percentile'"
    ):
        select_portfolio(p, Constraints({2027: 1.0}), objective="percentil")
    with pytest.raises(ParameterError, match="`tail_share` must be a share of worst outcomes"):
        select_portfolio(p, Constraints({2027: 1.0}), objective="percentile", tail_share=0.9)
    with pytest.raises(ParameterError, match="`scenarios` must be a"):
        select_portfolio(
            p, Constraints({2027: 1.0}), objective="percentile", scenarios=np.ones((3, 2))
        )
    with pytest.raises(ParameterError, match="no year '2027'"):
        select_portfolio(p, Constraints({2028: 1.0}))
