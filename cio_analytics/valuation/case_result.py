"""The result of evaluating one investment case (:meth:`InvestmentCase.evaluate`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from .case import InvestmentCase

__all__ = ["CaseResult"]


@dataclass(frozen=True)
class CaseResult:
    """Cash flows and metrics of one investment case (:meth:`InvestmentCase.evaluate`).

    Attributes
    ----------
    case : InvestmentCase
        The case as evaluated (inputs echoed, rates after any override).
    cash_flows : pandas.DataFrame
        One row per period: ``period``, ``year``, one signed column per kind (costs negative),
        ``depreciation`` (non-cash, positive), ``tax`` (negative = paid), ``net``,
        ``cumulative``, ``discount_factor``, ``discounted``, ``cumulative_discounted``.
    npv : float
        Net present value at the discount rate, in currency (period 0 undiscounted).
    irr, mirr : float
        Annual internal and modified internal rate of return (MIRR with the discount rate as
        finance and reinvestment rate); NaN when undefined, see ``irr_status``.
    irr_status : str
        "ok", "no sign change", "no root", "several roots", "degenerate".
    payback_years, discounted_payback_years : float
        Years until the (discounted) cumulative cash flow reaches zero; NaN if never.
    tco, discounted_tco : float
        Total cost of ownership over the horizon (all cost lines, before tax), and its present
        value, positive, in currency.
    eac : float
        Equivalent annual cost: ``discounted_tco`` spread as a level annual amount over the
        horizon at the discount rate.
    """

    case: InvestmentCase
    cash_flows: pd.DataFrame = field(repr=False)
    npv: float
    irr: float
    irr_status: str
    mirr: float
    payback_years: float
    discounted_payback_years: float
    tco: float
    discounted_tco: float
    eac: float

    @property
    def currency(self) -> str:
        """The case currency."""
        return self.case.currency

    def summary(self) -> pd.DataFrame:
        """Tidy headline table: columns ``metric``, ``value``, ``unit``."""
        c = self.case
        rows = [
            ("npv", self.npv, c.currency),
            ("irr", self.irr, "per year"),
            ("mirr", self.mirr, "per year"),
            ("payback", self.payback_years, "years"),
            ("discounted_payback", self.discounted_payback_years, "years"),
            ("tco", self.tco, c.currency),
            ("discounted_tco", self.discounted_tco, c.currency),
            ("eac", self.eac, f"{c.currency} per year"),
            ("discount_rate", c.discount_rate, "per year"),
            ("tax_rate", c.tax_rate, "decimal"),
            ("horizon", float(c.horizon_years), "years"),
        ]
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])
