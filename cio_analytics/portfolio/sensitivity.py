"""What more budget or capacity is worth, and how the selection moves with the budget."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from .._validation import as_float_array, check_nonnegative, check_positive
from ..exceptions import ParameterError
from .model import Constraints, Portfolio, mandatory_shortfall
from .select import _Builder, _feasibility_rows, solve

__all__ = ["BudgetSweep", "MarginalValues", "budget_sweep", "marginal_values"]


@dataclass(frozen=True)
class MarginalValues:
    """The value of one more step of budget (per year) or capacity (per skill).

    Attributes
    ----------
    portfolio, constraints : Portfolio, Constraints
        The inputs, echoed.
    base_value : float
        Optimal expected NPV with the constraints as given (currency).
    table : DataFrame
        One row per constraint: ``kind`` ("budget" or "capacity"), ``year``, ``skill``, ``step``
        (budget: currency added to that year; capacity: FTE added to that skill in every year),
        ``value_gain`` (optimal expected NPV with the step minus ``base_value``, from an exact
        re-solve), ``gain_per_unit`` (``value_gain / step``), ``slack`` (what the base portfolio
        leaves unused: currency, or FTE in the tightest year), ``added`` / ``dropped`` (projects that
        enter / leave) and ``lp_shadow_price`` (the dual of the LP relaxation: value per unit
        if projects could be done in fractions; **not** a MILP price, shown for comparison).
    """

    portfolio: Portfolio
    constraints: Constraints
    base_value: float
    table: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """Tidy: ``metric`` (``gain_<kind>_<year or skill>``), ``value``, ``unit``."""
        rows = [(f"gain_{r.kind}_{r.year or r.skill}", r.value_gain, self.portfolio.currency)
                for r in self.table.itertuples()]  # fmt: skip
        return pd.DataFrame([("base_value", self.base_value, self.portfolio.currency), *rows],
                            columns=["metric", "value", "unit"])  # fmt: skip


def _lp_duals(portfolio: Portfolio, constraints: Constraints) -> tuple[np.ndarray, np.ndarray]:
    """LP-relaxation shadow prices of each year's budget and each skill (summed over years)."""
    b = _Builder()
    _feasibility_rows(b, portfolio, constraints)
    n = portfolio.n_projects
    lin = b.matrix(n)
    npv = portfolio.projects["npv"].to_numpy()
    lb = portfolio.projects["mandatory"].to_numpy(dtype=float)
    a = lin.A.toarray() if lin is not None else np.zeros((0, n))
    hi = lin.ub if lin is not None else np.zeros(0)
    lo = lin.lb if lin is not None else np.zeros(0)
    a_ub = np.vstack([a[np.isfinite(hi)], -a[np.isfinite(lo)]])
    b_ub = np.concatenate([hi[np.isfinite(hi)], -lo[np.isfinite(lo)]])
    res = linprog(-npv, A_ub=a_ub if len(b_ub) else None, b_ub=b_ub if len(b_ub) else None,
                  bounds=list(zip(lb, np.ones(n), strict=True)), method="highs")  # fmt: skip
    duals = -res.ineqlin.marginals[: int(np.isfinite(hi).sum())] if res.status == 0 else None
    budget = np.full(len(portfolio.years), np.nan)
    skill = np.full(len(portfolio.skills), np.nan)
    if duals is None:
        return budget, skill
    # rows were scaled by r = max(limit, largest coefficient): price per unit = dual / r
    row = 0
    for t, y in enumerate(portfolio.years):
        col = portfolio.costs[y].to_numpy()
        if col.any():
            budget[t] = duals[row] / max(float(constraints.budget[y]), col.max())
            row += 1
        else:
            budget[t] = 0.0
    demand = portfolio.fte_demand()
    for k, s in enumerate(portfolio.skills):
        total = 0.0
        for t, y in enumerate(portfolio.years):
            col = demand[:, k, t]
            if col.any():
                total += duals[row] / max(float(constraints.capacity.loc[s, y]), col.max())
                row += 1
        skill[k] = total
    return budget, skill


