"""Known-answer and bad-input tests for cio_analytics.valuation rate functions.

Each known-answer test names its published source in the docstring.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cio_analytics.exceptions import ConvergenceError, ParameterError
from cio_analytics.valuation import (
    RateResult,
    discounted_payback_period,
    irr,
    mirr,
    npv,
    payback_period,
    xirr,
    xnpv,
)

EXCEL_X_VALUES = [-10000, 2750, 4250, 3250, 2750]
EXCEL_X_DATES = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]
EXCEL_IRR = [-70000, 12000, 15000, 18000, 21000, 26000]
EXCEL_MIRR = [-120000, 39000, 30000, 21000, 37000, 46000]


# ----------------------------------------------------------------------------- NPV
def test_npv_excel_example_1():
    """Microsoft Excel docs, NPV function, example 1: =NPV(10%, -10000, 3000, 4200, 6800)
    = 1,188.44 (Excel discounts its first value: first_period=1)."""
    assert npv(0.10, [-10000, 3000, 4200, 6800], first_period=1) == pytest.approx(
        1188.44, abs=0.005
    )


def test_npv_excel_example_2():
    """Microsoft Excel docs, NPV function, example 2 (8 %, outlay 40,000 now):
    =NPV(A2,A4:A8)+A3 = 1,922.06 and =NPV(A2,A4:A8,-9000)+A3 = -3,749.47."""
    flows = [-40000, 8000, 9200, 10000, 12000, 14500]
    assert npv(0.08, flows) == pytest.approx(1922.06, abs=0.005)
    assert npv(0.08, [*flows, -9000]) == pytest.approx(-3749.47, abs=0.005)


def test_npv_numpy_financial_value():
    """numpy-financial test_financial.py::test_npv_decimal:
    npv(0.05, [-15000, 1500, 2500, 3500, 4500, 6000]) = 122.894854950942692161628715."""
    assert npv(0.05, [-15000, 1500, 2500, 3500, 4500, 6000]) == pytest.approx(
        122.894854950942692, rel=1e-13
    )


def test_npv_excel_convention_is_one_period_of_discount():
    """Our default (value 0 now) vs Excel's NPV (value 0 one period out) differ by (1+r)."""
    flows = np.array([-1000.0, 300, 400, 500])
    ours, excel = npv(0.07, flows), npv(0.07, flows, first_period=1)
    assert excel == pytest.approx(ours / 1.07, rel=1e-14)
    assert ours == pytest.approx(-1000 + npv(0.07, flows[1:], first_period=1), rel=1e-14)


def test_npv_rows_rates_and_frames():
    """One result per row; a per-row rate; several rates for one series; DataFrame -> Series."""
    v = np.array([[-100.0, 60, 60], [-50.0, 30, 30]])
    out = npv(0.1, v)
    assert out.shape == (2,)
    assert out[1] == pytest.approx(npv(0.1, v[1]))
    per_row = npv([0.1, 0.2], v)
    assert per_row[1] == pytest.approx(npv(0.2, v[1]))
    curve = npv(np.array([0.0, 0.1]), v[0])
    assert curve == pytest.approx([20.0, npv(0.1, v[0])])
    frame = pd.DataFrame(v, index=["a", "b"], columns=["y0", "y1", "y2"])
    series = npv(0.1, frame)
    assert isinstance(series, pd.Series) and list(series.index) == ["a", "b"]
    assert isinstance(npv(0.1, [1, 2]), float)


# ----------------------------------------------------------------------------- XNPV
def test_xnpv_excel_example():
    """Microsoft Excel docs, XNPV function: 9 % on the five dated flows = 2,086.65
    (2086.6476 in the VBA WorksheetFunction.Xnpv page)."""
    assert xnpv(0.09, EXCEL_X_VALUES, EXCEL_X_DATES) == pytest.approx(2086.6476, abs=5e-5)


