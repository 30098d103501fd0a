"""Loss exceedance curves and risk-appetite checks shared by the register and FAIR models.

A risk appetite is a set of points ``(loss, max_probability)``: the organisation accepts at most
``max_probability`` a year of a loss above ``loss``. A simulated curve breaches the appetite at
a point when ``P(annual loss > loss) > max_probability``. Points are compared exactly where they
are given (no interpolation between appetite points).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._validation import as_float_array, short_repr
from ..exceptions import ParameterError

__all__ = ["appetite_breaches", "check_appetite", "loss_exceedance"]


def check_appetite(appetite: Any) -> pd.DataFrame:
    """Validate appetite points: a DataFrame with ``loss`` and ``max_probability`` or a dict.

    Returns a DataFrame sorted by loss.

    Examples
    --------
    >>> check_appetite({1e6: 0.1, 5e5: 0.25})["loss"].tolist()
    [500000.0, 1000000.0]
    """
    if isinstance(appetite, Mapping):
        frame = pd.DataFrame({"loss": list(appetite), "max_probability": list(appetite.values())})
    elif isinstance(appetite, pd.DataFrame):
        missing = [c for c in ("loss", "max_probability") if c not in appetite.columns]
        if missing:
            raise ParameterError(
                f"`appetite` needs columns `loss` and `max_probability`. Missing {missing}; got "
                f"{list(appetite.columns)}."
            )
        frame = appetite[["loss", "max_probability"]].copy()
    else:
        raise ParameterError(
            "`appetite` must be a DataFrame with columns `loss`, `max_probability` or a dict "
            f"loss -> max_probability. Got {short_repr(appetite)}."
        )
    if frame.empty:
        raise ParameterError("`appetite` holds no points. Give at least one loss level.")
    loss = as_float_array(frame["loss"], "appetite loss", ndim=1)
    prob = as_float_array(frame["max_probability"], "appetite max_probability", ndim=1)
    if np.any(loss < 0):
        raise ParameterError(f"appetite `loss` must be 0 or more. Got {loss[loss < 0][0]:g}.")
    bad = (prob < 0) | (prob > 1)
    if bad.any():
        p = prob[bad][0]
        hint = f" Use {p / 100:g} for {p:g} %." if p > 1 else ""
        raise ParameterError(
            f"appetite `max_probability` must be an annual probability in [0, 1]. Got {p:g}.{hint}"
        )
    out = pd.DataFrame({"loss": loss, "max_probability": prob})
    return out.sort_values("loss", kind="stable").reset_index(drop=True)


def loss_exceedance(sorted_losses: np.ndarray, n_points: int = 201) -> pd.DataFrame:
    """Loss exceedance curve of sorted annual losses: ``loss``, ``probability_exceeding``.

    ``probability_exceeding`` is the share of years with a loss strictly above ``loss``; the
    losses are the quantiles at ``n_points`` equally spaced levels.

    Examples
    --------
    >>> loss_exceedance(np.array([0.0, 0.0, 10.0, 20.0]), 3)["probability_exceeding"].tolist()
    [0.5, 0.5, 0.0]
    """
    y = np.asarray(sorted_losses, dtype=float)
    values = np.quantile(y, np.linspace(0.0, 1.0, int(n_points)))
    prob = 1.0 - np.searchsorted(y, values, side="right") / y.size
    return pd.DataFrame({"loss": values, "probability_exceeding": prob})


def appetite_breaches(sorted_losses: np.ndarray, points: pd.DataFrame) -> pd.DataFrame:
    """Compare the simulated exceedance probability with the appetite at each point.

    Returns the appetite points with ``probability_exceeding`` and ``breached`` columns.

    Examples
    --------
    >>> pts = check_appetite({10.0: 0.3, 15.0: 0.2})
    >>> appetite_breaches(np.array([0.0, 0.0, 12.0, 20.0]), pts)["breached"].tolist()
    [True, True]
    """
    y = np.asarray(sorted_losses, dtype=float)
    out = points.copy()
    out["probability_exceeding"] = 1.0 - np.searchsorted(y, out["loss"], side="right") / y.size
    out["breached"] = out["probability_exceeding"] > out["max_probability"]
    return out
