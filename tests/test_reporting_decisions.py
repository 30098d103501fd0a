"""The decision helpers of reporting/decisions.py on small hand-built inputs: every branch of
each verdict, the flags the reader needs, and key numbers that are the inputs' figures.

The inputs are stand-ins (``SimpleNamespace``) carrying only the attributes each helper reads,
so every verdict can be reached with numbers small enough to check by hand.
"""

from __future__ import annotations

import re
from types import SimpleNamespace as NS

import numpy as np
import pandas as pd
import pytest

from cio_analytics.exceptions import ParameterError
from cio_analytics.reporting.decisions import (
    budget_decision,
    continuity_decision,
    focus_team,
    investment_decision,
    performance_decision,
    portfolio_decision,
    risk_decision,
    sourcing_decision,
    staffing_decision,
)
from cio_analytics.reporting.decisions.risk import appetite_headline
from cio_analytics.reporting.decisions.staffing import hiring_plan_text, staffing_title
from cio_analytics.reporting.decisions.valuation import comparison_table, plan_against_trials
from cio_analytics.reporting.formatting import format_money, format_percent
from cio_analytics.reporting.summary import Decision, executive_summary
from cio_analytics.reporting.tables import report_table

MONTHS = list(pd.date_range("2026-01-01", periods=12, freq="MS"))


def key(decision: Decision, figure_start: str) -> pd.Series:
    k = decision.key_numbers
    rows = k[k["figure"].str.startswith(figure_start)]
    assert len(rows) == 1, (figure_start, k["figure"].tolist())
    return rows.iloc[0]


# ----------------------------------------------------------------------------- budget
def forecast(p50=10.1e6, overrun=0.6):
    return NS(landing_p10=p50 - 0.5e6, landing_p50=p50, landing_p90=p50 + 0.5e6,
              budget_total=10e6, probability_of_overrun=overrun, currency="EUR",
              months=MONTHS, n_months_reported=9)  # fmt: skip


def adjustment(needed, recommended, feasible, after=0.2):
    return NS(reduction_needed=needed, reduction_recommended=recommended, feasible=feasible,
              probability_of_overrun_after=after, percentile=0.8, landing_p50_after=0.0)  # fmt: skip


def test_budget_on_track():
    d = budget_decision(forecast(9.5e6, 0.1), adjustment(0.0, 0.0, True))
    assert d.decision == "On track" and d.favourable is True
    assert "no cut needed to land within budget with 80 % confidence" in d.sentence
    assert d.flags == () and d.at_stake is None


def test_budget_adjust_names_the_cut_the_categories_and_the_months():
    d = budget_decision(forecast(), adjustment(4e5, 4e5, True), cut_from=["grow", "transform"])
    assert d.decision == "Adjust" and d.favourable is None
    assert d.sentence.startswith("Adjust: landing at EUR 10.1M (P10 to P90 EUR 9.6M to EUR 10.6M)")
    assert "recommend cutting EUR 400k from grow/transform in October to December." in d.sentence
    assert (d.at_stake, d.at_stake_label) == (4e5, "Cut to make")
    landing = key(d, "Full-year landing")
    assert (landing["value"], landing["low"], landing["high"]) == (10.1e6, 9.6e6, 10.6e6)
    assert key(d, "Recommended cut (grow/transform)")["value"] == 4e5
    assert key(d, "Chance of overrun")["kind"] == "percent"


def test_budget_escalate_when_the_largest_cut_is_not_enough():
    d = budget_decision(forecast(), adjustment(9e5, 5e5, False, after=0.35))
    assert d.decision == "Escalate" and d.favourable is False
    assert "cutting the most allowed, EUR 500k from all spend in October to December" in d.sentence
    assert "still leaves a 35 % chance of overrun: revisit the budget." in d.sentence


def test_budget_variance_adds_a_key_number():
    d = budget_decision(forecast(), adjustment(4e5, 4e5, True), NS(variance_total=123456.0))
    assert key(d, "Variance to date")["value"] == 123456.0
    assert len(d.key_numbers) == 5


