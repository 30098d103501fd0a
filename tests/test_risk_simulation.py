"""simulate() and SimulationResult: closed forms, tolerance limits, sensitivity, errors."""

from __future__ import annotations

import dataclasses
import math
import tracemalloc

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cio_analytics.exceptions import ParameterError
from cio_analytics.risk import (
    PERT,
    LogNormal,
    Normal,
    SimulationResult,
    Uniform,
    simulate,
    simulate_until,
    wilks_sample_size,
)

Z95 = stats.norm.ppf(0.95)


def identity(x):
    return x


# -- tail measures against closed forms ----------------------------------------------------


def test_normal_var_and_es_closed_form():
    """McNeil, Frey & Embrechts (2005), Quantitative Risk Management, Example 2.14:
    for N(mu, s^2) losses VaR_a = mu + s z_a and ES_a = mu + s phi(z_a) / (1 - a).
    N(100, 20): VaR_0.95 = 132.897, ES_0.95 = 141.254. 200,000 LHS trials, seed 1, tol 0.05."""
    res = simulate(identity, {"x": Normal(100, 20)}, 200_000, rng=1)
    assert res.value_at_risk(0.95) == pytest.approx(100 + 20 * Z95, abs=0.05)
    es = 100 + 20 * stats.norm.pdf(Z95) / 0.05
    assert es == pytest.approx(141.254, abs=1e-3)
    assert res.expected_shortfall(0.95) == pytest.approx(es, abs=0.05)


def test_lognormal_var_and_es_closed_form():
    """Lognormal losses exp(N(mu, s^2)): VaR_a = exp(mu + s z_a),
    ES_a = exp(mu + s^2/2) Phi(s - z_a) / (1 - a) (Dowd 2005, Measuring Market Risk, 2nd ed.).
    mu = 0, s = 0.5: 200,000 LHS trials, seed 2, relative tolerance 0.3 %."""
    res = simulate(identity, {"x": LogNormal(0.0, 0.5)}, 200_000, rng=2)
    assert res.value_at_risk(0.95) == pytest.approx(math.exp(0.5 * Z95), rel=3e-3)
    es = math.exp(0.125) * stats.norm.cdf(0.5 - Z95) / 0.05
    assert res.expected_shortfall(0.95) == pytest.approx(es, rel=3e-3)


def test_wilks_59():
    """Wilks (1941): 59 trials make the sample maximum a 95 %/95 % one-sided tolerance limit
    (1 - 0.95^59 = 0.9515). Check: 20,000 independent runs of 59 plain-MC trials (seed 4): the
    share whose maximum exceeds the true P95 is 0.9515 within 4 binomial SEs (0.0061)."""
    assert wilks_sample_size() == 59
    assert wilks_sample_size(order=2) == 93
    n_runs = 20_000
    res = simulate(identity, {"x": Normal(0, 1)}, 59 * n_runs, rng=4, method="mc")
    maxima = res.outputs["output"].to_numpy().reshape(n_runs, 59).max(axis=1)
    share = (maxima > Z95).mean()
    expected = 1 - 0.95**59
    assert abs(share - expected) < 4 * math.sqrt(expected * (1 - expected) / n_runs)


# -- summary, quantiles and probabilities --------------------------------------------------


def test_summary_table_and_order_statistic_ci():
    """Quantile CIs by order statistics: for n = 1,000 and the median at 95 %, the ranks are
    binom.ppf(0.025, 1000, 0.5) = 469 and binom.ppf(0.975, 1000, 0.5) + 1 = 532 (1-based)."""
    res = simulate(identity, {"x": Normal(50, 10)}, 1_000, rng=3, method="mc")
    table = res.summary()
    assert list(table.columns) == [
        "output",
        "statistic",
        "value",
        "se",
        "ci_low",
        "ci_high",
        "n_valid",
    ]
    assert list(table["statistic"])[:4] == ["mean", "sd", "P5", "P10"]
    y = np.sort(res.outputs["output"].to_numpy())
    med = table.set_index("statistic").loc["P50"]
    assert (med.ci_low, med.ci_high) == (y[468], y[531])
    mean = table.set_index("statistic").loc["mean"]
    assert mean.se == pytest.approx(y.std(ddof=1) / math.sqrt(1_000))
    assert mean.ci_low < 50 < mean.ci_high  # fixed seed; the 95 % interval covers the truth


def test_quantile_probabilities_and_exceedance():
    res = simulate(identity, {"x": Uniform(0, 100)}, 10_000, rng=1)
    assert res.quantile(0.8) == pytest.approx(80, abs=0.05)
    np.testing.assert_allclose(res.quantile([0.1, 0.5]), [10, 50], atol=0.05)
    assert res.probability_below(25) == pytest.approx(0.25, abs=1e-3)
    assert res.probability_above(25) == pytest.approx(0.75, abs=1e-3)
    curve = res.exceedance_curve(n_points=11)
    assert list(curve.columns) == ["value", "probability_exceeding"]
    assert curve["probability_exceeding"].is_monotonic_decreasing
    assert curve["value"].is_monotonic_increasing


