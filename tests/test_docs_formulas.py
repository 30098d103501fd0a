"""The formulas written in docs/sourcing.md and docs/portfolio.md, evaluated on their examples.

Each test writes the formula as the page prints it (numpy), evaluates it on the example next
to it, and checks the page's number and the library's answer, so prose and code cannot
disagree again (the all-units break-even read ``p_k t_{k+1} / p_{k+1}``, 1,250 on its own
example, for years). Pages: sourcing ("Vendor offers and tiered prices", "Weighted scoring
and its sensitivity"), portfolio ("The optimisation", "Portfolio risk").
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cio_analytics.io import read_portfolio
from cio_analytics.portfolio import downside
from cio_analytics.sourcing import (
    Offer,
    TierSchedule,
    all_units_break_even,
    normalise_scores,
    offer_cash_flows,
    score_offers,
    tiered_cost,
)

DOCS = Path(__file__).resolve().parents[1] / "docs"
ZUPLO = (np.array([0.0, 1000.0, 10000.0]), np.array([0.10, 0.05, 0.01]))


def page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_sourcing_page_prints_the_formulas_tested_here():
    text = page("sourcing.md")
    for formula in (
        "`sum_k p_k * clip(v - t_k, 0, t_{k+1} - t_k)`",
        "`p_k * v` for `t_k <= v < t_{k+1}`",
        "`b = p_{k+1} t_{k+1} / p_k`",
        "`b = 8 * 1,000 / 10 = 800`",
        "`(recurring + C(max(V_t, committed))) * (1 + escalation)^(t-1)`",
        "`S_i = sum_j w_j u_ij`",
        "`t* = d_R / (d_R - d_j)`",
    ):
        assert formula in text, formula
    assert "p_k t_{k+1} / p_{k+1}" not in text


def test_graduated_formula_on_the_zuplo_example():
    """sum_k p_k * clip(v - t_k, 0, t_{k+1} - t_k) at 15,000 units: $600 (Zuplo docs)."""
    t, p = ZUPLO
    t_next = np.append(t[1:], np.inf)
    v = 15000.0
    as_written = float(np.sum(p * np.clip(v - t, 0, t_next - t)))
    assert as_written == pytest.approx(600.0)
    assert tiered_cost(v, t, p) == pytest.approx(as_written)


def test_all_units_formula_and_the_999_example():
    """p_k * v for t_k <= v < t_{k+1}: 15,000 units all at $0.01 = $150; 999 at 10 = 9,990 and
    1,000 at 8 = 8,000 (the page's example)."""
    t, p = ZUPLO
    k = np.searchsorted(t, 15000.0, side="right") - 1
    assert p[k] * 15000.0 == pytest.approx(150.0)
    assert tiered_cost(15000.0, t, p, scheme="all_units") == pytest.approx(150.0)
    assert tiered_cost(999, [0, 1000], [10, 8], scheme="all_units") == 9990.0
    assert tiered_cost(1000, [0, 1000], [10, 8], scheme="all_units") == 8000.0


def test_break_even_formula_on_its_example():
    """b = p_{k+1} t_{k+1} / p_k = 8 * 1,000 / 10 = 800, where both totals are 8,000."""
    p_k, p_next, t_next = 10.0, 8.0, 1000.0
    b = p_next * t_next / p_k
    assert b == 800.0
    assert all_units_break_even([0, t_next], [p_k, p_next]).tolist() == [b]
    assert p_k * b == p_next * t_next == 8000.0


def test_offer_year_cost_formula():
    """(recurring + C(max(V_t, committed))) * (1 + escalation)^(t-1): recurring 10, all-units
    10 then 8 from 1,000, escalation 10 %, commitment 900. Year 1 at 800 units bills the
    900 committed: (10 + 9,000) x 1 = 9,010; year 2 at 1,200: (10 + 9,600) x 1.1 = 10,571."""
    tiers = TierSchedule([0, 1000], [10, 8], scheme="all_units")
    offer = Offer("X", recurring=10, tiers=tiers, escalation=0.1, committed_volume=900)
    volumes = np.array([800.0, 1200.0])
    years = np.arange(1, 3)
    as_written = (10 + tiers.cost(np.maximum(volumes, 900))) * (1 + 0.1) ** (years - 1)
    np.testing.assert_allclose(as_written, [9010.0, 10571.0])
    flows = offer_cash_flows(offer, volumes)
    np.testing.assert_allclose(flows["fixed"].to_numpy()[1:] + flows["volume_charge"].to_numpy()[1:],
                               as_written)  # fmt: skip


@pytest.mark.parametrize(
    ("method", "direction", "as_written"),
    [
        ("ratio", "higher", lambda x, a, b: x / x.max()),
        ("ratio", "lower", lambda x, a, b: x.min() / x),
        ("minmax", "higher", lambda x, a, b: (x - x.min()) / (x.max() - x.min())),
        ("minmax", "lower", lambda x, a, b: (x.max() - x) / (x.max() - x.min())),
        ("scale", "higher", lambda x, a, b: (x - a) / (b - a)),
        ("scale", "lower", lambda x, a, b: (b - x) / (b - a)),
    ],
)
def test_normalisation_table(method, direction, as_written):
    """The page's table of utilities, on marks 2, 3.5 and 5 with a 1-5 scale."""
    x = np.array([2.0, 3.5, 5.0])
    kw = {"scale_min": 1.0, "scale_max": 5.0} if method == "scale" else {}
    got = normalise_scores(x, direction=direction, method=method, **kw)
    np.testing.assert_allclose(got, as_written(x, 1.0, 5.0))


def test_score_and_flip_weight_worked_example():
    """Price (lower, ratio) 0.6 and quality 0.4; A = (100, 0.9), B = (80, 0.6): S_A = 0.88,
    S_B = 0.8667; t* = d_R / (d_R - d_j) = 62.5 % on price (quality 37.5 %)."""
    u = {"A": (80 / 100, 1.0), "B": (1.0, 0.6 / 0.9)}
    w = (0.6, 0.4)
    s = {k: sum(wj * uj for wj, uj in zip(w, v, strict=True)) for k, v in u.items()}
    assert s["A"] == pytest.approx(0.88) and s["B"] == pytest.approx(0.8667, abs=5e-5)
    d_j = u["A"][0] - u["B"][0]  # price utility gap
    d_r = u["A"][1] - u["B"][1]  # the rest (quality, rescaled to weight 1)
    t_star = d_r / (d_r - d_j)
    assert t_star == pytest.approx(0.625)
    values = pd.DataFrame({"price": [100.0, 80.0], "quality": [0.9, 0.6]}, index=["A", "B"])
    criteria = pd.DataFrame({"criterion": ["price", "quality"], "weight": [0.6, 0.4],
                             "direction": ["lower", "higher"], "method": ["ratio", "ratio"]})  # fmt: skip
    res = score_offers(values, criteria, n_trials=200, rng=1)
    assert res.scores.set_index("offer")["score"].to_dict() == pytest.approx(s)
    flips = res.flip_weights.set_index("criterion")["flip_weight"]
    assert flips["price"] == pytest.approx(t_star) and flips["quality"] == pytest.approx(0.375)


def test_portfolio_page_prints_the_formulas_tested_here():
    text = page("portfolio.md")
    for formula in (
        "maximise `t - 1/(qS) sum_s u_s`",
        "`floor(qS) + 1`-th smallest",
        "`mode = (6 E - low - high) / 4`",
        "KNAPSACK_01 test data (P01, P02, P03, P06)",
    ):
        assert formula in text, formula


@pytest.mark.parametrize(("q", "expected"), [(0.2, 1.5), (0.25, 1.8), (0.1, 1.0)])
def test_expected_shortfall_linear_form(q, expected):
    """Rockafellar-Uryasev: max_t t - 1/(qS) sum_s max(t - V_s, 0). On V = 1..10: q = 0.2 gives
    (1 + 2) / 2 = 1.5; q = 0.25 (qS = 2.5, the boundary scenario weighted 0.5) gives
    (1 + 2 + 0.5 x 3) / 2.5 = 1.8. The maximum over t is at a scenario value."""
    v = np.arange(1.0, 11.0)
    s = v.size
    as_written = max(t - np.maximum(t - v, 0).sum() / (q * s) for t in v)
    assert as_written == pytest.approx(expected)
    assert float(downside(v, "expected_shortfall", q)) == pytest.approx(expected)


@pytest.mark.parametrize(("q", "expected"), [(0.2, 3.0), (0.25, 3.0), (0.05, 1.0)])
def test_percentile_is_the_floor_qs_plus_one_smallest(q, expected):
    """The lower empirical q-quantile: the floor(qS) + 1-th smallest of V = 1..10."""
    v = np.arange(10.0, 0.0, -1.0)
    as_written = np.sort(v)[math.floor(q * v.size)]
    assert as_written == expected
    assert float(downside(v, "percentile", q)) == expected


def test_pert_mode_gives_the_expected_npv_as_mean():
    """mode = (6 E - low - high) / 4 makes the PERT mean (low + 4 mode + high) / 6 equal E,
    on every project of the sample portfolio."""
    table = read_portfolio("data/sample/portfolio.csv")
    e, low, high = (table[c].to_numpy() for c in ("npv", "npv_low", "npv_high"))
    mode = (6 * e - low - high) / 4
    np.testing.assert_allclose((low + 4 * mode + high) / 6, e, rtol=1e-12)
    assert np.all((mode >= low - 1e-6) & (mode <= high + 1e-6))