@pytest.mark.parametrize(
    ("as_of", "window", "flag"),
    [
        # before the months of the cut: the whole window, nothing to flag
        ("2026-09-15", "in October to December.", None),
        # the first day of the first month: the whole window is left
        ("2026-10-01", "in October to December.", None),
        # the last day of November: November can still act
        ("2026-11-30", "in November and December.", "only November and December are left"),
        # a pack run on 7 Dec: only December can act, and the cut weighs three times as much
        ("2026-12-07", "in December.", "On 7 Dec 2026 only December is left of the 3 months"),
    ],
)
def test_budget_dates_the_cut_from_the_run_date(as_of, window, flag):
    d = budget_decision(forecast(), adjustment(4e5, 4e5, True), as_of=as_of)
    assert d.decision == "Adjust"
    assert d.sentence.endswith(f"recommend cutting EUR 400k from all spend {window}")
    assert "Oct-Dec" not in d.sentence
    if flag is None:
        assert d.flags == ()
    else:
        assert len(d.flags) == 1 and flag in d.flags[0]
    if as_of == "2026-12-07":  # EUR 400k on one month instead of EUR 133.3k on each of three
        assert "the whole EUR 400k falls on December instead of EUR 133.3k a month" in d.flags[0]
    if as_of == "2026-11-30":
        assert "falls on 2 months, EUR 200k a month instead of EUR 133.3k" in d.flags[0]


def test_budget_window_that_has_passed_escalates_with_a_flag():
    d = budget_decision(forecast(), adjustment(4e5, 4e5, True), as_of="2027-01-05")
    assert d.decision == "Escalate" and d.favourable is False
    assert "recommend cutting" not in d.sentence
    assert "(October to December) have passed" in d.sentence
    assert len(d.flags) == 1 and "have passed" in d.flags[0]
    assert d.flags[0].startswith("On 5 Jan 2027")


def test_budget_no_window_flag_without_a_cut():
    d = budget_decision(forecast(9.5e6, 0.1), adjustment(0.0, 0.0, True), as_of="2026-12-07")
    assert d.flags == ()


# -------------------------------------------------------------------------- portfolio
def selection(n=2, status="optimal", gap=0.0):
    projects = pd.DataFrame({"name": ["CRM", "ERP", "Wiki"]}, index=["P1", "P2", "P3"])
    pf = NS(n_projects=3, projects=projects, currency="EUR", years=[2027, 2028])
    return NS(portfolio=pf, n_selected=n, expected_value=2.5e6 if n else 0.0,
              total_cost=3.8e6 if n else 0.0, budget_use=pd.DataFrame({"budget": [2e6, 2e6]}),
              status=status, mip_gap=gap)  # fmt: skip


def prisk(p_negative=0.02):
    return NS(npv_p10=1.1e6, npv_p90=3.9e6, probability_negative=p_negative, tail_share=0.1,
              n_trials=1000, seed=7)  # fmt: skip


def sweep(dropped="P2", change=-4e5):
    table = pd.DataFrame({"budget_scale": [0.9], "dropped": [dropped], "value_change": [change]})
    return NS(at=lambda scale: table.iloc[0])


def test_portfolio_fund_proved_optimal():
    d = portfolio_decision(selection(), prisk())
    assert d.decision == "Fund 2 of 3 projects" and d.favourable is True
    assert "the selection is proved optimal." in d.sentence and d.flags == ()
    npv = key(d, "Expected portfolio NPV")
    assert (npv["value"], npv["low"], npv["high"]) == (2.5e6, 1.1e6, 3.9e6)
    assert d.range_label == "P10 to P90" and key(d, "Projects funded")["value"] == 2


def test_portfolio_says_why_the_expected_npv_and_the_median_differ():
    risk = prisk()
    risk.npv_p50 = 2.4e6
    d = portfolio_decision(selection(), risk)
    assert d.notes[-1] == ("The expected NPV adds up the funded projects' own expected NPVs; the "
                           "simulated outcomes' median is EUR 2.4M (half the outcomes are above "
                           "it, half below).")  # fmt: skip


def test_portfolio_budget_committed_is_at_stake():
    d = portfolio_decision(selection(), prisk())
    assert (d.at_stake, d.at_stake_label) == (3.8e6, "Budget committed, 2027-2028")


def test_portfolio_budget_cut_names_the_projects_that_drop_out():
    d = portfolio_decision(selection(), prisk(), sweep("P2;P3", -4e5), budget_cut=0.1)
    assert "With 10 % less budget, 2 projects drop out (ERP and Wiki)" in d.sentence
    assert "the expected NPV falls by EUR 400k." in d.sentence
    assert key(d, "Expected NPV lost with 10 % less budget")["value"] == 4e5


