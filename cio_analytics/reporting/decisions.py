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
import pandas as pd

from .._validation import check_nonnegative, check_probability, check_rate
from ..exceptions import ParameterError
from .formatting import format_money, format_percent, is_missing
from .summary import Decision, key_numbers_frame

__all__ = [
    "budget_decision",
    "continuity_decision",
    "focus_team",
    "investment_decision",
    "performance_decision",
    "portfolio_decision",
    "risk_decision",
    "sourcing_decision",
    "staffing_decision",
]


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


def _months_text(months: Sequence[Any]) -> str:
    """``"in Oct-Dec"``, ``"in Dec"`` or ``"this year"`` for the months left."""
    months = list(months)
    if not months:
        return "this year"
    if len(months) == 1:
        return f"in {months[0]:%b}"
    return f"in {months[0]:%b}-{months[-1]:%b}"


def budget_decision(
    forecast: Any,
    adjustment: Any,
    variance: Any = None,
    *,
    cut_from: Sequence[str] = (),
    as_of: Any = None,
) -> Decision:
    """On track, adjust or escalate: where the year's IT spend lands against its budget.

    Parameters
    ----------
    forecast : LandingForecast
        ``landing_forecast``: the full-year landing (P10, P50, P90, in currency), the budget and
        the chance of an overrun.
    adjustment : BudgetAdjustment
        ``recommend_adjustment`` of the same forecast: the cut that lands within budget at the
        required confidence.
    variance : VarianceResult, optional
        ``budget_variance`` to date; adds the year-to-date variance (actual - budget) as a key
        number.
    cut_from : sequence of str, default ()
        The categories that may be cut, named in the sentence ("grow/transform"); empty: all
        spend.
    as_of : date-like, optional
        The day the report is read. When the months the cut is spread over have already
        started, a flag says how many are left.

    Returns
    -------
    Decision
        "On track" when no cut is needed, "Adjust" when the recommended cut lands the year
        within budget at the required confidence, "Escalate" when even the largest allowed cut
        does not. Key numbers: the landing (P10 to P90), the budget, the chance of an overrun,
        the variance to date and the recommended cut, all in currency.

    Notes
    -----
    The cut needed is the landing at the required confidence minus the budget,
    ``quantile(landing, confidence) - budget``; a cut lowers every simulated outcome by the
    same amount (see ``recommend_adjustment``).

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> months = list(pd.date_range("2026-01-01", periods=12, freq="MS"))
    >>> fc = NS(landing_p10=9.6e6, landing_p50=10.1e6, landing_p90=10.6e6, budget_total=1e7,
    ...         probability_of_overrun=0.6, currency="EUR", months=months, n_months_reported=9)
    >>> adj = NS(reduction_needed=4e5, reduction_recommended=4e5, feasible=True,
    ...          probability_of_overrun_after=0.2, percentile=0.8)
    >>> print(budget_decision(fc, adj, cut_from=["grow"]).sentence)  # doctest: +NORMALIZE_WHITESPACE
    Adjust: landing at EUR 10.1M (P10 to P90 EUR 9.6M to EUR 10.6M) against a budget of
    EUR 10M, 60 % chance of overrun; recommend cutting EUR 400k from grow in Oct-Dec.
    """
    fc, adj, cur = forecast, adjustment, forecast.currency
    rest = list(fc.months[fc.n_months_reported :])
    period = _months_text(rest)
    source = "/".join(cut_from) if cut_from else "all spend"
    cut = format_money(adj.reduction_recommended, cur, compact=True)
    if adj.reduction_needed <= 0:
        verdict, favourable = "On track", True
        action = (
            f"no cut needed to land within budget with {format_percent(adj.percentile)} confidence"
        )
    elif adj.feasible:
        verdict, favourable = "Adjust", None
        action = f"recommend cutting {cut} from {source} {period}"
    else:
        verdict, favourable = "Escalate", False
        action = (
            f"cutting the most allowed, {cut} from {source} {period}, still leaves a "
            f"{format_percent(adj.probability_of_overrun_after)} chance of overrun: revisit "
            "the budget"
        )
    m = lambda v: format_money(v, cur, compact=True)  # noqa: E731
    sentence = (
        f"{verdict}: landing at {m(fc.landing_p50)} (P10 to P90 {m(fc.landing_p10)} to "
        f"{m(fc.landing_p90)}) against a budget of {m(fc.budget_total)}, "
        f"{format_percent(fc.probability_of_overrun)} chance of overrun; {action}."
    )
    flags = []
    if as_of is not None and adj.reduction_recommended > 0 and rest:
        today = pd.Timestamp(as_of)
        left = [mo for mo in rest if mo + pd.offsets.MonthEnd(0) >= today.normalize()]
        if left and today > rest[0]:
            flags.append(
                f"On {today:%d %b %Y} {len(left)} of the {len(rest)} months the cut is spread "
                f"over remain{'s' if len(left) == 1 else ''}: the same cut weighs more per month."
            )
        elif not left:
            flags.append(
                f"On {today:%d %b %Y} the months the cut was meant for have passed: the "
                "overrun can only be explained, not cut."
            )
    rows = [
        ("Full-year landing (median)", fc.landing_p50, fc.landing_p10, fc.landing_p90, "money"),
        ("Full-year budget", fc.budget_total, None, None, "money"),
        ("Chance of overrun", fc.probability_of_overrun, None, None, "percent"),
        (f"Recommended cut ({source})", adj.reduction_recommended, None, None, "money"),
    ]
    if variance is not None:
        rows.insert(3, ("Variance to date (actual - budget)", variance.variance_total,
                        None, None, "money"))  # fmt: skip
    return Decision(
        verdict, sentence, key_numbers_frame(rows), favourable, cur, "P10 to P90",
        {"percentile": adj.percentile}, (), tuple(flags),
    )  # fmt: skip


