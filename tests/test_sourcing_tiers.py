"""Tiered price schedules: graduated and all-units, worked by hand and against published examples."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.sourcing import TierSchedule, tiered_cost

# Zuplo "Pricing models" docs: 0-1,000 at $0.10, 1,001-10,000 at $0.05, 10,001+ at $0.01.
ZUPLO = ([0, 1000, 10000], [0.10, 0.05, 0.01])
# Lago "Volume" charge model docs: 0-10,000 $0.0010, -50,000 $0.0008, -100,000 $0.0006, then $0.0004.
LAGO = ([0, 10000, 50000, 100000], [0.0010, 0.0008, 0.0006, 0.0004])


def test_graduated_published_example():
    """Zuplo docs, graduated pricing: 15,000 units cost 1,000 x 0.10 + 9,000 x 0.05 +
    5,000 x 0.01 = $600."""
    assert tiered_cost(15000, *ZUPLO) == pytest.approx(600.0)


def test_all_units_published_examples():
    """Zuplo docs, volume pricing: 15,000 units all at $0.01 = $150. Lago docs, volume charge
    model: 65,000 API calls x $0.0006 = $39 (before Lago's $10 flat fee)."""
    assert tiered_cost(15000, *ZUPLO, scheme="all_units") == pytest.approx(150.0)
    assert tiered_cost(65000, *LAGO, scheme="all_units") == pytest.approx(39.0)


def test_autumn_graduated_example():
    """Autumn docs, graduated pricing: first 1,000 requests $0.01, next 9,000 $0.008, above
    10,000 $0.005; 15,000 requests = 10 + 72 + 25 = $107."""
    assert tiered_cost(15000, [0, 1000, 10000], [0.01, 0.008, 0.005]) == pytest.approx(107.0)


def test_worked_by_hand_both_schemes_and_thresholds():
    """Tiers from 0 at 10, from 1,000 at 8, from 2,000 at 6 (currency per unit).

    Graduated:  999 -> 999 x 10 = 9,990; 1,000 -> 10,000; 1,500 -> 10,000 + 500 x 8 = 14,000;
                2,500 -> 10,000 + 8,000 + 500 x 6 = 21,000.
    All-units:  999 -> 9,990; 1,000 -> 1,000 x 8 = 8,000 (the threshold takes the new price);
                1,500 -> 12,000; 2,500 -> 2,500 x 6 = 15,000.
    """
    tiers = ([0, 1000, 2000], [10, 8, 6])
    v = np.array([0, 999, 1000, 1500, 2500])
    np.testing.assert_allclose(tiered_cost(v, *tiers), [0, 9990, 10000, 14000, 21000])
    np.testing.assert_allclose(
        tiered_cost(v, *tiers, scheme="all_units"), [0, 9990, 8000, 12000, 15000]
    )


def test_shapes_scalar_in_scalar_out_and_2d():
    assert isinstance(tiered_cost(10, [0], [2.0]), float)
    v = np.arange(12, dtype=float).reshape(3, 4) * 300
    out = tiered_cost(v, [0, 1000], [3.0, 1.0])
    assert out.shape == (3, 4)
    assert out[2, 3] == pytest.approx(1000 * 3 + 2300 * 1)


def test_schedule_table_and_escalation():
    s = TierSchedule([0, 100], [2.0, 1.0], scheme="graduated")
    assert s.table()["to_volume"].tolist() == [100.0, np.inf]
    np.testing.assert_allclose(s.cost(150, escalation_factor=[1.0, 1.1]), [250.0, 275.0])
    assert TierSchedule.flat(3.0).cost(7) == 21.0


@pytest.mark.parametrize(
    ("starts", "prices", "match"),
    [
        ([0, 1000, 1000], [3, 2, 1], "increase strictly"),
        ([0, 2000, 1000], [3, 2, 1], "increase strictly"),
        ([100, 2000], [3, 2], "start at volume 0"),
        ([0, 1000], [3, -2], "0 or more"),
        ([0, 1000], [3], "one value per tier"),
    ],
)
def test_bad_tiers(starts, prices, match):
    with pytest.raises(ParameterError, match=match):
        TierSchedule(starts, prices)


def test_bad_scheme_and_volume():
    with pytest.raises(ParameterError, match="Did you mean 'all_units'"):
        tiered_cost(1, [0], [1], scheme="all-unit")
    with pytest.raises(ParameterError, match="volume"):
        tiered_cost(-1, [0], [1])


tier_sets = st.lists(st.floats(1, 1e5), min_size=1, max_size=5, unique=True).flatmap(
    lambda starts: st.tuples(
        st.just([0.0, *sorted(starts)]),
        st.lists(st.floats(0, 100), min_size=len(starts) + 1, max_size=len(starts) + 1),
    )
)


@settings(max_examples=150, deadline=None)
@given(tier_sets, st.lists(st.floats(0, 5e5), min_size=2, max_size=20))
def test_graduated_non_decreasing_and_continuous(tiers, volumes):
    """Graduated cost is non-decreasing in volume and continuous at every threshold."""
    starts, prices = tiers
    v = np.sort(np.asarray(volumes))
    c = tiered_cost(v, starts, prices)
    assert np.all(np.diff(c) >= -1e-9 * np.maximum(1.0, c[1:]))
    eps = 1e-6
    t = np.asarray(starts[1:])
    gap = tiered_cost(t + eps, starts, prices) - tiered_cost(t - eps, starts, prices)
    assert np.all(np.abs(gap) <= 2 * eps * max(prices) + 1e-6)


@settings(max_examples=150, deadline=None)
@given(tier_sets, st.floats(0, 5e5))
def test_schemes_agree_in_first_tier_and_all_units_bounds(tiers, volume):
    """Inside the first tier both schemes charge p0 * v; all-units always charges the reached
    tier's price on every unit, so it equals v times some listed price."""
    starts, prices = tiers
    all_units = tiered_cost(volume, starts, prices, scheme="all_units")
    if len(starts) == 1 or volume < starts[1]:
        assert all_units == pytest.approx(tiered_cost(volume, starts, prices))
    assert any(np.isclose(all_units, volume * p, rtol=1e-12, atol=1e-9) for p in prices)
