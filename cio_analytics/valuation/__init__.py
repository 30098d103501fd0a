"""cio_analytics.valuation"""

from .adjust import adjust_case
from .annuity import rate
from .breakeven import (
    BREAK_EVEN_STATUSES,
    BreakEven,
    BreakEvenAnalysis,
    find_root,
    irr_break_even,
    npv_break_even,
    probability_break_even,
)
from .case import CaseResult, InvestmentCase, LineItem
from .compare import CaseComparison, compare_cases
from .daycount import DAY_COUNTS, year_fraction
from .depreciation import db, ddb, depreciation_schedule, sln, syd
from .loans import cumipmt, cumprinc, ipmt, nper, ppmt
from .profile import npv_profile
from .rates import (
    SEVERAL_RATES_LABEL,
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
    "BREAK_EVEN_STATUSES",
    "DAY_COUNTS",
    "SEVERAL_RATES_LABEL",
    "BreakEven",
    "BreakEvenAnalysis",
    "CaseComparison",
    "CaseResult",
    "InvestmentCase",
    "LineItem",
    "RateResult",
    "adjust_case",
    "compare_cases",
    "cumipmt",
    "cumprinc",
    "db",
    "ddb",
    "depreciation_schedule",
    "discounted_payback_period",
    "eac",
    "find_root",
    "fv",
    "ipmt",
    "irr",
    "irr_break_even",
    "mirr",
    "nper",
    "npv",
    "npv_break_even",
    "npv_profile",
    "payback_period",
    "pmt",
    "ppmt",
    "probability_break_even",
    "pv",
    "rate",
    "sln",
    "syd",
    "xirr",
    "xnpv",
    "year_fraction",
]