def _names(ids: Any, names: Any) -> list[str]:
    return [str(names.get(i, i)) for i in ids]


def portfolio_decision(
    selection: Any,
    risk: Any,
    sweep: Any = None,
    *,
    budget_cut: float | None = None,
    max_probability_negative: float = 0.1,
) -> Decision:
    """Which projects to fund: the optimal selection, its range and what a budget cut costs.

    Parameters
    ----------
    selection : PortfolioSelection
        ``select_portfolio``: the projects funded, the expected NPV (currency) and the budget
        used.
    risk : PortfolioRisk
        ``simulate_portfolio`` of the same selection: its P10 to P90 (the ``level`` tails)
        and the chance that the portfolio NPV is negative.
    sweep : BudgetSweep, optional
        ``budget_sweep`` with the scale ``1 - budget_cut``: the projects that drop out.
    budget_cut : float, optional
        The budget reduction tested, a decimal share of every year's budget (0.1 = 10 %).
    max_probability_negative : float, default 0.1
        A flag is raised when the chance of a negative portfolio NPV is above this, in [0, 1].

    Returns
    -------
    Decision
        "Fund N of M projects" (favourable when the selection is proved optimal), or "Fund no
        project" when nothing is worth funding. Flags: a selection not proved optimal, a high
        chance of losing money. Key numbers: expected NPV (range), chance of a negative NPV,
        budget used, projects funded, expected NPV lost with the budget cut.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> projects = pd.DataFrame({"name": ["CRM", "ERP", "Wiki"], "mandatory": [True, False, False]},
    ...                         index=["P1", "P2", "P3"])
    >>> pf = NS(n_projects=3, projects=projects, currency="EUR", years=[2027, 2028])
    >>> sel = NS(portfolio=pf, n_selected=2, expected_value=2.5e6, total_cost=3.8e6,
    ...          budget_use=pd.DataFrame({"budget": [2e6, 2e6]}), status="optimal", mip_gap=0.0)
    >>> risk = NS(p_low=1.1e6, p_high=3.9e6, probability_negative=0.02, level=0.1,
    ...           expected_shortfall=0.6e6, n_trials=1000, seed=1)
    >>> print(portfolio_decision(sel, risk).sentence)  # doctest: +NORMALIZE_WHITESPACE
    Fund 2 of 3 projects: expected portfolio NPV EUR 2.5M (P10 to P90 EUR 1.1M to EUR 3.9M),
    using EUR 3.8M of the EUR 4M budget over 2 years (95 %); the selection is proved optimal.
    """
    check_probability(max_probability_negative, "max_probability_negative")
    pf = selection.portfolio
    cur = pf.currency
    m = lambda v: format_money(v, cur, compact=True)  # noqa: E731
    budget_total = float(selection.budget_use["budget"].sum())
    lo_q, hi_q = "P10", "P90"
    n, total = selection.n_selected, pf.n_projects
    proved = selection.status == "optimal"
    if n == 0:
        verdict, favourable = "Fund no project", False
    else:
        verdict, favourable = f"Fund {n} of {total} projects", True if proved else None
    used = selection.total_cost / budget_total if budget_total > 0 else float("nan")
    sentence = (
        f"{verdict}: expected portfolio NPV {m(selection.expected_value)} ({lo_q} to {hi_q} "
        f"{m(risk.npv_p10)} to {m(risk.npv_p90)}), using {m(selection.total_cost)} of the "
        f"{m(budget_total)} budget over {len(pf.years)} years ({format_percent(used)}); "
        + (
            "the selection is proved optimal"
            if proved
            else "the selection is the best found in the time limit, not proved optimal"
        )
    )
    flags, rows_cut = [], []
    if sweep is not None and budget_cut is not None:
        cut = sweep.at(1 - budget_cut)
        dropped = [p for p in str(cut["dropped"]).split(";") if p]
        names = _names(dropped, pf.projects["name"])
        lost = float(-cut["value_change"])
        which = f" ({_join(names)})" if names else ""
        sentence += (
            f". With {format_percent(budget_cut)} less budget, {len(dropped)} "
            f"project{'s' if len(dropped) != 1 else ''} drop{'' if len(dropped) != 1 else 's'} "
            f"out{which} and the expected NPV falls by {m(lost)}"
        )
        rows_cut = [(f"Expected NPV lost with {format_percent(budget_cut)} less budget", lost,
                     None, None, "money")]  # fmt: skip
    sentence += "."
    if not proved:
        flags.append(
            f"The solver stopped {format_percent(selection.mip_gap, 2)} from the best possible "
            "value: a better selection may exist."
        )
    if risk.probability_negative > max_probability_negative:
        flags.append(
            f"{format_percent(risk.probability_negative)} chance the funded portfolio loses "
            f"money (more than the {format_percent(max_probability_negative)} accepted)."
        )
    rows = [
        ("Expected portfolio NPV", selection.expected_value, risk.npv_p10, risk.npv_p90, "money"),
        ("Chance the portfolio NPV is negative", risk.probability_negative, None, None, "percent"),
        ("Budget used, all years", selection.total_cost, None, None, "money"),
        ("Projects funded", n, None, None, "integer"),
        *rows_cut,
    ]
    notes = (
        f"Range {lo_q} to {hi_q} over {risk.n_trials:,} simulated outcomes (seed {risk.seed}).",
    )
    return Decision(
        verdict, sentence, key_numbers_frame(rows), favourable, cur, f"{lo_q} to {hi_q}",
        {"max_probability_negative": max_probability_negative}, notes, tuple(flags),
    )  # fmt: skip


