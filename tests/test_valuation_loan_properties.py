"""hypothesis property tests for the loan functions and year_fraction.

Each property states its domain and why; tolerances scale with the amounts involved.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cio_analytics.valuation import (
    cumipmt,
    cumprinc,
    fv,
    ipmt,
    nper,
    pmt,
    ppmt,
    pv,
    rate,
    year_fraction,
)

SETTINGS = settings(max_examples=80, deadline=None)

# Loans as finance teams write them: a positive rate up to 30 % a period (Excel's CUMIPMT
# refuses rate <= 0), up to 480 periods (40 years monthly), principal 1 to 1e9.
rates_ = st.floats(1e-4, 0.3)
periods = st.integers(1, 480)
principal = st.floats(1.0, 1e9)
whens = st.sampled_from(["end", "begin"])


def schedule(r: float, n: int, loan: float, when: str):
    """Interest and principal of each payment by stepping the balance (independent of the
    library's closed forms): returns (interest[p], principal[p]) for p = 1..n, Excel signs."""
    payment = pmt(r, n, loan, when=when)
    balance = loan
    interest, princ = [], []
    for p in range(1, n + 1):
        if when == "begin":
            owed = 0.0 if p == 1 else balance_after * r  # noqa: F821 (set below)
            balance_after = balance + payment  # the payment at the start of period p
            balance = balance_after * (1 + r)
        else:
            owed = balance * r
            balance = balance * (1 + r) + payment
        interest.append(-owed)
        princ.append(payment + owed)
    return np.array(interest), np.array(princ), payment


@SETTINGS
@given(rates_, st.integers(1, 120), principal, whens)
def test_ipmt_ppmt_follow_the_amortisation_schedule(r, n, loan, when):
    """ipmt/ppmt equal the interest and principal of a schedule stepped period by period, and
    pmt = ipmt + ppmt in every period.

    Domain: (1 + r)^n <= 1e6 (n is cut to fit). The stepped schedule itself loses
    eps * loan * (1 + r)^k by period k (its balance is a difference of growing terms), so the
    tolerance is that bound with a margin: the library's closed form is the more accurate.
    """
    n = min(n, max(1, int(np.log(1e6) / np.log1p(r))))
    interest, princ, payment = schedule(r, n, loan, when)
    p = np.arange(1, n + 1)
    tol = 1e-14 * n * (loan + abs(payment)) * (1 + r) ** n
    np.testing.assert_allclose(ipmt(r, p, n, loan, when=when), interest, rtol=0, atol=tol)
    np.testing.assert_allclose(ppmt(r, p, n, loan, when=when), princ, rtol=0, atol=tol)
    both = ipmt(r, p, n, loan, when=when) + ppmt(r, p, n, loan, when=when)
    np.testing.assert_allclose(both, payment, rtol=1e-12, atol=1e-9)


@SETTINGS
@given(rates_, periods, principal, whens, st.data())
def test_cumulative_over_whole_loan_is_total_paid(r, n, loan, when, data):
    """Over the whole loan cumprinc = -principal and cumipmt = total paid - principal, so
    cumipmt + cumprinc = n * pmt (the total paid); any sub-range of cumipmt/cumprinc equals
    the sum of its periods' ipmt/ppmt (computed by the separate per-period formulas).
    Tolerance: rounding of n terms of the size of the total paid."""
    payment = pmt(r, n, loan, when=when)
    scale = abs(payment) * n + loan
    interest = cumipmt(r, n, loan, 1, n, when=when)
    principal = cumprinc(r, n, loan, 1, n, when=when)
    assert abs(principal + loan) <= 1e-13 * n * scale
    assert abs(interest - (n * payment + loan)) <= 1e-13 * n * scale
    assert abs(interest + principal - n * payment) <= 1e-13 * n * scale
    s = data.draw(st.integers(1, n))
    e = data.draw(st.integers(s, n))
    p = np.arange(s, e + 1)
    assert abs(cumipmt(r, n, loan, s, e, when=when) - ipmt(r, p, n, loan, when=when).sum()) <= (
        1e-13 * n * scale
    )
    assert abs(cumprinc(r, n, loan, s, e, when=when) - ppmt(r, p, n, loan, when=when).sum()) <= (
        1e-13 * n * scale
    )


# a balloon is none or at least 1 (a balloon of 1e-100 leaves a one-payment loan's rate
# undetermined to any useful precision)
balloons = st.one_of(st.just(0.0), st.floats(-1e6, -1.0))


@SETTINGS
@given(rates_, periods, st.floats(-1e6, -1.0), balloons, whens)
def test_nper_and_rate_invert_pv(r, n, payment, balloon, when):
    """With present_value = pv(r, n, payment, fv): nper gives back n and rate gives back r.

    Domain: a loan repaid by payments and a balloon (payment < 0, fv <= 0, so the flows
    change sign once and the rate is unique; not a single payment at the beginning with no
    balloon, which is settled at once at any rate), and (1 + r)^n <= 1e4: beyond, the present value
    hardly depends on n and n is not recoverable to useful precision. Tolerances from the
    condition numbers: |d pv / d n| for n, |d pv / d r| for r.
    """
    if n * np.log1p(r) > np.log(1e4):
        n = max(1, int(np.log(1e4) / np.log1p(r)))
    # one payment at the beginning and no balloon is paid at once: no rate to recover
    assume(not (when == "begin" and n == 1 and balloon == 0))
    value = pv(r, n, payment, balloon, when=when)
    size = abs(value) + abs(payment) * n + abs(balloon)
    h = 1e-6
    dn = abs(pv(r, n + h, payment, balloon, when=when) - pv(r, n - h, payment, balloon, when=when))
    dr = abs(
        pv(r + h * r, n, payment, balloon, when=when)
        - pv(r - h * r, n, payment, balloon, when=when)
    )
    tol_n = 1e-13 * size / (dn / (2 * h)) + 1e-9
    tol_r = 1e-12 * size / (dr / (2 * h * r)) + 1e-12
    assert abs(nper(r, payment, value, balloon, when=when) - n) <= tol_n
    assert abs(rate(n, payment, value, balloon, when=when) - r) <= tol_r
    res = rate(n, payment, value, balloon, when=when, full_output=True)
    assert res.status == "ok" and res.n_roots == 1


@SETTINGS
@given(st.floats(-0.5, 1.0), st.integers(1, 600), st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_rate_is_a_root_of_the_identity(r, n, payment, present):
    """Whatever the inputs, a rate reported solves the annuity identity, checked by a plain
    sum of the discounted flows (independent of the library) relative to the size of the
    terms; NaN comes with a status that says why. Rates drawn in [-50 %, 100 %]."""
    target = fv(r, n, payment, present)
    res = rate(n, payment, present, target, full_output=True)
    if np.isfinite(res.rate):
        disc = (1.0 + res.rate) ** -np.arange(n + 1.0)
        terms = np.concatenate([[present], np.full(n, payment)]) * disc
        terms[-1] += target * disc[-1]
        size = np.abs(terms).sum() + abs(target * disc[-1])
        assert abs(terms.sum()) <= 1e-8 * size
    else:
        assert res.status in ("no sign change", "no root", "degenerate")


days = st.dates(dt.date(1901, 1, 1), dt.date(2199, 12, 31))


@SETTINGS
@given(
    days,
    days,
    days,
    st.sampled_from(["ACT/365F", "ACT/360", "ACT/ACT ISDA", "30E/360", "30E/360 ISDA"]),
)
def test_year_fraction_additive_where_the_convention_is(a, b, c, name):
    """yf(a, b) + yf(b, c) = yf(a, c) for any dates, in any order, for the conventions that
    measure each date on its own scale (actual days; 30E/360 where each date maps to
    360 Y + 30 M + min(D, 30)). US 30/360 and Excel's actual/actual are not additive."""
    total = year_fraction(a, b, name) + year_fraction(b, c, name)
    assert abs(total - year_fraction(a, c, name)) <= 1e-12 * (1 + abs(year_fraction(a, c, name)))


@SETTINGS
@given(days, days)
def test_act_act_isda_between_365_and_366_day_years(a, b):
    """ACT/ACT ISDA lies between actual/366 and actual/365 of the same days."""
    d = abs((b - a).days)
    got = abs(year_fraction(a, b, "ACT/ACT ISDA"))
    assert d / 366 - 1e-12 <= got <= d / 365 + 1e-12
