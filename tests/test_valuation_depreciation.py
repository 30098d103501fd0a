"""SLN, SYD, DDB, DB: Excel's documentation examples and schedule properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics import ParameterError
from cio_analytics.valuation import db, ddb, depreciation_schedule, sln, syd


def test_sln_excel_example():
    """Microsoft, "SLN function": cost 30,000, salvage 7,500, life 10 -> 2,250 a year."""
    assert sln(30000, 7500, 10) == 2250.0


def test_syd_excel_example():
    """Microsoft, "SYD function": cost 30,000, salvage 7,500, life 10 -> year 1 4,090.91,
    year 10 409.09."""
    assert syd(30000, 7500, 10, 1) == pytest.approx(4090.91, abs=0.005)
    assert syd(30000, 7500, 10, 10) == pytest.approx(409.09, abs=0.005)


def test_ddb_excel_example():
    """Microsoft, "DDB function": cost 2,400, salvage 300, life 10 years -> first day
    (life 3,650) 1.32; first month (life 120) 40.00; first year 480.00; second year with
    factor 1.5 306.00; tenth year 22.12."""
    assert ddb(2400, 300, 10 * 365, 1) == pytest.approx(1.32, abs=0.005)
    assert ddb(2400, 300, 10 * 12, 1, 2) == pytest.approx(40.00, abs=0.005)
    assert ddb(2400, 300, 10, 1, 2) == pytest.approx(480.00, abs=0.005)
    assert ddb(2400, 300, 10, 2, 1.5) == pytest.approx(306.00, abs=0.005)
    assert ddb(2400, 300, 10, 10) == pytest.approx(22.12, abs=0.005)


def test_db_excel_example():
    """Microsoft, "DB function": cost 1,000,000, salvage 100,000, life 6, month 7 ->
    186,083.33; 259,639.42; 176,814.44; 120,410.64; 81,999.64; 55,841.76; 15,845.10 (the
    rate rounds to 0.319; year 7 is the 5-month remainder)."""
    expected = [186083.33, 259639.42, 176814.44, 120410.64, 81999.64, 55841.76, 15845.10]
    np.testing.assert_allclose(db(1_000_000, 100_000, 6, np.arange(1, 8), 7), expected, atol=0.005)


def test_db_other_published_values():
    """Better Solutions' DB examples: DB(10000, 3000, 12, 1, 12) = 950 (rate 0.0955 rounds to
    0.095) and DB(0, 5000, 12, 1, 12) = 0; the OpenOffice/calcapp example
    DB(10000, 1000, 5, 1) = 3,690 (rate 0.369)."""
    assert db(10000, 3000, 12, 1, 12) == pytest.approx(950.0)
    assert db(0, 5000, 12, 1, 12) == 0.0
    assert db(10000, 1000, 5, 1) == pytest.approx(3690.0)


def test_ddb_switch_never_overshoots_and_rate_above_one():
    """Factor/life >= 1: everything above salvage goes in period 1 (Excel and LibreOffice)."""
    assert ddb(1000, 100, 2, 1, 3) == pytest.approx(900.0)
    assert ddb(1000, 100, 2, 2, 3) == 0.0


def test_broadcasting_many_assets():
    cost = np.array([1000.0, 2000.0, 3000.0])
    out = syd(cost[:, None], 0.0, 5, np.arange(1, 6)[None, :])
    assert out.shape == (3, 5)
    np.testing.assert_allclose(out.sum(axis=1), cost)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: syd(1000, 0, 5, 0), "`period` must be between 1 and 5"),
        (lambda: ddb(1000, 0, 5, 6), "`period` must be between 1 and 5"),
        (lambda: db(1000, 100, 5, 6, 12), "`period` must be between 1 and 5"),
        (lambda: db(1000, 100, 5, 1, 13), "`month` must be between 1 and 12"),
        (lambda: sln(1000, 0, 0), "`life` must be greater than 0"),
        (lambda: sln(-1000, 0, 5), "`cost` must be 0 or more"),
        (lambda: ddb(1000, 0, 5, 1, 0), "`factor` must be greater than 0"),
        (lambda: depreciation_schedule(1000, 0, 5, method="ddbb"), "Did you mean 'ddb'"),
    ],
)
def test_bad_input_raises(call, match):
    with pytest.raises(ParameterError, match=match):
        call()


def test_db_allows_the_part_year_after_life():
    """With month < 12 DB has a period life + 1; its schedule has life + 1 rows."""
    table = depreciation_schedule(1_000_000, 100_000, 6, method="db", month=7)
    assert list(table.index) == [1, 2, 3, 4, 5, 6, 7]
    assert table["depreciation"].iloc[-1] == pytest.approx(15845.10, abs=0.005)
    np.testing.assert_allclose(
        table["closing_book_value"], 1_000_000 - table["accumulated_depreciation"]
    )


assets = st.tuples(
    st.floats(min_value=1.0, max_value=1e8),
    st.floats(min_value=0.0, max_value=1.0),
    st.integers(min_value=1, max_value=40),
)


@settings(max_examples=150, deadline=None)
@given(assets)
def test_sln_and_syd_sum_to_cost_less_salvage(asset):
    cost, salvage_share, life = asset
    salvage = cost * salvage_share
    periods = np.arange(1, life + 1)
    total_syd = syd(cost, salvage, life, periods).sum()
    assert total_syd == pytest.approx(cost - salvage, rel=1e-9, abs=1e-6)
    assert sln(cost, salvage, life) * life == pytest.approx(cost - salvage, rel=1e-9, abs=1e-6)
    table = depreciation_schedule(cost, salvage, life, method="syd")
    assert table["closing_book_value"].iloc[-1] == pytest.approx(salvage, rel=1e-9, abs=1e-6)


@settings(max_examples=150, deadline=None)
@given(assets, st.floats(min_value=0.5, max_value=4.0))
def test_ddb_never_depreciates_below_salvage(asset, factor):
    cost, salvage_share, life = asset
    salvage = cost * salvage_share
    dep = ddb(cost, salvage, life, np.arange(1, life + 1), factor)
    assert np.all(dep >= 0)
    assert dep.sum() <= cost - salvage + 1e-9 * cost
    assert np.all(cost - np.cumsum(dep) >= salvage - 1e-9 * cost)
