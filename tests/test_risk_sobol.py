"""Sobol' indices (``sobol_indices``): known answers, SALib agreement and input checks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.risk import (
    PERT,
    Normal,
    SobolResult,
    Triangular,
    Uniform,
    simulate,
    sobol_indices,
)

PI = math.pi


def _ishigami(x1, x2, x3, a=7.0, b=0.1):
    return np.sin(x1) + a * np.sin(x2) ** 2 + b * x3**4 * np.sin(x1)


ISHIGAMI_INPUTS = {n: Uniform(-PI, PI) for n in ("x1", "x2", "x3")}


def _ishigami_exact(a: float = 7.0, b: float = 0.1) -> tuple[list[float], list[float]]:
    """Analytic partial variances of Ishigami on [-pi, pi]^3 (Saltelli et al. 2008, 4.4)."""
    v1 = 0.5 * (1.0 + b * PI**4 / 5.0) ** 2
    v2 = a * a / 8.0
    v13 = b * b * PI**8 * (1.0 / 18.0 - 1.0 / 50.0)
    v = v1 + v2 + v13
    return [v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v]


@pytest.fixture(scope="module")
def ishigami() -> SobolResult:
    return sobol_indices(_ishigami, ISHIGAMI_INPUTS, 2**13, rng=2026, n_bootstrap=300)


def test_ishigami_exact_values_match_the_published_ones():
    """Saltelli et al. (2008), Global Sensitivity Analysis: The Primer, section 4.4 (a=7, b=0.1)."""
    s1, st_ = _ishigami_exact()
    np.testing.assert_allclose(s1, [0.3139, 0.4424, 0.0], atol=5e-5)
    np.testing.assert_allclose(st_, [0.5576, 0.4424, 0.2437], atol=5e-5)


def test_ishigami_known_answers(ishigami):
    """Ishigami & Homma (1990); S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437."""
    s1, st_ = _ishigami_exact()
    t = ishigami.indices
    np.testing.assert_allclose(t["S1"], s1, atol=0.02)
    np.testing.assert_allclose(t["ST"], st_, atol=0.02)
    # the exact values lie inside the (slightly widened for Monte Carlo luck) 95 % intervals
    pad = 0.01
    assert np.all(t["S1_ci_low"] - pad <= s1) and np.all(s1 <= t["S1_ci_high"] + pad)
    assert np.all(t["ST_ci_low"] - pad <= st_) and np.all(st_ <= t["ST_ci_high"] + pad)
    assert ishigami.n == 2**13 and ishigami.n_model_runs == 5 * 2**13
    assert ishigami.seed == 2026


def test_summary_is_tidy(ishigami):
    s = ishigami.summary()
    assert list(s.columns) == [
        "input", "S1", "S1_ci_low", "S1_ci_high", "ST", "ST_ci_low", "ST_ci_high", "interaction",
    ]  # fmt: skip
    assert list(s["input"]) == ["x1", "x2", "x3"]
    assert np.all(s["S1_ci_low"] <= s["S1_ci_high"])


def test_same_seed_same_numbers():
    a = sobol_indices(_ishigami, ISHIGAMI_INPUTS, 256, rng=5, n_bootstrap=50)
    b = sobol_indices(_ishigami, ISHIGAMI_INPUTS, 256, rng=5, n_bootstrap=50)
    pd.testing.assert_frame_equal(a.indices, b.indices)
    g = sobol_indices(_ishigami, ISHIGAMI_INPUTS, 256, rng=np.random.default_rng(3))
    replay = sobol_indices(_ishigami, ISHIGAMI_INPUTS, 256, rng=g.seed)
    pd.testing.assert_frame_equal(g.indices, replay.indices)


@settings(max_examples=15, deadline=None)
@given(
    c=st.lists(st.floats(0.1, 10.0), min_size=2, max_size=4),
    w=st.lists(st.floats(0.5, 5.0), min_size=4, max_size=4),
)
def test_additive_linear_model_closed_form(c, w):
    """Y = sum c_i X_i, X_i independent: S1_i = ST_i = c_i^2 Var X_i / sum c_j^2 Var X_j.

    Domain: 2-4 inputs, coefficients in [0.1, 10], widths in [0.5, 5] (uniform, triangular
    and normal mixed). The Jansen estimators have sampling error of order 1/sqrt(N); with
    N = 4096 Sobol' rows 0.03 is over 5 standard errors for shares in [0, 1].
    """
    kinds = [
        lambda s: Uniform(0, s),
        lambda s: Triangular(0, s / 3, s),
        lambda s: Normal(1, s),
        lambda s: PERT(0, s / 4, s),
    ]
    inputs = {f"x{i}": kinds[i](w[i]) for i in range(len(c))}
    coef = dict(zip(inputs, c, strict=False))

    def model(**x):
        return sum(coef[k] * v for k, v in x.items())

    var = np.array([coef[k] ** 2 * d.var() for k, d in inputs.items()])
    exact = var / var.sum()
    res = sobol_indices(model, inputs, 4096, rng=11, n_bootstrap=20)
    np.testing.assert_allclose(res.indices["S1"], exact, atol=0.03)
    np.testing.assert_allclose(res.indices["ST"], exact, atol=0.03)


def test_constants_get_no_index_and_dict_model_style():
    inputs = {"x": Uniform(0, 1), "k": 3.0, "y": Uniform(0, 1)}

    def model(v):
        return v["k"] * v["x"] + v["y"]

    res = sobol_indices(model, inputs, 1024, rng=1, n_bootstrap=20)
    assert list(res.indices["input"]) == ["x", "y"]
    np.testing.assert_allclose(res.indices["ST"], [0.9, 0.1], atol=0.02)


def test_second_order_ishigami_interaction():
    """Only x1-x3 interact in Ishigami: S13 = ST1 - S1_1 = 0.2437, S12 = S23 = 0."""
    res = sobol_indices(_ishigami, ISHIGAMI_INPUTS, 2**12, rng=7, second_order=True,
                        n_bootstrap=100)  # fmt: skip
    s2 = res.second_order.set_index(["input_a", "input_b"])["S2"]
    assert res.n_model_runs == 8 * 2**12
    assert s2[("x1", "x3")] == pytest.approx(0.2437, abs=0.04)
    assert abs(s2[("x1", "x2")]) < 0.04 and abs(s2[("x2", "x3")]) < 0.04


def test_several_outputs_need_output():
    def model(x, y):
        return {"a": x + y, "b": x * 2}

    inputs = {"x": Uniform(0, 1), "y": Uniform(0, 1)}
    with pytest.raises(ParameterError, match="pass `output=`"):
        sobol_indices(model, inputs, 64, rng=1)
    res = sobol_indices(model, inputs, 256, rng=1, output="b", n_bootstrap=20)
    # b depends on x only: A_B^x rows equal B rows for b (S1_x = 1 exactly) and A_B^y rows
    # equal A rows (ST_y = 0 exactly); S1_y is 0 up to sampling error.
    assert res.indices["S1"].iloc[0] == pytest.approx(1.0, abs=1e-12)
    assert res.indices["ST"].iloc[1] == pytest.approx(0.0, abs=1e-12)
    assert abs(res.indices["S1"].iloc[1]) < 0.05


def test_correlated_inputs_refused_with_pointer():
    corr = pd.DataFrame([[1, 0.5], [0.5, 1]], index=["x", "y"], columns=["x", "y"])
    with pytest.raises(ParameterError, match=r"correlation.*sensitivity\(\)"):
        sobol_indices(lambda x, y: x + y, {"x": Uniform(0, 1), "y": Uniform(0, 1)}, 64,
                      correlation=corr)  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n": 4}, "`n` must be at least 16"),
        ({"n_bootstrap": 2}, "`n_bootstrap` must be at least 10"),
        ({"confidence_level": 95}, "confidence_level"),
        ({"rng": "x"}, "`rng`"),
    ],
)
def test_argument_checks(kwargs, match):
    args = {"n": 64, **kwargs}
    with pytest.raises(ParameterError, match=match):
        sobol_indices(lambda x: x, {"x": Uniform(0, 1)}, **args)


def test_constant_only_and_constant_output_refused():
    with pytest.raises(ParameterError, match="at least one distribution"):
        sobol_indices(lambda x: x, {"x": 1.0}, 64)
    with pytest.raises(ParameterError, match="constant over the design"):
        sobol_indices(lambda x: np.zeros_like(x), {"x": Uniform(0, 1)}, 64)


def test_agrees_with_rank_tornado_ordering_on_additive_model():
    inputs = {"a": Uniform(0, 1), "b": Uniform(0, 3)}
    res = sobol_indices(lambda a, b: a + b, inputs, 1024, rng=2, n_bootstrap=20)
    tornado = simulate(lambda a, b: a + b, inputs, 5000, rng=2).sensitivity()
    assert tornado["input"].iloc[0] == res.indices.sort_values("ST")["input"].iloc[-1] == "b"


def test_agrees_with_salib_within_intervals():
    """SALib (Herman & Usher 2017) sobol sample + analyze on Ishigami: same indices within CIs."""
    salib_sample = pytest.importorskip("SALib.sample.sobol")
    salib_analyze = pytest.importorskip("SALib.analyze.sobol")
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-PI, PI]] * 3}
    x = salib_sample.sample(problem, 2**12, calc_second_order=False, seed=4)
    y = _ishigami(x[:, 0], x[:, 1], x[:, 2])
    ref = salib_analyze.analyze(problem, y, calc_second_order=False, num_resamples=200, seed=4)
    ours = sobol_indices(_ishigami, ISHIGAMI_INPUTS, 2**12, rng=4, n_bootstrap=200).indices
    for key in ("S1", "ST"):
        half = (ours[f"{key}_ci_high"] - ours[f"{key}_ci_low"]).to_numpy() / 2
        gap = np.abs(ours[key].to_numpy() - ref[key])
        assert np.all(gap <= half + ref[f"{key}_conf"]), (key, gap, half, ref[f"{key}_conf"])


def test_sobol_chart_orders_by_total_index_and_states_the_message(ishigami):
    from cio_analytics.reporting.charts import alt_text, sobol_chart

    fig = sobol_chart(ishigami, labels={"x1": "Licence price"})
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == ["Licence price", "x2", "x3"]  # ST 0.56, 0.44, 0.24
    assert fig.get_suptitle().startswith("Licence price explains")
    assert "account for about 24" in " ".join(fig.axes[0].get_title("left").split())  # 1 - sum S1
    assert "x3" in alt_text(fig)
    with pytest.raises(ParameterError, match="SobolResult"):
        sobol_chart(ishigami.indices)


def test_nan_output_named_with_its_row_and_inputs():
    with pytest.raises(ParameterError, match=r"NaN at design row \d+ \(inputs: x="):
        sobol_indices(lambda x: np.where(x > 0.5, np.nan, x), {"x": Uniform(0, 1)}, 64)
