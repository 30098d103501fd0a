"""Readers for the staffing data files: forecasts, ticket histories, team demand and rosters.

Each reader takes a path (CSV or XLSX; relative to the project root or absolute), checks the
file against its schema and returns a clean DataFrame. A broken file raises
:class:`~cio_analytics.exceptions.DataFileError` naming the file, the spreadsheet row (header is
row 1), the column, the rule, the value found and the fix.

Schemas
-------
staffing forecast
    ``queue`` (text), ``interval_start`` (date-time), ``calls`` (>= 0), ``handle_time_s`` (> 0),
    optional ``shrinkage`` (decimal in [0, 1)), ``calls_sd`` and ``handle_time_se_s`` (forecast
    error, >= 0). One row per queue and interval, no duplicates,
    no gaps: every queue has the same regular grid of intervals.
ticket history
    ``created_at`` (date-time), optional ``queue`` (text, default "All") and ``handle_time_s``
    (> 0).
team demand
    ``team``, ``activity`` (text), ``demand_hours`` (>= 0, most likely), optional ``low_hours`` and
    ``high_hours`` (low <= likely <= high).
team roster
    ``team`` (text), ``headcount`` (>= 0), ``employee_cost_per_fte_year`` and
    ``contractor_cost_per_fte_year`` (> 0), ``monthly_attrition`` (decimal in [0, 1)),
    ``time_to_hire_months`` and ``ramp_up_months`` (whole numbers >= 0).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import DataFileError
from ._as_of import keep_up_to
from ._columns import dates, integers, numbers, rates, texts
from ._tables import check_columns, read_table

__all__ = [
    "read_staffing_forecast",
    "read_team_demand",
    "read_team_roster",
    "read_ticket_history",
]

PathLike = str | os.PathLike[str]


def read_staffing_forecast(
    path: PathLike,
    *,
    interval_s: float | None = None,
    date_format: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read and check an interval forecast (queue, interval start, calls, handle time).

    Parameters
    ----------
    path : str or PathLike
        CSV or XLSX file with columns ``queue``, ``interval_start``, ``calls``,
        ``handle_time_s`` and optionally ``shrinkage``, ``calls_sd`` and ``handle_time_se_s``.
    interval_s : float, optional
        Expected interval length in seconds. By default it is inferred as the smallest gap
        between consecutive intervals of a queue.
    date_format : str, optional
        The format of ``interval_start`` when it is not ISO 8601 (e.g. ``"%d/%m/%Y %H:%M"``).
        By default a non-ISO format is used only when it is the one reading of the column.
    sheet : str or int, optional
        The worksheet of an XLSX file (name or 0-based position); default the first.

    Returns
    -------
    pandas.DataFrame
        Columns ``queue``, ``interval_start`` (datetime64), ``calls``, ``handle_time_s`` (and
        the optional columns present), sorted by queue and interval start. ``attrs["interval_s"]``
        holds the interval length in seconds.

    Raises
    ------
    DataFileError
        Missing column, text where a number belongs, negative calls, handle time of 0 or less,
        shrinkage outside [0, 1), a date-time that does not parse, duplicate (queue,
        interval_start) rows, or missing intervals (a gap in a queue's grid).

    Examples
    --------
    >>> fc = read_staffing_forecast("data/sample/staffing_forecast.csv")
    >>> fc.attrs["interval_s"], sorted(fc["queue"].unique())[:1]
    (1800.0, ['Applications'])
    """
    frame, ctx = read_table(path, parameter="forecast_path", sheet=sheet)
    name = ctx.path
    check_columns(frame, ("queue", "interval_start", "calls", "handle_time_s"),
                  ("shrinkage", "calls_sd", "handle_time_se_s"), ctx, what="a staffing forecast")  # fmt: skip
    out = pd.DataFrame(
        {
            "queue": texts(frame["queue"], "queue", ctx, fix="Give every row a name."),
            "interval_start": dates(
                frame["interval_start"],
                "interval_start",
                ctx,
                what="date-time",
                date_format=date_format,
            ),
            "calls": numbers(
                frame["calls"], "calls", ctx, minimum=0.0, fix="Calls are counts: use 0 for none."
            ),
            "handle_time_s": numbers(
                frame["handle_time_s"],
                "handle_time_s",
                ctx,
                minimum=0.0,
                strict=True,
                fix="Handle time is the average seconds per call, talk plus wrap-up "
                "(e.g. 180); use any positive value in intervals with no calls.",
            ),
        }
    )
    if "shrinkage" in frame.columns:
        out["shrinkage"] = rates(
            frame["shrinkage"], "shrinkage", ctx, interval="[0, 1)",
            fix="Shrinkage is a decimal share of paid time.",
        )  # fmt: skip
    for col in ("calls_sd", "handle_time_se_s"):
        if col in frame.columns:
            out[col] = numbers(
                frame[col],
                col,
                ctx,
                minimum=0.0,
                fix="A forecast error is a standard deviation >= 0.",
            )
    dup = out.duplicated(["queue", "interval_start"], keep="first").to_numpy()
    if dup.any():
        pos = int(np.flatnonzero(dup)[0])
        first = int(
            np.flatnonzero(
                (out["queue"] == out["queue"].iloc[pos]).to_numpy()
                & (out["interval_start"] == out["interval_start"].iloc[pos]).to_numpy()
            )[0]
        )
        raise ctx.error(
            "interval_start",
            f"duplicate row for queue {out['queue'].iloc[pos]!r} at "
            f"{out['interval_start'].iloc[pos]} (first seen in row {ctx.row(first)}). "
            "Keep one row per queue and interval (add the calls together if both are real).",
            pos=pos,
        )
    out["_row"] = [ctx.row(i) for i in range(len(out))]
    out = out.sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True)
    step = _check_grid(out, name, interval_s)
    out = out.drop(columns="_row")
    out.attrs["interval_s"] = step
    out.attrs["path"] = name
    return out


