"""Erlang A (M/M/n+M): independent exact checks, the Erlang C limit, and a simulation."""

from __future__ import annotations

import heapq

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cio_analytics.exceptions import ParameterError
from cio_analytics.staffing import (
    average_speed_of_answer,
    erlang_a,
    erlang_c,
    service_level,
)


def _birth_death(load, n, h, patience, size=6000):
    """Independent method: the M/M/n+M birth-death chain truncated far in its tail.

    Returns P(wait), P(abandon) (= theta E[Q] / lambda) and the mean wait of answered calls,
    summed over the queue length j seen on arrival (V | j is a sum of exponentials with rates
    n mu + k theta, k = 0..j).
    """
    lam, mu, th = load / h, 1 / h, 1 / patience
    k = np.arange(size)
    death = np.where(k <= n, k * mu, n * mu + (k - n) * th)
    logpi = np.concatenate([[0.0], np.cumsum(np.log(lam) - np.log(death[1:]))])
    pi = np.exp(logpi - logpi.max())
    pi /= pi.sum()
    p_wait = pi[n:].sum()
    p_ab = th * (np.clip(k - n, 0, None) * pi).sum() / lam
    served_wait = 0.0
    for j in range(size - n):
        if pi[n + j] < 1e-16:
            continue
        r = n * mu + np.arange(j + 1) * th
        served_wait += pi[n + j] * np.prod(r / (r + th)) * np.sum(1 / (r + th))
    return p_wait, p_ab, served_wait / (1 - p_ab)


def _simulate(load, n, h, patience, answer_time_s, n_calls, rng):
    """Discrete-event simulation of an FCFS M/M/n+M queue, one replication.

    Calls are assigned to agents in arrival order: a call's offered wait is the time until the
    earliest agent is free (after all earlier calls that stayed); it abandons if that exceeds
    its exponential patience and then occupies nobody. The first 10 % of calls are warm-up.
    """
    lam = load / h
    arrivals = np.cumsum(rng.exponential(1 / lam, n_calls))
    services = rng.exponential(h, n_calls)
    patience_draws = rng.exponential(patience, n_calls)
    free = [0.0] * n
    waited = answered = ans_within = abandoned = short_ab = 0
    wait_sum = 0.0
    start = n_calls // 10
    for i in range(n_calls):
        a = arrivals[i]
        offered = max(0.0, free[0] - a)
        count = i >= start
        if offered > patience_draws[i]:
            if count:
                abandoned += 1
                waited += 1
                short_ab += patience_draws[i] <= answer_time_s
            continue
        heapq.heapreplace(free, a + offered + services[i])
        if count:
            answered += 1
            waited += offered > 0
            ans_within += offered <= answer_time_s
            wait_sum += offered
    m = n_calls - start
    return {
        "p_wait": waited / m,
        "p_abandon": abandoned / m,
        "service_level": ans_within / m,
        "sl_answered": ans_within / answered,
        "sl_excl_short": ans_within / (m - short_ab),
        "asa_s": wait_sum / answered,
    }


CASES = [  # load, agents, handle_time_s, patience_s, answer_time_s
    (10.0, 11, 180.0, 120.0, 20.0),
    (10.0, 8, 180.0, 60.0, 20.0),  # fewer agents than the load
    (50.0, 45, 300.0, 600.0, 30.0),
    (3.0, 5, 240.0, 30.0, 0.0),
    (0.7, 1, 300.0, 200.0, 60.0),
]


@pytest.mark.parametrize("case", CASES)
def test_matches_birth_death_chain(case):
    load, n, h, patience, t = case
    r = erlang_a(load, n, h, patience, t)
    p_wait, p_ab, asa = _birth_death(load, n, h, patience)
    assert r.p_wait == pytest.approx(p_wait, rel=1e-10)
    assert r.p_abandon == pytest.approx(p_ab, rel=1e-10)
    assert r.asa_s == pytest.approx(asa, rel=1e-9)
    assert r.mean_wait_s == pytest.approx(p_ab * patience, rel=1e-12)  # Little's law


