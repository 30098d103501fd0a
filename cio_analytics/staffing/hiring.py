"""Hiring plan: month by month from today's headcount to the requirement, at least cost.

Employees leave at a monthly attrition rate, new hires start ``time_to_hire_months`` after the
requisition and reach full productivity linearly over ``ramp_up_months``; contractors start at
once, fully productive, and cost more. A mixed-integer programme (scipy.optimize.milp, HiGHS)
chooses the hires and contractors per month that cover the requirement at least total cost
within the budget; when no plan exists, the result says what would make one exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from .._validation import as_float_array, check_int, check_nonnegative, check_positive
from ..exceptions import ConvergenceError, ParameterError

__all__ = ["HiringPlan", "hiring_plan"]


@dataclass(frozen=True)
class HiringPlan:
    """A least-cost hiring and contractor plan (or the reason there is none).

    Attributes
    ----------
    current_headcount, monthly_attrition, time_to_hire_months, ramp_up_months,
    employee_cost_per_fte_year, contractor_cost_per_fte_year, cost_per_hire,
    budget_per_month, total_budget, max_contractors, max_hires_per_month, currency
        The inputs, echoed.
    status : {"optimal", "time_limit", "infeasible"}
        ``"optimal"``: cost within ``mip_rel_gap`` of the proven minimum; ``"time_limit"``: the
        best plan found in ``time_limit_s`` (see ``optimality_gap``).
    message : str
        What the plan does, or why there is no plan and what would make one possible.
    total_cost : float
        Cost of the plan over the horizon (NaN when infeasible).
    total_hires : float
        Requisitions over the horizon.
    peak_contractors : float
        Most contractors in any month.
    optimality_gap : float
        Relative gap between the plan's cost and the proven lower bound (HiGHS ``mip_gap``).
    monthly : pandas.DataFrame
        One row per month: ``month, required_fte, hires, starters, employees,
        employee_fte, contractors, capacity_fte, surplus_fte, employee_cost, contractor_cost,
        hiring_cost, total_cost``.
    """

    current_headcount: float
    monthly_attrition: float
    time_to_hire_months: int
    ramp_up_months: int
    employee_cost_per_fte_year: float
    contractor_cost_per_fte_year: float
    cost_per_hire: float
    budget_per_month: Any
    total_budget: float | None
    max_contractors: float | None
    max_hires_per_month: float | None
    currency: str
    status: str
    message: str
    total_cost: float
    total_hires: float
    peak_contractors: float
    optimality_gap: float
    monthly: pd.DataFrame = field(repr=False)

    def summary(self) -> pd.DataFrame:
        """Tidy table of the headline figures (``metric``, ``value``, ``unit``)."""
        m = self.monthly
        rows = [
            ("status", self.status, ""),
            ("total_cost", self.total_cost, self.currency),
            ("total_hires", self.total_hires, "people"),
            ("peak_contractors", self.peak_contractors, "FTE"),
            ("final_employees", float(m["employees"].iloc[-1]) if len(m) else np.nan, "people"),
            ("final_required_fte", float(m["required_fte"].iloc[-1]) if len(m) else np.nan, "FTE"),
        ]
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def _ramp(n: int, ramp_up_months: int) -> np.ndarray:
    """Productivity of a starter in months 0..n-1 of employment: (m + 1) / (k + 1), then 1."""
    m = np.arange(n)
    return np.minimum(1.0, (m + 1) / (ramp_up_months + 1))


def _matrices(n: int, lag: int, attrition: float, ramp_up_months: int):
    """Starters' headcount and productive FTE in month t per hire requested in month s."""
    t = np.arange(n)[:, None]
    s = np.arange(n)[None, :]
    tenure = t - s - lag  # months since the start date
    on = tenure >= 0
    safe = np.where(on, tenure, 0)
    heads = np.where(on, (1 - attrition) ** safe, 0.0)
    prod = heads * _ramp(n, ramp_up_months)[safe]
    return heads, np.where(on, prod, 0.0)


def _solve(c, a_ub, b_ub, upper, integrality, options):
    """min c.x subject to a_ub x <= b_ub, 0 <= x <= upper, with HiGHS branch and bound."""
    return milp(
        c,
        constraints=LinearConstraint(a_ub, -np.inf, b_ub),
        bounds=Bounds(np.zeros(c.size), upper),
        integrality=integrality,
        options=options,
    )