def test_xnpv_date_types_order_and_rows():
    """Dates as str, date, datetime, datetime64 and Timestamp give one answer; order is free."""
    as_dates = [dt.date.fromisoformat(d) for d in EXCEL_X_DATES]
    variants = [
        as_dates,
        [dt.datetime.combine(d, dt.time(18, 30)) for d in as_dates],
        np.array(EXCEL_X_DATES, dtype="datetime64[D]"),
        pd.to_datetime(EXCEL_X_DATES),
        pd.Series(pd.to_datetime(EXCEL_X_DATES)),
    ]
    expected = xnpv(0.09, EXCEL_X_VALUES, EXCEL_X_DATES)
    for dates in variants:
        assert xnpv(0.09, EXCEL_X_VALUES, dates) == pytest.approx(expected, rel=1e-14)
    perm = [3, 0, 4, 2, 1]
    shuffled = xnpv(0.09, np.array(EXCEL_X_VALUES)[perm], np.array(EXCEL_X_DATES)[perm])
    assert shuffled == pytest.approx(expected, rel=1e-14)
    rows = xnpv(0.09, np.array([EXCEL_X_VALUES] * 2), np.array([EXCEL_X_DATES] * 2))
    assert rows == pytest.approx([expected, expected], rel=1e-14)


# ----------------------------------------------------------------------------- IRR
def test_irr_excel_examples():
    """Microsoft Excel docs, IRR function: IRR(A2:A6) = -2.1 %, IRR(A2:A7) = 8.7 %,
    IRR(A2:A4, -10 %) = -44.4 %."""
    assert irr(EXCEL_IRR[:5]) == pytest.approx(-0.021, abs=5e-4)
    assert irr(EXCEL_IRR) == pytest.approx(0.087, abs=5e-4)
    assert irr(EXCEL_IRR[:3], guess=-0.1) == pytest.approx(-0.444, abs=5e-4)


@pytest.mark.parametrize(
    ("flows", "expected"),
    [
        ([-150000, 15000, 25000, 35000, 45000, 60000], 0.0524),
        ([-100, 0, 0, 74], -0.0955),
        ([-100, 39, 59, 55, 20], 0.28095),
        ([-100, 100, 0, -7], -0.0833),
        ([-100, 100, 0, 7], 0.06206),
        ([-5, 10.5, 1, -8, 1], 0.0886),
        ([-5, 10.5, 1, -8, 1, 0, 0, 0], 0.0886),
    ],
)
def test_irr_numpy_financial_values(flows, expected):
    """numpy-financial test_financial.py::TestIrr::test_basic_values and
    test_trailing_zeros (checked to 2 decimals there; we check to 1e-4)."""
    assert irr(flows) == pytest.approx(expected, abs=1e-4)


def test_irr_numpy_financial_edge_cases():
    """numpy-financial TestIrr: npv/irr congruence, no-solution NaN (numpy gh-6744) and
    gh-15 (a rate of -99.99999990596069 %)."""
    cf = np.array([-40000, 5000, 8000, 12000, 30000])
    assert abs(npv(irr(cf), cf)) <= 1e-10
    assert np.isnan(irr([-1, -2, -3]))
    gh15 = [-3000.0, 2.3926932267015667e-07, 4.1672087103345505e-16, 5.3965110036378706e-25]
    gh15 += [5.1962551071806174e-34, 3.7202955645436402e-43, 1.9804961711632469e-52]
    assert irr(gh15) == pytest.approx(-0.9999999990596069, rel=1e-9)


def test_irr_pyxirr_samples():
    """pyxirr tests/common/cases.rs irr_expected_result: equal_payments.csv (180 payments of
    -87.17 then 5,809.3) = -0.01352676905; minus_0_993.csv = -0.995697224362268."""
    assert irr([-87.17] * 180 + [5809.3]) == pytest.approx(-0.01352676905, abs=1e-10)
    assert irr([-1000000.0, 5000.0, -3.0, 0.0]) == pytest.approx(-0.995697224362268, abs=1e-12)


def test_irr_several_roots_nearest_guess_and_all_roots():
    """-100, 230, -132 has the two roots 10 % and 20 % ((1.1)(1.2) = 1.32): the default
    returns the one nearest the guess and flags it; all_roots lists both."""
    flows = [-100, 230, -132]
    assert irr(flows) == pytest.approx(0.10, abs=1e-13)
    assert irr(flows, guess=0.19) == pytest.approx(0.20, abs=1e-13)
    res = irr(flows, full_output=True)
    assert res.status == "several roots" and res.n_roots == 2 and res.n_sign_changes == 2
    assert irr(flows, all_roots=True) == pytest.approx([0.10, 0.20], abs=1e-13)


