"""The formulas written in docs/*.md, evaluated on their examples (issue 12).

Each test writes the formula as the page prints it (numpy), evaluates it on the example next
to it, and checks the page's number and the library's answer, so prose and code cannot
disagree again (the all-units break-even read ``p_k t_{k+1} / p_{k+1}``, 1,250 on its own
example, for years). Each test also checks that the page still prints the formula text."""

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


# --- docs/valuation-rates.md ---------------------------------------------------------------
def test_valuation_page_formulas():
    """npv, Excel's NPV, payback and the IRR equation as docs/valuation-rates.md prints them,
    on [-100, 60, 60] at 10 % (by hand: -100 + 54.545 + 49.587 = 4.132) and [-100, 30, 40, 50]
    (cumulative -100, -70, -30, 20: payback (3 - 1) + 30 / 50 = 2.6)."""
    from cio_analytics.valuation import irr, npv, payback_period

    text = page("valuation-rates.md")
    for formula in ("`npv(r, v) = sum_j v_j / (1 + r)^j`", "`(k - 1) + (-C_{k-1}) / v_k`",
                    "`sum_j v_j (1 + r)^{-t_j} = 0`"):  # fmt: skip
        assert formula in text, formula
    v, r = np.array([-100.0, 60.0, 60.0]), 0.1
    j = np.arange(v.size)
    as_written = float(np.sum(v / (1 + r) ** j))
    assert as_written == pytest.approx(4.1322314, rel=1e-7)
    assert npv(r, v) == pytest.approx(as_written)
    excel = float(np.sum(v / (1 + r) ** (j + 1)))  # NPV(r, v0, v1, ...) discounts v0
    assert npv(r, v, first_period=1) == pytest.approx(excel)
    assert v[0] + npv(r, v[1:], first_period=1) == pytest.approx(as_written)
    flows = np.array([-100.0, 30.0, 40.0, 50.0])
    c = np.cumsum(flows)
    k = int(np.flatnonzero(c >= 0)[0])
    assert (k - 1) + (-c[k - 1]) / flows[k] == pytest.approx(2.6)
    assert payback_period(flows) == pytest.approx(2.6)
    rate = irr([-100.0, 110.0])
    assert float(np.sum(np.array([-100.0, 110.0]) * (1 + rate) ** -np.arange(2))) == pytest.approx(
        0
    )


def test_xnpv_and_mirr_on_microsofts_examples():
    """Microsoft's XNPV example: 9 %, -10,000 on 2008-01-01 then 2,750 / 4,250 / 3,250 / 2,750
    on 2008-03-01, 2008-10-30, 2009-02-15, 2009-04-01: 2,086.65. Microsoft's MIRR example:
    -120,000, 39,000, 30,000, 21,000, 37,000, 46,000 at finance 10 %, reinvest 12 %: 12.61 %."""
    from cio_analytics.valuation import mirr, xnpv

    text = page("valuation-rates.md")
    assert "`sum_j v_j / (1 + r)^yf(d_0, d_j)`" in text and "actual days / 365" in text
    assert "`MIRR = (FV(positive flows at reinvest_rate) / -PV(negative flows at finance_rate))^(1/(n-1)) - 1`" in text  # fmt: skip
    v = np.array([-10000.0, 2750.0, 4250.0, 3250.0, 2750.0])
    d = pd.to_datetime(["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"])
    days = (d - d[0]).days.to_numpy()
    as_written = float(np.sum(v / (1 + 0.09) ** (days / 365)))  # yf = ACT/365F, the default
    assert as_written == pytest.approx(2086.65, abs=0.005)
    assert xnpv(0.09, v, d) == pytest.approx(as_written)
    flows = np.array([-120000.0, 39000.0, 30000.0, 21000.0, 37000.0, 46000.0])
    n = flows.size
    t = np.arange(n)
    fv_pos = np.sum(np.where(flows > 0, flows, 0) * 1.12 ** (n - 1 - t))
    pv_neg = np.sum(np.where(flows < 0, flows, 0) / 1.10**t)
    as_written = (fv_pos / -pv_neg) ** (1 / (n - 1)) - 1
    assert as_written == pytest.approx(0.1261, abs=5e-5)
    assert mirr(flows, 0.10, 0.12) == pytest.approx(as_written)


# --- docs/staffing-queueing.md -------------------------------------------------------------
def test_erlang_formulas_on_a_small_queue():
    """A = 2 Erlang, n = 3 agents, h = 180 s, t = 20 s. By hand: B(2, 3) = (8/6) / (1 + 2 + 2 +
    8/6) = 4/19; C = n B / (n - A (1 - B)) = 4/9 (the textbook value of Erlang C(2, 3));
    SL = 1 - C exp(-(n - A) t / h) = 0.6023; ASA = C h / (n - A) = 80 s; occupancy 2/3;
    B(2, 2) = 2 / 5 = 0.4; ceil(10 / (1 - 0.3)) = 15."""
    from cio_analytics.staffing import (
        apply_shrinkage,
        average_speed_of_answer,
        erlang_b,
        erlang_c,
        service_level,
    )

    text = page("staffing-queueing.md")
    for formula in ("`B(A, N) = (A^N/N!) / sum_{k<=N} A^k/k!`", "`C = n B / (n - A (1 - B))`",
                    "`SL(t) = 1 - C exp(-(n - A) t / h)`", "`ASA = C h / (n - A)`",
                    "`apply_shrinkage(agents, s) = ceil(agents / (1 - s))`"):  # fmt: skip
        assert formula in text, formula
    a, n, h, t = 2.0, 3, 180.0, 20.0
    b = (a**n / math.factorial(n)) / sum(a**k / math.factorial(k) for k in range(n + 1))
    assert b == pytest.approx(4 / 19) and erlang_b(a, n) == pytest.approx(b)
    c = n * b / (n - a * (1 - b))
    assert c == pytest.approx(4 / 9) and erlang_c(a, n) == pytest.approx(c)
    sl = 1 - c * math.exp(-(n - a) * t / h)
    assert sl == pytest.approx(0.6023, abs=5e-5)
    assert service_level(a, n, h, t) == pytest.approx(sl)
    assert average_speed_of_answer(a, n, h) == pytest.approx(c * h / (n - a)) == pytest.approx(80)
    assert erlang_b(2.0, 2) == pytest.approx(0.4)
    assert apply_shrinkage(10, 0.3) == math.ceil(10 / (1 - 0.3)) == 15


# --- docs/continuity.md --------------------------------------------------------------------
def test_availability_formulas():
    """MTBF 990 h, MTTR 10 h: A = 990 / 1000 = 0.99, w = 8760 / 1000 = 8.76 failures a year,
    1 - w MTTR / hours = 0.99 too. Series of 0.99 and 0.98: 0.9702; parallel: 0.9998; 2 of 3 at
    0.9: 3 x 0.81 x 0.1 + 0.729 = 0.972."""
    from cio_analytics.continuity import (
        availability_from_mtbf,
        k_of_n_availability,
        parallel_availability,
        series_availability,
    )

    text = page("continuity.md")
    for formula in ("`A = MTBF / (MTBF + MTTR)`", "`A = 1 - w MTTR / hours`",
                    "`w = hours / (MTBF + MTTR)`", "`prod A_i`", "`1 - prod (1 - A_i)`",
                    "`sum_{j>=k} C(n, j) A^j (1 - A)^(n-j)`"):  # fmt: skip
        assert formula in text, formula
    mtbf, mttr, hours = 990.0, 10.0, 8760.0
    a = mtbf / (mtbf + mttr)
    w = hours / (mtbf + mttr)
    assert a == pytest.approx(0.99) and 1 - w * mttr / hours == pytest.approx(a)
    assert availability_from_mtbf(mtbf, mttr) == pytest.approx(a)
    parts = np.array([0.99, 0.98])
    assert series_availability(parts) == pytest.approx(np.prod(parts)) == pytest.approx(0.9702)
    assert parallel_availability(parts) == pytest.approx(1 - np.prod(1 - parts))
    k_of_n = sum(math.comb(3, j) * 0.9**j * 0.1 ** (3 - j) for j in range(2, 4))
    assert k_of_n == pytest.approx(0.972)
    assert k_of_n_availability(0.9, 2, n=3) == pytest.approx(k_of_n)


# --- docs/performance.md and docs/budget.md ------------------------------------------------
def test_xmr_limits_as_printed():
    """Values 10, 12, 11, 15, 13: X-bar = 12.2, moving ranges 2, 1, 4, 2 so MR-bar = 2.25;
    limits 12.2 +/- 2.66 x 2.25 = 6.215 / 18.185; sigma 2.66 MR-bar / 3 = 1.995; the
    moving-range UCL 3.267 x 2.25 = 7.35075."""
    from cio_analytics.performance import xmr_chart

    text = page("performance.md")
    for formula in ("limits = X-bar +/- 2.66 MR-bar", "UCL = D4 MR-bar = 3.267 MR-bar",
                    "`2.66 MR-bar / 3`"):  # fmt: skip
        assert formula in text, formula
    x = np.array([10.0, 12.0, 11.0, 15.0, 13.0])
    centre, mr_bar = x.mean(), np.abs(np.diff(x)).mean()
    assert (centre, mr_bar) == pytest.approx((12.2, 2.25))
    chart = xmr_chart(x)
    pts = chart.points
    assert chart.centre == pytest.approx(centre) and chart.mr_bar == pytest.approx(mr_bar)
    np.testing.assert_allclose(pts["ucl"], centre + 2.66 * mr_bar)
    np.testing.assert_allclose(pts["lcl"], centre - 2.66 * mr_bar)
    np.testing.assert_allclose(pts["sigma"], 2.66 * mr_bar / 3)
    np.testing.assert_allclose(pts["mr_ucl"].dropna(), 3.267 * mr_bar)


