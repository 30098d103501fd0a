"""Result of :func:`~cio_analytics.portfolio.select_portfolio` and the downside measures.

:func:`downside` defines the risk measures exactly as the optimiser uses them, so a selection's
reported downside and the MILP objective agree to the last digit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import deprecated_field, renamed_kwargs
from .._validation import check_choice, check_magnitude, check_probability
from ..exceptions import ParameterError
from .model import Constraints, Portfolio

__all__ = ["PortfolioSelection", "downside"]


@renamed_kwargs(level="tail_share")
def downside(values: Any, measure: str, tail_share: float) -> Any:
    """Downside of portfolio NPV over scenarios, as the optimiser defines it.

    Parameters
    ----------
    values : array_like
        Portfolio NPV per scenario; the last axis is the scenario axis.
    measure : {"expected_shortfall", "percentile"}
        ``expected_shortfall``: mean of the worst ``tail_share`` of scenarios (fractional
        weight on the boundary scenario, Rockafellar-Uryasev). ``percentile``: the lower
        empirical ``tail_share``-quantile, the ``floor(tail_share * S) + 1``-th smallest value
        (the value that at least ``1 - tail_share`` of scenarios reach).
    tail_share : float
        Share of worst scenarios in (0, 1), e.g. 0.1. Formerly ``level`` (deprecated alias).

    Examples
    --------
    >>> v = np.arange(1.0, 11.0)  # 1..10
    >>> float(downside(v, "expected_shortfall", 0.2)), float(downside(v, "percentile", 0.2))
    (1.5, 3.0)
    """
    measure = check_choice(measure, "measure", ("expected_shortfall", "percentile"))
    tail_share = float(check_probability(tail_share, "tail_share"))
    if not 0 < tail_share < 1:
        raise ParameterError(
            f"`tail_share` must be a share of worst scenarios in (0, 1), e.g. 0.1 for the worst "
            f"10 %. Got {tail_share:g}."
        )
    v = np.sort(np.asarray(check_magnitude(values, "values", "amount"), dtype=float), axis=-1)
    if v.ndim == 0 or v.shape[-1] == 0:
        raise ParameterError(
            f"`values` must hold at least one scenario on its last axis. Got shape {v.shape}."
        )
    s = v.shape[-1]
    if measure == "percentile":
        return v[..., min(math.floor(tail_share * s + 1e-9), s - 1)]
    k = max(math.ceil(tail_share * s - 1e-9), 1)
    t = v[..., k - 1]
    return t - np.maximum(t[..., None] - v, 0.0).sum(axis=-1) / (tail_share * s)


@dataclass(frozen=True)
class PortfolioSelection:
    """The recommended portfolio and how it uses the budget and capacity.

    Attributes
    ----------
    portfolio, constraints : Portfolio, Constraints
        The inputs, echoed.
    objective : str
        ``expected_value``, ``expected_shortfall`` or ``percentile``.
    tail_share : float
        Tail share of the downside measures.
    status : str
        ``optimal`` (proved to ``mip_rel_gap``), ``time_limit`` (best found, gap stated) or
        ``infeasible`` (``shortfall`` says what would make it feasible).
    selected : tuple of str
        Ids of the chosen projects, in table order.
    expected_value : float
        Sum of the expected NPVs of the selected projects (currency).
    objective_value, bound, mip_gap : float
        The optimiser's objective (currency), HiGHS's dual bound on it and the relative gap
        ``|bound - objective| / |objective|`` (0 when proved optimal).
    downside : float
        The selection's downside measure at ``tail_share`` over the scenarios (NaN without
        scenarios).
    projects : DataFrame
        Per project: ``name``, ``selected``, ``mandatory``, ``npv``, ``cost_total``,
        ``strategic_score``, ``needed_by`` (selected projects that need it), ``status``.
    budget_use : DataFrame
        Per year: ``budget``, ``used``, ``remaining``, ``share_used``.
    capacity_use : DataFrame
        Per skill and year: ``capacity``, ``used``, ``remaining``.
    shortfall : DataFrame
        Empty unless infeasible: see :func:`mandatory_shortfall`.
    message : str
        Solver message or the infeasibility explanation.
    solve_time_s : float
        Wall time of the solve.
    n_scenarios, seed : int or None
        The scenarios behind a risk objective and the seed that drew them.
    """

    portfolio: Portfolio
    constraints: Constraints
    objective: str
    tail_share: float
    status: str
    selected: tuple[str, ...]
    expected_value: float
    objective_value: float
    bound: float
    mip_gap: float
    downside: float
    projects: pd.DataFrame
    budget_use: pd.DataFrame
    capacity_use: pd.DataFrame
    shortfall: pd.DataFrame
    message: str
    solve_time_s: float
    n_scenarios: int | None = None
    seed: int | None = None
    x: np.ndarray = field(default=None, repr=False, compare=False)  # type: ignore[assignment]

    level = deprecated_field("tail_share", "level")

    @property
    def feasible(self) -> bool:
        """False when no portfolio satisfies the constraints."""
        return self.status != "infeasible"

    @property
    def n_selected(self) -> int:
        """Number of selected projects."""
        return len(self.selected)

    @property
    def total_cost(self) -> float:
        """Spend of the selected projects over every year (currency)."""
        return float(self.budget_use["used"].sum())

    def summary(self) -> pd.DataFrame:
        """Tidy headline figures: ``metric``, ``value``, ``unit``."""
        cur = self.portfolio.currency
        rows = [("status", self.status, ""), ("objective", self.objective, ""),
                ("n_selected", self.n_selected, "projects"),
                ("expected_value", self.expected_value, cur),
                ("objective_value", self.objective_value, cur), ("bound", self.bound, cur),
                ("mip_gap", self.mip_gap, "ratio"), ("downside", self.downside, cur),
                ("total_cost", self.total_cost, cur), ("solve_time_s", self.solve_time_s, "s")]  # fmt: skip
        rows += [(f"budget_used_{y}", r.used, cur) for y, r in self.budget_use.iterrows()]
        rows += [(f"shortfall_{r.constraint}_{r.year}_{r.skill}".rstrip("_"), r.shortfall, "")
                 for r in self.shortfall.itertuples()]  # fmt: skip
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])
