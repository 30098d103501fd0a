"""Readers for service continuity data: service structure (YAML), DR tiers and disasters (CSV).

A broken file raises :class:`~cio_analytics.exceptions.DataFileError` naming the file, the YAML
key (e.g. ``components.web1.availability``) or the spreadsheet row (header is row 1) and
column, the rule, the value and the fix. The readers return plain validated data; the model
is built in :mod:`cio_analytics.continuity` (``service_from_spec``, ``options_from_spec``,
``rto_rpo_scenarios``).

Schemas
-------
service structure (YAML)
    ``service``, ``currency``, ``hours_per_year`` (default 8760), ``sla_availability`` (in
    [0, 1]), ``outage_cost_per_h`` (one number or 24, by hour of day), ``root`` (a block
    name), ``blocks`` (name -> ``{type: series|parallel|k_of_n, k, children}``; a child is a
    component or block name, or an inline block), ``components`` (name -> ``availability``,
    or ``mtbf_h``/``failures_per_year`` with ``mttr_h``/``restore_h``) and optional
    ``options`` (``name``, ``one_off_cost``, ``annual_cost``, ``life_years``, ``changes``:
    ``components``/``blocks`` given in full).
DR tiers (CSV/XLSX)
    ``tier`` (unique), ``rto_h``, ``rpo_h``, ``annual_cost``, optional ``one_off_cost``,
    ``description``.
disaster scenarios (CSV/XLSX)
    ``scenario`` (unique), ``events_per_year``, ``outage_cost_per_h``,
    ``data_loss_cost_per_h``, optional ``fixed_cost_per_event``, ``description``.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._validation import did_you_mean, short_repr
from ..exceptions import DataFileError
from ._columns import FileContext, cells_of, numbers, rates, scalar, texts
from ._tables import check_columns, read_table, read_yaml
from .risk import range_spec

__all__ = ["read_disaster_scenarios", "read_dr_tiers", "read_service_structure"]

PathLike = str | os.PathLike[str]
_BLOCK_TYPES = ("series", "parallel", "k_of_n")
_COMPONENT_KEYS = ("availability", "mtbf_h", "mttr_h", "failures_per_year", "restore_h",
                   "description")  # fmt: skip
_OPTION_KEYS = ("name", "description", "one_off_cost", "annual_cost", "life_years", "changes")


class _Checker:
    def __init__(self, name: str) -> None:
        self.name = name
        self.ctx = FileContext(name).at("")

    def fail(self, key: str, message: str) -> DataFileError:
        return DataFileError(f"`{key}`: {message}", path=self.name)

    def number(self, value: Any, key: str, *, strict: bool = False) -> float:
        return scalar(numbers, value, key, self.ctx, minimum=0.0, strict=strict)

    def availability(self, value: Any, key: str) -> float:
        return scalar(rates, value, key, self.ctx, fix="An availability is a decimal share.")

    def restore(self, value: Any, key: str) -> Any:
        if not isinstance(value, Mapping):
            return self.number(value, key)
        return range_spec(value, lambda m: self.fail(key, m))

    def component(self, name: str, spec: Any) -> dict[str, Any]:
        key = f"components.{name}"
        if not isinstance(spec, Mapping):
            raise self.fail(key, f"must be a mapping of inputs, got {short_repr(spec)}.")
        for k in spec:
            if k not in _COMPONENT_KEYS:
                raise self.fail(f"{key}.{k}", f"unknown key. Allowed: {', '.join(_COMPONENT_KEYS)}."
                                f"{did_you_mean(str(k), _COMPONENT_KEYS)}")  # fmt: skip
        has = {k for k in spec if spec[k] is not None and k != "description"}
        out: dict[str, Any] = {}
        if "availability" in has:
            if has - {"availability"}:
                raise self.fail(key, "give `availability` alone, or failures (`mtbf_h` or "
                                "`failures_per_year`) with `mttr_h` or `restore_h`; not both.")  # fmt: skip
            out["availability"] = self.availability(spec["availability"], f"{key}.availability")
        else:
            pairs = (("mtbf_h", "failures_per_year"), ("mttr_h", "restore_h"))
            for a, b in pairs:
                if a in has and b in has:
                    raise self.fail(key, f"give `{a}` or `{b}`, not both.")
                if a not in has and b not in has:
                    raise self.fail(key, f"needs `{a}` or `{b}` (or `availability` alone). Got "
                                    f"{sorted(spec)}.")  # fmt: skip
            if "mtbf_h" in has:
                out["mtbf_h"] = self.number(spec["mtbf_h"], f"{key}.mtbf_h", strict=True)
            else:
                out["failures_per_year"] = self.number(spec["failures_per_year"],
                                                       f"{key}.failures_per_year")  # fmt: skip
            if "mttr_h" in has:
                out["mttr_h"] = self.number(spec["mttr_h"], f"{key}.mttr_h")
            else:
                out["restore_h"] = self.restore(spec["restore_h"], f"{key}.restore_h")
        if spec.get("description") is not None:
            out["description"] = str(spec["description"])
        return out

    def structure(self, spec: dict[str, Any]) -> None:
        """Types, k <= n, known references, each component once, no cycles."""
        comps, blocks = spec["components"], spec["blocks"]
        used: dict[str, str] = {}

        def walk(ref: Any, key: str, path: tuple[str, ...]) -> None:
            if isinstance(ref, Mapping):
                return block(ref, key, path)
            name = str(ref)
            if name in comps:
                if name in used:
                    raise self.fail(key, f"component {name!r} is used twice (also at "
                                    f"{used[name]}). Use each component once.")  # fmt: skip
                used[name] = key
                return None
            if name in blocks:
                if name in path:
                    cycle = " -> ".join((*path[path.index(name) :], name))
                    raise self.fail(key, f"blocks form a cycle: {cycle}.")
                return block(blocks[name], f"blocks.{name}", (*path, name))
            raise self.fail(key, f"unknown component or block {name!r}."
                            f"{did_you_mean(name, [*comps, *blocks])} Define it under "
                            "`components` or `blocks`.")  # fmt: skip

        def block(b: Any, key: str, path: tuple[str, ...]) -> None:
            if not isinstance(b, Mapping):
                raise self.fail(key, "must be a block with `type` and `children`.")
            kind = str(b.get("type", "")).lower()
            if kind not in _BLOCK_TYPES:
                raise self.fail(f"{key}.type", f"must be one of {', '.join(_BLOCK_TYPES)}, got "
                                f"{b.get('type')!r}.{did_you_mean(kind, _BLOCK_TYPES)}")  # fmt: skip
            kids = b.get("children")
            if not isinstance(kids, list) or not kids:
                raise self.fail(f"{key}.children", "must be a non-empty list.")
            if kind == "k_of_n":
                k = b.get("k")
                if isinstance(k, bool) or not isinstance(k, int) or k < 1:
                    raise self.fail(
                        f"{key}.k", f"must be a whole number >= 1, got {short_repr(k)}."
                    )
                if k > len(kids):
                    raise self.fail(f"{key}.k", f"k = {k} is more than the {len(kids)} children "
                                    "(k > n). Lower k or add children.")  # fmt: skip
            for i, child in enumerate(kids):
                walk(child, f"{key}.children[{i}]", path)

        root = spec.get("root")
        if root is None:
            raise self.fail("root", "missing: name the block that is the whole service.")
        walk(root, "root", ())


def read_service_structure(path: PathLike) -> dict[str, Any]:
    """Read a business service structure (YAML) with its components, costs and options.

    Returns
    -------
    dict
        The validated spec (``service``, ``currency``, ``hours_per_year``,
        ``sla_availability``, ``outage_cost_per_h``, ``root``, ``blocks``, ``components``,
        ``options``) plus ``path``. Build the model with
        :func:`cio_analytics.continuity.service_from_spec` and the options with
        :func:`cio_analytics.continuity.options_from_spec`.

    Examples
    --------
    >>> spec = read_service_structure("data/sample/continuity/online_ordering.yaml")
    >>> spec["root"], spec["blocks"]["web_tier"]["k"], len(spec["options"])
    ('ordering', 2, 3)
    """
    data, ctx = read_yaml(path)
    name = ctx.path
    ck = _Checker(name)
    if not isinstance(data, dict) or not isinstance(data.get("components"), dict):
        raise DataFileError("must be a mapping with `components:`, `blocks:` and `root:`.",
                            path=name)  # fmt: skip
    spec: dict[str, Any] = {
        "service": str(data.get("service", "service")),
        "currency": str(data.get("currency", "EUR")).upper(),
        "hours_per_year": ck.number(
            data.get("hours_per_year", 8760), "hours_per_year", strict=True
        ),
        "root": data.get("root"),
    }
    if data.get("sla_availability") is not None:
        spec["sla_availability"] = ck.availability(data["sla_availability"], "sla_availability")
    cost = data.get("outage_cost_per_h", 0)
    values = cost if isinstance(cost, list) else [cost]
    if len(values) not in (1, 24):
        raise ck.fail("outage_cost_per_h", f"give one number or 24 (one per hour of the day, "
                      f"from 00:00), got {len(values)}.")  # fmt: skip
    costs = [ck.number(v, f"outage_cost_per_h[{i}]") for i, v in enumerate(values)]
    spec["outage_cost_per_h"] = costs if isinstance(cost, list) else costs[0]
    spec["components"] = {str(n): ck.component(str(n), s) for n, s in data["components"].items()}
    blocks = data.get("blocks") or {}
    if not isinstance(blocks, dict):
        raise ck.fail("blocks", "must be a mapping name -> block.")
    clash = sorted(set(map(str, blocks)) & set(spec["components"]))
    if clash:
        raise ck.fail(f"blocks.{clash[0]}", "has the name of a component. Rename one.")
    spec["blocks"] = {str(k): v for k, v in blocks.items()}
    ck.structure(spec)
    spec["options"] = [_option(ck, spec, i, o) for i, o in enumerate(data.get("options") or [])]
    names = [o["name"] for o in spec["options"]]
    if len(set(names)) != len(names):
        raise ck.fail("options", f"option names must be unique, got {names}.")
    spec["path"] = name
    return spec


def _option(ck: _Checker, spec: dict[str, Any], i: int, raw: Any) -> dict[str, Any]:
    key = f"options[{i}]"
    if not isinstance(raw, Mapping) or not str(raw.get("name", "")).strip():
        raise ck.fail(key, "must be a mapping with a `name`.")
    for k in raw:
        if k not in _OPTION_KEYS:
            raise ck.fail(f"{key}.{k}", f"unknown key. Allowed: {', '.join(_OPTION_KEYS)}."
                          f"{did_you_mean(str(k), _OPTION_KEYS)}")  # fmt: skip
    out = {"name": str(raw["name"]).strip(), "description": str(raw.get("description", ""))}
    for k in ("one_off_cost", "annual_cost"):
        out[k] = ck.number(raw.get(k, 0), f"{key}.{k}")
    life = raw.get("life_years", 5)
    if isinstance(life, bool) or not isinstance(life, int) or life < 1:
        raise ck.fail(f"{key}.life_years", f"must be a whole number of years >= 1, got {life!r}.")
    out["life_years"] = life
    changes = raw.get("changes") or {}
    if not isinstance(changes, Mapping) or set(changes) - {"components", "blocks", "root"}:
        raise ck.fail(f"{key}.changes", "must be a mapping with `components`, `blocks` and/or "
                      "`root` (each changed item given in full).")  # fmt: skip
    comps = {str(n): ck.component(str(n), s) for n, s in (changes.get("components") or {}).items()}
    merged = copy.deepcopy(spec)
    merged["components"].update(comps)
    merged["blocks"].update({str(n): b for n, b in (changes.get("blocks") or {}).items()})
    if "root" in changes:
        merged["root"] = changes["root"]
    sub = _Checker(ck.name)
    sub.fail = lambda k, m: DataFileError(f"option {out['name']!r}, `{k}`: {m}", path=ck.name)  # type: ignore[method-assign]
    sub.structure(merged)
    out["changes"] = {"components": comps, "blocks": dict(changes.get("blocks") or {})}
    if "root" in changes:
        out["changes"]["root"] = changes["root"]
    return out


def _table(
    path: PathLike,
    key: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    *,
    what: str,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    frame, ctx = read_table(path, sheet=sheet)
    check_columns(frame, (key, *required), (*optional, "description"), ctx, what=what)
    out = pd.DataFrame({key: texts(frame[key], key, ctx, unique=True)})
    for col in (*required, *optional):
        v = numbers(cells_of(frame, col), col, ctx, optional=col in optional, minimum=0.0)
        out[col] = np.nan_to_num(v, nan=0.0)
    out["description"] = texts(cells_of(frame, "description"), "description", ctx, optional=True)
    out.attrs["path"] = ctx.path
    return out


def read_dr_tiers(path: PathLike, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read disaster-recovery tiers: ``tier``, ``rto_h``, ``rpo_h``, ``one_off_cost``,
    ``annual_cost``, ``description`` (one row per tier, CSV or XLSX).

    Examples
    --------
    >>> t = read_dr_tiers("data/sample/continuity/dr_tiers.csv")
    >>> t["tier"].iloc[0], float(t["rto_h"].iloc[0])
    ('Backup and restore', 72.0)
    """
    out = _table(path, "tier", ("rto_h", "rpo_h", "annual_cost"), ("one_off_cost",),
                 what="a DR tier table", sheet=sheet)  # fmt: skip
    return out


def read_disaster_scenarios(path: PathLike, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read disaster scenarios: ``scenario``, ``events_per_year``, ``outage_cost_per_h``,
    ``data_loss_cost_per_h``, ``fixed_cost_per_event``, ``description``.

    Examples
    --------
    >>> s = read_disaster_scenarios("data/sample/continuity/disaster_scenarios.csv")
    >>> len(s), float(s["events_per_year"].sum())
    (3, 0.25)
    """
    required = ("events_per_year", "outage_cost_per_h", "data_loss_cost_per_h")
    out = _table(path, "scenario", required, ("fixed_cost_per_event",),
                 what="a disaster scenario table", sheet=sheet)  # fmt: skip
    return out