def test_von_neumann_volatility_as_printed():
    """sqrt(sum (x_t - x_{t-1})^2 / (2 (m - 1))) on 10, 12, 11, 15, 13: successive differences
    2, -1, 4, -2, squares 25, over 2 x 4 = 8: sqrt(3.125) = 1.7678."""
    from cio_analytics.budget import monthly_volatility

    assert "`sqrt(sum (x_t - x_{t-1})^2 / (2 (m - 1)))`" in page("budget.md")
    x = np.array([10.0, 12.0, 11.0, 15.0, 13.0])
    as_written = math.sqrt(np.sum(np.diff(x) ** 2) / (2 * (x.size - 1)))
    assert as_written == pytest.approx(1.7677670)
    assert float(monthly_volatility(x)) == pytest.approx(as_written)


# --- docs/valuation-cases.md ---------------------------------------------------------------
def test_tvm_equation_and_depreciation_on_excels_examples():
    """Microsoft's examples: PMT(8 %/12, 10, 10,000) = -1,037.03; SLN(30,000, 7,500, 10) =
    2,250; SYD(30,000, 7,500, 10, 1) = 4,090.91 and period 10 = 409.09; DDB(2,400, 300, 10, 1)
    = 480, factor 1.5: 360, period 10: 22.12. EAC of 1,000 over 3 years at 10 %:
    1,000 x 0.1 / (1 - 1.1^-3) = 402.11."""
    from cio_analytics.valuation import ddb, eac, pmt, sln, syd

    text = page("valuation-cases.md")
    for formula in ("pv (1 + r)^n + pmt (1 + r w) ((1 + r)^n - 1) / r + fv = 0",
                    "PV r / (1 - (1 + r)^-n)", "`(cost - salvage) / life`",
                    "`(cost - salvage) (life - period + 1) 2 / (life (life + 1))`",
                    "`d = min(factor / life, 1)`", "`cost (1 - d)^(p - 1)`"):  # fmt: skip
        assert formula in text, formula
    r, n, pv_, fv_, w = 0.08 / 12, 10, 10000.0, 0.0, 0
    payment = pmt(r, n, pv_)
    assert payment == pytest.approx(-1037.03, abs=0.005)
    residual = pv_ * (1 + r) ** n + payment * (1 + r * w) * ((1 + r) ** n - 1) / r + fv_
    assert residual == pytest.approx(0.0, abs=1e-8)
    assert (
        eac(0.1, 3, 1000.0)
        == pytest.approx(1000 * 0.1 / (1 - 1.1**-3))
        == pytest.approx(402.11, abs=0.005)
    )
    assert sln(30000, 7500, 10) == (30000 - 7500) / 10 == 2250
    for period, expected in ((1, 4090.91), (10, 409.09)):
        as_written = (30000 - 7500) * (10 - period + 1) * 2 / (10 * 11)
        assert as_written == pytest.approx(expected, abs=0.005)
        assert syd(30000, 7500, 10, period) == pytest.approx(as_written)
    for period, factor, expected in ((1, 2, 480.0), (1, 1.5, 360.0), (10, 2, 22.12)):
        d = min(factor / 10, 1)
        book = 2400 * (1 - d) ** (period - 1)
        as_written = max(min(book * d, book - 300), 0)
        assert as_written == pytest.approx(expected, abs=0.005)
        assert ddb(2400, 300, 10, period, factor) == pytest.approx(as_written)


# --- docs/risk-engine.md and docs/staffing-planning.md -------------------------------------
def test_pert_and_lognormal_interval_formulas():
    """PERT(0, 2, 12): mean (low + 4 mode + high) / 6 = 20 / 6, alpha = 1 + 4 x 2/12,
    beta = 1 + 4 x 10/12, variance (mu - low)(high - mu) / 7. LogNormal.from_interval(50,000,
    2,000,000): mu = (ln low + ln high) / 2, sigma = (ln high - ln low) / (2 x 1.6449)."""
    from cio_analytics.risk import PERT, LogNormal

    text = page("risk-engine.md")
    for formula in ("(low + lam·mode + high)/(lam + 2)", "α = 1 + lam (mode-low)/(high-low)",
                    "μ = (ln low + ln high)/2", "σ = (ln high - ln low)/(2 z)"):  # fmt: skip
        assert formula in text, formula
    low, mode, high = 0.0, 2.0, 12.0
    p = PERT(low, mode, high)
    mean = (low + 4 * mode + high) / 6
    assert p.mean() == pytest.approx(mean)
    assert (p.a, p.b) == pytest.approx((1 + 4 * (mode - low) / (high - low),
                                        1 + 4 * (high - mode) / (high - low)))  # fmt: skip
    assert p.var() == pytest.approx((mean - low) * (high - mean) / 7)
    ln = LogNormal.from_interval(50_000, 2_000_000)
    assert ln.mu == pytest.approx((math.log(50_000) + math.log(2_000_000)) / 2)
    assert ln.sigma == pytest.approx((math.log(2_000_000) - math.log(50_000)) / (2 * 1.6448536))


def test_offered_load_and_shrinkage_example():
    """docs/staffing-planning.md: A = calls * handle_time_s / interval_s (100 calls of 180 s in
    1,800 s: 10 Erlang); ceil(n / (1 - s)) with 14 agents at 30 % shrinkage is 20, not 21."""
    from cio_analytics.staffing import apply_shrinkage, offered_load

    text = page("staffing-planning.md")
    assert "`A = calls * handle_time_s / interval_s`" in text
    assert "`agents_scheduled = ceil(n / (1 - s))`" in text and "14 / 0.7 is 20, not 21" in text
    assert offered_load(100, 1800, 180) == pytest.approx(100 * 180 / 1800) == pytest.approx(10)
    assert apply_shrinkage(14, 0.3) == 20


def test_birnbaum_outages_and_downtime_formulas():
    """docs/continuity.md on a series of a (MTBF 990 h, MTTR 10 h: A 0.99, w 8.76) and
    b (1,960 h, 40 h: A 0.98, w 4.38). By hand: A = 0.9702; I_B(a) = A(1_a) - A(0_a) = 0.98,
    I_B(b) = 0.99; outages sum_i I_B(i) w_i = 0.98 x 8.76 + 0.99 x 4.38 = 12.921 a year;
    downtime (1 - A) x 8,760 = 261.05 h; mean outage 261.05 / 12.921 = 20.20 h;
    downtime saved if a were perfect (A(1_a) - A) x 8,760 = 85.85 h."""
    from cio_analytics.continuity import ServiceModel, service_availability

    text = page("continuity.md")
    for formula in ("`I_B(i) = A(1_i) - A(0_i)`", "`sum_i I_B(i) w_i`",
                    "`(1 - A) hours / sum_i I_B(i) w_i`", "`(1 - A) x hours_per_year`",
                    "`downtime_saved_if_perfect_h = (A(1_i) - A) x hours`"):  # fmt: skip
        assert formula in text, formula
    hours = 8760.0
    a_a, a_b = 990 / 1000, 1960 / 2000
    w_a, w_b = hours / 1000, hours / 2000
    a = a_a * a_b
    i_a, i_b = 1.0 * a_b - 0.0 * a_b, a_a * 1.0 - a_a * 0.0
    outages = i_a * w_a + i_b * w_b
    assert (a, outages) == pytest.approx((0.9702, 12.921))
    model = ServiceModel.from_spec({
        "root": "s", "outage_cost_per_h": 10, "hours_per_year": hours,
        "blocks": {"s": {"type": "series", "children": ["a", "b"]}},
        "components": {"a": {"mtbf_h": 990, "mttr_h": 10}, "b": {"mtbf_h": 1960, "mttr_h": 40}},
    })  # fmt: skip
    res = service_availability(model)
    assert res.availability == pytest.approx(a)
    assert res.downtime_h == pytest.approx((1 - a) * hours)
    assert res.failures_per_year == pytest.approx(outages)
    assert res.mean_outage_h == pytest.approx((1 - a) * hours / outages)
    comp = res.components.set_index("component")
    assert comp["birnbaum"].tolist() == pytest.approx([i_a, i_b])
    assert comp.loc["a", "downtime_saved_if_perfect_h"] == pytest.approx((a_b - a) * hours)


# --- docs/staffing-planning.md: FTE, cost, workload, hiring, on-call -----------------------
def test_staffing_plan_fte_and_cost_formulas_on_the_pages_example():
    """The page's example (sample forecast, SL 80 % in 20 s, occupancy 85 %, shrinkage 30 %,
    37.5 h a week, EUR 58,000 a year): agent_hours = sum(agents_scheduled * interval_s / 3600);
    FTE = agent_hours / n_weeks / 37.5 = 33.2; cost per FTE hour 58,000 / (37.5 x 52);
    weekly_cost = FTE x 37.5 x that; annual_cost = weekly_cost x 52 = 1,927,920 (the page)."""
    from cio_analytics.io import read_staffing_forecast
    from cio_analytics.staffing import staffing_plan

    text = page("staffing-planning.md")
    for formula in ("`agent_hours = sum(agents_scheduled * interval_s / 3600)`",
                    "`FTE = agent_hours / n_weeks / hours_per_fte_week`",
                    "`cost_per_fte_year / (hours_per_fte_week * weeks_per_year)`",
                    "`weekly_cost = FTE * hours_per_fte_week * cost_per_fte_hour`",
                    "`annual_cost = weekly_cost * weeks_per_year`",
                    "(33.2, 1927920)"):  # fmt: skip
        assert formula in text, formula
    forecast = read_staffing_forecast("data/sample/staffing_forecast.csv")
    plan = staffing_plan(forecast, target_service_level=0.8, answer_time_s=20,
                         max_occupancy=0.85, shrinkage=0.3, hours_per_fte_week=37.5,
                         cost_per_fte_year=58_000)  # fmt: skip
    d = plan.detail
    interval_s = d.groupby("queue")["interval_start"].apply(
        lambda s: s.sort_values().diff().dt.total_seconds().min()
    )
    agent_hours = float(np.sum(d["agents_scheduled"] * d["queue"].map(interval_s) / 3600))
    assert agent_hours == pytest.approx(plan.agent_hours)
    fte = agent_hours / plan.n_weeks / 37.5
    assert fte == pytest.approx(plan.total_fte) and round(fte, 1) == 33.2
    cost_per_fte_hour = 58_000 / (37.5 * 52)
    weekly_cost = fte * 37.5 * cost_per_fte_hour
    assert weekly_cost == pytest.approx(plan.weekly_cost)
    assert weekly_cost * 52 == pytest.approx(plan.annual_cost) == pytest.approx(1_927_920)


