"""Time value of money: PMT, PV, FV with Excel's sign conventions, and EAC.

All functions broadcast like numpy ufuncs: scalars in give a float out; arrays (a scenario axis,
a grid of rates) broadcast against each other and give an array out. Money paid out is negative,
money received is positive, exactly as in Excel.

Every function rests on the one annuity identity Excel documents for PV::

    pv * (1 + r)**n + pmt * (1 + r * w) * ((1 + r)**n - 1) / r + fv = 0     (r != 0)
    pv + pmt * n + fv = 0                                                    (r == 0)

with ``w = 0`` for payments at the end of each period and ``w = 1`` at the beginning.

Where we differ from numpy-financial
------------------------------------
numpy-financial spells the arguments ``(rate, nper, pmt, pv, fv, when)``; we use
``n_periods``, ``payment``, ``present_value`` and ``future_value`` (house naming), make ``when``
keyword-only, and give ``fv``'s ``present_value`` a default of 0 (numpy-financial requires it).
``when`` takes ``"end"``/``"begin"`` or Excel's ``0``/``1``; numpy-financial's extra spellings
(``"start"``, ``"finish"``, ``"e"``, ``"b"``) are refused so a typo cannot slip through.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import as_float_array, check_magnitude, check_rate, short_repr
from ..exceptions import ParameterError

__all__ = ["eac", "fv", "pmt", "pv"]

_WHEN = {"end": 0.0, "begin": 1.0, 0: 0.0, 1: 1.0}


def _when(when: Any) -> np.ndarray:
    """Map ``when`` (scalar or array of "end"/"begin"/0/1) to a float array of 0/1."""
    items = np.asarray(when, dtype=object)
    out = np.empty(items.shape, dtype=float)
    for idx, value in np.ndenumerate(items):  # a handful of flags, not a scenario axis
        key = value.lower() if isinstance(value, str) else value
        if isinstance(key, bool) or key not in _WHEN:
            raise ParameterError(
                f'`when` must be "end" (or 0) or "begin" (or 1). Got {short_repr(value)}. '
                'Use when="begin" for payments at the start of each period.'
            )
        out[idx] = _WHEN[key]
    return out


def _n_periods(n_periods: Any, *, strict: bool) -> np.ndarray:
    n = as_float_array(n_periods, "n_periods")
    bad = (n <= 0) if strict else (n < 0)
    if np.any(bad):
        value = n.flat[int(np.flatnonzero(bad)[0])]
        rule = "greater than 0" if strict else "0 or more"
        raise ParameterError(
            f"`n_periods` must be {rule}. Got {value:g}. Give the number of payment periods, "
            "e.g. 60 for five years of monthly payments."
        )
    return check_magnitude(n, "n_periods", "periods")


def _growth(rate: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(1 + r)**n`` and the annuity factor ``((1 + r)**n - 1) / r`` (``n`` where r == 0).

    Uses ``expm1(n * log1p(r))`` so that tiny rates keep full precision.
    """
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is refused by _out
        growth = np.exp(n * np.log1p(rate))
        zero = rate == 0
        safe = np.where(zero, 1.0, rate)
        annuity = np.where(zero, n, np.expm1(n * np.log1p(rate)) / safe)
    return growth, annuity


def _out(value: np.ndarray) -> Any:
    return float(value) if np.ndim(value) == 0 else value


def _finite(value: np.ndarray) -> Any:
    """``_out`` for pmt/pv/fv/eac, whose finite inputs must give a finite result."""
    if not np.all(np.isfinite(value)):  # (1 + r)^n or 1 / n overflowed
        raise ParameterError(
            "the result lies beyond the range of floating-point numbers: `rate` compounded "
            "over `n_periods` (or a tiny `n_periods`) overflows. Check the units: rates are "
            "decimals per period and n_periods counts periods (e.g. 0.005 and 60 for five "
            "years of months)."
        )
    return _out(value)


def fv(
    rate: Any,
    n_periods: Any,
    payment: Any,
    present_value: Any = 0,
    *,
    when: Any = "end",
) -> Any:
    """Future value of a present amount plus a level payment stream (Excel ``FV``).

    Parameters
    ----------
    rate : float or array_like
        Interest rate per period, a decimal in (-1, 1] (0.005 for 6 % a year paid monthly).
    n_periods : float or array_like
        Number of payment periods, 0 or more.
    payment : float or array_like
        Payment each period, in currency; money paid out is negative.
    present_value : float or array_like, default 0
        Amount at period 0, in currency; money paid out is negative.
    when : {"end", "begin", 0, 1} or array_like, default "end"
        Payments at the end (0) or the beginning (1) of each period.

    Returns
    -------
    float or ndarray
        The balance after ``n_periods`` periods, in currency, with Excel's sign: depositing
        (negative ``payment``) gives a positive future value.

    Notes
    -----
    ``fv = -(pv (1 + r)^n + pmt (1 + r w) ((1 + r)^n - 1) / r)``, and ``-(pv + pmt n)`` at
    ``r = 0``.

    References
    ----------
    Microsoft, "FV function", Excel documentation.

    Examples
    --------
    Excel's first FV example: 6 % a year paid monthly, 10 payments of 200 at the beginning of
    each month into an account that starts with 500.

    >>> print(f"{fv(0.06 / 12, 10, -200, -500, when='begin'):.2f}")
    2581.40
    """
    r = check_rate(rate, "rate")
    n = _n_periods(n_periods, strict=False)
    pmt_ = as_float_array(payment, "payment")
    pv_ = as_float_array(present_value, "present_value")
    w = _when(when)
    growth, annuity = _growth(np.asarray(r, dtype=float), n)
    with np.errstate(over="ignore", invalid="ignore"):  # refused by _finite
        value = -(pv_ * growth + pmt_ * (1.0 + r * w) * annuity)
    return _finite(value)


