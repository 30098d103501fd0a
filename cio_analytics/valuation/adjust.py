"""Scenario adjustments of an investment case: benefits -20 %, capex +15 %, one line item, the horizon.

A scenarios file (``cio-analytics run PACK --scenarios FILE``) changes model inputs of a case
without editing the case file: the investment notebook takes them as one parameter,
``adjustments``, and applies them with :func:`adjust_case` where the case is loaded. The ranges
of the Monte Carlo are factors of the planned amounts (``basis: factor``), so they follow the
adjusted amounts: a benefit 20 % lower has its P10 and P90 20 % lower too.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

from .._validation import change_factor, did_you_mean, short_repr
from ..exceptions import ParameterError
from ._spec import KIND_ALIASES, LINE_ITEM_KINDS
from .case import InvestmentCase

__all__ = ["CASE_SETTINGS", "CATEGORY_ADJUSTMENTS", "adjust_case", "adjustment_factor"]

#: Groups of line items a relative change applies to: every benefit, every cost, or one kind.
CATEGORY_ADJUSTMENTS: dict[str, tuple[str, ...]] = {
    "benefits": ("benefit",),
    "costs": tuple(k for k in LINE_ITEM_KINDS if k != "benefit"),
    **{k: (k,) for k in LINE_ITEM_KINDS if k != "benefit"},
}
#: Case settings a scenario may set to a new value (decimals, years).
CASE_SETTINGS = ("discount_rate", "tax_rate", "horizon_years")


def adjustment_factor(value: Any, name: str = "value") -> float:
    """The factor of a relative change as a scenarios file writes it (``"-20 %"`` -> 0.8).

    Parameters
    ----------
    value : str
        A signed percentage: ``"-20 %"``, ``"+15%"``, ``"0 %"``.
    name : str
        The adjusted input, named in the error.

    Returns
    -------
    float
        ``1 + p / 100``, at least 0.

    Examples
    --------
    >>> adjustment_factor("-20 %"), adjustment_factor("+15%")
    (0.8, 1.15)
    """
    factor = change_factor(value)
    if factor is None:
        raise ParameterError(
            f"`{name}` must be a relative change such as '-20 %' or '+15 %'. Got "
            f"{short_repr(value)}. Write the sign, the percentage and '%'."
        )
    if factor < 0:
        raise ParameterError(
            f"`{name}` cannot fall by more than 100 %. Got {value!r}. Use '-100 %' for none."
        )
    return factor


def _new_amount(value: Any, name: str) -> float:
    """A line item's new amount per period, checked."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ParameterError(
            f"`{name}` must be a relative change ('-20 %') or the new amount per period "
            f"(a number >= 0). Got {short_repr(value)}."
        )
    if value < 0:
        raise ParameterError(
            f"`{name}`: amounts are entered as positive numbers (the kind gives the sign). "
            f"Got {value!r}. Write {abs(value):g}, or a relative change such as '-20 %'."
        )
    return float(value)


def adjust_case(case: InvestmentCase, adjustments: Mapping[str, Any] | None) -> InvestmentCase:
    """The case with a scenario's changes of its inputs applied.

    Parameters
    ----------
    case : InvestmentCase
        The planned case.
    adjustments : mapping or None
        Input -> change; empty or None returns ``case`` itself. Inputs:

        - a group of line items, ``benefits``, ``costs`` (every kind but benefits) or one kind
          (``capex``, ``opex_one_off``, ``opex_recurring``, ``licence``, ``staff``): a relative
          change of their amounts, ``"-20 %"``;
        - a line item by its name (``"SaaS subscription"``): a relative change, or its new
          amount per period in the case currency (``95000``);
        - ``discount_rate``, ``tax_rate`` (decimals) and ``horizon_years`` (whole years).

        A group and a line item in it multiply (``benefits: -20 %`` and ``"Agent
        productivity": +10 %`` give 0.88 of that item's plan); a new amount replaces the plan
        and is not changed by its group.

    Returns
    -------
    InvestmentCase
        Same name, timing and escalation; the changed amounts and settings.

    Raises
    ------
    ParameterError
        Listing every input that is unknown (with the closest name) or whose value is wrong.

    Notes
    -----
    ``amount'_i = amount_i * prod_g f_g * f_i`` over the groups ``g`` the item belongs to, or
    the new amount when one is given. The NPV is linear in the amounts
    (``NPV = sum_t (a W)_t (1 + r)^-t``), so a relative change of a group moves the NPV by
    that group's share times the change. Monte Carlo ranges written as factors of the plan
    follow the adjusted amounts.

    Examples
    --------
    >>> from cio_analytics.valuation import LineItem
    >>> case = InvestmentCase("x", [LineItem("Build", "capex", 1000), LineItem("Gain", "benefit", 300)],
    ...                       horizon_years=3, discount_rate=0.08)
    >>> new = adjust_case(case, {"benefits": "-20 %", "Build": 1100, "discount_rate": 0.1})
    >>> [i.amount for i in new.line_items], new.discount_rate
    ([1100.0, 240.0], 0.1)
    """
    if not adjustments:
        return case
    if not isinstance(adjustments, Mapping):
        raise ParameterError(
            f"`adjustments` must be a mapping of input -> change, e.g. {{'benefits': '-20 %'}}. "
            f"Got {short_repr(adjustments)}."
        )
    items = case.item_names
    known = [*CATEGORY_ADJUSTMENTS, *CASE_SETTINGS, *items]
    problems: list[str] = []
    factors = [1.0] * len(items)
    amounts: dict[int, float] = {}
    settings: dict[str, Any] = {}
    for key, value in adjustments.items():
        name = KIND_ALIASES.get(str(key), str(key))
        name = "benefits" if name == "benefit" else name
        try:
            if name in CATEGORY_ADJUSTMENTS:
                f = adjustment_factor(value, str(key))
                kinds = CATEGORY_ADJUSTMENTS[name]
                factors = [
                    x * f if i.kind in kinds else x
                    for x, i in zip(factors, case.line_items, strict=True)
                ]
            elif name in items:
                k = items.index(name)
                if isinstance(value, str):
                    factors[k] *= adjustment_factor(value, str(key))
                else:
                    amounts[k] = _new_amount(value, str(key))
            elif name == "horizon_years":
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    raise ParameterError(
                        f"`horizon_years` must be a whole number of years >= 1. Got "
                        f"{short_repr(value)}."
                    )
                settings[name] = value
            elif name in CASE_SETTINGS:
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise ParameterError(
                        f"`{name}` must be a decimal (0.10 for 10 %). Got {short_repr(value)}."
                    )
                settings[name] = float(value)
            else:
                raise ParameterError(
                    f"`{key}` is not an input of case {case.name!r}.{did_you_mean(str(key), known)}"
                    f" Inputs: {', '.join(known)}."
                )
        except ParameterError as exc:
            problems.append(str(exc))
    if problems:
        raise ParameterError("; ".join(problems) if len(problems) == 1 else "\n".join(problems))
    new_items = [
        dataclasses.replace(i, amount=amounts[k] if k in amounts else i.amount * factors[k])
        if (k in amounts or factors[k] != 1.0)
        else i
        for k, i in enumerate(case.line_items)
    ]
    return case.replace(line_items=new_items, **settings)