def _check_grid(out: pd.DataFrame, name: str, interval_s: float | None) -> float:
    """Every queue on the same regular grid; returns the interval length in seconds."""
    ns = out["interval_start"].to_numpy().astype("datetime64[ns]").astype(np.int64)
    same_queue = out["queue"].to_numpy()[1:] == out["queue"].to_numpy()[:-1]
    gaps = np.diff(ns)[same_queue] / 1e9
    if interval_s is None:
        step = float(gaps.min()) if gaps.size else 1800.0
    else:
        step = float(interval_s)
        if not step > 0:
            raise DataFileError(f"`interval_s` must be greater than 0, got {interval_s!r}.")
    off = np.flatnonzero(same_queue & ~np.isclose(np.diff(ns) / 1e9, step))
    if off.size:
        pos = int(off[0]) + 1
        prev = out["interval_start"].iloc[pos - 1]
        expected = prev + pd.Timedelta(seconds=step)
        raise DataFileError(
            f"missing interval(s) for queue {out['queue'].iloc[pos]!r}: expected {expected} "
            f"after {prev} ({step:g} s intervals), next row starts {out['interval_start'].iloc[pos]}. "
            "Add the missing rows with calls 0 so every interval is planned.",
            path=name,
            row=int(out["_row"].iloc[pos]),
            column="interval_start",
        )
    spans = out.groupby("queue", sort=True)["interval_start"].agg(["min", "max"])
    if len(spans) > 1 and (spans.nunique() > 1).any():
        ref = spans.iloc[0]
        queue = spans.index[int(np.flatnonzero((spans != ref).any(axis=1).to_numpy())[0])]
        raise DataFileError(
            f"queue {queue!r} covers {spans.loc[queue, 'min']} to {spans.loc[queue, 'max']} but "
            f"queue {spans.index[0]!r} covers {ref['min']} to {ref['max']}. Every queue needs the "
            "same intervals: add rows with calls 0 for the hours a queue is closed.",
            path=name,
            column="interval_start",
        )
    return step