def test_workload_fte_formula_hand_worked():
    """FTE = hours / (productive_hours_per_fte_year * utilisation_target): 3,200 h at 1,600
    productive hours and 80 % utilisation is 2.5 FTE (the page's hand-worked example)."""
    from cio_analytics.staffing import workload_fte

    text = page("staffing-planning.md")
    assert "`FTE = hours / (productive_hours_per_fte_year * utilisation_target)`" in text
    assert "3,200 h at 1,600\nproductive hours and 80 % utilisation is 2.5 FTE" in text
    res = workload_fte({"activity": ["a"], "demand_hours": [3200.0]},
                       productive_hours_per_fte_year=1600, utilisation_target=0.8, rng=1)  # fmt: skip
    assert 3200 / (1600 * 0.8) == 2.5
    assert res.by_team["fte_likely"].tolist() == pytest.approx([2.5])


def test_hiring_model_formula_on_a_plan():
    """Employees' productive FTE in month t as printed: E0 (1 - a)^t plus, for each
    requisition h_s, h_s (1 - a)^(t-s-L) people each producing min(1, (m + 1)/(k + 1)) FTE in
    their m-th month (m = t - s - L). Evaluated on the plan's own hires: 36 staff, 2 %
    attrition, 2 months to hire, 2 of ramp-up, requirement 40 FTE for 12 months."""
    from cio_analytics.staffing import hiring_plan

    text = page("staffing-planning.md")
    for formula in ("`E0 (1 - a)^t`", "`h_s (1 - a)^(t-s-L)`", "`min(1, (m + 1)/(k + 1))`"):
        assert formula in text, formula
    e0, a, lead, k, n = 36.0, 0.02, 2, 2, 12
    plan = hiring_plan(40.0, current_headcount=e0, n_months=n, monthly_attrition=a,
                       time_to_hire_months=lead, ramp_up_months=k,
                       employee_cost_per_fte_year=58_000, contractor_cost_per_fte_year=96_000)  # fmt: skip
    m = plan.monthly
    hires = m["hires"].to_numpy(dtype=float)
    assert hires.sum() > 0  # the formula's hiring term is exercised
    t = np.arange(n)
    people = e0 * (1 - a) ** t
    fte = e0 * (1 - a) ** t
    for s in np.flatnonzero(hires):
        age = t - s - lead
        on = age >= 0
        people = people + np.where(on, hires[s] * (1 - a) ** np.maximum(age, 0), 0.0)
        ramp = np.minimum(1.0, (age + 1) / (k + 1))
        fte = fte + np.where(on, hires[s] * (1 - a) ** np.maximum(age, 0) * ramp, 0.0)
    np.testing.assert_allclose(m["employees"].to_numpy(dtype=float), people, rtol=1e-9)
    np.testing.assert_allclose(m["employee_fte"].to_numpy(dtype=float), fte, rtol=1e-9)
    assert np.all(m["capacity_fte"].to_numpy() >= 40.0 - 1e-6)


@pytest.mark.parametrize(("n_sites", "by_rule", "expected"), [(1, 8, 8), (2, 4, 6)])
def test_oncall_size_formula_and_the_sre_book(n_sites, by_rule, expected):
    """n = ceil(people_on_call * coverage_hours_per_week / n_sites / (max_oncall_share * 168)),
    raised to the site minimum: primary + secondary 24/7 at 25 % needs 8 at one site
    (ceil(2 x 168 / 42)) and, at two sites, ceil(4) = 4 raised to 6 per site, the SRE book's
    numbers (Beyer et al. 2016, ch. 11 "Being On-Call")."""
    from cio_analytics.staffing import oncall_rotation

    text = page("staffing-planning.md")
    assert ("`n = ceil(people_on_call * coverage_hours_per_week / n_sites / "
            "(max_oncall_share * 168))`") in text  # fmt: skip
    assert math.ceil(2 * 168 / n_sites / (0.25 * 168)) == by_rule
    rot = oncall_rotation(n_on_call=2, n_sites=n_sites)
    assert rot.n_per_site == expected == max(by_rule, 6 if n_sites >= 2 else 0)


# --- docs/performance.md: the backlog identity ---------------------------------------------
def test_backlog_identity_on_the_sample_export():
    """backlog(m) = backlog(m-1) + opened(m) - resolved(m), every team and month of the
    sample ticket export (before its first month the backlog is 0)."""
    from cio_analytics.io import read_ticket_export
    from cio_analytics.performance import ticket_metrics

    assert "`backlog(m) = backlog(m-1) + opened(m) - resolved(m)`" in page("performance.md")
    monthly = ticket_metrics(read_ticket_export("data/sample/tickets_export.csv")).monthly
    for _, g in monthly.sort_values("month").groupby("team"):
        backlog = g["backlog"].to_numpy()
        previous = np.concatenate([[0], backlog[:-1]])
        as_written = previous + g["n_opened"].to_numpy() - g["n_resolved"].to_numpy()
        np.testing.assert_array_equal(backlog, as_written)


# --- docs/valuation-cases.md: escalation and tax -------------------------------------------
def test_escalation_formula_yearly_and_monthly():
    """amount (1 + e)^floor((t - start) / periods_per_year): a licence of 100 from period 1 at
    10 % is 100, 110, 121, 133.1 a year; monthly from month 3 it steps once every 12 months."""
    from cio_analytics.valuation import InvestmentCase, LineItem

    text = page("valuation-cases.md")
    assert "`amount (1 + e)^floor((t - start) / periods_per_year)`" in text
    for ppy, start, horizon in ((1, 1, 4), (12, 3, 3)):
        case = InvestmentCase("e", [LineItem("Lic", "licence", 100, escalation=0.1, start=start)],
                              horizon_years=horizon, discount_rate=0.1, currency="EUR",
                              periods_per_year=ppy)  # fmt: skip
        t = np.arange(horizon * ppy + 1)
        as_written = np.where(t >= start, 100 * 1.1 ** np.floor((t - start) / ppy), 0.0)
        got = -case.evaluate().cash_flows["licence"].to_numpy()
        np.testing.assert_allclose(got, as_written, rtol=1e-12)
    assert as_written[[3, 14, 15, 27]] == pytest.approx([100, 100, 110, 121])


def test_tax_formula_with_straight_line_shield():
    """tax_t = tax_rate (benefit_t - opex_t - licence_t - staff_t - depreciation_t), capex
    depreciated straight line from the period after the spend. Capex 1,000 (2 years), licence
    100 escalating 10 %, opex 50, benefit 600, tax 25 %: year 1 taxable 600 - 50 - 100 - 500 =
    -50, a saving of 12.5; year 3 (no depreciation left) 0.25 x (600 - 50 - 121) = 107.25."""
    from cio_analytics.valuation import InvestmentCase, LineItem

    text = page("valuation-cases.md")
    assert "`tax_t = tax_rate (benefit_t - opex_t - licence_t - staff_t - depreciation_t)`" in text
    case = InvestmentCase("t", [LineItem("Build", "capex", 1000),
                                LineItem("Lic", "licence", 100, escalation=0.1),
                                LineItem("Ben", "benefit", 600),
                                LineItem("Ops", "opex_recurring", 50)],
                          horizon_years=4, discount_rate=0.1, currency="EUR", tax_rate=0.25,
                          depreciation_years=2)  # fmt: skip
    cf = case.evaluate().cash_flows
    benefit, opex, licence = 600.0, 50.0, 100 * 1.1 ** np.arange(4)
    depreciation = np.array([500.0, 500.0, 0.0, 0.0])
    tax = 0.25 * (benefit - opex - licence - 0.0 - depreciation)
    assert tax[[0, 2]] == pytest.approx([-12.5, 107.25])
    np.testing.assert_allclose(cf["depreciation"].to_numpy()[1:], depreciation)
    np.testing.assert_allclose(-cf["tax"].to_numpy()[1:], tax)  # the column is the cash flow
    np.testing.assert_allclose(cf["net"].to_numpy()[1:], benefit - opex - licence - tax)


