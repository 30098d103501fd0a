"""PMT, PV, FV and EAC: published known answers and round-trip properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cio_analytics import ParameterError
from cio_analytics.valuation import eac, fv, pmt, pv


def test_pmt_excel_examples():
    """Microsoft, "PMT function" (Excel documentation): 8 % a year, 10 months, 10,000 loan ->
    (1,037.03), and (1,030.16) with payments at the beginning; saving 50,000 over 18 years at
    6 % a year -> (129.08) a month."""
    assert pmt(0.08 / 12, 10, 10000) == pytest.approx(-1037.03, abs=0.005)
    assert pmt(0.08 / 12, 10, 10000, 0, when=1) == pytest.approx(-1030.16, abs=0.005)
    assert pmt(0.08 / 12, 10, 10000, when="begin") == pytest.approx(-1030.16, abs=0.005)
    assert pmt(0.06 / 12, 18 * 12, 0, 50000) == pytest.approx(-129.08, abs=0.005)


def test_pv_excel_example():
    """Microsoft, "PV function" (Excel documentation): an annuity of 500 a month for 20 years
    at 8 % a year has a present value of (59,777.15)."""
    assert pv(0.08 / 12, 12 * 20, 500, 0, when=0) == pytest.approx(-59777.15, abs=0.005)


def test_fv_excel_examples():
    """Microsoft, "FV function" (Excel documentation), examples 1-4: 2,581.40; 12,682.50;
    82,846.25; 2,301.40."""
    assert fv(0.06 / 12, 10, -200, -500, when=1) == pytest.approx(2581.40, abs=0.005)
    assert fv(0.12 / 12, 12, -1000) == pytest.approx(12682.50, abs=0.005)
    assert fv(0.11 / 12, 35, -2000, when=1) == pytest.approx(82846.25, abs=0.005)
    assert fv(0.06 / 12, 12, -100, -1000, when=1) == pytest.approx(2301.40, abs=0.005)


def test_numpy_financial_values():
    """numpy-financial 1.0 tests/test_financial.py: test_pv (-127128.17), test_fv
    (86609.362673042924), test_pmt (-304.145914, rate 0 -> -250.0, and the broadcast case)."""
    assert pv(0.07, 20, 12000, 0) == pytest.approx(-127128.17, abs=0.005)
    assert fv(0.075, 20, -2000, 0, when=0) == pytest.approx(86609.362673042924, rel=1e-12)
    assert pmt(0.08 / 12, 5 * 12, 15000) == pytest.approx(-304.145914, rel=1e-7)
    assert pmt(0.0, 5 * 12, 15000) == pytest.approx(-250.0)
    res = pmt([[0.0, 0.8], [0.3, 0.8]], [12, 3], [2000, 20000])
    np.testing.assert_allclose(res, [[-166.66667, -19311.258], [-626.90814, -19311.258]], rtol=1e-6)


def test_eac_textbook_polisher():
    """Brealey, Myers & Marcus, Fundamentals of Corporate Finance (equivalent annual cost
    problem): a polisher costs 10,000 and 20,000 a year to run for 5 years; at 10 % the PV of
    costs is 85,815.74 and the equivalent annual cost 22,638 (= 10,000 / 3.7908 + 20,000)."""
    pv_costs = 10000 + pv(0.10, 5, -20000)
    assert pv_costs == pytest.approx(85815.74, abs=0.005)
    assert eac(0.10, 5, pv_costs) == pytest.approx(22637.97, abs=0.01)
    assert eac(0.10, 5, pv_costs) == pytest.approx(-pmt(0.10, 5, pv_costs))


def test_rate_zero_and_scalars():
    """Rate 0 reduces to plain sums (Excel's documented r = 0 case)."""
    assert fv(0.0, 10, -100, -1000) == 2000.0
    assert pv(0.0, 10, 100, 1000) == -2000.0
    assert pmt(0.0, 4, 1000, when="begin") == -250.0
    assert eac(0.0, 4, 1000.0) == 250.0
    assert isinstance(pmt(0.05, 10, 1000), float)
    out = eac(np.array([0.0, 0.1]), 5, 1000.0)
    assert out.shape == (2,)
    assert out[0] == 200.0


def test_when_arrays_broadcast():
    out = pmt(0.08 / 12, 10, 10000, when=["end", "begin"])
    np.testing.assert_allclose(out, [-1037.032089, -1030.164327], rtol=1e-9)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: pmt(0.05, 10, 1000, when="start"), "`when`"),
        (lambda: pmt(8, 10, 1000), "use 0.08 for 8 %"),
        (lambda: pmt(0.05, 0, 1000), "`n_periods` must be greater than 0"),
        (lambda: fv(0.05, -1, 100), "`n_periods` must be 0 or more"),
        (lambda: pv(0.05, 10, "abc"), "`payment` must hold numbers"),
        (lambda: eac(-1.0, 5, 100), "-100 %"),
    ],
)
def test_bad_input_raises(call, match):
    with pytest.raises(ParameterError, match=match):
        call()