def sourcing_decision(
    comparison: Any,
    scores: Any = None,
    inhouse: Any = None,
    *,
    min_margin: float = 0.05,
    min_share_first: float = 0.6,
    inhouse_name: str = "In-house",
) -> Decision:
    """Which offer to choose: the lowest present value of cost, checked against the scoring
    and against keeping the service in-house.

    Parameters
    ----------
    comparison : OfferComparison
        ``compare_offers``: per offer the present value of cost (mean, P10, P90, currency) and
        the share of volume scenarios in which it is cheapest.
    scores : ScoringResult, optional
        ``score_offers``: the weighted score (0 to 1), its margin and how often each offer
        ranks first under random weights.
    inhouse : InhouseComparison, optional
        ``inhouse_vs_outsourced`` of the same comparison.
    min_margin : float, default 0.05
        A scoring win by less than this many points (on the 0-1 score) is flagged as thin.
    min_share_first : float, default 0.6
        A winner that ranks first in fewer than this share of random weightings is flagged.
    inhouse_name : str, default "In-house"
        The in-house row's name in ``inhouse.costs``.

    Returns
    -------
    Decision
        "Choose X" when the cheapest offer also scores best (or no scoring is given), else
        "No clear winner". Flags: a thin scoring win, in-house delivery cheaper than the chosen
        offer. Key numbers: the chosen offer's present value of cost (P10 to P90), the saving
        against the runner-up, the in-house cost, the winning score and how often it wins.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> costs = pd.DataFrame({"offer": ["B", "A"], "pv_mean": [4.0e6, 4.6e6],
    ...     "pv_p10": [3.6e6, 4.1e6], "pv_p90": [4.5e6, 5.2e6], "p_cheapest": [0.9, 0.1]})
    >>> cmp = NS(best="B", costs=costs, currency="EUR", horizon_years=5, n_trials=1000, seed=1,
    ...          discount_rate=0.08)
    >>> print(sourcing_decision(cmp).sentence)  # doctest: +NORMALIZE_WHITESPACE
    Choose B: the lowest 5-year cost, EUR 4M present value (P10 to P90 EUR 3.6M to EUR 4.5M),
    cheapest in 90 % of the volume scenarios.
    """
    check_probability(min_share_first, "min_share_first")
    check_nonnegative(min_margin, "min_margin")
    cur = comparison.currency
    m = lambda v: format_money(v, cur, compact=True)  # noqa: E731
    costs = comparison.costs.set_index("offer")
    cheapest = str(comparison.best)
    best = costs.loc[cheapest]
    cost_text = (
        f"the lowest {comparison.horizon_years}-year cost, {m(best['pv_mean'])} present value "
        f"(P10 to P90 {m(best['pv_p10'])} to {m(best['pv_p90'])}), cheapest in "
        f"{format_percent(best['p_cheapest'])} of the volume scenarios"
    )
    flags: list[str] = []
    winner = cheapest if scores is None else str(scores.winner)
    if scores is not None:
        top = float(scores.scores["score"].iloc[0])
        share = float(scores.acceptability.loc[winner, "rank_1"])
        limits = scores.weight_limits().head(2)
        holds = (
            "holds whatever the weights"
            if limits.empty
            else "holds unless the "
            + " or the ".join(
                f"{r.criterion} weight is {r.side} {format_percent(r.limit)} (now "
                f"{format_percent(r.weight)}; then {r.new_winner} wins)"
                for r in limits.itertuples()
            )
        )
        if scores.margin < min_margin or share < min_share_first:
            flags.append(
                f"{winner} wins the scoring by {scores.margin:.3f} points (on a 0 to 1 score) "
                f"and ranks first in {format_percent(share)} of random weightings: agree the "
                "weights before awarding."
            )
    if winner == cheapest:
        verdict, favourable = f"Choose {cheapest}", True
        sentence = f"{verdict}: {cost_text}"
        if scores is not None:
            sentence += f", and the best weighted score ({top:.3f}); the ranking {holds}"
    else:
        verdict, favourable = "No clear winner", None
        sentence = (
            f"{verdict}: {cheapest} has {cost_text}, but {winner} scores best ({top:.3f}); the "
            f"scoring {holds}. Decide on the weights first"
        )
    sentence += "."
    runner_up = [o for o in costs.index if o != cheapest]
    rows = [(f"Present value of cost: {cheapest}", best["pv_mean"], best["pv_p10"],
             best["pv_p90"], "money")]  # fmt: skip
    if runner_up:
        rows.append((f"Saving against {runner_up[0]}", costs.loc[runner_up[0], "pv_mean"]
                     - best["pv_mean"], None, None, "money"))  # fmt: skip
    if inhouse is not None:
        own = inhouse.costs.set_index("offer").loc[inhouse_name]
        rows.append(("Present value of cost: in-house", own["pv_mean"], own["pv_p10"],
                     own["pv_p90"], "money"))  # fmt: skip
        if own["pv_mean"] < best["pv_mean"]:
            flags.append(
                f"Keeping the service in-house is cheaper still: {m(own['pv_mean'])} "
                f"({m(best['pv_mean'] - own['pv_mean'])} less than {cheapest}, cheaper in "
                f"{format_percent(inhouse.p_inhouse_cheaper)} of scenarios)."
            )
    if scores is not None:
        rows.append((f"Share of random weightings {winner} wins", share, None, None, "percent"))
    notes = (
        f"Present values at {format_percent(comparison.discount_rate, 1)} over "
        f"{comparison.horizon_years} years; ranges P10 to P90 over {comparison.n_trials:,} volume "
        f"scenarios (seed {comparison.seed}).",
    )
    return Decision(
        verdict, sentence, key_numbers_frame(rows), favourable, cur, "P10 to P90",
        {"min_margin": min_margin, "min_share_first": min_share_first}, notes, tuple(flags),
        cheapest,
    )  # fmt: skip


