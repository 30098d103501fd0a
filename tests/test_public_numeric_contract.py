"""The public numeric contract (issue 12): every public numeric function of valuation, the risk
distributions and staffing, fed arbitrary finite floats in and around its valid range, returns
a finite number, NaN where a status says why, or a CioAnalyticsError; never another exception,
an infinity or a hang.

Domain of every property: IEEE doubles drawn from three pools (values inside the valid range,
every finite double, and edge values 0, -0, tiny, 1e300), lists of at most 8 cash flows, at
most 4 array elements. The one documented infinity is the average speed of answer of an
unstable queue (agents <= load: the queue never empties), allowed below only there.
Hangs are caught by hypothesis' per-example ``deadline``.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import CioAnalyticsError
from cio_analytics.risk import (
    PERT,
    Beta,
    Gamma,
    LogNormal,
    Normal,
    Poisson,
    Triangular,
    Uniform,
    Weibull,
)
from cio_analytics.staffing import (
    apply_shrinkage,
    average_speed_of_answer,
    erlang_a,
    erlang_b,
    erlang_c,
    occupancy,
    offered_load,
    required_agents,
    required_lines,
    service_level,
)
from cio_analytics.valuation import (
    cumipmt,
    cumprinc,
    db,
    ddb,
    discounted_payback_period,
    eac,
    fv,
    ipmt,
    irr,
    mirr,
    nper,
    npv,
    npv_profile,
    payback_period,
    pmt,
    ppmt,
    pv,
    sln,
    syd,
    xirr,
    xnpv,
)

CONTRACT = settings(
    max_examples=60,
    deadline=2000,  # ms per example: a hang fails
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
EDGES = st.sampled_from([0.0, -0.0, 1.0, -1.0, 5e-324, 1e-300, 1e300, -1e300, 1e15, 1e12 + 1])
ANY = st.floats(allow_nan=False, allow_infinity=False)


def around(lo: float, hi: float) -> st.SearchStrategy[float]:
    """In the valid range [lo, hi], anywhere, or at an edge."""
    return st.one_of(st.floats(lo, hi), ANY, EDGES)


RATE = around(-0.5, 0.5)
MONEY = around(-1e6, 1e6)
FLOWS = st.lists(MONEY, min_size=1, max_size=8)
PERIODS = around(1, 40)


def _numbers(out: Any) -> np.ndarray:
    """Every number in a result: a scalar, an array, a Series or a result dataclass's fields."""
    if isinstance(out, (int, float, np.number)):
        return np.asarray([out], dtype=float)
    if isinstance(out, (np.ndarray, pd.Series)):
        return np.asarray(out, dtype=float).ravel()
    fields = getattr(out, "__dataclass_fields__", None)
    assert fields is not None, f"unexpected result type {type(out).__name__}"
    parts = [
        np.asarray(getattr(out, f), dtype=float).ravel()
        for f in fields
        if np.asarray(getattr(out, f)).dtype.kind in "fiu"
    ]
    return np.concatenate(parts) if parts else np.zeros(0)


def outcome(call, *, nan_ok: bool = False, inf_ok=None) -> Any:
    """Run ``call``: a CioAnalyticsError is a valid answer; any other exception fails the
    test (it propagates). A result must be finite, or NaN where ``nan_ok``."""
    try:
        out = call()
    except CioAnalyticsError:
        return None
    values = _numbers(out)
    if not nan_ok:
        assert not np.isnan(values).any(), f"NaN without a status: {out!r}"
    infinite = np.isinf(values)
    if infinite.any():
        assert inf_ok is not None and inf_ok(out), f"infinity returned: {out!r}"
    return out


# ---------------------------------------------------------------------------- valuation
@CONTRACT
@given(RATE, FLOWS)
def test_npv(rate, flows):
    outcome(lambda: npv(rate, flows))


@CONTRACT
@given(RATE, FLOWS)
def test_xnpv(rate, flows):
    dates = [datetime.date(2026, 1, 1) + datetime.timedelta(days=91 * k) for k in range(len(flows))]
    outcome(lambda: xnpv(rate, flows, dates))


