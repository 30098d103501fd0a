"""cio_analytics.valuation"""

from .case import CaseResult, InvestmentCase, LineItem
from .compare import CaseComparison, compare_cases
from .depreciation import db, ddb, depreciation_schedule, sln, syd
from .rates import (
    RateResult,
    discounted_payback_period,
    irr,
    mirr,
    npv,
    payback_period,
    xirr,
    xnpv,
)
from .tvm import eac, fv, pmt, pv

__all__: list[str] = [
    "CaseComparison",
    "CaseResult",
    "InvestmentCase",
    "LineItem",
    "RateResult",
    "compare_cases",
    "db",
    "ddb",
    "depreciation_schedule",
    "discounted_payback_period",
    "eac",
    "fv",
    "irr",
    "mirr",
    "npv",
    "payback_period",
    "pmt",
    "pv",
    "sln",
    "syd",
    "xirr",
    "xnpv",
]
