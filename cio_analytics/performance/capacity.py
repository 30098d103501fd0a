"""Capacity against demand: the ticket workload of each team against the FTE it has.

Demand is tickets per month times the effort per ticket (handle time), in hours; capacity is the
team's FTE on ticket work times the productive hours of one FTE per month. The FTE the workload
needs, with its uncertainty from month-to-month variation, comes from the staffing library's
workload model (:func:`cio_analytics.staffing.workload_fte`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import renamed_kwargs
from .._validation import check_int, check_positive, did_you_mean, resolve_seed, short_repr
from ..exceptions import ParameterError
from ..staffing import WorkloadFTE, workload_fte
from .tickets import TicketMetrics

__all__ = ["CapacityReview", "capacity_vs_demand"]


@dataclass(frozen=True)
class CapacityReview:
    """Ticket workload against capacity, per team.

    Attributes
    ----------
    productive_hours_per_fte_month, utilisation_target, recent_months, n_trials, seed
        The inputs, echoed.
    available_fte : dict
        FTE on ticket work per team, echoed.
    by_team : pandas.DataFrame
        ``team``, ``available_fte``, ``tickets_per_month`` (mean of the recent months),
        ``handle_time_min`` (mean effort per ticket, recent months), ``demand_hours`` (likely
        monthly hours: the recent mean), ``low_hours`` and ``high_hours`` (lowest and highest
        month of the period), ``fte_needed`` (likely), ``fte_needed_p80``, ``gap_fte``
        (``available_fte - fte_needed_p80``; negative = short), ``utilisation`` (demand hours /
        capacity hours, recent months) and ``status`` ("short", "tight" or "enough").
    monthly : pandas.DataFrame
        ``team``, ``month``, ``n_opened``, ``handle_time_min``, ``demand_hours``,
        ``capacity_hours``, ``utilisation`` and ``fte_needed``.
    workload : WorkloadFTE
        The staffing model's result (Monte Carlo over the monthly range, counted per year:
        the monthly hours and ``productive_hours_per_fte_month`` times 12, which leaves the
        FTE unchanged).
    """

    productive_hours_per_fte_month: float
    utilisation_target: float
    recent_months: int
    n_trials: int
    seed: int
    available_fte: dict[str, float]
    by_team: pd.DataFrame = field(repr=False)
    monthly: pd.DataFrame = field(repr=False)
    workload: WorkloadFTE = field(repr=False)

    @property
    def teams_short(self) -> tuple[str, ...]:
        """Teams whose FTE is below the likely need."""
        return tuple(self.by_team.loc[self.by_team["status"] == "short", "team"])

    def summary(self) -> pd.DataFrame:
        """Tidy table: one row per team and figure (``team``, ``metric``, ``value``, ``unit``)."""
        units = {
            "available_fte": "FTE",
            "demand_hours": "h/month",
            "fte_needed": "FTE",
            "fte_needed_p80": "FTE",
            "gap_fte": "FTE",
            "utilisation": "share",
        }
        long = self.by_team.melt(id_vars="team", value_vars=list(units), var_name="metric")
        long["unit"] = long["metric"].map(units)
        return long.reset_index(drop=True)


def _available(available_fte: Any, teams: tuple[str, ...]) -> dict[str, float]:
    if not isinstance(available_fte, Mapping) or not available_fte:
        raise ParameterError(
            "`available_fte` must map team names to the FTE they spend on tickets, e.g. "
            f"{{{teams[0]!r}: 4.0}}. Got {short_repr(available_fte)}."
        )
    out = {}
    for team, fte in available_fte.items():
        if team not in teams:
            raise ParameterError(
                f"`available_fte` names team {team!r}, which has no tickets in the export."
                f"{did_you_mean(team, teams)} Teams: {', '.join(teams)}."
            )
        try:
            value = float(fte)
        except (TypeError, ValueError):
            value = float("nan")
        if not (value >= 0 and np.isfinite(value)):
            raise ParameterError(
                f"`available_fte[{team!r}]` must be a number of FTE >= 0. Got {short_repr(fte)}."
            )
        out[str(team)] = value
    return out


@renamed_kwargs(default_handle_time_min=("handle_time_s", lambda minutes: minutes * 60.0))
def capacity_vs_demand(
    metrics: TicketMetrics,
    *,
    available_fte: Mapping[str, float],
    productive_hours_per_fte_month: float = 120.0,
    utilisation_target: float = 0.85,
    recent_months: int = 3,
    handle_time_s: float | None = None,
    n_trials: int = 2_000,
    rng: int | np.random.Generator | None = None,
) -> CapacityReview:
    """Ticket workload per team against its FTE, with the FTE the workload needs.

    Parameters
    ----------
    metrics : TicketMetrics
        From :func:`ticket_metrics` (tickets opened and mean handle time per team and month).
    available_fte : mapping of str to float
        FTE each team spends on ticket work (not its headcount: leave out project work).
        Teams not named are left out of the review.
    productive_hours_per_fte_month : float, default 120
        Productive hours one FTE gives per month (about 1,450 h a year after leave, training
        and meetings, / 12).
    utilisation_target : float, default 0.85
        Share of productive hours planned with tickets, in (0, 1].
    recent_months : int, default 3
        Months at the end of the period whose mean is the likely demand.
    handle_time_s : float, optional
        Effort per ticket in seconds for months without a known handle time (1800 for half an
        hour). Without it, such months use the team's mean over the period, and a team with
        none raises. Formerly ``default_handle_time_min`` in minutes (deprecated alias,
        converted to seconds).
    n_trials : int, default 2,000
        Monte Carlo trials of the workload model.
    rng : None, int or numpy.random.Generator
        Seed or generator (SPEC 7).

    Returns
    -------
    CapacityReview

    Notes
    -----
    ``demand_hours(month) = n_opened * handle_time_min / 60`` and
    ``fte_needed = demand_hours / (productive_hours_per_fte_month * utilisation_target)``.
    The workload model draws each team's monthly hours from a PERT distribution with low and
    high the lowest and highest month of the period and mode the recent mean, and reports the
    80th percentile of FTE. A team is *short* when ``available_fte < fte_needed``, *tight* when
    below ``fte_needed_p80``, else *enough*. Queueing effects are ignored: tickets wait hours,
    not seconds, so a workload model fits better than Erlang C (use
    :func:`cio_analytics.staffing.required_agents` for the telephone queue).

    Examples
    --------
    >>> import pandas as pd
    >>> from cio_analytics.performance import ticket_metrics
    >>> tickets = pd.DataFrame({
    ...     "team": ["Desk"] * 4,
    ...     "opened_at": pd.to_datetime(["2026-01-05 09:00", "2026-01-06 09:00",
    ...                                  "2026-02-02 09:00", "2026-02-03 09:00"]),
    ...     "resolved_at": pd.to_datetime(["2026-01-05 10:00", "2026-01-06 10:00",
    ...                                    "2026-02-02 10:00", "2026-02-03 10:00"]),
    ...     "sla_target_h": 8.0, "handle_time_min": [60.0, 60.0, 90.0, 90.0]})
    >>> review = capacity_vs_demand(ticket_metrics(tickets), available_fte={"Desk": 0.02},
    ...                             productive_hours_per_fte_month=100, utilisation_target=1.0,
    ...                             recent_months=1, n_trials=100, rng=1)
    >>> print(review.by_team[["demand_hours", "fte_needed", "status"]].to_string(index=False))
     demand_hours  fte_needed status
              3.0        0.03  short
    """
    if not isinstance(metrics, TicketMetrics):
        raise ParameterError(
            f"`metrics` must be the TicketMetrics of ticket_metrics(). Got {type(metrics).__name__}."
        )
    hours_fte = float(
        check_positive(productive_hours_per_fte_month, "productive_hours_per_fte_month")
    )
    util = float(check_positive(utilisation_target, "utilisation_target"))
    if util > 1:
        raise ParameterError(
            f"`utilisation_target` must be in (0, 1]. Got {util:g}. Use a decimal: 0.85 for 85 %."
        )
    n_months = len(metrics.months)
    recent = check_int(recent_months, "recent_months", minimum=1)
    if recent > n_months:
        raise ParameterError(
            f"`recent_months` must be at most the {n_months} months of the export. Got {recent}."
        )
    fill_min = None
    if handle_time_s is not None:
        fill_min = float(check_positive(handle_time_s, "handle_time_s")) / 60.0
    fte = _available(available_fte, metrics.teams)
    teams = list(fte)

    m = metrics.monthly[metrics.monthly["team"].isin(teams)].copy()
    team_mean = m.groupby("team")["handle_time_mean_min"].transform("mean")
    fill = team_mean if fill_min is None else fill_min
    handle = m["handle_time_mean_min"].fillna(fill)
    if handle.isna().any():
        team = m.loc[handle.isna(), "team"].iloc[0]
        raise ParameterError(
            f"team {team!r} has no handle times in the export. Give `handle_time_s` "
            "(seconds of effort per ticket, e.g. 1800) or add `handle_time_min` to the export."
        )
    per_fte = hours_fte * util
    monthly = pd.DataFrame(
        {
            "team": m["team"].to_numpy(),
            "month": m["month"].to_numpy(),
            "n_opened": m["n_opened"].to_numpy(),
            "handle_time_min": handle.to_numpy(),
        }
    )
    monthly["demand_hours"] = monthly["n_opened"] * monthly["handle_time_min"] / 60.0
    monthly["capacity_hours"] = monthly["team"].map(fte) * hours_fte
    with np.errstate(divide="ignore", invalid="ignore"):
        monthly["utilisation"] = monthly["demand_hours"] / monthly["capacity_hours"]
    monthly["fte_needed"] = monthly["demand_hours"] / per_fte

    is_recent = monthly["month"] >= metrics.months[-recent]
    grouped = monthly.groupby("team", sort=True)
    last = monthly[is_recent].groupby("team", sort=True)
    by_team = (
        pd.DataFrame(
            {
                "available_fte": pd.Series(fte),
                "tickets_per_month": last["n_opened"].mean(),
                "handle_time_min": last["handle_time_min"].mean(),
                "demand_hours": last["demand_hours"].mean(),
                "low_hours": grouped["demand_hours"].min(),
                "high_hours": grouped["demand_hours"].max(),
            }
        )
        .rename_axis("team")
        .reset_index()
    )
    seed, _ = resolve_seed(rng)
    hour_cols = ["low_hours", "demand_hours", "high_hours"]
    # The workload model counts a year: monthly hours x 12 on both sides (the FTE is the same).
    workload = workload_fte(
        by_team.assign(activity="tickets")[["team", "activity", *hour_cols]].assign(
            **{c: by_team[c] * 12.0 for c in hour_cols}
        ),
        productive_hours_per_fte_year=hours_fte * 12.0,
        utilisation_target=util,
        n_trials=n_trials,
        rng=seed,
    )
    model = workload.by_team.set_index("team")
    by_team["fte_needed"] = by_team["team"].map(model["fte_likely"])
    by_team["fte_needed_p80"] = by_team["team"].map(model["fte_p80"])
    by_team["gap_fte"] = by_team["available_fte"] - by_team["fte_needed_p80"]
    with np.errstate(divide="ignore", invalid="ignore"):
        by_team["utilisation"] = by_team["demand_hours"] / (by_team["available_fte"] * hours_fte)
    by_team["status"] = np.where(
        by_team["available_fte"] < by_team["fte_needed"],
        "short",
        np.where(by_team["available_fte"] < by_team["fte_needed_p80"], "tight", "enough"),
    )
    return CapacityReview(
        productive_hours_per_fte_month=hours_fte,
        utilisation_target=util,
        recent_months=recent,
        n_trials=workload.n_trials,
        seed=seed,
        available_fte=fte,
        by_team=by_team,
        monthly=monthly,
        workload=workload,
    )
