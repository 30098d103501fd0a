"""cio_analytics.performance: team performance from a ticket export.

Service metrics by team and month (SLA attainment, time to resolve, backlog and its age, reopen
rate, first-contact resolution), control charts and trends that separate change from noise, a
review with a verdict per team, and capacity against demand with the staffing workload model.
"""

from .capacity import CapacityReview, capacity_vs_demand
from .control import (
    D2,
    D4,
    DEFAULT_RULES,
    E2,
    RULES,
    ControlChart,
    Trend,
    p_chart,
    run_rules,
    theil_sen_trend,
    xmr_chart,
)
from .review import CONTROL_METRICS, REVIEW_RULES, TeamReview, team_review
from .tickets import TicketMetrics, ticket_metrics

__all__: list[str] = [
    "CONTROL_METRICS",
    "D2",
    "D4",
    "DEFAULT_RULES",
    "E2",
    "REVIEW_RULES",
    "RULES",
    "CapacityReview",
    "ControlChart",
    "TeamReview",
    "TicketMetrics",
    "Trend",
    "capacity_vs_demand",
    "p_chart",
    "run_rules",
    "team_review",
    "theil_sen_trend",
    "ticket_metrics",
    "xmr_chart",
]