@CONTRACT
@given(FLOWS)
def test_irr_is_finite_or_nan_with_a_status(flows):
    res = outcome(lambda: irr(flows, full_output=True), nan_ok=True)
    if res is not None and math.isnan(res.rate):
        assert str(res.status) != "ok"


@CONTRACT
@given(FLOWS)
def test_xirr_is_finite_or_nan_with_a_status(flows):
    dates = [
        datetime.date(2026, 1, 1) + datetime.timedelta(days=180 * k) for k in range(len(flows))
    ]
    res = outcome(lambda: xirr(flows, dates, full_output=True), nan_ok=True)
    if res is not None and math.isnan(res.rate):
        assert str(res.status) != "ok"


@CONTRACT
@given(FLOWS, RATE, RATE)
def test_mirr(flows, finance, reinvest):
    # NaN: flows without both signs have no MIRR (documented, as Excel's #DIV/0!)
    out = outcome(lambda: mirr(flows, finance, reinvest), nan_ok=True)
    if out is not None and math.isnan(out):
        arr = np.asarray(flows)
        assert not ((arr > 0).any() and (arr < 0).any()) or len(flows) < 2


@CONTRACT
@given(FLOWS, RATE)
def test_payback_periods(flows, rate):
    # NaN: the flows never pay back (documented)
    outcome(lambda: payback_period(flows), nan_ok=True)
    outcome(lambda: discounted_payback_period(rate, flows), nan_ok=True)


@CONTRACT
@given(RATE, PERIODS, MONEY, MONEY)
def test_annuities(rate, n, amount, other):
    outcome(lambda: pmt(rate, n, amount, other))
    outcome(lambda: pv(rate, n, amount, other))
    outcome(lambda: fv(rate, n, amount, other))
    outcome(lambda: eac(rate, n, amount))


@CONTRACT
@given(RATE, PERIODS, PERIODS, MONEY, MONEY)
def test_loans(rate, n, period, amount, payment):
    # nper: NaN where the payment never repays the loan (documented, as numpy-financial)
    outcome(lambda: nper(rate, payment, amount), nan_ok=True)
    outcome(lambda: ipmt(rate, period, n, amount))
    outcome(lambda: ppmt(rate, period, n, amount))
    outcome(lambda: cumipmt(rate, n, amount, 1, period))
    outcome(lambda: cumprinc(rate, n, amount, 1, period))


@CONTRACT
@given(PERIODS, MONEY, MONEY)
def test_rate_is_finite_or_nan_with_a_status(n, payment, amount):
    from cio_analytics.valuation import rate

    res = outcome(lambda: rate(n, payment, amount, full_output=True), nan_ok=True)
    if res is not None and math.isnan(res.rate):
        assert str(res.status) != "ok"


@CONTRACT
@given(st.lists(RATE, min_size=1, max_size=4), FLOWS)
def test_npv_profile(rates, flows):
    outcome(lambda: npv_profile(rates, flows))


@CONTRACT
@given(around(0, 1e6), around(0, 1e5), around(1, 40), around(1, 40))
def test_depreciation(cost, salvage, life, period):
    outcome(lambda: sln(cost, salvage, life))
    outcome(lambda: syd(cost, salvage, life, period))
    outcome(lambda: ddb(cost, salvage, life, period))
    outcome(lambda: db(cost, salvage, life, period))


# ---------------------------------------------------------------------------- distributions
Q = around(0.0, 1.0)


def _use(dist) -> None:
    outcome(lambda: dist.mean())
    var = outcome(lambda: dist.var(), inf_ok=lambda out: type(dist)._infinite_moments)
    assert var is None or var >= 0.0, f"{dist!r}: negative variance {var!r}"
    outcome(lambda: dist.ppf(np.array([0.1, 0.5, 0.9])))
    outcome(lambda: dist.cdf(np.array([dist.ppf(0.5)])))
    outcome(lambda: dist.sample(5, rng=1))


