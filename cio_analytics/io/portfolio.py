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

import math
import numbers
import os
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .._validation import did_you_mean, short_repr
from ..exceptions import DataFileError
from ..portfolio._graph import find_graph_problem, parse_id_list
from ._tables import read_table, require_columns, spreadsheet_row
from .paths import resolve_data_path

__all__ = [
    "find_graph_problem",
    "parse_id_list",
    "read_portfolio",
    "read_portfolio_constraints",
]

PathLike = str | os.PathLike[str]
_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}


def _fail(message: str, name: str, pos: int, col: str) -> DataFileError:
    return DataFileError(message, path=name, row=spreadsheet_row(pos), column=col)


def _numbers(frame: pd.DataFrame, col: str, name: str, *, optional: bool = False) -> np.ndarray:
    raw = frame[col]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = (np.isnan(values) & raw.notna().to_numpy()) | np.isinf(values)
    if not optional:
        bad |= np.isnan(values)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise _fail(
            f"expected a number, got {short_repr(raw.iloc[pos])}. Fill the cell with a number "
            "(no currency symbols or thousands separators).",
            name,
            pos,
            col,
        )
    return values


def _text(frame: pd.DataFrame, col: str) -> np.ndarray:
    if col not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    return frame[col].fillna("").astype(str).str.strip().to_numpy(dtype=object)