def continuity_decision(
    comparison: Any,
    availability: Any,
    recovery: Any = None,
    *,
    option: str | None = None,
) -> Decision:
    """Fund a continuity option or not, and whether the service then meets its SLA.

    Parameters
    ----------
    comparison : OptionComparison
        ``evaluate_options``: per option its NPV (currency), the expected saving a year, the
        availability after it, and the simulated years of today's service (``base``).
    availability : ServiceAvailability
        ``service_availability`` of today's service: availability (a share of the year), the
        SLA and the expected downtime (hours a year).
    recovery : RecoveryResult, optional
        ``rto_rpo_scenarios``: the recovery tier with the lowest total cost a year.
    option : str, optional
        The option decided on; default the one with the highest NPV.

    Returns
    -------
    Decision
        "Fund <option>" when its NPV is positive, else "Do not fund <option>". Flags: an option
        that leaves the service below its availability SLA (funded or not), today's service
        missing its SLA. Key numbers: the option's NPV and its expected saving a year,
        availability today and with the option, the cost of downtime a year (P10 to P90).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> table = pd.DataFrame({"option": ["Standby"], "npv": [2.0e5], "fund": [True],
    ...     "analytic_saving": [9.0e4], "one_off_cost": [1.0e5], "annual_cost": [2.0e4],
    ...     "life_years": [5], "payback_years": [1.4], "availability_after": [0.9985]})
    >>> base = NS(expected_cost=1.2e5, quantile=lambda q: 1.2e5 * (0.5 + q), prob_sla_breach=0.4)
    >>> cmp = NS(table=table, base=base, currency="EUR", discount_rate=0.08)
    >>> av = NS(availability=0.998, sla_availability=0.999, meets_sla=False, downtime_h=17.5,
    ...         name="Orders")
    >>> d = continuity_decision(cmp, av)
    >>> print(d.sentence)  # doctest: +NORMALIZE_WHITESPACE
    Fund “Standby”: it cuts the expected cost of downtime by EUR 90k a year for EUR 100k up
    front and EUR 20k a year; NPV over 5 years at 8 %: EUR 200k, paid back in 1.4 years.
    >>> print(d.flags[0])
    With “Standby” the service is available 99.850 % of the time, still below the 99.900 % SLA.
    """
    cur = comparison.currency
    m = lambda v: format_money(v, cur, compact=True)  # noqa: E731
    options = comparison.table.set_index("option")
    if option and option not in options.index:
        raise ParameterError(
            f"`option` {option!r} is not one of the options compared: "
            f"{', '.join(map(str, options.index))}. Use one of them, or leave it empty for the "
            "option with the highest NPV."
        )
    chosen = str(option or options["npv"].idxmax())
    pick = options.loc[chosen]
    fund = bool(pick["fund"])
    verdict = f"{'Fund' if fund else 'Do not fund'} “{chosen}”"
    payback = pick["payback_years"]
    paid = f", paid back in {payback:.1f} years" if not is_missing(payback) else ", never paid back"
    sentence = (
        f"{verdict}: it cuts the expected cost of downtime by {m(pick['analytic_saving'])} a year "
        f"for {m(pick['one_off_cost'])} up front and {m(pick['annual_cost'])} a year; NPV over "
        f"{pick['life_years']:.0f} years at {format_percent(comparison.discount_rate)}: "
        f"{m(pick['npv'])}{paid}."
    )
    others = options[options["fund"].astype(bool) & (options.index != chosen)]
    if len(others):
        sentence = sentence[:-1] + "; also worth funding: " + _join(
            [f"“{n}” (NPV {m(v)})" for n, v in others["npv"].items()]
        ) + "."  # fmt: skip
    flags = []
    sla = availability.sla_availability
    after = float(pick["availability_after"])
    if sla is not None and after < sla:
        still = "still " if fund else ""
        flags.append(
            f"With “{chosen}” the service is available {format_percent(after, 3)} of the time, "
            f"{still}below the {format_percent(sla, 3)} SLA."
        )
    if sla is not None and not availability.meets_sla and not len(options[options[
            "availability_after"] >= sla]):  # fmt: skip
        flags.append("No option compared brings the service up to its SLA on its own.")
    if recovery is not None:
        sentence += f" For disasters, pay for the “{recovery.best_tier}” recovery tier."
    base = comparison.base
    rows = [
        (f"NPV of “{chosen}”", pick["npv"], None, None, "money"),
        ("Expected saving a year", pick["analytic_saving"], None, None, "money"),
        # as text with 3 decimals: 99.857 % must not read as the 99.9 % of an SLA it misses
        ("Availability today", format_percent(availability.availability, 3), None, None, "text"),
        (f"Availability with “{chosen}”", format_percent(after, 3), None, None, "text"),
        ("Cost of downtime a year today", base.expected_cost, base.quantile(0.1),
         base.quantile(0.9), "money"),
    ]  # fmt: skip
    notes = ()
    if sla is not None:
        notes = (
            f"Availability SLA {format_percent(sla, 3)}; today it is breached in "
            f"{format_percent(base.prob_sla_breach)} of simulated years.",
        )
    return Decision(
        verdict, sentence, key_numbers_frame(rows), (None if flags else True) if fund else False,
        cur, "P10 to P90",
        {}, notes, tuple(flags), chosen,
    )  # fmt: skip