def read_ticket_history(
    path: PathLike,
    *,
    timestamp_column: str = "created_at",
    queue_column: str = "queue",
    handle_time_column: str = "handle_time_s",
    date_format: str | None = None,
    sheet: str | int | None = None,
    as_of: Any = None,
) -> pd.DataFrame:
    """Read a ticket or call history: one row per contact with its arrival time.

    Parameters
    ----------
    path : str or PathLike
        CSV or XLSX file.
    timestamp_column, queue_column, handle_time_column : str
        Column names in the file. ``queue`` and ``handle_time_s`` are optional: without a queue
        every row belongs to queue ``"All"``; without handle times the column is NaN.
    date_format : str, optional
        The timestamp format when it is not ISO 8601 (e.g. ``"%d/%m/%Y %H:%M"``); by default a
        non-ISO format is used only when it is the one reading of the column.
    sheet : str or int, optional
        The worksheet of an XLSX file (name or 0-based position); default the first.
    as_of : date or str, optional
        Keep only the contacts dated up to this date (``"2026-09-30"``, ``"2026-09"`` or a quarter
        ``"2026Q3"``: the period a report is built for); a file with none is refused.

    Returns
    -------
    pandas.DataFrame
        Columns ``created_at`` (datetime64, time-zone naive local time), ``queue``,
        ``handle_time_s`` (seconds, > 0 or NaN), sorted by ``created_at``.

    Raises
    ------
    DataFileError
        Missing timestamp column, a timestamp that does not parse, a handle time of 0 or less.

    Examples
    --------
    >>> hist = read_ticket_history("data/sample/ticket_history.csv")
    >>> list(hist.columns)
    ['created_at', 'queue', 'handle_time_s']
    """
    frame, ctx = read_table(path, parameter="history_path", sheet=sheet)
    name = ctx.path
    check_columns(frame, [timestamp_column], [queue_column, handle_time_column], ctx,
                  what="a ticket history")  # fmt: skip
    out = pd.DataFrame(
        {
            "created_at": dates(
                frame[timestamp_column],
                timestamp_column,
                ctx,
                what="date-time",
                date_format=date_format,
            )
        }
    )
    out["queue"] = (
        texts(frame[queue_column], queue_column, ctx, fix="Give every row a name.")
        if queue_column in frame.columns
        else "All"
    )
    if handle_time_column in frame.columns:
        out["handle_time_s"] = numbers(
            frame[handle_time_column], handle_time_column, ctx, optional=True, minimum=0.0,
            strict=True, fix="Handle time is seconds of agent work per contact; leave the cell "
            "empty if unknown.",
        )  # fmt: skip
    else:
        out["handle_time_s"] = np.nan
    out = out.sort_values("created_at", kind="stable").reset_index(drop=True)
    out.attrs["path"] = name
    return keep_up_to(out, "created_at", as_of, path=name, what="contacts")


