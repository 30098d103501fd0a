"""Decision sentences and key numbers per domain, built from result objects and thresholds.

Each helper reads figures the models already computed (it runs no model) and applies the
thresholds it is given; none is a constant here. The result is a :class:`Decision` that
:func:`~cio_analytics.reporting.summary.executive_summary` renders and whose ``key_numbers``
table can be recorded for the Excel workbook.
"""

from __future__ import annotations

from .breakeven import break_even_sentence, break_even_sentences, break_even_table
from .budget import budget_decision
from .continuity import continuity_decision
from .delivery import delivery_decision, delivery_table
from .performance import focus_team, performance_decision
from .portfolio import portfolio_decision
from .risk import risk_decision
from .sourcing import sourcing_decision
from .staffing import point_forecast_fte, staffing_decision
from .valuation import investment_decision
from .whatif import (
    FlipPoint,
    WhatWouldChange,
    decision_break_even,
    record_break_even,
    what_would_change,
    with_fragility_flag,
)

__all__ = [
    "FlipPoint",
    "WhatWouldChange",
    "break_even_sentence",
    "break_even_sentences",
    "break_even_table",
    "budget_decision",
    "continuity_decision",
    "decision_break_even",
    "delivery_decision",
    "delivery_table",
    "focus_team",
    "investment_decision",
    "performance_decision",
    "point_forecast_fte",
    "portfolio_decision",
    "record_break_even",
    "risk_decision",
    "sourcing_decision",
    "staffing_decision",
    "what_would_change",
    "with_fragility_flag",
]
