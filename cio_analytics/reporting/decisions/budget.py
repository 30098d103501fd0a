"""The budget decision: on track, adjust or escalate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..formatting import format_money, format_percent
from ..summary import Decision, key_numbers_frame
from ._common import _action_window, _month_span

__all__ = ["budget_decision"]


def budget_decision(
    forecast: Any,
    adjustment: Any,
    variance: Any = None,
    *,
    cut_from: Sequence[str] = (),
    as_of: Any = None,
) -> Decision:
    """On track, adjust or escalate: where the year's IT spend lands against its budget.

    Parameters
    ----------
    forecast : LandingForecast
        ``landing_forecast``: the full-year landing (P10, P50, P90, in currency), the budget and
        the chance of an overrun.
    adjustment : BudgetAdjustment
        ``recommend_adjustment`` of the same forecast: the cut that lands within budget at the
        required confidence.
    variance : VarianceResult, optional
        ``budget_variance`` to date; adds the year-to-date variance (actual - budget) as a key
        number.
    cut_from : sequence of str, default ()
        The categories that may be cut, named in the sentence ("grow/transform"); empty: all
        spend.
    as_of : date-like, optional
        The day the report is read (the run date). The cut is recommended in the months that
        can still act on that day (``"in December"``); when some of the months it was planned
        over have ended a flag says so and what the cut weighs per month left, and when all
        have ended the verdict is "Escalate" with a flag that the window has passed. None:
        every month left in the forecast.

    Returns
    -------
    Decision
        "On track" when no cut is needed, "Adjust" when the recommended cut lands the year
        within budget at the required confidence, "Escalate" when even the largest allowed cut
        does not. Key numbers: the landing (P10 to P90), the budget, the chance of an overrun,
        the variance to date and the recommended cut, all in currency. ``at_stake`` is the
        cut ("Cut to make"), None when no cut is needed.

    Notes
    -----
    The cut needed is the landing at the required confidence minus the budget,
    ``quantile(landing, confidence) - budget``; a cut lowers every simulated outcome by the
    same amount (see ``recommend_adjustment``).

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> months = list(pd.date_range("2026-01-01", periods=12, freq="MS"))
    >>> fc = NS(landing_p10=9.6e6, landing_p50=10.1e6, landing_p90=10.6e6, budget_total=1e7,
    ...         probability_of_overrun=0.6, currency="EUR", months=months, n_months_reported=9)
    >>> adj = NS(reduction_needed=4e5, reduction_recommended=4e5, feasible=True,
    ...          probability_of_overrun_after=0.2, percentile=0.8)
    >>> d = budget_decision(fc, adj, cut_from=["grow"], as_of="2026-12-07")
    >>> print(d.sentence)  # doctest: +NORMALIZE_WHITESPACE
    Adjust: landing at EUR 10.1M (P10 to P90 EUR 9.6M to EUR 10.6M) against a budget of
    EUR 10M, 60 % chance of overrun; recommend cutting EUR 400k from grow in December.
    >>> d.at_stake, d.at_stake_label
    (400000.0, 'Cut to make')
    >>> print(budget_decision(fc, adj, cut_from=["grow"]).sentence)  # doctest: +NORMALIZE_WHITESPACE
    Adjust: landing at EUR 10.1M (P10 to P90 EUR 9.6M to EUR 10.6M) against a budget of
    EUR 10M, 60 % chance of overrun; recommend cutting EUR 400k from grow in October to
    December.
    """
    fc, adj, cur = forecast, adjustment, forecast.currency
    m = lambda v: format_money(v, cur, compact=True)  # noqa: E731
    rest = list(fc.months[fc.n_months_reported :])
    today = None if as_of is None else pd.Timestamp(as_of)
    left, period = _action_window(rest, today)
    source = "/".join(cut_from) if cut_from else "all spend"
    cut = m(adj.reduction_recommended)
    passed = bool(adj.reduction_recommended > 0 and rest and not left)
    if adj.reduction_needed <= 0:
        verdict, favourable = "On track", True
        action = (
            f"no cut needed to land within budget with {format_percent(adj.percentile)} confidence"
        )
    elif passed:
        verdict, favourable = "Escalate", False
        action = (
            f"the months a cut of {cut} was meant for ({_month_span(rest)}) have passed: "
            "explain the overrun and revisit the budget"
        )
    elif adj.feasible:
        verdict, favourable = "Adjust", None
        action = f"recommend cutting {cut} from {source} {period}"
    else:
        verdict, favourable = "Escalate", False
        action = (
            f"cutting the most allowed, {cut} from {source} {period}, still leaves a "
            f"{format_percent(adj.probability_of_overrun_after)} chance of overrun: revisit "
            "the budget"
        )
    sentence = (
        f"{verdict}: landing at {m(fc.landing_p50)} (P10 to P90 {m(fc.landing_p10)} to "
        f"{m(fc.landing_p90)}) against a budget of {m(fc.budget_total)}, "
        f"{format_percent(fc.probability_of_overrun)} chance of overrun; {action}."
    )
    flags = []
    if today is not None and adj.reduction_recommended > 0 and rest:
        on = f"On {today.day} {today:%b %Y}"
        if passed:
            flags.append(
                f"{on} the months the cut was meant for ({_month_span(rest)}) have passed: "
                "the overrun can only be explained, not cut."
            )
        elif len(left) < len(rest):
            n = len(left)
            flags.append(
                f"{on} only {_month_span(left)} {'is' if n == 1 else 'are'} left of the "
                f"{len(rest)} months the cut was planned over ({_month_span(rest)}): the "
                f"{cut} falls on {n} month{'s' if n > 1 else ''}, "
                f"{m(adj.reduction_recommended / n)} a month instead of "
                f"{m(adj.reduction_recommended / len(rest))}."
            )
    rows = [
        ("Full-year landing (median)", fc.landing_p50, fc.landing_p10, fc.landing_p90, "money"),
        ("Full-year budget", fc.budget_total, None, None, "money"),
        ("Chance of overrun", fc.probability_of_overrun, None, None, "percent"),
        (f"Recommended cut ({source})", adj.reduction_recommended, None, None, "money"),
    ]
    if variance is not None:
        rows.insert(3, ("Variance to date (actual - budget)", variance.variance_total,
                        None, None, "money"))  # fmt: skip
    return Decision(
        verdict, sentence, key_numbers_frame(rows), favourable, cur, "P10 to P90",
        {"percentile": adj.percentile}, (), tuple(flags), "",
        float(adj.reduction_recommended) if adj.reduction_recommended > 0 else None,
        "Cut to make" if adj.reduction_recommended > 0 else "",
    )  # fmt: skip
