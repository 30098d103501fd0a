"""Known-answer and bad-input tests for NPER, RATE, IPMT, PPMT, CUMIPMT and CUMPRINC.

Each known-answer test names its published source in the docstring.
"""

from __future__ import annotations

import numpy as np
import pytest

from cio_analytics.exceptions import ConvergenceError, ParameterError
from cio_analytics.valuation import (
    RateResult,
    cumipmt,
    cumprinc,
    ipmt,
    irr,
    nper,
    pmt,
    ppmt,
    rate,
)


# ----------------------------------------------------------------------------- NPER
def test_nper_excel_examples():
    """Microsoft Excel docs, NPER function: 12 % a year (A2/12), payment -100, pv -1,000,
    fv 10,000: =NPER(A2/12, A3, A4, A5, 1) = 59.6738657, =NPER(A2/12, A3, A4, A5) =
    60.0821229, =NPER(A2/12, A3, A4) = -9.57859404."""
    assert nper(0.01, -100, -1000, 10000, when="begin") == pytest.approx(59.6738657, abs=5e-8)
    assert nper(0.01, -100, -1000, 10000) == pytest.approx(60.0821229, abs=5e-8)
    assert nper(0.01, -100, -1000) == pytest.approx(-9.57859404, abs=5e-9)


def test_nper_numpy_financial_values():
    """numpy-financial test_financial.py::TestNper: nper(0.075, -2000, 0, 100000) = 21.54
    (and 20.76 with when=1, test_broadcast: [21.5449442, 20.76156441]); nper(0.0, -2000, 0,
    100000) = 50; a payment too small to cover the interest has no answer (nan)."""
    assert nper(0.075, -2000, 0, 100000.0) == pytest.approx(21.5449442, abs=5e-8)
    got = nper(0.075, -2000, 0, 100000.0, when=[0, 1])
    np.testing.assert_allclose(got, [21.5449442, 20.76156441], atol=5e-8)
    assert nper(0.0, -2000, 0, 100000.0) == 50.0
    assert np.isnan(nper(0.1, -50, 1000))  # interest 100 a period, payment 50: never repaid


def test_nper_scalar_in_scalar_out_and_broadcasting():
    """Scalars give a float; arrays broadcast like ufuncs."""
    assert isinstance(nper(0.01, -100, 1000), float)
    got = nper(np.array([[0.01], [0.02]]), [-100, -200], 1000)
    assert got.shape == (2, 2)
    assert got[0, 1] == pytest.approx(nper(0.01, -200, 1000), rel=1e-15)


# ----------------------------------------------------------------------------- RATE
def test_rate_excel_example():
    """Microsoft Excel docs, RATE function: 4 years of monthly payments of -200 on an 8,000
    loan: =RATE(A2*12, A3, A4) = 1 % displayed (0.77 % a month; x12 = 9.24 % a year)."""
    monthly = rate(48, -200, 8000)
    assert round(monthly, 4) == 0.0077
    assert round(monthly * 12, 4) == 0.0924
    assert pmt(monthly, 48, 8000) == pytest.approx(-200, rel=1e-12)


def test_rate_numpy_financial_values():
    """numpy-financial test_financial.py::TestRate: rate(10, 0, -3500, 10000) = 0.1107 (the
    exact answer is (10000 / 3500) ** 0.1 - 1); rate(12, 400, 10000, 5000, when=[0, 1]) has no
    solution (nan): every flow is an inflow."""
    assert rate(10, 0, -3500, 10000) == pytest.approx((10000 / 3500) ** 0.1 - 1, rel=1e-13)
    assert round(rate(10, 0, -3500, 10000), 4) == 0.1107
    res = rate(12, 400, 10000, 5000, when=[0, 1], full_output=True)
    assert np.isnan(res.rate).all()
    assert list(res.status) == ["no sign change", "no sign change"]


def test_rate_statuses_and_root_rules():
    """Statuses as irr's: pv -100, payment 230 and fv -362 over 2 periods are the flows
    -100, 230, -132, whose rates are 10 % and 20 % (the textbook two-root project); the root
    rule picks among them as irr does."""
    res = rate(2, 230, -100, -362, full_output=True)
    assert isinstance(res, RateResult)
    assert res.status == "several roots" and res.n_roots == 2 and res.several
    assert res.rate == pytest.approx(0.1, abs=1e-12)
    assert rate(2, 230, -100, -362, guess=0.3) == pytest.approx(0.2, abs=1e-12)
    assert rate(2, 230, -100, -362, root="smallest") == pytest.approx(0.1, abs=1e-12)
    np.testing.assert_allclose(rate(2, 230, -100, -362, root="all"), [0.1, 0.2], atol=1e-12)
    assert irr([-100, 230, -132], guess=0.3) == pytest.approx(0.2, abs=1e-12)
    degenerate = rate(5, 0, 0, 0, full_output=True)
    assert degenerate.status == "degenerate"
    with pytest.raises(ConvergenceError, match="no rate"):
        rate(12, 400, 10000, 5000, raise_on_error=True)


def test_rate_broadcasts_and_keeps_shape():
    """A (2, 1) by (2,) grid of inputs gives a (2, 2) array of rates, each a true rate."""
    n = np.array([[10], [20]])
    got = rate(n, [0, -100], -3500, 10000)
    assert got.shape == (2, 2)
    for i in range(2):
        for j in range(2):
            assert got[i, j] == pytest.approx(rate(n[i, 0], [0, -100][j], -3500, 10000))
    res = rate(n, [0, -100], -3500, 10000, full_output=True)
    assert res.status.shape == (2, 2) and (res.status == "ok").all()


