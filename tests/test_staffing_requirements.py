"""required_agents, staffing_requirement, required_lines, apply_shrinkage."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.staffing import (
    StaffingRequirement,
    StaffingWarning,
    apply_shrinkage,
    average_speed_of_answer,
    erlang_a,
    erlang_b,
    occupancy,
    offered_load,
    required_agents,
    required_lines,
    service_level,
    staffing_requirement,
)


def test_classic_worked_example():
    """R ErlangC 0.1.0 README, calculate_agents(100 calls / 30 min, 180 s, 20 s, 80 %, max
    occupancy 0.85, shrinkage 0.3) -> 14 agents, service level 0.88835, occupancy 0.7142857;
    pyworkforce README, ErlangC(...).required_positions(0.8, 0.85) -> raw_positions 14,
    positions 20 (with 30 % shrinkage)."""
    kw = dict(target_service_level=0.8, answer_time_s=20, max_occupancy=0.85)
    assert required_agents(100, 1800, 180, **kw) == 14
    res = required_agents(100, 1800, 180, full_output=True, **kw)
    assert isinstance(res, StaffingRequirement)
    assert res.service_level == pytest.approx(0.88835, abs=5e-6)
    assert res.occupancy == pytest.approx(0.7142857, abs=1e-7)
    assert res.status == "ok" and res.binding == "service_level"
    assert apply_shrinkage(14, 0.3) == 20
    assert service_level(10, 13, 180, 20) < 0.8  # 13 is not enough


def test_occupancy_and_asa_bind():
    res = staffing_requirement(
        100, 1800, 180, target_service_level=0.8, answer_time_s=20, max_occupancy=0.65
    )
    assert res.agents == 16 and res.binding == "occupancy"  # ceil(10 / 0.65) = 16
    assert occupancy(10, 15) > 0.65 >= res.occupancy
    res = staffing_requirement(
        100, 1800, 180, target_service_level=0.8, answer_time_s=20, target_asa_s=3.0
    )
    assert res.binding == "asa" and res.asa_s <= 3.0
    assert average_speed_of_answer(10, res.agents - 1, 180) > 3.0


def test_zero_calls_floor_cap_and_status():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = required_agents([0, 0, 100], 1800, 180, target_service_level=0.8,
                              answer_time_s=20, min_agents=[0, 2, 0])  # fmt: skip
    assert out.tolist() == [0, 2, 14]
    with pytest.warns(StaffingWarning, match="1 element\\(s\\) capped"):
        capped = required_agents(100, 1800, 180, target_service_level=0.8, answer_time_s=20,
                                 max_agents=12)  # fmt: skip
    assert capped == 12
    res = staffing_requirement(100, 1800, 180, target_service_level=0.8, answer_time_s=20,
                               max_agents=12)  # fmt: skip
    assert res.status == "capped" and res.binding == "max_agents"
    assert res.service_level == pytest.approx(service_level(10, 12, 180, 20))
    res = staffing_requirement(0, 1800, 180, target_service_level=0.8, answer_time_s=20)
    assert res.agents == 0 and res.binding == "no_calls" and res.service_level == 1.0


def test_unattainable_target_returns_status_and_best_figures():
    """100 % within 0 s: no finite staff meets it; no exception, status 'infeasible'."""
    with pytest.warns(StaffingWarning, match="unattainable"):
        n = required_agents(100, 1800, 180, target_service_level=1.0, answer_time_s=0)
    res = staffing_requirement(100, 1800, 180, target_service_level=1.0, answer_time_s=0)
    assert res.status == "infeasible" and res.agents == n
    assert res.service_level >= 1 - 1e-6 > service_level(10, n - 1, 180, 0)
    both = staffing_requirement([100, 100], 1800, 180, target_service_level=[1.0, 0.8],
                                answer_time_s=[0, 20], max_agents=15)  # fmt: skip
    assert both.status.tolist() == ["infeasible", "ok"]
    assert both.agents.tolist() == [15, 14]


def test_erlang_a_can_staff_below_the_load():
    """With impatient callers fewer agents than the load can meet a target (search from 1)."""
    res = staffing_requirement(
        100, 1800, 180, target_service_level=0.5, answer_time_s=20, patience_s=30
    )
    assert res.model == "erlang_a" and res.agents < 10
    r = erlang_a(10, [res.agents - 1, res.agents], 180, 30, 20)
    assert r.service_level[1] >= 0.5 > r.service_level[0]
    assert res.p_abandon == pytest.approx(r.p_abandon[1])
    ab = staffing_requirement(100, 1800, 180, target_service_level=None, answer_time_s=20,
                              patience_s=120, max_abandon_rate=0.02)  # fmt: skip
    r = erlang_a(10, [ab.agents - 1, ab.agents], 180, 120, 20)
    assert r.p_abandon[1] <= 0.02 < r.p_abandon[0] and ab.binding == "abandonment"


def test_large_queue_exact():
    """5,000 calls per 30 min, 300 s handle time, 80 % in 20 s (833.3 Erlangs)."""
    n = required_agents(5000, 1800, 300, target_service_level=0.8, answer_time_s=20)
    load = offered_load(5000, 1800, 300)
    assert service_level(load, n, 300, 20) >= 0.8 > service_level(load, n - 1, 300, 20)
    assert 840 < n < 870


def test_week_of_queues_matches_elementwise():
    rng = np.random.default_rng(7)
    calls = rng.poisson(rng.uniform(0, 300, size=(48, 5)))
    calls[:6] = 0
    aht = rng.uniform(120, 600, size=(1, 5))
    out = required_agents(calls, 1800, aht, target_service_level=0.8, answer_time_s=20,
                          max_occupancy=0.9)  # fmt: skip
    assert out.shape == (48, 5) and out.dtype == np.int64
    for i, j in [(0, 0), (10, 2), (30, 4), (47, 1)]:
        assert out[i, j] == required_agents(int(calls[i, j]), 1800, float(aht[0, j]),
                                            target_service_level=0.8, answer_time_s=20,
                                            max_occupancy=0.9)  # fmt: skip
    res = staffing_requirement(calls, 1800, aht, target_service_level=0.8, answer_time_s=20)
    assert res.to_frame().shape[0] == 240
    summary = res.summary().set_index("metric")["value"]
    assert summary["n_agents_total"] == res.agents.sum() and summary["n_ok"] == 240


@settings(max_examples=80, deadline=None)
@given(
    calls=st.floats(0.5, 4000.0),
    aht=st.floats(20.0, 1200.0),
    sl=st.floats(0.05, 0.99),
    t=st.floats(0.0, 120.0),
    patience=st.one_of(st.none(), st.floats(5.0, 2000.0)),
)
def test_required_agents_is_the_smallest_count(calls, aht, sl, t, patience):
    res = staffing_requirement(calls, 1800, aht, target_service_level=sl, answer_time_s=t,
                               patience_s=patience)  # fmt: skip
    n = int(res.agents)
    load = offered_load(calls, 1800, aht)
    if patience is None:
        sl_n, sl_below = service_level(load, [n, n - 1], aht, t)
    else:
        sl_n, sl_below = erlang_a(load, [n, max(n - 1, 0)], aht, patience, t).service_level
    assert sl_n >= sl - 1e-12
    assert n == 1 or sl_below < sl or (patience is None and n - 1 <= load)


def test_required_lines():
    """erlang.com calculator manual: 15 lines carry 8.108 Erlangs at 1 % blocking."""
    assert required_lines(8.108, 0.01) == 15
    assert required_lines(8.2, 0.01) == 16
    lines = required_lines(np.array([0.0, 1.0, 84.064, 5000.0]), 0.01)
    assert lines[0] == 0 and lines[2] == 100
    assert np.all(erlang_b([1.0, 5000.0], lines[[1, 3]]) <= 0.01)
    assert np.all(erlang_b([1.0, 5000.0], lines[[1, 3]] - 1) > 0.01)


def test_bad_input_messages():
    kw = dict(target_service_level=0.8, answer_time_s=20)
    with pytest.raises(ParameterError, match="`calls` must be 0 or more"):
        required_agents(-1, 1800, 180, **kw)
    with pytest.raises(ParameterError, match="`handle_time_s` must be greater than 0"):
        required_agents(100, 1800, 0, **kw)
    with pytest.raises(ParameterError, match=r"use 0\.8 for 80 %"):
        required_agents(100, 1800, 180, target_service_level=80, answer_time_s=20)
    with pytest.raises(ParameterError, match=r"use 0\.3 for 30 %"):
        apply_shrinkage(14, 30)
    with pytest.raises(ParameterError, match="needs `patience_s`"):
        required_agents(100, 1800, 180, max_abandon_rate=0.05, **kw)
    with pytest.raises(ParameterError, match="`min_agents` must not exceed `max_agents`"):
        required_agents(100, 1800, 180, min_agents=5, max_agents=3, **kw)
    with pytest.raises(ParameterError, match="`max_blocking` must be a decimal in \\(0, 1\\]"):
        required_lines(10, 0)


@settings(max_examples=60, deadline=None)
@given(agents=st.floats(0, 5000), shrinkage=st.floats(0, 0.95))
def test_shrinkage_property(agents, shrinkage):
    n = apply_shrinkage(agents, shrinkage)
    assert n * (1 - shrinkage) >= agents * (1 - 1e-9)
    assert apply_shrinkage(np.array([agents]), shrinkage)[0] == n
    assert (n - 1) * (1 - shrinkage) < agents
