"""Break-even of two offers' costs: a flat fee against a unit price, price levels, properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.sourcing import Offer, TierSchedule, offer_cash_flows, tco_break_even
from cio_analytics.valuation import npv


def _pv(offer: Offer, volumes, rate: float) -> float:
    return float(npv(rate, offer_cash_flows(offer, volumes)["total"].to_numpy()))


def test_flat_fee_against_unit_price_breaks_even_at_fee_over_price():
    """A flat fee F a year equals a unit price p at F / p units a year, every year, whatever
    the discount rate: 12,000 / 10 = 1,200 (by hand)."""
    flat = Offer("Flat", recurring=12_000)
    usage = Offer("Usage", tiers=TierSchedule.flat(10.0))
    res = tco_break_even([flat, usage], [1000, 1000, 1000], discount_rate=0.05)
    be = res["volume"]
    assert res.subject == "Usage vs Flat"
    assert be.break_even_value == pytest.approx(1200.0, rel=1e-12)
    assert be.relative_change == pytest.approx(0.2, rel=1e-12) and be.holds_while == "below"
    assert res["discount_rate"].status == "no flip in range"  # same timing: the rate cannot flip it


def test_price_level_break_even_is_the_ratio_of_present_values():
    """Scaling every charge of one offer scales its PV: the chosen offer stays cheaper while
    its prices stay below PV(runner-up) / PV(chosen) times the offer, the runner-up becomes
    cheaper below PV(chosen) / PV(runner-up)."""
    a = Offer("A", one_off=20_000, recurring=5_000, escalation=0.03, exit_cost=4_000,
              tiers=TierSchedule([0, 1000], [4.0, 3.0]))  # fmt: skip
    b = Offer("B", one_off=2_000, recurring=9_000, tiers=TierSchedule.flat(3.5))
    vols = [1500, 1800, 2100, 2400]
    res = tco_break_even([a, b], vols, discount_rate=0.07)
    pa, pb = _pv(a, vols, 0.07), _pv(b, vols, 0.07)
    cheap, dear = min(pa, pb), max(pa, pb)
    assert res["chosen_price_level"].break_even_value == pytest.approx(dear / cheap, rel=1e-12)
    assert res["runner_up_price_level"].break_even_value == pytest.approx(cheap / dear, rel=1e-12)
    assert res["chosen_price_level"].metric_at_base == pytest.approx(dear - cheap, rel=1e-12)


def test_errors_name_the_parameter():
    a = Offer("A", recurring=1.0)
    with pytest.raises(ParameterError, match="offers"):
        tco_break_even([a], [1.0], discount_rate=0.05)
    with pytest.raises(ParameterError, match=r"(?i)did you mean 'volume'"):
        tco_break_even([a, Offer("B", recurring=2.0)], [1.0], discount_rate=0.05, inputs=["volum"])


@settings(max_examples=60, deadline=None)
@given(
    fee=st.floats(1e3, 1e6),
    price=st.floats(0.1, 100.0),
    one_off=st.floats(0.0, 1e6),
    volume=st.floats(10.0, 1e5),
    years=st.integers(1, 8),
    rate=st.floats(0.0, 0.2),
)
def test_present_values_are_equal_at_the_volume_break_even(
    fee, price, one_off, volume, years, rate
):
    """Domain: a fee offer with a set-up fee against a unit-price offer, 1-8 years, 0-20 %.
    At a found volume break-even both PVs agree within 1e-9 of their size."""
    flat = Offer("Flat", recurring=fee, one_off=one_off)
    usage = Offer("Usage", tiers=TierSchedule.flat(price))
    vols = np.full(years, volume)
    be = tco_break_even([flat, usage], vols, discount_rate=rate, inputs=["volume"])["volume"]
    if be.status == "found":
        v = np.full(years, be.break_even_value)
        pf, pu = _pv(flat, v, rate), _pv(usage, v, rate)
        assert abs(pf - pu) <= 1e-9 * max(pf, pu, 1.0)