def pv(
    rate: Any,
    n_periods: Any,
    payment: Any,
    future_value: Any = 0,
    *,
    when: Any = "end",
) -> Any:
    """Present value of a level payment stream and a final amount (Excel ``PV``).

    Parameters
    ----------
    rate : float or array_like
        Interest rate per period, a decimal in (-1, 1].
    n_periods : float or array_like
        Number of payment periods, 0 or more.
    payment : float or array_like
        Payment each period, in currency; money received is positive.
    future_value : float or array_like, default 0
        Amount at the end of the last period, in currency.
    when : {"end", "begin", 0, 1} or array_like, default "end"
        Payments at the end (0) or the beginning (1) of each period.

    Returns
    -------
    float or ndarray
        The amount at period 0 that balances the stream, in currency; receiving payments
        (positive) is worth paying for now, so the result is negative.

    Notes
    -----
    ``pv = -(fv + pmt (1 + r w) ((1 + r)^n - 1) / r) / (1 + r)^n``, and ``-(fv + pmt n)`` at
    ``r = 0``.

    References
    ----------
    Microsoft, "PV function", Excel documentation.

    Examples
    --------
    Excel's PV example: an annuity paying 500 a month for 20 years at 8 % a year.

    >>> print(f"{pv(0.08 / 12, 12 * 20, 500):.2f}")
    -59777.15
    """
    r = check_rate(rate, "rate")
    n = _n_periods(n_periods, strict=False)
    pmt_ = as_float_array(payment, "payment")
    fv_ = as_float_array(future_value, "future_value")
    w = _when(when)
    growth, annuity = _growth(np.asarray(r, dtype=float), n)
    with np.errstate(over="ignore", invalid="ignore"):  # refused by _finite
        value = -(fv_ + pmt_ * (1.0 + r * w) * annuity) / growth
    return _finite(value)


def pmt(
    rate: Any,
    n_periods: Any,
    present_value: Any,
    future_value: Any = 0,
    *,
    when: Any = "end",
) -> Any:
    """Level payment that repays a loan or builds a balance (Excel ``PMT``).

    Parameters
    ----------
    rate : float or array_like
        Interest rate per period, a decimal in (-1, 1].
    n_periods : float or array_like
        Number of payment periods, greater than 0.
    present_value : float or array_like
        Amount at period 0 (the principal of a loan, received: positive), in currency.
    future_value : float or array_like, default 0
        Balance wanted after the last payment, in currency.
    when : {"end", "begin", 0, 1} or array_like, default "end"
        Payments at the end (0) or the beginning (1) of each period.

    Returns
    -------
    float or ndarray
        The payment each period, in currency; repaying a loan gives a negative payment.

    Notes
    -----
    ``pmt = -(fv + pv (1 + r)^n) r / ((1 + r w) ((1 + r)^n - 1))``, and ``-(fv + pv) / n`` at
    ``r = 0``.

    References
    ----------
    Microsoft, "PMT function", Excel documentation.

    Examples
    --------
    Excel's PMT example: a 10,000 loan over 10 months at 8 % a year.

    >>> print(f"{pmt(0.08 / 12, 10, 10000):.2f}")
    -1037.03
    >>> print(f"{pmt(0.08 / 12, 10, 10000, when='begin'):.2f}")
    -1030.16
    """
    r = check_rate(rate, "rate")
    n = _n_periods(n_periods, strict=True)
    pv_ = as_float_array(present_value, "present_value")
    fv_ = as_float_array(future_value, "future_value")
    w = _when(when)
    growth, annuity = _growth(np.asarray(r, dtype=float), n)
    with np.errstate(over="ignore", invalid="ignore"):  # refused by _finite
        value = -(fv_ + pv_ * growth) / ((1.0 + r * w) * annuity)
    return _finite(value)


def eac(rate: Any, n_periods: Any, present_value: Any) -> Any:
    """Equivalent annual cost: the level end-of-period amount with the same present value.

    Parameters
    ----------
    rate : float or array_like
        Discount rate per period, a decimal in (-1, 1].
    n_periods : float or array_like
        Number of periods (years for an annual cost), greater than 0.
    present_value : float or array_like
        Present value of the costs (or of any cash-flow stream), in currency.

    Returns
    -------
    float or ndarray
        The equivalent amount per period, in currency, with the same sign as
        ``present_value``: enter the PV of costs as a positive number to get a positive EAC.

    Notes
    -----
    ``EAC = PV r / (1 - (1 + r)^-n)`` (the PV divided by the annuity factor), and ``PV / n``
    at ``r = 0``. It equals ``-pmt(rate, n_periods, present_value)``.

    References
    ----------
    R. A. Brealey, S. C. Myers, A. J. Marcus, *Fundamentals of Corporate Finance*,
    McGraw-Hill, chapter "Using discounted cash-flow analysis to make investment decisions"
    (equivalent annual annuities).

    Examples
    --------
    A polisher costs 10,000 and 20,000 a year to run for 5 years; at 10 % its costs have a
    present value of 85,816, an equivalent annual cost of 22,638.

    >>> print(f"{eac(0.10, 5, 10000 + pv(0.10, 5, -20000)):,.0f}")
    22,638
    >>> eac(0.0, 4, 1000.0)
    250.0
    """
    r = check_rate(rate, "rate")
    n = _n_periods(n_periods, strict=True)
    pv_ = as_float_array(present_value, "present_value")
    growth, annuity = _growth(np.asarray(r, dtype=float), n)
    with np.errstate(over="ignore", invalid="ignore"):  # refused by _finite
        value = pv_ * growth / annuity
    return _finite(value)