# --- docs/budget.md: the landing's closed form and the adjustment rule ---------------------
def test_landing_closed_form_against_the_monte_carlo():
    """Groups are independent normals, so the landing is normal with mean A + C + k sum r_g
    and variance sum sigma_g^2 (k + k^2/w) (w = min(run_rate_months, m)). On the page's
    example (sample budget, 3 months left, w = 3, 20,000 trials) the simulated mean, P10/P90
    and P(overrun) match that closed form within 5 Monte Carlo standard errors; and the cut
    rule R = Q_L(percentile) - T of "Recommended adjustment" holds on the same run."""
    from scipy.stats import norm

    from cio_analytics.budget import landing_forecast, recommend_adjustment
    from cio_analytics.io import read_actuals, read_budget, read_commitments

    text = page("budget.md")
    for formula in ("`A + C + k sum r_g`", "`sum sigma_g^2 (k + k^2/w)`",
                    "`R >= Q_L(percentile) - T`"):  # fmt: skip
        assert formula in text, formula
    fc = landing_forecast(read_budget("data/sample/budget.csv"),
                          read_actuals("data/sample/actuals.csv"),
                          read_commitments("data/sample/commitments.csv"),
                          by=("cost_centre", "category"), run_rate_months=3, n_trials=20_000,
                          rng=2026)  # fmt: skip
    g = fc.groups
    k, w, n = fc.n_months_remaining, min(3, fc.n_months_reported), fc.n_trials
    mean = fc.actual_to_date + fc.committed_total + k * g["run_rate"].sum()
    sd = math.sqrt(float(np.sum(g["monthly_sd"] ** 2 * (k + k**2 / w))))
    assert fc.expected_landing == pytest.approx(mean, abs=5 * sd / math.sqrt(n))
    z = norm.ppf(0.9)
    quantile_se = sd * math.sqrt(0.9 * 0.1 / n) / norm.pdf(z)
    assert fc.landing_p10 == pytest.approx(mean - z * sd, abs=5 * quantile_se)
    assert fc.landing_p90 == pytest.approx(mean + z * sd, abs=5 * quantile_se)
    p = norm.sf((fc.budget_total - mean) / sd)
    assert fc.probability_of_overrun == pytest.approx(p, abs=5 * math.sqrt(p * (1 - p) / n))
    adj = recommend_adjustment(fc, percentile=0.8, cut_from={"category": ["grow", "transform"]},
                               max_cut_share=0.5)  # fmt: skip
    r = max(adj.landing_at_percentile - adj.target, 0.0)
    assert adj.reduction_needed == pytest.approx(r)
    assert adj.feasible and adj.reduction_recommended == pytest.approx(r)
    assert adj.probability_of_overrun_after == pytest.approx(0.2, abs=1 / n + 1e-9)


# --- docs/risk-models.md: ROI, FAIR ALE and ROSI, merge bias, cost overruns ----------------
def test_register_mitigation_roi_formula():
    """roi = (reduction - cost) / cost. A certain risk with impact U(900, 1,100) mitigated to
    U(400, 600) at a cost of 100: paired runs use the same uniform v, so every year's loss
    falls by exactly 500; roi = (500 - 100) / 100 = 4."""
    from cio_analytics.risk import Risk, Uniform, simulate_register

    assert "`roi = (reduction - cost) / cost`" in page("risk-models.md")
    res = simulate_register([Risk("r", impact=Uniform(900, 1100), probability=1.0,
                                  mitigation_cost=100, mitigated_impact=Uniform(400, 600))],
                            2_000, rng=1)  # fmt: skip
    row = res.mitigations.iloc[0]
    assert row["reduction"] == pytest.approx(500.0)
    assert row["roi"] == pytest.approx((row["reduction"] - 100) / 100) == pytest.approx(4.0)


def test_fair_ale_and_rosi_formulas():
    """Open FAIR with constants TEF 2, vulnerability 0.5 (LEF = TEF x Vulnerability = 1),
    PL 1,000, SLEF 0.2, SL 5,000: product ALE = LEF x (PL + SLEF x SL) = 2,000 in every year;
    E[ALE] = E[LEF] (E[PL] + E[SLEF] E[SL]) = 2,000 for both methods. A control halving the
    vulnerability at 200 a year: ALE after 1,000, ROSI = (ALE_before - ALE_after - cost) / cost
    = (2,000 - 1,000 - 200) / 200 = 4 (Sonnenreich, Albanese & Stout 2006)."""
    from cio_analytics.risk import FairControl, FairScenario, simulate_fair

    text = page("risk-models.md")
    for formula in ("`LEF = TEF x Vulnerability`", "`ALE = LEF x (PL + SLEF x SL)`",
                    "`E[LEF] (E[PL] + E[SLEF] E[SL])`", "`ALE = sum_e (PL_e + B_e SL_e)`",
                    "`rosi = (ALE_before - ALE_after - cost) / cost`"):  # fmt: skip
        assert formula in text, formula
    tef, vuln, pl, slef, sl = 2.0, 0.5, 1000.0, 0.2, 5000.0
    scenario = FairScenario("s", primary_loss=pl, threat_event_frequency=tef,
                            vulnerability=vuln, secondary_loss_probability=slef,
                            secondary_loss=sl)  # fmt: skip
    lef = tef * vuln
    ale = lef * (pl + slef * sl)
    assert ale == 2000.0 and scenario.expected_ale() == pytest.approx(ale)
    control = FairControl("halve", 200.0, {"vulnerability": 0.25})
    product = simulate_fair(scenario, 1_000, method="product", controls=[control], rng=1)
    np.testing.assert_allclose(product.ale, ale)
    row = product.controls.iloc[0]
    rosi = (row["expected_ale_before"] - row["expected_ale_after"] - 200) / 200
    assert row["rosi"] == pytest.approx(rosi) == pytest.approx(4.0)
    # compound: N ~ Poisson(LEF) events, each PL plus SL with probability SLEF
    n = 200_000
    compound = simulate_fair(scenario, n, method="compound", rng=1)
    var = lef * (pl**2 + 2 * pl * slef * sl + slef * sl**2)  # lambda E[X^2], compound Poisson
    assert compound.expected_ale == pytest.approx(ale, abs=5 * math.sqrt(var / n))
    assert compound.expected_ale_exact == pytest.approx(ale)


def test_merge_bias_hand_worked():
    """P(max <= t) = F_1(t) F_2(t): two parallel tasks, each PERT(10, 15, 20) (median 15),
    finish together by day 15 in 0.5 x 0.5 = 25 % of trials (MacCrimmon & Ryavec 1964);
    finish_j = max_{i in pred(j)} finish_i + d_j with a 1-day task after both: by day 16."""
    from cio_analytics.risk import PERT, Task, simulate_project

    text = page("risk-models.md")
    assert "`P(max <= t) = F_1(t) F_2(t)`" in text and "`0.5 x 0.5 = 25 %`" in text
    assert "`finish_j = max_{i in pred(j)} finish_i + d_j`" in text
    n = 40_000
    tasks = [Task("a", PERT(10, 15, 20)), Task("b", PERT(10, 15, 20)),
             Task("c", 1.0, predecessors=("a", "b"))]  # fmt: skip
    res = simulate_project(tasks, n, rng=7)
    p = float(np.mean(res.completion_days <= 16.0))
    assert p == pytest.approx(0.5 * 0.5, abs=5 * math.sqrt(0.25 * 0.75 / n))
    assert res.pert_estimate_days == pytest.approx(16.0)


def test_overrun_ratio_column():
    """overrun_ratio = actual_cost / budget, row by row of the sample cost-overrun history."""
    from cio_analytics.io import read_cost_overruns

    assert "`overrun_ratio = actual_cost / budget`" in page("risk-models.md")
    table = read_cost_overruns("data/sample/cost_overruns.csv")
    np.testing.assert_allclose(table["overrun_ratio"], table["actual_cost"] / table["budget"])


# --- docs/valuation-rates.md: day-count rules and discounted payback -----------------------
def test_day_count_rules_as_printed():
    """The table's rules by hand on 2012-01-01 -> 2012-07-30 (211 actual days, a leap year;
    30/360 days 209) and 2003-11-01 -> 2004-05-01 (ISDA's example: 61 days in 2003, 121 in
    2004). Excel's YEARFRAC bases 0-4 give 0.58055556, 0.57650273, 0.58611111, 0.57808219,
    0.58055556 (Microsoft's YEARFRAC page for bases 0 and 1; the rest by the printed rules)."""
    from cio_analytics.valuation import year_fraction

    text = page("valuation-rates.md")
    for rule in ("actual days / 365 or 366 (span <= 1 year)", "actual days / 360",
                 "actual days / 365", "30-day months, day 31 -> 30",
                 "days in leap years / 366 + days in other years / 365"):  # fmt: skip
        assert rule in text, rule
    start, end = "2012-01-01", "2012-07-30"
    actual = (pd.Timestamp(end) - pd.Timestamp(start)).days
    assert actual == 211
    days_30 = (2012 - 2012) * 360 + (7 - 1) * 30 + (30 - 1)
    assert year_fraction(start, end, "30/360") == pytest.approx(days_30 / 360)
    assert year_fraction(start, end, "30E/360") == pytest.approx(days_30 / 360)
    assert year_fraction(start, end, "ACT/ACT Excel") == pytest.approx(actual / 366)
    assert year_fraction(start, end, "ACT/360") == pytest.approx(actual / 360)
    assert year_fraction(start, end, "ACT/365F") == pytest.approx(actual / 365)
    assert actual / 360 == pytest.approx(0.58611111, abs=5e-9)
    isda = 61 / 365 + 121 / 366
    assert isda == pytest.approx(0.49772, abs=5e-6)
    assert year_fraction("2003-11-01", "2004-05-01", "ACT/ACT ISDA") == pytest.approx(isda)
    # day 31 -> 30 under 30E/360: 2024-01-31 -> 2024-03-31 is 60 days
    assert year_fraction("2024-01-31", "2024-03-31", "30E/360") == pytest.approx(60 / 360)