def test_irr_statuses_row_by_row():
    """Each pathological row gets its own status and NaN, next to a normal row."""
    v = np.array(
        [
            [-100.0, 60, 60],  # ok
            [100.0, 60, 60],  # no sign change
            [-1.0, 2, -2],  # sign changes, no real root
            [0.0, 0, 0],  # degenerate
            [-100.0, 230, -132],  # several roots
            [np.nan, 1, 1],  # invalid
        ]
    )
    res = irr(v, full_output=True, nan_policy="propagate")
    assert list(res.status) == [
        "ok",
        "no sign change",
        "no root",
        "degenerate",
        "several roots",
        "invalid input",
    ]
    assert np.isnan(res.rate[[1, 2, 3, 5]]).all() and np.isfinite(res.rate[[0, 4]]).all()
    assert list(res.ok) == [True, False, False, False, True, False]
    summary = res.summary()
    assert set(summary.columns) == {"status", "n_scenarios", "share", "median_rate", "reason"}
    assert summary["n_scenarios"].sum() == 6
    assert len(res.to_frame()) == 6
    with pytest.raises(ConvergenceError, match="no rate for 4 of 6"):
        irr(v, raise_on_error=True, nan_policy="propagate")


def test_irr_scale_invariance_of_convergence():
    """A series in the hundreds of millions solves exactly like it divided by 1000."""
    flows = np.array([-4.2e8, 1.1e8, 1.3e8, 1.2e8, 1.4e8, 0.9e8])
    assert irr(flows) == pytest.approx(irr(flows / 1000), abs=1e-15)
    assert abs(npv(irr(flows), flows)) <= 1e-15 * np.abs(flows).sum() * 10


def test_irr_never_hangs_never_below_minus_one():
    """Extreme rows finish, rates stay in (-1, inf) and are finite or NaN."""
    v = np.array(
        [
            [-1.0, 1e-12, 0, 0, 0],
            [-1.0, 1e12, 0, 0, 0],
            [-1e-300, 1e-300, 0, 0, 1e-300],
            [-1.0, 0, 0, 0, 1e-200],
            [1e12, -1e12, 1e12, -1e12, 1e12],
        ]
    )
    r = irr(v)
    assert np.all(np.isnan(r) | ((r > -1) & np.isfinite(r)))
    with pytest.raises(ParameterError, match="at most 1e\\+12"):  # beyond an amount's bound
        irr(np.array([1e300, -1e300, 1e300, -1e300, 1e300]))


def test_irr_result_type_and_dataframe():
    """A DataFrame returns a Series; full_output on one scenario holds scalars."""
    frame = pd.DataFrame([[-100.0, 60, 60], [-100.0, 10, 10]], index=["p1", "p2"])
    out = irr(frame)
    assert isinstance(out, pd.Series) and list(out.index) == ["p1", "p2"]
    res = irr([-100, 60, 60], full_output=True)
    assert isinstance(res, RateResult) and isinstance(res.rate, float)
    assert res.status == "ok" and res.n_roots == 1
    with pytest.raises(AttributeError):
        res.rate = 0.0  # frozen


# ----------------------------------------------------------------------------- XIRR
def test_xirr_excel_example():
    """Microsoft Excel docs, XIRR function: = 0.373362535 (37.34 %); Excel stops at 1e-8."""
    assert xirr(EXCEL_X_VALUES, EXCEL_X_DATES) == pytest.approx(0.373362535, abs=1e-8)


