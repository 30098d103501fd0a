"""Erlang B and Erlang C: known answers from published sources, stability, properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cio_analytics.exceptions import ParameterError
from cio_analytics.staffing import (
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    occupancy,
    offered_load,
    service_level,
)


def _erlang_b_recursion(load: float, servers: int) -> float:
    """Independent method: the classic stable recursion B_k = A B_{k-1} / (k + A B_{k-1})."""
    b = 1.0
    for k in range(1, servers + 1):
        b = load * b / (k + load * b)
    return b


# ---------------------------------------------------------------- known answers
def test_r_erlangc_package_published_example():
    """R package ErlangC 0.1.0 README (CRAN, 2024): 100 calls per 30 min, 180 s handle time,
    20 s answer time, 14 agents -> intensity 10, wait probability 0.1741319, service level
    0.88835, ASA 7.83593701177724 s, immediate answer 0.8258681, occupancy 0.7142857.
    pyworkforce's README reports the same example (service_level 0.8883500191794669,
    waiting_probability 0.1741319335950498, occupancy 0.7142857142857143)."""
    load = offered_load(100, 1800, 180)
    assert load == pytest.approx(10.0)
    assert erlang_c(load, 14) == pytest.approx(0.1741319335950498, rel=1e-12)
    assert 1 - erlang_c(load, 14) == pytest.approx(0.8258681, abs=5e-8)
    assert service_level(load, 14, 180, 20) == pytest.approx(0.8883500191794669, rel=1e-12)
    assert average_speed_of_answer(load, 14, 180) == pytest.approx(7.83593701177724, rel=1e-12)
    assert occupancy(load, 14) == pytest.approx(0.7142857142857143)


@pytest.mark.parametrize(
    ("lines", "load", "gos"),
    [
        (15, 8.108, 0.01),  # erlang.com calculator manual: 15 lines, 1 % -> 8.108 Erlangs
        (1, 0.0101, 0.01),  # standard Erlang B table (ITU-D Teletraffic Engineering Handbook)
        (5, 1.361, 0.01),
        (10, 4.461, 0.01),
        (20, 12.031, 0.01),
        (50, 37.901, 0.01),
        (100, 84.064, 0.01),
        (10, 5.084, 0.02),
        (20, 13.182, 0.02),
    ],
)
def test_erlang_b_traffic_table(lines, load, gos):
    """Erlang B tables give the load a group of lines carries at a grade of service; the loads
    are printed to 3-4 significant digits, hence the relative tolerance."""
    assert erlang_b(load, lines) == pytest.approx(gos, rel=2e-3)


def test_erlang_b_small_closed_forms():
    """B(A, 0) = 1, B(A, 1) = A / (1 + A), B(A, 2) = (A^2/2) / (1 + A + A^2/2)."""
    a = np.array([0.3, 1.0, 7.5])
    assert np.allclose(erlang_b(a, 0), 1.0)
    assert np.allclose(erlang_b(a, 1), a / (1 + a))
    assert np.allclose(erlang_b(a, 2), (a**2 / 2) / (1 + a + a**2 / 2))


@pytest.mark.parametrize("load", [0.5, 3.0, 47.3, 250.0, 1000.0, 4000.0])
@pytest.mark.parametrize("servers", [1, 7, 60, 300, 1200, 5000])
def test_erlang_b_matches_recursion(load, servers):
    assert erlang_b(load, servers) == pytest.approx(
        _erlang_b_recursion(load, servers), rel=1e-9, abs=1e-300
    )


def test_erlang_b_far_overload_series_path():
    """Load dozens of standard deviations above the servers (the Poisson cdf underflows)."""
    for load, servers in [(1e5, 100), (5e4, 4000), (2e6, 1_500_000)]:
        assert erlang_b(load, servers) == pytest.approx(
            _erlang_b_recursion(load, servers), rel=1e-9
        )


def test_tens_of_thousands_of_agents_stay_finite():
    a = np.array([20_000.0, 49_000.0, 99_500.0])
    n = np.array([20_000, 50_000, 100_000])
    for values in (erlang_b(a, n), erlang_c(a, n), service_level(a, n, 300, 20)):
        assert np.all(np.isfinite(values)) and np.all((values >= 0) & (values <= 1))
    assert np.all(erlang_c(a, n) >= erlang_b(a, n))


@pytest.mark.parametrize("beta", [0.25, 0.5, 1.0, 2.0])
def test_halfin_whitt_limit(beta):
    """Halfin & Whitt (1981), Operations Research 29(3): with n = R + beta sqrt(R) agents,
    P(wait) -> 1 / (1 + beta Phi(beta) / phi(beta)) as R grows."""
    limit = 1.0 / (1.0 + beta * stats.norm.cdf(beta) / stats.norm.pdf(beta))
    errors = []
    for r in (1e2, 1e4, 1e6):
        n = math.ceil(r + beta * math.sqrt(r))
        b_eff = (n - r) / math.sqrt(r)  # the beta of the rounded-up staff
        target = 1.0 / (1.0 + b_eff * stats.norm.cdf(b_eff) / stats.norm.pdf(b_eff))
        errors.append(abs(erlang_c(r, n) - target))
    assert errors[-1] < 1e-3
    assert errors[0] > errors[1] > errors[2]  # converges
    assert abs(erlang_c(1e6, math.ceil(1e6 + beta * 1e3)) - limit) < 2e-3


# ---------------------------------------------------------------- conventions
def test_unstable_queue_conventions():
    """agents <= load: P(wait) 1, service level 0, ASA infinite, occupancy capped at 1."""
    assert erlang_c(10, 10) == 1.0 and erlang_c(10, 8) == 1.0
    assert service_level(10, 10, 180, 20) == 0.0
    assert math.isinf(average_speed_of_answer(10, 9, 180))
    assert occupancy(10, 8) == 1.0


def test_zero_load_conventions():
    assert erlang_b(0, 3) == 0.0 and erlang_c(0, 3) == 0.0 and erlang_c(0, 0) == 0.0
    assert service_level(0, 0, 180, 20) == 1.0
    assert average_speed_of_answer(0, 0, 180) == 0.0
    assert occupancy(0, 0) == 0.0


def test_answer_time_zero_is_one_minus_p_wait():
    assert service_level(10, 14, 180, 0) == pytest.approx(1 - erlang_c(10, 14))


def test_scalar_in_scalar_out_and_broadcasting():
    assert isinstance(erlang_c(10, 14), float)
    loads = np.random.default_rng(1).uniform(0, 50, size=(336, 20))
    agents = np.ceil(loads) + 3
    out = service_level(loads, agents, 240.0, 20.0)
    assert out.shape == (336, 20)
    assert out[5, 7] == pytest.approx(service_level(loads[5, 7], agents[5, 7], 240.0, 20.0))
    assert erlang_b(np.array([[1.0], [2.0]]), np.array([1, 2, 3])).shape == (2, 3)


def test_bad_input_messages():
    with pytest.raises(ParameterError, match=r"`calls` must be 0 or more\. Got -5"):
        offered_load(-5, 1800, 180)
    with pytest.raises(ParameterError, match="`handle_time_s` must be greater than 0"):
        offered_load(100, 1800, 0)
    with pytest.raises(ParameterError, match=r"whole numbers.*numpy\.ceil"):
        erlang_c(10, 12.5)
    with pytest.raises(ParameterError, match="`load` must not contain NaN"):
        erlang_b(np.nan, 3)


# ---------------------------------------------------------------- properties
loads = st.floats(min_value=0.01, max_value=2000.0, allow_nan=False)


@settings(max_examples=100, deadline=None)
@given(load=loads, extra=st.integers(0, 200), t=st.floats(0, 600), h=st.floats(5, 3600))
def test_more_agents_never_lower_the_service_level(load, extra, t, h):
    n = np.arange(max(0, math.floor(load) - 3), math.floor(load) + extra + 5)
    sl = service_level(load, n, h, t)
    assert np.all(np.diff(sl) >= -1e-12)
    asa = average_speed_of_answer(load, n, h)
    assert np.all(np.diff(asa[np.isfinite(asa)]) <= 1e-9)


@settings(max_examples=100, deadline=None)
@given(load=loads, n=st.integers(1, 3000))
def test_erlang_b_c_ordering(load, n):
    b, c = erlang_b(load, n), erlang_c(load, n)
    assert 0 <= b <= 1 and 0 <= c <= 1
    assert erlang_b(load, n + 1) <= b
    if n > load:
        assert c >= b - 1e-15
