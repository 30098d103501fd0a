"""The risk decision: the register and cyber exposure against appetite."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._validation import check_nonnegative
from ..formatting import format_money, format_percent
from ..summary import Decision, key_numbers_frame
from ._common import _join

__all__ = ["appetite_headline", "risk_decision"]


def risk_decision(
    register_result: Any,
    fair_results: Any = (),
    *,
    max_expected_loss: float | None,
) -> Decision:
    """Within or outside the risk appetite: the register's expected loss against a limit and
    every loss exceedance curve (register, cyber scenarios) against the appetite curve.

    Parameters
    ----------
    register_result : RegisterResult
        ``simulate_register`` with ``appetite=`` given (else only the limit is tested).
    fair_results : FairResult or sequence of FairResult
        Cyber scenarios (``simulate_fair``), each with its own appetite test.
    max_expected_loss : float or None
        Highest acceptable expected annual loss of the register, in currency; None: no limit.

    Returns
    -------
    Decision
        Key numbers: the register's expected annual loss before and after every mitigation
        (P10 to P90 of the simulated years), the mitigations' annual cost, and each cyber
        scenario's expected annual loss exposure (P10 to P90) or their total when more than two.
        Flags: an expected loss above the limit, and for each curve outside the appetite its
        worst breach (the loss, its simulated annual chance and the appetite's limit).
        ``at_stake`` is the expected annual loss of the register and the cyber scenarios.

    Notes
    -----
    An appetite point (loss L, probability p) is breached when the simulated
    P(annual loss > L) > p; the worst breach is the point with the largest
    ratio of the two.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> years = np.array([0.0, 0.0, 100e3, 600e3])
    >>> app = pd.DataFrame({"loss": [500e3], "max_probability": [0.1],
    ...                     "probability_exceeding": [0.25], "breached": [True]})
    >>> reg = NS(expected_loss=175e3, expected_loss_after=90e3, total_before=years,
    ...          total_after=years / 2, total_mitigation_cost=40e3, currency="EUR",
    ...          appetite=app, mitigations=pd.DataFrame({"roi": [0.5, -0.2]}),
    ...          n_trials=4, seed=1)
    >>> d = risk_decision(reg, max_expected_loss=500e3)
    >>> print(d.sentence)  # doctest: +NORMALIZE_WHITESPACE
    Outside appetite: the register exceeds the loss exceedance appetite, while the register's
    expected annual loss of EUR 175k is within the EUR 500k limit; 1 of 2 mitigations return
    more than they cost.
    >>> print(d.flags[0])
    The register is outside the appetite: an annual loss above EUR 500k has a 25 % chance against at most 10 %.
    >>> d.at_stake
    175000.0
    """
    if max_expected_loss is not None:
        check_nonnegative(max_expected_loss, "max_expected_loss")
    reg = register_result
    fair = [fair_results] if hasattr(fair_results, "ale") else list(fair_results or ())
    cur = reg.currency
    over_limit = max_expected_loss is not None and reg.expected_loss > max_expected_loss
    reg_breach = reg.appetite is not None and bool(reg.appetite["breached"].any())
    fair_breach = [f.scenario.name for f in fair if f.appetite_breached]
    within = not (over_limit or reg_breach or fair_breach)
    verdict = "Within appetite" if within else "Outside appetite"

    eal = format_money(reg.expected_loss, cur, compact=True)
    if max_expected_loss is None:
        limit = f"the register's expected annual loss is {eal}"
    else:
        side = "above" if over_limit else "within"
        limit = (
            f"the register's expected annual loss of {eal} is {side} the "
            f"{format_money(max_expected_loss, cur, compact=True)} limit"
        )
    breaching = (["the register"] if reg_breach else []) + [f"“{n}”" for n in fair_breach]
    if breaching:
        verb = "exceeds" if len(breaching) == 1 else "exceed"
        curve = f"{_join(breaching)} {verb} the loss exceedance appetite"
    else:
        curve = "no loss exceedance curve crosses the appetite"
    mit = reg.mitigations
    worthwhile = mit[mit["roi"] > 0] if len(mit) else mit
    pays = f"{len(worthwhile)} of {len(mit)} mitigations return more than they cost"
    if not within and not over_limit:  # the breach first, the limit met after it
        sentence = f"{verdict}: {curve}, while {limit}; {pays}."
    else:
        sentence = f"{verdict}: {limit}, and {curve}; {pays}."

    before, after = reg.total_before, reg.total_after
    rows = [
        ("Register: expected annual loss", reg.expected_loss,
         *np.quantile(before, [0.1, 0.9]), "money"),
        ("Register: with every mitigation", reg.expected_loss_after,
         *np.quantile(after, [0.1, 0.9]), "money"),
        ("Mitigations: annual cost", reg.total_mitigation_cost, None, None, "money"),
    ]  # fmt: skip
    if len(fair) <= 2:
        rows += [
            (f"Cyber: {f.scenario.name}", f.expected_ale, *np.quantile(f.ale, [0.1, 0.9]), "money")
            for f in fair
        ]
    else:
        total = float(sum(f.expected_ale for f in fair))
        rows.append((f"Cyber: {len(fair)} scenarios, expected", total, None, None, "money"))
    notes = (
        f"Annual losses; ranges P10 to P90 over {reg.n_trials:,} simulated years (seed {reg.seed}).",
    )
    flags = []
    if over_limit:
        flags.append(
            f"The register's expected annual loss, {eal}, is above the "
            f"{format_money(max_expected_loss, cur, compact=True)} limit: fund the mitigations "
            "that return more than they cost, or raise the limit."
        )
    curves = ([("The register", reg.appetite)] if reg_breach else []) + [
        (f"“{f.scenario.name}”", f.appetite) for f in fair if f.appetite_breached
    ]
    flags += [_breach_flag(name, table, cur) for name, table in curves]
    exposure = float(reg.expected_loss + sum(f.expected_ale for f in fair))
    return Decision(
        verdict, sentence, key_numbers_frame(rows), within, cur, "P10 to P90",
        {"max_expected_loss": max_expected_loss}, notes, tuple(flags), "",
        exposure, "Expected annual loss, register and cyber",
    )  # fmt: skip


def _breach_flag(name: str, appetite: Any, currency: str) -> str:
    """The worst breach of one curve: the appetite point exceeded by the largest factor."""
    breached = appetite[appetite["breached"]]
    worst = breached.loc[(breached["probability_exceeding"] / breached["max_probability"]).idxmax()]
    more = f" (and at {len(breached) - 1} more point{'s' if len(breached) > 2 else ''} of the appetite)"
    return (
        f"{name} is outside the appetite: an annual loss above "
        f"{format_money(worst['loss'], currency, compact=True)} has a "
        f"{format_percent(worst['probability_exceeding'])} chance against at most "
        f"{format_percent(worst['max_probability'])}" + (more if len(breached) > 1 else "") + "."
    )


def appetite_headline(register_result: Any, fair_results: Any = ()) -> str:
    """The title of the loss exceedance chart: which curves are outside the risk appetite.

    Parameters
    ----------
    register_result : RegisterResult
        ``simulate_register`` with ``appetite=`` given.
    fair_results : FairResult or sequence of FairResult
        Cyber scenarios (``simulate_fair``) with their appetite test.

    Returns
    -------
    str
        ``"Ransomware on the ERP is outside the risk appetite; the register is within"``,
        ``"Every loss curve is within the risk appetite"``, or the names outside it.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> import pandas as pd
    >>> reg = NS(appetite=pd.DataFrame({"breached": [False, False]}))
    >>> ransomware = NS(scenario=NS(name="Ransomware on the ERP"), appetite_breached=True, ale=[])
    >>> appetite_headline(reg, [ransomware])
    'Ransomware on the ERP is outside the risk appetite; the register is within'
    >>> appetite_headline(reg)
    'Every loss curve is within the risk appetite'
    """
    fair = [fair_results] if hasattr(fair_results, "ale") else list(fair_results or ())
    reg = register_result
    reg_breach = reg.appetite is not None and bool(reg.appetite["breached"].any())
    outside = (["The register"] if reg_breach else []) + [
        f.scenario.name for f in fair if f.appetite_breached
    ]
    if not outside:
        return "Every loss curve is within the risk appetite"
    verb = "is" if len(outside) == 1 else "are"
    text = f"{_join(outside)} {verb} outside the risk appetite"
    if not reg_breach and reg.appetite is not None:
        text += "; the register is within"
    return text
