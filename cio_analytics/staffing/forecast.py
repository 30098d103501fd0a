"""Forecast from history: arrival profile by weekday and interval, and staffing at a percentile.

A ticket or call history (one row per contact with its arrival time and handle time) becomes a
profile of mean calls per weekday and interval across the complete weeks observed, with the
week-to-week spread, a confidence interval for the mean and handle-time statistics. The profile
turns into a forecast table for :func:`~cio_analytics.staffing.staffing_plan`; the Monte Carlo
in :func:`required_agents_at_confidence` turns forecast error into agents that meet the service
level at a stated percentile of the forecast error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._deprecation import renamed_kwargs, warn_renamed
from .._validation import (
    as_float_array,
    check_int,
    check_positive,
    check_probability,
    resolve_seed,
)
from ..exceptions import ParameterError
from .requirements import staffing_requirement

__all__ = [
    "AgentsAtPercentile",
    "ArrivalProfile",
    "arrival_profile",
    "required_agents_at_confidence",
]

_WEEK_S = 7 * 86400
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class ArrivalProfile:
    """Mean arrivals per queue, weekday and interval, with their uncertainty.

    Attributes
    ----------
    interval_s, confidence_level, min_calls_for_aht
        The inputs, echoed.
    start, end : pandas.Timestamp
        The window of complete weeks used (Monday 00:00 to Monday 00:00).
    n_weeks : int
        Complete weeks in the window.
    n_contacts : int
        Contacts inside the window; ``n_outside_window`` were dropped (partial weeks).
    profile : pandas.DataFrame
        One row per queue and interval of the week: ``queue, weekday, weekday_name, time,
        slot, calls_mean, calls_sd, calls_se, calls_ci_low, calls_ci_high, handle_time_mean_s,
        handle_time_sd_s, handle_time_se_s, n_handle_times``.
    weekly : pandas.DataFrame
        Contacts per queue (rows) and week start (columns), to show trend and spread.
    """

    interval_s: float
    confidence_level: float
    min_calls_for_aht: int
    start: pd.Timestamp
    end: pd.Timestamp
    n_weeks: int
    n_contacts: int
    n_outside_window: int
    profile: pd.DataFrame = field(repr=False)
    weekly: pd.DataFrame = field(repr=False)

    @property
    def window_text(self) -> str:
        """The weeks used, as a report says it: ``"12 complete weeks, 5 Jan to 29 Mar 2026"``."""
        last = self.end - pd.Timedelta(days=1)
        first = f"{self.start.day} {self.start:%b}"
        if self.start.year != last.year:
            first += f" {self.start.year}"
        unit = "week" if self.n_weeks == 1 else "weeks"
        return f"{self.n_weeks} complete {unit}, {first} to {last.day} {last:%b %Y}"

    def forecast_table(self, week_start: Any, *, growth: float = 0.0) -> pd.DataFrame:
        """The profile as a one-week forecast table for :func:`staffing_plan`.

        Parameters
        ----------
        week_start : date-like
            Monday 00:00 of the week to plan.
        growth : float, default 0
            Volume change against the history, decimal (0.05 for +5 %); scales mean and sd.

        Returns
        -------
        pandas.DataFrame
            ``queue, interval_start, calls, handle_time_s, calls_sd, handle_time_se_s``.
        """
        try:
            start = pd.Timestamp(week_start)
        except (TypeError, ValueError):
            start = pd.NaT
        if pd.isna(start):
            raise ParameterError(
                f"`week_start` must be the Monday of the week to plan, e.g. "
                f"{self.end.date()} (the week after the history's). Got {week_start!r}."
            )
        if start != start.normalize() or start.weekday() != 0:
            raise ParameterError(
                f"`week_start` must be a Monday at 00:00. Got {start} ({start.day_name()}). "
                f"Use {(start.normalize() - pd.Timedelta(days=start.weekday())).date()}."
            )
        if not growth > -1:
            raise ParameterError(f"`growth` must be a decimal above -1. Got {growth!r}.")
        p = self.profile
        factor = 1.0 + float(growth)
        out = pd.DataFrame(
            {
                "queue": p["queue"].to_numpy(),
                "interval_start": start
                + pd.to_timedelta(p["slot"].to_numpy() * self.interval_s, unit="s"),
                "calls": p["calls_mean"].to_numpy() * factor,
                "handle_time_s": p["handle_time_mean_s"].to_numpy(),
                "calls_sd": p["calls_sd"].to_numpy() * factor,
                "handle_time_se_s": p["handle_time_se_s"].to_numpy(),
            }
        )
        out.attrs["interval_s"] = self.interval_s
        return out

    def summary(self) -> pd.DataFrame:
        """Per queue: weekly contacts (mean, sd), peak interval mean and mean handle time."""
        g = self.profile.groupby("queue", sort=True)
        weekly = self.weekly
        return pd.DataFrame(
            {
                "queue": weekly.index.to_numpy(),
                "contacts_per_week_mean": weekly.mean(axis=1).to_numpy(),
                "contacts_per_week_sd": weekly.std(axis=1, ddof=1).to_numpy(),
                "peak_interval_calls_mean": g["calls_mean"].max().to_numpy(),
                "handle_time_mean_s": (
                    g.apply(
                        lambda d: (
                            np.average(d["handle_time_mean_s"], weights=d["calls_mean"])
                            if d["calls_mean"].sum() > 0
                            else d["handle_time_mean_s"].mean()
                        ),
                        include_groups=False,
                    ).to_numpy()
                ),
                "n_weeks": self.n_weeks,
            }
        )


def arrival_profile(
    history: pd.DataFrame,
    *,
    interval_s: float = 1800.0,
    start: Any = None,
    end: Any = None,
    weeks: int | None = None,
    confidence_level: float = 0.95,
    min_calls_for_aht: int = 10,
    default_handle_time_s: float | None = None,
) -> ArrivalProfile:
    """Arrival profile by queue, weekday and interval from contact timestamps.

    Parameters
    ----------
    history : pandas.DataFrame
        ``created_at`` (date-times), optional ``queue`` and ``handle_time_s`` (seconds), as
        returned by :func:`cio_analytics.io.read_ticket_history`.
    interval_s : float, default 1800
        Interval length in seconds; must divide a day (900, 1800, 3600, ...).
    start, end : date-like, optional
        Window of whole weeks to use, each a Monday 00:00. By default the complete weeks
        covered by the history (a first or last partial week is left out).
    weeks : int, optional
        Use only the last ``weeks`` complete weeks before ``end`` (e.g. 12: the latest
        quarter's pattern, whatever older contacts the history holds); fewer when the history
        is shorter. Not with ``start``.
    confidence_level : float, default 0.95
        Level of the confidence interval for the mean calls per interval.
    min_calls_for_aht : int, default 10
        Intervals with fewer handle-time observations use the queue's overall mean and sd.
    default_handle_time_s : float, optional
        Handle time for a queue with no handle times in the history.

    Returns
    -------
    ArrivalProfile

    Notes
    -----
    With ``x_w`` the calls in a given weekday-interval in week ``w = 1..W`` (zero when none
    arrived), the profile holds ``mean = sum x_w / W``, ``sd`` with ``W - 1`` degrees of freedom,
    ``se = sd / sqrt(W)`` and the Student-t interval ``mean +- t_{(1+c)/2, W-1} se``. Handle
    time: mean, sd and ``se = sd / sqrt(n)`` of the ``n`` contacts in that weekday-interval.

    Examples
    --------
    >>> ts = pd.date_range("2026-01-05 09:00", periods=3, freq="7D")  # three Mondays
    >>> hist = pd.DataFrame({"created_at": ts, "handle_time_s": [300.0, 320.0, 340.0]})
    >>> prof = arrival_profile(hist, end="2026-01-26")
    >>> row = prof.profile.query("weekday == 0 and time == '09:00'").iloc[0]
    >>> prof.n_weeks, float(row["calls_mean"]), float(row["calls_sd"])
    (3, 1.0, 0.0)
    """
    step = float(check_positive(interval_s, "interval_s"))
    if np.ndim(step) or 86400 % step:
        raise ParameterError(
            f"`interval_s` must divide a day into whole intervals (900, 1800, 3600). Got {step:g}."
        )
    level = check_probability(confidence_level, "confidence_level")
    if not 0 < level < 1:
        raise ParameterError(f"`confidence_level` must be in (0, 1). Got {level:g}.")
    min_n = check_int(min_calls_for_aht, "min_calls_for_aht", minimum=1)
    if not isinstance(history, pd.DataFrame) or "created_at" not in history.columns:
        raise ParameterError(
            "`history` must be a DataFrame with a `created_at` column. Read the file with "
            "cio_analytics.io.read_ticket_history."
        )
    ts = pd.to_datetime(history["created_at"], errors="coerce")
    if ts.isna().any():
        pos = int(np.flatnonzero(ts.isna().to_numpy())[0])
        raise ParameterError(
            f"`history['created_at']` row {pos} is not a date-time "
            f"({history['created_at'].iloc[pos]!r}). Use read_ticket_history to validate it."
        )
    if ts.empty:
        raise ParameterError("`history` holds no contacts.")
    queue = (
        history["queue"].astype(str).to_numpy()
        if "queue" in history.columns
        else np.full(len(history), "All", dtype=object)
    )
    handle = (
        as_float_array(history["handle_time_s"], "history['handle_time_s']", allow_nan=True)
        if "handle_time_s" in history.columns
        else np.full(len(history), np.nan)
    )
    if weeks is not None and start is not None:
        raise ParameterError(
            "`weeks` and `start` both set the window's first week. Pass one of them."
        )
    w_start = _monday(start, ts.min(), up=True, name="start")
    w_end = _monday(end, ts.max().normalize() + pd.Timedelta(days=1), up=False, name="end")
    if weeks is not None:
        n_last = check_int(weeks, "weeks", minimum=2)
        w_start = max(w_start, w_end - pd.Timedelta(days=7 * n_last))
    n_weeks = int((w_end - w_start).days // 7)
    if n_weeks < 2:
        raise ParameterError(
            f"The history needs at least two complete weeks (Monday to Sunday) to measure the "
            f"week-to-week spread; the window {w_start.date()} to {w_end.date()} holds {n_weeks}. "
            "Load a longer history or pass `start`/`end`."
        )
    offset_s = (ts - w_start).dt.total_seconds().to_numpy()
    inside = (offset_s >= 0) & (offset_s < n_weeks * _WEEK_S)
    n_slots = int(_WEEK_S // step)
    queues, q_idx = np.unique(queue[inside], return_inverse=True)
    n_q = len(queues)
    if n_q == 0:
        raise ParameterError(
            f"No contacts fall in the window {w_start.date()} to {w_end.date()}. "
            "Check `start`/`end` against the history's dates."
        )
    idx = (offset_s[inside] // step).astype(np.int64)
    week, slot = idx // n_slots, idx % n_slots
    counts = np.bincount(
        (q_idx * n_weeks + week) * n_slots + slot, minlength=n_q * n_weeks * n_slots
    ).reshape(n_q, n_weeks, n_slots)
    mean = counts.mean(axis=1)
    sd = counts.std(axis=1, ddof=1)
    se = sd / np.sqrt(n_weeks)
    half = stats.t.ppf((1 + level) / 2, n_weeks - 1) * se

    ht, hq, hs = handle[inside], q_idx, slot
    ok = ~np.isnan(ht)
    key = hq[ok] * n_slots + hs[ok]
    n_ht = np.bincount(key, minlength=n_q * n_slots).reshape(n_q, n_slots)
    s1 = np.bincount(key, weights=ht[ok], minlength=n_q * n_slots).reshape(n_q, n_slots)
    s2 = np.bincount(key, weights=ht[ok] ** 2, minlength=n_q * n_slots).reshape(n_q, n_slots)
    nq, s1q, s2q = n_ht.sum(axis=1), s1.sum(axis=1), s2.sum(axis=1)
    missing = nq == 0
    if missing.any():
        if default_handle_time_s is None:
            raise ParameterError(
                f"Queue {queues[np.flatnonzero(missing)[0]]!r} has no handle times in the "
                "history. Add a `handle_time_s` column or pass `default_handle_time_s`."
            )
        default = float(check_positive(default_handle_time_s, "default_handle_time_s"))
    else:
        default = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        q_mean = np.where(missing, default, s1q / np.maximum(nq, 1))
        q_var = np.where(nq > 1, (s2q - nq * q_mean**2) / np.maximum(nq - 1, 1), 0.0)
        s_mean = s1 / np.maximum(n_ht, 1)
        s_var = np.where(n_ht > 1, (s2 - n_ht * s_mean**2) / np.maximum(n_ht - 1, 1), 0.0)
    use_slot = n_ht >= min_n
    ht_mean = np.where(use_slot, s_mean, q_mean[:, None])
    ht_sd = np.sqrt(np.maximum(np.where(use_slot, s_var, q_var[:, None]), 0.0))
    ht_n = np.where(use_slot, n_ht, nq[:, None])
    ht_se = np.where(ht_n > 0, ht_sd / np.sqrt(np.maximum(ht_n, 1)), 0.0)

    slots = np.arange(n_slots)
    minutes = (slots * step % 86400) // 60
    profile = pd.DataFrame(
        {
            "queue": np.repeat(queues, n_slots),
            "weekday": np.tile(slots * step // 86400, n_q).astype(int),
            "weekday_name": np.tile(np.array(_DAYS)[(slots * step // 86400).astype(int)], n_q),
            "time": np.tile([f"{int(m // 60):02d}:{int(m % 60):02d}" for m in minutes], n_q),
            "slot": np.tile(slots, n_q),
            "calls_mean": mean.ravel(),
            "calls_sd": sd.ravel(),
            "calls_se": se.ravel(),
            "calls_ci_low": np.maximum(mean - half, 0.0).ravel(),
            "calls_ci_high": (mean + half).ravel(),
            "handle_time_mean_s": ht_mean.ravel(),
            "handle_time_sd_s": ht_sd.ravel(),
            "handle_time_se_s": ht_se.ravel(),
            "n_handle_times": n_ht.ravel(),
        }
    )
    weekly = pd.DataFrame(
        counts.sum(axis=2),
        index=pd.Index(queues, name="queue"),
        columns=pd.DatetimeIndex(
            [w_start + pd.Timedelta(weeks=i) for i in range(n_weeks)], name="week_start"
        ),
    )
    return ArrivalProfile(
        interval_s=step,
        confidence_level=float(level),
        min_calls_for_aht=min_n,
        start=w_start,
        end=w_end,
        n_weeks=n_weeks,
        n_contacts=int(inside.sum()),
        n_outside_window=int((~inside).sum()),
        profile=profile,
        weekly=weekly,
    )


def _monday(value: Any, fallback: pd.Timestamp, *, up: bool, name: str) -> pd.Timestamp:
    """A Monday 00:00: ``value`` checked, or ``fallback`` moved to the next (up) / previous one."""
    if value is not None:
        ts = pd.Timestamp(value)
        if ts != ts.normalize() or ts.weekday() != 0:
            raise ParameterError(
                f"`{name}` must be a Monday at 00:00 (whole weeks). Got {ts} ({ts.day_name()})."
            )
        return ts
    day = pd.Timestamp(fallback).normalize()
    shift = (-day.weekday()) % 7 if up else -day.weekday()
    return day + pd.Timedelta(days=shift)


def _gamma_draws(gen: np.random.Generator, mean: np.ndarray, sd: np.ndarray, size) -> np.ndarray:
    """Gamma draws with the given mean and sd (the mean itself where sd or mean is 0)."""
    spread = (sd > 0) & (mean > 0)
    safe_mean = np.where(spread, mean, 1.0)
    safe_sd = np.where(spread, sd, 1.0)
    shape = (safe_mean / safe_sd) ** 2
    scale = safe_sd**2 / safe_mean
    draws = gen.gamma(shape, scale, size=size)
    return np.where(spread, draws, mean)


@dataclass(frozen=True, eq=False)
class AgentsAtPercentile:
    """Agents per interval that meet the targets at a percentile of the forecast error.

    Attributes
    ----------
    percentile, n_trials, seed
        The inputs, echoed; ``rng=seed`` replays the trials.
    agents : numpy.ndarray
        The ``percentile`` quantile of the agents required per interval (an integer count).
    agents_at_forecast : numpy.ndarray
        Agents required at the point forecast.
    p_meet_at_forecast : numpy.ndarray
        Share of trials the point-forecast agents would meet the targets.
    """

    percentile: float
    n_trials: int
    seed: int
    agents: np.ndarray = field(repr=False)
    agents_at_forecast: np.ndarray = field(repr=False)
    p_meet_at_forecast: np.ndarray = field(repr=False)

    def summary(self) -> pd.DataFrame:
        """One row per interval: agents at the percentile, at the forecast, P(meet)."""
        return pd.DataFrame(
            {
                "interval": np.arange(self.agents.size),
                "agents": self.agents,
                "agents_at_forecast": self.agents_at_forecast,
                "p_meet_at_forecast": self.p_meet_at_forecast,
            }
        )

    def __getitem__(self, key: str) -> np.ndarray:
        """Deprecated dict-style access (``res["agents"]``); use the attribute."""
        if key not in ("agents", "agents_at_forecast", "p_meet_at_forecast"):
            raise KeyError(key)
        warn_renamed(f"required_agents_at_confidence(...)[{key!r}]", f"the attribute .{key}")
        return getattr(self, key)


@renamed_kwargs(confidence="percentile")
def required_agents_at_confidence(
    calls: Any,
    handle_time_s: Any,
    *,
    calls_sd: Any,
    handle_time_se_s: Any = 0.0,
    interval_s: float,
    percentile: float,
    n_trials: int = 1000,
    rng: int | np.random.Generator | None = None,
    chunk_size: int = 2_000_000,
    **targets: Any,
) -> AgentsAtPercentile:
    """Agents per interval that meet the targets with probability ``percentile``.

    Parameters
    ----------
    calls, handle_time_s : array_like
        Point forecast per interval (calls, seconds).
    calls_sd : array_like
        Forecast error of the calls (sd across weeks, or a forecast's standard error).
    handle_time_se_s : array_like, default 0
        Uncertainty of the mean handle time (seconds).
    interval_s : float
        Interval length in seconds.
    percentile : float
        Probability in (0, 1) that the staffed agents meet every target: the percentile of
        the agents required that is staffed (0.9 staffs the P90). Formerly ``confidence``
        (deprecated alias).
    n_trials : int, default 1000
        Monte Carlo trials.
    rng : None, int or numpy.random.Generator
        Seed or generator (SPEC 7). All draws happen up front, so the result does not depend
        on ``chunk_size``.
    chunk_size : int, default 2,000,000
        Most trial-intervals handed to the solver at once (memory bound, not the answer).
    **targets
        ``target_service_level``, ``answer_time_s`` and the optional ``max_occupancy``,
        ``target_asa_s``, ``patience_s`` of :func:`required_agents`. Targets that cannot be
        met are not warned about here; the plan reports them per interval.

    Returns
    -------
    AgentsAtPercentile
        ``agents`` (the ``percentile`` quantile per interval, an integer count),
        ``agents_at_forecast`` (required at the point forecast), ``p_meet_at_forecast``
        (share of trials the point-forecast agents would meet the targets) and ``seed``.

    Notes
    -----
    Each trial draws the calls from a gamma distribution with the forecast's mean and sd and
    the handle time from a gamma with mean ``handle_time_s`` and sd ``handle_time_se_s``
    (both stay positive), then solves :func:`required_agents` for all trials and intervals in
    broadcast calls; the answer is the ``inverted_cdf`` quantile, the smallest count that covers
    at least ``percentile`` of the trials.

    Examples
    --------
    >>> res = required_agents_at_confidence([100.0], [180.0], calls_sd=[15.0], interval_s=1800,
    ...     percentile=0.9, n_trials=200, rng=1, target_service_level=0.8, answer_time_s=20)
    >>> int(res.agents_at_forecast[0]), bool(res.agents[0] >= res.agents_at_forecast[0])
    (14, True)
    """
    level = check_probability(percentile, "percentile")
    if not 0 < level < 1:
        raise ParameterError(f"`percentile` must be in (0, 1). Got {level:g}; use 0.9 for P90.")
    n_trials = check_int(n_trials, "n_trials", minimum=1)
    chunk = check_int(chunk_size, "chunk_size", minimum=1)
    calls = np.atleast_1d(as_float_array(calls, "calls"))
    ht = np.atleast_1d(as_float_array(handle_time_s, "handle_time_s"))
    sd = np.broadcast_to(as_float_array(calls_sd, "calls_sd"), calls.shape)
    se = np.broadcast_to(as_float_array(handle_time_se_s, "handle_time_se_s"), calls.shape)
    if (sd < 0).any() or (se < 0).any():
        raise ParameterError("`calls_sd` and `handle_time_se_s` must be 0 or more.")
    seed, gen = resolve_seed(rng)
    size = (n_trials, calls.size)
    sim_calls = _gamma_draws(gen, calls, sd, size)
    sim_ht = _gamma_draws(gen, ht, se, size)
    rows = max(1, chunk // max(calls.size, 1))
    need = np.empty(size)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # inf ASA is expected
        point = np.asarray(staffing_requirement(calls, interval_s, ht, **targets).agents, float)
        for lo in range(0, n_trials, rows):  # chunks of trials bound memory, not a trial loop
            hi = min(lo + rows, n_trials)
            need[lo:hi] = staffing_requirement(
                sim_calls[lo:hi], interval_s, sim_ht[lo:hi], **targets
            ).agents
    agents = np.quantile(need, level, axis=0, method="inverted_cdf")
    return AgentsAtPercentile(
        percentile=float(level),
        n_trials=n_trials,
        seed=seed,
        agents=agents,
        agents_at_forecast=point,
        p_meet_at_forecast=(need <= point).mean(axis=0),
    )