def read_team_demand(path: PathLike, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a team's demand: hours of work per activity, with an optional low/high range.

    Parameters
    ----------
    path : str or PathLike
        CSV or XLSX with ``team``, ``activity``, ``demand_hours`` (most likely) and optionally
        ``low_hours`` and ``high_hours`` (hours per planning period, e.g. a year).
    sheet : str or int, optional
        The worksheet of an XLSX file (name or 0-based position); default the first.

    Returns
    -------
    pandas.DataFrame
        ``team``, ``activity``, ``demand_hours``, ``low_hours``, ``high_hours`` (a missing
        range equals ``demand_hours``).

    Raises
    ------
    DataFileError
        Missing column, negative hours, or low > likely > high out of order.

    Examples
    --------
    >>> demand = read_team_demand("data/sample/team_demand.csv")
    >>> bool((demand["low_hours"] <= demand["demand_hours"]).all())
    True
    """
    frame, ctx = read_table(path, parameter="demand_path", sheet=sheet)
    name = ctx.path
    check_columns(frame, ["team", "activity", "demand_hours"], ["low_hours", "high_hours"], ctx,
                  what="a team demand file")  # fmt: skip
    likely = numbers(
        frame["demand_hours"], "demand_hours", ctx, minimum=0.0, fix="Hours cannot be negative."
    )
    out = pd.DataFrame(
        {
            "team": texts(frame["team"], "team", ctx, fix="Give every row a name."),
            "activity": texts(frame["activity"], "activity", ctx, fix="Give every row a name."),
            "demand_hours": likely,
        }
    )
    for col in ("low_hours", "high_hours"):
        if col in frame.columns:
            v = numbers(frame[col], col, ctx, optional=True, minimum=0.0,
                        fix="Hours cannot be negative.")  # fmt: skip
            out[col] = np.where(np.isnan(v), likely, v)
        else:
            out[col] = likely
    for col, bad in (
        ("low_hours", out["low_hours"] > out["demand_hours"]),
        ("high_hours", out["high_hours"] < out["demand_hours"]),
    ):
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            raise ctx.error(
                col,
                f"must satisfy low_hours <= demand_hours <= high_hours; got low "
                f"{out['low_hours'].iloc[pos]:g}, likely {out['demand_hours'].iloc[pos]:g}, high "
                f"{out['high_hours'].iloc[pos]:g}. Swap or correct the range.",
                pos=pos,
            )
    out.attrs["path"] = name
    return out


def read_team_roster(path: PathLike, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read team rosters: current headcount, costs and hiring assumptions per team.

    Parameters
    ----------
    path : str or PathLike
        CSV or XLSX with ``team``, ``headcount``, ``employee_cost_per_fte_year``,
        ``contractor_cost_per_fte_year``, ``monthly_attrition``, ``time_to_hire_months`` and
        ``ramp_up_months``.
    sheet : str or int, optional
        The worksheet of an XLSX file (name or 0-based position); default the first.

    Returns
    -------
    pandas.DataFrame
        One row per team, indexed by ``team``.

    Raises
    ------
    DataFileError
        Missing column, negative headcount, cost of 0 or less, attrition outside [0, 1) (e.g.
        2 meant as 2 %), months that are negative or not whole, duplicate team.

    Examples
    --------
    >>> roster = read_team_roster("data/sample/team_roster.csv")
    >>> float(roster.loc["Service desk", "monthly_attrition"]) < 1
    True
    """
    frame, ctx = read_table(path, parameter="roster_path", sheet=sheet)
    name = ctx.path
    cols = [
        "team",
        "headcount",
        "employee_cost_per_fte_year",
        "contractor_cost_per_fte_year",
        "monthly_attrition",
        "time_to_hire_months",
        "ramp_up_months",
    ]
    check_columns(frame, cols, (), ctx, what="a team roster")
    out = pd.DataFrame(
        {"team": texts(frame["team"], "team", ctx, unique=True, fix="Keep one row per team.")}
    )
    out["headcount"] = numbers(frame["headcount"], "headcount", ctx, minimum=0.0)
    for col in ("employee_cost_per_fte_year", "contractor_cost_per_fte_year"):
        out[col] = numbers(
            frame[col],
            col,
            ctx,
            minimum=0.0,
            strict=True,
            fix="Give the full yearly cost of one FTE.",
        )
    out["monthly_attrition"] = rates(
        frame["monthly_attrition"], "monthly_attrition", ctx, interval="[0, 1)",
        fix="Attrition is a decimal share leaving per month.",
    )  # fmt: skip
    for col in ("time_to_hire_months", "ramp_up_months"):
        out[col] = integers(frame[col], col, ctx, minimum=0.0, fix="Round it to whole months.")
    out = out.set_index("team")
    out.attrs["path"] = name
    return out