def test_xirr_pyxirr_samples():
    """pyxirr tests/test_scheduled.rs test_xirr_samples: zeros.csv = 0.175680730580782,
    minus_0_993.csv = -0.993785049929284, 1938.csv (unordered) = -0.5945650822679239."""
    zeros_dates = [f"{y}-12-31" for y in range(2021, 2034)]
    zeros_values = [0, 0, -100, 10, 0, 10, 10, 10, 200, 0, 0, 0, 0]
    assert xirr(zeros_values, zeros_dates) == pytest.approx(0.175680730580782, abs=1e-10)
    d = ["2021-06-08", "2022-06-29", "2023-06-08", "2023-06-30"]
    assert xirr([-1000000.0, 5000.0, -3.0, 0.0], d) == pytest.approx(-0.993785049929284, abs=1e-10)
    rows = [
        ("1937-07-02", -10), ("1937-07-03", 10), ("1937-07-04", 1338.17),
        ("1938-07-29", 10147.5), ("1938-08-11", -578133.57), ("1938-08-12", -12559.95),
        ("1938-04-22", 1519.64), ("1938-05-22", 10147.5), ("1938-06-22", -11500),
        ("1938-10-22", 544.47), ("1938-08-28", 701.78), ("1938-09-09", -600.68),
        ("1938-09-10", -601.95), ("1938-09-11", -518.2), ("1938-11-10", 36000),
        ("1938-11-12", 22308.68), ("1938-12-11", -753.37), ("1939-01-07", -20.05),
        ("1939-02-10", -43.15), ("1939-03-11", -742.98), ("1939-08-17", -11220),
        ("1939-10-17", 1.27), ("1939-04-04", 11220), ("1939-04-09", -3846.05),
        ("1939-04-12", 1058.75), ("1939-06-18", -2.94), ("1939-05-11", -36000),
        ("1939-05-12", -15016.3), ("1939-06-11", -6.49), ("1939-08-02", -36.72),
        ("1939-08-10", -72.54), ("1939-08-12", 15892.29), ("1939-08-26", -88.71),
        ("1939-09-08", -53.5), ("1939-09-10", -260.09), ("1939-11-01", -3.85),
        ("1939-11-12", -289.11), ("1939-12-10", -46.99), ("1939-12-13", 63.32),
        ("1940-01-10", 63.32), ("1940-02-09", 621.47), ("1940-02-10", -383.63),
        ("1940-03-11", 63.32), ("1940-04-11", 63.32), ("1940-05-11", 419.94),
        ("1940-08-11", -4.87), ("1941-01-10", 1507.56), ("1941-09-12", -14.49),
        ("1940-11-30", -1.31), ("1941-08-01", 7064.85), ("1941-08-11", -0.82),
        ("1941-11-10", 3554.11), ("1942-02-10", 16891.26),
    ]  # fmt: skip
    dates, values = zip(*rows, strict=True)
    assert xirr(values, dates) == pytest.approx(-0.5945650822679239, abs=1e-10)


def test_xirr_mathworks_day_counts():
    """pyxirr test_xirr_day_count (MathWorks xirr page): act/365F = 0.10064378342638,
    act/360 = 0.0991988898057063."""
    dates = ["2007-01-12", "2008-02-14", "2008-03-03", "2008-06-14", "2008-12-01"]
    values = [-10000, 2500, 2000, 3000, 4000]
    assert xirr(values, dates) == pytest.approx(0.10064378342638, abs=1e-12)
    got = xirr(values, dates, day_count="ACT/360")
    assert got == pytest.approx(0.0991988898057063, abs=1e-12)


def test_xirr_same_date_flows_and_per_row_dates():
    """Flows on one date add up; a 2-D dates array gives every row its own schedule."""
    split = xirr([-6000, -4000, 2750, 4250, 3250, 2750], [EXCEL_X_DATES[0], *EXCEL_X_DATES])
    assert split == pytest.approx(xirr(EXCEL_X_VALUES, EXCEL_X_DATES), abs=1e-14)
    values = np.array([EXCEL_X_VALUES, [-1000, 1100, 0, 0, 0]], dtype=float)
    dates = np.array([EXCEL_X_DATES, ["2020-01-01", "2021-01-01", *EXCEL_X_DATES[2:]]])
    out = xirr(values, dates)
    assert out[0] == pytest.approx(0.3733625335, abs=1e-9)
    assert out[1] == pytest.approx(1.1 ** (365 / 366) - 1, abs=1e-13)  # 2020 is a leap year
    res = xirr([-100, 100], ["2024-01-01", "2024-01-01"], full_output=True)
    assert res.status == "degenerate" and np.isnan(res.rate)