def test_portfolio_budget_cut_one_project():
    d = portfolio_decision(selection(), prisk(), sweep("P1", -1e5), budget_cut=0.1)
    assert "1 project drops out (CRM)" in d.sentence


def test_portfolio_not_proved_optimal_is_flagged():
    d = portfolio_decision(selection(status="time_limit", gap=0.012), prisk())
    assert d.favourable is None and "not proved optimal" in d.sentence
    assert d.flags == ("The solver stopped 1.20 % from the best possible value: a better "
                       "selection may exist.",)  # fmt: skip


def test_portfolio_high_chance_of_loss_is_flagged():
    d = portfolio_decision(selection(), prisk(0.25), max_probability_negative=0.1)
    assert d.flags == ("25 % chance the funded portfolio loses money (more than the 10 % "
                       "accepted).",)  # fmt: skip


def test_portfolio_nothing_funded():
    d = portfolio_decision(selection(n=0), prisk())
    assert d.decision == "Fund no project" and d.favourable is False


# --------------------------------------------------------------------------- sourcing
def comparison():
    costs = pd.DataFrame({"offer": ["B", "A"], "pv_mean": [4.0e6, 4.6e6],
                          "pv_p10": [3.6e6, 4.1e6], "pv_p90": [4.5e6, 5.2e6],
                          "p_cheapest": [0.9, 0.1]})  # fmt: skip
    return NS(best="B", costs=costs, currency="EUR", horizon_years=5, n_trials=1000, seed=3,
              discount_rate=0.08)  # fmt: skip


def scores(winner="B", margin=0.08, share=0.8, limits=True):
    lim = pd.DataFrame({"criterion": ["Quality"], "weight": [0.3], "limit": [0.45],
                        "side": ["above"], "new_winner": ["A"]})  # fmt: skip
    return NS(winner=winner, margin=margin,
              scores=pd.DataFrame({"offer": [winner], "score": [0.712]}),
              acceptability=pd.DataFrame({"rank_1": {winner: share}}),
              weight_limits=lambda: lim if limits else lim.iloc[0:0])  # fmt: skip


def inhouse(pv=4.9e6, p=0.2):
    costs = pd.DataFrame({"offer": ["In-house"], "pv_mean": [pv], "pv_p10": [pv * 0.9],
                          "pv_p90": [pv * 1.1]})  # fmt: skip
    return NS(costs=costs, p_inhouse_cheaper=p)


def test_sourcing_cheapest_only():
    d = sourcing_decision(comparison())
    assert d.decision == "Choose B" and d.subject == "B" and d.favourable is True
    assert key(d, "Saving against A")["value"] == pytest.approx(6e5)


def test_sourcing_cheapest_is_best_scored():
    d = sourcing_decision(comparison(), scores(), inhouse())
    assert d.decision == "Choose B" and d.flags == ()
    assert "and the best weighted score (71.2 of 100); the ranking holds unless the weight of quality " \
           "is above 45 % (now 30 %; then A wins)." in d.sentence  # fmt: skip
    assert key(d, "Present value of cost: in-house")["value"] == 4.9e6
    assert key(d, "Share of random weightings B wins")["value"] == 0.8


def test_sourcing_criteria_read_as_glossary_words_and_the_cost_is_at_stake():
    s = scores()
    s.weight_limits = lambda: pd.DataFrame({"criterion": ["fit"], "weight": [0.15], "limit": [
        0.055], "side": ["below"], "new_winner": ["A"]})  # fmt: skip
    d = sourcing_decision(comparison(), s)
    assert "unless the weight of fit with our ways of working is below 5.5 %" in d.sentence
    assert (d.at_stake, d.at_stake_label) == (4.0e6, "5-year cost of B, present value")


def test_sourcing_ranking_that_holds_whatever_the_weights():
    d = sourcing_decision(comparison(), scores(limits=False))
    assert "the ranking holds whatever the weights." in d.sentence


def test_sourcing_no_clear_winner():
    d = sourcing_decision(comparison(), scores(winner="A"))
    assert d.decision == "No clear winner" and d.favourable is None
    assert (
        "B has the lowest 5-year cost" in d.sentence
        and "but A scores best (71.2 of 100)" in d.sentence
    )
    assert d.sentence.endswith("Decide on the weights first.")


