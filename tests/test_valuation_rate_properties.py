"""hypothesis property tests for the IRR-type solvers of cio_analytics.valuation."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cio_analytics.valuation import irr, npv, xirr, xnpv

SETTINGS = settings(max_examples=120, deadline=None)

amount = st.floats(-1e7, 1e7, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 2))
any_flows = st.lists(amount, min_size=2, max_size=14)


@st.composite
def conventional_flows(draw):
    """An outlay, then non-negative inflows: exactly one root.

    The largest inflow is at least 1e-3 of the outlay so the root stays inside the rates the
    solver represents, (-1 + 1e-13, 1e13); beyond them it reports "no root".
    """
    n = draw(st.integers(2, 15))
    outlay = draw(st.floats(1.0, 1e9))
    inflows = draw(st.lists(st.floats(0.0, 1e9), min_size=n - 1, max_size=n - 1))
    if max(inflows) < 1e-3 * outlay:
        inflows[-1] = 1e-3 * outlay
    return [-outlay, *inflows]


def discounted_size(rate: float, flows) -> float:
    """sum |v_j| (1 + r)^-j: the scale against which an NPV of zero is judged."""
    v = np.abs(np.asarray(flows, dtype=float))
    return float((v * (1.0 + rate) ** -np.arange(len(v))).sum())


def rate_rounding(rate: float, flows) -> float:
    """The NPV error from storing ``rate`` as a float: near -100 % the float ``1 + rate``
    keeps few digits (relative error eps / (1 + rate)), and the NPV moves by
    sum_j |v_j| j (1 + r)^-j times that. Zero away from -100 %."""
    v = np.abs(np.asarray(flows, dtype=float))
    j = np.arange(len(v))
    growth = 1.0 + rate
    return float((v * j * growth**-j).sum() * np.finfo(float).eps / growth)


def plain_npv(rate: float, flows) -> float:
    """sum v_j (1 + r)^-j, computed independently of the library (any rate > -1)."""
    v = np.asarray(flows, dtype=float)
    return float((v * (1.0 + rate) ** -np.arange(len(v))).sum())


@SETTINGS
@given(any_flows)
def test_npv_at_irr_is_zero(flows):
    """npv(irr(cf), cf) == 0 relative to the size of the discounted amounts."""
    r = irr(flows)
    if np.isfinite(r):
        assert r > -1
        if r <= 1:
            assert abs(npv(r, flows)) <= 1e-8 * discounted_size(r, flows)
        assert abs(plain_npv(r, flows)) <= 1e-8 * discounted_size(r, flows) + rate_rounding(
            r, flows
        )


@SETTINGS
@given(conventional_flows())
def test_conventional_flows_always_solve(flows):
    """One sign change: there is exactly one root and it is found, status "ok"."""
    res = irr(flows, full_output=True)
    assert res.status == "ok" and res.n_roots == 1 and np.isfinite(res.rate)
    assert abs(plain_npv(res.rate, flows)) <= 1e-8 * discounted_size(
        res.rate, flows
    ) + rate_rounding(res.rate, flows)


@SETTINGS
@given(any_flows, st.floats(1e-6, 1e6))
def test_scaling_leaves_irr_unchanged(flows, factor):
    """Multiplying every flow by a positive constant leaves the IRR (and status) unchanged.

    Domain: scaled flows within the plausible magnitude of an amount (|x| <= 1e12)."""
    assume(np.max(np.abs(flows)) * factor <= 1e12)
    a = irr(flows, full_output=True)
    b = irr(np.asarray(flows) * factor, full_output=True)
    assert a.status == b.status
    if np.isfinite(a.rate):
        assert b.rate == np.float64(a.rate) or abs(b.rate - a.rate) <= 1e-9 * (1 + abs(a.rate))


@SETTINGS
@given(conventional_flows(), st.integers(0, 20000))
def test_xirr_on_365_day_spacing_equals_irr(flows, start):
    """xirr on dates 365 days apart equals irr (ACT/365F makes every gap one year)."""
    first = np.datetime64("1990-01-01") + np.timedelta64(start, "D")
    dates = first + np.arange(len(flows)) * np.timedelta64(365, "D")
    assert abs(xirr(flows, dates) - irr(flows)) <= 1e-10 * (1 + abs(irr(flows)))


@SETTINGS
@given(conventional_flows(), st.randoms(use_true_random=False))
def test_xirr_ignores_the_order_of_flows(flows, rnd):
    """Shuffling (date, amount) pairs does not change XIRR; XNPV at XIRR is zero."""
    dates = np.datetime64("2020-01-01") + np.cumsum(
        [0] + [rnd.randint(300, 400) for _ in flows[1:]]
    ).astype("timedelta64[D]")
    r = xirr(flows, dates)
    perm = list(range(len(flows)))
    rnd.shuffle(perm)
    assert abs(xirr(np.asarray(flows)[perm], dates[perm]) - r) <= 1e-10 * (1 + abs(r))
    if r <= 1:
        assert abs(xnpv(r, flows, dates)) <= 1e-8 * float(np.abs(flows).sum())


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(2, 8)), elements=amount))
def test_rowwise_equals_one_at_a_time(values):
    """A 2-D call gives, row by row, what one call per row gives (statuses too)."""
    batch = irr(values, full_output=True)
    for i, row in enumerate(values):
        single = irr(row, full_output=True)
        assert batch.status[i] == single.status
        both_nan = np.isnan(batch.rate[i]) and np.isnan(single.rate)
        assert both_nan or abs(batch.rate[i] - single.rate) <= 1e-12 * (1 + abs(single.rate))


@SETTINGS
@given(any_flows, st.floats(-0.5, 1.0))
def test_all_roots_are_roots_and_contain_the_answer(flows, guess):
    """Every reported root zeroes the NPV; the default answer is the root nearest the guess."""
    roots = irr(flows, all_roots=True)
    r = irr(flows, guess=guess)
    for root in roots:
        assert root > -1
        assert abs(plain_npv(root, flows)) <= 1e-8 * discounted_size(root, flows) + (
            rate_rounding(root, flows)
        )
    if len(roots):
        nearest = roots[np.argmin(np.abs(roots - guess))]
        assert r == nearest
    else:
        assert np.isnan(r)
