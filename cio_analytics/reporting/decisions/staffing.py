"""The staffing decision: the service desk headcount ask."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._validation import check_nonnegative
from ...exceptions import ParameterError
from ..formatting import format_money, format_percent
from ..summary import Decision, key_numbers_frame

__all__ = ["point_forecast_fte", "staffing_decision"]


def point_forecast_fte(plan: Any) -> float:
    """Scheduled FTE the plan would need at the point forecast (no forecast-error buffer).

    ``sum(ceil(agents_at_forecast / (1 - shrinkage))) x interval hours / weeks / hours per FTE``,
    the plan's own FTE formula applied to its ``agents_at_forecast`` column; equals
    ``total_fte`` of the same plan computed without ``percentile``.
    """
    d = plan.detail
    scheduled = np.ceil(d["agents_at_forecast"] / (1.0 - d["shrinkage"]) - 1e-9)
    return float(
        scheduled.sum() * plan.interval_s / 3600.0 / plan.n_weeks / plan.hours_per_fte_week
    )


def staffing_decision(
    plan: Any,
    hiring: Any = None,
    *,
    current_fte: float,
    team: str = "service desk",
    tolerance_fte: float = 0.5,
) -> Decision:
    """Enough staff, or how many to hire: the plan's FTE against today's headcount.

    Parameters
    ----------
    plan : StaffingPlan
        ``staffing_plan`` (with ``percentile``: the range runs from the point forecast to it).
    hiring : HiringPlan, optional
        ``hiring_plan`` from ``current_fte`` to the plan's FTE.
    current_fte : float
        Today's headcount in FTE.
    team : str, default "service desk"
        Named in the sentence.
    tolerance_fte : float, default 0.5
        A gap up to this many FTE counts as staffed.

    Returns
    -------
    Decision
        "Staffed", "Hire N" or "No hiring plan closes the gap". Key numbers: FTE needed and
        annual cost (range: point forecast to the confidence level), the gap, hires, the hiring
        plan's cost.
    """
    check_nonnegative(current_fte, "current_fte")
    check_nonnegative(tolerance_fte, "tolerance_fte")
    cur, fte = plan.currency, plan.total_fte
    gap = fte - float(current_fte)
    sla = f"{format_percent(plan.target_service_level)} of calls within {plan.answer_time_s:g} s"
    if plan.percentile:
        basis = f"in every half hour with {format_percent(plan.percentile)} confidence against forecast error"
        low = point_forecast_fte(plan)
        range_label = f"Point forecast to {format_percent(plan.percentile)} confidence"
    else:
        basis, low, range_label = "in every half hour at the point forecast", None, "Range"
    need = f"the {team} needs {fte:,.1f} FTE to answer {sla} {basis}, and has {current_fte:,.0f}"
    if gap <= tolerance_fte:
        verdict, favourable = "Staffed", True
        sentence = f"{verdict}: {need} ({-gap:,.1f} FTE to spare)."
    elif hiring is not None and hiring.status != "infeasible":
        verdict, favourable = f"Hire {hiring.total_hires:,.0f}", None
        sentence = (
            f"{verdict}: {need} (a gap of {gap:,.1f} FTE); the least-cost plan hires "
            f"{hiring.total_hires:,.0f} and bridges with at most {hiring.peak_contractors:,.1f} "
            f"contractor FTE, {format_money(hiring.total_cost, cur, compact=True)} over "
            f"{len(hiring.monthly)} months."
        )
    else:
        verdict, favourable = "No hiring plan closes the gap", False
        why = f" {hiring.message}" if hiring is not None else ""
        sentence = f"{verdict}: {need} (a gap of {gap:,.1f} FTE).{why}"
    cost_low = None if low is None or fte == 0 else plan.annual_cost * low / fte
    rows = [
        ("Scheduled FTE needed", fte, low, None if low is None else fte, "fte"),
        ("Gap to today's headcount", gap, None, None, "fte"),
        ("Annual cost of the plan", plan.annual_cost, cost_low,
         None if cost_low is None else plan.annual_cost, "money"),
    ]  # fmt: skip
    if hiring is not None:
        months = len(hiring.monthly)
        rows += [
            ("Hires", hiring.total_hires, None, None, "integer"),
            (f"Team cost over {months} months", hiring.total_cost, None, None, "money"),
        ]
    if not (isinstance(team, str) and team):
        raise ParameterError(f"`team` must be a non-empty string. Got {team!r}.")
    return Decision(
        verdict, sentence, key_numbers_frame(rows), favourable, cur, range_label,
        {"tolerance_fte": tolerance_fte, "current_fte": float(current_fte)},
    )  # fmt: skip
