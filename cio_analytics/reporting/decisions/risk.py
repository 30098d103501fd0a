"""The risk decision: the register and cyber exposure against appetite."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._validation import check_nonnegative
from ..formatting import format_money
from ..summary import Decision, key_numbers_frame
from ._common import _join

__all__ = ["risk_decision"]


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
    return Decision(
        verdict, sentence, key_numbers_frame(rows), within, cur, "P10 to P90",
        {"max_expected_loss": max_expected_loss}, notes,
    )  # fmt: skip
