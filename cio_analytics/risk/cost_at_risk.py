"""Next year's cost at risk: planned spend scaled by an uncertain overrun, plus risk losses."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import as_float_array, check_magnitude
from ..exceptions import ParameterError

__all__ = ["cost_at_risk"]


def cost_at_risk(budget: Any, overrun_ratio: Any, risk_losses: Any = 0.0) -> Any:
    """Cost of a year's planned spend when it overruns and risks occur, per trial.

    Parameters
    ----------
    budget : float
        The planned spend (currency, > 0).
    overrun_ratio : float or array_like
        Actual cost over budget per trial (1.2 = 20 % over), e.g. draws of a distribution
        fitted to past projects with :func:`~cio_analytics.risk.fit_distribution`.
    risk_losses : float or array_like, default 0
        The register's annual loss per trial (currency, >= 0).

    Returns
    -------
    float or ndarray
        ``budget * overrun_ratio + risk_losses``, broadcast (scalar in, scalar out).

    Notes
    -----
    A vectorised model for :func:`~cio_analytics.risk.simulate` and
    :func:`~cio_analytics.risk.sobol_indices`: bind the budget with ``functools.partial`` and
    the named inputs ``overrun_ratio`` and ``risk_losses`` are drawn.

    Examples
    --------
    >>> cost_at_risk(1_000_000, [0.9, 1.2], [0, 50_000]).tolist()
    [900000.0, 1250000.0]
    """
    b = float(as_float_array(budget, "budget"))
    if not b > 0:
        raise ParameterError(f"`budget` must be more than 0. Got {b:,.2f}.")
    ratio = as_float_array(overrun_ratio, "overrun_ratio")
    if (ratio < 0).any():
        raise ParameterError(
            f"`overrun_ratio` cannot be negative (1.2 means 20 % over budget). "
            f"Got {float(ratio[ratio < 0].flat[0]):g}."
        )
    losses = as_float_array(risk_losses, "risk_losses")
    check_magnitude(b, "budget", "amount")
    check_magnitude(ratio, "overrun_ratio", "number")
    check_magnitude(losses, "risk_losses", "amount")
    out = b * ratio + losses
    return float(out) if np.ndim(out) == 0 else out
