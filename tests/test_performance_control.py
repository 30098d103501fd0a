"""Control charts, run rules and Theil-Sen trends: published and hand-worked examples, properties."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import stats

from cio_analytics.exceptions import ParameterError
from cio_analytics.performance import (
    D2,
    D4,
    E2,
    RULES,
    p_chart,
    run_rules,
    theil_sen_trend,
    xmr_chart,
)


def test_constants_match_the_tables():
    """Montgomery, Introduction to Statistical Quality Control (7th ed.), Appendix VI, n = 2:
    d2 = 1.128, D4 = 3.267; the individuals-chart factor is 3 / d2 = 2.66 (NIST/SEMATECH
    e-Handbook, section 6.3.2 and Wheeler's 2.66)."""
    assert D2 == 1.128 and D4 == 3.267
    assert pytest.approx(3 / D2, abs=5e-3) == E2


def test_p_chart_devore_example():
    """Devore, Probability and Statistics for Engineering and the Sciences (9th ed.), chapter 16
    exercise 22: 30 samples of 200 chips, sum of the sample proportions 2.835, so p-bar = 0.0945,
    LCL = 0.0325 and UCL = 0.1565 (rounded in the book: we match to 1e-4); a sample of 37 defectives (0.185) is out of control."""
    rng = np.random.default_rng(0)
    counts = np.full(30, 567 // 30)
    counts[: 567 - counts.sum()] += 1  # 567 defectives in total, spread over 30 samples
    rng.shuffle(counts)
    chart = p_chart(counts, np.full(30, 200))
    assert chart.centre == pytest.approx(0.0945)
    assert chart.points["lcl"].iloc[0] == pytest.approx(0.0325, abs=1e-4)
    assert chart.points["ucl"].iloc[0] == pytest.approx(0.1565, abs=1e-4)
    counts[4] = 37
    out = p_chart(counts, np.full(30, 200), baseline_points=4)
    assert out.points["beyond_3sigma"].iloc[4] and out.points["side"].iloc[4] == "above"


def test_p_chart_variable_sample_size_by_hand():
    """x = 45, 38, 50 of n = 50, 40, 60: p-bar = 133 / 150 = 0.886667;
    sigma_1 = sqrt(0.886667 * 0.113333 / 50) = 0.044831, LCL_1 = 0.886667 - 3 * 0.044831 =
    0.752175; sigma_2 = sqrt(0.100489 / 40) = 0.050122, LCL_2 = 0.736300; sigma_3 = 0.040925,
    LCL_3 = 0.763893. The UCLs (1.0212, 1.0370, 1.0094) are clipped to 1."""
    chart = p_chart([45, 38, 50], [50, 40, 60])
    pts = chart.points
    assert chart.centre == pytest.approx(0.886667, abs=1e-6)
    np.testing.assert_allclose(pts["sigma"], [0.044831, 0.050122, 0.040925], atol=1e-6)
    np.testing.assert_allclose(pts["lcl"], [0.752175, 0.736300, 0.763893], atol=1e-6)
    np.testing.assert_array_equal(pts["ucl"], [1.0, 1.0, 1.0])
    np.testing.assert_allclose(pts["value"], [0.9, 0.95, 50 / 60])
    assert chart.n_signals == 0


def test_p_chart_zero_volume_month_and_errors():
    chart = p_chart([9, 0, 8], [10, 0, 10])
    assert np.isnan(chart.points["value"].iloc[1]) and not chart.points["signal"].iloc[1]
    with pytest.raises(ParameterError, match="0 <= n_events <= n_total"):
        p_chart([11, 8], [10, 10])
    with pytest.raises(ParameterError, match="same length"):
        p_chart([1, 2, 3], [10, 10])
    with pytest.raises(ParameterError, match="baseline_points"):
        p_chart([1, 2, 3], [10, 10, 10], baseline_points=1)
    with pytest.raises(ParameterError, match="rules"):
        p_chart([1, 2, 3], [10, 10, 10], rules=["nelson_99"])


def test_xmr_by_hand():
    """x = 3.4, 3.7, 3.6, 3.9, 3.5 (SAS/QC IRCHART documentation uses the first three):
    moving ranges 0.3, 0.1, 0.3, 0.4, MR-bar = 0.275; X-bar = 3.62;
    limits 3.62 -/+ 2.66 * 0.275 = 2.8885 and 4.3515; MR chart UCL = 3.267 * 0.275 = 0.898425."""
    chart = xmr_chart([3.4, 3.7, 3.6, 3.9, 3.5])
    pts = chart.points
    assert chart.centre == pytest.approx(3.62) and chart.mr_bar == pytest.approx(0.275)
    assert pts["lcl"].iloc[0] == pytest.approx(2.8885) and pts["ucl"].iloc[0] == pytest.approx(
        4.3515
    )
    np.testing.assert_allclose(pts["moving_range"].iloc[1:], [0.3, 0.1, 0.3, 0.4], atol=1e-12)
    assert pts["mr_ucl"].iloc[0] == pytest.approx(0.898425)
    assert pts["sigma"].iloc[0] == pytest.approx(2.66 * 0.275 / 3)
    assert chart.n_signals == 0 and not pts["mr_signal"].any()


def test_xmr_baseline_flags_a_shift():
    values = [10, 11, 10, 12, 11, 10, 11, 10, 11, 18]
    chart = xmr_chart(values, baseline_points=9, labels=list("abcdefghij"))
    assert chart.last_point_signal and chart.signals["label"].tolist() == ["j"]
    assert "1 point beyond 3 sigma" in chart.signals["rules"].iloc[0]
    assert chart.points["mr_signal"].iloc[-1]
    summary = chart.summary().set_index("metric")["value"]
    assert summary["n_signals"] == 1 and summary["baseline_points"] == 9


@pytest.mark.parametrize(
    ("z", "rule", "flagged"),
    [
        ([0, 3.1, 0, -3.01, 0], "beyond_3sigma", [1, 3]),
        ([0, 2.5, 0.5, 2.1, 0], "2_of_3_beyond_2sigma", [3]),
        ([0, -2.5, -2.2, 0, 0], "2_of_3_beyond_2sigma", [2]),
        ([1.5, 1.2, 0.1, 1.1, 1.4, 0], "4_of_5_beyond_1sigma", [4]),
        ([0.1] * 7 + [-0.1] + [0.2] * 8, "8_on_one_side", [15]),
        ([-0.3] * 9, "8_on_one_side", [7, 8]),
        ([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.4], "6_trending", [5]),
    ],
)
def test_run_rules_one_by_one(z, rule, flagged):
    """Western Electric Statistical Quality Control Handbook (1956) rules 1-4, Nelson (1984) trend."""
    flags = run_rules(z, rules=list(RULES))
    assert np.flatnonzero(flags[rule]).tolist() == flagged


def test_run_rules_nan_breaks_runs_and_default_rules():
    z = [0.5] * 4 + [np.nan] + [0.5] * 4
    assert not run_rules(z)["8_on_one_side"].any()
    rising = [0, 0.1, 0.2, 0.3, 0.4, 0.5]
    flags = run_rules(rising)  # default: Western Electric rules only
    assert not flags["signal"].any() and not flags["6_trending"].any()


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 500), st.integers(0, 500)), min_size=2, max_size=30).filter(
        lambda pairs: sum(max(a, b) for a, b in pairs) > 0
    )
)
@example(pairs=[(99, 99), (198, 225)])  # 99 of 99 sits on the upper limit 1: no signal
def test_p_chart_properties(pairs):
    """Limits within [0, 1] and around p-bar; p-bar the pooled proportion; z symmetric."""
    x = np.array([min(a, b) for a, b in pairs])
    n = np.array([max(a, b) for a, b in pairs])
    chart = p_chart(x, n)
    pts = chart.points
    has = n > 0
    assert chart.centre == pytest.approx(x.sum() / n.sum())
    assert ((pts["lcl"][has] >= 0) & (pts["ucl"][has] <= 1)).all()
    assert (pts["lcl"][has] <= chart.centre + 1e-12).all()
    assert (pts["ucl"][has] >= chart.centre - 1e-12).all()
    flipped = p_chart(n - x, n)
    np.testing.assert_allclose(flipped.points["z"][has], -pts["z"][has], atol=1e-9)
    np.testing.assert_array_equal(flipped.points["signal"], pts["signal"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=30), st.floats(-1e3, 1e3))
