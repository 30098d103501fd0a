"""The line-item vocabulary of an investment case and the validated case settings.

These definitions belong to the valuation domain: :class:`~cio_analytics.valuation.InvestmentCase`
uses them to check its line items, and the case reader (:mod:`cio_analytics.io.cases`) uses them
to check a file before it builds a :class:`CaseSpec`.

Examples
--------
>>> LINE_ITEM_KINDS[0], KIND_ALIASES["license"]
('capex', 'licence')
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = [
    "KIND_ALIASES",
    "LINE_ITEM_COLUMNS",
    "LINE_ITEM_KINDS",
    "SIGN_RULE",
    "CaseSpec",
    "sign_error_text",
]

#: The kinds of line item, in the column order of the cash-flow table.
LINE_ITEM_KINDS = ("capex", "opex_one_off", "opex_recurring", "licence", "staff", "benefit")
#: Common spellings accepted and mapped to a kind.
KIND_ALIASES = {
    "benefits": "benefit",
    "licences": "licence",
    "license": "licence",
    "licenses": "licence",
    "one_off_opex": "opex_one_off",
    "recurring_opex": "opex_recurring",
}
#: The one sign rule of every kind: amounts are entered as positive numbers (0 allowed) and
#: the kind gives the direction: benefits are money in, every other kind money out.
SIGN_RULE = (
    "amounts are entered as positive numbers and the kind gives the sign "
    "(benefit: money in; capex, opex_one_off, opex_recurring, licence, staff: money out)"
)


def sign_error_text(item: str, kind: str, amount: float) -> tuple[str, str]:
    """``(rule, fix)`` for a negative amount of line item ``item``: the message of both layers.

    >>> sign_error_text("Build", "capex", -420000.0)[1][:28]
    'Enter 420000 (the kind capex'
    """
    rule = (
        f"line item {item!r} ({kind}) has a negative amount, but {SIGN_RULE}. "
        "A negative amount would turn this line around silently."
    )
    if kind == "benefit":
        what = "money out (a cost) is a line of a cost kind such as opex_recurring"
    else:
        what = "money coming back (a rebate, a resale) is a separate line of kind benefit"
    fix = f"Enter {abs(amount):g} (the kind {kind} gives the sign); {what}."
    return rule, fix


#: Columns of a line-item table, in order; the first three are required.
LINE_ITEM_COLUMNS = (
    "name",
    "kind",
    "amount",
    "start",
    "duration",
    "escalation",
    "depreciation_years",
)


@dataclass(frozen=True)
class CaseSpec:
    """A validated case file: the case settings and its line-item table.

    Attributes
    ----------
    name, description, currency : str
        As in the file.
    horizon_years : int
        Length of the appraisal in years.
    discount_rate, tax_rate : float
        Annual decimals.
    depreciation_years : int or None
        Default straight-line life of capex in years; None for no depreciation.
    periods_per_year : int
        1 (yearly) or 12 (monthly).
    line_items : pandas.DataFrame
        The table of :data:`LINE_ITEM_COLUMNS`, validated (``duration`` and
        ``depreciation_years`` may hold NaN for "use the default").
    path : str
        The file as named by the caller; ``sha256`` its digest (for the report index).
    """

    name: str
    description: str
    currency: str
    horizon_years: int
    discount_rate: float
    tax_rate: float
    depreciation_years: int | None
    periods_per_year: int
    line_items: pd.DataFrame
    path: str
    sha256: str
