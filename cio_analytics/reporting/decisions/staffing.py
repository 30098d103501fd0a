"""The staffing decision: the service desk headcount ask."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..._validation import check_nonnegative
from ...exceptions import ParameterError
from ..formatting import format_money, format_percent
from ..summary import Decision, key_numbers_frame

__all__ = [
    "PLAN_FIGURES_FORMATS",
    "hiring_plan_text",
    "plan_figures_table",
    "point_forecast_fte",
    "staffing_decision",
    "staffing_title",
]

#: Workbook formats of :func:`plan_figures_table` (``record_table(..., formats=...)``).
PLAN_FIGURES_FORMATS = {"amount": "currency", "share": "percent:1", "quantity": "number:1"}


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


def plan_figures_table(plan: Any) -> pd.DataFrame:
    """A staffing plan's figures for the workbook: one row per figure, one column per unit.

    ``summary()`` mixes money, shares and counts in one ``value`` column; here money sits in
    ``amount``, shares in ``share`` and FTE, hours, agents and intervals in ``quantity`` with
    their ``unit``; ``figure`` is the label from the staffing glossary.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> plan = NS(currency="EUR", summary=lambda: pd.DataFrame({"metric": ["total_fte",
    ...     "annual_cost", "worst_service_level"], "value": [41.5, 2.4e6, 0.856],
    ...     "unit": ["FTE", "EUR", "share"]}))
    >>> plan_figures_table(plan)["figure"].tolist()
    ['Scheduled FTE', 'Annual cost once fully staffed', 'Worst service level in an interval']
    """
    from ..glossary import label

    cur, rows = str(plan.currency), []
    for metric, value, unit in plan.summary()[["metric", "value", "unit"]].itertuples(index=False):
        row = {"figure": label(metric, "staffing"), "amount": np.nan, "share": np.nan,
               "quantity": np.nan, "unit": ""}  # fmt: skip
        if str(unit) == cur:
            row["amount"], row["unit"] = float(value), cur
        elif str(unit) in ("share", "%", "decimal"):
            row["share"], row["unit"] = float(value), "%"
        else:
            row["quantity"], row["unit"] = float(value), str(unit)
        rows.append(row)
    return pd.DataFrame(rows, columns=["figure", "amount", "share", "quantity", "unit"])


def staffing_title(team: str, growth: float, week_start: Any) -> str:
    """The report title: the team, the variant (the contact volume) and the week planned.

    Two runs of the staffing report that differ only in ``growth`` get distinct titles.

    Examples
    --------
    >>> import pandas as pd
    >>> staffing_title("Service desk", 0.15, pd.Timestamp("2026-03-30"))
    'Service desk staffing with 15 % more contacts: week of 30 March 2026'
    >>> staffing_title("Service desk", 0.0, pd.Timestamp("2026-03-30"))
    'Service desk staffing at current contact volume: week of 30 March 2026'
    """
    if growth > 0:
        variant = f"with {format_percent(growth)} more contacts"
    elif growth < 0:
        variant = f"with {format_percent(-growth)} fewer contacts"
    else:
        variant = "at current contact volume"
    day = pd.Timestamp(week_start)
    return f"{team} staffing {variant}: week of {day.day} {day:%B %Y}"


def hiring_plan_text(hiring: Any) -> str:
    """The hiring plan in one sentence for the report, every figure formatted.

    Examples
    --------
    >>> from cio_analytics.staffing import hiring_plan
    >>> plan = hiring_plan([10, 12, 12, 12], current_headcount=10,
    ...     employee_cost_per_fte_year=60000, contractor_cost_per_fte_year=90000)
    >>> print(hiring_plan_text(plan))  # doctest: +NORMALIZE_WHITESPACE
    The least-cost plan hires 2 people over 4 months and needs no contractors; it costs
    EUR 230k over the 4 months, proved the lowest possible cost.
    """
    h, n = hiring, len(hiring.monthly)
    if h.status == "infeasible":
        return f"No hiring plan over {n} months meets the requirement within the limits set."
    people = "person" if round(h.total_hires) == 1 else "people"
    gap = max(float(h.optimality_gap), 0.0) if np.isfinite(h.optimality_gap) else float("nan")
    proof = (
        "proved the lowest possible cost"
        if gap < 5e-5
        else f"within {format_percent(gap)} of the lowest possible cost"
    )
    if h.status != "optimal":
        proof += " (the solver's time limit was reached)"
    peak = int(h.monthly["contractors"].to_numpy(float).argmax()) if len(h.monthly) else 0
    bridge = (
        f"bridges with at most {h.peak_contractors:,.1f} contractor FTE (month "
        f"{h.monthly['month'].iloc[peak]})"
        if h.peak_contractors >= 0.05
        else "needs no contractors"
    )
    return (
        f"The least-cost plan hires {h.total_hires:,.0f} {people} over {n} months and {bridge}; "
        f"it costs {format_money(h.total_cost, h.currency, compact=True)} over the {n} months, "
        f"{proof}."
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
        "Staffed", "Hire N agents" or "No hiring plan closes the gap"; the money at stake
        is the cost of the hiring plan's months (else the annual cost of the plan). Key numbers: FTE needed and
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
        hires = round(hiring.total_hires)
        verdict, favourable = f"Hire {hires:,} agent{'' if hires == 1 else 's'}", None
        sentence = (
            f"{verdict}: {need} (a gap of {gap:,.1f} FTE, and attrition to replace); the "
            f"least-cost plan hires {hires:,} and bridges with at most "
            f"{hiring.peak_contractors:,.1f} contractor FTE, "
            f"{format_money(hiring.total_cost, cur, compact=True)} over "
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
        ("Annual cost once fully staffed", plan.annual_cost, cost_low,
         None if cost_low is None else plan.annual_cost, "money"),
    ]  # fmt: skip
    notes: list[str] = []
    at_stake, at_stake_label = float(plan.annual_cost), "Annual cost once fully staffed"
    if hiring is not None and hiring.status != "infeasible":
        months = len(hiring.monthly)
        label = f"Cost of the next {months} months, contractors included"
        rows += [
            ("People to hire", hiring.total_hires, None, None, "integer"),
            (label, hiring.total_cost, None, None, "money"),
        ]
        at_stake, at_stake_label = float(hiring.total_cost), label
        diff = hiring.total_cost - plan.annual_cost * months / 12.0
        same = "12 months" if months == 12 else f"{months} months"
        notes.append(
            f"Two costs: {format_money(plan.annual_cost, cur, compact=True)} a year is the "
            f"team at the needed {fte:,.1f} FTE once fully staffed; the next {months} months "
            f"cost {format_money(hiring.total_cost, cur, compact=True)}, "
            + (
                f"{format_money(diff, cur, compact=True)} more than {same} at that rate: "
                "contractors bridge the gap while new hires are recruited and ramp up."
                if diff >= 0
                else f"{format_money(-diff, cur, compact=True)} less than {same} at that rate: "
                "the team is below the needed size for part of the period."
            )
        )
    if not (isinstance(team, str) and team):
        raise ParameterError(f"`team` must be a non-empty string. Got {team!r}.")
    return Decision(
        verdict, sentence, key_numbers_frame(rows), favourable, cur, range_label,
        {"tolerance_fte": tolerance_fte, "current_fte": float(current_fte)}, tuple(notes),
        subject=team, at_stake=at_stake, at_stake_label=at_stake_label,
    )  # fmt: skip
