"""cio_analytics.portfolio: choosing IT projects under budget, capacity and risk.

- :class:`Portfolio`, :class:`Constraints`: the project list (costs per year, FTE per skill,
  expected NPV and range, dependencies, exclusions, mandatory flags, strategic scores) and the
  budget and capacity limits; :func:`mandatory_shortfall` says what the mandatory set lacks.
- :func:`select_portfolio`: the exact optimum (MILP, HiGHS) of expected NPV, expected shortfall
  or a percentile of portfolio NPV, with the MIP gap.
- :func:`efficient_frontier`: expected value against downside risk (epsilon-constraint).
- :func:`marginal_values`, :func:`budget_sweep`: what one more unit of budget or capacity is
  worth and how the selection moves with the budget.
- :func:`simulate_portfolio`, :func:`project_scenarios`: correlated Monte Carlo of portfolio NPV
  through :func:`cio_analytics.risk.simulate`.
"""

from .frontier import FrontierResult, efficient_frontier
from .model import Constraints, Portfolio, mandatory_shortfall
from .results import PortfolioSelection, downside
from .risk import PortfolioRisk, driver_correlation, project_scenarios, simulate_portfolio
from .select import OBJECTIVES, select_portfolio
from .sensitivity import BudgetSweep, MarginalValues, budget_sweep, marginal_values

__all__ = [
    "OBJECTIVES",
    "BudgetSweep",
    "Constraints",
    "FrontierResult",
    "MarginalValues",
    "Portfolio",
    "PortfolioRisk",
    "PortfolioSelection",
    "budget_sweep",
    "downside",
    "driver_correlation",
    "efficient_frontier",
    "mandatory_shortfall",
    "marginal_values",
    "project_scenarios",
    "select_portfolio",
    "simulate_portfolio",
]