def read_portfolio(path: PathLike) -> pd.DataFrame:
    """Read and check a project list (CSV or XLSX, one row per project).

    Parameters
    ----------
    path : str or PathLike
        The file, relative to the project root or absolute. Columns: see the module docstring.

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
    frame, name = read_table(path, parameter="portfolio_path")
    require_columns(frame, ("id", "npv"), name)
    cost_cols = [c for c in frame.columns if c.startswith("cost_")]
    fte_cols = [c for c in frame.columns if c.startswith("fte_")]
    if not cost_cols:
        raise DataFileError(
            "needs at least one `cost_<year>` column (e.g. `cost_2027`) with the spend charged "
            f"to that year's budget. Found columns {list(frame.columns)}.",
            path=name,
        )
    ids = frame["id"].astype("string").str.strip()
    empty = np.flatnonzero(ids.isna().to_numpy() | (ids == "").fillna(True).to_numpy())
    if empty.size:
        raise _fail("must not be empty. Give every project an id.", name, empty[0], "id")
    dup = ids.duplicated().to_numpy()
    if dup.any():
        p = int(np.flatnonzero(dup)[0])
        first = int(np.flatnonzero((ids == ids.iloc[p]).to_numpy())[0])
        raise _fail(
            f"project id {ids.iloc[p]!r} appears twice (first in row {spreadsheet_row(first)}). "
            "Ids must be unique: remove the duplicated row or give it its own id.",
            name,
            p,
            "id",
        )
    out = pd.DataFrame({"id": ids.astype(str).to_numpy()})
    names = _text(frame, "name")
    out["name"] = np.where(names == "", out["id"].to_numpy(), names)
    out["category"] = _text(frame, "category")
    npv = _numbers(frame, "npv", name)
    low = _numbers(frame, "npv_low", name, optional=True) if "npv_low" in frame else npv.copy()
    high = _numbers(frame, "npv_high", name, optional=True) if "npv_high" in frame else npv.copy()
    low, high = np.where(np.isnan(low), npv, low), np.where(np.isnan(high), npv, high)
    bad = np.flatnonzero(low > high)
    if bad.size:
        p = bad[0]
        raise _fail(f"`npv_low` ({low[p]:,.0f}) is above `npv_high` ({high[p]:,.0f}). Swap them.",
                    name, p, "npv_low")  # fmt: skip
    # PERT mean = (low + 4 mode + high) / 6 with low <= mode <= high
    tol = 1e-9 * np.maximum(1.0, np.abs(high - low))
    lo_ok, hi_ok = (5 * low + high) / 6, (low + 5 * high) / 6
    bad = np.flatnonzero((npv < lo_ok - tol) | (npv > hi_ok + tol))
    if bad.size:
        p = bad[0]
        raise _fail(
            f"expected NPV {npv[p]:,.0f} does not fit the range [{low[p]:,.0f}, {high[p]:,.0f}]: "
            f"the mean of a PERT on that range lies between {lo_ok[p]:,.0f} and {hi_ok[p]:,.0f}. "
            "Widen `npv_low`/`npv_high` (they are the minimum and maximum) or check `npv`.",
            name,
            p,
            "npv",
        )
    out["npv"], out["npv_low"], out["npv_high"] = npv, low, high
    out["mandatory"] = _flags(frame, name)
    out["mandatory_reason"] = _text(frame, "mandatory_reason")
    out["risk_driver"] = _text(frame, "risk_driver")
    score = (
        _numbers(frame, "strategic_score", name, optional=True)
        if "strategic_score" in frame
        else np.zeros(len(frame))
    )
    bad = np.flatnonzero(score < 0)
    if bad.size:
        raise _fail(f"must be 0 or more, got {score[bad[0]]:g}.", name, bad[0], "strategic_score")
    out["strategic_score"] = np.nan_to_num(score, nan=0.0)
    needs = [parse_id_list(c) for c in frame["needs"]] if "needs" in frame else [[]] * len(out)
    excl = [parse_id_list(c) for c in frame["excludes"]] if "excludes" in frame else [[]] * len(out)
    problem = find_graph_problem(list(out["id"]), needs, excl)
    if problem:
        raise _fail(problem[2], name, problem[0], problem[1])
    out["needs"] = [";".join(x) for x in needs]
    out["excludes"] = [";".join(x) for x in excl]
    for col in cost_cols + fte_cols:
        v = _numbers(frame, col, name, optional=True)
        neg = np.flatnonzero(v < 0)
        if neg.size:
            what = "a cost" if col.startswith("cost_") else "an FTE demand"
            raise _fail(f"{what} cannot be negative, got {v[neg[0]]:g}. Enter spend and demand "
                        "as positive amounts (benefits belong in `npv`).", name, neg[0], col)  # fmt: skip
        out[col] = np.nan_to_num(v, nan=0.0)
    out.attrs["path"] = name
    return out


def _flags(frame: pd.DataFrame, name: str) -> np.ndarray:
    if "mandatory" not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    text = frame["mandatory"].map(lambda v: "" if pd.isna(v) else str(v).strip().lower())
    text = text.replace({"1.0": "1", "0.0": "0"})
    bad = np.flatnonzero(~text.isin(_TRUE | _FALSE).to_numpy())
    if bad.size:
        p = int(bad[0])
        raise _fail(f"expected true or false, got {short_repr(frame['mandatory'].iloc[p])}. "
                    "Write true/false, yes/no or 1/0 (empty means false).",
                    name, p, "mandatory")  # fmt: skip
    return text.isin(_TRUE).to_numpy()


def _number(value: Any, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise DataFileError(f"{where}: expected a number, got {short_repr(value)}.", path=name)
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise DataFileError(
            f"{where}: must be a finite number, 0 or more. Got {value:g}. A budget or capacity "
            "cannot be negative; use 0 for none.",
            path=name,
        )
    return value


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
    resolved = resolve_data_path(path, parameter="constraints_path")
    name = str(path)
    try:
        spec = yaml.safe_load(resolved.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataFileError(f"is not valid YAML ({exc}).", path=name) from None
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
        {str(y): _number(v, f"budget[{y}]", name) for y, v in budget_raw.items()}, dtype=float
    )
    years = list(budget.index)
    cap_raw = spec.get("capacity") or {}
    if not isinstance(cap_raw, dict):
        raise DataFileError("`capacity` must be a mapping skill -> FTE.", path=name)
    rows = {}
    for skill, value in cap_raw.items():
        if isinstance(value, dict):
            given = {str(y): _number(v, f"capacity[{skill}][{y}]", name) for y, v in value.items()}
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
            rows[str(skill)] = [_number(value, f"capacity[{skill}]", name)] * len(years)
    capacity = pd.DataFrame.from_dict(rows, orient="index", columns=years, dtype=float)
    score = spec.get("min_average_score")
    if score is not None:
        score = _number(score, "min_average_score", name)
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
