"""Team review: every team's monthly metrics on control charts, with a verdict per team.

One call puts each monitored metric of each team on its control chart (p-chart for proportions,
XmR for continuous figures) with limits from a baseline period, applies the run rules, fits a
Theil-Sen trend to SLA attainment and says, per team, whether the recent months show a real
change (a signal) or only noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_choice, check_int
from ..exceptions import ParameterError
from .control import ControlChart, Trend, p_chart, theil_sen_trend, xmr_chart
from .tickets import TicketMetrics

__all__ = ["CONTROL_METRICS", "REVIEW_RULES", "TeamReview", "team_review"]

#: Run rules a team review applies by default: one point beyond 3 sigma, 8 in a row on one side.
REVIEW_RULES = ("beyond_3sigma", "8_on_one_side")

#: Monitored metrics: chart kind, (events, trials) columns for p-charts, and the good direction.
CONTROL_METRICS: dict[str, tuple[str, tuple[str, str] | None, str]] = {
    "sla_attainment": ("p", ("n_met", "n_resolved"), "higher"),
    "reopen_rate": ("p", ("n_reopened", "n_resolved"), "lower"),
    "fcr_rate": ("p", ("n_fcr", "n_fcr_known"), "higher"),
    "resolve_p50_h": ("xmr", None, "lower"),
    "resolve_p90_h": ("xmr", None, "lower"),
    "backlog": ("xmr", None, "lower"),
}


@dataclass(frozen=True)
class TeamReview:
    """Control charts, signals, trends and a verdict for every team.

    Attributes
    ----------
    baseline_months, recent_months : int
        Echoed: limits come from the first ``baseline_months`` months; signals in the last
        ``recent_months`` months decide the verdict.
    metrics : tuple of str
        Monitored metrics (keys of :data:`CONTROL_METRICS`), echoed.
    rules : tuple of str
        Run rules applied, echoed.
    charts : dict
        ``{(team, metric): ControlChart}``; a metric with no data for a team (e.g. FCR where
        the export carries no first-contact flag) has no chart.
    trends : dict
        ``{team: Trend}`` of monthly SLA attainment.
    signals : pandas.DataFrame
        Every flagged point: ``team``, ``metric``, ``month``, ``value``, ``lcl``, ``ucl``,
        ``side``, ``effect`` ("worse" or "better") and ``rules``.
    verdict : pandas.DataFrame
        One row per team: ``team``, ``month`` (latest), ``sla_attainment``, ``centre``, ``lcl``,
        ``ucl`` (its p-chart for that month), ``attainment_signal`` (bool), ``n_worse`` and
        ``n_better`` (recent signals, all metrics), ``trend_per_month`` with ``trend_low`` and
        ``trend_high``, ``trend`` ("rising", "falling", "flat") and ``verdict``
        ("real deterioration", "real improvement", "mixed signals" or "stable: noise only").
    """

    baseline_months: int
    recent_months: int
    metrics: tuple[str, ...]
    rules: tuple[str, ...]
    charts: dict[tuple[str, str], ControlChart] = field(repr=False)
    trends: dict[str, Trend] = field(repr=False)
    signals: pd.DataFrame = field(repr=False)
    verdict: pd.DataFrame = field(repr=False)

    def chart(self, team: str, metric: str = "sla_attainment") -> ControlChart:
        """The control chart of one team's metric."""
        if (team, metric) not in self.charts:
            teams = sorted({t for t, _ in self.charts})
            raise ParameterError(
                f"no chart for team {team!r} and metric {metric!r}. Teams: {', '.join(teams)}; "
                f"metrics: {', '.join(self.metrics)} (FCR needs a first-contact flag)."
            )
        return self.charts[(team, metric)]

    def teams_changed(self, effect: str = "worse") -> tuple[str, ...]:
        """Teams with a recent signal of the given effect (``"worse"`` or ``"better"``)."""
        check_choice(effect, "effect", ["worse", "better"])
        col = "n_worse" if effect == "worse" else "n_better"
        return tuple(self.verdict.loc[self.verdict[col] > 0, "team"])

    def summary(self) -> pd.DataFrame:
        """The verdict table (one row per team)."""
        return self.verdict.copy()


