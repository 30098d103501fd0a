"""A business service as a tree of components: series, parallel and k-of-n blocks.

:meth:`ServiceModel.from_spec` builds a :class:`ServiceModel` from a plain mapping (the YAML of
:func:`cio_analytics.io.read_service_structure`, or a dict written in code)::

    {"service": "Online ordering", "currency": "EUR", "sla_availability": 0.999,
     "outage_cost_per_h": 20000,                 # or 24 values, one per hour of the day
     "root": "ordering",
     "blocks": {"ordering": {"type": "series", "children": ["network", "web", "db"]},
                "web": {"type": "k_of_n", "k": 2, "children": ["web1", "web2", "web3"]},
                "db": {"type": "parallel", "children": ["db_primary", "db_replica"]}},
     "components": {"network": {"availability": 0.9995},
                    "web1": {"mtbf_h": 2000, "mttr_h": 4}, ...}}

A child is the name of a component or block, or an inline block mapping. Each component may
appear once (the block formulas assume independent, distinct components); cycles between
blocks are refused.

Component inputs (one of three forms)
    ``availability`` (in [0, 1]): analytic only, cannot be simulated;
    ``mtbf_h`` (mean up time between failures, hours) with ``mttr_h`` or ``restore_h``;
    ``failures_per_year`` (calendar frequency) with ``mttr_h`` or ``restore_h``.
    ``restore_h`` is a number (fixed) or a distribution mapping ``{distribution: pert|
    triangular|uniform|lognormal, low, most_likely, high}`` (lognormal: ``low``/``high`` a 90 %
    interval); its mean is the MTTR.
"""

from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._deprecation import deprecated_alias
from .._validation import did_you_mean, short_repr
from ..exceptions import ParameterError
from ..risk import PERT, Distribution, LogNormal, Triangular, Uniform

__all__ = ["Block", "Component", "ServiceModel", "make_restore", "service_from_spec"]

BLOCK_TYPES = ("series", "parallel", "k_of_n")
_COMPONENT_KEYS = ("availability", "mtbf_h", "mttr_h", "failures_per_year", "restore_h",
                   "description")  # fmt: skip


def _num(value: Any, where: str, *, minimum: float | None = 0.0, strict: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ParameterError(f"{where} must be a number. Got {short_repr(value)}.")
    out = float(value)
    if not math.isfinite(out):
        raise ParameterError(f"{where} must be finite. Got {out}.")
    if minimum is not None and (out <= minimum if strict else out < minimum):
        rule = "greater than" if strict else "at least"
        raise ParameterError(f"{where} must be {rule} {minimum:g}. Got {out:g}.")
    return out


def check_availability(value: Any, where: str) -> float:
    """An availability in [0, 1]; 99.9 gets the "use 0.999 for 99.9 %" hint."""
    a = _num(value, where, minimum=None)
    if not 0.0 <= a <= 1.0:
        hint = f" Availabilities are decimals: use {a / 100:g} for {a:g} %." if a > 1 else ""
        raise ParameterError(f"{where} must be in [0, 1]. Got {a:g}.{hint}")
    return a


def make_restore(spec: Any, where: str) -> float | Distribution:
    """A restore time in hours: a number (fixed) or a distribution from a mapping.

    Examples
    --------
    >>> make_restore({"distribution": "pert", "low": 1, "most_likely": 2, "high": 6}, "x").mean()
    2.5
    """
    if not isinstance(spec, Mapping):
        return _num(spec, where, minimum=0.0)
    kind = str(spec.get("distribution", "pert")).lower()
    try:
        lo, hi = float(spec["low"]), float(spec["high"])
        if lo < 0:
            raise ParameterError(f"{where}.low must be 0 or more hours. Got {lo:g}.")
        if kind == "pert":
            return PERT(lo, float(spec["most_likely"]), hi)
        if kind == "triangular":
            return Triangular(lo, float(spec["most_likely"]), hi)
        if kind == "uniform":
            return Uniform(lo, hi)
        if kind == "lognormal":
            return LogNormal.from_interval(lo, hi, float(spec.get("confidence", 0.9)))
    except KeyError as exc:
        raise ParameterError(f"{where} ({kind}) needs `{exc.args[0]}`.") from None
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"{where}: {exc}") from None
    choices = ("pert", "triangular", "uniform", "lognormal")
    raise ParameterError(
        f"{where}: unknown distribution {kind!r}. Use one of {', '.join(choices)}."
        f"{did_you_mean(kind, choices)}"
    )


