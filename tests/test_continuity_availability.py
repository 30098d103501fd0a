"""Availability of series / parallel / k-of-n structures, MTBF/MTTR, downtime, service model."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.continuity import (
    ServiceModel,
    availability_from_mtbf,
    downtime_cost,
    expected_downtime_h,
    k_of_n_availability,
    parallel_availability,
    series_availability,
    service_availability,
)
from cio_analytics.exceptions import ParameterError

avail = st.floats(0.0, 1.0, allow_nan=False)


# -- known answers -----------------------------------------------------------------------------
def test_two_components_series_and_parallel():
    """Two 99 % components: 98.01 % in series, 99.99 % in parallel (G. Dalvi, "Availability in
    parallel vs in sequence"; any reliability text: Rausand & Hoyland 2004, ch. 4)."""
    assert series_availability([0.99, 0.99]) == pytest.approx(0.9801, abs=1e-12)
    assert parallel_availability([0.99, 0.99]) == pytest.approx(0.9999, abs=1e-12)


def test_five_nines_in_series_doubles_downtime():
    """QNX Neutrino cookbook, "Parallel versus serial": 0.99999 x 0.99999 = 0.99998; five
    nines is 315.36 s of downtime a year (31,536,000 s x 0.00001)."""
    a = series_availability([0.99999, 0.99999])
    assert round(a, 5) == 0.99998
    assert expected_downtime_h(0.99999) * 3600 == pytest.approx(315.36, abs=1e-6)
    assert expected_downtime_h(a) == pytest.approx(2 * expected_downtime_h(0.99999), rel=1e-4)


def test_two_of_three_identical():
    """2-of-3 with p = 0.9: 3p^2 - 2p^3 = 0.972 (triple modular redundancy)."""
    assert k_of_n_availability(0.9, 2, n=3) == pytest.approx(0.972, abs=1e-12)
    assert k_of_n_availability([0.9, 0.9, 0.9], 2) == pytest.approx(0.972, abs=1e-12)


def test_three_of_four_reliability_analytics():
    """Reliability Analytics blog, "Reliability modeling: k-out-of-n configuration" (2011):
    3 of 4 displays at R = 0.9 -> 0.6561 + 0.2916 = 0.9477."""
    assert k_of_n_availability(0.9, 3, n=4) == pytest.approx(0.9477, abs=1e-12)
    assert k_of_n_availability(np.full(4, 0.9), 3) == pytest.approx(0.9477, abs=1e-12)


def test_non_identical_two_of_three_ross():
    """Ross, A First Course in Probability, ch. 3 exercise (k-out-of-n system): 2-of-3 works with
    P1P2 + P1P3 + P2P3 - 2 P1P2P3; 1-of-3 with p = (.5, .2, .1) fails with .5 x .8 x .9 = .36."""
    p = np.array([0.5, 0.2, 0.1])
    expected = p[0] * p[1] + p[0] * p[2] + p[1] * p[2] - 2 * p.prod()
    assert k_of_n_availability(p, 2) == pytest.approx(expected, abs=1e-15)
    assert expected == pytest.approx(0.15)
    assert k_of_n_availability(p, 1) == pytest.approx(0.64, abs=1e-15)
    assert parallel_availability(p) == pytest.approx(0.64, abs=1e-15)


def test_mtbf_mttr_examples():
    """PTC Windchill "Availability": MTBF 50 h, MTTR 10 h -> 50/60. Brainmass "average availability":
    lambda = 0.0002/h (MTBF 5000 h), 6 h mean downtime -> A = 5000/5006, 10.50 h down a year."""
    assert availability_from_mtbf(50, 10) == pytest.approx(50 / 60, abs=1e-15)
    a = availability_from_mtbf(1 / 0.0002, 6)
    assert a == pytest.approx(0.998801438, abs=1e-9)
    assert expected_downtime_h(a) == pytest.approx(8760 * 6 / 5006, abs=1e-9)
    assert round(expected_downtime_h(a), 2) == 10.50
    out = availability_from_mtbf(np.array([50.0, 5000.0]), np.array([10.0, 6.0]))
    assert out.shape == (2,) and isinstance(availability_from_mtbf(50, 10), float)


def test_poisson_binomial_matches_enumeration():
    """The vectorised recursion equals brute-force enumeration of all 2^n states."""
    rng = np.random.default_rng(3)
    p = rng.uniform(0.5, 1.0, size=(20, 6))
    states = np.array(list(itertools.product([0, 1], repeat=6)), dtype=bool)
    prob = np.where(states[None], p[:, None, :], 1 - p[:, None, :]).prod(axis=-1)
    for k in range(1, 7):
        brute = (prob * (states.sum(axis=1) >= k)).sum(axis=1)
        np.testing.assert_allclose(k_of_n_availability(p, k), brute, rtol=0, atol=1e-14)


def test_downtime_cost_by_hour_uses_the_day_mean():
    profile = [1000.0] * 8 + [4000.0] * 12 + [1000.0] * 4  # mean 2500
    assert downtime_cost(2.0, profile) == pytest.approx(5000.0)
    assert downtime_cost(np.array([1.0, 3.0]), 100.0).tolist() == [100.0, 300.0]


# -- properties ----------------------------------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(st.lists(avail, min_size=1, max_size=6), avail)
def test_adding_a_parallel_component_never_lowers(a, extra):
    assert parallel_availability([*a, extra]) >= parallel_availability(a) - 1e-15


@settings(max_examples=150, deadline=None)
@given(st.lists(avail, min_size=1, max_size=6))
def test_series_at_most_the_weakest(a):
    assert series_availability(a) <= min(a) + 1e-15
    assert parallel_availability(a) >= max(a) - 1e-15


@settings(max_examples=150, deadline=None)
@given(st.lists(avail, min_size=1, max_size=7))
def test_k_of_n_monotone_in_k_and_ends_are_parallel_and_series(a):
    values = [k_of_n_availability(a, k) for k in range(1, len(a) + 1)]
    assert all(x >= y - 1e-12 for x, y in itertools.pairwise(values))
    assert values[0] == pytest.approx(parallel_availability(a), abs=1e-12)
    assert values[-1] == pytest.approx(series_availability(a), abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(avail, st.integers(1, 8), st.data())
def test_identical_binomial_equals_recursion(p, n, data):
    k = data.draw(st.integers(1, n))
    assert k_of_n_availability(p, k, n=n) == pytest.approx(
        k_of_n_availability(np.full(n, p), k), abs=1e-12
    )


# -- the service model ----------------------------------------------------------------------------
def _spec(**over):
    spec = {
        "service": "shop", "root": "s", "sla_availability": 0.999, "outage_cost_per_h": 2000,
        "blocks": {"s": {"type": "series", "children": ["net", "web", "db"]},
                   "web": {"type": "k_of_n", "k": 2, "children": ["w1", "w2", "w3"]},
                   "db": {"type": "parallel", "children": ["d1", "d2"]}},
        "components": {"net": {"mtbf_h": 4995, "mttr_h": 5},
                       "w1": {"availability": 0.9}, "w2": {"availability": 0.9},
                       "w3": {"availability": 0.9},
                       "d1": {"failures_per_year": 2, "mttr_h": 4.38},
                       "d2": {"failures_per_year": 2, "mttr_h": 4.38}},
    }  # fmt: skip
    spec.update(over)
    return spec


def test_service_availability_by_hand():
    r = service_availability(ServiceModel.from_spec(_spec()))
    a_net = 4995 / 5000
    a_db = 1 - (2 * 4.38 / 8760) ** 2  # each down 0.1 % of the year
    expected = a_net * 0.972 * a_db
    assert r.availability == pytest.approx(expected, abs=1e-14)
    assert r.downtime_h == pytest.approx((1 - expected) * 8760, abs=1e-9)
    assert r.downtime_cost == pytest.approx(r.downtime_h * 2000)
    assert r.meets_sla is False and r.allowed_downtime_h == pytest.approx(8.76)
    comp = r.components.set_index("component")
    # Birnbaum importance of a series component = availability of the rest
    assert comp.loc["net", "birnbaum"] == pytest.approx(0.972 * a_db, abs=1e-14)
    assert comp.loc["net", "single_point_of_failure"]
    assert not comp.loc["w1", "single_point_of_failure"]
    # failures_per_year needs every component's frequency: NaN with availability-only parts
    assert math.isnan(r.failures_per_year)
    assert set(r.summary()["metric"]) >= {"availability", "downtime_h", "downtime_cost"}


def test_series_failure_frequency_and_mean_outage():
    """Frequency formula sum_i I_B(i) w_i; a lone component: w and MTTR come back exactly."""
    one = service_availability(
        ServiceModel.from_spec(
            {
                "root": "s",
                "blocks": {"s": {"type": "series", "children": ["a"]}},
                "components": {"a": {"mtbf_h": 995, "mttr_h": 5}},
            }
        )
    )
    assert one.failures_per_year == pytest.approx(8760 / 1000)
    assert one.mean_outage_h == pytest.approx(5.0)
    spec = _spec(
        components={
            **_spec()["components"],
            **{w: {"mtbf_h": 900, "mttr_h": 100} for w in ("w1", "w2", "w3")},
        }
    )
    r = service_availability(ServiceModel.from_spec(spec))
    assert r.failures_per_year == pytest.approx((r.components["outages_per_year"]).sum())
    assert r.mean_outage_h == pytest.approx(r.downtime_h / r.failures_per_year)


def test_inline_nested_blocks_and_vectorised_evaluate():
    spec = {"root": {"type": "series", "children": [
        "a", {"type": "parallel", "children": ["b", {"type": "k_of_n", "k": 2,
                                                    "children": ["c", "d", "e"]}]}]},
        "components": {n: {"availability": 0.9} for n in "abcde"}}  # fmt: skip
    m = ServiceModel.from_spec(spec)
    assert m.evaluate(m.component_availability()) == pytest.approx(0.9 * (1 - 0.1 * 0.028))
    grid = np.random.default_rng(1).uniform(0.8, 1, (50, 5))
    out = m.evaluate(grid)
    by_hand = grid[:, 0] * (1 - (1 - grid[:, 1]) * (1 - k_of_n_availability(grid[:, 2:], 2)))
    np.testing.assert_allclose(out, by_hand, atol=1e-15)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"components": {"net": {"availability": 99.9}}}, r"use 0\.999 for 99\.9 %"),
        ({"components": {"net": {"mtbf_h": 100, "mttr_h": -1}}}, r"mttr_h.*at least 0"),
        ({"blocks": {"s": {"type": "k_of_n", "k": 4, "children": ["net", "w1", "w2"]}}}, "k > n"),
        ({"blocks": {"s": {"type": "series", "children": ["net", "wbe"]}}}, "unknown.*'wbe'"),
        (
            {
                "blocks": {
                    "s": {"type": "series", "children": ["net", "x"]},
                    "x": {"type": "parallel", "children": ["w1", "s"]},
                }
            },
            r"cycle: s -> x -> s",
        ),
        ({"blocks": {"s": {"type": "series", "children": ["net", "net"]}}}, "used twice"),
        ({"blocks": {"s": {"type": "seires", "children": ["net"]}}}, "Did you mean 'series'"),
        ({"components": {"net": {"availability": 0.9, "mttr_h": 3}}}, "not both"),
        ({"components": {"net": {"failures_per_year": 400, "mttr_h": 24}}}, "exceed the 8760"),
        ({"outage_cost_per_h": [1, 2, 3]}, "24 numbers"),
    ],
)
def test_bad_specs_name_the_key_and_rule(change, match):
    spec = _spec()
    for part in ("components", "blocks"):
        if part in change:
            spec[part] = {**spec[part], **change.pop(part)}
    spec.update(change)
    with pytest.raises(ParameterError, match=match):
        ServiceModel.from_spec(spec)


def test_formula_functions_reject_bad_input():
    with pytest.raises(ParameterError, match=r"0\.999 for 99\.9 %"):
        series_availability([99.9, 0.99])
    with pytest.raises(ParameterError, match="must not exceed"):
        k_of_n_availability(0.9, 4, n=3)
    with pytest.raises(ParameterError, match="mttr_h"):
        availability_from_mtbf(100, -2)
