"""The team performance decision: act or hold."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ...exceptions import ParameterError
from ..formatting import format_percent
from ..summary import Decision, key_numbers_frame
from ._common import _join

__all__ = ["focus_team", "performance_decision", "signals_table"]


def focus_team(review: Any, team: str = "") -> str:
    """The team a performance report charts: ``team`` if given, else the first team that got
    worse beyond its control limits, else the first that got better, else the team with the
    lowest SLA attainment in the latest month.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> v = pd.DataFrame({"team": ["A", "B"], "sla_attainment": [0.9, 0.7]})
    >>> r = NS(verdict=v, teams_changed=lambda effect: [])
    >>> focus_team(r), focus_team(r, "A")
    ('B', 'A')
    """
    verdict = review.verdict.set_index("team")
    if team:
        if team not in verdict.index:
            raise ParameterError(
                f"`chart_team` {team!r} is not a team of the ticket export. Teams: "
                f"{', '.join(map(str, verdict.index))}. Use one of them, or leave it empty."
            )
        return str(team)
    worse, better = review.teams_changed("worse"), review.teams_changed("better")
    if worse:
        return str(worse[0])
    if better:
        return str(better[0])
    return str(verdict["sla_attainment"].idxmin())


def performance_decision(
    review: Any,
    metrics: Any,
    capacity: Any = None,
    *,
    team: str = "",
) -> Decision:
    """Act or hold: which teams changed beyond the noise of their control charts, and whether
    the teams that got worse have the capacity their tickets need.

    Parameters
    ----------
    review : TeamReview
        ``team_review``: per team the latest month against its control limits and the months
        flagged by a run rule ("worse" or "better").
    metrics : TicketMetrics
        ``ticket_metrics``: SLA attainment (a share of the tickets resolved), the open backlog.
    capacity : CapacityResult, optional
        ``capacity_vs_demand``: per team the FTE its ticket demand needs against the FTE it has.
    team : str, default ""
        The team whose figures lead the key numbers (:func:`focus_team` picks it when empty).

    Returns
    -------
    Decision
        "Act" when a team got worse beyond its control limits, else "Hold". Flags: a team that
        got worse and is short of capacity. Key numbers: the team's SLA attainment in the
        latest month (its control limits as the range), its P90 time to resolve (kind
        ``hours``, shown "55.4 h"), the
        attainment of all teams, the open backlog and the FTE its tickets need. ``subject`` is
        the team.

    Notes
    -----
    A change is real when a month breaks a Western Electric run rule (a point beyond the
    3-sigma limits, or 8 months in a row on one side of the centre line); anything else is
    noise.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> month = pd.Timestamp("2026-10-01")
    >>> v = pd.DataFrame({"team": ["Desk", "Network"], "sla_attainment": [0.71, 0.93],
    ...     "lcl": [0.78, 0.85], "ucl": [0.95, 0.99], "centre": [0.86, 0.92],
    ...     "attainment_signal": [True, False], "month": [month, month]})
    >>> review = NS(verdict=v, teams_changed=lambda e: ["Desk"] if e == "worse" else [],
    ...             recent_months=3, charts={}, signals=pd.DataFrame(columns=["team", "effect", "metric"]))
    >>> metrics = NS(teams=["Desk", "Network"], sla_attainment=0.85, n_open=120,
    ...              as_of=pd.Timestamp("2026-11-01"))
    >>> print(performance_decision(review, metrics).sentence)  # doctest: +NORMALIZE_WHITESPACE
    Act: Desk SLA attainment fell to 71.0 % in October, below its control limit (78.0 %): a
    real change, not noise; Network stable: its moves are within the noise.
    """
    verdict = review.verdict.set_index("team")
    focus = focus_team(review, team)
    worse, better = list(review.teams_changed("worse")), list(review.teams_changed("better"))
    stable = [t for t in metrics.teams if t not in worse and t not in better]
    sig = review.signals
    changes = []
    for t in worse:  # a handful of teams, not a hot path
        row = verdict.loc[t]
        if row["attainment_signal"] and row["sla_attainment"] < row["centre"]:
            changes.append(
                f"{t} SLA attainment fell to {format_percent(row['sla_attainment'], 1)} in "
                f"{row['month']:%B}, below its control limit ({format_percent(row['lcl'], 1)}): "
                "a real change, not noise"
            )
        else:
            which = sig.loc[(sig["team"] == t) & (sig["effect"] == "worse"), "metric"]
            labels = sorted({_METRIC_LABELS.get(x, str(x)) for x in which})
            changes.append(f"{t} got worse beyond its control limits ({_join(labels)})")
    changes += [f"{t} improved beyond its control limits" for t in better]
    if stable:
        its = "their moves are" if len(stable) > 1 else "its moves are"
        changes.append(f"{_join(stable)} stable: {its} within the noise")
    if worse or better:
        word = "Act" if worse else "Hold"
        sentence = f"{word}: " + "; ".join(changes) + "."
    else:
        word = "Hold"
        sentence = (
            f"{word}: every team's movement in the last {review.recent_months} months is within "
            "its control limits: noise, not change."
        )
    flags = []
    cap = None if capacity is None else capacity.by_team.set_index("team")
    if cap is not None:
        for t in worse:
            if t in cap.index and cap.loc[t, "status"] != "enough":
                flags.append(
                    f"{t} handles {cap.loc[t, 'demand_hours']:,.0f} h of tickets a month, which "
                    f"needs {cap.loc[t, 'fte_needed']:,.1f} FTE of ticket work against the "
                    f"{cap.loc[t, 'available_fte']:,.1f} FTE assigned to it: add capacity or "
                    "cut demand."
                )
    last = verdict.loc[focus]
    month = f"{last['month']:%B %Y}"
    rows = [(f"{focus}: SLA attainment, {month}", last["sla_attainment"], last["lcl"],
             last["ucl"], "percent")]  # fmt: skip
    p90 = review.charts.get((focus, "resolve_p90_h"))
    if p90 is not None:
        pt = p90.points.iloc[-1]
        rows.append((f"{focus}: P90 time to resolve, {month}", pt["value"],
                     max(pt["lcl"], 0.0), pt["ucl"], "hours"))  # fmt: skip
    rows += [
        ("SLA attainment, all teams, whole period", metrics.sla_attainment, None, None, "percent"),
        (
            f"Open tickets on {metrics.as_of.day} {metrics.as_of:%b %Y}",
            metrics.n_open,
            None,
            None,
            "integer",
        ),
    ]
    if cap is not None and focus in cap.index:
        rows.append((f"{focus}: FTE its tickets need ({cap.loc[focus, 'available_fte']:,.1f} "
                     "assigned to ticket work)", cap.loc[focus, "fte_needed"],
                     None, None, "fte"))  # fmt: skip
    return Decision(
        word, sentence, key_numbers_frame(rows), not worse, "", "Control limits",
        {"recent_months": review.recent_months}, (), tuple(flags), focus,
    )  # fmt: skip


_METRIC_LABELS = {
    "sla_attainment": "SLA attainment",
    "reopen_rate": "reopen rate",
    "fcr_rate": "first-contact resolution",
    "resolve_p50_h": "median time to resolve",
    "resolve_p90_h": "P90 time to resolve",
    "backlog": "backlog",
}


_PERCENT_METRICS = ("sla_attainment", "reopen_rate", "fcr_rate")
_HOUR_METRICS = ("resolve_p50_h", "resolve_p90_h")


def signals_table(review: Any) -> pd.DataFrame:
    """The months a run rule flagged, as the report shows them: labels and units, no code.

    Parameters
    ----------
    review : TeamReview
        ``team_review``: ``signals`` with ``team``, ``metric``, ``month``, ``value``, ``lcl``,
        ``ucl``, ``effect`` ("worse" or "better") and ``rules``.

    Returns
    -------
    DataFrame
        ``Team, Metric, Month, Value, Lower limit, Upper limit, Effect, Rules broken`` as text:
        shares as percentages ("80.5 %"), times in hours ("55.4 h"), backlogs in tickets,
        metrics by their glossary label. The metrics differ in unit, so each value carries its
        own.

    Examples
    --------
    >>> s = pd.DataFrame({"team": ["Desk", "Desk"], "metric": ["sla_attainment", "resolve_p90_h"],
    ...     "month": pd.to_datetime(["2026-10-01"] * 2), "value": [0.805, 55.42],
    ...     "lcl": [0.872, 29.2], "ucl": [0.931, 46.9], "effect": ["worse"] * 2,
    ...     "rules": ["1 point beyond 3 sigma"] * 2})
    >>> from types import SimpleNamespace as NS
    >>> signals_table(NS(signals=s))[["Metric", "Value", "Effect"]].values.tolist()
    [['SLA attainment', '80.5 %', 'Worse'], ['P90 time to resolve (h)', '55.4 h', 'Worse']]
    """
    from ..formatting import format_number
    from ..glossary import label

    s = review.signals

    def text(value: Any, metric: str) -> str:
        if metric in _PERCENT_METRICS:
            return format_percent(value, 1)
        if metric in _HOUR_METRICS:
            return format_number(value, decimals=1, unit="h")
        return format_number(value, decimals=0, unit="tickets")

    rows = [
        {
            "Team": r.team,
            "Metric": label(r.metric, "performance"),
            "Month": f"{pd.Timestamp(r.month):%b %Y}",
            "Value": text(r.value, r.metric),
            "Lower limit": text(max(r.lcl, 0.0), r.metric),
            "Upper limit": text(r.ucl, r.metric),
            "Effect": label(r.effect, "performance"),
            "Rules broken": r.rules,
        }
        for r in s.itertuples(index=False)  # a handful of flagged months, not a hot path
    ]
    columns = ["Team", "Metric", "Month", "Value", "Lower limit", "Upper limit", "Effect",
               "Rules broken"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)
