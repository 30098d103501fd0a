"""Validated readers for everything in ``data/`` (CSV, XLSX, YAML).

Each reader returns a validated DataFrame or spec object; a broken file raises
:class:`~cio_analytics.exceptions.DataFileError` naming the file, row and column.
"""

from .budget import read_actuals, read_budget, read_commitments, read_it_spend_history
from .cases import CaseSpec, read_case, read_line_items
from .continuity import read_disaster_scenarios, read_dr_tiers, read_service_structure
from .paths import file_sha256, project_root, resolve_data_path
from .performance import DEFAULT_SLA_TARGETS_H, read_ticket_export
from .portfolio import read_portfolio, read_portfolio_constraints
from .projects import ProjectRegister, read_evm_status, read_project_progress, read_project_register
from .risk import (
    read_cost_overruns,
    read_fair_scenarios,
    read_project_tasks,
    read_risk_appetite,
    read_risk_register,
    read_uncertain_case,
)
from .sourcing import (
    OffersSpec,
    ScoringSpec,
    SLAContract,
    read_offers,
    read_scoring,
    read_sla_contract,
    read_sla_data,
    read_volume_forecast,
)
from .staffing import (
    read_staffing_forecast,
    read_team_demand,
    read_team_roster,
    read_ticket_history,
)

__all__ = [
    "DEFAULT_SLA_TARGETS_H",
    "CaseSpec",
    "OffersSpec",
    "ProjectRegister",
    "SLAContract",
    "ScoringSpec",
    "file_sha256",
    "project_root",
    "read_actuals",
    "read_budget",
    "read_case",
    "read_commitments",
    "read_cost_overruns",
    "read_disaster_scenarios",
    "read_dr_tiers",
    "read_evm_status",
    "read_fair_scenarios",
    "read_it_spend_history",
    "read_line_items",
    "read_offers",
    "read_portfolio",
    "read_portfolio_constraints",
    "read_project_progress",
    "read_project_register",
    "read_project_tasks",
    "read_risk_appetite",
    "read_risk_register",
    "read_scoring",
    "read_service_structure",
    "read_sla_contract",
    "read_sla_data",
    "read_staffing_forecast",
    "read_team_demand",
    "read_team_roster",
    "read_ticket_export",
    "read_ticket_history",
    "read_uncertain_case",
    "read_volume_forecast",
    "resolve_data_path",
]