def focus_team(review: Any, team: str = "") -> str:
    """The team a performance report charts: ``team`` if given, else the first team that got
    worse beyond its control limits, else the first that got better, else the team with the
    lowest SLA attainment in the latest month.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> v = pd.DataFrame({"team": ["A", "B"], "sla_attainment": [0.9, 0.7]})
    >>> r = NS(verdict=v, teams_changed=lambda effect: [])
    >>> focus_team(r), focus_team(r, "A")
    ('B', 'A')
    """
    verdict = review.verdict.set_index("team")
    if team:
        if team not in verdict.index:
            raise ParameterError(
                f"`chart_team` {team!r} is not a team of the ticket export. Teams: "
                f"{', '.join(map(str, verdict.index))}. Use one of them, or leave it empty."
            )
        return str(team)
    worse, better = review.teams_changed("worse"), review.teams_changed("better")
    if worse:
        return str(worse[0])
    if better:
        return str(better[0])
    return str(verdict["sla_attainment"].idxmin())


def performance_decision(
    review: Any,
    metrics: Any,
    capacity: Any = None,
    *,
    team: str = "",
) -> Decision:
    """Act or hold: which teams changed beyond the noise of their control charts, and whether
    the teams that got worse have the capacity their tickets need.

    Parameters
    ----------
    review : TeamReview
        ``team_review``: per team the latest month against its control limits and the months
        flagged by a run rule ("worse" or "better").
    metrics : TicketMetrics
        ``ticket_metrics``: SLA attainment (a share of the tickets resolved), the open backlog.
    capacity : CapacityResult, optional
        ``capacity_vs_demand``: per team the FTE its ticket demand needs against the FTE it has.
    team : str, default ""
        The team whose figures lead the key numbers (:func:`focus_team` picks it when empty).

    Returns
    -------
    Decision
        "Act" when a team got worse beyond its control limits, else "Hold". Flags: a team that
        got worse and is short of capacity. Key numbers: the team's SLA attainment in the
        latest month (its control limits as the range), its P90 time to resolve (hours), the
        attainment of all teams, the open backlog and the FTE its tickets need. ``subject`` is
        the team.

    Notes
    -----
    A change is real when a month breaks a Western Electric run rule (a point beyond the
    3-sigma limits, or 8 months in a row on one side of the centre line); anything else is
    noise.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> month = pd.Timestamp("2026-10-01")
    >>> v = pd.DataFrame({"team": ["Desk", "Network"], "sla_attainment": [0.71, 0.93],
    ...     "lcl": [0.78, 0.85], "ucl": [0.95, 0.99], "centre": [0.86, 0.92],
    ...     "attainment_signal": [True, False], "month": [month, month]})
    >>> review = NS(verdict=v, teams_changed=lambda e: ["Desk"] if e == "worse" else [],
    ...             recent_months=3, charts={}, signals=pd.DataFrame(columns=["team", "effect", "metric"]))
    >>> metrics = NS(teams=["Desk", "Network"], sla_attainment=0.85, n_open=120,
    ...              as_of=pd.Timestamp("2026-11-01"))
    >>> print(performance_decision(review, metrics).sentence)  # doctest: +NORMALIZE_WHITESPACE
    Act: Desk SLA attainment fell to 71.0 % in October, below its control limit (78.0 %): a
    real change, not noise; Network stable: its moves are within the noise.
    """
    verdict = review.verdict.set_index("team")
    focus = focus_team(review, team)
    worse, better = list(review.teams_changed("worse")), list(review.teams_changed("better"))
    stable = [t for t in metrics.teams if t not in worse and t not in better]
    sig = review.signals
    changes = []
    for t in worse:  # a handful of teams, not a hot path
        row = verdict.loc[t]
        if row["attainment_signal"] and row["sla_attainment"] < row["centre"]:
            changes.append(
                f"{t} SLA attainment fell to {format_percent(row['sla_attainment'], 1)} in "
                f"{row['month']:%B}, below its control limit ({format_percent(row['lcl'], 1)}): "
                "a real change, not noise"
            )
        else:
            which = sig.loc[(sig["team"] == t) & (sig["effect"] == "worse"), "metric"]
            labels = sorted({_METRIC_LABELS.get(x, str(x)) for x in which})
            changes.append(f"{t} got worse beyond its control limits ({_join(labels)})")
    changes += [f"{t} improved beyond its control limits" for t in better]
    if stable:
        its = "their moves are" if len(stable) > 1 else "its moves are"
        changes.append(f"{_join(stable)} stable: {its} within the noise")
    if worse or better:
        word = "Act" if worse else "Hold"
        sentence = f"{word}: " + "; ".join(changes) + "."
    else:
        word = "Hold"
        sentence = (
            f"{word}: every team's movement in the last {review.recent_months} months is within "
            "its control limits: noise, not change."
        )
    flags = []
    cap = None if capacity is None else capacity.by_team.set_index("team")
    if cap is not None:
        for t in worse:
            if t in cap.index and cap.loc[t, "status"] != "enough":
                flags.append(
                    f"{t} handles {cap.loc[t, 'demand_hours']:,.0f} h of tickets a month, which "
                    f"needs {cap.loc[t, 'fte_needed']:,.1f} FTE against the "
                    f"{cap.loc[t, 'available_fte']:,.1f} it has: add capacity or cut demand."
                )
    last = verdict.loc[focus]
    month = f"{last['month']:%B %Y}"
    rows = [(f"{focus}: SLA attainment, {month}", last["sla_attainment"], last["lcl"],
             last["ucl"], "percent")]  # fmt: skip
    p90 = review.charts.get((focus, "resolve_p90_h"))
    if p90 is not None:
        pt = p90.points.iloc[-1]
        rows.append((f"{focus}: P90 time to resolve, {month} (hours)", pt["value"],
                     max(pt["lcl"], 0.0), pt["ucl"], "number"))  # fmt: skip
    rows += [
        ("SLA attainment, all teams, whole period", metrics.sla_attainment, None, None, "percent"),
        (f"Open tickets on {metrics.as_of:%d %b %Y}", metrics.n_open, None, None, "integer"),
    ]
    if cap is not None and focus in cap.index:
        rows.append((f"{focus}: FTE its tickets need (it has "
                     f"{cap.loc[focus, 'available_fte']:,.1f})", cap.loc[focus, "fte_needed"],
                     None, None, "fte"))  # fmt: skip
    return Decision(
        word, sentence, key_numbers_frame(rows), not worse, "", "Control limits",
        {"recent_months": review.recent_months}, (), tuple(flags), focus,
    )  # fmt: skip


_METRIC_LABELS = {
    "sla_attainment": "SLA attainment",
    "reopen_rate": "reopen rate",
    "fcr_rate": "first-contact resolution",
    "resolve_p50_h": "median time to resolve",
    "resolve_p90_h": "P90 time to resolve",
    "backlog": "backlog",
}
