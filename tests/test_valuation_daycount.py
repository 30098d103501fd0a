"""Known-answer tests for year_fraction (Excel's YEARFRAC) and day counts in xnpv/xirr.

Each known-answer test names its published source in the docstring.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from cio_analytics.exceptions import ParameterError
from cio_analytics.valuation import DAY_COUNTS, xirr, xnpv, year_fraction

EXCEL_X_VALUES = [-10000, 2750, 4250, 3250, 2750]
EXCEL_X_DATES = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]


def test_yearfrac_excel_examples():
    """Microsoft Excel docs, YEARFRAC function, 2012-01-01 to 2012-07-30:
    =YEARFRAC(A2,A3) = 0.58055556 (basis 0, US 30/360), =YEARFRAC(A2,A3,1) = 0.57650273
    (actual/actual), =YEARFRAC(A2,A3,3) = 0.57808219 (actual/365)."""
    start, end = "2012-01-01", "2012-07-30"
    assert year_fraction(start, end, 0) == pytest.approx(0.58055556, abs=5e-9)
    assert year_fraction(start, end, "30/360") == pytest.approx(0.58055556, abs=5e-9)
    assert year_fraction(start, end, 1) == pytest.approx(0.57650273, abs=5e-9)
    assert year_fraction(start, end, 3) == pytest.approx(0.57808219, abs=5e-9)


def test_yearfrac_bases_2_and_4_by_definition():
    """Microsoft Excel docs, YEARFRAC basis table: basis 2 is actual/360 (211 days / 360)
    and basis 4 European 30/360 (6 months and 29 days = 209 / 360) for the same dates."""
    assert year_fraction("2012-01-01", "2012-07-30", 2) == pytest.approx(211 / 360, rel=1e-15)
    assert year_fraction("2012-01-01", "2012-07-30", 4) == pytest.approx(209 / 360, rel=1e-15)


def test_isda_act_act_example():
    """ISDA, "EMU and market conventions: recent developments" (1998), section 4, the
    actual/actual (ISDA) example adopted by the 2006 ISDA Definitions 4.16(b): 1 Nov 2003 to
    1 May 2004 = 61/365 + 121/366 = 0.49772438."""
    got = year_fraction("2003-11-01", "2004-05-01", "ACT/ACT ISDA")
    assert got == pytest.approx(61 / 365 + 121 / 366, rel=1e-15)
    assert round(got, 5) == 0.49772


def test_isda_30e_360_rules():
    """2006 ISDA Definitions 4.16(g) 30E/360 (D1, D2 = 31 -> 30) and 4.16(h) 30E/360 (ISDA)
    (the last day of February -> 30, except D2 on the termination date): 28 Feb 2007 to
    29 Feb 2008 is 361/360 (30E/360), 360/360 (ISDA) and 359/360 (ISDA, at maturity)."""
    s, e = "2007-02-28", "2008-02-29"
    assert year_fraction(s, e, "30E/360") == pytest.approx(361 / 360, rel=1e-15)
    assert year_fraction(s, e, "30E/360 ISDA") == pytest.approx(1.0, rel=1e-15)
    assert year_fraction(s, e, "30E/360 ISDA", maturity=e) == pytest.approx(359 / 360, rel=1e-15)
    assert year_fraction("2007-01-31", "2007-03-31", "30E/360") == pytest.approx(60 / 360)


def test_us_30_360_excel_february_rules():
    """Excel basis 0 (NASD): D1 = 31 -> 30; D2 = 31 -> 30 only when D1 >= 30; both the last
    day of February -> 30 (D. A. Wheeler's reconstruction of YEARFRAC, OpenFormula)."""
    assert year_fraction("2007-01-31", "2007-03-31", "30/360") == pytest.approx(60 / 360)
    assert year_fraction("2007-01-15", "2007-03-31", "30/360") == pytest.approx(76 / 360)
    assert year_fraction("2007-02-28", "2008-02-29", "30/360") == pytest.approx(1.0)
    assert year_fraction("2007-02-28", "2007-03-31", "30/360") == pytest.approx(31 / 360)


def test_act_act_excel_long_span_uses_mean_year():
    """Excel basis 1 over more than a year divides by the mean length of the calendar years
    spanned: 2011-06-01 to 2013-06-01 = 731 days / ((365 + 366 + 365) / 3)."""
    got = year_fraction("2011-06-01", "2013-06-01", 1)
    assert got == pytest.approx(731 / (1096 / 3), rel=1e-15)


def test_year_fraction_sign_vectorised_and_types():
    """end before start gives the negative; arrays broadcast; date types agree."""
    assert year_fraction("2024-07-01", "2024-01-01") == pytest.approx(-182 / 365)
    ends = np.array(["2024-02-01", "2025-01-01"], dtype="datetime64[D]")
    got = year_fraction(dt.date(2024, 1, 1), ends, "ACT/360")
    np.testing.assert_allclose(got, [31 / 360, 366 / 360])
    assert isinstance(year_fraction("2024-01-01", "2024-02-01"), float)


def test_xnpv_and_xirr_take_every_day_count():
    """day_count on xnpv/xirr: ACT/365F is Excel's XNPV example (2,086.65); every other
    convention discounts by its own year fractions (checked against year_fraction)."""
    assert xnpv(0.09, EXCEL_X_VALUES, EXCEL_X_DATES) == pytest.approx(2086.6476, abs=5e-5)
    for name in DAY_COUNTS:
        t = year_fraction(EXCEL_X_DATES[0], EXCEL_X_DATES, name)
        expected = float((np.array(EXCEL_X_VALUES) * 1.09**-t).sum())
        assert xnpv(0.09, EXCEL_X_VALUES, EXCEL_X_DATES, day_count=name) == pytest.approx(
            expected, rel=1e-13
        )
        r = xirr(EXCEL_X_VALUES, EXCEL_X_DATES, day_count=name)
        assert xnpv(r, EXCEL_X_VALUES, EXCEL_X_DATES, day_count=name) == pytest.approx(
            0.0, abs=1e-8
        )
    assert xirr(EXCEL_X_VALUES, EXCEL_X_DATES, day_count=3) == xirr(EXCEL_X_VALUES, EXCEL_X_DATES)


def test_bad_day_count():
    """An unknown convention names the choices and suggests the closest."""
    with pytest.raises(ParameterError, match="Did you mean 'ACT/360'"):
        year_fraction("2024-01-01", "2024-02-01", "ACT/36")
    with pytest.raises(ParameterError, match="basis 0-4"):
        year_fraction("2024-01-01", "2024-02-01", 7)