def test_contingency_goal_seek():
    """Goal seek: budget at P80 of N(1000, 100) is 1000 + 100 z_0.8 = 1084.16; the
    contingency over a base of 1000 is 84.16 (100,000 LHS trials, tol 0.1)."""
    res = simulate(identity, {"x": Normal(1000, 100)}, 100_000, rng=6)
    c = res.contingency(1000, percentile=0.8)
    assert c == pytest.approx(100 * stats.norm.ppf(0.8), abs=0.1)
    assert res.probability_below(1000 + c) == pytest.approx(0.8, abs=1e-4)


# -- sensitivity and stress ----------------------------------------------------------------


def test_sensitivity_linear_model_known_answers():
    """y = 3a + b, a and b iid N(0, 1). Pearson(a, y) = 3/sqrt(10); for bivariate normals
    Spearman = (6/pi) arcsin(r/2) (Kruskal 1958). Swing bins: E[3a | a <= P10] =
    -3 phi(z_0.9) / 0.1 = -5.265. 200,000 LHS trials, seed 12, tolerances 0.005 and 0.03."""
    res = simulate(lambda a, b: 3 * a + b, {"a": Normal(0, 1), "b": Normal(0, 1)}, 200_000, rng=12)
    sens = res.sensitivity().set_index("input")
    assert list(sens.index) == ["a", "b"]  # most important first
    rho_a = 6 / math.pi * math.asin(3 / math.sqrt(10) / 2)
    rho_b = 6 / math.pi * math.asin(1 / math.sqrt(10) / 2)
    assert sens.loc["a", "spearman"] == pytest.approx(rho_a, abs=0.005)
    assert sens.loc["b", "spearman"] == pytest.approx(rho_b, abs=0.005)
    assert sens["contribution_to_variance"].sum() == pytest.approx(1.0)
    tail = stats.norm.pdf(stats.norm.ppf(0.9)) / 0.1
    assert sens.loc["a", "low_mean"] == pytest.approx(-3 * tail, abs=0.03)
    assert sens.loc["a", "swing"] == pytest.approx(6 * tail, abs=0.06)
    assert sens.loc["b", "swing"] == pytest.approx(2 * tail, abs=0.06)


def test_stress_band():
    """Holding a in its worst decile: E[a + b | a >= P90] = phi(z_0.9) / 0.1 = 1.755."""
    res = simulate(lambda a, b: a + b, {"a": Normal(0, 1), "b": Normal(0, 1)}, 100_000, rng=13)
    table = res.stress("a", 0.9, 1.0).set_index("statistic")
    assert table.loc["mean", "stressed"] == pytest.approx(1.755, abs=0.03)
    assert table.loc["mean", "baseline"] == pytest.approx(0.0, abs=0.01)
    assert table.loc["n_trials", "stressed"] == pytest.approx(10_000, abs=2)
    with pytest.raises(ParameterError, match="Did you mean 'a'"):
        res.stress("aa")


# -- convergence ---------------------------------------------------------------------------


def test_trials_for_precision_mean_formula():
    """n = (z sd / tol)^2: for sd 10, tol 1, 95 %: 384.1 (with the sample sd, within 2 %)."""
    res = simulate(identity, {"x": Normal(0, 10)}, 50_000, rng=1)
    n = res.trials_for_precision(abs_tol=1.0)
    assert n == pytest.approx((1.959964 * 10) ** 2, rel=0.02)
    n80 = res.trials_for_precision(0.8, rel_tol=0.01)
    assert n80 > 0


def test_simulate_until_deterministic_and_replayable():
    inputs = {"a": PERT(1, 2, 10), "b": LogNormal(0, 1)}
    kw = {"statistic": 0.9, "rel_tol": 0.02, "rng": 21, "block_size": 5_000}
    res = simulate_until(lambda a, b: a * b, inputs, **kw)
    again = simulate_until(lambda a, b: a * b, inputs, **kw)
    assert (
        res.precision["met"] and res.precision["half_width"] <= res.precision["target_half_width"]
    )
    pd.testing.assert_frame_equal(res.outputs, again.outputs)
    replay = simulate(lambda a, b: a * b, inputs, res.n_trials, rng=21, block_size=5_000)
    pd.testing.assert_frame_equal(res.outputs, replay.outputs)


def test_simulate_until_stops_at_max_trials():
    res = simulate_until(identity, {"x": Normal(0, 1)}, abs_tol=1e-6, max_trials=20_000, rng=1)
    assert res.n_trials == 20_000 and not res.precision["met"]


