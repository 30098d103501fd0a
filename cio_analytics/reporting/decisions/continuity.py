"""The continuity decision: which resilience option to fund."""

from __future__ import annotations

from typing import Any

from ...exceptions import ParameterError
from ..formatting import format_money, format_percent, is_missing
from ..summary import Decision, key_numbers_frame
from ._common import _join

__all__ = ["continuity_decision"]


def continuity_decision(
    comparison: Any,
    availability: Any,
    recovery: Any = None,
    *,
    option: str | None = None,
) -> Decision:
    """Fund a continuity option or not, and whether the service then meets its SLA.

    Parameters
    ----------
    comparison : OptionComparison
        ``evaluate_options``: per option its NPV (currency), the expected saving a year, the
        availability after it, and the simulated years of today's service (``base``).
    availability : ServiceAvailability
        ``service_availability`` of today's service: availability (a share of the year), the
        SLA and the expected downtime (hours a year).
    recovery : RecoveryResult, optional
        ``rto_rpo_scenarios``: the recovery tier with the lowest total cost a year.
    option : str, optional
        The option decided on; default the one with the highest NPV.

    Returns
    -------
    Decision
        "Fund <option>" when its NPV is positive, else "Do not fund <option>". Flags: an option
        that leaves the service below its availability SLA (funded or not), today's service
        missing its SLA. ``at_stake``: the option's cost over its life (one-off plus the
        annual cost for ``life_years``). Key numbers: the option's NPV and its expected saving a year,
        availability today and with the option, the cost of downtime a year (P10 to P90).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> table = pd.DataFrame({"option": ["Standby"], "npv": [2.0e5], "fund": [True],
    ...     "analytic_saving": [9.0e4], "one_off_cost": [1.0e5], "annual_cost": [2.0e4],
    ...     "life_years": [5], "payback_years": [1.4], "availability_after": [0.9985]})
    >>> base = NS(expected_cost=1.2e5, quantile=lambda q: 1.2e5 * (0.5 + q), prob_sla_breach=0.4)
    >>> cmp = NS(table=table, base=base, currency="EUR", discount_rate=0.08)
    >>> av = NS(availability=0.998, sla_availability=0.999, meets_sla=False, downtime_h=17.5,
    ...         name="Orders")
    >>> d = continuity_decision(cmp, av)
    >>> print(d.sentence)  # doctest: +NORMALIZE_WHITESPACE
    Fund “Standby”: it cuts the expected cost of downtime by EUR 90k a year for EUR 100k up
    front and EUR 20k a year; NPV over 5 years at 8 %: EUR 200k, paid back in 1.4 years.
    >>> print(d.flags[0])
    With “Standby” the service is available 99.850 % of the time, still below the 99.900 % SLA.
    >>> d.at_stake, d.at_stake_label
    (200000.0, 'Cost of “Standby” over 5 years')
    """
    cur = comparison.currency
    m = lambda v: format_money(v, cur, compact=True)  # noqa: E731
    options = comparison.table.set_index("option")
    if option and option not in options.index:
        raise ParameterError(
            f"`option` {option!r} is not one of the options compared: "
            f"{', '.join(map(str, options.index))}. Use one of them, or leave it empty for the "
            "option with the highest NPV."
        )
    chosen = str(option or options["npv"].idxmax())
    pick = options.loc[chosen]
    fund = bool(pick["fund"])
    verdict = f"{'Fund' if fund else 'Do not fund'} “{chosen}”"
    payback = pick["payback_years"]
    paid = f", paid back in {payback:.1f} years" if not is_missing(payback) else ", never paid back"
    sentence = (
        f"{verdict}: it cuts the expected cost of downtime by {m(pick['analytic_saving'])} a year "
        f"for {m(pick['one_off_cost'])} up front and {m(pick['annual_cost'])} a year; NPV over "
        f"{pick['life_years']:.0f} years at {format_percent(comparison.discount_rate)}: "
        f"{m(pick['npv'])}{paid}."
    )
    others = options[options["fund"].astype(bool) & (options.index != chosen)]
    if len(others):
        sentence = sentence[:-1] + "; also worth funding: " + _join(
            [f"“{n}” (NPV {m(v)})" for n, v in others["npv"].items()]
        ) + "."  # fmt: skip
    flags = []
    sla = availability.sla_availability
    after = float(pick["availability_after"])
    if sla is not None and after < sla:
        still = "still " if fund else ""
        hours = ""
        allowed = getattr(availability, "allowed_downtime_h", None)
        if allowed is not None and not is_missing(pick.get("downtime_after_h")):
            hours = (
                f": about {float(pick['downtime_after_h']):.1f} h of downtime a year against the "
                f"{float(allowed):.1f} h the SLA allows"
            )
        flags.append(
            f"With “{chosen}” the service is available {format_percent(after, 3)} of the time, "
            f"{still}below the {format_percent(sla, 3)} SLA{hours}."
        )
    if sla is not None and not availability.meets_sla and not len(options[options[
            "availability_after"] >= sla]):  # fmt: skip
        flags.append("No option compared brings the service up to its SLA on its own.")
    if recovery is not None:
        sentence += f" For disasters, pay for the “{recovery.best_tier}” recovery tier."
    base = comparison.base
    rows = [
        (f"NPV of “{chosen}”", pick["npv"], None, None, "money"),
        ("Expected saving a year", pick["analytic_saving"], None, None, "money"),
        # as text with 3 decimals: 99.857 % must not read as the 99.9 % of an SLA it misses
        ("Availability today", format_percent(availability.availability, 3), None, None, "text"),
        (f"Availability with “{chosen}”", format_percent(after, 3), None, None, "text"),
        ("Cost of downtime a year today", base.expected_cost, base.quantile(0.1),
         base.quantile(0.9), "money"),
    ]  # fmt: skip
    notes = ()
    if sla is not None:
        notes = (
            f"Availability SLA {format_percent(sla, 3)}; today it is breached in "
            f"{format_percent(base.prob_sla_breach)} of simulated years.",
        )
    life = float(pick["life_years"])
    at_stake = float(pick["one_off_cost"]) + float(pick["annual_cost"]) * life
    return Decision(
        verdict, sentence, key_numbers_frame(rows), (None if flags else True) if fund else False,
        cur, "P10 to P90",
        {}, notes, tuple(flags), chosen,
        at_stake=at_stake, at_stake_label=f"Cost of “{chosen}” over {life:.0f} years",
    )  # fmt: skip
