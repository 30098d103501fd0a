"""pyxirr's input shapes for xnpv/xirr and the one rule for date strings.

Known answer: Microsoft Excel docs, XIRR function (0.373362535) and XNPV function
(2,086.65) on the same five dated flows, given in each shape.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cio_analytics.exceptions import ParameterError
from cio_analytics.valuation import xirr, xnpv

VALUES = [-10000, 2750, 4250, 3250, 2750]
DATES = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]
EXCEL_XIRR = 0.373362535


def shapes():
    pairs = list(zip(DATES, VALUES, strict=True))
    when = pd.to_datetime(DATES)
    return {
        "pairs of str": pairs,
        "pairs of date": [(dt.date.fromisoformat(d), v) for d, v in pairs],
        "tuple of pairs": tuple(pairs),
        "DataFrame date, amount": pd.DataFrame({"date": when, "amount": VALUES}),
        "DataFrame amount, date": pd.DataFrame({"amount": VALUES, "when": when}),
        "DataFrame of str dates": pd.DataFrame({"date": DATES, "amount": VALUES}),
        "Series by date": pd.Series(VALUES, index=when),
    }


@pytest.mark.parametrize("name", list(shapes()))
def test_pyxirr_shapes_give_excels_answers(name):
    """Each shape gives Excel's XIRR and XNPV of the documented example."""
    flows = shapes()[name]
    assert xirr(flows) == pytest.approx(EXCEL_XIRR, abs=5e-9)
    assert xnpv(0.09, flows) == pytest.approx(2086.6476, abs=5e-5)


def test_other_date_spellings_need_date_format():
    """Day-first strings parse only with an explicit date_format; ISO always parses."""
    day_first = ["01/01/2008", "01/03/2008", "30/10/2008", "15/02/2009", "01/04/2009"]
    got = xirr(VALUES, day_first, date_format="%d/%m/%Y")
    assert got == pytest.approx(EXCEL_XIRR, abs=5e-9)
    with pytest.raises(
        ParameterError, match=r"index 0 is not an ISO 8601 date: got '01/01/2008'.*date_format="
    ):
        xirr(VALUES, day_first)
    with pytest.raises(ParameterError, match=r"does not match date_format='%m/%d/%Y'"):
        xnpv(0.09, VALUES, day_first, date_format="%m/%d/%Y")
    assert xirr(VALUES, [d + "T12:00" for d in DATES]) == pytest.approx(EXCEL_XIRR, abs=5e-9)


@pytest.mark.parametrize(
    ("values", "match"),
    [
        (VALUES, r"`dates` is missing"),
        (
            pd.DataFrame({"a": DATES, "b": VALUES, "c": VALUES}),
            r"two columns, a date and an amount",
        ),
        ([(-10000, "2008-01-01"), (2750, "2008-03-01")], r"must be \(date, amount\).*Swap"),
    ],
)
def test_shapes_that_do_not_fit(values, match):
    """Missing dates, a DataFrame that is not (date, amount), amounts where dates go."""
    with pytest.raises(ParameterError, match=match):
        xirr(values)


def test_matrix_with_dates_unchanged():
    """A 2-D matrix with a dates argument keeps its meaning (rows are scenarios)."""
    v = np.array([VALUES, VALUES], dtype=float)
    np.testing.assert_allclose(xirr(v, DATES), [EXCEL_XIRR] * 2, atol=5e-10)
