"""Forecast from history: arrival profile statistics and staffing at a confidence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cio_analytics.exceptions import ParameterError
from cio_analytics.io import read_ticket_history
from cio_analytics.staffing.forecast import arrival_profile, required_agents_at_confidence


def _history(counts_per_week, slot_time="09:00", handle=300.0, weeks_start="2026-01-05"):
    """Contacts at Monday ``slot_time`` (+1 min each) in consecutive weeks."""
    rows = []
    for w, n in enumerate(counts_per_week):
        base = pd.Timestamp(f"{weeks_start} {slot_time}") + pd.Timedelta(weeks=w)
        rows += [(base + pd.Timedelta(minutes=i), "Q", handle + i) for i in range(n)]
    return pd.DataFrame(rows, columns=["created_at", "queue", "handle_time_s"])


def test_profile_mean_sd_and_t_interval():
    """Calls 1, 3, 5 in three weeks: mean 3, sd 2 (n - 1), 95 % t interval
    3 +- t(0.975, 2) * 2 / sqrt(3) with t(0.975, 2) = 4.303 (Student-t table)."""
    hist = _history([1, 3, 5])
    prof = arrival_profile(hist, end="2026-01-26")
    row = prof.profile.query("weekday == 0 and time == '09:00'").iloc[0]
    assert prof.n_weeks == 3
    assert row["calls_mean"] == pytest.approx(3.0) and row["calls_sd"] == pytest.approx(2.0)
    half = 4.302653 * 2 / np.sqrt(3)
    assert row["calls_ci_high"] == pytest.approx(3 + half, rel=1e-5)
    assert row["calls_ci_low"] == 0.0  # clipped at zero
    other = prof.profile.query("weekday == 0 and time == '09:30'").iloc[0]
    assert other["calls_mean"] == 0.0 and other["calls_sd"] == 0.0
    assert len(prof.profile) == 336


def test_weeks_without_calls_count_as_zero():
    hist = _history([0, 0, 4])
    prof = arrival_profile(hist, start="2026-01-05", end="2026-01-26")
    row = prof.profile.query("weekday == 0 and time == '09:00'").iloc[0]
    assert row["calls_mean"] == pytest.approx(4 / 3)
    assert prof.weekly.to_numpy().tolist() == [[0, 0, 4]]


def test_partial_weeks_dropped_by_default():
    hist = _history([2, 2, 2])
    extra = pd.DataFrame(
        {"created_at": [pd.Timestamp("2026-01-03 10:00")], "queue": ["Q"], "handle_time_s": [1.0]}
    )  # a Saturday before the first full week
    prof = arrival_profile(pd.concat([extra, hist]), end="2026-01-26")
    assert prof.start == pd.Timestamp("2026-01-05") and prof.n_outside_window == 1


def test_handle_time_slot_or_queue_fallback():
    hist = _history([3, 3, 3], handle=100.0)  # 9 contacts, handle 100, 101, 102 each week
    prof = arrival_profile(hist, end="2026-01-26", min_calls_for_aht=5)
    row = prof.profile.query("weekday == 0 and time == '09:00'").iloc[0]
    assert row["handle_time_mean_s"] == pytest.approx(101.0)
    assert row["handle_time_sd_s"] == pytest.approx(np.std([100, 101, 102] * 3, ddof=1))
    empty = prof.profile.query("weekday == 3 and time == '15:00'").iloc[0]
    assert empty["handle_time_mean_s"] == pytest.approx(101.0)  # queue mean fallback
    sparse = arrival_profile(hist, end="2026-01-26", min_calls_for_aht=50)
    assert sparse.profile["handle_time_mean_s"].nunique() == 1


def test_forecast_table_from_sample_history():
    hist = read_ticket_history("data/sample/ticket_history.csv")
    prof = arrival_profile(hist, weeks=12)  # as the staffing report reads it
    inside = (hist["created_at"] >= prof.start) & (hist["created_at"] < prof.end)
    assert prof.n_weeks == 12 and prof.n_contacts == inside.sum()
    assert prof.n_contacts + prof.n_outside_window == len(hist)
    assert (prof.start, prof.end) == (pd.Timestamp("2026-01-05"), pd.Timestamp("2026-03-30"))
    fc = prof.forecast_table("2026-03-30", growth=0.05)
    assert len(fc) == 3 * 336 and fc["interval_start"].min() == pd.Timestamp("2026-03-30")
    assert fc["calls"].sum() == pytest.approx(prof.profile["calls_mean"].sum() * 1.05)
    weekly = prof.weekly.sum(axis=1)
    np.testing.assert_allclose(
        prof.profile.groupby("queue")["calls_mean"].sum().to_numpy(), weekly.to_numpy() / 12
    )
    summary = prof.summary()
    assert summary["contacts_per_week_mean"].sum() == pytest.approx(prof.n_contacts / 12)
    with pytest.raises(ParameterError, match="Monday"):
        prof.forecast_table("2026-04-01")


def test_bad_input():
    with pytest.raises(ParameterError, match="two complete weeks"):
        arrival_profile(_history([1]))
    with pytest.raises(ParameterError, match="divide a day"):
        arrival_profile(_history([1, 2, 3]), interval_s=700)
    with pytest.raises(ParameterError, match="Monday"):
        arrival_profile(_history([1, 2, 3]), start="2026-01-06")
    no_ht = _history([1, 2, 3]).drop(columns="handle_time_s")
    with pytest.raises(ParameterError, match="default_handle_time_s"):
        arrival_profile(no_ht, end="2026-01-26")
    ok = arrival_profile(no_ht, end="2026-01-26", default_handle_time_s=240)
    assert (ok.profile["handle_time_mean_s"] == 240).all()


MC_TARGETS = dict(target_service_level=0.8, answer_time_s=20, interval_s=1800)


def test_confidence_without_error_is_the_point_answer():
    calls = np.array([0.0, 10.0, 100.0])
    res = required_agents_at_confidence(
        calls, 180.0, calls_sd=0.0, percentile=0.9, n_trials=50, rng=1, **MC_TARGETS
    )
    # load 1 E: 2 agents give SL 70.2 %, 3 give 92.7 % (Erlang C by hand); 14: the classic example
    np.testing.assert_array_equal(res.agents, [0, 3, 14])
    np.testing.assert_array_equal(res.agents_at_forecast, [0, 3, 14])
    np.testing.assert_array_equal(res.p_meet_at_forecast, [1, 1, 1])


def test_confidence_quantile_properties():
    calls = np.array([5.0, 50.0, 100.0])
    kw = dict(
        calls_sd=np.array([2.0, 10.0, 15.0]), handle_time_se_s=15.0, n_trials=400, **MC_TARGETS
    )
    p50 = required_agents_at_confidence(calls, 180.0, percentile=0.5, rng=9, **kw)
    p90 = required_agents_at_confidence(calls, 180.0, percentile=0.9, rng=9, **kw)
    assert (p90.agents >= p50.agents).all()
    assert (p90.agents >= p90.agents_at_forecast).all()
    assert (p90.agents[1:] > p90.agents_at_forecast[1:]).all()
    # point-forecast staffing meets the target in well under 90 % of trials (integer slack
    # lifts it above one half); at 5 calls the slack alone covers 90 %
    meet = p90.p_meet_at_forecast[1:]
    assert ((meet > 0.4) & (meet < 0.9)).all()
    # same seed -> same numbers, whatever the chunk size
    small = required_agents_at_confidence(calls, 180.0, percentile=0.9, rng=9, chunk_size=7, **kw)
    np.testing.assert_array_equal(small.agents, p90.agents)


def test_confidence_coverage_by_direct_check():
    """The returned count meets the target in at least `percentile` of fresh draws of the same
    volume distribution (checked with an independent seed and a generous margin)."""
    from cio_analytics.staffing import service_level

    mean, sd = 60.0, 12.0
    res = required_agents_at_confidence(
        [mean], 180.0, calls_sd=[sd], percentile=0.9, n_trials=2000, rng=5, **MC_TARGETS
    )
    n = int(res.agents[0])
    draws = np.random.default_rng(99).gamma((mean / sd) ** 2, sd**2 / mean, size=4000)
    load = draws * 180 / 1800
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        met = np.asarray(service_level(load, n, 180.0, 20.0)) >= 0.8
        met_less = np.asarray(service_level(load, n - 1, 180.0, 20.0)) >= 0.8
    assert met.mean() >= 0.88 and met_less.mean() < 0.9


def test_confidence_bad_input():
    with pytest.raises(ParameterError, match="percentile"):
        required_agents_at_confidence([1.0], 180.0, calls_sd=1.0, percentile=90, **MC_TARGETS)
    with pytest.raises(ParameterError, match="0 or more"):
        required_agents_at_confidence([1.0], 180.0, calls_sd=-1.0, percentile=0.9, **MC_TARGETS)


def test_confidence_is_a_deprecated_alias_and_the_result_is_an_object():
    """`confidence=` still works with a DeprecationWarning naming `percentile`; the result is a
    frozen object with the seed (dict access still works, deprecated)."""
    kw = dict(calls_sd=[10.0], n_trials=100, rng=4, **MC_TARGETS)
    new = required_agents_at_confidence([50.0], 180.0, percentile=0.9, **kw)
    with pytest.warns(DeprecationWarning, match="percentile"):
        old = required_agents_at_confidence([50.0], 180.0, confidence=0.9, **kw)
    np.testing.assert_array_equal(old.agents, new.agents)
    assert new.seed == 4 and new.percentile == 0.9 and new.n_trials == 100
    with pytest.warns(DeprecationWarning, match=r"\.agents"):
        np.testing.assert_array_equal(new["agents"], new.agents)
    assert list(new.summary().columns) == [
        "interval",
        "agents",
        "agents_at_forecast",
        "p_meet_at_forecast",
    ]
    with pytest.raises(ParameterError, match="both"):
        required_agents_at_confidence([50.0], 180.0, percentile=0.9, confidence=0.9, **kw)
