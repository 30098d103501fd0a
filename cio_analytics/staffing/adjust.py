"""Scenario adjustments of a staffing forecast: contact volume and handle time.

A scenarios file (``cio-analytics run PACK --scenarios FILE``) changes the forecast the service
desk is staffed for without editing a data file: the staffing notebook takes the changes as one
parameter, ``adjustments``, and applies them with :func:`adjust_forecast` where the forecast is
built. (The volume change against the history is also the notebook's ``growth`` parameter.)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from .._validation import did_you_mean, short_repr
from ..exceptions import ParameterError
from ..valuation.adjust import adjustment_factor

__all__ = ["FORECAST_ADJUSTMENTS", "adjust_forecast"]

#: The forecast inputs a scenario may change.
FORECAST_ADJUSTMENTS = ("calls", "handle_time_s")


def adjust_forecast(forecast: pd.DataFrame, adjustments: Mapping[str, Any] | None) -> pd.DataFrame:
    """The interval forecast with a scenario's changes of its volume and handle time.

    Parameters
    ----------
    forecast : DataFrame
        ``calls`` and ``handle_time_s`` per interval (optional ``calls_sd``,
        ``handle_time_se_s``), as :func:`~cio_analytics.io.read_staffing_forecast` or
        :meth:`ArrivalProfile.forecast_table` give it.
    adjustments : mapping or None
        ``calls``: a relative change of every interval's contacts (``"+10 %"``);
        ``handle_time_s``: a relative change of every interval's handle time (``"+10 %"``), or
        the new call-weighted average in seconds (``420``). Empty or None returns ``forecast``.

    Returns
    -------
    DataFrame
        A copy; the queue mix and the intraday shape stay.

    Notes
    -----
    ``calls'_i = f calls_i`` (and ``calls_sd``); ``aht'_i = g aht_i`` with ``g`` the relative
    change, or ``g = h / (sum calls_i aht_i / sum calls_i)`` for a new average ``h``.

    Examples
    --------
    >>> f = pd.DataFrame({"calls": [10.0, 30.0], "handle_time_s": [200.0, 400.0]})
    >>> g = adjust_forecast(f, {"calls": "+10 %", "handle_time_s": 700})
    >>> g["calls"].round(6).tolist(), g["handle_time_s"].tolist()
    ([11.0, 33.0], [400.0, 800.0])
    """
    if not adjustments:
        return forecast
    if not isinstance(adjustments, Mapping):
        raise ParameterError(
            f"`adjustments` must be a mapping of input -> change, e.g. {{'calls': '+10 %'}}. "
            f"Got {short_repr(adjustments)}."
        )
    problems = []
    out = forecast.copy()
    for key, value in adjustments.items():
        try:
            if key == "calls":
                f = adjustment_factor(value, "calls")
                for column in ("calls", "calls_sd"):
                    if column in out:
                        out[column] = out[column] * f
            elif key == "handle_time_s":
                if isinstance(value, str):
                    g = adjustment_factor(value, "handle_time_s")
                elif (
                    isinstance(value, (int, float))
                    and not isinstance(value, bool)
                    and math.isfinite(value)
                    and value > 0
                ):
                    calls = forecast["calls"].to_numpy(float)
                    aht = forecast["handle_time_s"].to_numpy(float)
                    g = float(value) / float((calls * aht).sum() / calls.sum())
                else:
                    raise ParameterError(
                        f"`handle_time_s` must be a relative change ('+10 %') or the new average "
                        f"handle time in seconds (> 0). Got {short_repr(value)}."
                    )
                for column in ("handle_time_s", "handle_time_se_s"):
                    if column in out:
                        out[column] = out[column] * g
            else:
                raise ParameterError(
                    f"`{key}` is not an input of the staffing forecast."
                    f"{did_you_mean(str(key), FORECAST_ADJUSTMENTS)} Inputs: "
                    f"{', '.join(FORECAST_ADJUSTMENTS)}."
                )
        except ParameterError as exc:
            problems.append(str(exc))
    if problems:
        raise ParameterError("\n".join(problems))
    return out
