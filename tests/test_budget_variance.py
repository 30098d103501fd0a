"""Budget variance and its price/volume explanation: worked by hand, and properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.budget import budget_variance, price_volume_variance
from cio_analytics.exceptions import ParameterError


def frame(rows):
    """Spend rows (month, cost_centre, line, category, expense_type, sourcing, amount, volume)."""
    cols = ["month", "cost_centre", "line", "category", "expense_type", "sourcing", "amount",
            "volume"]  # fmt: skip
    df = pd.DataFrame(rows, columns=cols)
    df["month"] = pd.to_datetime(df["month"])
    df["volume"] = df["volume"].astype(float)
    df["unit_price"] = df["amount"] / df["volume"]
    return df


def test_price_volume_textbook_example():
    """Standard-costing example (calculatorshub.net price variance calculator; the formulas of
    Horngren, Datar & Rajan, Cost Accounting, ch. 7): planned 100 units at 10, bought 120 at 12.
    Price variance (12 - 10) x 120 = 240; volume variance (120 - 100) x 10 = 200;
    price + volume = 1,440 - 1,000 = 440 = total."""
    vol, price = price_volume_variance(100, 10.0, 120, 12.0)
    assert price == pytest.approx(240.0)
    assert vol == pytest.approx(200.0)
    assert vol + price == pytest.approx(120 * 12.0 - 100 * 10.0)


def test_price_volume_investopedia_example():
    """Investopedia, 'What is price variance in cost accounting?': 10,000 units planned at 5.00
    (with the volume discount); only 8,000 bought, at 5.50. Price variance (5.50 - 5.00) x 8,000
    = 4,000 unfavourable; volume variance (8,000 - 10,000) x 5.00 = -10,000; total 44,000 -
    50,000 = -6,000."""
    vol, price = price_volume_variance(10_000, 5.0, 8_000, 5.5)
    assert price == pytest.approx(4_000.0)
    assert vol == pytest.approx(-10_000.0)
    assert vol + price == pytest.approx(-6_000.0)


def test_price_volume_broadcasts():
    vol, price = price_volume_variance([100, 100], 10.0, [120, 90], [12.0, 9.0])
    np.testing.assert_allclose(vol, [200.0, -100.0])
    np.testing.assert_allclose(price, [240.0, -90.0])
    with pytest.raises(ParameterError, match="actual_quantity"):
        price_volume_variance(1, 1.0, -1, 1.0)


def test_variance_worked_by_hand():
    """Two months of one cost centre, worked by hand.

    Contractors (days): Jan budget 100 d x 700 = 70,000, actual 110 d x 720 = 79,200:
      volume (110 - 100) x 700 = 7,000; price (720 - 700) x 110 = 2,200; total 9,200.
    Contractors Feb: budget 100 x 700 = 70,000, actual 90 x 700 = 63,000: volume -7,000.
    Network (no volumes): budget 10,000 a month, actual 11,000 and 9,500: other +500.
    Licences: budgeted in Feb only (50 x 100 = 5,000), nothing spent: volume -5,000.
    Cloud: unbudgeted, Jan 20 units x 150 = 3,000 spent: volume +3,000 (valued at its price).
    Totals: budget 165,000, actual 165,700; volume -2,000, price 2,200, other 500: variance 700.
    """
    b = frame([
        ("2026-01", "Apps", "Contractors", "grow", "opex", "external", 70_000.0, 100),
        ("2026-02", "Apps", "Contractors", "grow", "opex", "external", 70_000.0, 100),
        ("2026-01", "Apps", "Network", "run", "opex", "external", 10_000.0, None),
        ("2026-02", "Apps", "Network", "run", "opex", "external", 10_000.0, None),
        ("2026-01", "Apps", "Licences", "run", "opex", "external", 0.0, 0),
        ("2026-02", "Apps", "Licences", "run", "opex", "external", 5_000.0, 50),
    ])  # fmt: skip
    a = frame([
        ("2026-01", "Apps", "Contractors", "grow", "opex", "external", 79_200.0, 110),
        ("2026-02", "Apps", "Contractors", "grow", "opex", "external", 63_000.0, 90),
        ("2026-01", "Apps", "Network", "run", "opex", "external", 11_000.0, None),
        ("2026-02", "Apps", "Network", "run", "opex", "external", 9_500.0, None),
        ("2026-01", "Apps", "Cloud", "run", "opex", "external", 3_000.0, 20),
    ])  # fmt: skip
    res = budget_variance(b, a, by="line")
    assert res.budget_total == pytest.approx(165_000.0)
    assert res.actual_total == pytest.approx(165_700.0)
    assert res.variance_total == pytest.approx(700.0)
    assert res.volume_variance_total == pytest.approx(7_000 - 7_000 - 5_000 + 3_000)
    assert res.price_variance_total == pytest.approx(2_200.0)
    assert res.other_variance_total == pytest.approx(500.0)
    t = res.table.set_index("line")
    assert t.loc["Contractors", "volume_variance"] == pytest.approx(0.0)
    assert t.loc["Contractors", "price_variance"] == pytest.approx(2_200.0)
    assert t.loc["Contractors", "driver"] == "price"
    assert t.loc["Licences", "volume_variance"] == pytest.approx(-5_000.0)
    assert t.loc["Cloud", "volume_variance"] == pytest.approx(3_000.0)
    assert np.isnan(t.loc["Cloud", "variance_pct"])  # no budget
    assert t.loc["Network", "other_variance"] == pytest.approx(500.0)
    assert t.loc["Network", "variance_pct"] == pytest.approx(500.0 / 20_000.0)
    assert list(res.top(2)["line"]) == ["Licences", "Cloud"]
    # one month only: January
    jan = budget_variance(b, a, by=(), months=["2026-01"])
    assert jan.variance_total == pytest.approx(9_200 + 1_000 + 3_000)
    assert len(jan.table) == 1


def test_variance_defaults_to_the_reported_months():
    b = frame([(f"2026-{m:02d}", "A", "x", "run", "opex", "internal", 100.0, None)
               for m in range(1, 13)])  # fmt: skip
    a = frame([(f"2026-{m:02d}", "A", "x", "run", "opex", "internal", 110.0, None)
               for m in range(1, 4)])  # fmt: skip
    res = budget_variance(b, a)
    assert len(res.months) == 3 and res.budget_total == pytest.approx(300.0)
    assert res.summary().set_index("metric").loc["variance", "value"] == pytest.approx(30.0)


def test_variance_bad_input():
    b = frame([("2026-01", "A", "x", "run", "opex", "internal", 100.0, None)])
    with pytest.raises(ParameterError, match="Did you mean 'category'"):
        budget_variance(b, b, by="categroy")
    with pytest.raises(ParameterError, match="not in the budget"):
        budget_variance(b, b, months=["2027-01"])
    bad = b.assign(amount=-5.0)
    with pytest.raises(ParameterError, match="cannot be negative"):
        budget_variance(bad, b)
    with pytest.raises(ParameterError, match="Did you mean 'transform'"):
        budget_variance(b, b.assign(category="transfrom"))
    with pytest.raises(ParameterError, match="duplicated row"):
        budget_variance(pd.concat([b, b]), b)


_LINES = [("A", "x", "run", "opex", "internal"), ("A", "y", "grow", "capex", "external"),
          ("B", "x", "transform", "capex", "internal"), ("B", "z", "run", "opex", "external")]  # fmt: skip
_cell = st.tuples(
    st.floats(0, 500), st.floats(1, 200), st.floats(0, 500), st.floats(1, 200), st.booleans()
)


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(st.lists(_cell, min_size=8, max_size=8), st.sampled_from(["cost_centre", "line",
       "category", "expense_type", "sourcing", "month", ("cost_centre", "category"), ()]))  # fmt: skip
def test_components_add_up_over_any_grouping(cells, by):
    """volume + price + other = actual - budget in every group, and group sums equal totals."""
    brows, arows = [], []
    for i, (bq, bp, aq, ap, has_volume) in enumerate(cells):
        cc, line, cat, et, src = _LINES[i % 4]
        month = f"2026-0{1 + i // 4}"
        brows.append((month, cc, line, cat, et, src, bq * bp, bq if has_volume else None))
        arows.append((month, cc, line, cat, et, src, aq * ap, aq if has_volume else None))
    res = budget_variance(frame(brows), frame(arows), by=by)
    t = res.table
    parts = t["volume_variance"] + t["price_variance"] + t["other_variance"]
    np.testing.assert_allclose(parts, t["actual"] - t["budget"], atol=1e-6)
    assert t["variance"].sum() == pytest.approx(res.variance_total, abs=1e-6)
    assert t["volume_variance"].sum() == pytest.approx(res.volume_variance_total, abs=1e-6)
    assert t["price_variance"].sum() == pytest.approx(res.price_variance_total, abs=1e-6)
    total = res.volume_variance_total + res.price_variance_total + res.other_variance_total
    assert total == pytest.approx(res.variance_total, abs=1e-6)
    # each row's price variance is (AP - BP) x AQ
    d = res.detail.dropna(subset=["ap"])
    np.testing.assert_allclose(d["price_variance"], (d["ap"] - d["bp"]) * d["aq"], atol=1e-6)
