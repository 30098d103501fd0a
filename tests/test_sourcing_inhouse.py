"""In-house vs outsourced: costs by hand, the staffing models reused, paired comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cio_analytics.exceptions import ParameterError
from cio_analytics.sourcing import (
    INHOUSE,
    Offer,
    TierSchedule,
    compare_offers,
    inhouse_vs_outsourced,
)
from cio_analytics.staffing import staffing_plan


def vf(low, likely, high):
    n = len(likely)
    return pd.DataFrame({"year": range(1, n + 1), "low": low, "likely": likely, "high": high})


def comparison(forecast, rate=0.1, n_trials=400):
    offer = Offer("V", one_off=1000, tiers=TierSchedule([0], [30.0]))
    return compare_offers([offer], forecast, discount_rate=rate, n_trials=n_trials, rng=11)


def test_fixed_work_costs_by_hand():
    """2,465 certain hours a year / (1,450 h x 0.85) = 2 FTE. At 50,000 per FTE, 10,000 fixed
    cost, 5 % escalation: year 1 = 110,000, year 2 = 115,500; one-off 20,000 now; exit 4,000 at
    the end. PV at 10 %: 20,000 + 110,000 / 1.1 + 119,500 / 1.21 = 218,760.33."""
    cmp = comparison(vf([1000, 1000], [1000, 1000], [1000, 1000]))
    demand = pd.DataFrame({"activity": ["run"], "demand_hours": [2465.0]})
    res = inhouse_vs_outsourced(
        cmp,
        cost_per_fte_year=50000,
        demand=demand,
        fixed_cost_per_year=10000,
        escalation=0.05,
        one_off_cost=20000,
        exit_cost=4000,
        rng=1,
    )
    assert res.by_year["fte_total"].tolist() == pytest.approx([2.0, 2.0])
    assert res.by_year["cost"].tolist() == pytest.approx([110000, 115500])
    pv = 20000 + 110000 / 1.1 + 119500 / 1.21
    np.testing.assert_allclose(res.pv_samples, pv)
    np.testing.assert_allclose(res.tco_samples, 20000 + 110000 + 119500)
    # the vendor: 1,000 + 30,000 a year -> PV 1,000 + 30,000 / 1.1 + 30,000 / 1.21
    vendor = 1000 + 30000 / 1.1 + 30000 / 1.21
    np.testing.assert_allclose(res.saving_samples, vendor - pv)
    assert res.decision == "V" and res.p_inhouse_cheaper == 0.0
    row = res.costs.set_index("offer").loc[INHOUSE]
    assert row["pv_likely"] == pytest.approx(pv) and row["rank"] == 2


FORECAST = pd.DataFrame(
    {
        "queue": "Desk",
        "interval_start": pd.date_range("2026-03-30 08:00", periods=4, freq="30min"),
        "calls": [40.0, 80.0, 100.0, 60.0],
        "handle_time_s": 300.0,
    }
)
STAFF = dict(target_service_level=0.8, answer_time_s=20, max_occupancy=0.85, shrinkage=0.3)


def test_queue_fte_reuses_staffing_plan_and_scales_sublinearly():
    """At the base volume the curve equals staffing_plan's scheduled FTE for the same forecast;
    doubling the volume needs less than double the FTE (Erlang C economies of scale)."""
    calls_week = FORECAST["calls"].sum()  # the 2-hour forecast stands for a week
    base = calls_week * 52
    cmp = comparison(vf([base], [base], [2 * base]))
    res = inhouse_vs_outsourced(
        cmp,
        cost_per_fte_year=60000,
        forecast=FORECAST,
        interval_s=1800,
        base_volume=base,
        n_grid=21,
        **STAFF,
    )
    direct = staffing_plan(FORECAST, interval_s=1800, **STAFF).total_fte
    curve = res.fte_curve
    assert curve["multiplier"].iloc[0] == pytest.approx(1.0)
    assert curve["fte_queue"].iloc[0] == pytest.approx(direct)
    assert curve["fte_queue"].iloc[-1] < 2 * direct
    assert curve["fte_queue"].is_monotonic_increasing
    assert res.by_year["fte_queue"].iloc[0] == pytest.approx(direct)
    assert res.base_volume == base


def test_default_base_volume_and_paired_probability():
    per_week = FORECAST["calls"].sum() / (4 * 1800 / 604800)
    cmp = comparison(vf([0.9 * per_week * 52], [per_week * 52], [1.3 * per_week * 52]))
    res = inhouse_vs_outsourced(
        cmp, cost_per_fte_year=60000, forecast=FORECAST, interval_s=1800, **STAFF
    )
    assert res.base_volume == pytest.approx(per_week * 52)
    assert res.p_inhouse_cheaper == pytest.approx(np.mean(res.saving_samples > 0))
    assert {"metric", "value", "unit"} == set(res.summary().columns)


def test_same_seed_identical():
    cmp = comparison(vf([900], [1000], [1500]))
    demand = pd.DataFrame(
        {"activity": ["a"], "demand_hours": [1000.0], "low_hours": [800.0], "high_hours": [1500.0]}
    )
    r1 = inhouse_vs_outsourced(cmp, cost_per_fte_year=1e5, demand=demand, rng=4)
    r2 = inhouse_vs_outsourced(cmp, cost_per_fte_year=1e5, demand=demand, rng=4)
    np.testing.assert_array_equal(r1.pv_samples, r2.pv_samples)
    assert r1.seed == 4


def test_bad_input():
    cmp = comparison(vf([900], [1000], [1500]))
    with pytest.raises(ParameterError, match=r"forecast.*demand"):
        inhouse_vs_outsourced(cmp, cost_per_fte_year=1e5)
    with pytest.raises(ParameterError, match="compare_offers"):
        inhouse_vs_outsourced("x", cost_per_fte_year=1e5, forecast=FORECAST)
    with pytest.raises(ParameterError, match="cost_per_fte_year"):
        inhouse_vs_outsourced(cmp, cost_per_fte_year=0, forecast=FORECAST)
    with pytest.raises(ParameterError, match="Rates are decimals"):
        inhouse_vs_outsourced(cmp, cost_per_fte_year=1, forecast=FORECAST, escalation=3)
