"""Portfolio and Constraints built in code: validation (ParameterError) and derived views."""

from __future__ import annotations

import pandas as pd
import pytest

from cio_analytics.exceptions import ParameterError
from cio_analytics.io import read_portfolio, read_portfolio_constraints
from cio_analytics.portfolio import Constraints, Portfolio, mandatory_shortfall


def table(**extra):
    base = {"id": ["A", "B", "C"], "npv": [10.0, 5.0, 3.0], "cost_2027": [4.0, 3.0, 0.0],
            "cost_2028": [0.0, 2.0, 1.0], "fte_dev": [1.0, 2.0, 0.5]}  # fmt: skip
    base.update(extra)
    return pd.DataFrame(base)


def test_views_and_closure():
    p = Portfolio.from_table(table(needs=["", "A", ["B"]], excludes=["C", "", ""]), currency="CHF")
    assert p.needs == (("B", "A"), ("C", "B")) and p.excludes == (("A", "C"),)
    assert p.closure(["C"]) == ["A", "B", "C"] and p.currency == "CHF"
    assert p.active.to_numpy().tolist() == [[True, False], [True, True], [False, True]]
    assert p.fte_demand()[:, 0, :].tolist() == [[1.0, 0.0], [2.0, 2.0], [0.0, 0.5]]
    s = p.summary().set_index("metric")["value"]
    assert s["total_npv"] == 18.0 and s["cost_2028"] == 3.0 and s["n_dependencies"] == 2


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"id": ["A", "A", "C"]}, "row 1: project id 'A' is duplicated"),
        (
            {"needs": ["", "Q", ""]},
            "row 1 (project 'B'), column `needs`: project 'B' refers to unknown project 'Q'",
        ),
        ({"needs": ["C", "A", "B"]}, "cycle: A -> C -> B -> A"),
        ({"cost_2027": [4.0, -3.0, 0.0]}, "column `cost_2027`: must be 0 or more, got -3"),
        ({"fte_dev": [1.0, "x", 0.0]}, "column `fte_dev`: expected a number, got 'x'"),
        ({"npv_low": [0.0, 0.0, 0.0], "npv_high": [11.0, 6.0, 4.0]}, "PERT mean range"),
        ({"mandatory": ["yes", "perhaps", "no"]}, "`mandatory` must be true or false"),
    ],
)
def test_in_code_errors_name_row_rule_and_value(extra, words):
    with pytest.raises(ParameterError, match=None) as err:
        Portfolio.from_table(table(**extra))
    assert words in str(err.value)


def test_constraints_validation_and_copies():
    c = Constraints({2027: 10, 2028: 5}, {"dev": {2027: 1, 2028: 2}})
    assert c.budget.index.tolist() == ["2027", "2028"]
    more = c.with_change(year="2028", budget_delta=1.0, skill="dev", fte_delta=0.5)
    assert more.budget.tolist() == [10.0, 6.0] and more.capacity.loc["dev"].tolist() == [1.5, 2.5]
    assert c.budget.tolist() == [10.0, 5.0]  # the original is unchanged
    with pytest.raises(
        ParameterError, match=r"`budget\['2028'\]` must be a finite number, 0 or more. Got -5"
    ):
        Constraints({"2027": 1, "2028": -5})
    with pytest.raises(ParameterError, match="has no value for year"):
        Constraints({2027: 1, 2028: 1}, {"dev": {2027: 1}})
    with pytest.raises(ParameterError, match="`budget_scale`"):
        c.scaled(-1)
    with pytest.raises(ParameterError, match="has no skill 'dev'"):
        Constraints({2027: 1, 2028: 1}).check_against(Portfolio.from_table(table()))


def test_mandatory_shortfall_by_hand():
    """A (mandatory) needs B: together 7 in 2027 and 2 in 2028; dev 3 in 2027, 2 in 2028."""
    p = Portfolio.from_table(table(needs=["B", "", ""], mandatory=[True, False, False]))
    short = mandatory_shortfall(p, Constraints({2027: 6, 2028: 5}, {"dev": 2.5}))
    assert short[
        ["constraint", "year", "skill", "required", "available", "shortfall"]
    ].to_numpy().tolist() == [
        ["budget", "2027", "", 7.0, 6.0, 1.0],
        ["capacity", "2027", "dev", 3.0, 2.5, 0.5],
    ]
    assert mandatory_shortfall(p, Constraints({2027: 7, 2028: 2}, {"dev": 3})).empty


def test_sample_files_build_a_feasible_model():
    t = read_portfolio("data/sample/portfolio.csv")
    spec = read_portfolio_constraints("data/sample/portfolio_constraints.yaml", portfolio=t)
    p, c = Portfolio.from_table(t, currency=spec["currency"]), Constraints.from_spec(spec)
    assert mandatory_shortfall(p, c).empty
    assert (p.costs.sum() > c.budget).any()  # the budget forces a choice