rates = st.floats(min_value=-0.5, max_value=0.5, allow_nan=False)
periods = st.integers(min_value=1, max_value=120)
money = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(rates, periods, money, money, st.sampled_from(["end", "begin"]))
@example(-0.47265625, 79, 2.0, 3010694.0, "end")  # issue 19: (1 + r)^n ~ 1e-22
@example(-0.25, 1, 0.0, 2.225073858507e-311, "end")  # make fuzz: a subnormal amount
def test_pv_fv_round_trip(rate, n, payment, present_value, when):
    """fv then pv returns the starting amount to within the round trip's condition number;
    pmt makes the annuity identity balance.

    Domain: rate in [-0.5, 0.5], 1 to 120 periods, amounts up to 1e7 in size. With
    ``g = (1 + r)^n`` and ``T = pmt (1 + r w) ((1 + r)^n - 1) / r``, ``fv = -(pv g + T)`` and
    ``pv = -(fv + T) / g``: float64 rounds each term to ``eps`` of its size, and dividing by
    ``g`` magnifies what remains. So the round trip is exact only to
    ``eps (|pv| + (|fv| + |T|) / g)``, times ``1 + n |log(1 + r)|`` for the rounding of ``g``
    itself. Where ``g`` is tiny (rate -0.47 over 79 periods gives ``g`` ~ 1e-22) the future
    value keeps the present value only in its last digits and no float64 code can give it
    back; the tolerance says so instead of demanding the impossible (issue 19).
    """
    eps = np.finfo(float).eps
    future = fv(rate, n, payment, present_value, when=when)
    back = pv(rate, n, payment, future, when=when)
    growth = np.exp(n * np.log1p(rate))
    factor = n if rate == 0 else np.expm1(n * np.log1p(rate)) / rate
    annuity_term = abs(payment * (1 + abs(rate)) * factor)
    condition = abs(present_value) + (abs(future) + annuity_term) / growth
    # Subnormal amounts (e.g. 2.2e-311) keep only an absolute precision of one subnormal step.
    floor = 16 * np.finfo(float).smallest_subnormal / growth
    assert abs(back - present_value) <= (
        16 * eps * (1 + n * abs(np.log1p(rate))) * condition + floor
    )
    p = pmt(rate, n, present_value, 0.0, when=when)
    # fv sums terms of size |pv| (1+r)^n: its rounding error is relative to them, not to pv.
    growth = (1 + abs(rate)) ** n
    assert abs(fv(rate, n, p, present_value, when=when)) <= 1e-12 * (
        (abs(present_value) + abs(p) * n) * growth + 1.0
    )


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=1e-12, max_value=1e-6), periods, money)
def test_tiny_rates_are_continuous_with_zero(rate, n, present_value):
    """As the rate goes to 0, pmt approaches -pv / n (no catastrophic cancellation)."""
    assert pmt(rate, n, present_value) == pytest.approx(
        -present_value / n, rel=1e-4, abs=1e-9 * abs(present_value) + 1e-12
    )
