"""Both correlation matrices reported: Higham's nearest (Spearman) and the one imposed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cio_analytics.risk import PERT, nearest_correlation, simulate, spearman_to_normal
from cio_analytics.risk._order import sorting_order
from cio_analytics.risk.correlation import normal_to_spearman, prepare_correlation

NAMES = ["a", "b", "c"]
INCONSISTENT = pd.DataFrame(
    [[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]], index=NAMES, columns=NAMES
)


def test_consistent_target_needs_no_repair():
    t = pd.DataFrame([[1, 0.5, 0.2], [0.5, 1, 0.3], [0.2, 0.3, 1]], index=NAMES, columns=NAMES)
    spec = prepare_correlation(t, NAMES)
    assert not spec.repaired and spec.nearest is None and not spec.normal_repaired
    np.testing.assert_allclose(spec.normal, np.where(np.eye(3) > 0, 1, spearman_to_normal(t)))


def test_inconsistent_target_reports_nearest_and_imposed():
    """Higham (2002) repair in Spearman space, then (the map being non-linear) a second repair
    in normal-score space; `used` is exactly the Spearman equivalent of the imposed matrix."""
    spec = prepare_correlation(INCONSISTENT, NAMES)
    near, _ = nearest_correlation(INCONSISTENT.to_numpy())
    np.testing.assert_allclose(spec.nearest.to_numpy(), near, atol=1e-10)
    assert spec.repaired
    assert np.linalg.eigvalsh(spec.normal).min() >= -1e-10
    back = normal_to_spearman(spec.normal)
    np.fill_diagonal(back, 1.0)
    np.testing.assert_allclose(spec.used.to_numpy(), back, atol=1e-12)
    if spec.normal_repaired:
        assert 0 < np.max(np.abs(spec.used.to_numpy() - near)) < 0.05


def test_simulation_result_carries_both_matrices():
    inputs = {n: PERT(0, 1, 3) for n in NAMES}
    res = simulate(lambda a, b, c: a + b + c, inputs, 20_000, correlation=INCONSISTENT, rng=1)
    info = res.correlation
    assert info.repaired and info.nearest is not None and info.normal is not None
    table = info.matrices()
    assert list(table.columns) == [
        "input_a", "input_b", "target", "nearest", "used", "normal_imposed", "gap", "achieved",
    ]  # fmt: skip
    assert table["gap"].to_numpy() == pytest.approx(
        (table["used"] - table["nearest"]).to_numpy(), abs=0
    )
    # what was imposed is what was achieved (to sampling error), not the nearest matrix
    assert np.max(np.abs(table["achieved"] - table["used"])) < 0.02
    # the existing summary keeps its columns
    assert list(info.summary().columns) == ["input_a", "input_b", "target", "used", "achieved"]


def test_register_reports_the_normal_score_matrix():
    from cio_analytics.risk import Risk, simulate_register

    risks = [Risk(n, PERT(1e3, 2e3, 5e3), probability=0.3) for n in NAMES]
    res = simulate_register(risks, 2_000, correlation=INCONSISTENT, rng=1)
    assert res.correlation_repaired
    back = normal_to_spearman(res.correlation_normal.to_numpy())
    np.fill_diagonal(back, 1.0)
    np.testing.assert_allclose(back, res.correlation_used.to_numpy(), atol=1e-12)


# -- the sorting permutation used by Iman-Conover ----------------------------------------------


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(1, 3000), elements=st.floats(-1e6, 1e6)))
def test_sorting_order_is_a_sorting_permutation(x):
    """For any finite array: a permutation of 0..n-1 that sorts x, up to values that agree in
    all but the lowest ceil(log2 n) mantissa bits (relative 2^(bits - 52)), which keep index order.
    """
    order = sorting_order(x)
    assert np.array_equal(np.sort(order), np.arange(x.size))
    bits = max(1, (x.size - 1).bit_length())
    xs = x[order]
    tol = 2.0 ** (bits - 51) * np.abs(xs[1:]) + 2.0**bits * 5e-324  # subnormals: absolute
    assert np.all(np.diff(xs) >= -tol)


def test_sorting_order_equals_argsort_for_distinct_continuous_values():
    x = np.random.default_rng(1).standard_normal(100_000)
    np.testing.assert_array_equal(sorting_order(x), np.argsort(x))
    y = np.r_[x[:10], np.inf]
    np.testing.assert_array_equal(sorting_order(y), np.argsort(y))  # non-finite: argsort
