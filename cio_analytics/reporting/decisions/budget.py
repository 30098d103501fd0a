"""The budget decision: on track, adjust or escalate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..formatting import format_money, format_percent
from ..summary import Decision, key_numbers_frame
from ._common import _action_window, _month_span

__all__ = ["budget_decision", "mix_table", "ratio_levels_table", "ratio_trend_table"]


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
            n, per_month = len(left), m(adj.reduction_recommended / len(rest))
            spread = (
                f"the whole {cut} falls on {_month_span(left)} instead of {per_month} a month"
                if n == 1
                else f"the {cut} falls on {n} months, {m(adj.reduction_recommended / n)} a "
                f"month instead of {per_month}"
            )
            flags.append(
                f"{on} only {_month_span(left)} {'is' if n == 1 else 'are'} left of the "
                f"{len(rest)} months the cut was planned over ({_month_span(rest)}): {spread}."
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


def mix_table(mix: Any) -> pd.DataFrame:
    """The spend mix as the report shows it: splits and classes labelled, the gap in points.

    Parameters
    ----------
    mix : SpendMix
        ``spend_mix``: ``table`` with ``dimension``, ``value``, ``budget_to_date``,
        ``actual_to_date``, ``plan_share``, ``actual_share``, ``share_gap`` (decimal) and
        ``plan_share_year``.

    Returns
    -------
    DataFrame
        The same rows with ``dimension`` and ``value`` as glossary labels and ``gap_points``
        (``share_gap`` x 100, percentage points) in place of ``share_gap``: a gap between two
        shares is a difference of points, not a percentage of anything.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> t = pd.DataFrame({"dimension": ["expense_type"], "value": ["capex"],
    ...     "budget_to_date": [100.0], "actual_to_date": [90.0], "plan_share": [0.333],
    ...     "actual_share": [0.324], "share_gap": [-0.009], "plan_share_year": [0.34]})
    >>> row = mix_table(NS(table=t)).iloc[0]
    >>> row["dimension"], row["value"], float(row["gap_points"])
    ('Capex or opex', 'Capex', -0.9)
    """
    from ..glossary import label

    t = mix.table
    out = t[["dimension", "value", "budget_to_date", "actual_to_date", "plan_share",
             "actual_share"]].copy()  # fmt: skip
    out["gap_points"] = (t["share_gap"] * 100.0).round(10)
    out["plan_share_year"] = t["plan_share_year"]
    splits = {"category": "Run, grow or transform", "sourcing": "Internal or external"}
    out["dimension"] = [label(d, "budget", extra=splits) for d in t["dimension"]]
    out["value"] = [label(v, "budget") for v in t["value"]]
    return out.reset_index(drop=True)


_LEVELS = ("this_year", "low", "high", "trend_value", "historical_min", "historical_max")
_MEASURES = ("it_spend", "spend_per_employee", "spend_share_of_revenue")
_LEVEL_LABELS = {
    "this_year": "This year (median landing)",
    "low": "This year, P10",
    "high": "This year, P90",
    "trend_value": "Trend of past years",
}


def ratio_levels_table(ratios: Any) -> pd.DataFrame:
    """This year's IT spend ratios beside the past years, one column per measure.

    Each measure keeps its own unit in its own column (money, money per employee, a share of
    revenue), so a table of mixed units never shows a share as ``0.0276``.

    Parameters
    ----------
    ratios : SpendRatios
        ``spend_ratios``: ``trend`` with one row per measure.

    Returns
    -------
    DataFrame
        ``figure`` (this year's median landing, P10, P90, the trend of the past years, the
        lowest and highest past year) and the columns ``it_spend``, ``spend_per_employee``,
        ``spend_share_of_revenue``.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> trend = pd.DataFrame({"measure": list(_MEASURES),
    ...     **{c: [100.0, 10.0, 0.03] for c in _LEVELS}})
    >>> t = ratio_levels_table(NS(trend=trend))
    >>> t.columns.tolist(), t["figure"].iloc[0]
    (['figure', 'it_spend', 'spend_per_employee', 'spend_share_of_revenue'], 'This year (median landing)')
    """
    from ..glossary import label

    t = ratios.trend.set_index("measure").loc[list(_MEASURES), list(_LEVELS)].T
    t.index = [label(c, "budget", extra=_LEVEL_LABELS) for c in _LEVELS]
    t.columns = list(_MEASURES)
    return t.rename_axis("figure").reset_index()


def ratio_trend_table(ratios: Any) -> pd.DataFrame:
    """How far this year's ratios lie from their trend: ``measure`` (a label), ``deviation``
    (this year / trend - 1, decimal), ``z_score`` (standard errors of a prediction) and
    ``position`` against the past years.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> trend = pd.DataFrame({"measure": ["spend_per_employee"], "deviation": [-0.008],
    ...     "z_score": [-1.7], "position": ["above the historical range"]})
    >>> ratio_trend_table(NS(trend=trend))["measure"].tolist()
    ['IT spend per employee']
    """
    from ..glossary import label

    t = ratios.trend[["measure", "deviation", "z_score", "position"]].copy()
    t["measure"] = [label(m, "budget") for m in t["measure"]]
    t["position"] = t["position"].str.capitalize()
    return t.reset_index(drop=True)