def team_review(
    metrics: TicketMetrics,
    *,
    baseline_months: int | None = None,
    recent_months: int = 3,
    monitored: Any = ("sla_attainment", "reopen_rate", "fcr_rate", "resolve_p90_h", "backlog"),
    rules: Any = REVIEW_RULES,
    confidence_level: float = 0.95,
) -> TeamReview:
    """Control charts of every team's monthly metrics, with signals, trends and a verdict.

    Parameters
    ----------
    metrics : TicketMetrics
        From :func:`ticket_metrics`.
    baseline_months : int, optional
        Months (from the start) that set the centre lines and limits. Default: all but the
        ``recent_months`` (the recent months are then judged against the past).
    recent_months : int, default 3
        Months at the end whose signals decide the verdict.
    monitored : sequence of str
        Metrics to chart, keys of :data:`CONTROL_METRICS`.
    rules : sequence of str, default :data:`REVIEW_RULES`
        Run rules (see :func:`~cio_analytics.performance.control.run_rules`). The review scans
        several metrics of several teams, so by default it applies the two rules with the
        fewest false alarms, a point beyond 3 sigma and 8 in a row on one side; pass
        :data:`~cio_analytics.performance.control.DEFAULT_RULES` for all four Western Electric
        rules.
    confidence_level : float, default 0.95
        Confidence of the Theil-Sen slope interval of SLA attainment.

    Returns
    -------
    TeamReview

    Notes
    -----
    A signal is *worse* when it lies on the unfavourable side of the centre (lower attainment
    or FCR; higher reopen rate, time to resolve or backlog). A team's verdict is "real
    deterioration" with worse signals only in the recent months, "real improvement" with
    better ones only, "mixed signals" with both and "stable: noise only" with none.

    Examples
    --------
    >>> from cio_analytics.io import read_ticket_export
    >>> from cio_analytics.performance import ticket_metrics
    >>> review = team_review(ticket_metrics(read_ticket_export("data/sample/tickets_export.csv")))
    >>> review.teams_changed("worse")
    ('Service desk',)
    """
    if not isinstance(metrics, TicketMetrics):
        raise ParameterError(
            f"`metrics` must be the TicketMetrics of ticket_metrics(). Got {type(metrics).__name__}."
        )
    chosen = (monitored,) if isinstance(monitored, str) else tuple(monitored)
    for name in chosen:
        check_choice(name, "monitored", list(CONTROL_METRICS))
    n_months = len(metrics.months)
    recent = check_int(recent_months, "recent_months", minimum=1)
    base = (
        n_months - recent
        if baseline_months is None
        else check_int(baseline_months, "baseline_months")
    )
    if not 2 <= base <= n_months or recent >= n_months:
        raise ParameterError(
            f"the export covers {n_months} months: `baseline_months` must be in [2, {n_months}] "
            f"and `recent_months` below {n_months}. Got baseline {base}, recent {recent}."
        )
    rules = tuple((rules,) if isinstance(rules, str) else rules)
    charts: dict[tuple[str, str], ControlChart] = {}
    trends: dict[str, Trend] = {}
    signal_rows, verdict_rows = [], []
    recent_start = metrics.months[-recent]
    for team in metrics.teams:  # a handful of teams; each chart is vectorised over months
        rows = metrics.team_monthly(team)
        for name in chosen:
            kind, cols, good = CONTROL_METRICS[name]
            if kind == "p":
                if rows[cols[1]].iloc[:base].sum() == 0:
                    continue
                chart = p_chart(rows[cols[0]], rows[cols[1]], labels=rows["month"],
                                baseline_points=base, rules=rules)  # fmt: skip
            else:
                if rows[name].iloc[:base].notna().sum() < 2:
                    continue
                chart = xmr_chart(rows[name], labels=rows["month"], baseline_points=base,
                                  rules=rules)  # fmt: skip
            charts[(team, name)] = chart
            flagged = chart.signals
            if len(flagged):
                worse_side = "below" if good == "higher" else "above"
                flagged.insert(0, "metric", name)
                flagged.insert(0, "team", team)
                flagged["effect"] = np.where(flagged["side"] == worse_side, "worse", "better")
                signal_rows.append(flagged.rename(columns={"label": "month"}))
        trend = theil_sen_trend(rows["sla_attainment"], confidence_level=confidence_level)
        trends[team] = trend
        last = (
            charts[(team, "sla_attainment")].points.iloc[-1]
            if (team, "sla_attainment") in charts
            else None
        )
        verdict_rows.append(
            {
                "team": team,
                "month": rows["month"].iloc[-1],
                "sla_attainment": rows["sla_attainment"].iloc[-1],
                "centre": np.nan if last is None else last["centre"],
                "lcl": np.nan if last is None else last["lcl"],
                "ucl": np.nan if last is None else last["ucl"],
                "attainment_signal": False if last is None else bool(last["signal"]),
                "trend_per_month": trend.slope,
                "trend_low": trend.slope_low,
                "trend_high": trend.slope_high,
                "trend": trend.direction,
            }
        )
    columns = ["team", "metric", "month", "value", "lcl", "ucl", "side", "effect", "rules"]
    signals = (
        pd.concat(signal_rows, ignore_index=True)[columns]
        if signal_rows
        else pd.DataFrame(columns=columns)
    )
    verdict = pd.DataFrame(verdict_rows)
    recent_signals = signals[pd.to_datetime(signals["month"]) >= recent_start]
    counts = recent_signals.groupby(["team", "effect"]).size().unstack(fill_value=0)
    verdict["n_worse"] = (
        verdict["team"].map(counts.get("worse", pd.Series(dtype=int))).fillna(0).astype(int)
    )
    verdict["n_better"] = (
        verdict["team"].map(counts.get("better", pd.Series(dtype=int))).fillna(0).astype(int)
    )
    verdict["verdict"] = np.select(
        [
            (verdict["n_worse"] > 0) & (verdict["n_better"] == 0),
            (verdict["n_better"] > 0) & (verdict["n_worse"] == 0),
            (verdict["n_worse"] > 0) & (verdict["n_better"] > 0),
        ],
        ["real deterioration", "real improvement", "mixed signals"],
        default="stable: noise only",
    )
    return TeamReview(
        baseline_months=base,
        recent_months=recent,
        metrics=chosen,
        rules=rules,
        charts=charts,
        trends=trends,
        signals=signals,
        verdict=verdict,
    )