def test_discounted_payback_applies_the_payback_rule_to_discounted_flows():
    """discounted_payback_period(r, v) = the payback rule (k - 1) + (-C_{k-1}) / v_k on
    v_j / (1 + r)^j: [-100, 60, 60] at 10 % discounts to -100, 54.545, 49.587; cumulative
    -100, -45.455, 4.132, so 1 + 45.455 / 49.587 = 1.9167."""
    from cio_analytics.valuation import discounted_payback_period

    assert "`discounted_payback_period(r, v)`\n  applies the same rule to `v_j / (1 + r)^j`" in (
        page("valuation-rates.md")
    )
    v = np.array([-100.0, 60.0, 60.0])
    d = v / 1.1 ** np.arange(3)
    c = np.cumsum(d)
    k = int(np.flatnonzero(c >= 0)[0])
    as_written = (k - 1) + (-c[k - 1]) / d[k]
    assert as_written == pytest.approx(1.9166667, abs=5e-7)
    assert discounted_payback_period(0.1, v) == pytest.approx(as_written)


# --- docs/charts.md: waterfall totals, S-curve, risk-matrix likelihood, outcome share -------
def test_waterfall_running_totals_as_printed():
    """relative: T_k = T_{k-1} + v_k, bar [T_{k-1}, T_k]; absolute: T_k = v_k, bar from zero;
    total: shows T_k. Steps +100, -30, absolute 50, +20, total: T = 100, 70, 50, 70, 70 and
    bars [0, 100], [100, 70], [0, 50], [50, 70], [0, 70]."""
    import matplotlib

    matplotlib.use("Agg")
    from cio_analytics.reporting.charts import waterfall

    text = page("charts.md")
    for formula in ("`T_k = T_{k-1} + v_k`, bar `[T_{k-1}, T_k]`", "`T_k = v_k`", "shows `T_k`"):
        assert formula in text, formula
    values = [100.0, -30.0, 50.0, 20.0, np.nan]
    measures = ["relative", "relative", "absolute", "relative", "total"]
    bars, total = [], 0.0
    for v, m in zip(values, measures, strict=True):
        if m == "relative":
            bars.append((total, total + v))
            total += v
        elif m == "absolute":
            total = v
            bars.append((0.0, v))
        else:
            bars.append((0.0, total))
    assert bars == [(0, 100), (100, 70), (0, 50), (50, 70), (0, 70)]
    steps = pd.DataFrame({"step": list("abcde"), "value": values, "measure": measures})
    fig = waterfall(steps, title="t", currency="EUR")
    drawn = [(p.get_y(), p.get_y() + p.get_height()) for p in fig.axes[0].patches]
    np.testing.assert_allclose(np.array(drawn, dtype=float), np.array(bars, dtype=float))


def test_s_curve_is_the_empirical_cdf():
    """F(x) = share of trials <= x through 1,001 quantiles: at each plotted point the share of
    trials at or below x is the plotted probability to within one trial (1/n; numpy's linear
    quantiles interpolate between order statistics)."""
    import matplotlib

    matplotlib.use("Agg")
    from cio_analytics.reporting.charts import s_curve

    assert "`F(x) = share of trials <= x` through 1,001 quantiles" in page("charts.md")
    v = np.random.default_rng(1).normal(size=500)
    line = s_curve(v).axes[0].lines[0]
    x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
    assert x.size == 1001
    share = np.mean(v[None, :] <= x[:, None], axis=1)
    assert np.all(np.abs(share - y) <= 1 / v.size + 1e-12)


def test_risk_matrix_likelihood_of_a_frequency():
    """Likelihood = the probability, or 1 - exp(-frequency) (P(N >= 1) for a Poisson count):
    a risk seen 0.5 times a year is placed at 1 - exp(-0.5) = 39.35 %; impact = the impact
    distribution's mean (PERT(0, 2, 12): 20 / 6)."""
    from cio_analytics.reporting.charts.risk import _risk_points
    from cio_analytics.risk import PERT, Risk

    assert "`1 - exp(-frequency)`" in page("charts.md")
    risks = [Risk("f", impact=PERT(0, 2, 12), frequency=0.5),
             Risk("p", impact=PERT(0, 2, 12), probability=0.3)]  # fmt: skip
    points = _risk_points(risks, mitigated=False)
    assert points["likelihood"].tolist() == pytest.approx([1 - math.exp(-0.5), 0.3])
    assert 1 - math.exp(-0.5) == pytest.approx(0.3935, abs=5e-5)
    assert points["impact"].tolist() == pytest.approx([20 / 6, 20 / 6])


# --- docs/budget.md price/volume, docs/performance.md p-chart, docs/valuation-cases.md DB ---
def test_price_volume_worked_example():
    """volume = (AQ - BQ) x BP, price = (AP - BP) x AQ: planned 100 units at 10, bought 120 at
    12 (calculatorshub.net): price 240, volume 200, total 1,440 - 1,000 = 440."""
    from cio_analytics.budget import price_volume_variance

    text = page("budget.md")
    for formula in ("volume variance = (AQ - BQ) x BP", "price variance = (AP - BP) x AQ",
                    "price (12 - 10) x 120 = 240, volume (120 - 100) x 10 = 200"):  # fmt: skip
        assert formula in text, formula
    bq, bp, aq, ap = 100.0, 10.0, 120.0, 12.0
    volume, price = (aq - bq) * bp, (ap - bp) * aq
    assert (volume, price, volume + price) == (200.0, 240.0, aq * ap - bq * bp) == (200, 240, 440)
    assert price_volume_variance(bq, bp, aq, ap) == pytest.approx((volume, price))


def test_p_chart_limits_on_devores_example():
    """p-bar = sum x / sum n; limits p-bar +/- 3 sqrt(p-bar (1 - p-bar) / n_i) clipped to [0, 1]:
    Devore's example, p-bar 0.0945 with n = 200: LCL 0.0325, UCL 0.1565."""
    from cio_analytics.performance import p_chart

    text = page("performance.md")
    assert "p-bar = sum(x_i) / sum(n_i)" in text
    assert "limits_i = p-bar +/- 3 sqrt(p-bar (1 - p-bar) / n_i),  clipped to [0, 1]" in text
    # 20 samples of 200 with 378 events in all: p-bar = 378 / 4,000 = 0.0945
    x = np.array([19.0] * 18 + [18.0, 18.0])
    n = np.full(20, 200.0)
    p_bar = x.sum() / n.sum()
    half = 3 * np.sqrt(p_bar * (1 - p_bar) / n)
    assert p_bar == pytest.approx(0.0945)
    assert (p_bar - half[0], p_bar + half[0]) == pytest.approx(
        (0.0325, 0.1565), abs=1e-4
    )  # published to 4 places
    chart = p_chart(x, n)
    assert chart.centre == pytest.approx(p_bar)
    np.testing.assert_allclose(chart.points["lcl"], np.clip(p_bar - half, 0, 1))
    np.testing.assert_allclose(chart.points["ucl"], np.clip(p_bar + half, 0, 1))


def test_declining_balance_on_microsofts_example():
    """rate = round(1 - (salvage / cost)^(1 / life), 3); year 1 cost rate month / 12; later
    (cost - prior) rate; year life + 1 (month < 12) (cost - prior) rate (12 - month) / 12.
    Microsoft's DB example: cost 1,000,000, salvage 100,000, life 6, month 7: rate 0.319,
    years 1..7 = 186,083.33, 259,639.42, 176,814.44, 120,410.64, 81,999.64, 55,841.76,
    15,845.10."""
    from cio_analytics.valuation import db

    text = page("valuation-cases.md")
    for formula in ("`rate = round(1 - (salvage / cost)^(1 / life), 3)`",
                    "year 1 `cost rate month / 12`", "years 2..life `(cost - prior) rate`",
                    "`(cost - prior) rate (12 - month) / 12`"):  # fmt: skip
        assert formula in text, formula
    cost, salvage, life, month = 1_000_000.0, 100_000.0, 6, 7
    rate = round(1 - (salvage / cost) ** (1 / life), 3)
    assert rate == 0.319
    as_written, prior = [], 0.0
    for year in range(1, life + 2):
        if year == 1:
            d = cost * rate * month / 12
        elif year <= life:
            d = (cost - prior) * rate
        else:
            d = (cost - prior) * rate * (12 - month) / 12
        as_written.append(d)
        prior += d
    published = [186083.33, 259639.42, 176814.44, 120410.64, 81999.64, 55841.76, 15845.10]
    assert as_written == pytest.approx(published, abs=0.005)
    got = [db(cost, salvage, life, year, month) for year in range(1, life + 2)]
    assert got == pytest.approx(as_written)


# --- docs/reporting-summaries.md: the staffing decision rule -------------------------------
@pytest.mark.parametrize(("current", "verdict"), [(33, "Staffed"), (32.8, "Staffed"),
                                                  (32, "No hiring plan closes the gap")])  # fmt: skip
def test_staffing_decision_gap_rule(current, verdict):
    """gap = plan FTE - current <= tolerance (0.5 FTE): the page's plan needs 33.24 FTE, so 33
    or 32.8 people are staffed (gap 0.24, 0.44) and 32 are not (gap 1.24, no hiring plan)."""
    from cio_analytics.io import read_staffing_forecast
    from cio_analytics.reporting import staffing_decision
    from cio_analytics.staffing import staffing_plan

    assert "gap = plan FTE - current <= tolerance" in page("reporting-summaries.md")
    plan = staffing_plan(read_staffing_forecast("data/sample/staffing_forecast.csv"),
                         target_service_level=0.8, answer_time_s=20, max_occupancy=0.85,
                         shrinkage=0.3, hours_per_fte_week=37.5, cost_per_fte_year=58_000)  # fmt: skip
    gap = plan.total_fte - current
    assert (gap <= 0.5) == (verdict == "Staffed")
    decision = staffing_decision(plan, current_fte=current, team="Service desk")
    assert decision.decision == verdict


