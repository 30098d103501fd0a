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
_RISK: dict[str, str] = {
    "total_mitigation_cost": "Mitigations: annual cost",
    "n_risks": "Risks in the register",
    "overrun_ratio": "Project cost overrun (actual / budget)",
    "risk_losses": "Register risks (annual loss)",
    "share_of_expected": "Share of the expected loss",
    "share_of_tail": "Share of the bad years",
    # fitted distribution families
    "LogNormal": "Lognormal",
    "LogLogistic": "Log-logistic",
    "Pareto": "Generalised Pareto",
}


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
_CONTINUITY: dict[str, str] = {
    # components of the sample service (a service file's own descriptions take precedence)
    "isp_link": "Internet link (ISP)",
    "core_switch": "Core switch",
    "sso": "Single sign-on (identity provider)",
    "san": "Shared storage array (SAN)",
    "site": "Data centre site",
    "web1": "Web server 1",
    "web2": "Web server 2",
    "web3": "Web server 3",
    "app1": "Application server 1",
    "app2": "Application server 2",
    "db_primary": "Database, primary",
    "db_replica": "Database, replica",
    # result columns
    "mttr_h": "Mean restore (h)",
    "birnbaum": "Importance (Birnbaum)",
    "single_point_of_failure": "Single point of failure",
    "outages_per_year": "Service outages a year",
    "downtime_saved_if_perfect_h": "Downtime saved if perfect (h a year)",
    "downtime_h": "Downtime a year (h)",
    "downtime_after_h": "Downtime after (h a year)",
    "availability_after": "Availability after",
    "analytic_saving": "Expected saving a year",
    "rto_h": "Recovery time objective, RTO (h)",
    "rpo_h": "Recovery point objective, RPO (h)",
}


# --- sourcing (offers, SLA) ------------------------------------------------------------------------
_SOURCING: dict[str, str] = {
    # SLA metrics of the current contract
    "availability": "Availability",
    "p1_resolved_in_time": "Priority-1 incidents resolved in time",
    "p2_resolved_in_time": "Priority-2 incidents resolved in time",
    "first_contact_resolution": "First-contact resolution",
    "answered_in_time": "Calls answered in time",
    # scoring criteria
    "price": "Price",
    "quality": "Quality",
    "risk": "Risk",
    "fit": "Fit with our ways of working",
    # result columns
    "pv_mean": "Present value of cost, mean",
    "pv_p10": "Present value of cost, P10",
    "pv_p90": "Present value of cost, P90",
    "discounted_tco": "Total cost of ownership, discounted",
    "tco_likely": "Total cost at likely volumes",
    "tco_mean": "Total cost, mean",
    "p_cheapest": "Cheapest in",
    "break_even_rate": "Break-even discount rate",
}


# --- portfolio (selection, frontier) --------------------------------------------------------------
_PORTFOLIO: dict[str, str] = {
    # solver status, in the words a board reads
    "optimal": "proved optimal",
    "time_limit": "best found in the time limit, not proved optimal",
    "infeasible": "no selection meets every constraint",
    # skills of the capacity constraints
    "developer": "Developers",
    "data": "Data engineers",
    "infrastructure": "Infrastructure engineers",
    "security": "Security engineers",
    "architect": "Architects",
    # result columns
    "npv": "Expected NPV",
    "sd": "NPV spread, sd",
    "cost_total": "Cost, all years",
    "strategic_score": "Strategic score",
    "share_of_variance": "Share of portfolio risk",
    "mip_gap": "Distance from the best possible value",
    "shadow_price": "Value of one more unit of the limit",
    "remaining": "Budget left",
}


# --- budget (landing, variances, ratios) -----------------------------------------------------------
_BUDGET: dict[str, str] = {
    "expense_type": "Capex or opex",
    "capex": "Capex",
    "opex": "Opex",
    "cost_centre": "Cost centre",
    "it_spend": "IT spend",
    "spend_per_employee": "IT spend per employee",
    "spend_share_of_revenue": "IT spend, share of revenue",
    "historical_min": "Lowest of past years",
    "historical_max": "Highest of past years",
}


# --- performance (teams, SLA attainment, control charts) -------------------------------------------
_PERFORMANCE: dict[str, str] = {
    "sla_attainment": "SLA attainment",
    "reopen_rate": "Reopen rate",
    "fcr_rate": "First-contact resolution",
    "resolve_p50_h": "Median time to resolve (h)",
    "resolve_p90_h": "P90 time to resolve (h)",
    "backlog_over_target": "Backlog over target",
    "backlog_age_p50_d": "Backlog median age (days)",
}


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
