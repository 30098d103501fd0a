"""cio_analytics.reporting: the papermill report pipeline, HTML reports, charts."""

from importlib import import_module
from typing import Any

from .record import read_records, read_tables, record, record_table

# The pipeline's names load on first use: a report kernel that only calls ``record`` does not
# pay for importing nbformat, nbconvert and papermill (seconds per kernel).
_LAZY = {
    "Job": "pack",
    "NotebookSchema": "params",
    "Pack": "pack",
    "PackRun": "pipeline",
    "Param": "params",
    "ParameterValidationError": "params",
    "current_period": "pipeline",
    "load_pack": "pack",
    "pack_from_manifest": "manifest",
    "read_schema": "params",
    "run_pack": "pipeline",
    # issue 6: executive summaries and tables
    "Decision": "summary",
    "executive_summary": "summary",
    "format_table": "tables",
    "investment_decision": "decisions",
    "parameters_table": "appendix",
    "provenance_appendix": "appendix",
    "risk_decision": "decisions",
    "staffing_decision": "decisions",
    # issue 11: one notebook shape
    "budget_decision": "decisions",
    "continuity_decision": "decisions",
    "focus_team": "decisions",
    "performance_decision": "decisions",
    "portfolio_decision": "decisions",
    "sourcing_decision": "decisions",
}


def __getattr__(name: str) -> Any:
    if name == "charts":  # issue 6: sub-package, imports matplotlib and seaborn on first use
        return import_module(".charts", __name__)
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Decision",
    "Job",
    "NotebookSchema",
    "Pack",
    "PackRun",
    "Param",
    "ParameterValidationError",
    "budget_decision",
    "charts",
    "continuity_decision",
    "current_period",
    "executive_summary",
    "focus_team",
    "format_table",
    "investment_decision",
    "load_pack",
    "pack_from_manifest",
    "parameters_table",
    "performance_decision",
    "portfolio_decision",
    "provenance_appendix",
    "read_records",
    "read_schema",
    "read_tables",
    "record",
    "record_table",
    "risk_decision",
    "run_pack",
    "sourcing_decision",
    "staffing_decision",
]
