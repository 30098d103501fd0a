"""Interval staffing plan: the classic worked example, hand-worked FTE and cost, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.io import read_staffing_forecast
from cio_analytics.staffing.plan import staffing_plan
from cio_analytics.staffing.requirements import apply_shrinkage

CLASSIC = dict(target_service_level=0.8, answer_time_s=20, max_occupancy=0.85, shrinkage=0.3)


def _week(calls, handle_time_s=180.0, queues=("Desk",)):
    """A week of half-hour intervals per queue with the given calls (scalar or 336 values)."""
    starts = pd.date_range("2026-03-30", periods=336, freq="30min")
    frames = [
        pd.DataFrame(
            {
                "queue": q,
                "interval_start": starts,
                "calls": np.broadcast_to(calls, 336),
                "handle_time_s": handle_time_s,
            }
        )
        for q in queues
    ]
    return pd.concat(frames, ignore_index=True)


def _one(calls=100.0, handle_time_s=180.0):
    return pd.DataFrame(
        {
            "queue": ["Desk"],
            "interval_start": [pd.Timestamp("2026-03-30 09:00")],
            "calls": [calls],
            "handle_time_s": [handle_time_s],
        }
    )


def test_classic_worked_example():
    """Call Centre Helper, "Erlang C Formula - Made Simple with an Easy Worked Example":
    100 calls in 30 min, AHT 180 s, 80 % in 20 s, 85 % max occupancy, 30 % shrinkage ->
    14 agents (service level 88.84 %, occupancy 71.4 %), 20 with shrinkage. pyworkforce's
    ErlangC tutorial prints the same: raw 14, positions 20, SL 0.888, occupancy 0.714,
    waiting probability 0.174."""
    plan = staffing_plan(_one(), interval_s=1800, **CLASSIC)
    row = plan.detail.iloc[0]
    assert row["load_erlangs"] == pytest.approx(10.0)
    assert row["agents_required"] == 14 and row["agents_scheduled"] == 20
    assert row["agents_scheduled_exact"] == pytest.approx(20.0)
    assert row["service_level"] == pytest.approx(0.8884, abs=5e-5)
    assert row["occupancy"] == pytest.approx(0.714, abs=5e-4)
    assert row["p_wait"] == pytest.approx(0.174, abs=5e-4)
    assert row["binding"] == "service_level" and row["status"] == "ok"
    assert row["p_abandon"] == 0.0


def test_hand_worked_week_fte_and_cost():
    """Every half hour of a week at the classic load: 20 scheduled agents x 0.5 h x 336 =
    3,360 agent-hours; at 40 h per FTE that is 84 FTE; at 30 EUR per hour 100,800 a week,
    5,241,600 a year (52 weeks)."""
    plan = staffing_plan(_week(100.0), hours_per_fte_week=40, cost_per_fte_hour=30, **CLASSIC)
    assert plan.n_weeks == pytest.approx(1.0)
    assert plan.agent_hours == pytest.approx(3360)
    assert plan.total_fte == pytest.approx(84)
    assert plan.weekly_cost == pytest.approx(100_800)
    assert plan.annual_cost == pytest.approx(5_241_600)
    assert plan.peak_agents == 20


def test_cost_per_year_equals_cost_per_hour():
    """cost_per_fte_year = cost_per_fte_hour x hours_per_fte_week x weeks_per_year."""
    fc = read_staffing_forecast("data/sample/staffing_forecast.csv")
    a = staffing_plan(fc, cost_per_fte_year=58_500, hours_per_fte_week=37.5, **CLASSIC)
    b = staffing_plan(fc, cost_per_fte_hour=30.0, hours_per_fte_week=37.5, **CLASSIC)
    assert a.weekly_cost == pytest.approx(b.weekly_cost)
    assert a.annual_cost == pytest.approx(a.total_fte * 58_500)
    assert a.by_queue["fte"].sum() == pytest.approx(a.total_fte)
    assert a.by_queue["weekly_cost"].sum() == pytest.approx(a.weekly_cost)
    assert a.by_queue["annual_cost"].sum() == pytest.approx(a.annual_cost)
    assert a.detail["cost"].sum() == pytest.approx(a.weekly_cost * a.n_weeks)
    summary = a.summary().set_index("metric")
    assert summary.loc["total_fte", "value"] == a.total_fte
    assert summary.loc["annual_cost", "unit"] == "EUR"
    with pytest.raises(ParameterError, match="not both"):
        staffing_plan(fc, cost_per_fte_year=1, cost_per_fte_hour=1, **CLASSIC)


def test_sample_forecast_plan():
    fc = read_staffing_forecast("data/sample/staffing_forecast.csv")
    plan = staffing_plan(fc, **CLASSIC)
    d = plan.detail
    assert plan.n_queues == 3 and plan.n_intervals == 336 and len(d) == 1008
    assert (d.loc[d["calls"] == 0, "agents_scheduled"] == 0).all()  # empty nights
    assert (d.loc[d["calls"] == 0, "binding"] == "no_calls").all()
    busy = d[d["calls"] > 0]
    assert (busy["service_level"] >= 0.8 - 1e-12).all() and (busy["occupancy"] <= 0.85).all()
    np.testing.assert_array_equal(
        d["agents_scheduled"], apply_shrinkage(d["agents_required"].to_numpy(), 0.3)
    )
    heat = plan.heatmap()
    assert heat.shape == (48, 7) and list(heat.columns) == [
        "Mon",
        "Tue",
        "Wed",
        "Thu",
        "Fri",
        "Sat",
        "Sun",
    ]
    assert heat.to_numpy().sum() == d["agents_scheduled"].sum()
    assert heat.to_numpy().max() == plan.peak_agents
    one = plan.heatmap("agents_required", queue="VIP")
    assert one.to_numpy().sum() == d.loc[d["queue"] == "VIP", "agents_required"].sum()
    with pytest.raises(ParameterError, match="not in the plan"):
        plan.heatmap(queue="Nope")


def test_min_agents_floor_and_shrinkage_column():
    fc = _week(np.r_[np.zeros(168), np.full(168, 100.0)])
    fc["shrinkage"] = np.where(fc["calls"] > 0, 0.3, 0.5)
    plan = staffing_plan(fc, target_service_level=0.8, answer_time_s=20, min_agents=1)
    d = plan.detail
    night = d[d["calls"] == 0]
    assert (night["agents_required"] == 1).all() and (night["binding"] == "min_agents").all()
    assert (night["agents_scheduled"] == 2).all()  # 1 / (1 - 0.5)
    assert plan.shrinkage == "by interval"
    with pytest.raises(ParameterError, match=r"0\.3 for 30 %"):
        staffing_plan(
            _one(), interval_s=1800, target_service_level=0.8, answer_time_s=20, shrinkage=30
        )


def test_erlang_a_plan_reports_abandonment():
    plan = staffing_plan(
        _one(), interval_s=1800, target_service_level=0.8, answer_time_s=20, patience_s=120
    )
    row = plan.detail.iloc[0]
    assert row["p_abandon"] > 0 and row["service_level"] >= 0.8
    c_plan = staffing_plan(_one(), interval_s=1800, target_service_level=0.8, answer_time_s=20)
    assert row["agents_required"] <= c_plan.detail["agents_required"].iloc[0]


def test_unattainable_target_reports_status():
    plan = staffing_plan(_one(), interval_s=1800, target_service_level=1.0, answer_time_s=0)
    assert plan.detail["status"].iloc[0] == "infeasible" and plan.n_not_ok == 1


def test_confidence_plan():
    fc = _week(np.r_[np.zeros(300), np.full(36, 50.0)])
    fc["calls_sd"] = np.where(fc["calls"] > 0, 10.0, 0.0)
    fc["handle_time_se_s"] = 10.0
    kw = dict(target_service_level=0.8, answer_time_s=20, n_trials=300)
    p50 = staffing_plan(fc, percentile=0.5, rng=3, **kw)
    p90 = staffing_plan(fc, percentile=0.9, rng=3, **kw)
    again = staffing_plan(fc, percentile=0.9, rng=3, **kw)
    point = staffing_plan(fc, **kw)
    pd.testing.assert_frame_equal(p90.detail, again.detail)
    assert p90.seed == 3 and p90.percentile == 0.9
    assert (p90.detail["agents_required"] >= p50.detail["agents_required"]).all()
    assert (p90.detail["agents_required"] >= point.detail["agents_required"]).all()
    assert p90.total_fte > point.total_fte
    assert (p90.detail["binding"] == "confidence").any()
    assert (p90.detail.loc[fc["calls"].to_numpy() == 0, "agents_required"] == 0).all()
    exact = fc.assign(calls_sd=0.0, handle_time_se_s=0.0)
    same = staffing_plan(exact, percentile=0.9, rng=1, **kw)
    np.testing.assert_array_equal(same.detail["agents_required"], point.detail["agents_required"])
    with pytest.raises(ParameterError, match="calls_sd"):
        staffing_plan(_week(10.0), percentile=0.9, **kw)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(
    calls=st.lists(st.floats(0, 400), min_size=2, max_size=6),
    extra=st.floats(0, 50),
    aht=st.floats(60, 900),
    sl=st.floats(0.5, 0.95),
    shrink=st.floats(0, 0.5),
)
def test_properties(calls, extra, aht, sl, shrink):
    starts = pd.date_range("2026-03-30 08:00", periods=len(calls), freq="30min")
    fc = pd.DataFrame(
        {"queue": "Q", "interval_start": starts, "calls": calls, "handle_time_s": aht}
    )
    kw = dict(
        target_service_level=sl,
        answer_time_s=20,
        max_occupancy=0.9,
        shrinkage=shrink,
        cost_per_fte_hour=25,
    )
    plan = staffing_plan(fc, **kw)
    more = staffing_plan(fc.assign(calls=fc["calls"] + extra), **kw)
    d = plan.detail
    assert (d["agents_scheduled"] >= d["agents_required"]).all()
    assert (d["agents_scheduled"] >= d["agents_scheduled_exact"] - 1e-9).all()
    assert (d["agents_scheduled"] < d["agents_scheduled_exact"] + 1).all()
    assert (more.detail["agents_required"] >= d["agents_required"]).all()
    assert more.total_fte >= plan.total_fte
    ok = d["status"] == "ok"
    assert (d.loc[ok, "service_level"] >= sl - 1e-9).all()
    assert plan.weekly_cost == pytest.approx(plan.agent_hours / plan.n_weeks * 25)


def test_bad_forecast():
    with pytest.raises(ParameterError, match="missing the column"):
        staffing_plan(pd.DataFrame({"queue": ["a"]}), target_service_level=0.8, answer_time_s=20)
    dup = pd.concat([_one(), _one()])
    with pytest.raises(ParameterError, match="two rows"):
        staffing_plan(dup, target_service_level=0.8, answer_time_s=20, interval_s=1800)
    with pytest.raises(ParameterError, match="0 or more"):
        staffing_plan(_one(calls=-1), target_service_level=0.8, answer_time_s=20, interval_s=1800)
    with pytest.raises(ParameterError, match="greater than 0"):
        staffing_plan(
            _one(handle_time_s=0), target_service_level=0.8, answer_time_s=20, interval_s=1800
        )
    with pytest.raises(ParameterError, match=r"0\.8 for 80 %"):
        staffing_plan(_one(), target_service_level=80, answer_time_s=20, interval_s=1800)
    with pytest.raises(ParameterError, match="interval_s"):
        staffing_plan(_one(), target_service_level=0.8, answer_time_s=20)


def test_renamed_parameters_and_fields_are_deprecated_aliases():
    """`hours_per_fte` -> `hours_per_fte_week`, `confidence` -> `percentile`: the old names
    still work, with a DeprecationWarning naming the new one, and give the same plan."""
    fc = _week(np.r_[np.zeros(300), np.full(36, 50.0)])
    fc["calls_sd"] = np.where(fc["calls"] > 0, 10.0, 0.0)
    kw = dict(target_service_level=0.8, answer_time_s=20, n_trials=50, rng=2)
    new = staffing_plan(fc, hours_per_fte_week=40.0, percentile=0.8, **kw)
    with pytest.warns(DeprecationWarning, match="hours_per_fte_week"):
        old = staffing_plan(fc, hours_per_fte=40.0, percentile=0.8, **kw)
    assert old.total_fte == new.total_fte
    with pytest.warns(DeprecationWarning, match="percentile"):
        old = staffing_plan(fc, hours_per_fte_week=40.0, confidence=0.8, **kw)
    pd.testing.assert_frame_equal(old.detail, new.detail)
    with pytest.warns(DeprecationWarning, match="hours_per_fte_week"):
        assert new.hours_per_fte == 40.0
    with pytest.warns(DeprecationWarning, match="percentile"):
        assert new.confidence == 0.8
