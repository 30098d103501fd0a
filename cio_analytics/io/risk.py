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
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .._validation import did_you_mean, short_repr
from ..exceptions import DataFileError
from ._tables import read_table, require_columns
from .paths import resolve_data_path

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


def _numbers(frame: pd.DataFrame, col: str, name: str, *, optional: bool = False) -> np.ndarray:
    """A column as floats (NaN where empty if ``optional``); bad text -> DataFileError."""
    if col not in frame.columns:
        return np.full(len(frame), np.nan)
    raw = frame[col]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = (np.isnan(values) & raw.notna().to_numpy()) | np.isinf(values)
    if not optional:
        bad |= np.isnan(values)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise DataFileError(
            f"expected a number, got {short_repr(raw.iloc[pos])}. Fill the cell with a number "
            "(no currency symbols or thousands separators).",
            path=name,
            row=pos + 2,
            column=col,
        )
    return values


def _fail(message: str, name: str, pos: int, col: str) -> DataFileError:
    return DataFileError(message, path=name, row=int(pos) + 2, column=col)


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
    frame, name = read_table(path)
    require_columns(frame, ("name", "impact_low", "impact_high"), name)
    if "probability" not in frame.columns and "frequency" not in frame.columns:
        raise DataFileError(
            "needs a `probability` column (chance per year) or a `frequency` column "
            f"(occurrences per year). Found {list(frame.columns)}.",
            path=name,
        )
    out = pd.DataFrame(index=frame.index)
    names = frame["name"].astype("string").str.strip()
    empty = np.flatnonzero(names.isna().to_numpy() | (names == "").fillna(True).to_numpy())
    if empty.size:
        raise _fail("must not be empty. Give every risk a name.", name, empty[0], "name")
    dup = names.duplicated().to_numpy()
    if dup.any():
        p = int(np.flatnonzero(dup)[0])
        raise _fail(f"risk name {names.iloc[p]!r} appears twice. Names must be unique.",
                    name, p, "name")  # fmt: skip
    ids = frame["id"].astype("string").str.strip() if "id" in frame.columns else names
    out["id"] = ids.fillna(names).astype(str).to_numpy()
    out["name"] = names.astype(str).to_numpy()
    for basis in ("probability", "frequency"):
        out[basis] = _numbers(frame, basis, name, optional=True)
        out[f"mitigated_{basis}"] = _numbers(frame, f"mitigated_{basis}", name, optional=True)
    both = np.flatnonzero(out["probability"].notna() & out["frequency"].notna())
    neither = np.flatnonzero(out["probability"].isna() & out["frequency"].isna())
    if both.size:
        raise _fail("has both a probability and a frequency. Keep one: probability for an event "
                    "that happens at most once a year, frequency for a rate.",
                    name, both[0], "frequency")  # fmt: skip
    if neither.size:
        raise _fail("needs a probability (chance per year, 0-1) or a frequency (times per year).",
                    name, neither[0], "probability")  # fmt: skip
    for col in ("probability", "mitigated_probability"):
        v = out[col].to_numpy()
        bad = np.flatnonzero((v < 0) | (v > 1))
        if bad.size:
            p, x = bad[0], v[bad[0]]
            hint = (f" If it is a percentage, write {x / 100:g}; if it is a rate (times per "
                    "year), move it to the `frequency` column." if x > 1 else "")  # fmt: skip
            raise _fail(f"must be a probability in [0, 1], got {x:g}.{hint}", name, p, col)
    for col in ("frequency", "mitigated_frequency"):
        v = out[col].to_numpy()
        bad = np.flatnonzero(v < 0)
        if bad.size:
            raise _fail(f"must be 0 or more per year, got {v[bad[0]]:g}.", name, bad[0], col)
    mixed = np.flatnonzero(out["probability"].notna() & out["mitigated_frequency"].notna())
    if mixed.size:
        raise _fail("the risk is given as a probability; give the mitigated value in "
                    "`mitigated_probability`.", name, mixed[0], "mitigated_frequency")  # fmt: skip
    mixed = np.flatnonzero(out["frequency"].notna() & out["mitigated_probability"].notna())
    if mixed.size:
        raise _fail("the risk is given as a frequency; give the mitigated value in "
                    "`mitigated_frequency`.", name, mixed[0], "mitigated_probability")  # fmt: skip
    if "distribution" in frame.columns:
        dist = frame["distribution"].astype("string").str.strip().str.lower().fillna("pert")
        dist = dist.replace("", "pert").astype(str).to_numpy()
    else:
        dist = np.full(len(frame), "pert")
    bad = np.flatnonzero(~np.isin(dist, DISTRIBUTIONS))
    if bad.size:
        p = bad[0]
        raise _fail(f"unknown distribution {dist[p]!r}. Use one of {', '.join(DISTRIBUTIONS)}."
                    f"{did_you_mean(dist[p], DISTRIBUTIONS)}", name, p, "distribution")  # fmt: skip
    out["distribution"] = dist
    for prefix in ("impact", "mitigated_impact"):
        optional = prefix == "mitigated_impact"
        cols = [f"{prefix}_{s}" for s in ("low", "most_likely", "high")]
        low, mode, high = (_numbers(frame, c, name, optional=True) for c in cols)
        given = ~(np.isnan(low) & np.isnan(high) & np.isnan(mode))
        if not optional:
            for c, v in ((cols[0], low), (cols[2], high)):
                miss = np.flatnonzero(np.isnan(v))
                if miss.size:
                    raise _fail("expected a number (loss per occurrence).", name, miss[0], c)
        sel = np.flatnonzero(given)
        if sel.size:
            for c, v in ((cols[0], low), (cols[2], high)):
                miss = sel[np.isnan(v[sel])]
                if miss.size:
                    raise _fail("is empty but other mitigated impact columns are filled. Give "
                                "low and high (and most likely for PERT/triangular).",
                                name, miss[0], c)  # fmt: skip
            neg = sel[low[sel] < 0]
            if neg.size:
                raise _fail(f"a loss cannot be negative, got {low[neg[0]]:g}. Enter losses as "
                            "positive amounts.", name, neg[0], cols[0])  # fmt: skip
            logn = sel[(dist[sel] == "lognormal") & (low[sel] <= 0)]
            if logn.size:
                raise _fail("a lognormal impact needs low > 0 (it is the 5th percentile).",
                            name, logn[0], cols[0])  # fmt: skip
            _row_ranges(low, mode, high, dist, sel, name, prefix)
        out[cols[0]], out[cols[1]], out[cols[2]] = low, mode, high
    cost = _numbers(frame, "mitigation_cost", name, optional=True)
    bad = np.flatnonzero(cost < 0)
    if bad.size:
        raise _fail(f"must be 0 or more, got {cost[bad[0]]:g}.", name, bad[0], "mitigation_cost")
    out["mitigation_cost"] = np.nan_to_num(cost, nan=0.0)
    for col in ("mitigation", "owner"):
        out[col] = frame[col].fillna("").astype(str).str.strip() if col in frame.columns else ""
    out.attrs["path"] = name
    return out.reset_index(drop=True)


