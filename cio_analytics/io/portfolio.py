"""Readers for project portfolios: the project list (CSV/XLSX) and its constraints (YAML).

A broken file raises :class:`~cio_analytics.exceptions.DataFileError` naming the file, the
spreadsheet row (header is row 1) or YAML key, the column, the rule, the value and the fix.
The readers return validated plain data; :class:`cio_analytics.portfolio.Portfolio` and
:class:`cio_analytics.portfolio.Constraints` are built from it.

Schemas
-------
project list (one row per project)
    ``id`` (unique text); ``npv`` (expected net present value, currency); ``cost_<year>``
    (one column per budget year, e.g. ``cost_2027``, spend charged to that year's budget, >= 0);
    optional ``name``; ``npv_low`` and ``npv_high`` (the range of the NPV, minimum and maximum
    of a PERT whose mean is ``npv``; empty = no uncertainty); ``fte_<skill>`` (FTE of that skill
    the project needs in every year it spends money, >= 0); ``needs`` (ids of projects it
    depends on, separated by ``;``: B needs A means B only if A); ``excludes`` (ids of projects
    it cannot run with, ``;``-separated; one side is enough); ``mandatory`` (true/false, yes/no,
    1/0; empty = false); ``mandatory_reason`` (text, e.g. regulatory, end of support);
    ``risk_driver`` (text: projects sharing a driver have correlated outcomes; empty =
    independent); ``strategic_score`` (>= 0, empty = 0); ``category`` (text).
constraints (YAML)
    ``budget``: year -> budget (>= 0) for every ``cost_<year>`` column; ``capacity``: skill ->
    FTE available to projects, a number (every year) or a mapping year -> FTE, for every
    ``fte_<skill>`` column; optional ``currency`` and ``min_average_score`` (lowest average
    strategic score of the selected projects).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from .._validation import did_you_mean
from ..exceptions import DataFileError
from ..portfolio._graph import find_graph_problem, parse_id_list
from ._columns import FileContext, cells_of, flags, id_lists, money, numbers, scalar, texts
from ._tables import check_columns, read_table, read_yaml

__all__ = [
    "find_graph_problem",
    "parse_id_list",
    "read_portfolio",
    "read_portfolio_constraints",
]

PathLike = str | os.PathLike[str]


#: Optional columns of a project list (``cost_<year>`` and ``fte_<skill>`` are families).
OPTIONAL = ("name", "category", "npv_low", "npv_high", "mandatory", "mandatory_reason",
            "risk_driver", "strategic_score", "needs", "excludes")  # fmt: skip


def read_portfolio(path: PathLike, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read and check a project list (CSV or XLSX, one row per project).

    Parameters
    ----------
    path : str or PathLike
        The file, relative to the project root or absolute. Columns: see the module docstring.
    sheet : str or int, optional
        The worksheet of an XLSX file (name or 0-based position); default the first.

    Returns
    -------
    pandas.DataFrame
        One row per project in file order, columns ``id``, ``name``, ``category``, ``npv``,
        ``npv_low``, ``npv_high``, ``mandatory`` (bool), ``mandatory_reason``, ``risk_driver``,
        ``strategic_score``, ``needs`` and ``excludes`` (``;``-joined ids), then the
        ``cost_<year>`` and ``fte_<skill>`` columns. ``attrs["path"]`` holds the file name.
        Build the model with ``Portfolio.from_table``.

    Raises
    ------
    DataFileError
        Missing column, text in a number cell, negative cost or FTE, duplicated id, a range
        that does not contain the expected NPV, dependencies on unknown projects, cycles in
        dependencies, a project that needs and excludes the same project.

    Examples
    --------
    >>> table = read_portfolio("data/sample/portfolio.csv")
    >>> len(table) >= 40, bool(table["mandatory"].any())
    (True, True)
    """
    frame, ctx = read_table(path, parameter="portfolio_path", sheet=sheet)
    check_columns(frame, ("id", "npv"), OPTIONAL, ctx, prefixes=("cost_", "fte_"),
                  what="a project list")  # fmt: skip
    cost_cols = [c for c in frame.columns if c.startswith("cost_")]
    fte_cols = [c for c in frame.columns if c.startswith("fte_")]
    if not cost_cols:
        raise DataFileError(
            "needs at least one `cost_<year>` column (e.g. `cost_2027`) with the spend charged "
            f"to that year's budget. Found columns {list(frame.columns)}.",
            path=ctx.path,
        )
    ids = texts(frame["id"], "id", ctx, unique=True, fix="Ids must be unique: remove the "
                "duplicated row or give it its own id.")  # fmt: skip
    out = pd.DataFrame({"id": ids})
    names = texts(cells_of(frame, "name"), "name", ctx, optional=True)
    out["name"] = np.where(names == "", ids, names)
    out["category"] = texts(cells_of(frame, "category"), "category", ctx, optional=True)
    npv = money(frame["npv"], "npv", ctx)
    low, high = (money(cells_of(frame, c), c, ctx, optional=True) for c in ("npv_low", "npv_high"))
    low, high = np.where(np.isnan(low), npv, low), np.where(np.isnan(high), npv, high)
    bad = np.flatnonzero(low > high)
    if bad.size:
        p = bad[0]
        raise ctx.error("npv_low", f"`npv_low` ({low[p]:,.0f}) is above `npv_high` "
                        f"({high[p]:,.0f}).", fix="Swap them.", pos=p)  # fmt: skip
    # PERT mean = (low + 4 mode + high) / 6 with low <= mode <= high
    tol = 1e-9 * np.maximum(1.0, np.abs(high - low))
    lo_ok, hi_ok = (5 * low + high) / 6, (low + 5 * high) / 6
    bad = np.flatnonzero((npv < lo_ok - tol) | (npv > hi_ok + tol))
    if bad.size:
        p = bad[0]
        raise ctx.error(
            "npv",
            f"expected NPV {npv[p]:,.0f} does not fit the range [{low[p]:,.0f}, {high[p]:,.0f}]: "
            f"the mean of a PERT on that range lies between {lo_ok[p]:,.0f} and {hi_ok[p]:,.0f}.",
            fix="Widen `npv_low`/`npv_high` (they are the minimum and maximum) or check `npv`.",
            pos=p,
        )
    out["npv"], out["npv_low"], out["npv_high"] = npv, low, high
    out["mandatory"] = flags(cells_of(frame, "mandatory"), "mandatory", ctx, empty=False)
    for col in ("mandatory_reason", "risk_driver"):
        out[col] = texts(cells_of(frame, col), col, ctx, optional=True)
    score = numbers(cells_of(frame, "strategic_score"), "strategic_score", ctx, optional=True,
                    minimum=0.0)  # fmt: skip
    out["strategic_score"] = np.nan_to_num(score, nan=0.0)
    needs, excl = (
        [list(x) for x in id_lists(cells_of(frame, c), c, ctx, separators=";,")]
        for c in ("needs", "excludes")
    )
    problem = find_graph_problem(list(out["id"]), needs, excl)
    if problem:
        raise ctx.error(problem[1], problem[2], pos=problem[0])
    out["needs"] = [";".join(x) for x in needs]
    out["excludes"] = [";".join(x) for x in excl]
    for col in cost_cols + fte_cols:
        what = "a cost" if col.startswith("cost_") else "an FTE demand"
        v = numbers(frame[col], col, ctx, optional=True, minimum=0.0,
                    fix=f"{what.capitalize()} cannot be negative: enter spend and demand as "
                    "positive amounts (benefits belong in `npv`).")  # fmt: skip
        out[col] = np.nan_to_num(v, nan=0.0)
    out.attrs["path"] = ctx.path
    return out