@pytest.mark.parametrize(("margin", "share"), [(0.013, 0.8), (0.08, 0.47)])
def test_sourcing_thin_win_is_flagged(margin, share):
    d = sourcing_decision(comparison(), scores(margin=margin, share=share))
    assert len(d.flags) == 1 and d.decision == "Choose B" and d.favourable is None
    assert f"B wins the scoring by {margin * 100:.1f} points (on a 0 to 100 score)" in d.flags[0]
    assert "agree the weights before awarding" in d.flags[0]


def test_sourcing_inhouse_cheaper_is_flagged():
    d = sourcing_decision(comparison(), scores(), inhouse(3.5e6, 0.7))
    assert d.flags == ("Keeping the service in-house is cheaper still: EUR 3.5M (EUR 500k less "
                       "than B, cheaper in 70 % of scenarios).",)  # fmt: skip


# ------------------------------------------------------------------------- continuity
def options(npv=(2.0e5, -5e4), after=(0.9995, 0.9985)):
    table = pd.DataFrame({"option": ["Standby", "Second link"], "npv": list(npv),
                          "fund": [v > 0 for v in npv], "analytic_saving": [9.0e4, 1.0e4],
                          "one_off_cost": [1.0e5, 5.0e4], "annual_cost": [2.0e4, 1.0e4],
                          "life_years": [5, 5], "payback_years": [1.4, float("nan")],
                          "availability_after": list(after)})  # fmt: skip
    base = NS(expected_cost=1.2e5, quantile=lambda q: 1.2e5 * (0.5 + q), prob_sla_breach=0.4)
    return NS(table=table, base=base, currency="EUR", discount_rate=0.08)


def availability(meets=False, sla=0.999):
    return NS(availability=0.998, sla_availability=sla, meets_sla=meets, downtime_h=17.5)


def test_continuity_fund_the_best_option_that_meets_the_sla():
    d = continuity_decision(options(), availability(), NS(best_tier="Warm standby"))
    assert d.decision == "Fund “Standby”" and d.subject == "Standby" and d.favourable is True
    assert "paid back in 1.4 years" in d.sentence and d.flags == ()
    assert d.sentence.endswith("For disasters, pay for the “Warm standby” recovery tier.")
    cost = key(d, "Cost of downtime a year today")
    assert (cost["value"], cost["low"], cost["high"]) == pytest.approx((1.2e5, 7.2e4, 1.68e5))


def test_continuity_funded_option_still_below_the_sla_is_flagged():
    d = continuity_decision(options(after=(0.99857, 0.9985)), availability())
    assert d.decision == "Fund “Standby”" and d.favourable is None
    # shown with 3 decimals: 99.857 % must not round to the 99.9 % of the SLA it misses
    assert key(d, "Availability with “Standby”")["value"] == "99.857 %"
    assert d.flags[0] == ("With “Standby” the service is available 99.857 % of the time, still "
                          "below the 99.900 % SLA.")  # fmt: skip
    assert d.flags[1] == "No option compared brings the service up to its SLA on its own."


def test_continuity_flag_names_the_downtime_against_the_sla_allowance():
    cmp = options(after=(0.99857, 0.9985))
    cmp.table["downtime_after_h"] = [12.41, 13.1]
    av = availability()
    av.allowed_downtime_h = 8.76
    d = continuity_decision(cmp, av)
    assert d.flags[0].endswith(
        "still below the 99.900 % SLA: about 12.4 h of downtime a year against the 8.8 h the "
        "SLA allows."
    )


def test_continuity_cost_over_the_option_life_is_at_stake():
    d = continuity_decision(options(), availability())
    # EUR 100k up front + EUR 20k a year for 5 years
    assert (d.at_stake, d.at_stake_label) == (2.0e5, "Cost of “Standby” over 5 years")


def test_continuity_do_not_fund_a_chosen_option_with_negative_npv():
    d = continuity_decision(options(), availability(meets=True, sla=0.99), option="Second link")
    assert d.decision == "Do not fund “Second link”" and d.favourable is False
    assert "never paid back" in d.sentence
    assert "also worth funding: “Standby” (NPV EUR 200k)." in d.sentence


def test_continuity_without_sla_has_no_sla_flag():
    d = continuity_decision(options(after=(0.99, 0.99)), availability(sla=None))
    assert d.flags == () and d.notes == ()


def test_continuity_unknown_option_is_an_error():
    with pytest.raises(ParameterError, match="`option` 'Tape' is not one of the options"):
        continuity_decision(options(), availability(), option="Tape")


# ------------------------------------------------------------------------ performance
OCT = pd.Timestamp("2026-10-01")


