"""Vendor offer TCO: cash flows by hand, Monte Carlo over volumes, properties and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.sourcing import (
    Offer,
    TierSchedule,
    compare_offers,
    offer_cash_flows,
    volume_inputs,
)
from cio_analytics.valuation import npv


def forecast(low, likely, high):
    n = len(likely)
    return pd.DataFrame({"year": range(1, n + 1), "low": low, "likely": likely, "high": high})


def fixed(volumes):
    return forecast(volumes, volumes, volumes)


OFFER = Offer(
    "A",
    one_off=5000,
    recurring=1000,
    tiers=TierSchedule([0, 100, 200], [10, 8, 5]),
    escalation=0.10,
    exit_cost=2000,
    committed_volume=120,
)


def test_cash_flows_by_hand():
    """Year 0: one-off 5,000. Year 1 (volume 80, billed at the 120 commitment): fixed 1,000 +
    100 x 10 + 20 x 8 = 2,160. Year 2 (volume 250, escalation 1.1): (1,000 + 1,000 + 800 +
    50 x 5) x 1.1 = 3,355, plus the exit cost 2,000 = 5,355."""
    cf = offer_cash_flows(OFFER, [80, 250])
    assert cf["year"].tolist() == [0, 1, 2]
    np.testing.assert_allclose(cf["volume_charge"], [0, 1160, 2050 * 1.1])
    np.testing.assert_allclose(cf["fixed"], [0, 1000, 1100])
    np.testing.assert_allclose(cf["exit"], [0, 0, 2000])
    np.testing.assert_allclose(cf["total"], [5000, 2160, 5355])


def test_known_volumes_every_trial_equals_hand_pv():
    """With low = likely = high the simulation is deterministic: PV = 5,000 + 2,160 / 1.08 +
    5,355 / 1.08^2 (valuation.npv, year 0 undiscounted)."""
    res = compare_offers([OFFER], fixed([80, 250]), discount_rate=0.08, n_trials=50, rng=1)
    expected = 5000 + 2160 / 1.08 + 5355 / 1.08**2
    assert expected == pytest.approx(npv(0.08, [5000, 2160, 5355]))
    np.testing.assert_allclose(res.pv_samples["A"], expected)
    np.testing.assert_allclose(res.tco_samples["A"], 12515.0)
    row = res.costs.iloc[0]
    assert row["pv_likely"] == pytest.approx(expected) and row["tco_likely"] == 12515.0
    assert row["p_cheapest"] == 1.0


def two_offers():
    a = Offer("A", recurring=1000, tiers=TierSchedule([0], [2.0]))
    b = Offer("B", recurring=3000, tiers=TierSchedule([0], [1.0]), exit_cost=500)
    return a, b


def test_monte_carlo_means_match_pert_means():
    """A costs 1,000 + 2 V a year: E[TCO] = 2 x (1,000 + 2 E[V]) with E[V] of PERT(1500, 2000,
    3000) = (1500 + 4 x 2000 + 3000) / 6 = 2083.33 (Malcolm et al. 1959)."""
    vf = forecast([1500, 1500], [2000, 2000], [3000, 3000])
    res = compare_offers(list(two_offers()), vf, discount_rate=0.0, n_trials=20000, rng=7)
    mean_v = (1500 + 4 * 2000 + 3000) / 6
    costs = res.costs.set_index("offer")
    assert costs.loc["A", "tco_mean"] == pytest.approx(2 * (1000 + 2 * mean_v), rel=1e-3)
    assert costs.loc["B", "tco_mean"] == pytest.approx(2 * (3000 + mean_v) + 500, rel=1e-3)
    assert costs["p_cheapest"].sum() == pytest.approx(1.0)
    # common random numbers: B - A = 1,500 - 2 V per year, trial by trial
    v = res.volume_samples.to_numpy()
    np.testing.assert_allclose(res.tco_samples["B"] - res.tco_samples["A"], 4500 - v.sum(axis=1))
    assert res.best == costs.index[0]


def test_same_seed_identical_and_seed_recorded():
    vf = forecast([900, 900, 900], [1000, 1100, 1200], [1300, 1500, 1800])
    r1 = compare_offers(list(two_offers()), vf, discount_rate=0.05, n_trials=500, rng=42)
    r2 = compare_offers(list(two_offers()), vf, discount_rate=0.05, n_trials=500, rng=42)
    pd.testing.assert_frame_equal(r1.pv_samples, r2.pv_samples)
    assert r1.seed == 42 and r1.n_trials == 500
    r3 = compare_offers(list(two_offers()), vf, discount_rate=0.05, n_trials=500, rng=43)
    assert not r1.pv_samples.equals(r3.pv_samples)


def test_year_correlation_is_imposed():
    vf = forecast([900] * 3, [1000] * 3, [1300] * 3)
    res = compare_offers([OFFER], vf, discount_rate=0.0, n_trials=4000, year_correlation=0.8, rng=3)
    rho = res.volume_samples.corr(method="spearman").to_numpy()[np.triu_indices(3, 1)]
    assert np.all(np.abs(rho - 0.8) < 0.05)
    indep = compare_offers([OFFER], vf, discount_rate=0.0, n_trials=4000, year_correlation=0, rng=3)
    rho0 = indep.volume_samples.corr(method="spearman").to_numpy()[np.triu_indices(3, 1)]
    assert np.all(np.abs(rho0) < 0.06)


def test_summary_and_volume_inputs():
    res = compare_offers(list(two_offers()), fixed([10, 10]), discount_rate=0.0, n_trials=10, rng=1)
    s = res.summary()
    assert {"offer", "metric", "value", "unit"} <= set(s.columns)
    assert set(s.loc[s["metric"] == "pv_mean", "unit"]) == {"EUR"}
    inputs = volume_inputs(forecast([1, 5], [2, 5], [3, 5]))
    assert isinstance(inputs["volume_y2"], float) and inputs["volume_y2"] == 5.0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0, 1e6), min_size=1, max_size=6),
    st.floats(0, 1e5),
    st.floats(0.0, 0.2),
)
def test_tco_monotone_in_volume_for_graduated_offers(volumes, extra, escalation):
    """More volume in any year never lowers the TCO of a graduated (or flat) offer."""
    offer = Offer(
        "G",
        recurring=100,
        tiers=TierSchedule([0, 1000, 50000], [3.0, 2.0, 0.5]),
        escalation=escalation,
        committed_volume=500,
    )
    v = np.asarray(volumes)
    base = offer_cash_flows(offer, v)["total"].sum()
    bumped = offer_cash_flows(offer, v + extra)["total"].sum()
    assert bumped >= base - 1e-9 * max(1.0, base)


def test_all_units_can_fall_with_volume():
    """The documented all-units paradox: 999 units at 10 cost more than 1,000 at 8."""
    o = Offer("AU", tiers=TierSchedule([0, 1000], [10, 8], scheme="all_units"))
    assert offer_cash_flows(o, [999])["total"].sum() > offer_cash_flows(o, [1000])["total"].sum()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"one_off": -1}, "one_off"),
        ({"recurring": -5}, "recurring"),
        ({"escalation": 3}, "Rates are decimals"),
        ({"tiers": [0, 1]}, "TierSchedule"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_offer(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        Offer(**{"name": "X", **kwargs})


def test_bad_compare_inputs():
    a, _ = two_offers()
    vf = fixed([10, 10])
    with pytest.raises(ParameterError, match="unique"):
        compare_offers([a, a], vf, discount_rate=0.05)
    with pytest.raises(ParameterError, match="low <= likely <= high"):
        compare_offers([a], forecast([10], [5], [20]), discount_rate=0.05)
    with pytest.raises(ParameterError, match="years must be 1, 2"):
        compare_offers([a], vf.assign(year=[2, 3]), discount_rate=0.05)
    with pytest.raises(ParameterError, match="year_correlation"):
        compare_offers([a], vf, discount_rate=0.05, year_correlation=1.0)
    with pytest.raises(ParameterError, match="Rates are decimals"):
        compare_offers([a], vf, discount_rate=8)
    with pytest.raises(ParameterError, match="list of Offer"):
        compare_offers(a, vf, discount_rate=0.05)


def test_offers_from_tables_is_a_deprecated_alias_of_offer_from_tables():
    from cio_analytics.io import read_offers
    from cio_analytics.sourcing import Offer, offers_from_tables

    spec = read_offers("data/sample/sourcing/offers.yaml")
    with pytest.warns(DeprecationWarning, match=r"Offer\.from_tables"):
        old = offers_from_tables(spec.offers, spec.tiers)
    assert old == Offer.from_tables(spec.offers, spec.tiers)
