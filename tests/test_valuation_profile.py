"""Tests for npv_profile and xnpv's NPV curve (a vector of rates for one scenario)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cio_analytics.valuation import irr, npv, npv_profile, xirr, xnpv

EXCEL_X_VALUES = [-10000, 2750, 4250, 3250, 2750]
EXCEL_X_DATES = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]


def test_profile_known_points():
    """Microsoft Excel docs, NPV example 2 (8 %: 1,922.06 for an outlay of 40,000 now) and
    the XNPV example (9 %: 2,086.65) appear on their profiles; at 0 % the NPV is the sum."""
    flows = [-40000, 8000, 9200, 10000, 12000, 14500]
    got = npv_profile([0.0, 0.08], flows)
    assert got.shape == (2,)
    assert got[0] == pytest.approx(sum(flows)) and got[1] == pytest.approx(1922.06, abs=0.005)
    dated = npv_profile([0.09], EXCEL_X_VALUES, EXCEL_X_DATES)
    assert dated[0] == pytest.approx(2086.6476, abs=5e-5)


def test_profile_rows_are_rates_columns_are_scenarios():
    """(n_rates, n_scenarios), equal to npv rate by rate; a DataFrame keeps its index."""
    v = np.array([[-100, 60, 60], [-100, 10, 10], [-50, 0, 80]], dtype=float)
    rates = np.linspace(-0.2, 0.5, 8)
    got = npv_profile(rates, v)
    assert got.shape == (8, 3)
    for i, r in enumerate(rates):
        np.testing.assert_allclose(got[i], npv(r, v), rtol=1e-13)
    frame = pd.DataFrame(v, index=["a", "b", "c"])
    table = npv_profile(rates, frame)
    assert list(table.columns) == ["a", "b", "c"] and table.index.name == "rate"
    np.testing.assert_allclose(table.to_numpy(), got)


def test_profile_crosses_zero_at_the_irr():
    """The profile changes sign at the IRR (one root) and at both rates of a two-root row."""
    flows = [-70000, 12000, 15000, 18000, 21000, 26000]
    r = irr(flows)
    below, above = npv_profile([r - 1e-6, r + 1e-6], flows)
    assert below > 0 > above
    lo, mid, hi = npv_profile([0.05, 0.15, 0.25], [-100, 230, -132])
    assert lo < 0 < mid and hi < 0


def test_xnpv_vector_of_rates_and_per_row_dates():
    """xnpv with one scenario and several rates is the NPV curve; per-row dates work in the
    profile and agree with xnpv row by row; the curve is zero at the XIRR."""
    rates = np.array([0.0, 0.09, 0.2])
    curve = xnpv(rates, EXCEL_X_VALUES, EXCEL_X_DATES)
    assert curve.shape == (3,)
    for r, value in zip(rates, curve, strict=True):
        assert value == pytest.approx(xnpv(r, EXCEL_X_VALUES, EXCEL_X_DATES), rel=1e-14)
    assert xnpv(np.array([xirr(EXCEL_X_VALUES, EXCEL_X_DATES)]), EXCEL_X_VALUES, EXCEL_X_DATES)[
        0
    ] == pytest.approx(0.0, abs=1e-8)
    v = np.array([EXCEL_X_VALUES, [-5000, 1000, 2000, 2000, 1000]], dtype=float)
    d = np.array(
        [EXCEL_X_DATES, ["2010-01-01", "2010-06-01", "2011-01-01", "2011-06-01", "2012-01-01"]]
    )
    table = npv_profile(rates, v, d)
    for i, r in enumerate(rates):
        np.testing.assert_allclose(table[i], xnpv(r, v, d), rtol=1e-13)
