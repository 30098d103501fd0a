"""Break-even values in words: "NPV stays positive while benefits stay above EUR 264 a year
(12.1 % below plan)".

The domains compute break-even values (:func:`cio_analytics.valuation.npv_break_even`,
:func:`~cio_analytics.valuation.irr_break_even`,
:func:`~cio_analytics.valuation.probability_break_even`,
:func:`cio_analytics.staffing.service_level_break_even`,
:func:`cio_analytics.sourcing.tco_break_even`); this module phrases them, every number through
:mod:`cio_analytics.reporting.formatting` and every input name through the glossary.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ...exceptions import ParameterError
from ...valuation import BreakEven, BreakEvenAnalysis
from ..formatting import format_money, format_number, format_percent
from ..glossary import label

__all__ = ["break_even_sentence", "break_even_sentences", "break_even_table"]

_DOMAIN = {
    "npv": "valuation",
    "irr": "valuation",
    "probability_npv_positive": "valuation",
    "service_level": "staffing",
    "tco": "sourcing",
}

#: How the inputs of the break-even functions read (data names such as line items pass through).
_INPUT_LABELS = {
    "discount_rate": "the discount rate",
    "calls": "contact volume",
    "handle_time_s": "handle time",
    "volume": "volume",
    "chosen_price_level": "the chosen offer's prices",
    "runner_up_price_level": "the runner-up's prices",
}


def _value(be: BreakEven, x: float, currency: str, style: str = "compact") -> str:
    unit = be.unit
    if unit == "per year":
        return format_percent(x)
    if unit == "x":
        return f"{format_percent(x)} of the offer"
    if unit == "calls":
        return format_number(x, decimals=0 if abs(x) >= 100 else 1, unit="an interval")
    if unit == "s":
        return format_number(x, decimals=0, unit="s")
    if unit == "units per year":
        return format_number(x, compact=abs(x) >= 10_000, unit="units a year")
    code, _, period = (unit or currency).partition(" per ")
    suffix = f" a {period}" if period else ""
    if style == "compact":  # three significant digits: EUR 264k, EUR 1.14M
        return format_money(x, code, style=style, significant=3) + suffix
    return format_money(x, code, style=style) + suffix


def _change(be: BreakEven) -> str:
    """'12 % below plan', or for a rate '5.2 percentage points above plan'."""
    if be.unit == "per year":
        points = abs(be.change) * 100.0
        amount = f"{format_number(points, decimals=1)} percentage points"
    else:
        amount = format_percent(abs(be.relative_change))
    side = "below" if be.change < 0 else "above"
    return f"{amount} {side} plan"


def _plural(name: str) -> bool:
    """Whether a label reads as a plural ("benefits", "the runner-up's prices")."""
    last = name.split()[-1] if name.split() else name
    return last.endswith("s") and not last.endswith("ss")


def _verb(name: str, singular: str, plural: str) -> str:
    return plural if _plural(name) else singular


def _claim(analysis: BreakEvenAnalysis) -> str:
    c, t = analysis.criterion, analysis.threshold
    if c == "npv":
        return "NPV stays positive"
    if c == "irr":
        return f"the IRR stays above the {format_percent(t)} hurdle"
    if c == "probability_npv_positive":
        return f"the chance of a positive NPV stays at {format_percent(t)} or more"
    if c == "service_level":
        return f"the {format_percent(t)} service level holds"
    if c == "tco":
        chosen = analysis.subject.split(" vs ")[0]
        return f"{chosen} stays the cheaper offer"
    return "the decision holds"


def _input_label(name: str, criterion: str, labels: Mapping[str, str] | None) -> str:
    extra = {**_INPUT_LABELS, **(labels or {})}
    return label(name, _DOMAIN.get(criterion), extra=extra)


def break_even_sentence(
    analysis: BreakEvenAnalysis, input: str, *, labels: Mapping[str, str] | None = None
) -> str:
    """One input's break-even as a sentence for the report.

    Parameters
    ----------
    analysis : BreakEvenAnalysis
        From any of the domains' break-even functions.
    input : str
        The input to phrase (a line item, ``"calls"``, ``"volume"``, ...).
    labels : dict, optional
        Display names for inputs (``{"Savings": "benefits"}``); otherwise the glossary.

    Returns
    -------
    str
        "NPV stays positive while benefits stay above EUR 264 a year (12.1 % below plan).", or
        when the plan misses the threshold "... would be met once benefits rise above EUR 330 a
        year (10 % above plan).", or that the input does not flip the decision in the range
        searched.

    Examples
    --------
    >>> from cio_analytics.valuation import InvestmentCase, LineItem, npv_break_even
    >>> case = InvestmentCase("x", [LineItem("Build", "capex", 1000),
    ...                             LineItem("Savings", "benefit", 300)],
    ...                       horizon_years=5, discount_rate=0.10)
    >>> break_even_sentence(npv_break_even(case), "Savings", labels={"Savings": "benefits"})
    'NPV stays positive while benefits stay above EUR 264 a year (12.1 % below plan).'
    """
    if not isinstance(analysis, BreakEvenAnalysis):
        raise ParameterError(
            f"`analysis` must be a BreakEvenAnalysis (from npv_break_even, "
            f"service_level_break_even, tco_break_even, ...). Got {type(analysis).__name__}."
        )
    be = analysis[input]
    name = _input_label(be.input, be.criterion, labels)
    claim = _claim(analysis)
    if be.status == "no effect":
        return f"{name[:1].upper()}{name[1:]} {_verb(name, 'does', 'do')} not move the decision."
    if be.status != "found":
        low = _value(be, be.search_low, analysis.currency)
        high = _value(be, be.search_high, analysis.currency)
        verdict = "holds" if be.decision_holds_at_base else "stays unmet"
        return (
            f"{name[:1].upper()}{name[1:]} {_verb(name, 'does', 'do')} not flip the decision "
            f"anywhere from {low} to {high}: it {verdict}."
        )
    value = _value(be, be.break_even_value, analysis.currency)
    if be.decision_holds_at_base:
        stay = _verb(name, "stays", "stay")
        return (
            f"{claim[:1].upper()}{claim[1:]} while {name} {stay} {be.holds_while} {value} "
            f"({_change(be)})."
        )
    move = (
        _verb(name, "rises", "rise") + " above"
        if be.holds_while == "above"
        else _verb(name, "falls", "fall") + " below"
    )
    target = claim.replace("stays", "would be").replace("holds", "would be met")
    return f"{target[:1].upper()}{target[1:]} once {name} {move} {value} ({_change(be)})."


def break_even_sentences(
    analysis: BreakEvenAnalysis, *, labels: Mapping[str, str] | None = None
) -> list[str]:
    """:func:`break_even_sentence` for every input, in the analysis's order."""
    return [break_even_sentence(analysis, name, labels=labels) for name in analysis.inputs]


def break_even_table(
    analysis: BreakEvenAnalysis, *, labels: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The break-even values as a table to show: one row per input, every cell text.

    Columns: ``Input``, ``Plan``, ``Break-even``, ``Change``, ``Decision holds while``
    (money in full, as tables show it).

    Examples
    --------
    >>> from cio_analytics.staffing import service_level_break_even
    >>> res = service_level_break_even(100, 1800, 180, 14, target_service_level=0.8,
    ...                                answer_time_s=20)
    >>> break_even_table(res).iloc[0].tolist()
    ['Contact volume', '100 an interval', '109 an interval', '8.7 % above plan', 'below']
    """
    rows = []
    for be in analysis.results:
        found = be.status == "found"
        name = _input_label(be.input, be.criterion, labels)
        rows.append(
            {
                "Input": f"{name[:1].upper()}{name[1:]}",
                "Plan": _value(be, be.base_value, analysis.currency, "full"),
                "Break-even": _value(be, be.break_even_value, analysis.currency, "full")
                if found
                else ("no effect" if be.status == "no effect" else "no flip in range"),
                "Change": _change(be) if found else "",
                "Decision holds while": be.holds_while if found else "",
            }
        )
    return pd.DataFrame(rows)