def _amount(value: Any, key: str, ctx: FileContext) -> float:
    """A budget or capacity in the YAML file: a number, 0 or more."""
    return float(scalar(numbers, value, key, ctx.at(""), minimum=0.0,
                        fix="A budget or capacity cannot be negative; use 0 for none."))  # fmt: skip


def read_portfolio_constraints(
    path: PathLike, *, portfolio: pd.DataFrame | None = None
) -> dict[str, Any]:
    """Read portfolio constraints (YAML): budget per year and FTE capacity per skill.

    Parameters
    ----------
    path : str or PathLike
        The YAML file (see the module docstring).
    portfolio : DataFrame, optional
        A table from :func:`read_portfolio`: if given, every ``cost_<year>`` needs a budget and
        every ``fte_<skill>`` a capacity, named in the error otherwise.

    Returns
    -------
    dict
        ``currency`` (str), ``budget`` (Series year -> amount), ``capacity`` (DataFrame skill x
        year of FTE; years as in ``budget``), ``min_average_score`` (float or None).

    Examples
    --------
    >>> spec = read_portfolio_constraints("data/sample/portfolio_constraints.yaml")
    >>> spec["currency"], len(spec["budget"])
    ('EUR', 5)
    """
    spec, ctx = read_yaml(path, parameter="constraints_path")
    name = ctx.path
    if not isinstance(spec, dict):
        raise DataFileError("must be a YAML mapping with `budget` and `capacity`.", path=name)
    allowed = ("currency", "budget", "capacity", "min_average_score")
    for key in spec:
        if key not in allowed:
            raise DataFileError(f"unknown key {key!r}. Allowed: {', '.join(allowed)}."
                                f"{did_you_mean(str(key), allowed)}", path=name)  # fmt: skip
    budget_raw = spec.get("budget")
    if not isinstance(budget_raw, dict) or not budget_raw:
        raise DataFileError("needs `budget`: a mapping year -> amount (e.g. 2027: 9000000).",
                            path=name)  # fmt: skip
    budget = pd.Series(
        {str(y): _amount(v, f"budget[{y}]", ctx) for y, v in budget_raw.items()}, dtype=float
    )
    years = list(budget.index)
    cap_raw = spec.get("capacity") or {}
    if not isinstance(cap_raw, dict):
        raise DataFileError("`capacity` must be a mapping skill -> FTE.", path=name)
    rows = {}
    for skill, value in cap_raw.items():
        if isinstance(value, dict):
            given = {str(y): _amount(v, f"capacity[{skill}][{y}]", ctx) for y, v in value.items()}
            missing = [y for y in years if y not in given]
            extra = [y for y in given if y not in years]
            if missing or extra:
                raise DataFileError(
                    f"capacity[{skill}] must give every budget year {years}; "
                    + (f"missing {missing}." if missing else f"unknown years {extra}."),
                    path=name,
                )
            rows[str(skill)] = [given[y] for y in years]
        else:
            rows[str(skill)] = [_amount(value, f"capacity[{skill}]", ctx)] * len(years)
    capacity = pd.DataFrame.from_dict(rows, orient="index", columns=years, dtype=float)
    score = spec.get("min_average_score")
    if score is not None:
        score = _amount(score, "min_average_score", ctx)
    currency = str(spec.get("currency", "EUR"))
    if portfolio is not None:
        for col in [c for c in portfolio.columns if c.startswith("cost_")]:
            if col[5:] not in years:
                raise DataFileError(
                    f"no budget for year {col[5:]!r} (the project list has `{col}`). Add "
                    f"`{col[5:]}: <amount>` under `budget`.{did_you_mean(col[5:], years)}",
                    path=name,
                )
        for col in [c for c in portfolio.columns if c.startswith("fte_")]:
            if col[4:] not in capacity.index:
                raise DataFileError(
                    f"no capacity for skill {col[4:]!r} (the project list has `{col}`). Add "
                    f"`{col[4:]}: <FTE>` under `capacity`.{did_you_mean(col[4:], capacity.index)}",
                    path=name,
                )
    return {"currency": currency, "budget": budget, "capacity": capacity,
            "min_average_score": score}  # fmt: skip
