"""cio_analytics.reporting.charts: the product's decision charts, theme and number formatting.

Every chart function takes a result object of the library, returns a themed
:class:`matplotlib.figure.Figure` (not tracked by pyplot: show it as the last expression of a
cell or with ``display(fig)``; it never shows twice and never needs closing) with a title, axis
labels with units, currency / percent axes and a descriptive alt text that the HTML reports use.

>>> from cio_analytics.reporting import charts
>>> charts.format_money(1_234_567, "EUR")
'EUR 1.2M'
"""

from ..formatting import format_money, format_number, format_percent
from ._common import ALT_TEXT_ATTR, alt_text, set_alt_text, show_figures_in_notebooks
from .budget import landing_fan
from .delivery import completion_s_curve, delivery_portfolio, evm_trend
from .distribution import outcome_distribution, s_curve
from .formatting import currency_axis, number_axis, percent_axis
from .performance import control_chart
from .portfolio import value_risk_frontier
from .risk import loss_exceedance, risk_matrix, sobol_chart
from .sensitivity import tornado
from .sourcing import option_costs
from .staffing import hiring_plan_chart, service_level_curve, staffing_heatmap
from .theme import COLORS, PALETTE, theme_context, theme_rc, use_theme
from .valuation import cumulative_cash_flow, tco_steps, tco_waterfall, waterfall

__all__ = [
    "ALT_TEXT_ATTR",
    "COLORS",
    "PALETTE",
    "alt_text",
    "completion_s_curve",
    "control_chart",
    "cumulative_cash_flow",
    "currency_axis",
    "delivery_portfolio",
    "evm_trend",
    "format_money",
    "format_number",
    "format_percent",
    "hiring_plan_chart",
    "landing_fan",
    "loss_exceedance",
    "number_axis",
    "option_costs",
    "outcome_distribution",
    "percent_axis",
    "risk_matrix",
    "s_curve",
    "service_level_curve",
    "set_alt_text",
    "show_figures_in_notebooks",
    "sobol_chart",
    "staffing_heatmap",
    "tco_steps",
    "tco_waterfall",
    "theme_context",
    "theme_rc",
    "tornado",
    "use_theme",
    "value_risk_frontier",
    "waterfall",
]

show_figures_in_notebooks()
