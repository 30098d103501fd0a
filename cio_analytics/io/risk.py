"""Readers for risk data: registers (CSV/XLSX), FAIR scenarios (YAML), appetite, project tasks.

A broken file raises :class:`~cio_analytics.exceptions.DataFileError` naming the file, the
spreadsheet row (header is row 1) or YAML entry, the column, the rule, the value and the fix.
The readers return validated plain data (DataFrames, dicts); the models are built from them in
:mod:`cio_analytics.risk` (``risks_from_table``, ``fair_from_spec``, ``tasks_from_table``).

Schemas
-------
risk register (one row per risk)
    ``name``; ``probability`` (chance per year in [0, 1]) **or** ``frequency`` (occurrences
    per year, >= 0; above 1 is a valid rate) - one per row, the other empty; ``impact_low``,
    ``impact_most_likely``, ``impact_high`` (loss per occurrence, low <= most likely <= high);
    optional ``id``, ``distribution`` (pert, triangular, uniform, lognormal; default pert;
    lognormal reads low/high as a 90 % interval), ``mitigation`` (text), ``mitigation_cost``
    (annual, >= 0), ``mitigated_probability`` / ``mitigated_frequency`` and
    ``mitigated_impact_low/most_likely/high``, ``owner``.
risk appetite
    ``loss`` (>= 0) and ``max_probability`` (highest acceptable annual probability of a loss
    above it, in [0, 1]).
project tasks
    ``task`` (unique), ``duration_low``, ``duration_most_likely``, ``duration_high`` (days),
    ``cost_low``, ``cost_most_likely``, ``cost_high`` (currency), optional ``predecessors``
    (task names separated by ``;``) and ``description``.
FAIR scenarios (YAML)
    ``currency``, ``scenarios``: a list of mappings with ``name``, ``description``, the inputs
    of :class:`cio_analytics.risk.FairScenario` and optional ``controls`` (``name``,
    ``annual_cost``, ``changes``). An input is a number or a mapping ``{distribution: pert,
    low: .., most_likely: .., high: ..}`` (``lognormal``: ``low``, ``high`` and optional
    ``confidence``, default 0.9).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._validation import did_you_mean, short_repr
from ..exceptions import DataFileError
from ._columns import FileContext, cells_of, id_lists, money, numbers, rates, scalar, texts
from ._tables import check_columns, read_table, read_yaml

__all__ = [
    "DISTRIBUTIONS",
    "FAIR_INPUTS",
    "read_fair_scenarios",
    "read_project_tasks",
    "read_risk_appetite",
    "read_risk_register",
    "read_uncertain_case",
]

PathLike = str | os.PathLike[str]
#: Distribution names accepted in risk files.
DISTRIBUTIONS = ("pert", "triangular", "uniform", "lognormal")
#: FAIR scenario inputs a YAML file may set.
FAIR_INPUTS = (
    "threat_event_frequency", "threat_capability", "control_strength", "vulnerability",
    "loss_event_frequency", "primary_loss", "secondary_loss_probability", "secondary_loss",
)  # fmt: skip
_PROBABILITY_INPUTS = ("vulnerability", "secondary_loss_probability")


#: Optional columns of a risk register (read when present).
REGISTER_OPTIONAL = (
    "id", "probability", "frequency", "distribution", "impact_most_likely", "mitigation",
    "mitigation_cost", "mitigated_probability", "mitigated_frequency", "mitigated_impact_low",
    "mitigated_impact_most_likely", "mitigated_impact_high", "owner",
)  # fmt: skip


def read_risk_register(path: PathLike) -> pd.DataFrame:
    """Read and check a risk register (CSV or XLSX, one row per risk).

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``probability``, ``frequency``, ``distribution``,
        ``impact_low``, ``impact_most_likely``, ``impact_high``, ``mitigation``,
        ``mitigation_cost``, ``mitigated_probability``, ``mitigated_frequency``,
        ``mitigated_impact_low``, ``mitigated_impact_most_likely``, ``mitigated_impact_high``,
        ``owner`` (NaN where not given). Build the model with ``risks_from_table``.

    Examples
    --------
    >>> reg = read_risk_register("data/sample/risk_register.csv")
    >>> len(reg) > 5, set(reg["distribution"]) <= set(DISTRIBUTIONS)
    (True, True)
    """
    frame, ctx = read_table(path)
    check_columns(frame, ("name", "impact_low", "impact_high"), REGISTER_OPTIONAL, ctx,
                  what="a risk register")  # fmt: skip
    if "probability" not in frame.columns and "frequency" not in frame.columns:
        raise DataFileError(
            "needs a `probability` column (chance per year) or a `frequency` column "
            f"(occurrences per year). Found {list(frame.columns)}.",
            path=ctx.path,
        )
    out = pd.DataFrame(index=frame.index)
    names = texts(frame["name"], "name", ctx, unique=True, fix="Give every risk its own name.")
    ids = texts(cells_of(frame, "id"), "id", ctx, optional=True)
    out["id"] = np.where(ids == "", names, ids)
    out["name"] = names
    for basis in ("probability", "frequency"):
        for col in (basis, f"mitigated_{basis}"):
            out[col] = numbers(cells_of(frame, col), col, ctx, optional=True)
    fail = ctx.error
    both = np.flatnonzero(out["probability"].notna() & out["frequency"].notna())
    neither = np.flatnonzero(out["probability"].isna() & out["frequency"].isna())
    if both.size:
        raise fail("frequency", "has both a probability and a frequency. Keep one: probability "
                   "for an event that happens at most once a year, frequency for a rate.",
                   pos=both[0])  # fmt: skip
    if neither.size:
        raise fail("probability", "needs a probability (chance per year, 0-1) or a frequency "
                   "(times per year).", pos=neither[0])  # fmt: skip
    for col in ("probability", "mitigated_probability"):
        v = out[col].to_numpy()
        bad = np.flatnonzero((v < 0) | (v > 1))
        if bad.size:
            p, x = bad[0], v[bad[0]]
            hint = (f"If it is a percentage, write {x / 100:g}; if it is a rate (times per "
                    "year), move it to the `frequency` column." if x > 1 else "")  # fmt: skip
            raise fail(col, "must be a probability in [0, 1].", frame[col].iloc[p], hint, pos=p)
    for col in ("frequency", "mitigated_frequency"):
        numbers(cells_of(frame, col), col, ctx, optional=True, minimum=0.0,
                fix="A frequency is a number of times per year.")  # fmt: skip
    mixed = np.flatnonzero(out["probability"].notna() & out["mitigated_frequency"].notna())
    if mixed.size:
        raise fail("mitigated_frequency", "the risk is given as a probability; give the "
                   "mitigated value in `mitigated_probability`.", pos=mixed[0])  # fmt: skip
    mixed = np.flatnonzero(out["frequency"].notna() & out["mitigated_probability"].notna())
    if mixed.size:
        raise fail("mitigated_probability", "the risk is given as a frequency; give the "
                   "mitigated value in `mitigated_frequency`.", pos=mixed[0])  # fmt: skip
    dist = texts(cells_of(frame, "distribution"), "distribution", ctx, optional=True, lower=True,
                 choices=DISTRIBUTIONS, fix="Leave it empty for pert.")  # fmt: skip
    dist = np.where(dist == "", "pert", dist).astype(str)
    out["distribution"] = dist
    for prefix in ("impact", "mitigated_impact"):
        cols = [f"{prefix}_{s}" for s in ("low", "most_likely", "high")]
        low, mode, high = (numbers(cells_of(frame, c), c, ctx, optional=True) for c in cols)
        if prefix == "impact":
            for c in (cols[0], cols[2]):
                numbers(frame[c], c, ctx, fix="A loss per occurrence.")
        given = ~(np.isnan(low) & np.isnan(high) & np.isnan(mode))
        sel = np.flatnonzero(given)
        if sel.size:
            for c, v in ((cols[0], low), (cols[2], high)):
                miss = sel[np.isnan(v[sel])]
                if miss.size:
                    raise fail(c, "is empty but other mitigated impact columns are filled.",
                               fix="Give low and high (and most likely for PERT/triangular).",
                               pos=miss[0])  # fmt: skip
            neg = sel[low[sel] < 0]
            if neg.size:
                raise fail(cols[0], "a loss cannot be negative.", frame[cols[0]].iloc[neg[0]],
                           "Enter losses as positive amounts.", pos=neg[0])  # fmt: skip
            logn = sel[(dist[sel] == "lognormal") & (low[sel] <= 0)]
            if logn.size:
                raise fail(cols[0], "a lognormal impact needs low > 0 (it is the 5th "
                           "percentile).", frame[cols[0]].iloc[logn[0]], pos=logn[0])  # fmt: skip
            _row_ranges(low, mode, high, dist, sel, ctx, prefix)
        out[cols[0]], out[cols[1]], out[cols[2]] = low, mode, high
    cost = money(cells_of(frame, "mitigation_cost"), "mitigation_cost", ctx, optional=True,
                 minimum=0.0)  # fmt: skip
    out["mitigation_cost"] = np.nan_to_num(cost, nan=0.0)
    for col in ("mitigation", "owner"):
        out[col] = texts(cells_of(frame, col), col, ctx, optional=True)
    out.attrs["path"] = ctx.path
    return out.reset_index(drop=True)


def _row_ranges(low, mode, high, dist, sel, ctx: FileContext, prefix: str) -> None:
    bad = sel[low[sel] >= high[sel]]
    if bad.size:
        p = bad[0]
        raise ctx.error(f"{prefix}_low", f"`{prefix}_low` ({low[p]:g}) must be below "
                        f"`{prefix}_high` ({high[p]:g}).", fix="Swap them.", pos=p)  # fmt: skip
    need = sel[np.isin(dist[sel], ("pert", "triangular"))]
    bad = need[np.isnan(mode[need]) | (mode[need] < low[need]) | (mode[need] > high[need])]
    if bad.size:
        p = bad[0]
        raise ctx.error(f"{prefix}_most_likely", f"must lie between low ({low[p]:g}) and high "
                        f"({high[p]:g}).", mode[p], "PERT and triangular need a most likely "
                        "value.", pos=p)  # fmt: skip


def read_risk_appetite(path: PathLike) -> pd.DataFrame:
    """Read risk-appetite points: ``loss`` and ``max_probability``, sorted by loss.

    Examples
    --------
    >>> read_risk_appetite("data/sample/risk_appetite.csv").columns.tolist()
    ['loss', 'max_probability']
    """
    frame, ctx = read_table(path)
    check_columns(frame, ("loss", "max_probability"), (), ctx, what="a risk appetite")
    out = pd.DataFrame(
        {
            "loss": money(frame["loss"], "loss", ctx, minimum=0.0),
            "max_probability": rates(
                frame["max_probability"], "max_probability", ctx,
                fix="The highest acceptable annual probability of a loss above `loss`.",
            ),
        }
    )  # fmt: skip
    return out.sort_values("loss", kind="stable").reset_index(drop=True)


def read_cost_overruns(path: PathLike) -> pd.DataFrame:
    """Read completed projects' budgets and actual costs: the history behind an overrun fit.

    Returns
    -------
    pandas.DataFrame
        ``project``, ``completed`` (text, as written), ``budget`` and ``actual_cost`` (> 0,
        one currency) and ``overrun_ratio`` (``actual_cost / budget``; 1.2 = 20 % over).

    Examples
    --------
    >>> read_cost_overruns("data/sample/cost_overruns.csv")["overrun_ratio"].gt(0).all()
    np.True_
    """
    frame, ctx = read_table(path)
    check_columns(frame, ("project", "budget", "actual_cost"), ("completed",), ctx,
                  what="a cost-overrun history")  # fmt: skip
    budget = money(frame["budget"], "budget", ctx, minimum=0.0, strict=True)
    actual = money(frame["actual_cost"], "actual_cost", ctx, minimum=0.0, strict=True)
    completed = (
        texts(frame["completed"], "completed", ctx, optional=True) if "completed" in frame else ""
    )
    return pd.DataFrame({
        "project": texts(frame["project"], "project", ctx), "completed": completed,
        "budget": budget, "actual_cost": actual, "overrun_ratio": actual / budget,
    })  # fmt: skip


def read_project_tasks(path: PathLike) -> pd.DataFrame:
    """Read a project task table: PERT durations (days) and costs, and predecessors.

    Returns
    -------
    pandas.DataFrame
        ``task``, ``duration_low/most_likely/high``, ``cost_low/most_likely/high``,
        ``predecessors`` (a tuple of task names per row), ``description``. Unknown predecessors
        and cycles are checked by the model (``tasks_from_table``), which names the task.

    Examples
    --------
    >>> read_project_tasks("data/sample/project_tasks.csv")["task"].iloc[0]
    'Requirements'
    """
    frame, ctx = read_table(path)
    cols = [f"{q}_{s}" for q in ("duration", "cost") for s in ("low", "most_likely", "high")]
    check_columns(frame, ("task", *cols), ("predecessors", "description"), ctx,
                  what="a task table")  # fmt: skip
    out = pd.DataFrame(
        {"task": texts(frame["task"], "task", ctx, unique=True, fix="Give every task a name.")}
    )
    for q in ("duration", "cost"):
        low, mode, high = (
            numbers(frame[f"{q}_{s}"], f"{q}_{s}", ctx, minimum=0.0 if s == "low" else None)
            for s in ("low", "most_likely", "high")
        )
        _row_ranges(low, mode, high, np.full(low.size, "pert"), np.arange(low.size), ctx, q)
        out[f"{q}_low"], out[f"{q}_most_likely"], out[f"{q}_high"] = low, mode, high
    out["predecessors"] = id_lists(cells_of(frame, "predecessors"), "predecessors", ctx)
    out["description"] = texts(cells_of(frame, "description"), "description", ctx, optional=True)
    out.attrs["path"] = ctx.path
    return out


# ---------------------------------------------------------------------------- FAIR YAML
def range_spec(value: Mapping[str, Any], fail: Callable[[str], DataFileError]) -> dict[str, Any]:
    """Check a YAML range ``{distribution, low, most_likely, high, confidence}``.

    Shared by the FAIR, uncertain-case and continuity readers; ``fail(message)`` builds the
    error naming where the range sits. Returns the spec with float bounds.
    """
    dist = str(value.get("distribution", "pert")).strip().lower()
    if dist not in DISTRIBUTIONS:
        raise fail(f"unknown distribution {dist!r}. Use one of {', '.join(DISTRIBUTIONS)}."
                   f"{did_you_mean(dist, DISTRIBUTIONS)}")  # fmt: skip
    allowed = ("distribution", "low", "most_likely", "high", "confidence")
    for k in value:
        if k not in allowed:
            raise fail(f"unknown field {k!r}. Allowed: {', '.join(allowed)}."
                       f"{did_you_mean(str(k), allowed)}")  # fmt: skip
    need = ("low", "most_likely", "high") if dist in ("pert", "triangular") else ("low", "high")
    spec: dict[str, Any] = {"distribution": dist}
    for k in (*need, "confidence"):
        if k not in value:
            if k == "confidence":
                continue
            raise fail(f"a {dist} range needs `{k}`.")
        v = value[k]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v):
            raise fail(f"`{k}` must be a number. Got {short_repr(v)}.")
        spec[k] = float(v)
    lo, hi = spec["low"], spec["high"]
    if lo >= hi:
        raise fail(f"low ({lo:g}) must be below high ({hi:g}). Swap them.")
    if "most_likely" in spec and not lo <= spec["most_likely"] <= hi:
        raise fail(f"most_likely ({spec['most_likely']:g}) must lie between low and high "
                   f"[{lo:g}, {hi:g}].")  # fmt: skip
    if lo < 0 or (dist == "lognormal" and lo <= 0):
        raise fail(f"low must be {'above' if dist == 'lognormal' else 'at least'} 0, got {lo:g}.")
    return spec


def _fair_input(value: Any, where: str, key: str, ctx: FileContext) -> Any:
    name = ctx.path
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if key in _PROBABILITY_INPUTS:
            return scalar(rates, value, key, ctx.at(where), fix=f"`{key}` is a probability.")
        return scalar(numbers, value, key, ctx.at(where), minimum=0.0)
    if not isinstance(value, dict):
        raise DataFileError(
            f"{where}: `{key}` must be a number or a mapping such as {{distribution: pert, low: 1, "
            f"most_likely: 3, high: 10}}. Got {short_repr(value)}.",
            path=name,
        )
    spec = range_spec(value, lambda m: DataFileError(f"{where}: `{key}`: {m}", path=name))
    hi = spec["high"]
    if key in _PROBABILITY_INPUTS and (hi > 1 or spec["distribution"] == "lognormal"):
        raise DataFileError(f"{where}: `{key}` is a probability: its range must lie in [0, 1] "
                            f"(got high {hi:g}; use pert, triangular or uniform).", path=name)  # fmt: skip
    return spec


def read_fair_scenarios(path: PathLike) -> dict[str, Any]:
    """Read FAIR scenarios from YAML: ``{"currency", "scenarios": [...], "path"}``.

    Each scenario is ``{"name", "description", "inputs": {input: number or distribution
    spec}, "controls": [{"name", "annual_cost", "changes": {...}}]}``. Build the model with
    ``fair_from_spec``.

    Examples
    --------
    >>> spec = read_fair_scenarios("data/sample/fair_scenarios.yaml")
    >>> spec["currency"], len(spec["scenarios"]) >= 2
    ('EUR', True)
    """
    data, ctx = read_yaml(path)
    name = ctx.path
    if not isinstance(data, dict) or not isinstance(data.get("scenarios"), list):
        raise DataFileError("must hold `currency:` and a list `scenarios:`.", path=name)
    scenarios = []
    for i, raw in enumerate(data["scenarios"], start=1):
        where = f"scenario {i}"
        if not isinstance(raw, dict) or not str(raw.get("name", "")).strip():
            raise DataFileError(f"{where}: needs a mapping with a `name`.", path=name)
        where = f"scenario {i} ({raw['name']!r})"
        inputs = {}
        for key, value in raw.items():
            if key in ("name", "description", "controls"):
                continue
            if key not in FAIR_INPUTS:
                raise DataFileError(f"{where}: unknown key {key!r}. Inputs: {', '.join(FAIR_INPUTS)}."
                                    f"{did_you_mean(key, FAIR_INPUTS)}", path=name)  # fmt: skip
            inputs[key] = _fair_input(value, where, key, ctx)
        controls = []
        for j, c in enumerate(raw.get("controls") or [], start=1):
            cw = f"{where}, control {j}"
            if not isinstance(c, dict) or "name" not in c or "annual_cost" not in c:
                raise DataFileError(f"{cw}: needs `name`, `annual_cost` and `changes`.", path=name)
            cost = scalar(money, c["annual_cost"], "annual_cost", ctx.at(cw), minimum=0.0)
            changes = {}
            for key, value in (c.get("changes") or {}).items():
                if key not in FAIR_INPUTS:
                    raise DataFileError(f"{cw}: cannot change unknown input {key!r}."
                                        f"{did_you_mean(key, FAIR_INPUTS)}", path=name)  # fmt: skip
                changes[key] = _fair_input(value, cw, key, ctx)
            controls.append(
                {"name": str(c["name"]), "annual_cost": float(cost), "changes": changes}
            )
        scenarios.append({"name": str(raw["name"]), "description": str(raw.get("description", "")),
                          "inputs": inputs, "controls": controls})  # fmt: skip
    if not scenarios:
        raise DataFileError("`scenarios` is empty. Add at least one scenario.", path=name)
    return {"currency": str(data.get("currency", "EUR")).upper(), "scenarios": scenarios,
            "path": name}  # fmt: skip


_UNCERTAIN_KEYS = ("description", "basis", "uncertainty", "case_name", "case_path")
#: ``basis`` of an uncertain-case file -> (basis of simulate_case, factor on low/most_likely/high)
_BASES = {
    "factor": ("multiplier", 1.0),
    "multiplier": ("multiplier", 1.0),
    "percent": ("multiplier", 0.01),
    "amount": ("amount", 1.0),
}


def read_uncertain_case(path: PathLike, *, case: Any = None) -> dict[str, Any]:
    """Read the ranges of a case's uncertain line items and check them against the case in use.

    Ranges follow the case they are applied to. The YAML holds ``basis`` and ``uncertainty``
    (line item name -> a range ``{distribution, low, most_likely, high}`` as in the FAIR
    file), optional ``description``, and optionally the case it is bound to:

    * ``basis: factor`` - low, most_likely and high are factors of the planned amount of that
      line item in the case in use (1.0 = as planned, 1.3 = 30 % over plan);
      ``basis: percent`` - the same in percent of the planned amount (100 = as planned).
      Such a file fits any case that has the line items it names.
    * ``basis: amount`` - absolute amounts per period in the case currency. Only where stated
      explicitly: the file must name the case it was written for (``case_name:`` or
      ``case_path:``) and every planned amount must lie within its range.

    Parameters
    ----------
    path : str or path-like
        The YAML file.
    case : str, path-like or CaseSpec, optional
        The case in use (a case file for :func:`cio_analytics.io.read_case`, or its
        :class:`CaseSpec`). Default: the file's own ``case_path``.

    Returns
    -------
    dict
        ``{"case": CaseSpec, "basis": "multiplier" or "amount", "uncertainty": {item: spec},
        "path": str}``, with percentages already turned into factors; hand it to
        :func:`cio_analytics.risk.uncertainty_from_spec`.

    Raises
    ------
    DataFileError
        Ranges for line items the case does not have (all named), a file bound to another
        case, absolute amounts without a bound case or outside which the plan lies, no case
        at all, a bad range.

    Examples
    --------
    >>> spec = read_uncertain_case(
    ...     "data/sample/uncertain_case.yaml", case="data/sample/cases/service_desk_platform.yaml"
    ... )
    >>> spec["basis"], spec["case"].name, spec["uncertainty"]["Data migration"]["high"]
    ('multiplier', 'Service desk platform', 2.0)
    """
    from .cases import CaseSpec, read_case

    data, ctx = read_yaml(path)
    name = ctx.path
    if not isinstance(data, dict) or "uncertainty" not in data or "basis" not in data:
        raise DataFileError(
            "must hold `basis:` (factor, percent or amount) and `uncertainty:` (line item -> "
            "range). E.g. `basis: factor` and `Platform implementation: {distribution: pert, "
            "low: 0.9, most_likely: 1.0, high: 1.5}`.",
            path=name,
        )
    unknown = sorted(set(map(str, data)) - set(_UNCERTAIN_KEYS))
    if unknown:
        key = unknown[0]
        raise DataFileError(f"unknown key {key!r}. Keys: {', '.join(_UNCERTAIN_KEYS)}."
                            f"{did_you_mean(key, _UNCERTAIN_KEYS)}", path=name)  # fmt: skip
    basis_typed = str(data["basis"]).strip().lower()
    if basis_typed not in _BASES:
        raise DataFileError(
            f"`basis` must be factor (1.0 = as planned), percent (100 = as planned) or amount "
            f"(absolute, bound to one case). Got {data['basis']!r}."
            f"{did_you_mean(basis_typed, _BASES)}",
            path=name,
        )
    bound_path, bound_name = data.get("case_path"), data.get("case_name")
    if case is None and bound_path is None:
        raise DataFileError(
            "does not say which case its ranges apply to. Pass the case in use: "
            "read_uncertain_case(path, case=case_path).",
            path=name,
        )
    if case is not None and not isinstance(case, (CaseSpec, str, os.PathLike)):
        raise DataFileError(
            f"`case` must be the case file in use (a path) or its CaseSpec from read_case. Got "
            f"{type(case).__name__}. Pass case=case_path.",
            path=name,
        )
    in_use = (
        case if isinstance(case, CaseSpec) else read_case(case if case is not None else bound_path)
    )
    _check_binding(in_use, bound_path, bound_name, name, read_case)
    basis, scale = _BASES[basis_typed]
    if basis == "amount" and bound_path is None and bound_name is None:
        raise DataFileError(
            "`basis: amount` holds absolute amounts, which fit one plan only, but the file does "
            "not name its case. Use `basis: factor` (ranges as factors of the planned amount, "
            "they follow the case in use) or add `case_name:` with the case's name.",
            path=name,
        )
    items = list(in_use.line_items["name"])
    ranges = data["uncertainty"]
    if not isinstance(ranges, dict) or not ranges:
        raise DataFileError("`uncertainty` must map line item names to ranges.", path=name)
    missing = [str(k) for k in ranges if k not in items]
    if missing:
        hint = did_you_mean(missing[0], items)
        raise DataFileError(
            f"`uncertainty` gives ranges for line items that case {in_use.name!r} "
            f"({in_use.path}) does not have: {', '.join(map(repr, missing))}. Its items: "
            f"{items}.{hint} Remove those ranges or rename them to the case's line items.",
            path=name,
        )
    planned = dict(zip(items, in_use.line_items["amount"], strict=True))
    out = {}
    for item, spec in ranges.items():
        where = f"uncertainty of {item!r}"
        got = _fair_input(spec, where, "amount", ctx)
        if not isinstance(got, dict):
            raise DataFileError(f"{where}: give a range {{distribution, low, most_likely, high}}, "
                                "not a single number.", path=name)  # fmt: skip
        got = {k: (v * scale if k in ("low", "most_likely", "high") else v) for k, v in got.items()}
        if basis == "amount" and not got["low"] <= planned[item] <= got["high"]:
            raise DataFileError(
                f"{where}: the planned amount {planned[item]:g} of case {in_use.name!r} lies "
                f"outside the range [{got['low']:g}, {got['high']:g}]: these absolute amounts "
                "were written for another plan. Use `basis: factor` so the ranges follow the "
                "case, or correct the range.",
                path=name,
            )
        out[item] = got
    return {"case": in_use, "basis": basis, "uncertainty": out, "path": name}


def _check_binding(in_use: Any, bound_path: Any, bound_name: Any, name: str, read_case) -> None:
    """Refuse a file bound (by ``case_path`` or ``case_name``) to another case than ``in_use``."""
    if bound_name is not None and str(bound_name).strip() != in_use.name:
        raise DataFileError(
            f"is bound to case {str(bound_name).strip()!r} (`case_name`), but the case in use "
            f"is {in_use.name!r} ({in_use.path}). Its ranges were written for that case: use a "
            "ranges file for this case, or `basis: factor` ranges without `case_name`.",
            path=name,
        )
    if bound_path is None:
        return
    bound = read_case(bound_path)
    same = (
        (bound.sha256 == in_use.sha256)
        if bound.sha256 and in_use.sha256
        else (bound.name == in_use.name)
    )
    if not same:
        raise DataFileError(
            f"is bound to the case file {bound_path} (`case_path`), but the case in use is "
            f"{in_use.path} ({in_use.name!r}). Its ranges were written for that file: remove "
            "`case_path` and give the ranges as factors (`basis: factor`) so they follow the "
            "case in use, or use a ranges file for this case.",
            path=name,
        )
