"""cio_analytics.budget: steering the IT budget.

Variance against budget with a price/volume explanation, the full-year landing forecast with its
range and probability of overrun, the recommended adjustment, the spend mix against the plan and
IT spend ratios against the organisation's own history. Readers for the files are in
:mod:`cio_analytics.io` (``read_budget``, ``read_actuals``, ``read_commitments``,
``read_it_spend_history``).
"""

from .adjust import BudgetAdjustment, recommend_adjustment
from .forecast import LandingForecast, landing_forecast, monthly_volatility
from .mix import SpendMix, spend_mix
from .ratios import SpendRatios, spend_ratios
from .variance import VarianceResult, budget_variance, price_volume_variance

__all__ = [
    "BudgetAdjustment",
    "LandingForecast",
    "SpendMix",
    "SpendRatios",
    "VarianceResult",
    "budget_variance",
    "landing_forecast",
    "monthly_volatility",
    "price_volume_variance",
    "recommend_adjustment",
    "spend_mix",
    "spend_ratios",
]
