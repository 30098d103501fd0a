"""Rank correlation: Higham repair, Iman-Conover, validation of the target matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.risk import (
    PERT,
    LogNormal,
    Normal,
    Poisson,
    Triangular,
    nearest_correlation,
    simulate,
    spearman_to_normal,
)
from cio_analytics.risk.correlation import normal_to_spearman, prepare_correlation


def _frame(m, names):
    return pd.DataFrame(np.asarray(m, dtype=float), index=names, columns=names)


def test_higham_2002_example():
    """Higham (2002), IMA J. Numer. Anal. 22, section 4 example: A = tridiag(-1, 2, -1) of
    order 4; the nearest correlation matrix (W = I) has first row
    [1, -0.8084, 0.1916, 0.1068] and second row [-0.8084, 1, -0.6562, 0.1916] (4 d.p.)."""
    a = np.array([[2, -1, 0, 0], [-1, 2, -1, 0], [0, -1, 2, -1], [0, 0, -1, 2]], float)
    x, _ = nearest_correlation(a)
    expected = np.array(
        [
            [1.0, -0.8084, 0.1916, 0.1068],
            [-0.8084, 1.0, -0.6562, 0.1916],
            [0.1916, -0.6562, 1.0, -0.8084],
            [0.1068, 0.1916, -0.8084, 1.0],
        ]
    )
    np.testing.assert_allclose(x, expected, atol=5e-5)


def test_matlab_nearcorr_example():
    """MATLAB Financial Toolbox `nearcorr` documentation example (5x5, eigenvalue -0.1244);
    the documented result (alternating projections gives the same) to 4 d.p."""
    a = np.array(
        [
            [1.0000, 0, 0, 0, -0.9360],
            [0, 1.0000, -0.5500, -0.3645, -0.5300],
            [0, -0.5500, 1.0000, -0.0351, 0.0875],
            [0, -0.3645, -0.0351, 1.0000, 0.4557],
            [-0.9360, -0.5300, 0.0875, 0.4557, 1.0000],
        ]
    )
    expected = np.array(
        [
            [1.0000, 0.0372, 0.0100, -0.0219, -0.8478],
            [0.0372, 1.0000, -0.5449, -0.3757, -0.4849],
            [0.0100, -0.5449, 1.0000, -0.0381, 0.0996],
            [-0.0219, -0.3757, -0.0381, 1.0000, 0.4292],
            [-0.8478, -0.4849, 0.0996, 0.4292, 1.0000],
        ]
    )
    x, _ = nearest_correlation(a)
    np.testing.assert_allclose(x, expected, atol=5e-5)
    assert np.linalg.eigvalsh(x).min() > -1e-10


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1, 1), min_size=6, max_size=6))
def test_nearest_correlation_is_a_correlation_matrix(vals):
    a = np.eye(4)
    a[np.triu_indices(4, 1)] = vals
    a = np.triu(a) + np.triu(a, 1).T
    x, _ = nearest_correlation(a)
    np.testing.assert_allclose(np.diag(x), 1.0, atol=1e-10)
    np.testing.assert_allclose(x, x.T)
    assert np.linalg.eigvalsh(x).min() > -1e-8
    if np.linalg.eigvalsh(a).min() >= 0:  # already valid -> unchanged
        np.testing.assert_allclose(x, a, atol=1e-8)


def test_spearman_normal_conversion():
    """Kruskal (1958): for a bivariate normal, rho_S = (6/pi) arcsin(r/2)."""
    rho = np.linspace(-1, 1, 21)
    np.testing.assert_allclose(normal_to_spearman(spearman_to_normal(rho)), rho, atol=1e-12)
    assert spearman_to_normal(1.0) == pytest.approx(1.0)


INPUTS = {
    "a": PERT(10, 20, 60),
    "b": LogNormal.from_interval(5, 50),
    "c": Normal(0, 1),
    "d": Triangular(0, 1, 2),
    "e": Poisson(30.0),
}
TARGET = _frame(
    [
        [1.0, 0.6, -0.3, 0.2, 0.0],
        [0.6, 1.0, 0.0, 0.4, 0.3],
        [-0.3, 0.0, 1.0, 0.0, -0.5],
        [0.2, 0.4, 0.0, 1.0, 0.1],
        [0.0, 0.3, -0.5, 0.1, 1.0],
    ],
    list(INPUTS),
)


@pytest.mark.parametrize("method", ["lhs", "mc", "sobol"])
def test_iman_conover_achieves_targets(method):
    """Iman & Conover (1982): 50,000 trials (seed 5, one block of the default 262,144); achieved
    Spearman within 0.02 of every target (Poisson ties make e slightly weaker: 0.03)."""
    res = simulate(lambda **k: k["a"], INPUTS, 50_000, correlation=TARGET, rng=5, method=method)
    achieved = res.samples[list(INPUTS)].rank().corr().to_numpy()
    err = np.abs(achieved - TARGET.to_numpy())
    assert err[:4, :4].max() < 0.02
    assert err.max() < 0.03
    assert res.correlation.max_abs_error < 0.03 and not res.correlation.repaired
    np.testing.assert_allclose(res.correlation.achieved.to_numpy(), achieved, atol=1e-12)


def test_iman_conover_keeps_marginals():
    """Reordering only: the sorted values equal those of the uncorrelated run (same seed)."""
    kw = {"rng": 9, "method": "lhs"}
    with_c = simulate(lambda **k: k["a"], INPUTS, 20_000, correlation=TARGET, **kw)
    without = simulate(lambda **k: k["a"], INPUTS, 20_000, **kw)
    for name in INPUTS:
        np.testing.assert_array_equal(
            np.sort(with_c.samples[name].to_numpy()), np.sort(without.samples[name].to_numpy())
        )


def _iman_conover_by_the_book(sorted_values, ranks, normal):
    """Iman & Conover (1982) step by step: van der Waerden scores in the given arrangement,
    S* = S Q^-T P^T with E = Q Q^T (sample correlation of S) and C = P P^T, then each input
    takes the ranks of its column of S* (np.argsort)."""
    from scipy import linalg, special

    n = sorted_values[0].size
    scores = special.ndtri(np.arange(1, n + 1) / (n + 1.0))
    s = np.column_stack([scores[r] for r in ranks])
    q = np.linalg.cholesky(s.T @ s / (scores @ scores))  # columns: mean 0, equal norms
    q_inv = linalg.solve_triangular(q, np.eye(len(ranks)), lower=True)
    target = s @ q_inv.T @ np.linalg.cholesky(normal).T
    out = []
    for j, values in enumerate(sorted_values):
        arranged = np.empty(n)
        arranged[np.argsort(target[:, j])] = values
        out.append(arranged)
    return out


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(2, 6), rho=st.floats(-0.15, 0.9))
def test_iman_conover_equals_the_textbook_steps(seed, k, rho):
    """The fast path (one product, a row-wise SIMD sort, the first row from its own ranks)
    gives the same arrangement as the textbook steps, for any equicorrelation target in
    [-0.15, 0.9] (positive definite for k <= 6) on 3,000 continuous draws per input."""
    from cio_analytics.risk.correlation import iman_conover

    rng = np.random.default_rng(seed)
    n = 3_000
    values = [np.sort(rng.normal(size=n)) for _ in range(k)]
    ranks = [rng.permutation(n) for _ in range(k)]
    normal = np.full((k, k), spearman_to_normal(rho))
    np.fill_diagonal(normal, 1.0)
    fast, new_ranks = iman_conover(values, ranks, normal, return_ranks=True)
    book = _iman_conover_by_the_book(values, ranks, normal)
    for j in range(k):
        np.testing.assert_array_equal(fast[j], book[j])
        np.testing.assert_array_equal(new_ranks[j], np.argsort(np.argsort(book[j])) + 1.0)


def test_sorting_orders_is_argsort_row_by_row():
    from cio_analytics.risk._order import sorting_orders

    x = np.random.default_rng(3).normal(size=(4, 10_000))
    x[2, 17] = np.inf  # a row that is not finite falls back to argsort
    expected = np.argsort(x, axis=1, kind="stable")
    np.testing.assert_array_equal(sorting_orders(x.copy()), expected)


def test_subset_correlation_by_array_and_names():
    corr = [[1.0, -0.7], [-0.7, 1.0]]
    res = simulate(
        lambda **k: k["a"], INPUTS, 30_000, correlation=corr, correlation_names=["a", "c"], rng=2
    )
    rho = res.samples[["a", "c"]].rank().corr().iloc[0, 1]
    assert rho == pytest.approx(-0.7, abs=0.02)
    summary = res.correlation.summary()
    assert list(summary.columns) == ["input_a", "input_b", "target", "used", "achieved"]


def test_non_psd_target_is_repaired_and_reported():
    """Inconsistent judgements (a~b 0.9, b~c 0.9, a~c -0.9) are repaired (Higham)."""
    names = ["a", "b", "c"]
    bad = _frame([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]], names)
    res = simulate(lambda **k: k["a"], INPUTS, 20_000, correlation=bad, rng=1)
    info = res.correlation
    assert info.repaired
    assert np.linalg.eigvalsh(info.used.to_numpy()).min() > -1e-9
    assert info.max_abs_error < 0.03  # achieved matches the repaired matrix
    assert (info.used.to_numpy() != bad.to_numpy()).any()


@pytest.mark.parametrize(
    ("corr", "names", "match"),
    [
        (np.eye(3), None, "3x3 but there are 5"),
        ([[1, 1.2], [1.2, 1]], ["a", "b"], r"\[-1, 1\]"),
        ([[1, 0.5], [0.4, 1]], ["a", "b"], "symmetric"),
        ([[1, 0.5], [0.5, 0.9]], ["a", "b"], "diagonal"),
        ([[1, 0.5], [0.5, 1]], ["a", "capex"], "unknown input 'capex'"),
        ([[1, 0.5], [0.5, 1]], ["a", "a"], "unique"),
        (np.eye(3), ["a", "b"], "must be 2x2"),
    ],
)
def test_bad_correlation(corr, names, match):
    with pytest.raises(ParameterError, match=match):
        prepare_correlation(corr, list(INPUTS), names)


def test_bad_correlation_frame_labels():
    frame = pd.DataFrame(np.eye(2), index=["a", "b"], columns=["b", "a"])
    with pytest.raises(ParameterError, match="same input names"):
        simulate(lambda **k: k["a"], INPUTS, 100, correlation=frame)
    frame = _frame(np.eye(2), ["a", "bb"])
    with pytest.raises(ParameterError, match="Did you mean 'b'"):
        simulate(lambda **k: k["a"], INPUTS, 100, correlation=frame)


def test_correlating_a_constant_is_refused():
    with pytest.raises(ParameterError, match="constant"):
        simulate(lambda **k: k["a"], {"a": Normal(0, 1), "k": 3.0}, 100, correlation=np.eye(2))


def test_singular_target_perfect_rank_correlation():
    """rho = 1 is positive semi-definite but singular (no Cholesky): the eigen square root is
    used and the two inputs come out comonotone (Spearman 1 within 1e-6, 20,000 trials)."""
    corr = [[1.0, 1.0, 0.2], [1.0, 1.0, 0.2], [0.2, 0.2, 1.0]]
    res = simulate(
        lambda **k: k["a"], INPUTS, 20_000, correlation=corr, correlation_names=["a", "b", "c"],
        rng=4,
    )  # fmt: skip
    achieved = res.correlation.achieved
    assert achieved.loc["a", "b"] > 1 - 1e-6
    assert achieved.loc["a", "c"] == pytest.approx(0.2, abs=0.02)
    assert not res.correlation.repaired


def test_too_few_trials_for_the_correlated_inputs_is_a_clear_error():
    """Three trials cannot carry five correlated inputs: a ParameterError, not LinAlgError."""
    from cio_analytics.exceptions import ParameterError
    from cio_analytics.risk import Normal, simulate

    names = [f"x{i}" for i in range(5)]
    corr = np.full((5, 5), 0.3) + 0.7 * np.eye(5)
    with pytest.raises(ParameterError, match="more trials than correlated inputs"):
        simulate(
            lambda **x: sum(x.values()),
            {n: Normal(0, 1) for n in names},
            3,
            correlation=corr,
            correlation_names=names,
            method="mc",
            rng=1,
        )
