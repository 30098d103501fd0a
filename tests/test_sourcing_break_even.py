"""All-units break-even volumes: the closed form by hand, a published schedule, and properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.sourcing import all_units_break_even, tiered_cost


def test_docs_example_is_800_not_1250():
    """docs/sourcing.md: 10 per unit up to 1,000, then 8. Break-even p_{k+1} t_{k+1} / p_k =
    8 x 1,000 / 10 = 800 (800 x 10 = 8,000 = 1,000 x 8); the old formula gave 1,250, above the
    threshold, where no buyer is below it."""
    (b,) = all_units_break_even([0, 1000], [10, 8])
    assert b == 800.0
    assert tiered_cost(b, [0, 1000], [10, 8], scheme="all_units") == 8000.0
    assert tiered_cost(1000, [0, 1000], [10, 8], scheme="all_units") == 8000.0
    assert tiered_cost(999, [0, 1000], [10, 8], scheme="all_units") > 8000.0


def test_published_volume_schedule():
    """Lago "Volume" charge model (0-10,000 $0.0010, then $0.0008, $0.0006, $0.0004 from
    10,000 / 50,000 / 100,000): by hand 0.0008 x 10,000 / 0.0010 = 8,000;
    0.0006 x 50,000 / 0.0008 = 37,500; 0.0004 x 100,000 / 0.0006 = 66,666.7."""
    b = all_units_break_even([0, 10000, 50000, 100000], [0.0010, 0.0008, 0.0006, 0.0004])
    np.testing.assert_allclose(b, [8000.0, 37500.0, 200000 / 3], rtol=1e-12)


def test_deep_drop_walks_to_the_crossing_tier():
    """Tiers 0/1,000/1,100 at 10/8/1: at 1,100 units the charge is 1,100. Within tier 2
    (1,000-1,099 at 8) every volume costs at least 8,000 > 1,100, so the crossing is in tier 1:
    1,100 / 10 = 110 units."""
    b = all_units_break_even([0, 1000, 1100], [10, 8, 1])
    np.testing.assert_allclose(b, [800.0, 110.0])
    assert tiered_cost(110.0, [0, 1000, 1100], [10, 8, 1], scheme="all_units") == 1100.0


def test_no_drop_means_no_break_even_below_the_threshold():
    """A price that does not fall (or a free first tier) never makes buying up pay: b = t."""
    np.testing.assert_array_equal(all_units_break_even([0, 500, 900], [4, 4, 5]), [500.0, 900.0])
    np.testing.assert_array_equal(all_units_break_even([0, 100], [0, 3]), [100.0])


def test_batch_of_schedules_matches_one_by_one():
    """Leading axes are schedules: the batch answer equals each schedule's own answer."""
    starts = np.array([[0, 1000, 2000], [0, 10, 20], [0, 5, 7]])
    prices = np.array([[10, 8, 6], [3, 2, 2], [9, 1, 0.5]])
    batch = all_units_break_even(starts, prices)
    assert batch.shape == (3, 2)
    for row in range(3):
        np.testing.assert_array_equal(batch[row], all_units_break_even(starts[row], prices[row]))


@pytest.mark.parametrize(
    ("starts", "prices", "words"),
    [
        ([0], [10], "two tiers"),
        ([5, 1000], [10, 8], "start at 0"),
        ([0, 1000, 1000], [10, 8, 6], "increase strictly"),
        ([0, 1000], [10, -8], "unit_price"),
        (0, [10, 8], "single number"),
        ([0, 1, 2], [10, 8], "one value per tier"),
    ],
)
def test_bad_schedules_are_refused(starts, prices, words):
    with pytest.raises(ParameterError, match=words):
        all_units_break_even(starts, prices)


@st.composite
def falling_schedules(draw):
    """Domain: 2-6 tiers, starts 0 < t_1 < ... <= 1e6 units, prices in (0.01, 1000] that never
    rise (each tier at most the price of the one before)."""
    k = draw(st.integers(2, 6))
    steps = draw(st.lists(st.floats(1.0, 2e5), min_size=k - 1, max_size=k - 1))
    starts = np.concatenate([[0.0], np.cumsum(steps)])
    first = draw(st.floats(0.02, 1000.0))
    cuts = draw(st.lists(st.floats(0.01, 1.0), min_size=k - 1, max_size=k - 1))
    prices = first * np.concatenate([[1.0], np.cumprod(cuts)])
    return starts, np.maximum(prices, 1e-2)


@settings(max_examples=150, deadline=None)
@given(falling_schedules())
def test_at_the_break_even_both_totals_are_equal(schedule):
    """With prices that never rise, the all-units charge at b_k equals the charge at t_k
    (relative tolerance 1e-9: one division and one multiplication), b_k <= t_k, and every
    volume in [b_k, t_k) costs at least as much as t_k."""
    starts, prices = np.sort(schedule[0]), np.minimum.accumulate(schedule[1])
    b = all_units_break_even(starts, prices)
    for k in range(1, starts.size):
        at_threshold = prices[k] * starts[k]
        assert 0.0 <= b[k - 1] <= starts[k]
        if b[k - 1] < starts[k]:
            cost_b = tiered_cost(b[k - 1], starts, prices, scheme="all_units")
            assert cost_b == pytest.approx(at_threshold, rel=1e-9)
            grid = np.linspace(b[k - 1], starts[k], 50, endpoint=False)
            costs = tiered_cost(grid, starts, prices, scheme="all_units")
            assert np.all(costs >= at_threshold * (1 - 1e-9))
