"""The NPV profile: net present value at each of many discount rates, for every scenario."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import as_float_array
from ._dates import as_values, check_discount_rate, times_from_dates
from .daycount import check_day_count

__all__ = ["npv_profile"]


def npv_profile(
    rates: Any,
    values: Any,
    dates: Any = None,
    *,
    day_count: Any = "ACT/365F",
    date_format: str | None = None,
) -> Any:
    """NPV (or XNPV, given dates) of every scenario at each rate: the curve a board chart shows.

    Parameters
    ----------
    rates : float or array_like
        Discount rates, decimals per period (per year with dates), each in (-1, 1] (a
        computed rate above 100 % with more than two decimals passes, as in ``npv``).
    values : array_like or DataFrame
        Cash flows, money out negative; 1-D (one scenario) or 2-D (rows are scenarios).
        Without ``dates``, ``values[..., 0]`` is period 0 (now, undiscounted).
    dates : sequence or 2-D array of dates, optional
        One date per flow (1-D shared, or 2-D one row per scenario); the earliest date of a
        row is not discounted.
    day_count : str or int, default "ACT/365F"
        Day-count convention for ``dates`` (see :func:`year_fraction`).
    date_format : str, optional
        strftime format of date strings that are not ISO 8601.

    Returns
    -------
    ndarray or DataFrame
        Rows = rates, columns = scenarios: ``(n_rates, n_scenarios)``; 1-D ``(n_rates,)`` for
        one scenario. A DataFrame (index "rate", the scenarios' index as columns) when
        ``values`` is a DataFrame.

    Notes
    -----
    ``NPV(r) = sum_j v_j (1 + r)^{-t_j}`` with ``t_j = j`` (periodic) or the year fraction
    from the earliest date. Where the curve crosses zero is the IRR; a curve that crosses
    twice is a project with several rates (see MIRR).

    References
    ----------
    R. A. Brealey, S. C. Myers, F. Allen, *Principles of Corporate Finance*, chapter
    "Net present value and other investment criteria" (the NPV profile).

    Examples
    --------
    >>> print(npv_profile([0.0, 0.1, 0.2], [-100, 60, 60]).round(2))
    [20.    4.13 -8.33]
    """
    r = as_float_array(check_discount_rate(rates, "rates"), "rates", ndim=(0, 1)).reshape(-1)
    v, single, index = as_values(values)
    if dates is None:
        t = np.arange(v.shape[1], dtype=float)
    else:
        t = times_from_dates(dates, v, check_day_count(day_count), date_format)
    growth = 1.0 + r
    if t.ndim == 1:  # one (rates, flows) matrix of discount factors for every scenario
        out = (growth[:, None] ** -t) @ v.T
    else:  # per-row dates: a loop over the rates (a profile has a few dozen)
        out = np.stack([(v * g**-t).sum(axis=1) for g in growth])
    if single:
        return out[:, 0]
    if index is not None:
        return pd.DataFrame(out, index=pd.Index(r, name="rate"), columns=index)
    return out