def _row_ranges(low, mode, high, dist, sel, name, prefix) -> None:
    bad = sel[low[sel] >= high[sel]]
    if bad.size:
        p = bad[0]
        raise _fail(f"`{prefix}_low` ({low[p]:g}) must be below `{prefix}_high` ({high[p]:g}). "
                    "Swap them.", name, p, f"{prefix}_low")  # fmt: skip
    need = sel[np.isin(dist[sel], ("pert", "triangular"))]
    bad = need[np.isnan(mode[need]) | (mode[need] < low[need]) | (mode[need] > high[need])]
    if bad.size:
        p = bad[0]
        raise _fail(f"must lie between low ({low[p]:g}) and high ({high[p]:g}), got "
                    f"{mode[p]:g}. PERT and triangular need a most likely value.",
                    name, p, f"{prefix}_most_likely")  # fmt: skip


def read_risk_appetite(path: PathLike) -> pd.DataFrame:
    """Read risk-appetite points: ``loss`` and ``max_probability``, sorted by loss.

    Examples
    --------
    >>> read_risk_appetite("data/sample/risk_appetite.csv").columns.tolist()
    ['loss', 'max_probability']
    """
    frame, name = read_table(path)
    require_columns(frame, ("loss", "max_probability"), name)
    loss = _numbers(frame, "loss", name)
    prob = _numbers(frame, "max_probability", name)
    bad = np.flatnonzero(loss < 0)
    if bad.size:
        raise _fail(f"must be 0 or more, got {loss[bad[0]]:g}.", name, bad[0], "loss")
    bad = np.flatnonzero((prob < 0) | (prob > 1))
    if bad.size:
        x = prob[bad[0]]
        hint = f" Write {x / 100:g} for {x:g} %." if x > 1 else ""
        raise _fail(f"must be an annual probability in [0, 1], got {x:g}.{hint}",
                    name, bad[0], "max_probability")  # fmt: skip
    out = pd.DataFrame({"loss": loss, "max_probability": prob})
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
    frame, name = read_table(path)
    require_columns(frame, ("project", "budget", "actual_cost"), name)
    budget = _numbers(frame, "budget", name)
    actual = _numbers(frame, "actual_cost", name)
    for col, values in (("budget", budget), ("actual_cost", actual)):
        bad = np.flatnonzero(values <= 0)
        if bad.size:
            raise _fail(f"must be greater than 0, got {values[bad[0]]:g}.", name, bad[0], col)
    completed = frame["completed"].astype(str) if "completed" in frame else ""
    return pd.DataFrame({
        "project": frame["project"].astype(str), "completed": completed,
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
    frame, name = read_table(path)
    cols = [f"{q}_{s}" for q in ("duration", "cost") for s in ("low", "most_likely", "high")]
    require_columns(frame, ("task", *cols), name)
    tasks = frame["task"].astype("string").str.strip()
    empty = np.flatnonzero(tasks.isna().to_numpy() | (tasks == "").fillna(True).to_numpy())
    if empty.size:
        raise _fail("must not be empty. Give every task a name.", name, empty[0], "task")
    dup = np.flatnonzero(tasks.duplicated().to_numpy())
    if dup.size:
        raise _fail(f"task {tasks.iloc[dup[0]]!r} appears twice. Names must be unique.",
                    name, dup[0], "task")  # fmt: skip
    out = pd.DataFrame({"task": tasks.astype(str).to_numpy()})
    for q in ("duration", "cost"):
        low, mode, high = (
            _numbers(frame, f"{q}_{s}", name) for s in ("low", "most_likely", "high")
        )
        bad = np.flatnonzero(low < 0)
        if bad.size:
            raise _fail(f"must be 0 or more, got {low[bad[0]]:g}.", name, bad[0], f"{q}_low")
        _row_ranges(low, mode, high, np.full(low.size, "pert"), np.arange(low.size), name, q)
        out[f"{q}_low"], out[f"{q}_most_likely"], out[f"{q}_high"] = low, mode, high
    if "predecessors" in frame.columns:
        raw = frame["predecessors"].fillna("").astype(str)
        out["predecessors"] = [tuple(p.strip() for p in s.split(";") if p.strip()) for s in raw]
    else:
        out["predecessors"] = [()] * len(out)
    out["description"] = (
        frame["description"].fillna("").astype(str) if "description" in frame.columns else ""
    )
    out.attrs["path"] = name
    return out


# ---------------------------------------------------------------------------- FAIR YAML
def _fair_input(value: Any, where: str, key: str, name: str) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if key in _PROBABILITY_INPUTS and not 0 <= value <= 1:
            hint = f" Write {value / 100:g} for {value:g} %." if value > 1 else ""
            raise DataFileError(f"{where}: `{key}` is a probability in [0, 1], got {value:g}.{hint}",
                                path=name)  # fmt: skip
        if value < 0:
            raise DataFileError(f"{where}: `{key}` must be 0 or more, got {value:g}.", path=name)
        return float(value)
    if not isinstance(value, dict):
        raise DataFileError(
            f"{where}: `{key}` must be a number or a mapping such as {{distribution: pert, low: 1, "
            f"most_likely: 3, high: 10}}. Got {short_repr(value)}.",
            path=name,
        )
    dist = str(value.get("distribution", "pert")).strip().lower()
    if dist not in DISTRIBUTIONS:
        raise DataFileError(f"{where}: `{key}` has unknown distribution {dist!r}. Use one of "
                            f"{', '.join(DISTRIBUTIONS)}.{did_you_mean(dist, DISTRIBUTIONS)}",
                            path=name)  # fmt: skip
    allowed = {"distribution", "low", "most_likely", "high", "confidence"}
    for k in value:
        if k not in allowed:
            raise DataFileError(f"{where}: `{key}` has unknown field {k!r}. Allowed: "
                                f"{sorted(allowed)}.{did_you_mean(str(k), allowed)}", path=name)  # fmt: skip
    need = ("low", "most_likely", "high") if dist in ("pert", "triangular") else ("low", "high")
    spec: dict[str, Any] = {"distribution": dist}
    for k in (*need, "confidence"):
        if k not in value:
            if k == "confidence":
                continue
            raise DataFileError(f"{where}: `{key}` ({dist}) needs `{k}`.", path=name)
        v = value[k]
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise DataFileError(f"{where}: `{key}.{k}` must be a number, got {short_repr(v)}.",
                                path=name)  # fmt: skip
        spec[k] = float(v)
    lo, hi = spec["low"], spec["high"]
    if lo >= hi:
        raise DataFileError(f"{where}: `{key}`: low ({lo:g}) must be below high ({hi:g}). Swap "
                            "them.", path=name)  # fmt: skip
    if "most_likely" in spec and not lo <= spec["most_likely"] <= hi:
        raise DataFileError(f"{where}: `{key}`: most_likely ({spec['most_likely']:g}) must lie "
                            f"between low and high [{lo:g}, {hi:g}].", path=name)  # fmt: skip
    if lo < 0 or (dist == "lognormal" and lo <= 0):
        raise DataFileError(f"{where}: `{key}`: low must be {'above' if dist == 'lognormal' else 'at least'} 0, got {lo:g}.", path=name)  # fmt: skip
    if key in _PROBABILITY_INPUTS and (hi > 1 or dist == "lognormal"):
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
    resolved = resolve_data_path(path, parameter="path")
    name = str(path)
    try:
        with open(resolved, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise DataFileError(f"is not valid YAML ({exc}).", path=name) from None
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
            inputs[key] = _fair_input(value, where, key, name)
        controls = []
        for j, c in enumerate(raw.get("controls") or [], start=1):
            cw = f"{where}, control {j}"
            if not isinstance(c, dict) or "name" not in c or "annual_cost" not in c:
                raise DataFileError(f"{cw}: needs `name`, `annual_cost` and `changes`.", path=name)
            cost = c["annual_cost"]
            if isinstance(cost, bool) or not isinstance(cost, (int, float)) or cost < 0:
                raise DataFileError(f"{cw}: `annual_cost` must be a number >= 0, got "
                                    f"{short_repr(cost)}.", path=name)  # fmt: skip
            changes = {}
            for key, value in (c.get("changes") or {}).items():
                if key not in FAIR_INPUTS:
                    raise DataFileError(f"{cw}: cannot change unknown input {key!r}."
                                        f"{did_you_mean(key, FAIR_INPUTS)}", path=name)  # fmt: skip
                changes[key] = _fair_input(value, cw, key, name)
            controls.append(
                {"name": str(c["name"]), "annual_cost": float(cost), "changes": changes}
            )
        scenarios.append({"name": str(raw["name"]), "description": str(raw.get("description", "")),
                          "inputs": inputs, "controls": controls})  # fmt: skip
    if not scenarios:
        raise DataFileError("`scenarios` is empty. Add at least one scenario.", path=name)
    return {"currency": str(data.get("currency", "EUR")).upper(), "scenarios": scenarios,
            "path": name}  # fmt: skip


def read_uncertain_case(path: PathLike) -> dict[str, Any]:
    """Read an uncertain investment case: a valuation case file plus ranges per line item.

    The YAML holds ``case_path`` (a case file for :func:`cio_analytics.io.read_case`, relative
    to the project root), ``basis`` (``amount``: ranges of the amount per period; or
    ``multiplier``: factors on the planned amount) and ``uncertainty``: line item name ->
    distribution spec as in the FAIR file.

    Returns
    -------
    dict
        ``{"case": CaseSpec, "basis": str, "uncertainty": {item: spec}, "path": str}``.

    Examples
    --------
    >>> spec = read_uncertain_case("data/sample/uncertain_case.yaml")
    >>> spec["basis"], spec["case"].name
    ('amount', 'Service desk platform')
    """
    from .cases import read_case

    resolved = resolve_data_path(path, parameter="path")
    name = str(path)
    try:
        with open(resolved, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise DataFileError(f"is not valid YAML ({exc}).", path=name) from None
    if not isinstance(data, dict) or "case_path" not in data or "uncertainty" not in data:
        raise DataFileError("must hold `case_path:`, `basis:` and `uncertainty:`.", path=name)
    unknown = set(data) - {"case_path", "basis", "uncertainty", "description"}
    if unknown:
        key = sorted(unknown)[0]
        raise DataFileError(f"unknown key {key!r}.{did_you_mean(key, ['case_path', 'basis', 'uncertainty'])}", path=name)  # fmt: skip
    case = read_case(data["case_path"])
    basis = str(data.get("basis", "amount"))
    if basis not in ("amount", "multiplier"):
        raise DataFileError(f"`basis` must be 'amount' or 'multiplier', got {basis!r}."
                            f"{did_you_mean(basis, ['amount', 'multiplier'])}", path=name)  # fmt: skip
    items = list(case.line_items["name"])
    if not isinstance(data["uncertainty"], dict) or not data["uncertainty"]:
        raise DataFileError("`uncertainty` must map line item names to ranges.", path=name)
    out = {}
    for item, spec in data["uncertainty"].items():
        if item not in items:
            raise DataFileError(f"`uncertainty` names unknown line item {item!r}. Items of the case: "
                                f"{items}.{did_you_mean(str(item), items)}", path=name)  # fmt: skip
        out[item] = _fair_input(spec, f"uncertainty of {item!r}", "amount", name)
        if not isinstance(out[item], dict):
            raise DataFileError(f"uncertainty of {item!r}: give a range {{distribution, low, "
                                "most_likely, high}, not a single number.", path=name)  # fmt: skip
    return {"case": case, "basis": basis, "uncertainty": out, "path": name}
