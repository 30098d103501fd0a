"""Service-level break-even of a headcount: published Erlang C figures and properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.staffing import required_agents, service_level, service_level_break_even


def test_call_centre_helper_worked_example():
    """Call Centre Helper, "Erlang C formula - made simple": 100 calls a half hour, 180 s
    handle time, 80 % in 20 s; 10 Erlangs; 13 agents answer 79.6 %, 14 agents 88.8 %. So 14
    agents carry more than 100 calls before missing 80 %, 13 agents fewer."""
    fourteen = service_level_break_even(
        100, 1800, 180, 14, target_service_level=0.8, answer_time_s=20
    )
    thirteen = service_level_break_even(
        100, 1800, 180, 13, target_service_level=0.8, answer_time_s=20
    )
    assert fourteen["calls"].metric_at_base == pytest.approx(0.888, abs=5e-4)
    assert thirteen["calls"].metric_at_base == pytest.approx(0.796, abs=5e-4)
    assert fourteen["calls"].break_even_value > 100 > thirteen["calls"].break_even_value
    assert fourteen["calls"].decision_holds_at_base and not thirteen["calls"].decision_holds_at_base
    assert (
        fourteen["handle_time_s"].break_even_value
        > 180
        > thirteen["handle_time_s"].break_even_value
    )
    assert {r.holds_while for r in fourteen.results} == {"below"}
    assert [r.unit for r in fourteen.results] == ["calls", "s"]


def test_target_at_the_published_level_returns_the_plan():
    """With the target set to the worked example's own 14-agent level (88.835 %), the
    break-even is the plan itself: 100 calls and 180 s."""
    target = float(service_level(10, 14, 180, 20))
    res = service_level_break_even(
        100, 1800, 180, 14, target_service_level=target, answer_time_s=20
    )
    assert res["calls"].break_even_value == pytest.approx(100, rel=1e-9)
    assert res["handle_time_s"].break_even_value == pytest.approx(180, rel=1e-9)


def test_break_even_volume_is_where_one_more_agent_is_needed():
    """The break-even volume is the most the headcount carries: required_agents just below it
    is 14, just above it 15."""
    x = service_level_break_even(100, 1800, 180, 14, target_service_level=0.8, answer_time_s=20)[
        "calls"
    ].break_even_value
    kw = dict(target_service_level=0.8, answer_time_s=20)
    assert required_agents(x * (1 - 1e-9), 1800, 180, **kw) == 14
    assert required_agents(x * (1 + 1e-6), 1800, 180, **kw) == 15


def test_no_flip_in_range_and_errors():
    """Five agents for one call a half hour: even 1.05 x plan stays far above target."""
    res = service_level_break_even(
        1, 1800, 180, 5, target_service_level=0.8, answer_time_s=20, search_factors=(0, 1.05)
    )
    assert {r.status for r in res.results} == {"no flip in range"}
    with pytest.raises(ParameterError, match="agents"):
        service_level_break_even(100, 1800, 180, 13.5, target_service_level=0.8, answer_time_s=20)
    with pytest.raises(ParameterError, match="target_service_level"):
        service_level_break_even(100, 1800, 180, 14, target_service_level=80, answer_time_s=20)
    with pytest.raises(ParameterError, match=r"(?i)did you mean 'calls'"):
        service_level_break_even(
            100, 1800, 180, 14, target_service_level=0.8, answer_time_s=20, inputs=["call"]
        )


@settings(max_examples=80, deadline=None)
@given(
    calls=st.floats(1.0, 2000.0),
    handle=st.floats(30.0, 900.0),
    agents=st.integers(1, 200),
    target=st.floats(0.5, 0.95),
    answer=st.floats(5.0, 60.0),
)
def test_service_level_equals_target_at_the_break_even(calls, handle, agents, target, answer):
    """Domain: 1-2,000 calls a half hour, 30-900 s, 1-200 agents, targets 50-95 %, 5-60 s.
    The service level is continuous and falling in calls and handle time, so at a found
    break-even it equals the target (within 1e-9) and is above it a little below."""
    res = service_level_break_even(
        calls, 1800, handle, agents, target_service_level=target, answer_time_s=answer
    )
    for be in res.results:
        if be.status != "found":
            continue
        x = be.break_even_value
        c, h = (x, handle) if be.input == "calls" else (calls, x)
        assert service_level(c * h / 1800, agents, h, answer) == pytest.approx(target, abs=1e-9)
        c2, h2 = (x * 0.99, handle) if be.input == "calls" else (calls, x * 0.99)
        assert service_level(c2 * h2 / 1800, agents, h2, answer) >= target
        assert np.isfinite(be.relative_change)


def test_erlang_c_table_value_c_2_3():
    """ITU-D, Teletraffic Engineering Handbook (2005), the Erlang C formula: C(A=2, n=3) = 4/9.
    With answer time 0 the service level is 1 - C, so 3 agents hold a 5/9 target up to a load
    of exactly 2 Erlangs: 2 calls an interval when the handle time is the interval."""
    res = service_level_break_even(
        1.0, 600, 600, 3, target_service_level=5 / 9, answer_time_s=0, inputs=["calls"]
    )
    assert res["calls"].break_even_value == pytest.approx(2.0, rel=1e-10)
    assert res.inputs == ["calls"]