def test_xmr_is_shift_invariant(values, shift):
    a, b = xmr_chart(values), xmr_chart(np.array(values) + shift)
    assert b.centre == pytest.approx(a.centre + shift, abs=1e-6)
    assert b.mr_bar == pytest.approx(a.mr_bar, abs=1e-6)
    assert (a.points["lcl"] <= a.points["ucl"]).all()


def naive_theil_sen(y):
    """Median of all pairwise slopes, written out."""
    slopes = [(y[j] - y[i]) / (j - i) for i, j in itertools.combinations(range(len(y)), 2)]
    return float(np.median(slopes))


def test_theil_sen_against_scipy_and_by_hand():
    """Slope = median pairwise slope (Sen 1968), checked by brute force; the interval equals
    scipy.stats.theilslopes; one outlier does not move it (unlike least squares)."""
    y = np.array([0.90, 0.91, 0.89, 0.87, 0.85, 0.84, 0.82, 0.40])
    trend = theil_sen_trend(y, confidence_level=0.9)
    ref = stats.theilslopes(y, np.arange(8.0), alpha=0.9)
    assert trend.slope == pytest.approx(naive_theil_sen(y))
    assert (trend.slope, trend.slope_low, trend.slope_high, trend.intercept) == pytest.approx(
        (ref.slope, ref.low_slope, ref.high_slope, ref.intercept)
    )
    assert trend.direction == "falling" and trend.n_points == 8
    assert abs(trend.slope) < abs(np.polyfit(np.arange(8), y, 1)[0])


def test_theil_sen_flat_nan_and_errors():
    rng = np.random.default_rng(7)
    noise = 0.9 + rng.normal(0, 0.01, 12)
    noise[3] = np.nan
    trend = theil_sen_trend(noise)
    assert trend.n_points == 11 and trend.slope_low <= trend.slope <= trend.slope_high
    assert trend.summary().shape == (6, 2)
    with pytest.raises(ParameterError, match="confidence_level"):
        theil_sen_trend([1, 2, 3], confidence_level=1.0)
    with pytest.raises(ParameterError, match="at least 3 points"):
        theil_sen_trend([1, np.nan, 3])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-100, 100), min_size=3, max_size=25))
def test_theil_sen_matches_brute_force(values):
    y = np.array(values)
    assert theil_sen_trend(y).slope == pytest.approx(naive_theil_sen(y), abs=1e-9)