def review(worse=(), better=(), signal=(True, False), centre=(0.86, 0.92)):
    v = pd.DataFrame({"team": ["Desk", "Network", "Apps"], "sla_attainment": [0.71, 0.93, 0.9],
                      "lcl": [0.78, 0.85, 0.8], "ucl": [0.95, 0.99, 0.97],
                      "centre": [*centre, 0.9], "attainment_signal": [*signal, False],
                      "month": [OCT] * 3})  # fmt: skip
    signals = pd.DataFrame({"team": ["Desk"], "effect": ["worse"], "metric": ["reopen_rate"]})
    changed = {"worse": list(worse), "better": list(better)}
    p90 = NS(points=pd.DataFrame({"value": [30.0], "lcl": [-2.0], "ucl": [40.0]}))
    return NS(verdict=v, teams_changed=lambda e: changed[e], recent_months=3,
              charts={("Desk", "resolve_p90_h"): p90}, signals=signals)  # fmt: skip


METRICS = NS(teams=["Desk", "Network", "Apps"], sla_attainment=0.85, n_open=120,
             as_of=pd.Timestamp("2026-11-01"))  # fmt: skip


def capacity(status="short"):
    return NS(by_team=pd.DataFrame({"team": ["Desk"], "status": [status],
                                    "demand_hours": [620.0], "fte_needed": [6.1],
                                    "available_fte": [3.3]}))  # fmt: skip


def test_performance_act_on_a_real_fall_in_attainment():
    d = performance_decision(review(worse=["Desk"]), METRICS, capacity("enough"))
    assert d.decision == "Act" and d.subject == "Desk" and d.favourable is False
    assert d.sentence == (
        "Act: Desk SLA attainment fell to 71.0 % in October, below its control limit (78.0 %): "
        "a real change, not noise; Network and Apps stable: their moves are within the noise."
    )
    assert d.flags == ()
    sla = key(d, "Desk: SLA attainment, October 2026")
    assert (sla["value"], sla["low"], sla["high"]) == (0.71, 0.78, 0.95)
    p90 = key(d, "Desk: P90 time to resolve")
    assert (p90["value"], p90["low"], p90["high"]) == (30.0, 0.0, 40.0)  # no negative hours
    # issue 13: the P90 tile carries its unit ("30.0 h", not "30.0")
    tiles = d.formatted().set_index("Key number")
    assert tiles.loc["Desk: P90 time to resolve, October 2026", "Value"] == "30.0 h"
    assert (
        tiles.loc["Desk: P90 time to resolve, October 2026", "Control limits"] == "0.0 h to 40.0 h"
    )
    assert "Open tickets on 1 Nov 2026" in tiles.index
    assert key(d, "Desk: FTE its tickets need (3.3 assigned to ticket work)")["value"] == 6.1


def test_performance_worse_on_another_metric_names_it():
    d = performance_decision(review(worse=["Desk"], signal=(False, False)), METRICS)
    assert "Desk got worse beyond its control limits (reopen rate)" in d.sentence


def test_performance_short_team_that_got_worse_is_flagged():
    d = performance_decision(review(worse=["Desk"]), METRICS, capacity("short"))
    assert d.flags == ("Desk handles 620 h of tickets a month, which needs 6.1 FTE of ticket "
                       "work against the 3.3 FTE assigned to it: add capacity or cut demand.",)  # fmt: skip


def test_performance_hold_when_only_improvements():
    d = performance_decision(review(better=["Network"]), METRICS)
    assert d.decision == "Hold" and d.favourable is True and d.subject == "Network"
    assert d.sentence.startswith("Hold: Network improved beyond its control limits; Desk and "
                                 "Apps stable")  # fmt: skip


def test_performance_hold_when_nothing_changed():
    d = performance_decision(review(), METRICS, team="Apps")
    assert d.sentence == ("Hold: every team's movement in the last 3 months is within its "
                          "control limits: noise, not change.")  # fmt: skip
    assert d.subject == "Apps"


def test_focus_team_order_and_unknown_team():
    assert focus_team(review(worse=["Apps"], better=["Network"])) == "Apps"
    assert focus_team(review(better=["Network"])) == "Network"
    assert focus_team(review()) == "Desk"  # lowest attainment
    with pytest.raises(ParameterError, match="`chart_team` 'Ops' is not a team"):
        focus_team(review(), "Ops")


