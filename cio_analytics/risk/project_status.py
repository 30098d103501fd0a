"""Delivery outlook of a running project: the remaining network simulated from today's status.

Finished tasks are fixed (their actual cost, no time left), running tasks keep the uncertain
remainder of their duration and cost, tasks not started keep their whole range. The remaining
network runs through :func:`~cio_analytics.risk.simulate_project` (merge bias, criticality),
and working days from the status date become calendar dates with a holiday list, so the board
sees "P80 finish 14 Aug 2027 against a committed 30 Jun 2027; 23 % chance of making it".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._validation import as_float_array, check_int, check_probability, did_you_mean
from ..exceptions import ParameterError
from ._base import Distribution
from .project import Task, simulate_project

__all__ = ["ProjectOutlook", "project_outlook"]


@dataclass(frozen=True)
class _Remaining(Distribution):
    """``done + share * X``: the part of an uncertain total still to come (``share`` in (0, 1])."""

    base: Distribution
    share: float
    done: float = 0.0

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return self.done + self.share * self.base._ppf(q)

    def _cdf(self, x: np.ndarray) -> np.ndarray:
        return self.base._cdf((np.asarray(x, dtype=float) - self.done) / self.share)

    def mean(self) -> float:
        return self.done + self.share * self.base.mean()

    def var(self) -> float:
        return self.share**2 * self.base.var()


def _remaining(x: Distribution | float, share: float, done: float) -> Distribution | float:
    if share <= 0:
        return float(done)
    if isinstance(x, Distribution):
        return _Remaining(x, share, done)
    return float(done + share * x)


def _as_day(value: Any, name: str) -> np.datetime64:
    iso = not isinstance(value, str) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip())
    try:
        day = pd.Timestamp(value) if iso else pd.NaT
    except (TypeError, ValueError):
        day = pd.NaT
    if pd.isna(day):
        raise ParameterError(f"`{name}` must be a date (ISO 8601, e.g. 2027-06-30). Got {value!r}.")
    return np.datetime64(day.date(), "D")


@dataclass(frozen=True)
class ProjectOutlook:
    """Where a running project will land: dates, cost and what drives them.

    Attributes
    ----------
    status_date, committed_date : numpy.datetime64
        Today's status date and the finish date promised (``NaT`` if none was given).
    budget : float
        The budget at completion the cost is judged against (NaN if none was given).
    percentile : float
        The confidence at which the contingency is sized (0.8 = P80).
    n_trials, seed : int
    currency : str
    completion_dates : ndarray of datetime64[D], shape (n_trials,)
        The finish date of each trial (working days after the status date, on the calendar).
    total_cost : ndarray, shape (n_trials,)
        Cost at completion of each trial, actual cost to date included.
    completion_date_p50, completion_date_p80 : numpy.datetime64
    slip_days_p80 : float
        Calendar days from the committed date to the P80 finish (negative: early; NaN without
        a committed date).
    probability_on_time : float
        Share of trials finishing on or before the committed date (NaN without one).
    cost_p50, cost_p80, cost_at_percentile : float
    probability_within_budget : float
    contingency_needed : float
        ``max(0, cost_at_percentile - budget)``: what the budget lacks at that confidence.
    drivers : DataFrame
        Per task still open: ``task``, ``percent_complete``, ``criticality_index`` (share of
        trials in which it lies on the critical path), ``sensitivity`` (Spearman rank
        correlation of its remaining duration with the completion date, in [-1, 1]; 0 for a
        stated, fixed remainder), ``mean_remaining_days``, sorted by criticality.
    """

    status_date: np.datetime64
    committed_date: np.datetime64
    budget: float
    percentile: float
    n_trials: int
    seed: int
    currency: str
    completion_dates: np.ndarray = field(repr=False)
    total_cost: np.ndarray = field(repr=False)
    completion_date_p50: np.datetime64
    completion_date_p80: np.datetime64
    slip_days_p80: float
    probability_on_time: float
    cost_p50: float
    cost_p80: float
    cost_at_percentile: float
    probability_within_budget: float
    contingency_needed: float
    drivers: pd.DataFrame = field(repr=False)

    def probability_done_by(self, day: Any) -> float:
        """Share of trials finishing on or before ``day`` (a date)."""
        return float(np.mean(self.completion_dates <= _as_day(day, "day")))

    def summary(self) -> pd.DataFrame:
        """Tidy headline table: ``metric``, ``value``, ``unit``."""
        c = self.currency
        rows = [
            ("completion_date_p50", str(self.completion_date_p50), "date"),
            ("completion_date_p80", str(self.completion_date_p80), "date"),
            ("committed_date", str(self.committed_date), "date"),
            ("slip_days_p80", self.slip_days_p80, "days"),
            ("probability_on_time", self.probability_on_time, "share"),
            ("cost_p50", self.cost_p50, c),
            ("cost_p80", self.cost_p80, c),
            ("budget", self.budget, c),
            ("probability_within_budget", self.probability_within_budget, "share"),
            ("contingency_needed", self.contingency_needed, c),
            ("n_trials", float(self.n_trials), "trials"),
        ]
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def _progress_table(progress: Any, names: list[str]) -> pd.DataFrame:
    if not isinstance(progress, pd.DataFrame):
        raise ParameterError(
            "`progress` must be a DataFrame with columns task, percent_complete, actual_cost "
            f"(and optionally remaining_days). Got {type(progress).__name__}."
        )
    missing = [c for c in ("task", "percent_complete", "actual_cost") if c not in progress]
    if missing:
        raise ParameterError(
            f"`progress` is missing the column(s) {', '.join(missing)}. It has: "
            f"{', '.join(map(str, progress.columns))}."
        )
    unknown = [str(t) for t in progress["task"] if t not in names]
    if unknown:
        raise ParameterError(
            f"`progress` names a task the network does not have: {unknown[0]!r}."
            f"{did_you_mean(unknown[0], names)} Tasks: {', '.join(names)}."
        )
    dupes = progress["task"][progress["task"].duplicated()].tolist()
    if dupes:
        raise ParameterError(f"`progress` lists task {dupes[0]!r} more than once.")
    pct = as_float_array(progress["percent_complete"], "percent_complete")
    bad = (pct < 0) | (pct > 1)
    if bad.any():
        v = float(pct[bad][0])
        hint = f" Use {v / 100:g} for {v:g} %." if 1 < v <= 100 else ""
        raise ParameterError(f"`percent_complete` must be a decimal in [0, 1]. Got {v:g}.{hint}")
    cost = as_float_array(progress["actual_cost"], "actual_cost")
    if (cost < 0).any():
        raise ParameterError(
            f"`actual_cost` cannot be negative. Got {float(cost[cost < 0][0]):,.2f}."
        )
    out = pd.DataFrame({"task": progress["task"].astype(str), "pct": pct, "actual": cost})
    if "remaining_days" in progress:
        rem = as_float_array(progress["remaining_days"], "remaining_days", allow_nan=True)
        if (rem < 0).any():
            raise ParameterError(
                f"`remaining_days` cannot be negative. Got {float(rem[rem < 0][0]):g}."
            )
        out["remaining_days"] = rem
    return out.set_index("task")


def project_outlook(
    tasks: Sequence[Task],
    progress: pd.DataFrame,
    *,
    status_date: Any,
    committed_date: Any = None,
    budget: float | None = None,
    holidays: Sequence[Any] = (),
    percentile: float = 0.8,
    n_trials: int = 20_000,
    currency: str = "EUR",
    rng: int | np.random.Generator | None = None,
) -> ProjectOutlook:
    """Simulate what is left of a running project from its status on ``status_date``.

    Parameters
    ----------
    tasks : sequence of Task
        The whole network as planned (durations in working days, costs in currency).
    progress : DataFrame
        One row per task that has started: ``task``, ``percent_complete`` (decimal in [0, 1];
        1 = finished), ``actual_cost`` (currency spent so far) and optionally
        ``remaining_days`` (a stated estimate of the working days left, which replaces the
        scaled range). Tasks not listed have not started.
    status_date : date or str
        The date of the status (ISO 8601). Remaining work starts on the next working day.
    committed_date : date or str, optional
        The finish date promised to the business.
    budget : float, optional
        The budget at completion (currency) against which cost and contingency are judged.
    holidays : sequence of dates, default ()
        Days off besides weekends (numpy busday rules).
    percentile : float, default 0.8
        The confidence at which ``cost_at_percentile`` and ``contingency_needed`` are sized.
    n_trials : int, default 20,000
    currency : str, default "EUR"
    rng : None, int or Generator
        Seed; draws are keyed by task name, so a task's draws do not depend on the others.

    Returns
    -------
    ProjectOutlook

    Notes
    -----
    A running task with share ``p`` done has ``(1 - p) D`` working days and ``(1 - p) C`` cost
    left, where ``D`` and ``C`` are its planned ranges; its cost at completion is
    ``actual + (1 - p) C``. A finished task adds its actual cost and no time. The finish date
    of a trial is ``busday_offset(status_date, ceil(days), roll="forward")``.

    Examples
    --------
    >>> from cio_analytics.risk import Triangular
    >>> net = [Task("Build", Triangular(20, 30, 50), 100_000.0),
    ...        Task("Test", Triangular(5, 10, 20), 20_000.0, predecessors=("Build",))]
    >>> status = pd.DataFrame({"task": ["Build"], "percent_complete": [0.5],
    ...                        "actual_cost": [60_000.0]})
    >>> out = project_outlook(net, status, status_date="2027-03-01",
    ...                       committed_date="2027-04-01", budget=150_000, rng=1)
    >>> out.cost_p80 == 60_000 + 50_000 + 20_000, 0 < out.probability_on_time < 1
    (True, True)
    """
    tasks = tuple(tasks)
    names = [t.name for t in tasks if isinstance(t, Task)]
    n = check_int(n_trials, "n_trials", minimum=100)
    percentile = check_probability(percentile, "percentile")
    start = _as_day(status_date, "status_date")
    committed = (
        np.datetime64("NaT", "D")
        if committed_date is None
        else _as_day(committed_date, "committed_date")
    )
    if not np.isnat(committed) and committed < start:
        raise ParameterError(
            f"`committed_date` {committed} is before `status_date` {start}: the date has passed. "
            "Give the re-baselined date the project is now committed to."
        )
    days_off = np.array([_as_day(h, "holidays") for h in holidays], dtype="datetime64[D]")
    table = _progress_table(progress, names)
    remaining: list[Task] = []
    for t in tasks:
        if isinstance(t, Task) and t.name in table.index:
            row = table.loc[t.name]
            share = 1.0 - float(row["pct"])
            stated = row.get("remaining_days", np.nan)
            duration = (
                float(stated) if np.isfinite(stated) else _remaining(t.duration_days, share, 0.0)
            )
            cost = _remaining(t.cost, share, float(row["actual"]))
            remaining.append(Task(t.name, duration, cost, t.predecessors))
        else:
            remaining.append(t)
    sim = simulate_project(remaining, n, currency=currency, rng=rng)
    offsets = np.ceil(sim.completion_days - 1e-9).astype(np.int64)
    dates = np.busday_offset(start, offsets, roll="forward", holidays=days_off)
    ordinal = dates.astype(np.int64)
    p50 = np.datetime64(int(np.quantile(ordinal, 0.5, method="inverted_cdf")), "D")
    p80 = np.datetime64(int(np.quantile(ordinal, 0.8, method="inverted_cdf")), "D")
    total = sim.total_cost
    bac = np.nan if budget is None else float(as_float_array(budget, "budget"))
    if np.isfinite(bac) and bac <= 0:
        raise ParameterError(f"`budget` must be more than 0. Got {bac:,.2f}.")
    at_pct = float(np.quantile(total, percentile))
    open_tasks = sim.by_task[
        [not (t in table.index and table.loc[t, "pct"] >= 1) for t in sim.by_task["task"]]
    ]
    pct_done = [float(table.loc[t, "pct"]) if t in table.index else 0.0 for t in open_tasks["task"]]
    drivers = (
        pd.DataFrame(
            {
                "task": open_tasks["task"].to_numpy(),
                "percent_complete": pct_done,
                "criticality_index": open_tasks["criticality_index"].to_numpy(),
                "sensitivity": open_tasks["sensitivity"].to_numpy(),
                "mean_remaining_days": open_tasks["mean_duration_days"].to_numpy(),
            }
        )
        .sort_values("criticality_index", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    return ProjectOutlook(
        status_date=start,
        committed_date=committed,
        budget=bac,
        percentile=percentile,
        n_trials=n,
        seed=sim.seed,
        currency=currency,
        completion_dates=dates,
        total_cost=total,
        completion_date_p50=p50,
        completion_date_p80=p80,
        slip_days_p80=float((p80 - committed).astype(int)) if not np.isnat(committed) else np.nan,
        probability_on_time=float(np.mean(dates <= committed))
        if not np.isnat(committed)
        else np.nan,
        cost_p50=float(np.quantile(total, 0.5)),
        cost_p80=float(np.quantile(total, 0.8)),
        cost_at_percentile=at_pct,
        probability_within_budget=float(np.mean(total <= bac)) if np.isfinite(bac) else np.nan,
        contingency_needed=max(0.0, at_pct - bac) if np.isfinite(bac) else np.nan,
        drivers=drivers,
    )