def _built(make) -> None:
    try:
        dist = make()
    except CioAnalyticsError:
        return
    _use(dist)


@CONTRACT
@given(MONEY, MONEY, MONEY)
def test_three_point_distributions(low, mode, high):
    _built(lambda: PERT(low, mode, high))
    _built(lambda: Triangular(low, mode, high))
    _built(lambda: Uniform(low, high))


FAMILIES = {
    "Normal": lambda x, y: Normal(x, y),
    "LogNormal": lambda x, y: LogNormal(x / 100.0, y / 100.0),
    "Gamma": lambda x, y: Gamma(x, y),
    "Weibull": lambda x, y: Weibull(x, y),
    "Beta": lambda x, y: Beta(x, y),
    "Poisson": lambda x, y: Poisson(x),
}


@pytest.mark.parametrize("family", list(FAMILIES))
@CONTRACT
@given(around(-1e3, 1e3), around(0.01, 1e3))
def test_parametric_distributions(family, x, y):
    _built(lambda: FAMILIES[family](x, y))


# ---------------------------------------------------------------------------- staffing
CALLS = around(0, 500)
INTERVAL = around(300, 3600)
HANDLE = around(1, 600)
AGENTS = st.one_of(st.integers(0, 200), st.sampled_from([10**7, 10**8]), st.floats(0, 1e3))
LOAD = around(0, 150)


def _unstable_asa(load, agents):
    return lambda out: bool(np.all(np.asarray(agents, float) <= np.asarray(load, float)))


@CONTRACT
@given(CALLS, INTERVAL, HANDLE)
def test_offered_load(calls, interval, handle):
    outcome(lambda: offered_load(calls, interval, handle))


@CONTRACT
@given(LOAD, AGENTS, HANDLE, around(0, 120))
def test_erlang_family(load, agents, handle, answer):
    outcome(lambda: erlang_b(load, agents))
    outcome(lambda: erlang_c(load, agents))
    outcome(lambda: service_level(load, agents, handle, answer))
    outcome(lambda: occupancy(load, agents), nan_ok=True)  # NaN: load on zero agents
    outcome(
        lambda: average_speed_of_answer(load, agents, handle), inf_ok=_unstable_asa(load, agents)
    )


@CONTRACT
@given(LOAD, AGENTS, HANDLE, around(1, 600), around(0, 120))
def test_erlang_a(load, agents, handle, patience, answer):
    res = outcome(
        lambda: erlang_a(load, agents, handle, patience, answer),
        nan_ok=True,
        inf_ok=lambda out: bool(np.all(np.isinf(out.asa_s) <= (np.asarray(out.p_abandon) == 1))),
    )
    if res is not None:
        figures = np.array([res.p_wait, res.p_abandon, res.service_level], dtype=float)
        assert np.all(np.isfinite(figures))


@CONTRACT
@given(CALLS, INTERVAL, HANDLE, around(0.5, 0.95), around(0, 60))
def test_required_agents(calls, interval, handle, level, answer):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # StaffingWarning for an unattainable target
        out = outcome(
            lambda: required_agents(
                calls, interval, handle, target_service_level=level, answer_time_s=answer
            )
        )
    if out is not None:
        assert isinstance(out, int) and 0 <= out <= 10**8


@CONTRACT
@given(LOAD, around(0.001, 0.2))
def test_required_lines(load, blocking):
    outcome(lambda: required_lines(load, blocking))


@CONTRACT
@given(around(0, 500), around(0, 0.5))
def test_apply_shrinkage(agents, shrinkage):
    outcome(lambda: apply_shrinkage(agents, shrinkage))


def test_the_contract_catches_an_infinity():
    """The checker itself: an infinity or a NaN without a status fails, an error passes."""
    with pytest.raises(AssertionError, match="infinity"):
        outcome(lambda: float("inf"))
    with pytest.raises(AssertionError, match="NaN"):
        outcome(lambda: float("nan"))
    assert outcome(lambda: npv(0.08, [1e308] * 3)) is None