def test_xirr_several_roots_close_together_and_decommissioning():
    """Roots 10 % and 20 % of -100, 230, -132 on 365-day spacing are both found by XIRR
    (they fall between the points of the coarse scan, so the exhaustive search runs); a
    decommissioning cost gives a second root near -80 %, identical for IRR and XIRR."""
    d3 = np.datetime64("2020-01-01") + np.arange(3) * np.timedelta64(365, "D")
    assert xirr([-100, 230, -132], d3, all_roots=True) == pytest.approx([0.1, 0.2], abs=1e-12)
    flows = [-1000, 400, 400, 400, -100]
    d5 = np.datetime64("2020-01-01") + np.arange(5) * np.timedelta64(365, "D")
    assert xirr(flows, d5, all_roots=True) == pytest.approx(irr(flows, all_roots=True), abs=1e-12)
    res = xirr(flows, d5, full_output=True)
    assert res.status == "several roots" and res.n_roots == 2
    assert res.rate == pytest.approx(irr(flows), abs=1e-12)  # the root nearest 10 %


# ----------------------------------------------------------------------------- MIRR
def test_mirr_excel_examples():
    """Microsoft Excel docs, MIRR function: 5 years = 13 % (12.61 %), 3 years = -5 %
    (-4.80 %), 5 years reinvested at 14 % = 13 % (13.48 %)."""
    assert mirr(EXCEL_MIRR, 0.10, 0.12) == pytest.approx(0.1261, abs=5e-5)
    assert mirr(EXCEL_MIRR[:4], 0.10, 0.12) == pytest.approx(-0.0480, abs=5e-5)
    assert mirr(EXCEL_MIRR, 0.10, 0.14) == pytest.approx(0.1348, abs=5e-5)


def test_mirr_numpy_financial_values():
    """numpy-financial test_financial.py::test_mirr_decimal exact values, and NaN without
    a negative flow."""
    v1 = [-4500, -800, 800, 800, 600, 600, 800, 800, 700, 3000]
    assert mirr(v1, 0.08, 0.055) == pytest.approx(0.066597175031553548874239618, rel=1e-13)
    assert mirr(EXCEL_MIRR, 0.10, 0.12) == pytest.approx(0.126094130365905145828, rel=1e-13)
    v3 = [100, 200, -50, 300, -200]
    assert mirr(v3, 0.05, 0.06) == pytest.approx(0.342823387842176663647819868, rel=1e-13)
    assert np.isnan(mirr([39000, 30000, 21000, 37000, 46000], 0.10, 0.12))
    rows = mirr(np.array([v3, [-100, 50, 70, 0, 0]]), [0.05, 0.1], 0.06)
    assert rows[0] == pytest.approx(0.342823387842176663647819868, rel=1e-13)


# ----------------------------------------------------------------------------- payback
def test_payback_textbook_problems():
    """Textbook payback problems: investment A (72,000; 25,000, 25,000, 15,000, 10,000,
    30,000) = 3.7 years and B (22,000, 15,000, 50,000) = 2.7 years (justaaa.com worked
    solution); 20,000 with 6,000, 6,000, 8,000, 8,000 = exactly 3.0 years (gaodun.com);
    10,000 with 5 x 3,000 = 3.33 years (calcdomain.com, after Brealey-Myers-Allen)."""
    assert payback_period([-72000, 25000, 25000, 15000, 10000, 30000]) == pytest.approx(3.7)
    assert payback_period([-72000, 22000, 15000, 50000]) == pytest.approx(2.7)
    assert payback_period([-20000, 6000, 6000, 8000, 8000]) == pytest.approx(3.0)
    assert payback_period([-10000] + [3000] * 5) == pytest.approx(3 + 1 / 3)


def test_discounted_payback_textbook_problems():
    """Discounted payback worked solutions: 210 with 85, 75, 85, 105 at 11 % = 3 + 10.4 /
    69.17 = 3.15 years (ixl.com answer page); 5,100 with 1,280, 2,480, 1,680, 1,680, 1,480,
    1,280 at 9 % = 3 + 541 / 1,190 = 3.45 years (currentessays.com)."""
    assert discounted_payback_period(0.11, [-210, 85, 75, 85, 105]) == pytest.approx(3.15, abs=5e-3)
    flows = [-5100, 1280, 2480, 1680, 1680, 1480, 1280]
    assert discounted_payback_period(0.09, flows) == pytest.approx(3.45, abs=5e-3)