# ---------------------------------------------------------------- rendering the flags
def test_flags_render_under_the_banner():
    d = continuity_decision(options(after=(0.99857, 0.9985)), availability())
    s = executive_summary(d, title="Service continuity")
    html, md = s._repr_html_().split("</style>")[1], s._repr_markdown_()
    assert html.index("cioa-decision") < html.index("cioa-flag") < html.index("cioa-kpis")
    assert "still below the 99.900 % SLA" in html and "**Note:** With “Standby”" in md
    assert len(d.key_numbers) <= 5


# ------------------------------------------------------------------------------- risk
def register(breached=(False, False), expected_loss=175e3):
    appetite = pd.DataFrame({"loss": [500e3, 1e6], "max_probability": [0.25, 0.1],
                             "probability_exceeding": [0.3, 0.05],
                             "breached": list(breached)})  # fmt: skip
    years = np.array([0.0, 0.0, 100e3, 600e3])
    return NS(expected_loss=expected_loss, expected_loss_after=90e3, total_before=years,
              total_after=years / 2, total_mitigation_cost=40e3, currency="EUR",
              appetite=appetite, mitigations=pd.DataFrame({"roi": [0.5, -0.2]}), n_trials=4,
              seed=1)  # fmt: skip


def scenario(name="Ransomware", breached=True):
    appetite = pd.DataFrame({"loss": [1e6, 5e6], "max_probability": [0.1, 0.01],
                             "probability_exceeding": [0.4, 0.06],
                             "breached": [breached, breached]})  # fmt: skip
    return NS(scenario=NS(name=name), appetite_breached=breached, appetite=appetite,
              expected_ale=1.5e6, ale=np.array([0.0, 1e6, 2e6, 3e6]))  # fmt: skip


def test_risk_within_appetite_has_no_flag_and_the_exposure_at_stake():
    d = risk_decision(register(), [scenario(breached=False)], max_expected_loss=500e3)
    assert d.decision == "Within appetite" and d.flags == ()
    assert d.at_stake == pytest.approx(175e3 + 1.5e6)
    assert d.at_stake_label == "Expected annual loss, register and cyber"
    assert appetite_headline(register(), [scenario(breached=False)]) == (
        "Every loss curve is within the risk appetite"
    )


def test_risk_flags_each_curve_outside_appetite_with_its_worst_breach():
    d = risk_decision(register((True, False)), [scenario()], max_expected_loss=500e3)
    assert d.decision == "Outside appetite" and d.favourable is False
    assert d.flags == (
        "The register is outside the appetite: an annual loss above EUR 500k has a 30 % "
        "chance against at most 25 %.",
        # ratios 0.4 / 0.1 = 4 and 0.06 / 0.01 = 6: the EUR 5M point is the worst breach
        "“Ransomware” is outside the appetite: an annual loss above EUR 5M has a 6 % chance "
        "against at most 1 % (and at 1 more point of the appetite).",
    )
    assert appetite_headline(register((True, False)), [scenario()]) == (
        "The register and Ransomware are outside the risk appetite"
    )
    assert appetite_headline(register(), [scenario()]) == (
        "Ransomware is outside the risk appetite; the register is within"
    )


def test_risk_expected_loss_above_the_limit_is_flagged():
    d = risk_decision(register(expected_loss=600e3), (), max_expected_loss=500e3)
    assert d.decision == "Outside appetite"
    assert d.flags[0].startswith(
        "The register's expected annual loss, EUR 600k, is above the EUR 500k limit"
    )


# ------------------------------------------------------------ valuation (investment cases)
@pytest.fixture(scope="module")
def platform():
    """The sample platform case, its plan and a small Monte Carlo of it."""
    from cio_analytics.io import read_case, read_uncertain_case
    from cio_analytics.risk import simulate_case, uncertainty_from_spec
    from cio_analytics.valuation import InvestmentCase

    path = "data/sample/cases/service_desk_platform.yaml"
    result = InvestmentCase.from_spec(read_case(path)).evaluate()
    ranges = uncertainty_from_spec(
        read_uncertain_case("data/sample/uncertain_case.yaml", case=path)
    )
    risk = simulate_case(result.case, ranges.uncertainty, 2000, basis=ranges.basis, rng=7)
    return result, risk


@pytest.fixture(scope="module")
def laptops():
    from cio_analytics.io import read_case
    from cio_analytics.valuation import InvestmentCase, compare_cases

    buy = InvestmentCase.from_spec(read_case("data/sample/cases/laptops_buy.yaml"))
    lease = InvestmentCase.from_spec(read_case("data/sample/cases/laptops_lease.yaml"))
    return buy.evaluate(), compare_cases(buy, lease)