def hiring_plan(
    required_fte: Any,
    *,
    current_headcount: float,
    employee_cost_per_fte_year: float,
    contractor_cost_per_fte_year: float,
    monthly_attrition: float = 0.0,
    time_to_hire_months: int = 0,
    ramp_up_months: int = 0,
    n_months: int | None = None,
    cost_per_hire: float = 0.0,
    budget_per_month: Any = None,
    total_budget: float | None = None,
    max_contractors: float | None = None,
    max_hires_per_month: float | None = None,
    whole_hires: bool = True,
    whole_contractors: bool = False,
    mip_rel_gap: float = 1e-3,
    time_limit_s: float = 10.0,
    currency: str = "EUR",
    raise_on_infeasible: bool = False,
) -> HiringPlan:
    """Least-cost monthly hires and contractors that keep capacity at the requirement.

    Parameters
    ----------
    required_fte : float or array_like
        Productive FTE needed in each month; a single number holds for all ``n_months``.
    current_headcount : float
        Employees today, fully productive.
    employee_cost_per_fte_year, contractor_cost_per_fte_year : float
        Full yearly cost of one employee / one contractor FTE (money per FTE-year).
    monthly_attrition : float, default 0
        Share of employees leaving per month, decimal in [0, 1) (0.015 for 1.5 %).
    time_to_hire_months : int, default 0
        Months from requisition to start date.
    ramp_up_months : int, default 0
        Months a starter needs to reach full productivity (linear, see Notes).
    n_months : int, optional
        Horizon; required when ``required_fte`` is a single number (default 12 then).
    cost_per_hire : float, default 0
        One-off recruiting cost per requisition.
    budget_per_month : float or array_like, optional
        Most the team may cost in a month (employees + contractors + hiring).
    total_budget : float, optional
        Most the plan may cost over the horizon.
    max_contractors, max_hires_per_month : float, optional
        Caps per month.
    whole_hires : bool, default True
        Requisitions in whole people (a mixed-integer programme); False solves the LP.
    whole_contractors : bool, default False
        Contractors in whole FTE; by default contractor FTE may be fractional (part-time or
        days bought), which keeps the programme fast and the bound tight.
    mip_rel_gap : float, default 0.001
        Stop branch and bound once the plan's cost is within this share of the proven lowest
        cost (HiGHS ``mip_rel_gap``); the result's ``optimality_gap`` reports the gap reached.
    time_limit_s : float, default 10
        Solver time limit in seconds; the best plan found by then is returned with status
        ``"time_limit"`` and its gap.
    currency : str, default "EUR"
    raise_on_infeasible : bool, default False
        Raise :class:`~cio_analytics.exceptions.ConvergenceError` instead of returning a result
        with ``status="infeasible"``.

    Returns
    -------
    HiringPlan

    Notes
    -----
    Month ``t = 0`` is the first month of the plan. With attrition ``a``, lag ``L`` and ramp-up
    ``k``, a requisition of ``h_s`` in month ``s`` gives ``h_s (1 - a)^(t-s-L)`` employees in
    month ``t >= s + L``, each producing ``min(1, (t - s - L + 1) / (k + 1))`` FTE (so ``k``
    months below full productivity: with ``k = 2``, 1/3 then 2/3 then 1). Today's staff give
    ``E0 (1 - a)^t``. The programme minimises
    ``sum_t [c_e/12 * employees_t + c_c/12 * contractors_t + cost_per_hire * h_t]`` subject to
    ``employee_fte_t + contractors_t >= required_t`` and the budgets and caps, with HiGHS
    branch and bound (scipy.optimize.milp) to within ``mip_rel_gap`` of the proven minimum. Staff are never dismissed: a surplus shrinks by attrition. Costs are
    counted inside the horizon only, so near its end a contractor can beat a hire who would
    still be ramping up; make the horizon longer than lag plus ramp-up.

    Examples
    --------
    Two more FTE needed for six months; hires start after two months and need one month to be
    fully productive; contractors bridge the gap:

    >>> plan = hiring_plan(12, current_headcount=10, n_months=6, time_to_hire_months=2,
    ...                    ramp_up_months=1, employee_cost_per_fte_year=60_000,
    ...                    contractor_cost_per_fte_year=108_000)
    >>> plan.monthly["contractors"].tolist(), plan.total_hires, round(plan.total_cost)
    ([2.0, 2.0, 1.0, 0.0, 0.0, 0.0], 2.0, 385000)
    """
    req = as_float_array(required_fte, "required_fte", ndim=(0, 1))
    check_nonnegative(req, "required_fte")
    if req.ndim == 0:
        n = check_int(12 if n_months is None else n_months, "n_months", minimum=1)
        req = np.full(n, float(req))
    else:
        if n_months is not None and check_int(n_months, "n_months", minimum=1) != req.size:
            raise ParameterError(
                f"`n_months` ({n_months}) must equal the length of `required_fte` ({req.size}). "
                "Leave n_months out when you give one requirement per month."
            )
        n = req.size
        if n == 0:
            raise ParameterError("`required_fte` is empty. Give at least one month.")
    e0 = float(check_nonnegative(current_headcount, "current_headcount"))
    cost_e = float(check_positive(employee_cost_per_fte_year, "employee_cost_per_fte_year")) / 12
    cost_c = (
        float(check_positive(contractor_cost_per_fte_year, "contractor_cost_per_fte_year")) / 12
    )
    a = float(check_nonnegative(monthly_attrition, "monthly_attrition"))
    if a >= 1:
        raise ParameterError(
            f"`monthly_attrition` must be a decimal in [0, 1). Got {a:g}. "
            f"Use {a / 100:g} for {a:g} % a month."
        )
    lag = check_int(time_to_hire_months, "time_to_hire_months", minimum=0)
    k = check_int(ramp_up_months, "ramp_up_months", minimum=0)
    hire_cost = float(check_nonnegative(cost_per_hire, "cost_per_hire"))
    budget = None
    if budget_per_month is not None:
        budget = np.broadcast_to(
            as_float_array(check_nonnegative(budget_per_month, "budget_per_month"), "budget"), (n,)
        ).astype(float)
    tot_budget = (
        None if total_budget is None else float(check_nonnegative(total_budget, "total_budget"))
    )
    cap_c = (
        None
        if max_contractors is None
        else float(check_nonnegative(max_contractors, "max_contractors"))
    )
    cap_h = (
        None
        if max_hires_per_month is None
        else float(check_nonnegative(max_hires_per_month, "max_hires_per_month"))
    )

    heads, prod = _matrices(n, lag, a, k)
    base_heads = e0 * (1 - a) ** np.arange(n)
    # Variables x = [h_0..h_{n-1}, c_0..c_{n-1}]
    eye = np.eye(n)
    cost_rows = np.hstack(
        [cost_e * heads + hire_cost * eye, cost_c * eye]
    )  # cost_t = row . x + fixed
    fixed_cost = cost_e * base_heads
    objective = cost_rows.sum(axis=0)
    cover = -np.hstack([prod, eye])  # -(prod h + c) <= -(req - base)
    cover_b = -(req - base_heads)
    rows, rhs = [cover], [cover_b]
    if budget is not None:
        rows.append(cost_rows)
        rhs.append(budget - fixed_cost)
    if tot_budget is not None:
        rows.append(objective[None, :])
        rhs.append(np.array([tot_budget - fixed_cost.sum()]))
    upper = np.full(2 * n, np.inf)
    upper[:n][np.arange(n) > n - 1 - lag] = 0.0  # requisitions that would start after the horizon
    if cap_h is not None:
        upper[:n] = np.minimum(upper[:n], cap_h)
    if cap_c is not None:
        upper[n:] = cap_c
    integrality = np.r_[
        np.full(n, int(bool(whole_hires))), np.full(n, int(bool(whole_contractors)))
    ]
    gap = float(check_nonnegative(mip_rel_gap, "mip_rel_gap"))
    options = {
        "mip_rel_gap": gap,
        "time_limit": float(check_positive(time_limit_s, "time_limit_s")),
    }
    res = _solve(objective, np.vstack(rows), np.concatenate(rhs), upper, integrality, options)

    echo = dict(
        current_headcount=e0,
        monthly_attrition=a,
        time_to_hire_months=lag,
        ramp_up_months=k,
        employee_cost_per_fte_year=cost_e * 12,
        contractor_cost_per_fte_year=cost_c * 12,
        cost_per_hire=hire_cost,
        budget_per_month=budget_per_month,
        total_budget=tot_budget,
        max_contractors=cap_c,
        max_hires_per_month=cap_h,
        currency=currency,
    )
    if res.x is None:
        if res.status == 1:  # time limit before any plan was found
            message = (
                f"No hiring plan found within time_limit_s={time_limit_s:g} s. Raise "
                "`time_limit_s` or `mip_rel_gap`, or shorten the horizon."
            )
        else:
            message = _diagnose(
                req, objective, cost_rows, fixed_cost, cover, cover_b, upper, budget,
                tot_budget, cap_c, lag, integrality, options, currency,
            )  # fmt: skip
        if raise_on_infeasible:
            raise ConvergenceError(message)
        x = np.full(2 * n, np.nan)
        status = "infeasible"
        reached_gap = np.nan
    else:
        x = np.where(integrality == 1, np.round(res.x), res.x) + 0.0
        x = np.maximum(x, 0.0)
        status = "optimal" if res.status == 0 else "time_limit"
        reached_gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
        message = ""
    hires, contractors = x[:n], x[n:]
    employees = base_heads + heads @ hires
    employee_fte = base_heads + prod @ hires
    monthly = pd.DataFrame(
        {
            "month": np.arange(1, n + 1),
            "required_fte": req,
            "hires": hires,
            "starters": np.concatenate([np.zeros(min(lag, n)), hires[: max(n - lag, 0)]]),
            "employees": employees,
            "employee_fte": employee_fte,
            "contractors": contractors,
            "capacity_fte": employee_fte + contractors,
            "surplus_fte": employee_fte + contractors - req,
            "employee_cost": cost_e * employees,
            "contractor_cost": cost_c * contractors,
            "hiring_cost": hire_cost * hires,
        }
    )
    monthly["total_cost"] = monthly[["employee_cost", "contractor_cost", "hiring_cost"]].sum(
        axis=1, skipna=False
    )
    if status != "infeasible":
        message = (
            f"Hire {hires.sum():g} over {n} months and use at most {contractors.max():g} "
            f"contractor FTE; total cost {monthly['total_cost'].sum():,.0f} {currency}"
            f" (within {max(reached_gap, 0.0):.2%} of the lowest possible cost"
            f"{'' if status == 'optimal' else ', time limit reached'})."
        )
    return HiringPlan(
        **echo,
        status=status,
        message=message,
        total_cost=float(monthly["total_cost"].sum(skipna=False)),
        total_hires=float(hires.sum()),
        peak_contractors=float(np.max(contractors)) if n else np.nan,
        optimality_gap=reached_gap,
        monthly=monthly,
    )