@pytest.mark.parametrize("case", CASES[:4])
def test_simulation_confidence_interval_contains_exact_values(case):
    """8 replications of 25,000 calls; 99.9 % t-interval of the replication means."""
    load, n, h, patience, t = case
    rng = np.random.default_rng(2026)
    reps = [_simulate(load, n, h, patience, t, 25_000, rng) for _ in range(8)]
    exact = {
        "p_wait": erlang_a(load, n, h, patience, t).p_wait,
        "p_abandon": erlang_a(load, n, h, patience, t).p_abandon,
        "service_level": erlang_a(load, n, h, patience, t).service_level,
        "sl_answered": erlang_a(load, n, h, patience, t, definition="answered").service_level,
        "sl_excl_short": erlang_a(
            load, n, h, patience, t, definition="offered_excl_short_abandons"
        ).service_level,
        "asa_s": erlang_a(load, n, h, patience, t).asa_s,
    }
    q = stats.t.ppf(0.9995, len(reps) - 1)
    for key, value in exact.items():
        sample = np.array([r[key] for r in reps])
        half = q * sample.std(ddof=1) / np.sqrt(len(sample))
        assert abs(sample.mean() - value) <= half + 1e-9, (key, sample.mean(), value, half)


@pytest.mark.parametrize("load,n", [(10.0, 14), (10.0, 11), (80.0, 90), (400.0, 420)])
def test_reduces_to_erlang_c_as_patience_grows(load, n):
    """Mandelbaum & Zeltyn (2007): theta -> 0 gives M/M/n when n > load."""
    h, t = 180.0, 20.0
    gaps = []
    for patience in (1e4, 1e6, 1e8):
        r = erlang_a(load, n, h, patience, t)
        gaps.append(abs(r.service_level - service_level(load, n, h, t)))
        assert r.p_abandon < 50 * h / patience
    assert gaps[-1] < 1e-5 and gaps[0] > gaps[-1]
    r = erlang_a(load, n, h, 1e8, t)
    assert r.p_wait == pytest.approx(erlang_c(load, n), abs=1e-5)
    assert r.asa_s == pytest.approx(average_speed_of_answer(load, n, h), rel=1e-4)
    inf = erlang_a(load, n, h, np.inf, t)
    assert inf.service_level == pytest.approx(service_level(load, n, h, t), rel=1e-15)
    assert inf.p_abandon == 0.0


def test_edge_cases_and_shapes():
    r = erlang_a([0.0, 5.0, 5.0], [0, 0, 3], 180, 60, 20)
    assert r.p_wait.tolist()[:2] == [0.0, 1.0]
    assert r.service_level.tolist()[:2] == [1.0, 0.0]
    assert r.p_abandon[1] == 1.0 and np.isinf(r.asa_s[1])
    assert 0 < r.p_abandon[2] < 1
    big = erlang_a(np.full((336, 20), 40.0), 38, 300, 180, 20)
    assert big.service_level.shape == (336, 20)
    assert big.summary().shape == (6720, 11)
    huge = erlang_a(30_000.0, [29_000, 30_000, 31_000], 300, 120, 20)
    assert np.all(np.isfinite(huge.service_level)) and np.all(np.isfinite(huge.asa_s))
    assert np.all(np.diff(huge.service_level) > 0)


def test_bad_input():
    with pytest.raises(ParameterError, match="`patience_s` must be greater than 0"):
        erlang_a(10, 11, 180, 0, 20)
    with pytest.raises(ParameterError, match="Did you mean 'answered'"):
        erlang_a(10, 11, 180, 60, 20, definition="answerd")


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(
    load=st.floats(0.05, 300.0),
    patience=st.floats(5.0, 3000.0),
    t=st.floats(0.0, 300.0),
    h=st.floats(30.0, 900.0),
)
def test_more_agents_help_and_definitions_order(load, patience, t, h):
    n = np.arange(0, int(load * 1.5) + 6)
    r = erlang_a(load, n, h, patience, t)
    assert np.all(np.diff(r.service_level) >= -1e-10)
    assert np.all(np.diff(r.p_abandon) <= 1e-10)
    answered = erlang_a(load, n, h, patience, t, definition="answered").service_level
    excl = erlang_a(load, n, h, patience, t, definition="offered_excl_short_abandons")
    assert np.all(answered >= r.service_level - 1e-12)
    assert np.all(excl.service_level >= r.service_level - 1e-12)
    assert np.all((r.p_abandon >= 0) & (r.p_abandon <= r.p_wait + 1e-12))