def marginal_values(portfolio: Portfolio, constraints: Constraints, *,
                    budget_step: float | None = None, fte_step: float = 1.0,
                    time_limit_s: float = 60.0) -> MarginalValues:  # fmt: skip
    """Value of one more step of each year's budget and of each skill's capacity.

    Parameters
    ----------
    portfolio, constraints : Portfolio, Constraints
        Candidates and limits.
    budget_step : float, optional
        Currency added to one year's budget at a time (default: 1 % of that year's budget).
    fte_step : float
        FTE added to one skill's capacity in every year at a time (default 1, one hire).
    time_limit_s : float
        Per re-solve.

    Returns
    -------
    MarginalValues

    Notes
    -----
    Each row re-solves the MILP with one limit raised by its step; the gain is exact for that
    step but lumpy (0 until a whole project fits). Duals of a MILP are not prices, so the LP
    relaxation's shadow price is shown beside it, labelled as such.

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["A", "B"], "npv": [50.0, 30.0], "cost_2027": [60.0, 50.0]})
    >>> m = marginal_values(Portfolio.from_table(t), Constraints({2027: 100.0}), budget_step=10.0)
    >>> float(m.base_value), float(m.table["value_gain"].iloc[0])
    (50.0, 30.0)
    """
    fte_step = float(check_positive(fte_step, "fte_step"))
    if budget_step is not None:
        budget_step = float(check_positive(budget_step, "budget_step"))
    constraints.check_against(portfolio)
    if not mandatory_shortfall(portfolio, constraints).empty:
        raise ParameterError("The constraints are infeasible: marginal values are undefined. See "
                             "select_portfolio(...).shortfall for what would make it feasible.")  # fmt: skip
    base = solve(portfolio, constraints, time_limit_s=time_limit_s)
    if base.x is None:
        raise ParameterError(f"No feasible portfolio: {base.message}")
    lp_budget, lp_skill = _lp_duals(portfolio, constraints)
    used = portfolio.costs.to_numpy()[base.x].sum(axis=0)
    demand = portfolio.fte_demand()[base.x].sum(axis=0)
    rows = []
    for t, y in enumerate(portfolio.years):
        cap = float(constraints.budget[y])
        step = budget_step if budget_step is not None else max(0.01 * cap, 1.0)
        new = solve(
            portfolio, constraints.with_change(year=y, budget_delta=step), time_limit_s=time_limit_s
        )
        rows.append(("budget", y, "", step, new, cap - used[t], lp_budget[t]))
    for k, s in enumerate(portfolio.skills):
        if s not in constraints.capacity.index:
            continue
        caps = constraints.capacity.loc[s, list(portfolio.years)].to_numpy()
        new = solve(
            portfolio,
            constraints.with_change(skill=s, fte_delta=fte_step),
            time_limit_s=time_limit_s,
        )
        rows.append(
            ("capacity", "", s, fte_step, new, float(np.min(caps - demand[k])), lp_skill[k])
        )
    ids = np.asarray(portfolio.ids)
    out = []
    for kind, y, s, step, new, slack, lp in rows:
        gain = new.objective - base.objective
        out.append((kind, y, s, step, gain, gain / step, float(slack),
                    ";".join(ids[new.x & ~base.x]), ";".join(ids[base.x & ~new.x]), lp))  # fmt: skip
    cols = ["kind", "year", "skill", "step", "value_gain", "gain_per_unit", "slack", "added",
            "dropped", "lp_shadow_price"]  # fmt: skip
    return MarginalValues(portfolio, constraints, base.objective, pd.DataFrame(out, columns=cols))