def _diagnose(
    req,
    objective,
    cost_rows,
    fixed_cost,
    cover,
    cover_b,
    upper,
    budget,
    tot_budget,
    cap_c,
    lag,
    integrality,
    options,
    currency,
) -> str:
    """Explain why no plan exists and what would make one: the smallest budget raise, or the
    contractor cap the requirement needs."""
    n = req.size
    free = _solve(objective, cover, cover_b, upper, integrality, options)
    if free.x is not None:
        parts = []
        if budget is not None:
            # min B such that cost_t <= budget_t + B for all t (B >= 0 is one extra variable)
            c = np.zeros(2 * n + 1)
            c[-1] = 1.0
            a_budget = np.hstack([cost_rows, -np.ones((n, 1))])
            a_cover = np.hstack([cover, np.zeros((n, 1))])
            up = np.append(upper, np.inf)
            res = milp(
                c,
                constraints=[
                    LinearConstraint(a_cover, -np.inf, cover_b),
                    LinearConstraint(a_budget, -np.inf, budget - fixed_cost),
                ],
                bounds=Bounds(np.zeros(2 * n + 1), up),
                integrality=np.append(integrality, 0),
                options=options,
            )
            raise_by = float(res.x[-1]) if res.x is not None else np.nan
            parts.append(
                f"raise `budget_per_month` by at least {raise_by:,.0f} {currency} in every month"
            )
        if tot_budget is not None:
            need = float(objective @ free.x + fixed_cost.sum())
            if need > tot_budget:
                parts.append(f"raise `total_budget` to at least {need:,.0f} {currency}")
        return (
            "No hiring plan covers the requirement within the budget. To make one possible, "
            + " or ".join(parts)
            + ", or lower the requirement."
        )
    # Without budgets it is still infeasible: the caps on contractors / hires bind.
    c = np.zeros(2 * n + 1)
    c[-1] = 1.0
    a_cap = np.hstack([np.zeros((n, n)), np.eye(n), -np.ones((n, 1))])
    up = upper.copy()
    up[n:] = np.inf
    res = milp(
        c,
        constraints=[
            LinearConstraint(np.hstack([cover, np.zeros((n, 1))]), -np.inf, cover_b),
            LinearConstraint(a_cap, -np.inf, np.zeros(n)),
        ],
        bounds=Bounds(np.zeros(2 * n + 1), np.append(up, np.inf)),
        integrality=np.append(integrality, 0),
        options=options,
    )
    gap = -cover_b > 0
    first = int(np.flatnonzero(gap)[0]) + 1 if gap.any() else 1
    need_c = float(np.ceil(res.x[-1] - 1e-9)) if res.x is not None else np.nan
    return (
        f"No hiring plan covers the requirement: from month {first} today's staff (after "
        f"attrition) fall short, new hires start only after {lag} month(s) and ramp up, and "
        f"`max_contractors`={cap_c} cannot fill the gap. Allow at least {need_c:g} contractors, "
        "raise `max_hires_per_month`, shorten time to hire, or lower the requirement."
    )
