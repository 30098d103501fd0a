"""Service metrics from a ticket export, by team and month.

SLA attainment (resolved within the priority's target), time to resolve (median and P90),
backlog at month end and its age, reopen rate and first-contact resolution, computed for every
team and month in one pass of whole-array operations (``numpy.bincount`` and a pandas
``groupby`` for the quantiles): a million tickets take about half a second.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_frame, short_repr
from ..exceptions import ParameterError

__all__ = ["TicketMetrics", "ticket_metrics"]

_DAY_NS = 86_400e9
_HOUR_NS = 3_600e9
REQUIRED = ("team", "opened_at", "resolved_at", "sla_target_h")


@dataclass(frozen=True)
class TicketMetrics:
    """Service metrics of a ticket export, by team and month and for the whole period.

    Attributes
    ----------
    as_of : pandas.Timestamp
        The cut-off, echoed: tickets opened from then on are ignored, tickets resolved from then
        on count as open. The backlog of the last month is taken at ``as_of``.
    age_bins_d : tuple of float
        Upper edges (days) of the backlog age buckets, echoed.
    n_tickets, n_open : int
        Tickets before ``as_of``, and those still open at ``as_of``.
    teams : tuple of str
        Teams, sorted.
    sla_attainment : float
        Share of tickets resolved in the period that met their priority's target.
    resolve_p50_h, resolve_p90_h : float
        Median and 90th percentile time to resolve (calendar hours) of those tickets.
    reopen_rate, fcr_rate : float
        Share of resolved tickets reopened at least once; share resolved at first contact (of
        those with a known flag; NaN if none is known).
    monthly : pandas.DataFrame
        One row per team and month (every month of the period, zero-filled): ``team``,
        ``month`` (first day), ``n_opened``, ``n_resolved``, ``n_met``, ``sla_attainment``,
        ``resolve_p50_h``, ``resolve_p90_h``, ``backlog``, ``backlog_over_target``,
        ``backlog_age_p50_d``, ``backlog_age_max_d``, one ``backlog_<lo>_<hi>d`` column per age
        bucket, ``n_reopened``, ``reopen_rate``, ``n_fcr_known``, ``n_fcr``, ``fcr_rate``,
        ``handle_time_mean_min`` (mean effort of tickets opened that month).
    by_team : pandas.DataFrame
        The same measures for each team over the whole period (backlog at ``as_of``).
    """

    as_of: pd.Timestamp
    age_bins_d: tuple[float, ...]
    n_tickets: int
    n_open: int
    teams: tuple[str, ...]
    sla_attainment: float
    resolve_p50_h: float
    resolve_p90_h: float
    reopen_rate: float
    fcr_rate: float
    monthly: pd.DataFrame = field(repr=False)
    by_team: pd.DataFrame = field(repr=False)

    @property
    def months(self) -> pd.DatetimeIndex:
        """First day of each month of the period."""
        return pd.DatetimeIndex(self.monthly["month"].unique())

    def team_monthly(self, team: str) -> pd.DataFrame:
        """The monthly rows of one team."""
        if team not in self.teams:
            raise ParameterError(
                f"`team` {team!r} is not in the export. Teams: {', '.join(self.teams)}."
            )
        return self.monthly[self.monthly["team"] == team].reset_index(drop=True)

    def summary(self) -> pd.DataFrame:
        """Tidy table of the headline figures (``metric``, ``value``, ``unit``)."""
        rows = [
            ("n_tickets", float(self.n_tickets), "count"),
            ("n_open", float(self.n_open), "count"),
            ("sla_attainment", self.sla_attainment, "share"),
            ("resolve_p50_h", self.resolve_p50_h, "h"),
            ("resolve_p90_h", self.resolve_p90_h, "h"),
            ("reopen_rate", self.reopen_rate, "share"),
            ("fcr_rate", self.fcr_rate, "share"),
        ]
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def _frame(tickets: Any) -> pd.DataFrame:
    return check_frame(
        tickets,
        "tickets",
        REQUIRED,
        fix="Read the export with cio_analytics.io.read_ticket_export, which adds `sla_target_h`.",
    )


def _bucket_names(bins: tuple[float, ...]) -> list[str]:
    edges = (0.0, *bins)
    names = [f"backlog_{lo:g}_{hi:g}d" for lo, hi in itertools.pairwise(edges)]
    return [*names, f"backlog_over_{bins[-1]:g}d"]


def _resolved_stats(group: np.ndarray, n_groups: int, t: dict[str, np.ndarray]) -> pd.DataFrame:
    """Counts, attainment, quantiles, reopen and FCR of resolved tickets per group code."""
    hours, met = t["hours"], t["met"]
    n_res = np.bincount(group, minlength=n_groups).astype(np.int64)
    n_met = np.bincount(group, weights=met, minlength=n_groups).round().astype(np.int64)
    n_reo = np.bincount(group, weights=t["reopened"], minlength=n_groups).round().astype(np.int64)
    known = t["fcr_known"]
    n_known = np.bincount(group, weights=known, minlength=n_groups).round().astype(np.int64)
    n_fcr = np.bincount(group, weights=t["fcr"], minlength=n_groups).round().astype(np.int64)
    q = (
        pd.DataFrame({"g": group, "h": hours})
        .groupby("g")["h"]
        .quantile([0.5, 0.9])
        .unstack()
        .reindex(index=range(n_groups), columns=[0.5, 0.9])
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.DataFrame(
            {
                "n_resolved": n_res,
                "n_met": n_met,
                "sla_attainment": np.where(n_res > 0, n_met / n_res, np.nan),
                "resolve_p50_h": q[0.5].to_numpy(),
                "resolve_p90_h": q[0.9].to_numpy(),
                "n_reopened": n_reo,
                "reopen_rate": np.where(n_res > 0, n_reo / n_res, np.nan),
                "n_fcr_known": n_known,
                "n_fcr": n_fcr,
                "fcr_rate": np.where(n_known > 0, n_fcr / n_known, np.nan),
            }
        )


def _backlog_stats(
    group: np.ndarray,
    n_groups: int,
    age_d: np.ndarray,
    over: np.ndarray,
    bins: tuple[float, ...],
) -> pd.DataFrame:
    """Open tickets per group code: count, over target, median and max age, age buckets."""
    out = {
        "backlog": np.bincount(group, minlength=n_groups).astype(np.int64),
        "backlog_over_target": np.bincount(group, weights=over, minlength=n_groups)
        .round()
        .astype(np.int64),
    }
    ages = pd.DataFrame({"g": group, "a": age_d}).groupby("g")["a"]
    out["backlog_age_p50_d"] = ages.median().reindex(range(n_groups)).to_numpy()
    out["backlog_age_max_d"] = ages.max().reindex(range(n_groups)).to_numpy()
    bucket = np.searchsorted(np.asarray(bins), age_d, side="left")  # age in (lo, hi]
    counts = np.bincount(group * (len(bins) + 1) + bucket, minlength=n_groups * (len(bins) + 1))
    counts = counts.reshape(n_groups, len(bins) + 1)
    for k, name in enumerate(_bucket_names(bins)):
        out[name] = counts[:, k].astype(np.int64)
    return pd.DataFrame(out)


def ticket_metrics(
    tickets: pd.DataFrame,
    *,
    as_of: Any = None,
    age_bins_d: tuple[float, ...] = (7.0, 30.0, 90.0),
) -> TicketMetrics:
    """SLA attainment, time to resolve, backlog and age, reopen rate and FCR by team and month.

    Parameters
    ----------
    tickets : pandas.DataFrame
        A ticket export as returned by :func:`cio_analytics.io.read_ticket_export`: ``team``,
        ``opened_at``, ``resolved_at`` (NaT while open), ``sla_target_h`` and optionally
        ``reopened_count``, ``first_contact`` (boolean, NA unknown) and ``handle_time_min``.
    as_of : date-time, optional
        Cut-off of the analysis. Default: the first instant of the month after the latest time
        stamp in the export (the export covers whole months).
    age_bins_d : tuple of float, default (7, 30, 90)
        Increasing upper edges of the backlog age buckets, in days; buckets are ``[0, 7]``,
        ``(7, 30]``, ``(30, 90]`` and ``> 90``.

    Returns
    -------
    TicketMetrics

    Notes
    -----
    A ticket counts in the month it was *resolved*: ``sla_attainment = n_met / n_resolved``
    with ``met = resolved_at - opened_at <= sla_target_h`` (calendar hours, no business-hours
    calendar, no clock pauses). The backlog of month ``m`` is every ticket with
    ``opened_at < t_m`` and (``resolved_at`` empty or ``resolved_at >= t_m``), where ``t_m`` is
    the first instant of the next month (``as_of`` for the last month); its age is
    ``t_m - opened_at`` and it is *over target* when the age exceeds its priority's target.
    Quantiles interpolate linearly between order statistics (numpy's default, Excel's
    PERCENTILE.INC). Reopen rate = resolved tickets with ``reopened_count > 0`` / resolved;
    FCR = resolved at first contact / resolved with a known flag.

    References
    ----------
    AXELOS (2019), *ITIL Foundation, ITIL 4 edition*, service level management and incident
    management practices (resolution targets per priority, first-contact resolution).

    Examples
    --------
    >>> tickets = pd.DataFrame({
    ...     "team": ["Desk"] * 3,
    ...     "opened_at": pd.to_datetime(["2026-01-05 09:00", "2026-01-20 09:00", "2026-01-30 10:00"]),
    ...     "resolved_at": pd.to_datetime(["2026-01-05 11:00", "2026-01-22 09:00", None]),
    ...     "sla_target_h": [8.0, 24.0, 24.0]})
    >>> m = ticket_metrics(tickets)
    >>> row = m.monthly.iloc[0]
    >>> int(row["n_resolved"]), float(row["sla_attainment"]), int(row["backlog"])
    (2, 0.5, 1)
    """
    t = _frame(tickets)
    bins = tuple(float(b) for b in np.atleast_1d(np.asarray(age_bins_d, dtype=float)))
    if not bins or not np.all(np.diff(bins) > 0) or bins[0] <= 0:
        raise ParameterError(
            f"`age_bins_d` must be increasing day counts > 0, e.g. (7, 30, 90). Got {age_bins_d!r}."
        )
    opened = pd.to_datetime(t["opened_at"]).to_numpy("datetime64[ns]")
    resolved = pd.to_datetime(t["resolved_at"]).to_numpy("datetime64[ns]")
    if np.isnat(opened).any():
        raise ParameterError(
            "`tickets` column `opened_at` has empty values; every ticket needs one."
        )
    target_h = pd.to_numeric(t["sla_target_h"], errors="coerce").to_numpy(dtype=float)
    if not (target_h > 0).all():
        pos = int(np.flatnonzero(~(target_h > 0))[0])
        raise ParameterError(
            f"`tickets` column `sla_target_h` must be hours > 0; got "
            f"{short_repr(t['sla_target_h'].iloc[pos])} at position {pos}."
        )
    if (resolved < opened).any():
        pos = int(np.flatnonzero(resolved < opened)[0])
        raise ParameterError(
            f"`tickets`: the ticket at position {pos} is resolved before it was opened. "
            "Read the export with read_ticket_export, which reports the row."
        )
    latest = np.nanmax(np.concatenate([opened, resolved]).astype("datetime64[ns]"))
    if as_of is None:
        cut = (pd.Timestamp(latest).to_period("M") + 1).to_timestamp()
    else:
        try:
            cut = pd.Timestamp(as_of)
        except (TypeError, ValueError):
            cut = pd.NaT
        if cut is pd.NaT or pd.isna(cut):
            raise ParameterError(f"`as_of` must be a date-time, e.g. '2026-11-01'. Got {as_of!r}.")
    cut64 = np.datetime64(cut.to_datetime64(), "ns")
    keep = opened < cut64
    if not keep.any():
        raise ParameterError(
            f"`as_of` {cut} is before every ticket was opened. Choose a later date."
        )
    teams_all = t["team"].astype(str).to_numpy()[keep]
    opened, resolved, target_h = opened[keep], resolved[keep], target_h[keep]
    resolved = np.where(resolved >= cut64, np.datetime64("NaT"), resolved)
    n = opened.size
    team_code, teams = pd.factorize(teams_all, sort=True)  # hashing: faster than np.unique
    teams = np.asarray(teams, dtype=object)
    first = pd.Timestamp(opened.min()).to_period("M")
    last = (cut - pd.Timedelta(1, "ns")).to_period("M")
    months = pd.period_range(first, last, freq="M")
    n_m, n_t = len(months), len(teams)
    starts = months.to_timestamp().to_numpy("datetime64[ns]")
    snap = np.minimum((months + 1).to_timestamp().to_numpy("datetime64[ns]"), cut64)

    def month_code(stamps: np.ndarray) -> np.ndarray:
        return np.searchsorted(starts, stamps, side="right") - 1

    # tickets opened per team-month, with their mean handle time
    o_code = team_code * n_m + month_code(opened)
    n_opened = np.bincount(o_code, minlength=n_t * n_m)
    if "handle_time_min" in t.columns:
        handle = pd.to_numeric(t["handle_time_min"], errors="coerce").to_numpy(dtype=float)[keep]
    else:
        handle = np.full(n, np.nan)
    h_known = ~np.isnan(handle)
    h_sum = np.bincount(o_code[h_known], weights=handle[h_known], minlength=n_t * n_m)
    h_cnt = np.bincount(o_code[h_known], minlength=n_t * n_m)

    # resolved tickets: grouped by team and month of resolution
    done = ~np.isnat(resolved)
    hours = (resolved[done] - opened[done]).astype(np.int64) / _HOUR_NS
    reopened = (
        pd.to_numeric(t["reopened_count"], errors="coerce").fillna(0).to_numpy()[keep] > 0
        if "reopened_count" in t.columns
        else np.zeros(n, dtype=bool)
    )
    if "first_contact" in t.columns:
        fc = pd.array(t["first_contact"], dtype="boolean")[keep]
        fcr_known = ~np.asarray(fc.isna())
        fcr = np.asarray(fc.fillna(False), dtype=bool)
    else:
        fcr_known = fcr = np.zeros(n, dtype=bool)
    stats = {
        "hours": hours,
        "met": (hours <= target_h[done]).astype(float),
        "reopened": reopened[done].astype(float),
        "fcr_known": fcr_known[done].astype(float),
        "fcr": (fcr & fcr_known)[done].astype(float),
    }
    r_month = month_code(resolved[done])
    res_m = _resolved_stats(team_code[done] * n_m + r_month, n_t * n_m, stats)
    res_t = _resolved_stats(team_code[done], n_t, stats)
    res_all = _resolved_stats(np.zeros(int(done.sum()), dtype=np.int64), 1, stats)

    # backlog: ticket i is open at snapshot j for start_i <= j < stop_i
    start = np.searchsorted(snap, opened, side="right")
    stop = np.where(
        done, np.searchsorted(snap, resolved, side="right"), n_m
    )  # open while resolved_at >= t_j
    count = np.clip(stop - start, 0, None)
    rep = np.repeat(np.arange(n), count)
    offsets = np.repeat(np.cumsum(count) - count, count)
    j = start[rep] + (np.arange(rep.size) - offsets)
    age_d = (snap[j] - opened[rep]).astype(np.int64) / _DAY_NS
    over = (age_d * 24.0 > target_h[rep]).astype(float)
    back_m = _backlog_stats(team_code[rep] * n_m + j, n_t * n_m, age_d, over, bins)
    at_end = j == n_m - 1
    back_t = _backlog_stats(team_code[rep][at_end], n_t, age_d[at_end], over[at_end], bins)

    with np.errstate(invalid="ignore", divide="ignore"):
        handle_mean = np.where(h_cnt > 0, h_sum / np.maximum(h_cnt, 1), np.nan)
    monthly = pd.concat(
        [
            pd.DataFrame(
                {
                    "team": np.repeat(teams, n_m),
                    "month": np.tile(months.to_timestamp(), n_t),
                    "n_opened": n_opened.astype(np.int64),
                }
            ),
            res_m,
            back_m,
            pd.DataFrame({"handle_time_mean_min": handle_mean}),
        ],
        axis=1,
    )
    monthly = monthly[_column_order(bins)]
    by_team = pd.concat(
        [
            pd.DataFrame({"team": teams, "n_opened": np.bincount(team_code, minlength=n_t)}),
            res_t,
            back_t,
        ],
        axis=1,
    )
    by_team = by_team[[c for c in _column_order(bins) if c in by_team.columns]]
    head = res_all.iloc[0]
    return TicketMetrics(
        as_of=cut,
        age_bins_d=bins,
        n_tickets=int(n),
        n_open=int((~done).sum()),
        teams=tuple(str(x) for x in teams),
        sla_attainment=float(head["sla_attainment"]),
        resolve_p50_h=float(head["resolve_p50_h"]),
        resolve_p90_h=float(head["resolve_p90_h"]),
        reopen_rate=float(head["reopen_rate"]),
        fcr_rate=float(head["fcr_rate"]),
        monthly=monthly,
        by_team=by_team,
    )


def _column_order(bins: tuple[float, ...]) -> list[str]:
    return [
        "team", "month", "n_opened", "n_resolved", "n_met", "sla_attainment", "resolve_p50_h",
        "resolve_p90_h", "backlog", "backlog_over_target", "backlog_age_p50_d",
        "backlog_age_max_d", *_bucket_names(bins), "n_reopened", "reopen_rate", "n_fcr_known",
        "n_fcr", "fcr_rate", "handle_time_mean_min",
    ]  # fmt: skip
