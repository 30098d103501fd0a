"""cio_analytics.sourcing: vendor offers (TCO), in-house vs outsourced, scoring, SLA penalties."""

from .adjust import adjust_offers
from .breakeven import TCO_INPUTS, tco_break_even
from .inhouse import INHOUSE, InHouseComparison, inhouse_vs_outsourced
from .offers import (
    Offer,
    OfferComparison,
    compare_offers,
    offer_cash_flows,
    offers_from_tables,
    volume_inputs,
)
from .scoring import DIRECTIONS, NORMALISATIONS, ScoringResult, normalise_scores, score_offers
from .sla import SLAPerformance, check_bands, sla_performance
from .tiers import TIER_SCHEMES, TierSchedule, all_units_break_even, tiered_cost

__all__: list[str] = [
    "DIRECTIONS",
    "INHOUSE",
    "NORMALISATIONS",
    "TCO_INPUTS",
    "TIER_SCHEMES",
    "InHouseComparison",
    "Offer",
    "OfferComparison",
    "SLAPerformance",
    "ScoringResult",
    "TierSchedule",
    "adjust_offers",
    "all_units_break_even",
    "check_bands",
    "compare_offers",
    "inhouse_vs_outsourced",
    "normalise_scores",
    "offer_cash_flows",
    "offers_from_tables",
    "score_offers",
    "sla_performance",
    "tco_break_even",
    "tiered_cost",
    "volume_inputs",
]
