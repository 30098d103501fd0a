"""cio_analytics.risk"""

from ._appetite import check_appetite
from .adjust import REGISTER_ADJUSTMENTS, adjust_risks
from .correlation import nearest_correlation, spearman_to_normal
from .cost_at_risk import cost_at_risk
from .distributions import (
    PERT,
    Bernoulli,
    Beta,
    Discrete,
    Distribution,
    Empirical,
    Exponential,
    Gamma,
    LogLogistic,
    LogNormal,
    Normal,
    Pareto,
    Poisson,
    Triangular,
    Truncated,
    Uniform,
    Weibull,
)
from .earned_value import (
    EarnedValueMetrics,
    EarnedValueResult,
    earned_value,
    earned_value_metrics,
)
from .fair import FairControl, FairResult, FairScenario, fair_from_spec, simulate_fair
from .fitting import FitResult, fit_distribution
from .project import ProjectResult, Task, simulate_project, tasks_from_table
from .project_status import ProjectOutlook, project_outlook
from .register import RegisterResult, Risk, risks_from_table, simulate_register
from .results import CorrelationInfo, SimulationResult, wilks_sample_size
from .sensitivity_sobol import SobolResult, sobol_indices
from .simulation import simulate, simulate_until
from .uncertain_case import (
    UncertainCaseResult,
    UncertainCaseSpec,
    simulate_case,
    uncertainty_from_spec,
)

__all__: list[str] = [
    "PERT",
    "REGISTER_ADJUSTMENTS",
    "Bernoulli",
    "Beta",
    "CorrelationInfo",
    "Discrete",
    "Distribution",
    "EarnedValueMetrics",
    "EarnedValueResult",
    "Empirical",
    "Exponential",
    "FairControl",
    "FairResult",
    "FairScenario",
    "FitResult",
    "Gamma",
    "LogLogistic",
    "LogNormal",
    "Normal",
    "Pareto",
    "Poisson",
    "ProjectOutlook",
    "ProjectResult",
    "RegisterResult",
    "Risk",
    "SimulationResult",
    "SobolResult",
    "Task",
    "Triangular",
    "Truncated",
    "UncertainCaseResult",
    "UncertainCaseSpec",
    "Uniform",
    "Weibull",
    "adjust_risks",
    "check_appetite",
    "cost_at_risk",
    "earned_value",
    "earned_value_metrics",
    "fair_from_spec",
    "fit_distribution",
    "nearest_correlation",
    "project_outlook",
    "risks_from_table",
    "simulate",
    "simulate_case",
    "simulate_fair",
    "simulate_project",
    "simulate_register",
    "simulate_until",
    "sobol_indices",
    "spearman_to_normal",
    "tasks_from_table",
    "uncertainty_from_spec",
    "wilks_sample_size",
]