@dataclass(frozen=True)
class Component:
    """One component: its steady-state availability and, when known, failures and restores.

    Build it with :meth:`from_spec`; ``availability`` is ``MTBF / (MTBF + MTTR)``,
    ``failures_per_year`` the calendar frequency ``hours_per_year / (MTBF + MTTR)``.
    """

    name: str
    availability: float
    failures_per_year: float | None = None
    mttr_h: float | None = None
    restore_h: float | Distribution | None = None

    @property
    def can_simulate(self) -> bool:
        """True when failures and restore times are known (needed by the Monte Carlo)."""
        return self.failures_per_year is not None and self.restore_h is not None

    @classmethod
    def from_spec(cls, name: str, spec: Mapping[str, Any], hours_per_year: float) -> Component:
        """Validate one component mapping (see the module docstring for the three forms)."""
        where = f"components.{name}"
        if not isinstance(spec, Mapping):
            raise ParameterError(f"`{where}` must be a mapping. Got {short_repr(spec)}.")
        for key in spec:
            if key not in _COMPONENT_KEYS:
                raise ParameterError(f"`{where}` has unknown key {key!r}. Allowed: "
                                     f"{', '.join(_COMPONENT_KEYS)}.{did_you_mean(key, _COMPONENT_KEYS)}")  # fmt: skip
        has = {k for k in _COMPONENT_KEYS if spec.get(k) is not None}
        if "mttr_h" in has and "restore_h" in has:
            raise ParameterError(f"`{where}`: give `mttr_h` or `restore_h`, not both (the MTTR "
                                 "is the mean of `restore_h`).")  # fmt: skip
        if "mtbf_h" in has and "failures_per_year" in has:
            raise ParameterError(f"`{where}`: give `mtbf_h` or `failures_per_year`, not both.")
        if "availability" in has:
            if has & {"mtbf_h", "failures_per_year", "mttr_h", "restore_h"}:
                raise ParameterError(f"`{where}`: give `availability` alone, or failures "
                                     "(`mtbf_h` or `failures_per_year`) with `mttr_h`/`restore_h`; "
                                     "not both.")  # fmt: skip
            return cls(name, check_availability(spec["availability"], f"`{where}.availability`"))
        if not has & {"mtbf_h", "failures_per_year"} or not has & {"mttr_h", "restore_h"}:
            raise ParameterError(f"`{where}` needs `availability`, or `mtbf_h`/`failures_per_year`"
                                 " with `mttr_h`/`restore_h`. Got keys "
                                 f"{sorted(spec)}.")  # fmt: skip
        if "mttr_h" in has:
            mttr = _num(spec["mttr_h"], f"`{where}.mttr_h`")
            restore: float | Distribution = mttr
        else:
            restore = make_restore(spec["restore_h"], f"`{where}.restore_h`")
            mttr = float(restore) if isinstance(restore, float) else float(restore.mean())
        if "mtbf_h" in has:
            mtbf = _num(spec["mtbf_h"], f"`{where}.mtbf_h`", strict=True)
            freq = hours_per_year / (mtbf + mttr)
            avail = mtbf / (mtbf + mttr)
        else:
            freq = _num(spec["failures_per_year"], f"`{where}.failures_per_year`")
            down = freq * mttr / hours_per_year
            if down >= 1:
                raise ParameterError(f"`{where}`: {freq:g} failures a year of {mttr:g} h each "
                                     f"exceed the {hours_per_year:g} h in a year. Check the units "
                                     "(failures per year, hours).")  # fmt: skip
            avail = 1.0 - down
        return cls(name, avail, freq, mttr, restore)


@dataclass(frozen=True)
class Block:
    """A series, parallel or k-of-n block; ``children`` are Blocks or component indices."""

    kind: str
    children: tuple[Block | int, ...]
    k: int = 1
    name: str = ""