def test_investment_says_why_the_plan_differs_from_the_simulated_median(platform):
    """Issue 13: planned NPV 176.8k, median 64.9k and mean 54.9k side by side without a word.

    The note states the three figures and the share of trials below the plan, counted here
    from the trials themselves.
    """
    result, risk = platform
    d = investment_decision(result, risk, hurdle_rate=0.12, min_probability_positive=0.6)
    npvs = risk.simulation.outputs["npv"].to_numpy()
    below = (npvs < result.npv).mean()
    assert result.npv > risk.npv_p50 > risk.npv_p10  # the sample's skew: the plan is high
    note = next(n for n in d.notes if n.startswith("The plan's NPV"))
    assert f"{format_percent(below)} of the 2,000 trials come out below the plan" in note
    assert "most likely" in note and "downside" in note
    for figure in (result.npv, risk.npv_p50, risk.npv_mean):
        assert format_money(figure, "EUR", compact=True) in note
    assert d.at_stake == pytest.approx(result.tco) and "Total cost of ownership" in d.at_stake_label


def test_plan_against_trials_counts_the_trials_below_the_plan():
    trials = NS(outputs=pd.DataFrame({"npv": [5.0, 1.0, 2.0, 3.0, 4.0, float("nan")]}))
    low = NS(simulation=trials, npv_p50=3.0, npv_mean=3.0, n_trials=6)
    assert "only 40 % of the 6 trials come out below the plan" in plan_against_trials(
        NS(npv=2.5, currency="EUR"), low
    )
    assert "above the simulated median" in plan_against_trials(NS(npv=4.5, currency="EUR"), low)


def test_laptops_decision_leads_with_the_chosen_option(laptops):
    """Issue 13: the index showed the rejected Buy option's NPV under "Choose Lease"."""
    result, comparison = laptops
    d = investment_decision(result, hurdle_rate=0.12, min_probability_positive=0.6,
                            comparison=comparison)  # fmt: skip
    assert d.decision == "Choose “Lease: 500 laptops”"
    figures = d.key_numbers["figure"].tolist()
    assert figures[0] == "NPV: Lease: 500 laptops (chosen)"
    assert "NPV: Buy: 500 laptops (not chosen)" in figures
    assert d.key_numbers["value"].iloc[0] == pytest.approx(comparison.alternative.npv)
    assert d.at_stake == pytest.approx(comparison.alternative.tco)
    assert d.at_stake_label.startswith("Total cost of ownership of “Lease: 500 laptops”")
    assert d.subject == "Lease: 500 laptops"


def test_comparison_table_has_one_unit_per_column(laptops):
    """IRR -0.47 was shown and exported as a plain number: rates now have their own column."""
    _, comparison = laptops
    t = comparison_table(comparison)
    assert t.columns.tolist() == ["option", "npv", "irr", "mirr", "payback_years", "tco",
                                  "discounted_tco", "eac"]  # fmt: skip
    assert t["option"].tolist()[:2] == ["Buy: 500 laptops", "Lease: 500 laptops"]
    assert t.loc[0, "irr"] == pytest.approx(comparison.base.irr)
    assert t.loc[2, "npv"] == pytest.approx(comparison.alternative.npv - comparison.base.npv)
    assert t.loc[2, "tco"] == pytest.approx(comparison.alternative.tco - comparison.base.tco)
    styler = report_table("comparison", t, money=["npv", "tco", "discounted_tco", "eac"],
                          percent=["irr", "mirr"], decimals={"payback_years": 1},
                          currency="EUR")  # fmt: skip
    formats = styler.cioa_excel_formats
    assert formats["IRR"].startswith("percent") and formats["NPV (EUR)"].startswith("currency")
    assert "-47.5 %" in styler.to_html()


# ------------------------------------------------------------------- staffing (service desk)
def staffing_inputs(required=(41.5,) * 12, headcount=36):
    from cio_analytics.staffing import hiring_plan

    plan = NS(total_fte=required[0], currency="EUR", target_service_level=0.8, answer_time_s=20.0,
              percentile=None, annual_cost=2.404e6)  # fmt: skip
    hiring = hiring_plan(
        list(required),
        current_headcount=headcount,
        monthly_attrition=0.02,
        time_to_hire_months=2,
        ramp_up_months=2,
        employee_cost_per_fte_year=57_900,
        contractor_cost_per_fte_year=95_000,
    )
    return plan, hiring  # fmt: skip


