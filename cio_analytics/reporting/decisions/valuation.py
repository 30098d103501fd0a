"""The investment decision: proceed or not, and which of two cases."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..._validation import check_probability, check_rate
from ...valuation import SEVERAL_RATES_LABEL
from ..formatting import format_money, format_percent, is_missing
from ..summary import Decision, key_numbers_frame

__all__ = [
    "PLAN_METRICS_FORMATS",
    "chosen_option",
    "comparison_table",
    "investment_decision",
    "plan_against_trials",
    "plan_metrics_table",
    "rejected_option",
]


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
    chosen, rejected = chosen_option(comparison), rejected_option(comparison)
    rows = [
        (f"NPV: {chosen.case.name} (chosen)", chosen.npv, None, None, "money"),
        ("NPV advantage", comparison.advantage, None, None, "money"),
        (f"NPV: {rejected.case.name} (not chosen)", rejected.npv, None, None, "money"),
        ("Discount rate at which the choice flips",
         rate if not is_missing(rate) and rate >= 0 else None, None, None, "percent"),
    ]  # fmt: skip
    years = chosen.case.horizon_years
    return Decision(
        verdict, sentence, key_numbers_frame(rows), True, cur, subject=comparison.preferred,
        at_stake=float(chosen.tco),
        at_stake_label=f"Total cost of ownership of “{comparison.preferred}” ({years} years)",
    )  # fmt: skip


def plan_against_trials(case_result: Any, uncertain_result: Any) -> str:
    """Why the planned NPV differs from the simulated median and mean, from the trials.

    The plan evaluates every line item at its planned (most likely) amount; the Monte Carlo
    draws each uncertain item over its range. When the ranges are skewed (longer on the
    downside, as estimation ranges for costs and benefits usually are) the median and mean of
    the trials sit below the plan. The sentence states the three figures and the share of
    trials whose NPV is below the plan's.

    Parameters
    ----------
    case_result : CaseResult
        The plan (``InvestmentCase.evaluate``).
    uncertain_result : UncertainCaseResult
        Its Monte Carlo (``simulate_case``) at the same discount rate.

    Returns
    -------
    str
        One or two sentences, plain text, money compact.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> import pandas as pd
    >>> trials = NS(outputs=pd.DataFrame({"npv": [-50.0, 10.0, 40.0, 60.0, 120.0]}))
    >>> u = NS(simulation=trials, npv_p50=40.0, npv_mean=36.0, n_trials=5)
    >>> print(plan_against_trials(NS(npv=100.0, currency="EUR"), u))  # doctest: +NORMALIZE_WHITESPACE
    The plan's NPV (EUR 100) is above the simulated median (EUR 40) and mean (EUR 36): the plan
    takes each line item at its planned, most likely amount, while the estimation ranges reach
    further on the downside than on the upside, so 80 % of the 5 trials come out below the plan.
    """
    plan, cur = float(case_result.npv), case_result.currency
    npvs = np.asarray(uncertain_result.simulation.outputs["npv"], dtype=float)
    npvs = npvs[np.isfinite(npvs)]
    below = float(np.mean(npvs < plan)) if npvs.size else float("nan")
    median, mean = float(uncertain_result.npv_p50), float(uncertain_result.npv_mean)
    figures = (
        f"The plan's NPV ({format_money(plan, cur, compact=True)}) is "
        f"{{where}} the simulated median ({format_money(median, cur, compact=True)}) and mean "
        f"({format_money(mean, cur, compact=True)})"
    )
    share = f"{format_percent(below)} of the {uncertain_result.n_trials:,} trials come out below the plan"
    if plan > median:
        return (
            figures.format(where="above")
            + ": the plan takes each line item at its planned, most likely amount, while the "
            "estimation ranges reach further on the downside than on the upside, so " + share + "."
        )
    if plan < median:
        return (
            figures.format(where="below")
            + ": the estimation ranges reach further on the upside than on the downside, so "
            "only " + share + "."
        )
    return figures.format(where="equal to") + f"; {share}."


def chosen_option(comparison: Any) -> Any:
    """The option a comparison prefers, as its ``CaseResult`` (the decision's subject).

    Examples
    --------
    >>> from cio_analytics.valuation import InvestmentCase, LineItem, compare_cases
    >>> a = InvestmentCase("Buy", (LineItem("kit", "capex", 900, start=0),), horizon_years=3)
    >>> b = InvestmentCase("Lease", (LineItem("fee", "opex_recurring", 320, start=0,
    ...                    duration=3),), horizon_years=3)
    >>> c = compare_cases(a, b, discount_rate=0.06, tax_rate=0.0)
    >>> chosen_option(c).case.name, rejected_option(c).case.name
    ('Buy', 'Lease')
    """
    if comparison.preferred == comparison.alternative.case.name:
        return comparison.alternative
    return comparison.base


def rejected_option(comparison: Any) -> Any:
    """The option a comparison does not prefer, as its ``CaseResult`` (see :func:`chosen_option`)."""
    chosen = chosen_option(comparison)
    return comparison.base if chosen is comparison.alternative else comparison.alternative


#: Workbook formats of :func:`plan_metrics_table` (``record_table(..., formats=...)``).
PLAN_METRICS_FORMATS = {"amount": "currency", "rate": "percent:1", "years": "number:1"}


def plan_metrics_table(case_result: Any) -> pd.DataFrame:
    """A case's key figures for the workbook: one row per figure, one column per unit.

    ``summary()`` mixes money, rates and years in one ``value`` column, which a worksheet
    can only format one way (an IRR of -0.47 shown as a plain number). Here each value sits
    in the column of its unit: ``amount`` (currency), ``rate`` (decimal, shown as a
    percentage), ``years``; ``figure`` is the label from the valuation glossary.

    Examples
    --------
    >>> from cio_analytics.valuation import InvestmentCase, LineItem
    >>> case = InvestmentCase("Pilot", (LineItem("build", "capex", 1000, start=0),
    ...     LineItem("savings", "benefit", 400, start=1, duration=4)), horizon_years=4)
    >>> t = plan_metrics_table(case.evaluate(discount_rate=0.08))
    >>> t.set_index("figure").loc["IRR", ["amount", "rate"]].round(3).tolist()
    [nan, 0.219]
    """
    from ..glossary import label

    summary = case_result.summary()
    cur = str(case_result.currency)
    rows = []
    for metric, value, unit in zip(
        summary["metric"], summary["value"], summary["unit"], strict=True
    ):
        unit = str(unit)
        value = float(value) if value is not None else float("nan")
        row = {"figure": label(metric, "valuation"), "amount": np.nan, "rate": np.nan,
               "years": np.nan}  # fmt: skip
        if unit.startswith(cur):
            row["amount"] = value
        elif unit == "years":
            row["years"] = value
        else:
            row["rate"] = value
        rows.append(row)
    return pd.DataFrame(rows, columns=["figure", "amount", "rate", "years"])


def comparison_table(comparison: Any) -> pd.DataFrame:
    """Two options side by side, one row per option and one for the difference.

    One unit per column (money, rate or years), so the report and the workbook can format
    each column once: ``option``, ``npv``, ``irr``, ``mirr``, ``payback_years``, ``tco``,
    ``discounted_tco``, ``eac``. The third row is the alternative minus the base.

    Examples
    --------
    >>> from cio_analytics.valuation import InvestmentCase, LineItem, compare_cases
    >>> a = InvestmentCase("Buy", (LineItem("kit", "capex", 900, start=0),), horizon_years=3)
    >>> b = InvestmentCase("Lease", (LineItem("fee", "opex_recurring", 320, start=0, duration=3),),
    ...                    horizon_years=3)
    >>> comparison_table(compare_cases(a, b, discount_rate=0.06, tax_rate=0.0))["option"].tolist()
    ['Buy', 'Lease', 'Difference (Lease minus Buy)']
    """
    columns = ["npv", "irr", "mirr", "payback_years", "tco", "discounted_tco", "eac"]
    rows = []
    for r in (comparison.base, comparison.alternative):
        rows.append([r.case.name, *(float(getattr(r, c)) for c in columns)])
    frame = pd.DataFrame(rows, columns=["option", *columns])
    diff = frame[columns].iloc[1] - frame[columns].iloc[0]
    label = f"Difference ({comparison.alternative.case.name} minus {comparison.base.case.name})"
    frame.loc[2] = [label, *diff.to_numpy()]
    return frame


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
        notes.append(plan_against_trials(r, u))
        notes.append(f"Ranges: P10 to P90 over {u.n_trials:,} Monte Carlo trials (seed {u.seed}).")
    if is_missing(r.payback_years):
        notes.append(f"Payback is not reached within the {r.case.horizon_years}-year horizon.")
    if comparison is not None:
        chosen = _comparison(comparison, rate, cur)
        standalone = sentence.split(": ", 1)[1]
        return Decision(
            chosen.decision, chosen.sentence, chosen.key_numbers, True, cur, "P10 to P90",
            thresholds, (f"{r.case.name} on its own: {verdict.lower()}; {standalone}", *notes),
            subject=chosen.subject, at_stake=chosen.at_stake, at_stake_label=chosen.at_stake_label,
        )  # fmt: skip
    return Decision(
        verdict, sentence, key_numbers_frame(rows), proceed, cur, "P10 to P90", thresholds,
        tuple(notes), subject=r.case.name, at_stake=float(r.tco),
        at_stake_label=f"Total cost of ownership ({r.case.horizon_years} years)",
    )  # fmt: skip