# --- docs/risk-engine.md: moments, the normal-score map and Wilks' sample size -------------
def test_lognormal_and_beta_means_as_printed():
    """LogNormal mean exp(mu + sigma^2 / 2); Beta(a, b, low, high) mean low + (high - low)
    a / (a + b): LogNormal(0, 1) has mean e^0.5 = 1.6487; Beta(2, 6, 10, 30) has 15."""
    from cio_analytics.risk import Beta, LogNormal

    text = page("risk-engine.md")
    assert "exp(μ + σ²/2)" in text and "low + (high-low) a/(a+b)" in text
    assert LogNormal(0.0, 1.0).mean() == pytest.approx(math.exp(0 + 1**2 / 2))
    assert Beta(2, 6, low=10, high=30).mean() == pytest.approx(10 + (30 - 10) * 2 / (2 + 6))


def test_normal_score_correlation_map_and_its_inverse():
    """r = 2 sin(pi rho / 6) and back (6 / pi) arcsin(r / 2) (Pearson 1907; the Spearman
    correlation of bivariate normals): rho 0.5 -> r 0.517638; rho 1 -> r 1."""
    from cio_analytics.risk.correlation import normal_to_spearman, spearman_to_normal

    text = page("risk-engine.md")
    assert "`r = 2 sin(π ρ / 6)`" in text and "`(6/π) arcsin(r/2)`" in text
    rho = np.array([0.0, 0.3, 0.5, 1.0, -0.7])
    r = 2 * np.sin(np.pi * rho / 6)
    assert r[[2, 3]] == pytest.approx([0.517638, 1.0], abs=5e-7)
    np.testing.assert_allclose(spearman_to_normal(rho), r)
    np.testing.assert_allclose(normal_to_spearman(r), 6 / np.pi * np.arcsin(r / 2))
    np.testing.assert_allclose(normal_to_spearman(r), rho, atol=1e-15)


def test_wilks_sample_sizes():
    """Wilks (1941): the maximum of n trials is a 95 %/95 % one-sided tolerance limit when
    1 - 0.95^n >= 0.95, first at n = 59; the second largest when 1 - 0.95^n - n 0.05
    0.95^(n-1) >= 0.95, first at n = 93 (the page's numbers)."""
    from cio_analytics.risk import wilks_sample_size

    text = page("risk-engine.md")
    assert (
        "59 trials make the maximum a\n  95 %/95 %" in text and "93 for the second largest" in text
    )
    n = np.arange(1, 200)
    first = int(n[1 - 0.95**n >= 0.95][0])
    second = int(n[1 - 0.95**n - n * 0.05 * 0.95 ** (n - 1) >= 0.95][0])
    assert (first, second) == (59, 93)
    assert wilks_sample_size() == first and wilks_sample_size(order=2) == second


def test_outage_compound_poisson_mean_and_variance_as_printed():
    """docs/continuity.md, outage simulation: E[D] = sum_i I_B(i) w_i E[R_i],
    Var[D] = sum_i I_B(i) w_i E[R_i^2] on a series of a (2 failures a year, restore uniform
    2-6 h: E[R] = 4, E[R^2] = 16/12 + 16) and b (1 a year, fixed 4 h: E[R^2] = 16)."""
    from cio_analytics.continuity import ServiceModel, service_availability, simulate_outages

    text = page("continuity.md")
    assert "`E[D] = sum_i I_B(i) w_i E[R_i]`, `Var[D] = sum_i I_B(i) w_i E[R_i^2]`" in text
    model = ServiceModel.from_spec({
        "root": "s", "outage_cost_per_h": 10, "hours_per_year": 8760.0,
        "blocks": {"s": {"type": "series", "children": ["a", "b"]}},
        "components": {
            "a": {"failures_per_year": 2.0,
                  "restore_h": {"distribution": "uniform", "low": 2, "high": 6}},
            "b": {"failures_per_year": 1.0, "restore_h": 4.0}},
    })  # fmt: skip
    res = simulate_outages(model, n_trials=20_000, rng=7)
    comp = res.components.set_index("component")
    rate = comp.loc[["a", "b"], "outages_per_year"].to_numpy()
    # I_B(i) from the availability model (tested above), w_i the failure frequency
    birnbaum = service_availability(model).components.set_index("component")["birnbaum"]
    assert rate == pytest.approx(birnbaum.loc[["a", "b"]].to_numpy() * np.array([2.0, 1.0]))
    e_r = np.array([4.0, 4.0])
    e_r2 = np.array([(6 - 2) ** 2 / 12 + 16.0, 16.0])
    mean_d, var_d = float(np.sum(rate * e_r)), float(np.sum(rate * e_r2))
    assert res.expected_downtime_h == pytest.approx(mean_d)
    assert res.sd_downtime_h == pytest.approx(math.sqrt(var_d))
    # the simulation agrees with the closed forms (5 standard errors)
    assert abs(res.downtime_h.mean() - mean_d) < 5 * math.sqrt(var_d / res.n_trials)
    assert res.downtime_h.var() == pytest.approx(var_d, rel=0.1)


def test_share_of_variance_is_cov_over_var_as_printed():
    """docs/portfolio.md: each project's share of the variance cov(NPV_i, total) / var(total),
    adding up to 1. Evaluated with numpy on the run's own samples, and for independent
    projects against the PERT variances (mean - low)(high - mean) / 7 (Vose 2008): A 10 x 20 / 7,
    B 15 x 30 / 7, D 17 x 13 / 7, so shares var_i / sum_j var_j."""
    from cio_analytics.portfolio import Portfolio, simulate_portfolio

    assert "(`cov(NPV_i, total) / var(total)`, adding up to 1)" in page("portfolio.md")
    t = pd.DataFrame({"id": ["A", "B", "C", "D"], "npv": [10.0, 20.0, 5.0, 7.0],
                      "npv_low": [0.0, 5.0, 5.0, -10.0], "npv_high": [30.0, 50.0, 5.0, 20.0],
                      "cost_2027": [1.0, 1.0, 1.0, 1.0], "risk_driver": ["erp", "erp", "", "cloud"]})  # fmt: skip
    res = simulate_portfolio(Portfolio.from_table(t), ["A", "B", "D"], 40_000, within_driver=0.6,
                             rng=5)  # fmt: skip
    x = res.simulation.samples[["p0", "p1", "p2"]].to_numpy()
    total = x.sum(axis=1)
    as_written = np.array([np.cov(x[:, j], total)[0, 1] for j in range(3)]) / np.var(total, ddof=1)
    share = res.by_project["share_of_variance"].to_numpy()
    np.testing.assert_allclose(share, as_written, rtol=1e-9)
    assert share.sum() == pytest.approx(1.0)
    assert share[0] + share[1] > 0.8  # the correlated erp pair carries most of the variance
    ind = simulate_portfolio(Portfolio.from_table(t), ["A", "B", "D"], 40_000, within_driver=0.0,
                             rng=5)  # fmt: skip
    pert_var = np.array([10 * 20, 15 * 30, 17 * 13]) / 7
    np.testing.assert_allclose(ind.by_project["share_of_variance"], pert_var / pert_var.sum(),
                               atol=0.02)  # fmt: skip


def test_inhouse_year_cost_and_growth_g_t_as_printed():
    """docs/sourcing.md: year t costs (FTE_q(V_t) + FTE_f) * cost_per_fte_year * g_t +
    fixed_cost_per_year * g_t, g_t = (1 + escalation)^(t-1), plus the one-off (year 0) and exit
    cost (year H). Fixed work of exactly 1 FTE (1,450 h x 0.85), 60,000 per FTE, 5,000 fixed,
    4 % escalation over 3 years: 65,000, 67,600, 70,304; TCO adds 10,000 + 2,000."""
    from cio_analytics.sourcing import compare_offers
    from cio_analytics.sourcing.inhouse import inhouse_vs_outsourced

    text = page("sourcing.md")
    assert "`(FTE_q(V_t) + FTE_f) * cost_per_fte_year * g_t + fixed_cost_per_year * g_t`" in text
    assert "`g_t = (1 + escalation)^(t-1)`" in text
    vf = pd.DataFrame({"year": [1, 2, 3], "low": [900.0] * 3, "likely": [1000.0] * 3,
                       "high": [1200.0] * 3})  # fmt: skip
    cmp = compare_offers([Offer("V", tiers=TierSchedule([0], [50.0]))], vf, discount_rate=0.0,
                         n_trials=200, rng=3)  # fmt: skip
    demand = pd.DataFrame({"activity": ["run"], "demand_hours": [1450.0 * 0.85]})
    res = inhouse_vs_outsourced(cmp, cost_per_fte_year=60000, demand=demand, escalation=0.04,
                                fixed_cost_per_year=5000, one_off_cost=10000, exit_cost=2000,
                                rng=3)  # fmt: skip
    t = np.arange(1, 4)
    g_t = (1 + 0.04) ** (t - 1)
    as_written = (0.0 + 1.0) * 60000 * g_t + 5000 * g_t
    np.testing.assert_allclose(as_written, [65000.0, 67600.0, 70304.0])
    np.testing.assert_allclose(res.by_year["cost"], as_written, rtol=1e-12)
    np.testing.assert_allclose(res.tco_samples, as_written.sum() + 10000 + 2000, rtol=1e-12)


