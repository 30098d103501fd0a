"""The efficient frontier of expected value against downside risk (epsilon-constraint)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import deprecated_field, renamed_kwargs
from .._validation import check_choice, check_int, check_nonnegative
from ..exceptions import ParameterError
from .model import Constraints, Portfolio, mandatory_shortfall
from .select import _check_tail_share, downside, scenario_matrix, solve

__all__ = ["FrontierResult", "efficient_frontier"]

MEASURES = ("expected_shortfall", "percentile")


@dataclass(frozen=True)
class FrontierResult:
    """Portfolios that trade expected NPV for a better downside.

    Attributes
    ----------
    portfolio, constraints : Portfolio, Constraints
        The inputs, echoed.
    measure : str
        ``expected_shortfall`` or ``percentile`` of portfolio NPV over the scenarios.
    tail_share : float
        Share of worst scenarios behind the measure (0.1: the worst 10 % / the P10).
    points : DataFrame
        One row per frontier portfolio, from most expected value to best downside:
        ``downside_floor`` (the epsilon imposed), ``expected_value``, ``downside``,
        ``n_selected``, ``selected`` (``;``-joined ids), ``mip_gap``, ``status``. Repeats of
        the same portfolio and dominated points (another point is at least as good on both
        axes and better on one) are dropped.
    n_scenarios, seed : int
        The scenarios the downside is measured on and the seed that drew them.
    """

    portfolio: Portfolio
    constraints: Constraints
    measure: str
    tail_share: float
    points: pd.DataFrame
    n_scenarios: int
    seed: int | None

    level = deprecated_field("tail_share", "level")

    @property
    def max_value(self) -> pd.Series:
        """The frontier point with the highest expected value."""
        return self.points.iloc[0]

    @property
    def min_risk(self) -> pd.Series:
        """The frontier point with the best downside."""
        return self.points.iloc[-1]

    def summary(self) -> pd.DataFrame:
        """Tidy figures: both ends of the frontier and its number of points."""
        cur = self.portfolio.currency
        rows = [("n_points", len(self.points), ""),
                ("max_expected_value", float(self.max_value["expected_value"]), cur),
                ("downside_at_max_value", float(self.max_value["downside"]), cur),
                ("best_downside", float(self.min_risk["downside"]), cur),
                ("expected_value_at_best_downside", float(self.min_risk["expected_value"]), cur)]  # fmt: skip
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


@renamed_kwargs(level="tail_share", n_scenarios="n_trials")
def efficient_frontier(portfolio: Portfolio, constraints: Constraints, *,
                       measure: str = "expected_shortfall", tail_share: float = 0.1,
                       n_points: int = 8, scenarios: Any = None, n_trials: int = 500,
                       rng: int | np.random.Generator | None = None,
                       within_driver: float = 0.5, between_drivers: float = 0.0,
                       time_limit_s: float = 60.0, mip_rel_gap: float = 0.0) -> FrontierResult:  # fmt: skip
    """Trace the best expected NPV for each floor on the downside (epsilon-constraint method).

    Parameters
    ----------
    portfolio, constraints : Portfolio, Constraints
        Candidates and limits, as for :func:`select_portfolio`.
    measure : {"expected_shortfall", "percentile"}
        Downside measure of portfolio NPV (higher is better), see :func:`downside`.
    tail_share : float
        Share of worst scenarios in (0, 0.5]. Formerly ``level`` (deprecated alias).
    n_points : int
        Floors between the two ends (>= 2); identical portfolios are listed once.
    scenarios, n_trials, rng, within_driver, between_drivers
        Scenarios of project NPVs, as for :func:`select_portfolio` (``n_trials`` was
        ``n_scenarios``, a deprecated alias).
    time_limit_s, mip_rel_gap : float
        Passed to each MILP.

    Returns
    -------
    FrontierResult

    Notes
    -----
    End A maximises expected value (its downside is ``D_A``); end B maximises the downside
    ``D_B`` and, among those portfolios, the expected value. For ``n_points`` floors
    ``eps`` evenly spaced in ``[D_A, D_B]`` the MILP maximises expected value subject to
    ``downside >= eps`` (Haimes et al. 1971), with the Rockafellar-Uryasev linear form for
    expected shortfall and one binary per scenario for the percentile. Every point is optimal
    for its floor, so the frontier is exact on the scenarios, not a heuristic.

    References
    ----------
    Y. Y. Haimes, L. S. Lasdon, D. A. Wismer, "On a bicriterion formulation of the problems of
    integrated system identification and system optimization", IEEE Trans. SMC 1(3), 1971.

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["safe", "bold"], "npv": [10.0, 14.0], "npv_low": [8.0, -30.0],
    ...                   "npv_high": [12.0, 50.0], "cost_2027": [5.0, 5.0], "excludes": ["bold", ""]})
    >>> f = efficient_frontier(Portfolio.from_table(t), Constraints({2027: 10.0}), n_points=3, rng=1)
    >>> f.points["selected"].tolist()
    ['bold', 'safe']
    """
    measure = check_choice(measure, "measure", MEASURES)
    tail_share = _check_tail_share(tail_share)
    n_points = check_int(n_points, "n_points", minimum=2)
    time_limit_s = float(check_nonnegative(time_limit_s, "time_limit_s"))
    constraints.check_against(portfolio)
    short = mandatory_shortfall(portfolio, constraints)
    if not short.empty:
        raise ParameterError("The constraints are infeasible, so there is no frontier: "
                             + "; ".join(f"{r.constraint} {r.year} {r.skill}: short by "
                                         f"{r.shortfall:,.6g}" for r in short.itertuples()))  # fmt: skip
    v, seed = scenario_matrix(portfolio, scenarios, n_trials, rng, within_driver, between_drivers)
    opts = {
        "tail_share": tail_share,
        "scenarios": v,
        "time_limit_s": time_limit_s,
        "mip_rel_gap": mip_rel_gap,
    }
    top = solve(portfolio, constraints, **opts)
    best = solve(portfolio, constraints, objective=measure, **opts)
    if top.x is None or best.x is None:
        raise ParameterError(f"No feasible portfolio: {top.message or best.message}")
    d_a = float(downside(v[:, top.x].sum(axis=1), measure, tail_share))
    d_b = best.objective
    tol = 1e-9 * max(abs(d_a), abs(d_b), 1.0)
    floors = np.linspace(d_a, d_b, n_points) if d_b > d_a + tol else np.array([d_a])
    rows = []
    for k, eps in enumerate(floors):
        floor = eps - tol if k == len(floors) - 1 else eps
        raw = solve(portfolio, constraints, risk_floor=(measure, floor), **opts)
        if raw.x is None:  # cannot happen for eps <= D_B; kept for solver time limits
            continue
        ids = np.asarray(portfolio.ids)[raw.x]
        rows.append((float(eps), raw.objective, float(downside(v[:, raw.x].sum(axis=1), measure, tail_share)),
                     int(raw.x.sum()), ";".join(ids), raw.gap, raw.status))  # fmt: skip
    cols = [
        "downside_floor",
        "expected_value",
        "downside",
        "n_selected",
        "selected",
        "mip_gap",
        "status",
    ]
    points = pd.DataFrame(rows, columns=cols).drop_duplicates("selected")
    ev, dn = points["expected_value"].to_numpy(), points["downside"].to_numpy()
    tie = 1e-9 * max(float(np.abs(ev).max()), 1.0)
    dominated = [bool(np.any((ev >= ev[i] - tie) & (dn >= dn[i] - tie) & ((ev > ev[i] + tie) | (dn > dn[i] + tie))))
                 for i in range(len(points))]  # fmt: skip
    points = points[~np.array(dominated, dtype=bool)].reset_index(drop=True)
    return FrontierResult(
        portfolio, constraints, measure, tail_share, points, int(v.shape[0]), seed
    )
