"""cio_analytics.continuity: availability of a business service, outage risk, DR options."""

from .availability import (
    AvailabilityResult,
    availability_from_mtbf,
    downtime_cost,
    expected_downtime_h,
    k_of_n_availability,
    parallel_availability,
    series_availability,
    service_availability,
)
from .options import (
    ContinuityOption,
    OptionComparison,
    OptionResult,
    RtoRpoResult,
    evaluate_options,
    options_from_spec,
    rto_rpo_scenarios,
)
from .outage import OutageResult, compound_poisson_moments, simulate_outages
from .structure import Block, Component, ServiceModel, make_restore, service_from_spec

__all__: list[str] = [
    "AvailabilityResult",
    "Block",
    "Component",
    "ContinuityOption",
    "OptionComparison",
    "OptionResult",
    "OutageResult",
    "RtoRpoResult",
    "ServiceModel",
    "availability_from_mtbf",
    "compound_poisson_moments",
    "downtime_cost",
    "evaluate_options",
    "expected_downtime_h",
    "k_of_n_availability",
    "make_restore",
    "options_from_spec",
    "parallel_availability",
    "rto_rpo_scenarios",
    "series_availability",
    "service_availability",
    "service_from_spec",
    "simulate_outages",
]