def test_staffing_decision_names_the_hires_and_explains_the_two_costs():
    """Issue 13: "Hire 12" with no decision on the index; 2.4M and 2.5M side by side unexplained."""
    plan, hiring = staffing_inputs()
    d = staffing_decision(plan, hiring, current_fte=36, team="service desk")
    n = round(hiring.total_hires)
    assert d.decision == f"Hire {n} agents"
    assert d.at_stake == pytest.approx(hiring.total_cost)
    assert d.at_stake_label == "Cost of the next 12 months, contractors included"
    figures = d.key_numbers["figure"].tolist()
    assert "Annual cost once fully staffed" in figures and d.at_stake_label in figures
    note = next(n for n in d.notes if n.startswith("Two costs"))
    assert format_money(plan.annual_cost, "EUR", compact=True) in note
    assert format_money(hiring.total_cost, "EUR", compact=True) in note
    assert "contractors bridge the gap" in note
    # no raw float anywhere in the words: at most one decimal
    assert not re.search(r"\d\.\d{2,}", d.sentence + " ".join(d.notes))


def test_staffed_team_puts_the_annual_cost_at_stake():
    plan, _ = staffing_inputs(required=(30.0,) * 6)
    plan = NS(**{**vars(plan), "total_fte": 30.0})
    d = staffing_decision(plan, None, current_fte=36)
    assert d.decision == "Staffed" and d.at_stake == pytest.approx(plan.annual_cost)


def test_hiring_plan_text_has_no_raw_floats():
    """Issue 13: "use at most 5.99333 contractor FTE" came from the solver's message."""
    _, hiring = staffing_inputs()
    text = hiring_plan_text(hiring)
    assert not re.search(r"\d\.\d{2,}", text), text
    assert f"at most {hiring.peak_contractors:,.1f} contractor FTE" in text
    assert format_money(hiring.total_cost, "EUR", compact=True) in text
    assert "optimal" not in text and "`" not in text


@pytest.mark.parametrize(
    ("growth", "variant"),
    [(0.0, "at current contact volume"), (0.15, "with 15 % more contacts"),
     (-0.1, "with 10 % fewer contacts")],
)  # fmt: skip
def test_staffing_title_names_the_variant(growth, variant):
    """Issue 13: the two staffing reports had the same title (the +15 % was nowhere)."""
    title = staffing_title("Service desk", growth, pd.Timestamp("2026-03-30"))
    assert title == f"Service desk staffing {variant}: week of 30 March 2026"


@pytest.mark.parametrize(
    ("domain", "names"),
    [
        ("valuation", ["npv", "irr", "mirr", "payback_years", "tco", "discounted_tco", "eac",
                       "break_even_rate", "share_below_plan"]),
        ("staffing", ["calls", "fte_needed", "n_not_ok", "hires", "employee_fte", "contractors",
                      "annual_cost", "hiring_cost", "optimal"]),
        ("delivery", ["completion_date_p80", "probability_late", "cost_p80",
                      "contingency_needed", "needs_attention", "eac_method"]),
    ],
)  # fmt: skip
def test_glossary_labels_what_the_reports_show(domain, names):
    """Issue 13: labels from a glossary per domain, never a code name or its plain humanizing."""
    from cio_analytics.reporting.glossary import GLOSSARY, label

    for name in names:
        assert name in GLOSSARY[domain], name
        text = label(name, domain)
        assert "_" not in text and text[0] not in "`'\"", text


def test_plan_metrics_table_puts_each_value_in_the_column_of_its_unit(laptops):
    """Issue 13: rates such as the IRR (-0.47) were exported with a number format."""
    from cio_analytics.reporting.decisions.valuation import plan_metrics_table

    result, _ = laptops
    t = plan_metrics_table(result).set_index("figure")
    assert t.loc["IRR", "rate"] == pytest.approx(result.irr) and pd.isna(t.loc["IRR", "amount"])
    assert t.loc["NPV", "amount"] == pytest.approx(result.npv)
    assert t.loc["Total cost of ownership", "amount"] == pytest.approx(result.tco)
    assert t.loc["Horizon (years)", "years"] == 3
    assert (t.notna().sum(axis=1) <= 1).all()  # one unit per figure (none: n/a, no payback)
