"""cio_analytics.staffing"""

from .adjust import FORECAST_ADJUSTMENTS, adjust_forecast
from .breakeven import SERVICE_LEVEL_INPUTS, service_level_break_even
from .erlang import (
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    occupancy,
    offered_load,
    service_level,
)
from .erlang_a import ErlangAResult, erlang_a
from .forecast import (
    AgentsAtPercentile,
    ArrivalProfile,
    arrival_profile,
    required_agents_at_confidence,
)
from .hiring import HiringPlan, hiring_plan
from .oncall import OnCallRotation, oncall_rotation
from .plan import StaffingPlan, staffing_plan
from .requirements import (
    StaffingRequirement,
    StaffingWarning,
    apply_shrinkage,
    required_agents,
    required_lines,
    staffing_requirement,
)
from .workload import WorkloadFTE, workload_fte

__all__: list[str] = [
    "FORECAST_ADJUSTMENTS",
    "SERVICE_LEVEL_INPUTS",
    "AgentsAtPercentile",
    "ArrivalProfile",
    "ErlangAResult",
    "HiringPlan",
    "OnCallRotation",
    "StaffingPlan",
    "StaffingRequirement",
    "StaffingWarning",
    "WorkloadFTE",
    "adjust_forecast",
    "apply_shrinkage",
    "arrival_profile",
    "average_speed_of_answer",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "hiring_plan",
    "occupancy",
    "offered_load",
    "oncall_rotation",
    "required_agents",
    "required_agents_at_confidence",
    "required_lines",
    "service_level",
    "service_level_break_even",
    "staffing_plan",
    "staffing_requirement",
    "workload_fte",
]
