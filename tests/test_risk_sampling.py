"""Streams and samplers: name-keyed streams, stratification, chunk-size invariance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.risk import PERT, Bernoulli, Normal, Triangular, Uniform, simulate
from cio_analytics.risk.sampling import block_bounds, input_stream

INPUTS = {"capex": PERT(90, 100, 140), "opex": Triangular(10, 12, 20), "risk": Bernoulli(0.2)}


def model(capex, opex, risk):
    return {"cost": capex + opex + 50 * risk, "capex_only": capex * 1.0}


@pytest.mark.parametrize("method", ["lhs", "mc", "sobol"])
def test_same_seed_identical_and_different_seed_differs(method):
    a = simulate(model, INPUTS, 5_000, rng=42, method=method)
    b = simulate(model, INPUTS, 5_000, rng=42, method=method)
    c = simulate(model, INPUTS, 5_000, rng=43, method=method)
    pd.testing.assert_frame_equal(a.samples, b.samples)
    assert a.seed == 42 and a.method == method
    assert not np.array_equal(a.outputs["cost"], c.outputs["cost"])


@pytest.mark.parametrize("method", ["lhs", "mc", "sobol"])
@pytest.mark.parametrize("correlated", [False, True])
def test_chunk_size_invariance(method, correlated):
    """25,000 trials in blocks of 4,096: chunk sizes 1, 5,000, 9,000 and 10^6 give identical
    numbers (chunks are rounded up to whole blocks; blocks carry the randomness)."""
    corr = pd.DataFrame([[1, 0.5], [0.5, 1]], index=["capex", "opex"], columns=["capex", "opex"])
    kw = {"rng": 7, "method": method, "block_size": 4_096}
    if correlated:
        kw["correlation"] = corr
    ref = simulate(model, INPUTS, 25_000, chunk_size=1_000_000, **kw)
    for chunk in (1, 5_000, 9_000):
        res = simulate(model, INPUTS, 25_000, chunk_size=chunk, **kw)
        pd.testing.assert_frame_equal(res.samples, ref.samples)
        pd.testing.assert_frame_equal(res.outputs, ref.outputs)


def test_model_called_once_per_chunk():
    calls = []

    def counting(capex, opex, risk):
        calls.append(capex.size)
        return capex + opex

    simulate(counting, INPUTS, 10_000, rng=1, block_size=1_000, chunk_size=3_000)
    assert calls == [3_000, 3_000, 3_000, 1_000]


@pytest.mark.parametrize("method", ["lhs", "mc"])
def test_streams_keyed_by_name_not_position(method):
    """Adding an input, reordering the dict or changing another input's distribution leaves
    each input's draws unchanged (common random numbers)."""
    base = simulate(lambda **k: k["capex"], INPUTS, 3_000, rng=3, method=method)
    more = dict(reversed(list(INPUTS.items())))
    more["extra"] = Normal(0, 1)
    more["opex"] = Uniform(0, 1)
    other = simulate(lambda **k: k["capex"], more, 3_000, rng=3, method=method)
    np.testing.assert_array_equal(base.samples["capex"], other.samples["capex"])
    np.testing.assert_array_equal(base.samples["risk"], other.samples["risk"])


def test_paired_runs_with_and_without_control():
    """A control that halves the risk impact: the paired difference is exactly the saving in
    every trial because the risk draws are shared."""
    without = simulate(model, INPUTS, 4_000, rng=8)
    with_control = simulate(
        lambda capex, opex, risk: capex + opex + 25 * risk, INPUTS, 4_000, rng=8
    )
    diff = without.outputs["cost"] - with_control.outputs["output"]
    np.testing.assert_allclose(diff, 25 * without.samples["risk"])


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 3_000), seed=st.integers(0, 2**32))
def test_lhs_one_draw_per_stratum(n, seed):
    """Latin hypercube: within a block of n trials each of the n equal-probability strata of
    every input holds exactly one draw."""
    res = simulate(lambda **k: k["u"], {"u": Uniform(0, 1), "v": Normal(0, 1)}, n, rng=seed)
    u = res.samples["u"].to_numpy()
    assert np.array_equal(np.sort(np.floor(u * n).astype(int)), np.arange(n))
    v = res.samples["v"].to_numpy()
    from scipy.special import ndtr

    strata = np.sort(np.minimum(np.floor(ndtr(v) * n), n - 1).astype(int))
    assert np.array_equal(strata, np.arange(n))


def test_lhs_is_stratified_per_block():
    res = simulate(lambda **k: k["u"], {"u": Uniform(0, 1)}, 2_500, rng=1, block_size=1_000)
    u = res.samples["u"].to_numpy()
    for start, stop in block_bounds(2_500, 1_000):
        m = stop - start
        assert np.array_equal(np.sort(np.floor(u[start:stop] * m).astype(int)), np.arange(m))


def test_input_stream_depends_on_seed_name_and_block():
    draws = {
        (s, n, b): input_stream(s, n, b).random()
        for s in (1, 2)
        for n in ("x", "y")
        for b in (0, 1)
    }
    assert len(set(draws.values())) == 8


def test_constant_inputs_and_generator_seed():
    rng = np.random.default_rng(123)
    res = simulate(lambda a, k: a * k, {"a": Uniform(0, 1), "k": 2}, 1_000, rng=rng)
    again = simulate(lambda a, k: a * k, {"a": Uniform(0, 1), "k": 2}, 1_000, rng=res.seed)
    np.testing.assert_array_equal(res.outputs["output"], again.outputs["output"])
    assert (res.samples["k"] == 2).all()


def test_lhs_reduces_variance_of_the_mean():
    """McKay, Beckman & Conover (1979): for an additive model LHS removes the main-effect
    variance of the mean estimate. 40 seeds x 1,000 trials: the spread of LHS means is below
    a tenth of the plain Monte Carlo spread (for a sum it is ~1/1000 of the MC variance)."""
    inputs = {f"x{i}": PERT(100 + i, 150 + 2 * i, 300 + 5 * i) for i in range(5)}

    def total(**x):
        return sum(x.values())

    spread = {}
    for method in ("lhs", "mc"):
        means = [simulate(total, inputs, 1_000, rng=s, method=method).mean() for s in range(40)]
        spread[method] = np.std(means)
    assert spread["lhs"] < 0.1 * spread["mc"]


def test_shuffled_scores_equal_the_scores_at_the_drawn_ranks():
    """With a scores block the sampler shuffles Iman-Conover's van der Waerden scores with the
    stream that would have drawn the ranks: row j equals scores[ranks] of the plain draw, and
    the sorted values are the same (so correlated runs keep their numbers)."""
    from scipy import special

    from cio_analytics.risk.sampling import sample_block

    inputs = {"a": PERT(1, 2, 6), "b": Normal(0, 1), "c": Bernoulli(0.3)}
    names, m = ("a", "b", "c"), 5_000
    _, plain, _ = sample_block(inputs, "lhs", 11, 2, 0, m, names)
    block = np.empty((3, m))
    _, shuffled, _ = sample_block(inputs, "lhs", 11, 2, 0, m, names, block)
    scores = special.ndtri(np.arange(1, m + 1) / (m + 1.0))
    np.testing.assert_array_equal(shuffled["a"][1], plain["a"][1])  # row 0 keeps its ranks
    for j, name in enumerate(names):
        np.testing.assert_array_equal(shuffled[name][0], plain[name][0])
        if j:
            assert shuffled[name][1] is None
            np.testing.assert_array_equal(block[j], scores[plain[name][1]])
