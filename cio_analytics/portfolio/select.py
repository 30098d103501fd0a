"""Optimal project selection: a mixed-integer program solved exactly by HiGHS.

:func:`select_portfolio` chooses the projects (0/1 decisions ``x``) that maximise expected NPV,
or a downside measure of portfolio NPV over sampled scenarios, subject to the budget of every
year, FTE capacity per skill and year, dependencies, exclusions, mandatory projects and an
optional average strategic score. ``scipy.optimize.milp`` (HiGHS branch and cut) proves the
optimum to the requested relative gap; the gap and the dual bound are reported.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from .._deprecation import renamed_kwargs
from .._validation import check_choice, check_nonnegative, check_probability
from ..exceptions import ConvergenceError, ParameterError
from .model import Constraints, Portfolio, mandatory_shortfall
from .results import PortfolioSelection, downside

__all__ = ["OBJECTIVES", "PortfolioSelection", "downside", "select_portfolio"]

#: Objectives of :func:`select_portfolio`.
OBJECTIVES = ("expected_value", "expected_shortfall", "percentile")


@dataclass
class _Raw:
    status: str
    x: np.ndarray | None
    objective: float = float("nan")
    bound: float = float("nan")
    gap: float = float("nan")
    time_s: float = 0.0
    message: str = ""


def _check_scenarios(portfolio: Portfolio, scenarios: Any) -> np.ndarray:
    if isinstance(scenarios, pd.DataFrame):
        missing = [p for p in portfolio.ids if p not in scenarios.columns]
        if missing:
            raise ParameterError(f"`scenarios` has no column for project {missing[0]!r}. Use "
                                 "project_scenarios(portfolio, ...) to draw them.")  # fmt: skip
        scenarios = scenarios[list(portfolio.ids)]
    v = np.asarray(scenarios, dtype=float)
    if v.ndim != 2 or v.shape[1] != portfolio.n_projects or v.shape[0] < 2:
        raise ParameterError(
            f"`scenarios` must be a (n_scenarios >= 2, n_projects={portfolio.n_projects}) array "
            f"of project NPVs. Got shape {v.shape}."
        )
    if not np.isfinite(v).all():
        raise ParameterError("`scenarios` must be finite (no NaN or infinity).")
    return v


class _Builder:
    """Rows of the constraint matrix, accumulated as (row, column, value) triplets."""

    def __init__(self) -> None:
        self.r: list[np.ndarray] = []
        self.c: list[np.ndarray] = []
        self.v: list[np.ndarray] = []
        self.lo: list[float] = []
        self.hi: list[float] = []

    def add(self, cols, vals, lo: float, hi: float, scale: float = 1.0) -> None:
        cols, vals = np.asarray(cols, dtype=int), np.asarray(vals, dtype=float) / scale
        self.r.append(np.full(cols.size, len(self.lo)))
        self.c.append(cols)
        self.v.append(vals)
        self.lo.append(lo / scale)
        self.hi.append(hi / scale)

    def matrix(self, n_vars: int) -> LinearConstraint | None:
        if not self.lo:
            return None
        a = sparse.csr_array((np.concatenate(self.v), (np.concatenate(self.r), np.concatenate(self.c))),
                             shape=(len(self.lo), n_vars))  # fmt: skip
        return LinearConstraint(a, np.array(self.lo), np.array(self.hi))


def _feasibility_rows(b: _Builder, portfolio: Portfolio, constraints: Constraints) -> None:
    n = portfolio.n_projects
    idx = np.arange(n)
    costs = portfolio.costs.to_numpy()
    for t, y in enumerate(portfolio.years):
        col, cap = costs[:, t], float(constraints.budget[y])
        if col.any():
            b.add(idx[col > 0], col[col > 0], -np.inf, cap, max(cap, col.max()))
    demand = portfolio.fte_demand()
    for k, s in enumerate(portfolio.skills):
        for t, y in enumerate(portfolio.years):
            col = demand[:, k, t]
            if col.any():
                cap = float(constraints.capacity.loc[s, y])
                b.add(idx[col > 0], col[col > 0], -np.inf, cap, max(cap, col.max()))
    pos = {p: i for i, p in enumerate(portfolio.ids)}
    for proj, req in portfolio.needs:
        b.add([pos[proj], pos[req]], [1.0, -1.0], -np.inf, 0.0)
    for a, c in portfolio.excludes:
        b.add([pos[a], pos[c]], [1.0, 1.0], -np.inf, 1.0)
    m = constraints.min_average_score
    if m is not None:
        d = portfolio.projects["strategic_score"].to_numpy() - m
        b.add(idx, d, 0.0, np.inf, max(np.abs(d).max(), 1e-12))


def _risk_block(b: _Builder, v: np.ndarray, n: int, measure: str, tail_share: float):
    """Add the scenario rows of a downside measure; return (n_vars, risk coefficients, integrality, lb, ub)."""
    s = v.shape[0]
    t = n  # index of the threshold variable; one variable w_s per scenario follows
    nv = n + 1 + s
    risk = np.zeros(nv)
    risk[t] = 1.0
    integ = np.zeros(nv)
    integ[:n] = 1
    lb, ub = np.zeros(nv), np.ones(nv)
    low_s, up_s = np.minimum(v, 0).sum(axis=1), np.maximum(v, 0).sum(axis=1)
    lb[t], ub[t] = low_s.min(), up_s.max()
    if measure == "expected_shortfall":
        risk[n + 1 :] = -1.0 / (tail_share * s)
        ub[n + 1 :] = np.inf
        big = np.ones(s)
    else:
        integ[n + 1 :] = 1
        big = ub[t] - low_s  # M_s: t - V_s.x never exceeds it
        k = math.floor(tail_share * s + 1e-9)
        b.add(np.arange(n + 1, nv), np.ones(s), -np.inf, float(k))
    # vectorised scenario rows: columns x (n), t, w_s
    base = len(b.lo)
    cols = np.concatenate([np.tile(np.arange(n), s), np.full(s, t), n + 1 + np.arange(s)])
    rws = np.concatenate([np.repeat(np.arange(s), n), np.arange(s), np.arange(s)]) + base
    vals = np.concatenate([-v.ravel(), np.ones(s), -big])
    b.r.append(rws)
    b.c.append(cols)
    b.v.append(vals)
    b.lo.extend([-np.inf] * s)
    b.hi.extend([0.0] * s)
    return nv, risk, integ, lb, ub


def solve(portfolio: Portfolio, constraints: Constraints, *, objective: str = "expected_value",
          tail_share: float = 0.1, scenarios: np.ndarray | None = None,
          risk_floor: tuple[str, float] | None = None, time_limit_s: float = 60.0,
          mip_rel_gap: float = 0.0) -> _Raw:  # fmt: skip
    """Solve one selection MILP (internal; inputs already validated)."""
    n = portfolio.n_projects
    npv = portfolio.projects["npv"].to_numpy()
    scale = max(float(np.abs(npv).max()), 1.0)
    if scenarios is not None:
        scale = max(scale, float(np.abs(scenarios).max()))
    b = _Builder()
    _feasibility_rows(b, portfolio, constraints)
    measure = (
        objective if objective != "expected_value" else (risk_floor[0] if risk_floor else None)
    )
    if measure is None:
        nv, integ = n, np.ones(n)
        lb, ub = np.zeros(n), np.ones(n)
        c = -npv / scale
    else:
        nv, risk, integ, lb, ub = _risk_block(b, scenarios / scale, n, measure, tail_share)
        if objective == "expected_value":
            c = np.concatenate([-npv / scale, np.zeros(nv - n)])
            floor = risk_floor[1] / scale
            b.add(np.arange(n, nv), risk[n:], floor, np.inf)
        else:
            c = -risk
    lb[:n] = portfolio.projects["mandatory"].to_numpy(dtype=float)
    start = time.perf_counter()
    res = milp(c, integrality=integ, bounds=Bounds(lb, ub), constraints=b.matrix(nv),
               options={"time_limit": float(time_limit_s), "mip_rel_gap": float(mip_rel_gap)})  # fmt: skip
    elapsed = time.perf_counter() - start
    if res.status == 2 or (res.x is None and res.status != 1):
        return _Raw("infeasible", None, time_s=elapsed, message=str(res.message))
    if res.x is None:
        return _Raw("no_solution", None, time_s=elapsed, message=str(res.message))
    x = np.round(res.x[:n]).astype(bool)
    _verify(portfolio, constraints, x)
    gap = float(getattr(res, "mip_gap", np.nan) or 0.0)
    bound = -float(getattr(res, "mip_dual_bound", -res.fun)) * scale
    status = "optimal" if res.status == 0 else "time_limit"
    # the objective recomputed exactly from the rounded selection (no solver round-off)
    if objective == "expected_value":
        value = float(npv[x].sum())
    else:
        value = float(downside(scenarios[:, x].sum(axis=1), objective, tail_share))
    return _Raw(status, x, value, bound, gap, elapsed, str(res.message))


def _verify(portfolio: Portfolio, constraints: Constraints, x: np.ndarray) -> None:
    """Re-check a rounded solution against every rule (guards against solver tolerances)."""
    used = portfolio.costs.to_numpy()[x].sum(axis=0)
    budget = constraints.budget[list(portfolio.years)].to_numpy()
    bad = used > budget + 1e-7 * np.maximum(budget, 1.0)
    demand = portfolio.fte_demand()[x].sum(axis=0)
    caps = constraints.capacity.reindex(list(portfolio.skills)).fillna(np.inf)
    bad_cap = demand > caps[list(portfolio.years)].to_numpy() + 1e-7
    chosen = set(np.asarray(portfolio.ids)[x])
    broken = [p for p, r in portfolio.needs if p in chosen and r not in chosen]
    broken += [a for a, c in portfolio.excludes if a in chosen and c in chosen]
    broken += [
        p for p in portfolio.ids if portfolio.projects.at[p, "mandatory"] and p not in chosen
    ]
    if bad.any() or bad_cap.any() or broken:
        raise ConvergenceError("HiGHS returned a selection that breaks a constraint after rounding. "
                               "Tighten mip_rel_gap or report the data that triggers it.")  # fmt: skip


def _tables(portfolio: Portfolio, constraints: Constraints, x: np.ndarray):
    info = portfolio.projects
    costs = portfolio.costs
    needed = {p: [] for p in portfolio.ids}
    chosen = set(np.asarray(portfolio.ids)[x])
    for proj, req in portfolio.needs:
        if proj in chosen:
            needed[req].append(proj)
    projects = pd.DataFrame({
        "name": info["name"], "selected": x, "mandatory": info["mandatory"], "npv": info["npv"],
        "cost_total": costs.sum(axis=1), "strategic_score": info["strategic_score"],
        "needed_by": [";".join(needed[p]) for p in portfolio.ids],
    })  # fmt: skip
    projects["status"] = np.where(
        info["mandatory"], "mandatory", np.where(x, "selected", "not selected")
    )
    years = list(portfolio.years)
    budget = constraints.budget[years]
    used = costs[x].sum(axis=0).reindex(years).fillna(0.0)
    budget_use = pd.DataFrame({"budget": budget, "used": used, "remaining": budget - used,
                               "share_used": used / budget.replace(0, np.nan)})  # fmt: skip
    budget_use.index.name = "year"
    demand = portfolio.fte_demand()[x].sum(axis=0)
    rows = []
    for k, s in enumerate(portfolio.skills):
        if s in constraints.capacity.index:
            for t, y in enumerate(years):
                cap = float(constraints.capacity.loc[s, y])
                rows.append((s, y, cap, float(demand[k, t]), cap - float(demand[k, t])))
    capacity_use = pd.DataFrame(rows, columns=["skill", "year", "capacity", "used", "remaining"])
    return projects, budget_use, capacity_use


@renamed_kwargs(level="tail_share", n_scenarios="n_trials")
def select_portfolio(portfolio: Portfolio, constraints: Constraints, *,
                     objective: str = "expected_value", tail_share: float = 0.1,
                     scenarios: Any = None, n_trials: int = 500,
                     rng: int | np.random.Generator | None = None,
                     within_driver: float = 0.5, between_drivers: float = 0.0,
                     time_limit_s: float = 60.0, mip_rel_gap: float = 0.0,
                     on_infeasible: str = "report") -> PortfolioSelection:  # fmt: skip
    """Choose the projects that maximise expected or risk-adjusted NPV within the constraints.

    Parameters
    ----------
    portfolio : Portfolio
        The candidate projects.
    constraints : Constraints
        Budget per year (currency), FTE capacity per skill and year, optional score floor.
    objective : {"expected_value", "expected_shortfall", "percentile"}
        What to maximise: the sum of expected NPVs; the expected shortfall of portfolio NPV (mean
        of the worst ``tail_share`` of scenarios); or the percentile at ``tail_share`` (P10).
    tail_share : float
        Share of worst scenarios for the risk objectives, in (0, 0.5], e.g. 0.1 for the worst
        10 % / P10. Formerly ``level`` (deprecated alias).
    scenarios : DataFrame or array (n_scenarios, n_projects), optional
        Project NPV per scenario for the risk objectives. Drawn with
        :func:`~cio_analytics.portfolio.project_scenarios` when not given.
    n_trials : int
        Scenarios (random trials) to draw when ``scenarios`` is None (the percentile objective
        adds one binary per scenario: keep it in the hundreds). Formerly ``n_scenarios``
        (deprecated alias).
    rng : None, int or Generator
        Seed of the scenarios (unused for ``expected_value``).
    within_driver, between_drivers : float
        Rank correlation of project NPVs that share a ``risk_driver`` / that do not.
    time_limit_s : float
        Solver time limit (s); on expiry the best portfolio found is returned with its gap.
    mip_rel_gap : float
        Relative optimality gap at which HiGHS stops; 0 (default) proves the optimum.
    on_infeasible : {"report", "raise"}
        Return an ``infeasible`` result with the shortfall (default) or raise ParameterError.

    Returns
    -------
    PortfolioSelection

    Notes
    -----
    With ``x_i`` in {0, 1}: maximise ``sum_i v_i x_i`` subject to
    ``sum_i c_it x_i <= B_t`` for every year t, ``sum_i f_ik a_it x_i <= F_kt`` for every
    skill k and year t (``a_it`` = 1 if project i spends in year t), ``x_B <= x_A`` when B needs
    A, ``x_A + x_B <= 1`` for exclusions, ``x_i = 1`` for mandatory projects and
    ``sum_i (s_i - m) x_i >= 0`` for a score floor m. Expected shortfall at tail share q over S
    scenarios uses the linear form of Rockafellar and Uryasev (2000):
    ``max t - 1/(qS) sum_s u_s`` with ``u_s >= t - V_s . x``, ``u_s >= 0``. The percentile uses
    one binary ``z_s`` per scenario: ``t <= V_s . x + M_s z_s``, ``sum_s z_s <= floor(qS)``.

    References
    ----------
    R. T. Rockafellar and S. Uryasev, "Optimization of conditional value-at-risk", Journal of
    Risk 2(3), 2000, 21-41. Q. Huangfu and J. A. J. Hall, "Parallelizing the dual revised
    simplex method", Math. Prog. Comp. 10, 2018 (HiGHS).

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["A", "B", "C"], "npv": [60.0, 100.0, 120.0],
    ...                       "cost_2027": [10.0, 20.0, 30.0]})
    >>> sel = select_portfolio(Portfolio.from_table(table), Constraints({2027: 50.0}))
    >>> sel.selected, sel.expected_value, sel.status
    (('B', 'C'), 220.0, 'optimal')
    """
    objective = check_choice(objective, "objective", OBJECTIVES)
    on_infeasible = check_choice(on_infeasible, "on_infeasible", ("report", "raise"))
    tail_share = _check_tail_share(tail_share)
    time_limit_s = float(check_nonnegative(time_limit_s, "time_limit_s"))
    mip_rel_gap = float(check_nonnegative(mip_rel_gap, "mip_rel_gap"))
    if not isinstance(portfolio, Portfolio) or not isinstance(constraints, Constraints):
        raise ParameterError("Pass a Portfolio (Portfolio.from_table) and Constraints.")
    constraints.check_against(portfolio)
    v, seed = None, None
    if objective != "expected_value":
        v, seed = scenario_matrix(
            portfolio, scenarios, n_trials, rng, within_driver, between_drivers
        )
    return _selection(portfolio, constraints, objective, tail_share, v, seed, time_limit_s, mip_rel_gap,
                      on_infeasible)  # fmt: skip


def _check_tail_share(tail_share: float) -> float:
    tail_share = float(check_probability(tail_share, "tail_share"))
    if not 0 < tail_share <= 0.5:
        raise ParameterError(
            f"`tail_share` must be a share of worst outcomes in (0, 0.5], e.g. 0.1 for the worst "
            f"10 %. Got {tail_share:g}."
        )
    return tail_share


def scenario_matrix(portfolio, scenarios, n_trials, rng, within, between):
    """Validated scenarios, or fresh ones from the risk engine; returns (array, seed)."""
    if scenarios is not None:
        return _check_scenarios(portfolio, scenarios), None
    from .risk import project_scenarios

    frame = project_scenarios(portfolio, n_trials, within_driver=within,
                              between_drivers=between, rng=rng)  # fmt: skip
    return frame.to_numpy(), frame.attrs.get("seed")


def _selection(portfolio, constraints, objective, tail_share, v, seed, time_limit_s, mip_rel_gap,
               on_infeasible, risk_floor=None) -> PortfolioSelection:  # fmt: skip
    short = mandatory_shortfall(portfolio, constraints)
    if short.empty:
        raw = solve(portfolio, constraints, objective=objective, tail_share=tail_share, scenarios=v,
                    risk_floor=risk_floor, time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap)  # fmt: skip
        if objective != "expected_value" and raw.x is not None:
            # among the portfolios with the best downside, take the one with most expected value
            tol = 1e-9 * max(abs(raw.objective), 1.0)
            best = solve(portfolio, constraints, tail_share=tail_share, scenarios=v, time_limit_s=time_limit_s,
                         risk_floor=(objective, raw.objective - tol), mip_rel_gap=mip_rel_gap)  # fmt: skip
            if best.x is not None:
                raw.x = best.x
    else:
        raw = _Raw("infeasible", None)
    if raw.x is None:
        msg = _infeasible_message(short, raw, constraints)
        if on_infeasible == "raise":
            raise ParameterError(msg)
        x = np.zeros(portfolio.n_projects, dtype=bool)
        raw.status, raw.message = "infeasible", msg
    else:
        x = raw.x
    projects, budget_use, capacity_use = _tables(portfolio, constraints, x)
    down = float("nan")
    if v is not None and raw.x is not None:
        measure = objective if objective != "expected_value" else risk_floor[0]
        down = float(downside(v[:, x].sum(axis=1), measure, tail_share))
    return PortfolioSelection(
        portfolio, constraints, objective, tail_share, raw.status, tuple(str(i) for i in np.asarray(portfolio.ids)[x]),
        float(portfolio.projects["npv"].to_numpy()[x].sum()), raw.objective, raw.bound, raw.gap,
        down, projects, budget_use, capacity_use, short, raw.message, raw.time_s,
        None if v is None else int(v.shape[0]), seed, x,
    )  # fmt: skip


def _infeasible_message(short: pd.DataFrame, raw: _Raw, constraints: Constraints) -> str:
    if short.empty:
        extra = (" The average strategic score floor cannot be met: lower `min_average_score`."
                 if constraints.min_average_score is not None else "")  # fmt: skip
        return f"No portfolio satisfies the constraints ({raw.message}).{extra}"
    parts = []
    for r in short.itertuples():
        if r.constraint == "budget":
            parts.append(f"budget {r.year}: needs {r.required:,.0f}, has {r.available:,.0f} "
                         f"(add {r.shortfall:,.0f})")  # fmt: skip
        elif r.constraint == "capacity":
            parts.append(f"{r.skill} FTE {r.year}: needs {r.required:g}, has {r.available:g} "
                         f"(add {r.shortfall:g})")  # fmt: skip
        else:
            parts.append(r.detail)
    return ("Infeasible: the mandatory projects and their prerequisites alone break the "
            "constraints. To make it feasible: " + "; ".join(parts) + ".")  # fmt: skip
