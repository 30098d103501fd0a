"""Occurrence exceedance: the chance that the largest single loss of a year exceeds a threshold.

Aggregate exceedance (the loss exceedance curve, AEP) asks "how likely is a year whose losses
add up to more than x?"; occurrence exceedance (OEP) asks "how likely is a year with at least
one single loss above x?". The OEP is never above the AEP at the same x (the largest loss of a
year is at most the year's total), and the gap shows how much of the tail comes from many
moderate losses rather than one large one.

References
----------
Grossi, P. and Kunreuther, H. (2005). *Catastrophe Modeling: A New Approach to Managing Risk*,
Springer, section 2.3 (occurrence and aggregate exceedance probability).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._validation import as_float_array

__all__ = ["exceedance_probability", "max_by_year", "occurrence_curve"]


def max_by_year(values: np.ndarray, year: np.ndarray, n: int) -> np.ndarray:
    """Largest of ``values`` per year (0 in years without events); ``year`` non-decreasing.

    Examples
    --------
    >>> max_by_year(np.array([3.0, 5.0, 2.0]), np.array([0, 0, 2]), 4).tolist()
    [5.0, 0.0, 2.0, 0.0]
    """
    out = np.zeros(n)
    if year.size == 0:
        return out
    starts = np.flatnonzero(np.r_[True, year[1:] != year[:-1]])
    out[year[starts]] = np.maximum.reduceat(np.asarray(values, dtype=float), starts)
    return out


def exceedance_probability(sorted_values: np.ndarray, threshold: Any) -> Any:
    """Share of years with a value strictly above ``threshold`` (scalar in, scalar out).

    Examples
    --------
    >>> exceedance_probability(np.array([0.0, 1.0, 5.0, 9.0]), [0.5, 5.0])
    array([0.75, 0.25])
    """
    t = as_float_array(threshold, "threshold", allow_inf=True)
    out = 1.0 - np.searchsorted(sorted_values, t, side="right") / sorted_values.size
    return float(out) if out.ndim == 0 else out


def occurrence_curve(sorted_values: np.ndarray, n_points: int = 201) -> pd.DataFrame:
    """OEP curve: ``loss`` (quantiles of the largest loss) and ``probability_exceeding``."""
    values = np.quantile(sorted_values, np.linspace(0.0, 1.0, int(n_points)))
    prob = 1.0 - np.searchsorted(sorted_values, values, side="right") / sorted_values.size
    return pd.DataFrame({"loss": values, "probability_exceeding": prob})
