"""The investment decision: proceed or not, and which of two cases."""

from __future__ import annotations

from typing import Any

from ..._validation import check_probability, check_rate
from ...valuation import SEVERAL_RATES_LABEL
from ..formatting import format_money, format_percent, is_missing
from ..summary import Decision, key_numbers_frame

__all__ = ["investment_decision"]


def _irr_clause(irr: float, status: str, hurdle_rate: float, mirr: float = float("nan")) -> str:
    if status == "several roots":
        clause = f"the IRR is not one rate: {SEVERAL_RATES_LABEL}"
        if not is_missing(mirr):
            verdict = "clears" if mirr >= hurdle_rate else "is below"
            clause += (
                f"; the MIRR of {format_percent(mirr, 1)} {verdict} the "
                f"{format_percent(hurdle_rate, 1)} hurdle"
            )
        return clause
    if is_missing(irr):
        return f"the IRR is not defined ({status})"
    verdict = "clears" if irr >= hurdle_rate else "is below"
    return (
        f"the IRR of {format_percent(irr, 1)} {verdict} the {format_percent(hurdle_rate, 1)} hurdle"
    )


def _comparison(comparison: Any, discount_rate: float, cur: str) -> Decision:
    base, alt = comparison.base.case.name, comparison.alternative.case.name
    other = alt if comparison.preferred == base else base
    rate = comparison.break_even_rate
    flips = (
        f"; the choice flips at a discount rate of {format_percent(rate, 1)}"
        if not is_missing(rate) and rate >= 0
        else "; the preferred option is better at every positive discount rate"
    )
    verdict = f"Choose “{comparison.preferred}”"
    sentence = (
        f"{verdict}: its NPV at {format_percent(discount_rate, 1)} is "
        f"{format_money(comparison.advantage, cur, compact=True)} better than “{other}”{flips}."
    )
    rows = [
        ("NPV advantage", comparison.advantage, None, None, "money"),
        (f"NPV: {base}", comparison.base.npv, None, None, "money"),
        (f"NPV: {alt}", comparison.alternative.npv, None, None, "money"),
        ("Break-even discount rate", rate if not is_missing(rate) and rate >= 0 else None,
         None, None, "percent"),
    ]  # fmt: skip
    return Decision(verdict, sentence, key_numbers_frame(rows), True, cur)


def investment_decision(
    case_result: Any,
    uncertain_result: Any = None,
    *,
    hurdle_rate: float,
    min_probability_positive: float,
    comparison: Any = None,
) -> Decision:
    """Proceed or not with an investment case, from its plan figures and its Monte Carlo.

    Parameters
    ----------
    case_result : CaseResult
        The plan (``InvestmentCase.evaluate``).
    uncertain_result : UncertainCaseResult, optional
        The Monte Carlo of the same case (``simulate_case``); gives the P10 to P90 ranges and
        the chance that the NPV is positive.
    hurdle_rate : float
        Lowest acceptable IRR, annual decimal (0.12 for 12 %).
    min_probability_positive : float
        Lowest acceptable chance that the NPV is positive, in [0, 1]; used with a Monte Carlo.
    comparison : CaseComparison, optional
        Two options compared (``compare_cases``): the decision is then which to choose, and the
        standalone test of ``case_result`` becomes a note.

    Returns
    -------
    Decision
        "Proceed" when the NPV is positive, the IRR clears the hurdle (or is undefined with a
        positive NPV) and the chance of a positive NPV reaches the threshold; else
        "Do not proceed". Key numbers: NPV (P10 to P90), chance NPV > 0, IRR (P10 to P90),
        payback, TCO.

    Examples
    --------
    >>> from cio_analytics.valuation import InvestmentCase, LineItem
    >>> case = InvestmentCase("Pilot", (LineItem("build", "capex", 1000, start=0),
    ...     LineItem("savings", "benefit", 400, start=1, duration=4)), horizon_years=4)
    >>> d = investment_decision(case.evaluate(discount_rate=0.08), hurdle_rate=0.12,
    ...                         min_probability_positive=0.7)
    >>> print(d.sentence)
    Proceed: the planned NPV is EUR 325 at 8.0 % and the IRR of 21.9 % clears the 12.0 % hurdle.
    """
    check_rate(hurdle_rate, "hurdle_rate", allow_array=False)
    check_probability(min_probability_positive, "min_probability_positive")
    r, cur = case_result, case_result.currency
    rate = r.case.discount_rate
    thresholds = {"hurdle_rate": hurdle_rate, "min_probability_positive": min_probability_positive}
    u = uncertain_result
    p_pos = None if u is None else 1.0 - u.probability_npv_negative
    npv_ok = r.npv > 0
    several = r.irr_status == "several roots"
    if several:  # several rates make the NPV zero: the MIRR is the rate to judge
        irr_ok = is_missing(r.mirr) or r.mirr >= hurdle_rate
    else:
        irr_ok = is_missing(r.irr) or r.irr >= hurdle_rate
    p_ok = p_pos is None or p_pos >= min_probability_positive
    proceed = bool(npv_ok and irr_ok and p_ok)
    verdict = "Proceed" if proceed else "Do not proceed"
    chance = ""
    if p_pos is not None:
        only = "" if p_ok else "only "
        chance = (
            f"{only}{format_percent(p_pos)} chance the NPV is positive "
            f"(at least {format_percent(min_probability_positive)} required); "
        )
    sentence = (
        f"{verdict}: {chance}the planned NPV is {format_money(r.npv, cur, compact=True)} at "
        f"{format_percent(rate, 1)} and {_irr_clause(r.irr, r.irr_status, hurdle_rate, r.mirr)}."
    )
    pick = (lambda name: getattr(u, name)) if u is not None else (lambda name: None)
    rows = [
        (f"NPV at {format_percent(rate, 1)}", r.npv, pick("npv_p10"), pick("npv_p90"), "money"),
        ("Chance the NPV is positive", p_pos, None, None, "percent"),
        ("MIRR (several IRRs)", r.mirr, None, None, "percent")
        if several
        else ("IRR", r.irr, pick("irr_p10"), pick("irr_p90"), "percent"),
        ("Payback", r.payback_years, None, None, "years"),
        (f"Total cost of ownership ({r.case.horizon_years} years)", r.tco, None, None, "money"),
    ]
    if u is None:
        del rows[1]
    notes = []
    if u is not None:
        notes.append(f"Ranges: P10 to P90 over {u.n_trials:,} Monte Carlo trials (seed {u.seed}).")
    if is_missing(r.payback_years):
        notes.append(f"Payback is not reached within the {r.case.horizon_years}-year horizon.")
    if comparison is not None:
        chosen = _comparison(comparison, rate, cur)
        standalone = sentence.split(": ", 1)[1]
        return Decision(
            chosen.decision, chosen.sentence, chosen.key_numbers, True, cur, "P10 to P90",
            thresholds, (f"{r.case.name} on its own: {verdict.lower()}; {standalone}", *notes),
        )  # fmt: skip
    return Decision(
        verdict, sentence, key_numbers_frame(rows), proceed, cur, "P10 to P90", thresholds,
        tuple(notes),
    )  # fmt: skip