def test_spend_ratio_prediction_standard_error_as_printed():
    """docs/budget.md: distance from the trend in standard errors of a new observation,
    s sqrt(1 + 1/n + (x0 - xbar)^2 / Sxx) (NIST/SEMATECH e-Handbook 4.5.2.2), on four past
    years (spend 10, 12, 13, 16 M) and this year 19 M (trend 17.5 M); NaN with two past years."""
    from cio_analytics.budget import spend_ratios

    assert "`s sqrt(1 + 1/n + (x0 - xbar)^2 / Sxx)`" in page("budget.md")
    years = np.array([2021.0, 2022.0, 2023.0, 2024.0])
    spend = np.array([10.0, 12.0, 13.0, 16.0]) * 1e6
    history = pd.DataFrame({"year": [2021, 2022, 2023, 2024, 2025],
                            "it_spend": [*spend, np.nan], "employees": [1000.0] * 5,
                            "revenue": [200e6] * 5})  # fmt: skip
    res = spend_ratios(history, current_spend=19e6)
    coef = np.polyfit(years, spend, 1)
    assert np.polyval(coef, 2025.0) == pytest.approx(17.5e6)
    n, x0, xbar = years.size, 2025.0, years.mean()
    s = np.sqrt(np.sum((spend - np.polyval(coef, years)) ** 2) / (n - 2))
    se = s * np.sqrt(1 + 1 / n + (x0 - xbar) ** 2 / np.sum((years - xbar) ** 2))
    row = res.trend.set_index("measure").loc["it_spend"]
    assert row["trend_value"] == pytest.approx(np.polyval(coef, x0))
    assert row["z_score"] == pytest.approx((19e6 - np.polyval(coef, x0)) / se)
    per_emp = res.trend.set_index("measure").loc["spend_per_employee", "z_score"]
    assert per_emp == pytest.approx(row["z_score"])  # constant headcount: same distance
    short = spend_ratios(history.iloc[2:], current_spend=19e6)
    assert np.isnan(short.trend.set_index("measure").loc["it_spend", "z_score"])


def test_attainment_reopen_and_fcr_definitions_as_printed():
    """docs/performance.md, "Metrics": per team and month m of resolution, SLA attainment =
    resolved in m within target (resolved_at - opened_at <= sla_target_h) / resolved in m;
    reopen rate = resolved with reopened_count > 0 / resolved; FCR = resolved at first contact /
    resolved with a known flag. Recomputed with pandas on the sample export."""
    from cio_analytics.io import read_ticket_export
    from cio_analytics.performance import ticket_metrics

    text = page("performance.md")
    for formula in ("tickets *resolved* in *m* within target / tickets resolved in",
                    "`resolved_at - opened_at <= sla_target_h` (inclusive)",
                    "**Reopen rate** = resolved tickets with `reopened_count > 0` / resolved.",
                    "= resolved at first contact / resolved with a known flag"):  # fmt: skip
        assert formula in text, formula
    t = read_ticket_export("data/sample/tickets_export.csv")
    res = ticket_metrics(t)
    done = t[t["resolved_at"].notna() & (t["resolved_at"] < res.as_of)].copy()
    hours = (done["resolved_at"] - done["opened_at"]).dt.total_seconds() / 3600
    done["met"] = hours <= done["sla_target_h"]
    done["reopened"] = done["reopened_count"].fillna(0) > 0
    fc = done["first_contact"].astype("float")
    done["fc_known"], done["fc_yes"] = fc.notna(), fc.fillna(0) > 0
    done["month"] = done["resolved_at"].dt.to_period("M").dt.to_timestamp()
    g = done.groupby(["team", "month"])
    by_hand = pd.DataFrame({"sla_attainment": g["met"].mean(), "reopen_rate": g["reopened"].mean(),
                            "fcr_rate": g["fc_yes"].sum() / g["fc_known"].sum()})  # fmt: skip
    lib = res.monthly.set_index(["team", "month"]).loc[by_hand.index]
    assert len(by_hand) > 10 and 0 < by_hand["sla_attainment"].mean() < 1
    for col in ("sla_attainment", "reopen_rate", "fcr_rate"):
        np.testing.assert_allclose(lib[col], by_hand[col], rtol=1e-12, err_msg=col)


# --- docs/charts.md: outcome probability, tornado order, loss exceedance ------------------
def test_outcome_probability_is_mean_x_below_threshold():
    """The probability written on an outcome distribution is mean(x < threshold) ("below") or
    mean(x > threshold) ("above") over all finite trials, including those off the axis."""
    from cio_analytics.reporting.charts._outcomes import outcome_of
    from cio_analytics.reporting.charts.distribution import _p_loss

    assert '`mean(x < threshold)` ("below") or `mean(x > threshold)`' in page("charts.md")
    x = np.random.default_rng(4).normal(1.0, 2.0, 999)
    x[:3] = [-1e6, 1e6, 0.5]  # extremes far beyond the plotted P0.5-P99.5 range still count
    o = outcome_of(x)
    for thr in (-1.0, 0.0, 0.5, 2.5):
        assert _p_loss(o, thr, "below") == pytest.approx(np.mean(x < thr))
        assert _p_loss(o, thr, "above") == pytest.approx(np.mean(x > thr))


def test_tornado_bins_and_sort_order_as_printed():
    """Tornado: for each input the mean output over trials with the input at or below its P10
    and at or above its P90, sorted by |high_mean - low_mean| (largest on top). Output
    3 a - 5 b + 0.1 c: swings order b, a, c."""
    import matplotlib

    matplotlib.use("Agg")
    from cio_analytics.reporting.charts import tornado
    from cio_analytics.risk import Uniform, simulate

    text = page("charts.md")
    assert "at or below its P10 (orange) and at or above its P90 (blue)" in text
    assert "Sorted by `|high_mean - low_mean|`" in text
    res = simulate(lambda a, b, c: {"y": 3 * a - 5 * b + 0.1 * c},
                   {"a": Uniform(0, 1), "b": Uniform(0, 1), "c": Uniform(0, 1)}, 4000, rng=2,
                   keep_inputs=4000)  # fmt: skip
    s = res.samples
    y = s["y"].to_numpy()
    low = {k: y[s[k] <= np.quantile(s[k], 0.1)].mean() for k in "abc"}
    high = {k: y[s[k] >= np.quantile(s[k], 0.9)].mean() for k in "abc"}
    table = res.sensitivity("y").set_index("input")
    for k in "abc":
        assert table.loc[k, "low_mean"] == pytest.approx(low[k])
        assert table.loc[k, "high_mean"] == pytest.approx(high[k])
    order = sorted("abc", key=lambda k: -abs(high[k] - low[k]))
    assert order == ["b", "a", "c"]
    fig = tornado(res, "y")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == order


def test_loss_exceedance_curve_is_p_l_greater_than_x():
    """Loss exceedance P(L > x) at 201 quantiles of the simulated annual losses; an appetite
    point (L, p) is breached when P(annual loss > L) > p."""
    from cio_analytics.reporting.charts.risk import _curve

    text = page("charts.md")
    assert "`P(L > x)` at 201 quantiles of the simulated annual losses" in text
    assert "breached when `P(annual loss > L) > p`" in text
    rng = np.random.default_rng(6)
    losses = np.where(rng.random(3000) < 0.3, rng.lognormal(10, 1, 3000), 0.0)
    x, p = _curve(np.sort(losses))
    assert x.size == 201
    np.testing.assert_allclose(x, np.quantile(losses, np.linspace(0, 1, 201)))
    np.testing.assert_allclose(p, np.mean(losses[None, :] > x[:, None], axis=1))
    assert p[0] == pytest.approx(np.mean(losses > 0))  # x_0 = 0, the zero-loss years excluded


# --- docs/risk-engine.md: PERT tails, LHS strata, Sobol', AIC/BIC, se(s), precision ---------
def test_beta_ppf_tails_follow_a_b_q_power_one_over_a():
    """Near q = 0 the Beta(a, b) quantile behaves like (a B q)^(1/a) (B the beta function),
    and near q = 1 the mirror 1 - x ~ (b B (1 - q))^(1/b): from I_x(a, b) ~ x^a / (a B).
    PERT(1, 2, 6) has a = 1.8, b = 4.2; 30,000 values so the tables are used."""
    from scipy.special import beta as beta_fn

    from cio_analytics.risk._beta_ppf import beta_ppf

    assert "`(a B q)^(1/a)`" in page("risk-engine.md")
    a, b = 1.8, 4.2
    tiny = np.array([1e-300, 1e-100, 1e-30, 1e-20])
    q = np.concatenate([tiny, 1 - np.array([1e-12, 1e-14]), np.linspace(0.01, 0.99, 30_000)])
    x = beta_ppf(q, a, b)
    np.testing.assert_allclose(x[:4], (a * beta_fn(a, b) * tiny) ** (1 / a), rtol=1e-9)
    upper = np.array([1e-12, 1e-14])
    np.testing.assert_allclose(1 - x[4:6], (b * beta_fn(a, b) * upper) ** (1 / b), rtol=0.02)


def test_lhs_puts_one_draw_in_each_equal_probability_stratum():
    """LHS: one draw per equal-probability stratum, values ppf((i + u_i)/m): the CDF of the m
    draws of each input, times m and floored, is 0, 1, ..., m - 1 once each. Uniform(0, 10)
    (F = x / 10) and PERT(1, 2, 6) = 1 + 5 Beta(1.8, 4.2)."""
    from scipy import stats

    from cio_analytics.risk import PERT, Uniform, simulate

    assert "equal-probability stratum, values `ppf((i + u_i)/m)`" in page("risk-engine.md")
    m = 1000
    res = simulate(lambda u, p: {"y": u + p}, {"u": Uniform(0, 10), "p": PERT(1, 2, 6)}, m,
                   method="lhs", rng=11)  # fmt: skip
    f_u = res.samples["u"].to_numpy() / 10
    f_p = stats.beta.cdf((res.samples["p"].to_numpy() - 1) / 5, 1.8, 4.2)
    for f in (f_u, f_p):
        assert np.sort(np.floor(f * m)).tolist() == list(range(m))


