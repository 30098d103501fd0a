"""Spend mix against plan and IT spend ratios against history: by hand and properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.budget import spend_mix, spend_ratios
from cio_analytics.exceptions import ParameterError

COLS = ["month", "cost_centre", "category", "expense_type", "sourcing", "amount"]


def rows(data):
    df = pd.DataFrame(data, columns=COLS)
    df["month"] = pd.to_datetime(df["month"])
    return df


def test_mix_by_hand():
    """Budget: Jan run/opex/internal 600 + grow/capex/external 400; Feb the same plus a
    transform/capex/external 1,000 (bunched late). Actuals for January only: run 500, grow 500.
    Plan share of run to date 600 / 1,000 = 0.6, actual 0.5, gap -0.1; transform's plan share
    to date is 0 although it is 1,000 / 3,000 of the year."""
    budget = rows([
        ("2026-01", "X", "run", "opex", "internal", 600.0),
        ("2026-01", "X", "grow", "capex", "external", 400.0),
        ("2026-02", "X", "run", "opex", "internal", 600.0),
        ("2026-02", "X", "grow", "capex", "external", 400.0),
        ("2026-02", "X", "transform", "capex", "external", 1_000.0),
    ])  # fmt: skip
    actuals = rows([
        ("2026-01", "X", "run", "opex", "internal", 500.0),
        ("2026-01", "X", "grow", "capex", "external", 500.0),
    ])  # fmt: skip
    mix = spend_mix(budget, actuals)
    assert mix.share("category", "run", of="plan_share") == pytest.approx(0.6)
    assert mix.share("category", "run") == pytest.approx(0.5)
    assert mix.share("category", "run", of="share_gap") == pytest.approx(-0.1)
    assert mix.share("category", "transform", of="plan_share") == 0.0
    assert mix.share("category", "transform", of="plan_share_year") == pytest.approx(1 / 3)
    assert mix.share("expense_type", "capex") == pytest.approx(0.5)
    assert list(mix.table["value"][:2]) == ["capex", "opex"]
    assert list(mix.summary().columns) == [
        "dimension", "value", "actual_share", "plan_share", "share_gap"
    ]  # fmt: skip
    with pytest.raises(ParameterError, match="Did you mean 'sourcing'"):
        spend_mix(budget, actuals, dimensions="sourcin")


_ROW = st.tuples(
    st.sampled_from(["run", "grow", "transform"]),
    st.sampled_from(["capex", "opex"]),
    st.sampled_from(["internal", "external"]),
    st.floats(0.0, 1e6),
)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.lists(_ROW, min_size=1, max_size=12, unique_by=lambda r: r[:3]))
def test_mix_shares_sum_to_one(data):
    frame = rows([("2026-01", "X", c, e, s, a) for c, e, s, a in data])
    actuals = frame.assign(amount=frame["amount"][::-1].to_numpy() + 1.0)
    mix = spend_mix(frame, actuals)
    for _dim, part in mix.table.groupby("dimension"):
        assert part["actual_share"].sum() == pytest.approx(1.0)
        if frame["amount"].sum() > 0:
            assert part["share_gap"].sum() == pytest.approx(0.0, abs=1e-9)
        assert part["actual_to_date"].sum() == pytest.approx(actuals["amount"].sum())


def history(spend, employees, revenue, years=None, open_year=True):
    years = years or list(range(2021, 2021 + len(spend)))
    df = pd.DataFrame({"year": years, "it_spend": spend, "employees": employees,
                       "revenue": revenue})  # fmt: skip
    if open_year:
        df.loc[len(df)] = [years[-1] + 1, np.nan, employees[-1], revenue[-1]]
    return df


def test_ratios_by_hand():
    """Spend per employee 10, 12, 11 (2021-2023, 10 employees): least-squares slope 0.5 a
    year, trend at 2024 = 11 + 0.5 x 2 = 12. Residuals -0.5, 1, -0.5: s = sqrt(1.5 / 1);
    prediction standard error s sqrt(1 + 1/3 + 2^2 / 2) = sqrt(5) (formula of the prediction
    interval, NIST/SEMATECH e-Handbook of Statistical Methods, 4.5.2.2). This year 140 / 10 = 14:
    z = 2 / sqrt(5), deviation 14 / 12 - 1, above the historical range 10-12; CAGR
    (11 / 10)^(1/2) - 1. Revenue 1,000: shares 0.10, 0.12, 0.11 and 0.14."""
    h = history([100.0, 120.0, 110.0], [10.0] * 3, [1_000.0] * 3)
    r = spend_ratios(h, current_spend=140.0)
    assert r.current_year == 2024
    assert r.spend_per_employee == pytest.approx(14.0)
    assert r.spend_share_of_revenue == pytest.approx(0.14)
    t = r.trend.set_index("measure")
    pe = t.loc["spend_per_employee"]
    assert pe["slope_per_year"] == pytest.approx(0.5)
    assert pe["trend_value"] == pytest.approx(12.0)
    assert pe["z_score"] == pytest.approx(2 / np.sqrt(5))
    assert pe["deviation"] == pytest.approx(14 / 12 - 1)
    assert pe["cagr"] == pytest.approx(np.sqrt(1.1) - 1)
    assert pe["position"] == "above the historical range"
    assert t.loc["spend_share_of_revenue", "trend_value"] == pytest.approx(0.12)
    assert r.table["is_current"].sum() == 1 and len(r.table) == 4
    assert r.summary().set_index("metric").loc["spend_per_employee", "value"] == pytest.approx(14)


def test_ratios_from_samples_and_explicit_year():
    h = history([100.0, 110.0], [10.0, 10.0], [1_000.0, 1_000.0], open_year=False)
    samples = np.linspace(100.0, 140.0, 401)
    r = spend_ratios(h, current_spend=samples, employees=8.0, revenue=800.0)
    assert r.current_year == 2023
    assert r.current_spend == pytest.approx(120.0)
    assert r.current_spend_p10 == pytest.approx(104.0) and r.current_spend_p90 == pytest.approx(
        136.0
    )
    assert r.spend_per_employee == pytest.approx(15.0)
    assert np.isnan(r.trend.set_index("measure").loc["it_spend", "z_score"])  # two points
    assert r.trend.set_index("measure").loc["it_spend", "trend_value"] == pytest.approx(120.0)


def test_ratios_bad_input():
    h = history([100.0, 110.0], [10.0, 10.0], [1_000.0, 1_000.0], open_year=False)
    with pytest.raises(ParameterError, match="pass `employees`"):
        spend_ratios(h, current_spend=100.0)
    with pytest.raises(ParameterError, match="at least two years"):
        spend_ratios(h.iloc[:1], current_spend=100.0, employees=1.0, revenue=1.0)
    with pytest.raises(ParameterError, match="current_spend"):
        spend_ratios(h, current_spend=-5.0, employees=1.0, revenue=1.0)
    with pytest.raises(ParameterError, match="numbers only"):
        spend_ratios(h, current_spend="lots", employees=1.0, revenue=1.0)
