"""Decision sentences and key numbers per domain, built from result objects and thresholds.

Each helper reads figures the models already computed (it runs no model) and applies the
thresholds it is given; none is a constant here. The result is a :class:`Decision` that
:func:`~cio_analytics.reporting.summary.executive_summary` renders and whose ``key_numbers``
table can be recorded for the Excel workbook.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._validation import check_nonnegative, check_probability, check_rate
from ..exceptions import ParameterError
from .formatting import format_money, format_percent, is_missing
from .summary import Decision, key_numbers_frame

__all__ = ["investment_decision", "risk_decision", "staffing_decision"]


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _irr_clause(irr: float, status: str, hurdle_rate: float) -> str:
    if is_missing(irr):
        return f"the IRR is not defined ({status})"
    verdict = "clears" if irr >= hurdle_rate else "is below"
    return (
        f"the IRR of {format_percent(irr, 1)} {verdict} the {format_percent(hurdle_rate, 1)} hurdle"
    )


def _comparison(comparison: Any, discount_rate: float, cur: str) -> Decision:
    base, alt = comparison.base.case.name, comparison.alternative.case.name
    other = alt if comparison.preferred == base else base
    rate = comparison.break_even_rate
    flips = (
        f"; the choice flips at a discount rate of {format_percent(rate, 1)}"
        if not is_missing(rate) and rate >= 0
        else "; the preferred option is better at every positive discount rate"
    )
    verdict = f"Choose “{comparison.preferred}”"
    sentence = (
        f"{verdict}: its NPV at {format_percent(discount_rate, 1)} is "
        f"{format_money(comparison.advantage, cur, compact=True)} better than “{other}”{flips}."
    )
    rows = [
        ("NPV advantage", comparison.advantage, None, None, "money"),
        (f"NPV: {base}", comparison.base.npv, None, None, "money"),
        (f"NPV: {alt}", comparison.alternative.npv, None, None, "money"),
        ("Break-even discount rate", rate if not is_missing(rate) and rate >= 0 else None,
         None, None, "percent"),
    ]  # fmt: skip
    return Decision(verdict, sentence, key_numbers_frame(rows), True, cur)


def investment_decision(
    case_result: Any,
    uncertain_result: Any = None,
    *,
    hurdle_rate: float,
    min_probability_positive: float,
    comparison: Any = None,
) -> Decision:
    """Proceed or not with an investment case, from its plan figures and its Monte Carlo.

    Parameters
    ----------
    case_result : CaseResult
        The plan (``InvestmentCase.evaluate``).
    uncertain_result : UncertainCaseResult, optional
        The Monte Carlo of the same case (``simulate_case``); gives the P10 to P90 ranges and
        the chance that the NPV is positive.
    hurdle_rate : float
        Lowest acceptable IRR, annual decimal (0.12 for 12 %).
    min_probability_positive : float
        Lowest acceptable chance that the NPV is positive, in [0, 1]; used with a Monte Carlo.
    comparison : CaseComparison, optional
        Two options compared (``compare_cases``): the decision is then which to choose, and the
        standalone test of ``case_result`` becomes a note.

    Returns
    -------
    Decision
        "Proceed" when the NPV is positive, the IRR clears the hurdle (or is undefined with a
        positive NPV) and the chance of a positive NPV reaches the threshold; else
        "Do not proceed". Key numbers: NPV (P10 to P90), chance NPV > 0, IRR (P10 to P90),
        payback, TCO.

    Examples
    --------
    >>> from cio_analytics.valuation import InvestmentCase, LineItem
    >>> case = InvestmentCase("Pilot", (LineItem("build", "capex", 1000, start=0),
    ...     LineItem("savings", "benefit", 400, start=1, duration=4)), horizon_years=4)
    >>> d = investment_decision(case.evaluate(discount_rate=0.08), hurdle_rate=0.12,
    ...                         min_probability_positive=0.7)
    >>> print(d.sentence)
    Proceed: the planned NPV is EUR 325 at 8.0 % and the IRR of 21.9 % clears the 12.0 % hurdle.
    """
    check_rate(hurdle_rate, "hurdle_rate", allow_array=False)
    check_probability(min_probability_positive, "min_probability_positive")
    r, cur = case_result, case_result.currency
    rate = r.case.discount_rate
    thresholds = {"hurdle_rate": hurdle_rate, "min_probability_positive": min_probability_positive}
    u = uncertain_result
    p_pos = None if u is None else 1.0 - u.probability_npv_negative
    npv_ok = r.npv > 0
    irr_ok = is_missing(r.irr) or r.irr >= hurdle_rate
    p_ok = p_pos is None or p_pos >= min_probability_positive
    proceed = bool(npv_ok and irr_ok and p_ok)
    verdict = "Proceed" if proceed else "Do not proceed"
    chance = ""
    if p_pos is not None:
        only = "" if p_ok else "only "
        chance = (
            f"{only}{format_percent(p_pos)} chance the NPV is positive "
            f"(at least {format_percent(min_probability_positive)} required); "
        )
    sentence = (
        f"{verdict}: {chance}the planned NPV is {format_money(r.npv, cur, compact=True)} at "
        f"{format_percent(rate, 1)} and {_irr_clause(r.irr, r.irr_status, hurdle_rate)}."
    )
    pick = (lambda name: getattr(u, name)) if u is not None else (lambda name: None)
    rows = [
        (f"NPV at {format_percent(rate, 1)}", r.npv, pick("npv_p10"), pick("npv_p90"), "money"),
        ("Chance the NPV is positive", p_pos, None, None, "percent"),
        ("IRR", r.irr, pick("irr_p10"), pick("irr_p90"), "percent"),
        ("Payback", r.payback_years, None, None, "years"),
        (f"Total cost of ownership ({r.case.horizon_years} years)", r.tco, None, None, "money"),
    ]
    if u is None:
        del rows[1]
    notes = []
    if u is not None:
        notes.append(f"Ranges: P10 to P90 over {u.n_trials:,} Monte Carlo trials (seed {u.seed}).")
    if is_missing(r.payback_years):
        notes.append(f"Payback is not reached within the {r.case.horizon_years}-year horizon.")
    if comparison is not None:
        chosen = _comparison(comparison, rate, cur)
        standalone = sentence.split(": ", 1)[1]
        return Decision(
            chosen.decision, chosen.sentence, chosen.key_numbers, True, cur, "P10 to P90",
            thresholds, (f"{r.case.name} on its own: {verdict.lower()}; {standalone}", *notes),
        )  # fmt: skip
    return Decision(
        verdict, sentence, key_numbers_frame(rows), proceed, cur, "P10 to P90", thresholds,
        tuple(notes),
    )  # fmt: skip


def risk_decision(
    register_result: Any,
    fair_results: Any = (),
    *,
    max_expected_loss: float | None,
) -> Decision:
    """Within or outside the risk appetite: the register's expected loss against a limit and
    every loss exceedance curve (register, cyber scenarios) against the appetite curve.

    Parameters
    ----------
    register_result : RegisterResult
        ``simulate_register`` with ``appetite=`` given (else only the limit is tested).
    fair_results : FairResult or sequence of FairResult
        Cyber scenarios (``simulate_fair``), each with its own appetite test.
    max_expected_loss : float or None
        Highest acceptable expected annual loss of the register, in currency; None: no limit.

    Returns
    -------
    Decision
        Key numbers: the register's expected annual loss before and after every mitigation
        (P10 to P90 of the simulated years), the mitigations' annual cost, and each cyber
        scenario's expected annual loss exposure (P10 to P90) or their total when more than two.
    """
    if max_expected_loss is not None:
        check_nonnegative(max_expected_loss, "max_expected_loss")
    reg = register_result
    fair = [fair_results] if hasattr(fair_results, "ale") else list(fair_results or ())
    cur = reg.currency
    over_limit = max_expected_loss is not None and reg.expected_loss > max_expected_loss
    reg_breach = reg.appetite is not None and bool(reg.appetite["breached"].any())
    fair_breach = [f.scenario.name for f in fair if f.appetite_breached]
    within = not (over_limit or reg_breach or fair_breach)
    verdict = "Within appetite" if within else "Outside appetite"

    eal = format_money(reg.expected_loss, cur, compact=True)
    if max_expected_loss is None:
        limit = f"the register's expected annual loss is {eal}"
    else:
        side = "above" if over_limit else "within"
        limit = (
            f"the register's expected annual loss of {eal} is {side} the "
            f"{format_money(max_expected_loss, cur, compact=True)} limit"
        )
    breaching = (["the register"] if reg_breach else []) + [f"“{n}”" for n in fair_breach]
    if breaching:
        verb = "exceeds" if len(breaching) == 1 else "exceed"
        curve = f"{_join(breaching)} {verb} the loss exceedance appetite"
    else:
        curve = "no loss exceedance curve crosses the appetite"
    mit = reg.mitigations
    worthwhile = mit[mit["roi"] > 0] if len(mit) else mit
    pays = f"{len(worthwhile)} of {len(mit)} mitigations return more than they cost"
    if not within and not over_limit:  # the breach first, the limit met after it
        sentence = f"{verdict}: {curve}, while {limit}; {pays}."
    else:
        sentence = f"{verdict}: {limit}, and {curve}; {pays}."

    before, after = reg.total_before, reg.total_after
    rows = [
        ("Register: expected annual loss", reg.expected_loss,
         *np.quantile(before, [0.1, 0.9]), "money"),
        ("Register: with every mitigation", reg.expected_loss_after,
         *np.quantile(after, [0.1, 0.9]), "money"),
        ("Mitigations: annual cost", reg.total_mitigation_cost, None, None, "money"),
    ]  # fmt: skip
    if len(fair) <= 2:
        rows += [
            (f"Cyber: {f.scenario.name}", f.expected_ale, *np.quantile(f.ale, [0.1, 0.9]), "money")
            for f in fair
        ]
    else:
        total = float(sum(f.expected_ale for f in fair))
        rows.append((f"Cyber: {len(fair)} scenarios, expected", total, None, None, "money"))
    notes = (
        f"Annual losses; ranges P10 to P90 over {reg.n_trials:,} simulated years (seed {reg.seed}).",
    )
    return Decision(
        verdict, sentence, key_numbers_frame(rows), within, cur, "P10 to P90",
        {"max_expected_loss": max_expected_loss}, notes,
    )  # fmt: skip


def point_forecast_fte(plan: Any) -> float:
    """Scheduled FTE the plan would need at the point forecast (no forecast-error buffer).

    ``sum(ceil(agents_at_forecast / (1 - shrinkage))) x interval hours / weeks / hours per FTE``,
    the plan's own FTE formula applied to its ``agents_at_forecast`` column; equals
    ``total_fte`` of the same plan computed without ``confidence``.
    """
    d = plan.detail
    scheduled = np.ceil(d["agents_at_forecast"] / (1.0 - d["shrinkage"]) - 1e-9)
    return float(scheduled.sum() * plan.interval_s / 3600.0 / plan.n_weeks / plan.hours_per_fte)


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
        ``staffing_plan`` (with ``confidence``: the range runs from the point forecast to it).
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
    if plan.confidence:
        basis = f"in every half hour with {format_percent(plan.confidence)} confidence against forecast error"
        low = point_forecast_fte(plan)
        range_label = f"Point forecast to {format_percent(plan.confidence)} confidence"
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