# -- memory --------------------------------------------------------------------------------


def test_chunked_run_memory_is_bounded():
    """2,000,000 trials x 4 inputs in chunks of 65,536 with keep_inputs=0: peak traced memory
    stays well below the 64 MB the full input matrix would need (outputs: 16 MB)."""
    inputs = {f"x{i}": PERT(1, 2 + i, 9 + i) for i in range(4)}
    tracemalloc.start()
    try:
        res = simulate(lambda **k: sum(k.values()), inputs, 2_000_000, rng=1, chunk_size=65_536, block_size=65_536,
                       keep_inputs=0)  # fmt: skip
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert res.samples.shape == (0, 5) and res.outputs.shape == (2_000_000, 1)
    assert peak < 40e6


def test_keep_inputs_bounds_samples():
    res = simulate(identity, {"x": Normal(0, 1)}, 30_000, rng=1, keep_inputs=1_000)
    assert res.samples.shape == (1_000, 2) and len(res.outputs) == 30_000
    np.testing.assert_array_equal(res.samples["output"], res.outputs["output"][:1_000])


# -- model contract and errors -------------------------------------------------------------


def test_model_with_dict_argument_and_several_outputs():
    def model(values):
        return {"total": values["a"] + values["b"], "ratio": values["a"] / values["b"]}

    res = simulate(model, {"a": Uniform(1, 2), "b": Uniform(3, 4)}, 2_000, rng=1)
    assert res.output_names == ["total", "ratio"]
    assert res.mean("total") == pytest.approx(5.0, abs=1e-3)
    with pytest.raises(ParameterError, match="several outputs"):
        res.mean()
    with pytest.raises(ParameterError, match="Did you mean 'total'"):
        res.quantile(0.5, output="totl")


def test_result_is_frozen_and_echoes_inputs():
    inputs = {"a": Normal(0, 1)}
    res = simulate(lambda a: a, inputs, 100, rng=1)
    assert isinstance(res, SimulationResult) and res.inputs == inputs and res.n_trials == 100
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.seed = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("model", "match"),
    [
        (lambda a: a[:-1], r"shape \(500,\)"),
        (lambda a: 3.0, "one value per trial"),
        (lambda a: np.where(a > 0, np.nan, a), "NaN in trial"),
        (lambda a: {"a": a}, "same name as an input"),
        (lambda a: {}, "empty"),
    ],
)
def test_bad_model_output(model, match):
    with pytest.raises(ParameterError, match=match):
        simulate(model, {"a": Normal(0, 1)}, 500, rng=1)


def test_allow_nan_keeps_trials_and_skips_them():
    res = simulate(lambda a: np.where(a > 0, a, np.nan), {"a": Normal(0, 1)}, 10_000, rng=1,
                   allow_nan=True)  # fmt: skip
    assert res.outputs["output"].isna().mean() == pytest.approx(0.5, abs=1e-3)
    assert res.summary().loc[0, "n_valid"] == pytest.approx(5_000, abs=10)
    assert res.mean() == pytest.approx(math.sqrt(2 / math.pi), abs=0.01)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "latin"}, "method"),
        ({"n_trials": 0}, "n_trials"),
        ({"inputs": {"a": "PERT"}}, "distribution"),
        ({"inputs": {}}, "non-empty"),
        ({"inputs": {"my input": Normal(0, 1)}}, "identifiers"),
        ({"model": 3}, "function"),
        ({"rng": "seed"}, "rng"),
    ],
)
def test_bad_arguments(kwargs, match):
    args = {"model": identity, "inputs": {"x": Normal(0, 1)}, "n_trials": 10}
    args.update(kwargs)
    with pytest.raises(ParameterError, match=match):
        simulate(args.pop("model"), args.pop("inputs"), args.pop("n_trials"), **args)


@pytest.mark.parametrize("method", ["lhs", "mc", "sobol"])
def test_ranks_reused_from_sampling_equal_true_ranks(method):
    """In a one-block run the ranks known from Latin hypercube / Iman-Conover are cached for
    the tornado; they must equal freshly computed average ranks."""
    from cio_analytics.risk.results import _rank

    inputs = {"a": PERT(1, 2, 9), "b": Normal(0, 1), "c": LogNormal(0, 1), "d": Uniform(0, 1)}
    corr = pd.DataFrame([[1, 0.5], [0.5, 1]], index=["a", "b"], columns=["a", "b"])
    res = simulate(lambda a, b, c, d: a + b + c + d, inputs, 5_000, correlation=corr, rng=3,
                   method=method)  # fmt: skip
    for name in inputs:
        ranks, xs = res._ranked(name)
        fresh, fresh_sorted = _rank(res.samples[name].to_numpy())
        np.testing.assert_array_equal(ranks, fresh)
        np.testing.assert_array_equal(xs, fresh_sorted)
