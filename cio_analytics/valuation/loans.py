"""Loans and annuities: NPER, IPMT, PPMT, CUMIPMT and CUMPRINC (Excel's conventions).

The companions of :mod:`~cio_analytics.valuation.tvm`'s ``pmt``/``pv``/``fv``, resting on the
same annuity identity (``w = 0`` for payments at the end of each period, 1 at the beginning)::

    pv (1 + r)^n + pmt (1 + r w) ((1 + r)^n - 1) / r + fv = 0

Every function broadcasts like a numpy ufunc (scalar in, float out; arrays of scenarios in,
an array out). Money paid out is negative, as in Excel.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import as_float_array, check_rate
from ..exceptions import ParameterError
from .tvm import _n_periods, _out, _when, pmt

__all__ = ["cumipmt", "cumprinc", "ipmt", "nper", "ppmt"]


def nper(
    rate: Any,
    payment: Any,
    present_value: Any,
    future_value: Any = 0,
    *,
    when: Any = "end",
) -> Any:
    """Number of periods to repay a loan or reach a balance (Excel ``NPER``).

    Parameters
    ----------
    rate : float or array_like
        Interest rate per period, a decimal in (-1, 1].
    payment : float or array_like
        Payment each period, in currency; money paid out is negative.
    present_value : float or array_like
        Amount at period 0, in currency (a loan received: positive).
    future_value : float or array_like, default 0
        Balance wanted after the last payment, in currency.
    when : {"end", "begin", 0, 1} or array_like, default "end"
        Payments at the end (0) or the beginning (1) of each period.

    Returns
    -------
    float or ndarray
        Periods (fractional); NaN where no number of periods balances the identity
        (Excel's #NUM!), e.g. a payment that does not even cover the interest.

    Notes
    -----
    With ``z = pmt (1 + r w) / r``: ``n = log((z - fv) / (z + pv)) / log(1 + r)``, and
    ``n = -(pv + fv) / pmt`` at ``r = 0``. A negative answer is returned as Excel does.

    References
    ----------
    Microsoft, "NPER function", Excel documentation.

    Examples
    --------
    Excel's NPER examples: 12 % a year paid monthly, -100 a month, -1,000 now, 10,000 wanted.

    >>> print(f"{nper(0.12 / 12, -100, -1000, 10000, when='begin'):.7f}")
    59.6738657
    >>> print(f"{nper(0.12 / 12, -100, -1000, 10000):.7f}")
    60.0821229
    >>> print(f"{nper(0.12 / 12, -100, -1000):.8f}")
    -9.57859404
    """
    r = np.asarray(check_rate(rate, "rate"), dtype=float)
    pmt_ = as_float_array(payment, "payment")
    pv_ = as_float_array(present_value, "present_value")
    fv_ = as_float_array(future_value, "future_value")
    w = _when(when)
    with np.errstate(divide="ignore", invalid="ignore"):
        zero = r == 0
        safe = np.where(zero, 1.0, r)
        z = pmt_ * (1.0 + safe * w) / safe
        n = np.log((z - fv_) / (z + pv_)) / np.log1p(safe)
        n0 = -(pv_ + fv_) / pmt_
        out = np.where(zero, n0, n)
    return _out(np.where(np.isfinite(out), out, np.nan))


def _period(period: Any, n: np.ndarray, name: str) -> np.ndarray:
    p = as_float_array(period, name)
    bad = (p < 1) | (p > n) | (p != np.floor(p))
    if np.any(bad):
        p_b, n_b = np.broadcast_arrays(p, n)
        i = int(np.flatnonzero(np.broadcast_to(bad, p_b.shape))[0])
        raise ParameterError(
            f"`{name}` must be a whole period from 1 to n_periods ({n_b.flat[i]:g}). "
            f"Got {p_b.flat[i]:g}. Periods count from 1 (the first payment), as in Excel."
        )
    return p


def _remaining(r: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``(1 - (1 + r)^-m) / r``: the value one period before the first of ``m`` level
    payments of 1 (``m`` at ``r = 0``), computed without cancellation."""
    zero = r == 0
    safe = np.where(zero, 1.0, r)
    return np.where(zero, m, -np.expm1(-m * np.log1p(safe)) / safe)


def _interest(r, p, n, payment, fv_, w):
    """Interest of period ``p`` (Excel's sign): ``-r`` times the balance before it.

    The balance is the value of what is still to be paid (the remaining payments and
    ``fv``), which stays accurate to the last period however large ``(1 + r)^n`` is
    (rolling the loan forward, ``pv (1 + r)^k + ...``, cancels catastrophically).
    """
    m = n - p + 1.0  # payments still due when period p starts
    with np.errstate(over="ignore"):
        fv_part = fv_ * r * np.exp(-(m + w) * np.log1p(r))
    interest = payment * r * _remaining(r, m) + fv_part
    return np.where((w == 1) & (p == 1), 0.0, interest)


def ipmt(
    rate: Any,
    period: Any,
    n_periods: Any,
    present_value: Any,
    future_value: Any = 0,
    *,
    when: Any = "end",
) -> Any:
    """Interest part of the payment of one period (Excel ``IPMT``).

    Parameters
    ----------
    rate : float or array_like
        Interest rate per period, a decimal in (-1, 1].
    period : int or array_like
        The period, a whole number from 1 to ``n_periods``.
    n_periods : float or array_like
        Number of payment periods, greater than 0.
    present_value : float or array_like
        Amount at period 0 (a loan received: positive), in currency.
    future_value : float or array_like, default 0
        Balance wanted after the last payment, in currency.
    when : {"end", "begin", 0, 1} or array_like, default "end"
        Payments at the end (0) or the beginning (1) of each period.

    Returns
    -------
    float or ndarray
        The interest paid in ``period``, in currency (negative for a loan being repaid).

    Notes
    -----
    ``ipmt = -r B`` with ``B`` the balance at the start of period ``p``, the value of what is
    still due: ``B = -pmt (1 - (1 + r)^{-m}) / r - fv (1 + r)^{-(m + w)}``, ``m = n - p + 1``.
    This equals Excel's and numpy-financial's ``r fv(r, p - 1, pmt, pv, when)`` (divided by
    ``1 + r`` with payments at the beginning, where the first period pays no interest).

    References
    ----------
    Microsoft, "IPMT function", Excel documentation.

    Examples
    --------
    Excel's IPMT examples: an 8,000 loan at 10 % a year over 3 years.

    >>> print(f"{ipmt(0.10 / 12, 1, 36, 8000):.2f}")
    -66.67
    >>> print(f"{ipmt(0.10, 3, 3, 8000):.2f}")
    -292.45
    """
    r = np.asarray(check_rate(rate, "rate"), dtype=float)
    n = _n_periods(n_periods, strict=True)
    p = _period(period, n, "period")
    pv_ = as_float_array(present_value, "present_value")
    fv_ = as_float_array(future_value, "future_value")
    w = _when(when)
    payment = np.asarray(pmt(r, n, pv_, fv_, when=w.astype(int) if w.ndim else int(w)))
    return _out(_interest(r, p, n, payment, fv_, w))


def ppmt(
    rate: Any,
    period: Any,
    n_periods: Any,
    present_value: Any,
    future_value: Any = 0,
    *,
    when: Any = "end",
) -> Any:
    """Principal part of the payment of one period (Excel ``PPMT``): ``pmt - ipmt``.

    Parameters
    ----------
    rate, period, n_periods, present_value, future_value, when
        As in :func:`ipmt`.

    Returns
    -------
    float or ndarray
        The principal repaid in ``period``, in currency (negative for a loan being repaid).

    Notes
    -----
    ``ppmt = pmt(r, n, pv, fv, when) - ipmt(r, p, n, pv, fv, when)``.

    References
    ----------
    Microsoft, "PPMT function", Excel documentation.

    Examples
    --------
    Excel's PPMT examples: a 2,000 loan at 10 % a year over 2 years, monthly; and a
    200,000 loan at 8 % a year over 10 years.

    >>> print(f"{ppmt(0.10 / 12, 1, 24, 2000):.2f}")
    -75.62
    >>> print(f"{ppmt(0.08, 10, 10, 200000):.2f}")
    -27598.05
    """
    r = np.asarray(check_rate(rate, "rate"), dtype=float)
    n = _n_periods(n_periods, strict=True)
    p = _period(period, n, "period")
    pv_ = as_float_array(present_value, "present_value")
    fv_ = as_float_array(future_value, "future_value")
    w = _when(when)
    payment = np.asarray(pmt(r, n, pv_, fv_, when=w.astype(int) if w.ndim else int(w)))
    return _out(payment - _interest(r, p, n, payment, fv_, w))


def _cumulative(rate, n_periods, present_value, start_period, end_period, when):
    """(sum of interest, sum of payments) over periods start..end, closed form."""
    r = np.asarray(check_rate(rate, "rate"), dtype=float)
    n = _n_periods(n_periods, strict=True)
    s = _period(start_period, n, "start_period")
    e = _period(end_period, n, "end_period")
    if np.any(e < s):
        s_b, e_b = np.broadcast_arrays(s, e)
        i = int(np.flatnonzero(e_b < s_b)[0])
        raise ParameterError(
            f"`end_period` must not precede `start_period`. Got start_period={s_b.flat[i]:g}, "
            f"end_period={e_b.flat[i]:g}. Swap them."
        )
    pv_ = as_float_array(present_value, "present_value")
    w = _when(when)
    payment = np.asarray(pmt(r, n, pv_, when=w.astype(int) if w.ndim else int(w)))
    # principal = balance after s - 1 payments less balance after e, each the value of the
    # payments still due; before the first payment (begin) the balance is pv, (1 + r) more
    before = _remaining(r, n - s + 1.0) * np.where((w == 1) & (s == 1), 1.0 + r, 1.0)
    principal = payment * (before - _remaining(r, n - e))
    paid = payment * (e - s + 1.0)
    return paid - principal, paid


def cumipmt(
    rate: Any,
    n_periods: Any,
    present_value: Any,
    start_period: Any,
    end_period: Any,
    *,
    when: Any = "end",
) -> Any:
    """Interest paid from ``start_period`` to ``end_period`` inclusive (Excel ``CUMIPMT``).

    Parameters
    ----------
    rate : float or array_like
        Interest rate per period, a decimal in (-1, 1].
    n_periods : float or array_like
        Number of payment periods, greater than 0.
    present_value : float or array_like
        The loan (received: positive), in currency.
    start_period, end_period : int or array_like
        First and last period summed, whole numbers with 1 <= start <= end <= n_periods.
    when : {"end", "begin", 0, 1} or array_like, default "end"
        Payments at the end (0) or the beginning (1) of each period.

    Returns
    -------
    float or ndarray
        The interest paid over the periods, in currency (negative for a loan repaid).

    Notes
    -----
    ``sum_{p=s}^{e} ipmt(r, p, n, pv)`` in closed form: the payments ``pmt (e - s + 1)``
    less the principal repaid, ``pmt (a_{n-s+1} - a_{n-e})`` with ``a_m = (1 - (1 + r)^{-m})
    / r`` the balance (per unit of payment) while ``m`` payments are due (times ``1 + r``
    before the first payment at the beginning). Excel refuses ``rate <= 0`` and
    ``present_value <= 0`` (#NUM!); the formula holds for both.

    References
    ----------
    Microsoft, "CUMIPMT function", Excel documentation.

    Examples
    --------
    Excel's CUMIPMT examples: a 125,000 loan at 9 % a year over 30 years, monthly.

    >>> print(f"{cumipmt(0.09 / 12, 360, 125000, 13, 24):.2f}")
    -11135.23
    >>> print(f"{cumipmt(0.09 / 12, 360, 125000, 1, 1):.2f}")
    -937.50
    """
    interest, _ = _cumulative(rate, n_periods, present_value, start_period, end_period, when)
    return _out(interest)


def cumprinc(
    rate: Any,
    n_periods: Any,
    present_value: Any,
    start_period: Any,
    end_period: Any,
    *,
    when: Any = "end",
) -> Any:
    """Principal repaid from ``start_period`` to ``end_period`` inclusive (Excel ``CUMPRINC``).

    Parameters
    ----------
    rate, n_periods, present_value, start_period, end_period, when
        As in :func:`cumipmt`.

    Returns
    -------
    float or ndarray
        The principal repaid over the periods, in currency (negative for a loan repaid).

    Notes
    -----
    ``pmt (a_{n-s+1} - a_{n-e})``: the fall of the balance over the periods, with
    ``a_m = (1 - (1 + r)^{-m}) / r`` (see :func:`cumipmt`).

    References
    ----------
    Microsoft, "CUMPRINC function", Excel documentation.

    Examples
    --------
    Excel's CUMPRINC examples: a 125,000 loan at 9 % a year over 30 years, monthly.

    >>> print(f"{cumprinc(0.09 / 12, 360, 125000, 13, 24):.7f}")
    -934.1071234
    >>> print(f"{cumprinc(0.09 / 12, 360, 125000, 1, 1):.8f}")
    -68.27827118
    """
    interest, paid = _cumulative(rate, n_periods, present_value, start_period, end_period, when)
    return _out(paid - interest)