def test_payback_conventions_rows_and_never():
    """Period 0 index; 0 when nothing is owed; NaN when never repaid; one result per row."""
    v = np.array([[-100.0, 50, 50, 50], [10.0, 5, 5, 5], [-100.0, 10, 10, 10]])
    assert np.allclose(payback_period(v), [2.0, 0.0, np.nan], equal_nan=True)
    assert np.isnan(discounted_payback_period(0.5, [-100, 60, 60]))
    assert payback_period([-100, 60, 60]) == pytest.approx(1 + 40 / 60)


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: npv(8, [-100, 50, 60]), r"`rate`.*Got 8.*use 0.08 for 8 %"),
        (lambda: npv(-1, [-100, 50, 60]), r"`rate`.*-100 %"),
        (lambda: irr([-100, 50, 60], guess=10), r"`guess`.*use 0.1 for 10 %"),
        (lambda: mirr([-100, 50, 60], 0.1, 12), r"`reinvest_rate`.*0.12"),
        (lambda: npv(0.1, [-100, np.nan, 60]), r"`values`.*NaN.*index \(1,\)"),
        (lambda: irr([[-100, np.nan, 60]]), r"`values`.*NaN"),
        (lambda: irr(np.ones((2, 2, 2))), r"`values` must be a 1-D or 2-D array"),
        (lambda: irr([]), r"`values` needs at least 1"),
        (lambda: irr([[-100, 50], [60]]), r"`values` must hold numbers only"),
        (lambda: mirr([-100], 0.1, 0.1), r"at least 2 flows"),
        (lambda: npv([0.1, 0.2, 0.3], np.ones((2, 3))), r"`rate` must be one number or one"),
        (lambda: npv(0.1, [-1, 2], first_period=0.5), r"`first_period` must be a whole"),
        (lambda: irr([-1, 2], nan_policy="omit"), r"`nan_policy` must be one of"),
    ],
)
def test_bad_input_raises_parameter_error(call, match):
    """Wrong shapes, NaN, a rate of 8 meant as 8 %, bad options: one clear ParameterError."""
    with pytest.raises(ParameterError, match=match):
        call()


def test_bad_input_text_in_dataframe_column():
    """Text in a numeric column names the column, the row and the value."""
    frame = pd.DataFrame({"y0": [-100, -100], "y1": [60, "TBD"], "y2": [60, 60]})
    with pytest.raises(ParameterError, match=r"Column 'y1', row 1 holds 'TBD'"):
        irr(frame)


@pytest.mark.parametrize(
    ("dates", "match"),
    [
        (["2008-01-01", "not a date", "2008-10-30", "2009-02-15", "2009-04-01"], r"index 1"),
        (["2008-01-01", None, "2008-10-30", "2009-02-15", "2009-04-01"], r"index 1"),
        ([39448, 39508, 39751, 39859, 39904], r"not numbers.*1899-12-30"),
        (EXCEL_X_DATES[:4], r"one date per cash flow.*\(4,\)"),
        ("2008-01-01", r"sequence of dates"),
    ],
)
def test_bad_dates(dates, match):
    """Dates that do not parse, numbers, or a wrong count raise a ParameterError."""
    with pytest.raises(ParameterError, match=match):
        xirr(EXCEL_X_VALUES, dates)
    with pytest.raises(ParameterError, match=match):
        xnpv(0.1, EXCEL_X_VALUES, dates)


def test_bad_day_count_and_mismatched_rows():
    """An unknown day count gets a did-you-mean hint; 2-D dates must match the rows."""
    with pytest.raises(ParameterError, match="Did you mean 'ACT/365F'"):
        xirr(EXCEL_X_VALUES, EXCEL_X_DATES, day_count="ACT/365")
    with pytest.raises(ParameterError, match=r"\(2, 5\)"):
        xirr(np.array([EXCEL_X_VALUES] * 2), np.array([EXCEL_X_DATES] * 3))