def test_sobol_jansen_estimators_as_printed():
    """S1_i = 1 - mean((f(B) - f(A_B^i))^2) / (2V), ST_i = mean((f(A) - f(A_B^i))^2) / (2V),
    V the variance of f(A) and f(B) together (Jansen 1999; Saltelli et al. 2010, table 2),
    recomputed from the design rows the model saw (A, B, then A_B^i for each input), and on
    y = x1 + 2 x2 + x1 x3 with uniform(0, 1) inputs near the closed forms."""
    from cio_analytics.risk import Uniform, sobol_indices

    text = page("risk-engine.md")
    assert "S1_i = 1 - mean((f(B) - f(A_B^i))^2) / (2V)" in text
    assert "ST_i = mean((f(A) - f(A_B^i))^2) / (2V)" in text
    seen = {}

    def model(x1, x2, x3):
        seen["y"] = x1 + 2 * x2 + x1 * x3
        return {"y": seen["y"]}

    n, k = 4096, 3
    res = sobol_indices(model, {f"x{i}": Uniform(0, 1) for i in (1, 2, 3)}, n, rng=3,
                        n_bootstrap=10)  # fmt: skip
    y = seen["y"]
    fa, fb, fab = y[:n], y[n : 2 * n], y[2 * n :].reshape(k, n)
    v = np.var(np.concatenate([fa, fb]))
    s1 = 1 - np.mean((fb - fab) ** 2, axis=1) / (2 * v)
    st = np.mean((fa - fab) ** 2, axis=1) / (2 * v)
    np.testing.assert_allclose(res.indices["S1"], s1, rtol=1e-10)
    np.testing.assert_allclose(res.indices["ST"], st, rtol=1e-10)
    # closed forms: Var = Var(x1 (1 + x3)) + 4/12; x1 alone explains (3/2)^2 / 12
    var_y = (1 / 3) * (7 / 3) - (1 / 2 * 3 / 2) ** 2 + 4 / 12
    exact_s1 = np.array([(9 / 4) / 12, (4 / 12), (1 / 4) / 12]) / var_y
    np.testing.assert_allclose(s1, exact_s1, atol=0.03)


def test_aic_and_bic_as_printed():
    """AIC = 2k - 2 ln L and BIC = k ln n - 2 ln L, ln L the log-likelihood at the MLE computed
    here with scipy: Normal (mean, sd with ddof 0; k = 2), LogNormal (moments of ln x; k = 2),
    Exponential (rate 1 / mean, lower bound 0; k = 1)."""
    from scipy import stats

    from cio_analytics.risk import LogNormal, fit_distribution

    text = page("risk-engine.md")
    assert "`AIC = 2k - 2 ln L` (or `BIC = k ln n - 2 ln L`" in text
    x = LogNormal(0.1, 0.4).sample(300, rng=5)
    n, lx = x.size, np.log(x)
    ll = {
        "Normal": (2, stats.norm.logpdf(x, x.mean(), x.std()).sum()),
        "LogNormal": (2, stats.lognorm.logpdf(x, lx.std(), scale=np.exp(lx.mean())).sum()),
        "Exponential": (1, stats.expon.logpdf(x, scale=x.mean()).sum()),
    }
    for criterion in ("aic", "bic"):
        fit = fit_distribution(x, list(ll), criterion=criterion, n_bootstrap=0, rng=1)
        fits = fit.fits.set_index("family")
        for family, (k, lnl) in ll.items():
            assert fits.loc[family, "log_likelihood"] == pytest.approx(lnl, rel=1e-7)
            assert fits.loc[family, "aic"] == pytest.approx(2 * k - 2 * lnl, rel=1e-7)
            assert fits.loc[family, "bic"] == pytest.approx(k * math.log(n) - 2 * lnl, rel=1e-7)
        assert fit.best_family == min(ll, key=lambda f: fits.loc[f, criterion])


def test_sd_standard_error_trials_for_precision_and_contingency():
    """se(s) = sqrt((m4 - s^4 (n-3)/(n-1)) / n) / (2s) (delta method on s^2; for normal data
    about s / sqrt(2(n-1))); trials_for_precision = n (h / tol)^2, for the mean (z sd / tol)^2;
    contingency(base, percentile=0.8) = P80 - base (type 7 quantile)."""
    from scipy import stats

    from cio_analytics.risk import Normal, simulate
    from cio_analytics.risk.results import precision_of

    text = page("risk-engine.md")
    for formula in ("`se(s) = sqrt((m4 - s^4 (n-3)/(n-1)) / n) / (2s)`",
                    "`trials_for_precision(statistic, rel_tol=|abs_tol=)`: n·(h/tol)²",
                    "(for the mean, (z·sd/tol)²)", "`contingency(base, percentile=0.8)`: P80 - base"):  # fmt: skip
        assert formula in text, formula
    res = simulate(lambda x: {"y": np.exp(x)}, {"x": Normal(0, 0.5)}, 5000, rng=9)
    y = res.samples["y"].to_numpy()
    n, z = y.size, stats.norm.ppf(0.975)
    d = y - y.mean()
    s = np.sqrt(np.sum(d**2) / (n - 1))
    m4 = np.mean(d**4)
    se_s = np.sqrt((m4 - s**4 * (n - 3) / (n - 1)) / n) / (2 * s)
    est, half = precision_of(res, "sd", None, 0.95)
    assert (est, half) == pytest.approx((s, z * se_s), rel=1e-9)
    assert se_s > 1.2 * s / np.sqrt(2 * (n - 1))  # lognormal: heavier tails than normal theory
    g = np.random.default_rng(2).normal(size=20_000)
    dg, ng = g - g.mean(), g.size
    sg = dg.std(ddof=1)
    se_g = np.sqrt((np.mean(dg**4) - sg**4 * (ng - 3) / (ng - 1)) / ng) / (2 * sg)
    assert se_g == pytest.approx(sg / np.sqrt(2 * (ng - 1)), rel=0.05)  # normal theory
    tol = 0.01
    assert res.trials_for_precision("mean", abs_tol=tol) == math.ceil(
        (z * y.std(ddof=1) / tol) ** 2
    )
    assert res.trials_for_precision("sd", abs_tol=tol) == math.ceil(n * (z * se_s / tol) ** 2)
    assert res.contingency(base=1.0) == pytest.approx(np.quantile(y, 0.8) - 1.0)
    assert res.contingency(1.0, percentile=0.9) == pytest.approx(np.quantile(y, 0.9) - 1.0)


# --- docs/risk-models.md: occurrence exceedance closed forms, the appetite rule -----------
def test_occurrence_exceedance_closed_forms_as_printed():
    """Independent once-a-year risks: OEP(x) = 1 - prod(1 - p_i P(I_i > x)); Poisson events:
    1 - exp(-lambda P(I > x)); together the product of both survival terms. Register: a
    (p 0.3, PERT(10, 20, 60)), b (p 0.2, PERT(5, 30, 40)), c (2 a year, PERT(1, 10, 50))."""
    from cio_analytics.risk import PERT, Risk, simulate_register

    text = page("risk-models.md")
    assert "`1 - prod(1 - p_i P(I_i > x))`" in text
    assert "`1 - exp(-lambda P(I > x))`" in text
    a, b, c = PERT(10, 20, 60), PERT(5, 30, 40), PERT(1, 10, 50)
    risks = [Risk("a", impact=a, probability=0.3), Risk("b", impact=b, probability=0.2),
             Risk("c", impact=c, frequency=2.0)]  # fmt: skip
    res = simulate_register(risks, 200_000, rng=4)
    x = np.array([5.0, 15.0, 25.0, 35.0, 45.0])
    once = 1 - (1 - 0.3 * (1 - a.cdf(x))) * (1 - 0.2 * (1 - b.cdf(x)))
    poisson = 1 - np.exp(-2.0 * (1 - c.cdf(x)))
    exact = 1 - (1 - once) * (1 - poisson)
    oep = np.asarray(res.occurrence_exceedance(x))
    np.testing.assert_allclose(oep, exact, atol=4e-3)  # 200,000 years: sd <= 0.0012
    once_only = simulate_register(risks[:2], 200_000, rng=4)
    np.testing.assert_allclose(once_only.occurrence_exceedance(x), once, atol=4e-3)
    assert np.all(oep <= np.mean(res.total_before[:, None] > x[None, :], axis=0) + 1e-12)


def test_appetite_breached_when_exceedance_above_max_probability():
    """A point (loss, max_probability) is breached when P(ALE > loss) > max_probability,
    compared where given: recomputed with numpy on the simulated annual losses."""
    from cio_analytics.risk import PERT, Risk, simulate_register

    assert "when `P(ALE > loss) > max_probability`" in page("risk-models.md")
    risks = [Risk("a", impact=PERT(10, 20, 60), probability=0.3),
             Risk("c", impact=PERT(1, 10, 50), frequency=2.0)]  # fmt: skip
    points = pd.DataFrame({"loss": [10.0, 40.0, 80.0], "max_probability": [0.9, 0.2, 0.05]})
    res = simulate_register(risks, 50_000, appetite=points, rng=8)
    total = res.total_before
    p = np.array([np.mean(total > v) for v in points["loss"]])
    table = res.appetite
    np.testing.assert_allclose(table["probability_exceeding"], p)
    assert table["breached"].tolist() == (p > points["max_probability"].to_numpy()).tolist()
    assert table["breached"].any() and not table["breached"].all()
