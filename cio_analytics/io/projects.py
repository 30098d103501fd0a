"""Readers for the running projects: the register (YAML), task progress and the EVM status.

A broken file raises :class:`~cio_analytics.exceptions.DataFileError` naming the file, the
spreadsheet row (header is row 1) or YAML entry, the column, the rule, the value as typed and
the fix; every cell is read by the shared column layer (:mod:`._columns`).

Schemas
-------
project register (YAML)
    ``status_date`` (ISO date of the status), ``currency``, optional ``holidays`` (a list of
    ISO dates: days off besides weekends, shared by all projects) and ``projects``: a list of
    mappings with ``id`` (unique), ``name``, ``budget_at_completion`` (> 0, currency),
    ``committed_date`` (the finish promised, not before ``status_date``) and ``tasks`` (the
    project's task file, see :func:`~cio_analytics.io.read_project_tasks`, relative to the
    project root).
task progress (CSV/XLSX, one row per project and started task)
    ``project`` (an id of the register), ``task``, ``percent_complete`` (decimal in [0, 1];
    1 = finished), ``actual_cost`` (>= 0, currency), optional ``remaining_days`` (a stated
    estimate of the working days left) and ``note``.
EVM status (CSV/XLSX, one row per project and status date, amounts cumulative)
    ``project``, ``period`` (the status date), ``planned_value``, ``actual_cost``,
    ``budget_at_completion`` (> 0) and ``earned_value`` or ``percent_complete`` (decimal in
    [0, 1] of the BAC).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ._columns import FileContext, cells_of, dates, money, numbers, rates, scalar, texts
from ._tables import check_keys, read_table, read_yaml, require_columns

__all__ = ["ProjectRegister", "read_evm_status", "read_project_progress", "read_project_register"]

PathLike = str | os.PathLike[str]
_REGISTER_KEYS = ("status_date", "currency", "holidays", "projects")
_PROJECT_KEYS = ("id", "name", "budget_at_completion", "committed_date", "tasks")


@dataclass(frozen=True)
class ProjectRegister:
    """The running projects as committed: one status date, one currency, shared holidays.

    Attributes
    ----------
    status_date : pandas.Timestamp
        The date of the status the other files describe.
    currency : str
    holidays : tuple of pandas.Timestamp
        Days off besides weekends.
    projects : DataFrame
        ``id``, ``name``, ``budget_at_completion`` (currency), ``committed_date``
        (datetime64), ``tasks`` (path of the task file as written in the register).
    path : str
        The register file as named by the caller.
    """

    status_date: pd.Timestamp
    currency: str
    holidays: tuple[pd.Timestamp, ...]
    projects: pd.DataFrame = field(repr=False)
    path: str = ""

    def names(self) -> dict[str, str]:
        """``{id: name}`` of the projects."""
        return dict(zip(self.projects["id"], self.projects["name"], strict=True))


def read_project_register(path: PathLike) -> ProjectRegister:
    """Read the register of running projects (YAML): budgets, committed dates, task files.

    Returns
    -------
    ProjectRegister

    Examples
    --------
    >>> reg = read_project_register("data/sample/projects/register.yaml")
    >>> reg.status_date.date().isoformat(), reg.projects["id"].tolist()
    ('2026-11-30', ['WRK04', 'REG01', 'CRM01'])
    """
    data, ctx = read_yaml(path)
    if not isinstance(data, Mapping):
        raise ctx.error(
            None,
            "must be a mapping with status_date, currency, holidays and projects.",
            type(data).__name__,
            "See data/sample/projects/register.yaml for the layout.",
        )
    check_keys(data, _REGISTER_KEYS, ctx)
    for key in ("status_date", "currency", "projects"):
        if key not in data:
            raise ctx.error(key, f"missing the key `{key}`.", fix=f"Add `{key}:` to the file.")
    status = scalar(dates, data["status_date"], "status_date", ctx.at("status_date"))
    currency = scalar(texts, data["currency"], "currency", ctx.at("currency"))
    holidays = data.get("holidays") or []
    if not isinstance(holidays, list):
        raise ctx.at("holidays").error(
            "holidays", "must be a list of dates.", holidays, "Write [2026-12-25, 2027-01-01]."
        )
    hctx = ctx.listed(f"holidays item {i + 1}" for i in range(len(holidays)))
    days_off = dates(pd.Series(holidays, dtype=object), "holidays", hctx)
    items = data["projects"]
    if not isinstance(items, list) or not items:
        raise ctx.at("projects").error(
            "projects", "must be a non-empty list of projects.", items,
            "List each project with id, name, budget_at_completion, committed_date, tasks.",
        )  # fmt: skip
    where = []
    for i, item in enumerate(items):
        label = f"projects item {i + 1}"
        if not isinstance(item, Mapping):
            raise ctx.at(label).error(None, "must be a mapping.", item, "Write `- id: ...`.")
        check_keys(item, _PROJECT_KEYS, ctx.at(label))
        name = item.get("name") or item.get("id")
        where.append(f"{label} ({name})" if name else label)
    frame = pd.DataFrame([dict(item) for item in items])
    lctx = ctx.listed(where)
    for key in _PROJECT_KEYS:
        if key not in frame.columns:
            raise ctx.at(where[0]).error(key, f"missing the key `{key}`.", fix=f"Add `{key}:`.")
    committed = dates(frame["committed_date"], "committed_date", lctx)
    early = (committed < status).to_numpy()
    if early.any():
        p = int(np.flatnonzero(early)[0])
        raise lctx.error(
            "committed_date", f"is before the status date {status:%Y-%m-%d}.",
            frame["committed_date"].iloc[p],
            "Give the re-baselined date the project is now committed to.", pos=p,
        )  # fmt: skip
    projects = pd.DataFrame({
        "id": texts(frame["id"], "id", lctx, unique=True),
        "name": texts(frame["name"], "name", lctx),
        "budget_at_completion": money(
            frame["budget_at_completion"], "budget_at_completion", lctx, minimum=0, strict=True
        ),
        "committed_date": committed,
        "tasks": texts(frame["tasks"], "tasks", lctx, fix="Name the project's task file."),
    })  # fmt: skip
    return ProjectRegister(
        status_date=pd.Timestamp(status),
        currency=str(currency),
        holidays=tuple(pd.Timestamp(d) for d in days_off),
        projects=projects,
        path=ctx.path,
    )


def _projects(frame: pd.DataFrame, ctx: FileContext, known: Any) -> np.ndarray:
    ids = texts(frame["project"], "project", ctx)
    if known is not None:
        allowed = tuple(known)
        texts(frame["project"], "project", ctx, choices=allowed,
              fix="Use the ids of the project register.")  # fmt: skip
    return ids


def read_project_progress(path: PathLike, *, projects: Any = None) -> pd.DataFrame:
    """Read the progress of the started tasks on the status date (CSV/XLSX).

    Parameters
    ----------
    path : str or path-like
    projects : iterable of str, optional
        The project ids allowed (the register's); a row naming another is refused.

    Returns
    -------
    pandas.DataFrame
        ``project``, ``task``, ``percent_complete`` (decimal), ``actual_cost`` (currency),
        ``remaining_days`` (NaN where not stated), ``note``; a task appears once per project.

    Examples
    --------
    >>> p = read_project_progress("data/sample/projects/progress.csv")
    >>> p.groupby("project", sort=False)["actual_cost"].sum().to_dict()
    {'WRK04': 302000.0, 'REG01': 354000.0, 'CRM01': 723000.0}
    """
    frame, ctx = read_table(path)
    require_columns(frame, ("project", "task", "percent_complete", "actual_cost"), ctx)
    out = pd.DataFrame({
        "project": _projects(frame, ctx, projects),
        "task": texts(frame["task"], "task", ctx),
        "percent_complete": rates(frame["percent_complete"], "percent_complete", ctx,
                                  fix="1 means the task is finished."),
        "actual_cost": money(frame["actual_cost"], "actual_cost", ctx, minimum=0),
        "remaining_days": numbers(cells_of(frame, "remaining_days"), "remaining_days", ctx,
                                  optional=True, minimum=0, fix="Working days left, or empty."),
        "note": texts(cells_of(frame, "note"), "note", ctx, optional=True),
    })  # fmt: skip
    key = out["project"] + "\x00" + out["task"]
    dup = key.duplicated().to_numpy()
    if dup.any():
        p = int(np.flatnonzero(dup)[0])
        raise ctx.error(
            "task", f"task {out['task'].iloc[p]!r} of project {out['project'].iloc[p]!r} "
            "appears twice.", frame["task"].iloc[p], "Keep one row per project and task.", pos=p,
        )  # fmt: skip
    out.attrs["path"] = ctx.path
    return out


def read_evm_status(path: PathLike, *, projects: Any = None) -> pd.DataFrame:
    """Read the earned-value status table: per project and status date, PV, EV, AC and BAC.

    Parameters
    ----------
    path : str or path-like
    projects : iterable of str, optional
        The project ids allowed (the register's).

    Returns
    -------
    pandas.DataFrame
        ``project``, ``period`` (datetime64), ``planned_value``, ``earned_value`` or
        ``percent_complete`` (as in the file), ``actual_cost``, ``budget_at_completion``:
        ready for :func:`cio_analytics.risk.earned_value`.

    Examples
    --------
    >>> s = read_evm_status("data/sample/projects/evm_status.csv")
    >>> s.shape, s["period"].max().date().isoformat()
    ((21, 6), '2026-11-30')
    """
    frame, ctx = read_table(path)
    require_columns(frame, ("project", "period", "planned_value", "actual_cost",
                            "budget_at_completion"), ctx)  # fmt: skip
    has_ev, has_pct = "earned_value" in frame.columns, "percent_complete" in frame.columns
    if has_ev == has_pct:
        raise ctx.error(
            "earned_value",
            "needs exactly one of the columns `earned_value` and `percent_complete`"
            + (" (both are present)." if has_ev else "."),
            fix="Give the earned value in currency, or the share of the BAC done as a decimal.",
        )
    out = pd.DataFrame({
        "project": _projects(frame, ctx, projects),
        "period": dates(frame["period"], "period", ctx),
        "planned_value": money(frame["planned_value"], "planned_value", ctx, minimum=0),
    })  # fmt: skip
    if has_ev:
        out["earned_value"] = money(frame["earned_value"], "earned_value", ctx, minimum=0)
    else:
        out["percent_complete"] = rates(frame["percent_complete"], "percent_complete", ctx)
    out["actual_cost"] = money(frame["actual_cost"], "actual_cost", ctx, minimum=0)
    bac = money(frame["budget_at_completion"], "budget_at_completion", ctx, minimum=0, strict=True)
    out["budget_at_completion"] = bac
    if has_ev:
        over = out["earned_value"].to_numpy() > bac
        if over.any():
            p = int(np.flatnonzero(over)[0])
            raise ctx.error(
                "earned_value", f"cannot exceed the budget at completion ({bac[p]:,.0f}).",
                frame["earned_value"].iloc[p],
                "Earned value is the budget of the work done, at most the whole budget.", pos=p,
            )  # fmt: skip
    dup = (out["project"] + "\x00" + out["period"].astype(str)).duplicated().to_numpy()
    if dup.any():
        p = int(np.flatnonzero(dup)[0])
        raise ctx.error(
            "period", f"project {out['project'].iloc[p]!r} has this status date twice.",
            frame["period"].iloc[p], "Keep one row per project and status date.", pos=p,
        )  # fmt: skip
    out.attrs["path"] = ctx.path
    return out