@dataclass(frozen=True)
class ServiceModel:
    """A business service: components, their structure, the SLA and the cost of an outage.

    Build it with :meth:`ServiceModel.from_spec`. ``evaluate(a)`` gives the service availability
    for component availabilities ``a`` (last axis = components, in ``component_names`` order).
    """

    name: str
    components: tuple[Component, ...]
    root: Block
    currency: str = "EUR"
    sla_availability: float | None = None
    outage_cost_per_h: tuple[float, ...] = (0.0,)
    hours_per_year: float = 8760.0
    spec: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> ServiceModel:
        """Build and validate a :class:`ServiceModel` from a mapping (see the module docstring).

        Raises
        ------
        ParameterError
            Availability outside [0, 1], negative MTTR, k > n, an unknown component or block,
            a component used twice, or a cycle between blocks; the message names the key.

        Examples
        --------
        >>> m = ServiceModel.from_spec({"root": "s", "blocks": {"s": {"type": "parallel",
        ...     "children": ["a", "b"]}}, "components": {"a": {"availability": 0.99},
        ...     "b": {"availability": 0.99}}})
        >>> print(f"{m.evaluate(m.component_availability()):.4f}")
        0.9999
        """
        return _service_from_spec(spec)

    @property
    def component_names(self) -> list[str]:
        """Component names in model order."""
        return [c.name for c in self.components]

    @property
    def mean_cost_per_h(self) -> float:
        """Average outage cost per hour over the day (outages equally likely at any hour)."""
        return float(np.mean(self.outage_cost_per_h))

    def component_availability(self) -> np.ndarray:
        """The components' availabilities as an array."""
        return np.array([c.availability for c in self.components])

    def evaluate(self, a: Any) -> Any:
        """Service availability for component availabilities ``a`` of shape ``(..., n)``."""
        arr = np.asarray(a, dtype=float)
        if arr.shape[-1:] != (len(self.components),):
            raise ParameterError(f"`a` must end with one value per component "
                                 f"({len(self.components)}). Got shape {arr.shape}.")  # fmt: skip
        out = _evaluate(self.root, arr)
        return float(out) if np.ndim(out) == 0 else out

    def with_changes(self, changes: Mapping[str, Any]) -> ServiceModel:
        """A copy with ``changes = {"components": {name: full spec}, "blocks": {name: spec},
        "root": name}`` applied: a changed component or block is given in full."""
        spec = copy.deepcopy(self.spec)
        for key in changes:
            if key not in ("components", "blocks", "root"):
                raise ParameterError(f"`changes` has unknown key {key!r}. Use components, "
                                     "blocks or root.")  # fmt: skip
        for part in ("components", "blocks"):
            spec.setdefault(part, {}).update(copy.deepcopy(dict(changes.get(part) or {})))
        if "root" in changes:
            spec["root"] = changes["root"]
        return ServiceModel.from_spec(spec)


def _evaluate(node: Block | int, a: np.ndarray) -> np.ndarray:
    from .availability import k_of_n_availability

    if isinstance(node, int):
        return a[..., node]
    vals = np.stack([_evaluate(c, a) for c in node.children], axis=-1)
    if node.kind == "series":
        return np.prod(vals, axis=-1)
    if node.kind == "parallel":
        return 1.0 - np.prod(1.0 - vals, axis=-1)
    return k_of_n_availability(vals, node.k)


