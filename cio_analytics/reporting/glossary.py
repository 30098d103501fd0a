"""Labels people read, one glossary per domain: never a code identifier in a report.

Column names, metric ids, component ids and parameter names come out of the library and the
data files as code (``p1_resolved_in_time``, ``isp_link``, ``discounted_tco``). A report shows
them through :func:`label`, which looks the name up in its domain's glossary and falls back to
:func:`~cio_analytics.reporting.tables.humanize` (``"expected_loss_after"`` -> ``"Expected loss
after"``). Add a term to its domain's block when the fallback does not read well.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .tables import humanize

__all__ = ["GLOSSARY", "label", "labels"]

# --- valuation (investment cases) -----------------------------------------------------------
_VALUATION: dict[str, str] = {
    "npv": "NPV",
    "irr": "IRR",
    "mirr": "MIRR",
    "tco": "Total cost of ownership",
    "discounted_tco": "Total cost of ownership, discounted",
    "eac": "Equivalent annual cost",
    "break_even_rate": "Discount rate at which the choice flips",
    "payback": "Payback",
    "payback_years": "Payback (years)",
    "discounted_payback": "Discounted payback",
    "discounted_payback_years": "Discounted payback (years)",
    "discount_rate": "Discount rate",
    "tax_rate": "Tax rate",
    "horizon": "Horizon (years)",
    "npv_base": "Planned NPV",
    "npv_mean": "Mean NPV over the trials",
    "npv_p10": "NPV P10",
    "npv_p50": "NPV P50 (median)",
    "npv_p90": "NPV P90",
    "probability_npv_negative": "Chance the NPV is negative",
    "probability_npv_positive": "Chance the NPV is positive",
    "share_below_plan": "Share of trials below the planned NPV",
    "npv_not_chosen": "NPV of the option not chosen",
    "comparison_advantage": "NPV advantage of the chosen option",
    "spearman": "Rank correlation with NPV",
    "swing": "NPV swing, P10 to P90",
}


# --- risk (register, FAIR, appetite) -----------------------------------------------------------
_RISK: dict[str, str] = {}


# --- staffing (service desk) ---------------------------------------------------------------------
_STAFFING: dict[str, str] = {
    "total_fte": "Scheduled FTE",
    "fte_needed": "Scheduled FTE needed",
    "fte_gap": "FTE gap (needed - current)",
    "current_headcount": "Current headcount",
    "annual_cost": "Annual cost once fully staffed",
    "weekly_cost": "Weekly cost",
    "hiring_cost": "Cost of the hiring plan's months, contractors included",
    "peak_agents": "Agents at the weekly peak",
    "worst_service_level": "Worst service level in an interval",
    "n_not_ok": "Intervals short of target",
    "calls": "Calls per week",
    "handle_time_s": "Handle time (s)",
    "answer_time_s": "Answer time (s)",
    "target_service_level": "Target service level",
    "hours_per_fte_week": "Paid hours per FTE a week",
    "hires": "Requisitions",
    "total_hires": "People to hire",
    "starters": "Starters",
    "employees": "Employees",
    "employee_fte": "Productive FTE",
    "contractors": "Contractor FTE",
    "peak_contractors": "Most contractor FTE in a month",
    "capacity_fte": "Capacity FTE",
    "required_fte": "Required FTE",
    "total_cost": "Cost",
    "hiring_status": "Hiring plan status",
    "optimal": "least-cost plan",
    "time_limit": "best plan found in the time limit",
    "infeasible": "no plan meets the requirement",
}


# --- continuity (availability, outages, DR options) ---------------------------------------------
_CONTINUITY: dict[str, str] = {}


# --- sourcing (offers, SLA) ------------------------------------------------------------------------
_SOURCING: dict[str, str] = {}


# --- portfolio (selection, frontier) --------------------------------------------------------------
_PORTFOLIO: dict[str, str] = {}


# --- budget (landing, variances, ratios) -----------------------------------------------------------
_BUDGET: dict[str, str] = {}


# --- performance (teams, SLA attainment, control charts) -------------------------------------------
_PERFORMANCE: dict[str, str] = {}


# --- delivery (projects, EVM, schedule risk) --------------------------------------------------------
_DELIVERY: dict[str, str] = {
    "name": "Project",
    "committed_date": "Committed finish",
    "completion_date_p50": "Finish P50",
    "completion_date_p80": "Finish P80",
    "probability_late": "Chance of missing the date",
    "probability_on_time": "Chance of meeting the date",
    "budget": "Approved budget",
    "cost_p50": "Cost at completion P50",
    "cost_p80": "Cost at completion P80",
    "contingency_needed": "Contingency short",
    "contingency_short": "Contingency short",
    "cpi": "CPI",
    "spi": "SPI",
    "eac": "Estimate at completion (EAC)",
    "eac_method": "Estimate at completion method",
    "needs_attention": "Needs attention",
    "n_projects_attention": "Projects needing attention",
    "slip_days_p80": "P80 finish minus committed date (days)",
    "criticality_index": "Chance it is on the critical path",
    "budget_rate": "budget rate (remaining work at plan)",
    "cpi_spi": "CPI x SPI",
}


#: Every domain's glossary, by domain name.
GLOSSARY: dict[str, dict[str, str]] = {
    "valuation": _VALUATION,
    "risk": _RISK,
    "staffing": _STAFFING,
    "continuity": _CONTINUITY,
    "sourcing": _SOURCING,
    "portfolio": _PORTFOLIO,
    "budget": _BUDGET,
    "performance": _PERFORMANCE,
    "delivery": _DELIVERY,
}


def label(name: str, domain: str | None = None, *, extra: Mapping[str, str] | None = None) -> str:
    """The label a report shows for ``name``.

    Looks in ``extra`` (labels from the data, e.g. a component's display name), then in the
    domain's glossary (every glossary when ``domain`` is None), then humanizes the name.

    Examples
    --------
    >>> label("discounted_tco", "valuation"), label("expected_loss_after")
    ('Total cost of ownership, discounted', 'Expected loss after')
    >>> label("isp_link", "continuity", extra={"isp_link": "Internet link (ISP)"})
    'Internet link (ISP)'
    """
    text = str(name)
    if extra and text in extra:
        return str(extra[text])
    if domain is not None:
        if domain not in GLOSSARY:
            from ..exceptions import ParameterError

            raise ParameterError(f"`domain` must be one of {sorted(GLOSSARY)}; got {domain!r}.")
        tables: Iterable[dict[str, str]] = (GLOSSARY[domain],)
    else:
        tables = GLOSSARY.values()
    for table in tables:
        if text in table:
            return table[text]
    return humanize(text)


def labels(names: Iterable[str], domain: str | None = None, **kw) -> list[str]:
    """:func:`label` for each name (column headers, index values).

    Examples
    --------
    >>> labels(["npv", "irr"], "valuation")
    ['NPV', 'IRR']
    """
    return [label(n, domain, **kw) for n in names]
