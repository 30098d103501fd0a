"""cio_analytics.reporting.explore: live what-if explorers for analysts (issue 14).

Each explorer loads its data once, keeps one seed (common random numbers: every setting is
simulated with the same random streams) and has

- ``compute(**settings)`` -> a frozen view (decision, key figures, ``chart()``,
  ``executive_summary()``), testable without a browser;
- ``widget()`` -> the ipywidgets page (needs the ``explore`` extra: ``ipywidgets``; served by
  ``make explore`` with Voila), whose "Save as scenario" button calls :func:`write_scenario`.

The notebooks ``notebooks/explore_*.ipynb`` are a parameters cell and one call. See
``docs/explore.md``.
"""

from ._common import DEFAULT_SCENARIOS, parse_change, relative_change, write_scenario
from .investment import InvestmentExplorer, InvestmentView, scaled_case
from .risk import Blend, RiskExplorer, RiskView, Scaled, scaled_risks
from .staffing import StaffingExplorer, StaffingView, average_handle_time_s, scaled_forecast

__all__ = [
    "DEFAULT_SCENARIOS",
    "Blend",
    "InvestmentExplorer",
    "InvestmentView",
    "RiskExplorer",
    "RiskView",
    "Scaled",
    "StaffingExplorer",
    "StaffingView",
    "average_handle_time_s",
    "parse_change",
    "relative_change",
    "scaled_case",
    "scaled_forecast",
    "scaled_risks",
    "write_scenario",
]