@dataclass(frozen=True)
class BudgetSweep:
    """How the optimal selection changes as every year's budget is scaled.

    Attributes
    ----------
    portfolio, constraints : Portfolio, Constraints
        The inputs, echoed (``constraints`` is the 100 % budget).
    table : DataFrame
        One row per scale: ``budget_scale``, ``budget_total``, ``status``, ``n_selected``,
        ``expected_value``, ``value_change`` (against 100 %), ``dropped`` and ``added``
        (``;``-joined ids against the 100 % selection), ``selected``, ``shortfall_total``
        (for an infeasible scale: budget the mandatory projects lack over all years).
    """

    portfolio: Portfolio
    constraints: Constraints
    table: pd.DataFrame

    def at(self, budget_scale: float) -> pd.Series:
        """The row of one scale (e.g. ``at(0.9)`` for 10 % less budget)."""
        hit = np.isclose(self.table["budget_scale"], budget_scale)
        if not hit.any():
            raise ParameterError(f"No row for budget_scale={budget_scale:g}. Scales: "
                                 f"{self.table['budget_scale'].tolist()}.")  # fmt: skip
        return self.table[hit].iloc[0]

    def summary(self) -> pd.DataFrame:
        """Tidy: expected value at each scale."""
        rows = [(f"expected_value_at_{r.budget_scale:g}", r.expected_value, self.portfolio.currency)
                for r in self.table.itertuples()]  # fmt: skip
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def budget_sweep(portfolio: Portfolio, constraints: Constraints, *,
                 scales: Sequence[float] = (0.7, 0.8, 0.9, 1.0, 1.1, 1.2),
                 time_limit_s: float = 60.0) -> BudgetSweep:  # fmt: skip
    """Re-solve the selection with every year's budget multiplied by each scale.

    An infeasible scale (mandatory projects no longer fit) is listed with status
    ``infeasible`` and the budget it lacks, not raised.

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["A", "B"], "npv": [50.0, 30.0], "cost_2027": [60.0, 40.0]})
    >>> s = budget_sweep(Portfolio.from_table(t), Constraints({2027: 100.0}), scales=[0.5, 1.0])
    >>> s.table[["budget_scale", "expected_value", "dropped"]].to_numpy().tolist()
    [[0.5, 30.0, 'A'], [1.0, 80.0, '']]
    """
    arr = as_float_array(scales, "scales", ndim=1, min_size=1)
    check_nonnegative(arr, "scales")
    constraints.check_against(portfolio)
    grid = sorted(set(arr.tolist()) | {1.0})
    ids = np.asarray(portfolio.ids)
    results = {}
    for scale in grid:
        c = constraints.scaled(scale)
        short = mandatory_shortfall(portfolio, c)
        raw = solve(portfolio, c, time_limit_s=time_limit_s) if short.empty else None
        results[scale] = (c, short, raw)
    base_raw = results[1.0][2]
    base_x = (
        base_raw.x if base_raw is not None and base_raw.x is not None else np.zeros(len(ids), bool)
    )
    base_v = base_raw.objective if base_raw is not None and base_raw.x is not None else np.nan
    rows = []
    for scale in sorted(set(arr.tolist())):
        c, short, raw = results[scale]
        budget_total = float(c.budget[list(portfolio.years)].sum())
        if raw is None or raw.x is None:
            lack = (
                float(short.loc[short["constraint"] == "budget", "shortfall"].sum())
                if len(short)
                else np.nan
            )
            rows.append((scale, budget_total, "infeasible", 0, np.nan, np.nan, "", "", "", lack))
            continue
        x = raw.x
        rows.append((scale, budget_total, raw.status, int(x.sum()), raw.objective,
                     raw.objective - base_v, ";".join(ids[base_x & ~x]), ";".join(ids[x & ~base_x]),
                     ";".join(ids[x]), 0.0))  # fmt: skip
    cols = ["budget_scale", "budget_total", "status", "n_selected", "expected_value",
            "value_change", "dropped", "added", "selected", "shortfall_total"]  # fmt: skip
    return BudgetSweep(portfolio, constraints, pd.DataFrame(rows, columns=cols))
