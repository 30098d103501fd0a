"""Validated readers for everything in ``data/`` (CSV, XLSX, YAML).

Each reader returns a validated DataFrame or spec object; a broken file raises
:class:`~cio_analytics.exceptions.DataFileError` naming the file, row and column.
"""

from .cases import CaseSpec, read_case, read_line_items
from .paths import file_sha256, project_root, resolve_data_path
from .risk import (
    read_fair_scenarios,
    read_project_tasks,
    read_risk_appetite,
    read_risk_register,
    read_uncertain_case,
)
from .staffing import (
    read_staffing_forecast,
    read_team_demand,
    read_team_roster,
    read_ticket_history,
)

__all__ = [
    "CaseSpec",
    "file_sha256",
    "project_root",
    "read_case",
    "read_fair_scenarios",
    "read_line_items",
    "read_project_tasks",
    "read_risk_appetite",
    "read_risk_register",
    "read_staffing_forecast",
    "read_team_demand",
    "read_team_roster",
    "read_ticket_history",
    "read_uncertain_case",
    "resolve_data_path",
]