def _service_from_spec(spec: Mapping[str, Any]) -> ServiceModel:
    if not isinstance(spec, Mapping):
        raise ParameterError(f"`spec` must be a mapping. Got {short_repr(spec)}.")
    hours = _num(spec.get("hours_per_year", 8760.0), "`hours_per_year`", strict=True)
    comps_spec = spec.get("components")
    if not isinstance(comps_spec, Mapping) or not comps_spec:
        raise ParameterError("`components` must be a non-empty mapping name -> inputs.")
    components = tuple(Component.from_spec(str(n), s, hours) for n, s in comps_spec.items())
    index = {c.name: i for i, c in enumerate(components)}
    blocks = spec.get("blocks") or {}
    if not isinstance(blocks, Mapping):
        raise ParameterError(f"`blocks` must be a mapping name -> block. Got {short_repr(blocks)}.")
    clash = sorted(set(blocks) & set(index))
    if clash:
        raise ParameterError(f"{clash[0]!r} is both a block and a component. Rename one.")
    root_ref = spec.get("root")
    if root_ref is None:
        if len(blocks) != 1 and not isinstance(spec.get("structure"), Mapping):
            raise ParameterError("`root` is missing: name the block that is the whole service.")
        root_ref = spec.get("structure") or next(iter(blocks))
    used: dict[int, str] = {}
    root = _build(root_ref, "root", blocks, index, used, ())
    if isinstance(root, int):
        root = Block("series", (root,), name=str(root_ref))
    sla = spec.get("sla_availability")
    sla = None if sla is None else check_availability(sla, "`sla_availability`")
    cost = spec.get("outage_cost_per_h", 0.0)
    values = cost if isinstance(cost, (list, tuple)) else [cost]
    if len(values) not in (1, 24):
        raise ParameterError("`outage_cost_per_h` must be one number or 24 numbers (one per "
                             f"hour of the day, from 00:00). Got {len(values)}.")  # fmt: skip
    costs = tuple(_num(v, f"`outage_cost_per_h[{i}]`") for i, v in enumerate(values))
    return ServiceModel(
        name=str(spec.get("service", root.name or "service")),
        components=components,
        root=root,
        currency=str(spec.get("currency", "EUR")).upper(),
        sla_availability=sla,
        outage_cost_per_h=costs,
        hours_per_year=hours,
        spec=copy.deepcopy(dict(spec)),
    )


service_from_spec = deprecated_alias(
    ServiceModel.from_spec, "service_from_spec", "ServiceModel.from_spec"
)


def _build(ref, where, blocks, index, used, path) -> Block | int:
    if isinstance(ref, Mapping):
        return _build_block(ref, where, blocks, index, used, path)
    name = str(ref)
    if name in index:
        i = index[name]
        if i in used:
            raise ParameterError(f"component {name!r} is used twice ({used[i]} and {where}). "
                                 "The block formulas need each component once: put a shared "
                                 "component in series once, above the blocks that use it.")  # fmt: skip
        used[i] = where
        return i
    if name in blocks:
        if name in path:
            cycle = " -> ".join((*path[path.index(name) :], name))
            raise ParameterError(f"blocks form a cycle: {cycle}. A block cannot contain itself.")
        return _build_block(blocks[name], f"blocks.{name}", blocks, index, used, (*path, name),
                            name=name)  # fmt: skip
    known = [*index, *blocks]
    raise ParameterError(f"{where} refers to unknown component or block {name!r}."
                         f"{did_you_mean(name, known)} Define it under `components` or "
                         "`blocks`.")  # fmt: skip


def _build_block(spec, where, blocks, index, used, path, name="") -> Block:
    if not isinstance(spec, Mapping):
        raise ParameterError(f"`{where}` must be a block mapping with `type` and `children`. "
                             f"Got {short_repr(spec)}.")  # fmt: skip
    kind = str(spec.get("type", "")).lower().replace("-", "_")
    if kind not in BLOCK_TYPES:
        raise ParameterError(f"`{where}.type` must be one of {', '.join(BLOCK_TYPES)}. Got "
                             f"{spec.get('type')!r}.{did_you_mean(kind, BLOCK_TYPES)}")  # fmt: skip
    kids = spec.get("children")
    if not isinstance(kids, (list, tuple)) or not kids:
        raise ParameterError(f"`{where}.children` must be a non-empty list.")
    children = tuple(_build(c, f"{where}.children[{i}]", blocks, index, used, path)
                     for i, c in enumerate(kids))  # fmt: skip
    k = 1
    if kind == "k_of_n":
        k_raw = spec.get("k")
        if isinstance(k_raw, bool) or not isinstance(k_raw, numbers.Integral) or k_raw < 1:
            raise ParameterError(f"`{where}.k` must be a whole number >= 1 (how many children "
                                 f"must be up). Got {short_repr(k_raw)}.")  # fmt: skip
        k = int(k_raw)
        if k > len(children):
            raise ParameterError(f"`{where}`: k = {k} is more than the {len(children)} children "
                                 "(k > n). Lower k or add children.")  # fmt: skip
    return Block(kind, children, k, name or str(spec.get("name", "")))
