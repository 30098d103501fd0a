"""Value of redundancy / DR options (paired runs, NPV, payback) and RTO/RPO tiers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cio_analytics.continuity import (
    ContinuityOption,
    ServiceModel,
    evaluate_options,
    rto_rpo_scenarios,
    simulate_outages,
)
from cio_analytics.exceptions import ParameterError
from cio_analytics.io import read_disaster_scenarios, read_dr_tiers, read_service_structure
from cio_analytics.valuation import npv

SITE = {
    "root": "s", "outage_cost_per_h": 10_000,
    "blocks": {"s": {"type": "series", "children": ["site", "link"]}},
    "components": {"site": {"failures_per_year": 0.1, "restore_h": {
        "distribution": "pert", "low": 24, "most_likely": 60, "high": 144}},
        "link": {"failures_per_year": 2, "restore_h": 2}},
}  # fmt: skip
DR = ContinuityOption(
    "DR",
    {"components": {"site": {"failures_per_year": 0.1, "restore_h": 4}}},
    one_off_cost=50_000, annual_cost=20_000, life_years=3,
)  # fmt: skip


def test_dr_option_saving_npv_and_payback_by_hand():
    """Saving = rate x (E[R] before - E[R] after) x cost/h, about 0.1 x (68 - 4) x 10,000 =
    64,000 a year, less the link's outages that now hit a running service more often (its
    Birnbaum importance is the site's availability). NPV and payback follow
    cio_analytics.valuation on [-50,000, S - 20,000 x 3]."""
    model = ServiceModel.from_spec(SITE)
    c = evaluate_options(model, [DR], discount_rate=0.1, n_trials=40_000, rng=3)
    row = c.table.iloc[0]
    a_link = 1 - 2 * 2 / 8760  # the link must be up for a site failure to be the cause
    more_link = 2 * 2 * (0.1 * (68 - 4) / 8760)  # extra link downtime hours a year
    by_hand = (0.1 * a_link * 64 - more_link) * 10_000
    assert row["analytic_saving"] == pytest.approx(by_hand, rel=1e-12)
    sd = c.results["DR"].saving.std()
    assert abs(row["expected_saving"] - row["analytic_saving"]) < 4 * sd / np.sqrt(40_000)
    s = row["analytic_saving"]  # the NPV uses the exact expectation (saving_basis="analytic")
    hand = -50_000 + sum((s - 20_000) / 1.1**t for t in (1, 2, 3))
    assert row["npv"] == pytest.approx(hand, rel=1e-12)
    assert row["npv"] == pytest.approx(npv(0.1, c.results["DR"].cash_flows))
    assert row["payback_years"] == pytest.approx(50_000 / (s - 20_000), rel=1e-12)
    assert bool(row["fund"]) and c.best == "DR"
    assert row["availability_after"] > row["availability_before"]


def test_common_random_numbers_pair_the_runs():
    """An option that halves every restore time saves exactly half the cost in every simulated
    year (same events, same quantiles), and the paired savings vary far less than the
    difference of two independent runs."""
    site = {"root": "s", "outage_cost_per_h": 10_000,
            "blocks": {"s": {"type": "series", "children": ["site"]}},
            "components": {"site": SITE["components"]["site"]}}  # fmt: skip
    half = ContinuityOption("Half", {"components": {"site": {"failures_per_year": 0.1,
        "restore_h": {"distribution": "pert", "low": 12, "most_likely": 30, "high": 72}}}})  # fmt: skip
    model = ServiceModel.from_spec(site)
    c = evaluate_options(model, [half], n_trials=5_000, rng=8)
    paired = c.results["Half"].saving
    np.testing.assert_allclose(paired, 0.5 * c.base.cost, rtol=1e-9, atol=1e-6)
    np.testing.assert_array_equal(c.base.n_outages, c.results["Half"].outage.n_outages)
    independent = (
        simulate_outages(model, n_trials=5_000, rng=8).cost
        - simulate_outages(model.with_changes(half.changes), n_trials=5_000, rng=9).cost
    )
    assert paired.std() < 0.6 * independent.std()


def test_option_that_does_not_pay_and_sample_options():
    spec = read_service_structure("data/sample/continuity/online_ordering.yaml")
    c = evaluate_options(
        ServiceModel.from_spec(spec), ContinuityOption.from_spec(spec), n_trials=4_000, rng=1
    )
    t = c.table.set_index("option")
    assert not t.loc["Third application server", "fund"]
    assert t.loc["Second ISP link", "npv"] > t.loc["Warm standby DR site", "npv"] > 0
    assert c.best == "Second ISP link"
    rel = (t["expected_saving"] - t["analytic_saving"]).abs() / t["analytic_saving"]
    assert rel.loc["Second ISP link"] < 0.05
    assert list(c.summary().columns[:3]) == ["option", "one_off_cost", "annual_cost"]


def test_option_errors_name_the_option():
    bad = ContinuityOption("Bad", {"blocks": {"s": {"type": "series", "children": ["sitte"]}}})
    with pytest.raises(ParameterError, match=r"option 'Bad'.*'sitte'.*Did you mean 'site'"):
        evaluate_options(ServiceModel.from_spec(SITE), [bad], n_trials=10)
    with pytest.raises(ParameterError, match="one_off_cost"):
        ContinuityOption("x", {}, one_off_cost=-1)
    with pytest.raises(ParameterError, match="unique"):
        evaluate_options(ServiceModel.from_spec(SITE), [DR, DR], n_trials=10)
    with pytest.raises(ParameterError, match=r"0\.08 for 8 %"):
        evaluate_options(ServiceModel.from_spec(SITE), [DR], discount_rate=8)


def test_rto_rpo_sample_by_hand():
    """Loss per tier = sum_s f_s (c_s RTO + d_s RPO + F_s): with f = (0.05, 0.05, 0.15), c =
    18,500/h, d = 12,000/h: 4,625 RTO + 3,000 RPO + 11,500 a year. Set-up cost spread by EAC at
    8 % over 5 years (annuity factor 3.99271)."""
    r = rto_rpo_scenarios(
        read_disaster_scenarios("data/sample/continuity/disaster_scenarios.csv"),
        read_dr_tiers("data/sample/continuity/dr_tiers.csv"),
    )
    t = r.table.set_index("tier")
    for tier, rto, rpo in [("Backup and restore", 72, 24), ("Pilot light", 24, 4),
                           ("Warm standby", 4, 1), ("Hot standby", 0.5, 0.05)]:  # fmt: skip
        assert t.loc[tier, "expected_loss"] == pytest.approx(4625 * rto + 3000 * rpo + 11_500)
    annuity = (1 - 1.08**-5) / 0.08
    assert t.loc["Warm standby", "equivalent_annual_cost"] == pytest.approx(
        60_000 + 120_000 / annuity
    )
    assert r.best_tier == "Warm standby"
    assert (
        bool(t.loc["Warm standby", "step_worth_it"]) and not t.loc["Hot standby", "step_worth_it"]
    )
    assert len(r.losses) == 12
    assert r.losses["expected_loss"].sum() == pytest.approx(t["expected_loss"].sum())


def test_rto_rpo_bad_frames():
    tiers = pd.DataFrame({"tier": ["a"], "rto_h": [-4], "rpo_h": [1], "annual_cost": [1]})
    s = pd.DataFrame({"scenario": ["x"], "events_per_year": [0.1], "outage_cost_per_h": [1],
                      "data_loss_cost_per_h": [1]})  # fmt: skip
    with pytest.raises(ParameterError, match=r"tiers\.rto_h.*0 or more"):
        rto_rpo_scenarios(s, tiers)
    with pytest.raises(ParameterError, match="column `data_loss_cost_per_h`"):
        rto_rpo_scenarios(s.drop(columns="data_loss_cost_per_h"), tiers.assign(rto_h=4))


def test_spec_constructors_are_classmethods_with_deprecated_functions():
    """`service_from_spec` / `options_from_spec` became `ServiceModel.from_spec` /
    `ContinuityOption.from_spec`; the old functions still work and warn."""
    from cio_analytics.continuity import options_from_spec, service_from_spec

    spec = read_service_structure("data/sample/continuity/online_ordering.yaml")
    with pytest.warns(DeprecationWarning, match=r"ServiceModel\.from_spec"):
        old = service_from_spec(spec)
    assert old.spec == ServiceModel.from_spec(spec).spec
    with pytest.warns(DeprecationWarning, match=r"ContinuityOption\.from_spec"):
        assert options_from_spec(spec) == ContinuityOption.from_spec(spec)