def test_rate_begin_and_zero_rate():
    """Payments at the beginning and a zero rate: pv -1000 recovered by 10 x 100 is 0 %."""
    assert rate(10, 100, -1000) == pytest.approx(0.0, abs=1e-12)
    r = rate(24, -500, 11000, when="begin")
    assert pmt(r, 24, 11000, when="begin") == pytest.approx(-500, rel=1e-12)


# ----------------------------------------------------------------------------- IPMT / PPMT
def test_ipmt_excel_examples():
    """Microsoft Excel docs, IPMT function: 10 %, loan 8,000 over 3 years:
    =IPMT(A2/12, 1, 36, 8000) = -66.67 (first month), =IPMT(A2, 3, 3, 8000) = -292.45."""
    assert ipmt(0.10 / 12, 1, 36, 8000) == pytest.approx(-66.67, abs=0.005)
    assert ipmt(0.10, 3, 3, 8000) == pytest.approx(-292.45, abs=0.005)


def test_ppmt_excel_examples():
    """Microsoft Excel docs, PPMT function: =PPMT(10%/12, 1, 2*12, 2000) = -75.62 and
    =PPMT(8%, 10, 10, 200000) = -27,598.05."""
    assert ppmt(0.10 / 12, 1, 24, 2000) == pytest.approx(-75.62, abs=0.005)
    assert ppmt(0.08, 10, 10, 200000) == pytest.approx(-27598.05, abs=0.005)


def test_ipmt_ppmt_numpy_financial_values():
    """numpy-financial test_financial.py: ipmt(0.1/12, 1, 24, 2000) = -16.666667;
    ipmt(0.1/12, [1..4], 24, 2000) = [-16.66666667, -16.03647345, -15.40102862,
    -14.76028842] (test_broadcast); ppmt(0.1/12, 1, 60, 55000) = -710.25."""
    assert ipmt(0.1 / 12, 1, 24, 2000) == pytest.approx(-16.666667, abs=5e-7)
    got = ipmt(0.1 / 12, np.arange(1, 5), 24, 2000)
    np.testing.assert_allclose(
        got, [-16.66666667, -16.03647345, -15.40102862, -14.76028842], atol=5e-9
    )
    assert ppmt(0.1 / 12, 1, 60, 55000) == pytest.approx(-710.25, abs=0.005)


def test_ipmt_begin_first_period_pays_no_interest():
    """With payments at the beginning the first payment is all principal (Excel, npf)."""
    assert ipmt(0.01, 1, 12, 1000, when="begin") == 0.0
    assert ppmt(0.01, 1, 12, 1000, when="begin") == pytest.approx(pmt(0.01, 12, 1000, when=1))


# ----------------------------------------------------------------------------- CUM*
def test_cumipmt_excel_examples():
    """Microsoft Excel docs, CUMIPMT function: 9 %, 30 years, 125,000:
    =CUMIPMT(A2/12, A3*12, A4, 13, 24, 0) = -11135.23; (..., 1, 1, 0) = -937.50."""
    assert cumipmt(0.09 / 12, 360, 125000, 13, 24) == pytest.approx(-11135.23, abs=0.005)
    assert cumipmt(0.09 / 12, 360, 125000, 1, 1) == pytest.approx(-937.50, abs=0.005)


def test_cumprinc_excel_examples():
    """Microsoft Excel docs, CUMPRINC function: 9 %, 30 years, 125,000:
    =CUMPRINC(A2/12, A3*12, A4, 13, 24, 0) = -934.1071234; (..., 1, 1, 0) = -68.27827118."""
    assert cumprinc(0.09 / 12, 360, 125000, 13, 24) == pytest.approx(-934.1071234, abs=5e-8)
    assert cumprinc(0.09 / 12, 360, 125000, 1, 1) == pytest.approx(-68.27827118, abs=5e-9)


def test_cumulative_matches_period_sums_begin_and_end():
    """The closed forms equal the sums of IPMT/PPMT period by period, in both conventions."""
    for when in ("end", "begin"):
        periods = np.arange(5, 18)
        i_sum = ipmt(0.004, periods, 60, 25000, when=when).sum()
        p_sum = ppmt(0.004, periods, 60, 25000, when=when).sum()
        assert cumipmt(0.004, 60, 25000, 5, 17, when=when) == pytest.approx(i_sum, rel=1e-12)
        assert cumprinc(0.004, 60, 25000, 5, 17, when=when) == pytest.approx(p_sum, rel=1e-12)


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: ipmt(0.01, 0, 12, 1000), r"`period` must be a whole period from 1.*Got 0"),
        (lambda: ipmt(0.01, 13, 12, 1000), r"`period`.*Got 13"),
        (lambda: ppmt(0.01, 2.5, 12, 1000), r"`period`.*Got 2.5"),
        (lambda: cumipmt(0.01, 12, 1000, 5, 3), r"`end_period` must not precede"),
        (lambda: cumprinc(0.01, 12, 1000, 0, 3), r"`start_period`.*Got 0"),
        (lambda: nper(8, -100, 1000), r"`rate`.*use 0.08 for 8 %"),
        (lambda: rate(0, -100, 1000), r"`n_periods` must be greater than 0"),
        (lambda: rate(12, -100, 1000, root="largest"), r"`root` must be one of"),
        (lambda: rate(12, -100, 1000, when="start"), r"`when` must be"),
        (lambda: ipmt(0.01, 1, 12, "x"), r"`present_value` must hold numbers"),
    ],
)
def test_bad_input_raises_parameter_error(call, match):
    """Bad arguments raise a ParameterError naming the parameter, the value and the fix."""
    with pytest.raises(ParameterError, match=match):
        call()
