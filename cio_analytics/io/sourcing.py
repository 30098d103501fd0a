"""Readers for sourcing decisions: vendor offers, yearly volume forecast, scoring criteria.

Offers (YAML)
    ``name``, ``currency`` (three letters), ``horizon_years``, ``discount_rate`` (yearly
    decimal), optional ``volume_unit``, and ``offers``: a list of mappings with ``name``,
    ``one_off``, ``recurring`` (per year), ``escalation`` (yearly decimal), ``exit_cost``,
    ``committed_volume`` (units per year), ``scheme`` (``graduated`` or ``all_units``) and
    ``tiers`` (a list of ``{from_volume, unit_price}``, the first from 0, strictly increasing).
Volume forecast (CSV/XLSX)
    ``year`` (1..H in order), ``low``, ``likely``, ``high`` (units per year).
Scoring (YAML)
    ``criteria``: a list of ``{criterion, weight, direction, method, scale_min, scale_max,
    source}`` with weights summing to 1 (``source: tco`` takes the values from the TCO model);
    ``scores``: a mapping offer -> {criterion: value} for the other criteria.

The SLA readers (:func:`read_sla_data`, :func:`read_sla_contract`) live in
:mod:`.sourcing_sla` and are re-exported here. A broken file raises
:class:`~cio_analytics.exceptions.DataFileError` naming the file, the row (spreadsheet
numbering, header is row 1) or YAML item, the column, the rule, the value and the fix. The
readers return plain validated data; the models are in :mod:`cio_analytics.sourcing`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .._validation import did_you_mean
from ._sourcing_checks import (
    PathLike,
    _At,
    _check_keys,
    _currency,
    _load_table,
    _load_yaml,
    _missing,
    _number,
    _rate,
)
from .sourcing_sla import SLAContract, read_sla_contract, read_sla_data

__all__ = [
    "OffersSpec",
    "SLAContract",
    "ScoringSpec",
    "read_offers",
    "read_scoring",
    "read_sla_contract",
    "read_sla_data",
    "read_volume_forecast",
]

_SCHEMES = {
    "graduated": "graduated",
    "incremental": "graduated",
    "all_units": "all_units",
    "all-units": "all_units",
    "volume": "all_units",
}
_OFFER_KEYS = (
    "name",
    "one_off",
    "recurring",
    "escalation",
    "exit_cost",
    "committed_volume",
    "scheme",
    "tiers",
    "description",
)
_WEIGHT_TOL = 1e-6


@dataclass(frozen=True)
class OffersSpec:
    """A validated offers file.

    Attributes
    ----------
    name, currency, volume_unit : str
    horizon_years : int
    discount_rate : float
        Yearly decimal.
    offers : pandas.DataFrame
        ``name, one_off, recurring, escalation, exit_cost, committed_volume, scheme``.
    tiers : pandas.DataFrame
        ``offer, tier, from_volume, unit_price``.
    path, sha256 : str
    """

    name: str
    currency: str
    volume_unit: str
    horizon_years: int
    discount_rate: float
    offers: pd.DataFrame
    tiers: pd.DataFrame
    path: str
    sha256: str


def _tiers(raw: Any, at: _At, offer: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise at.fail(
            "tiers",
            "needs a list of tiers.",
            raw,
            "Add `tiers: [{from_volume: 0, unit_price: 9.5}]` (one tier for a flat price).",
        )
    rows, prev = [], None
    for k, tier in enumerate(raw, start=1):
        t_at = _At(at.path, item=f"{at.item}, tier {k}")
        if not isinstance(tier, dict):
            raise t_at.fail("tiers", "must be a mapping {from_volume, unit_price}.", tier, "")
        start = _number(tier.get("from_volume"), t_at, "from_volume")
        price = _number(tier.get("unit_price"), t_at, "unit_price")
        if prev is None and start != 0:
            raise t_at.fail(
                "from_volume",
                "the first tier must start at 0.",
                start,
                "Start the first tier at 0 so every unit has a price.",
            )
        if prev is not None and start <= prev:
            raise t_at.fail(
                "from_volume",
                f"tiers must start at strictly increasing volumes; the previous tier starts at "
                f"{prev:g}, so this one is not increasing or overlaps it.",
                start,
                "List the tiers in increasing order of from_volume, without duplicates.",
            )
        rows.append({"offer": offer, "tier": k, "from_volume": start, "unit_price": price})
        prev = start
    return rows


def read_offers(path: PathLike) -> OffersSpec:
    """Read and validate vendor offers from a YAML file.

    Parameters
    ----------
    path : str or path-like
        Absolute, or relative to the working directory or the project root.

    Returns
    -------
    OffersSpec
        Build the models with :func:`cio_analytics.sourcing.offers_from_spec`.

    Examples
    --------
    >>> spec = read_offers("data/sample/sourcing/offers.yaml")
    >>> spec.horizon_years, list(spec.offers["name"])
    (5, ['Vendor A', 'Vendor B', 'Vendor C'])
    """
    data, name, digest = _load_yaml(path, "offers_path")
    top = _At(name)
    _check_keys(
        data,
        (
            "name",
            "description",
            "currency",
            "horizon_years",
            "discount_rate",
            "volume_unit",
            "offers",
        ),
        top,
    )
    horizon = _number(data.get("horizon_years"), top, "horizon_years", minimum=1)
    if horizon != int(horizon):
        raise top.fail("horizon_years", "must be a whole number of years.", horizon, "E.g. 5.")
    rate = _rate(data.get("discount_rate"), top, "discount_rate")
    offers = data.get("offers")
    if not isinstance(offers, list) or not offers:
        raise top.fail(
            "offers", "needs a list of offers.", offers, "Add `offers:` with one item per vendor."
        )
    rows, tiers, seen = [], [], set()
    for i, raw in enumerate(offers, start=1):
        at = _At(name, item=f"offer {i}")
        if not isinstance(raw, dict):
            raise at.fail("offers", "must be a mapping.", raw, "Write `- name: Vendor A` ...")
        _check_keys(raw, _OFFER_KEYS, at)
        label = raw.get("name")
        if _missing(label):
            raise at.fail("name", "every offer needs a name.", label, "Name the vendor.")
        label = str(label).strip()
        if label in seen:
            raise at.fail("name", "offer names must be unique.", label, "Rename one of them.")
        seen.add(label)
        at = _At(name, item=f"offer {i} ({label})")
        scheme_raw = raw.get("scheme", "graduated")
        scheme = _SCHEMES.get(str(scheme_raw).strip().lower())
        if scheme is None:
            raise at.fail(
                "scheme",
                f"unknown tier scheme.{did_you_mean(str(scheme_raw), _SCHEMES)}",
                scheme_raw,
                "Use graduated (each unit at its tier's price) or all_units.",
            )
        opt = {k: raw.get(k, 0) for k in ("one_off", "recurring", "exit_cost", "committed_volume")}
        rows.append(
            {
                "name": label,
                **{k: _number(v if not _missing(v) else 0, at, k) for k, v in opt.items()},
                "escalation": _rate(raw.get("escalation", 0) or 0, at, "escalation"),
                "scheme": scheme,
            }
        )
        tiers += _tiers(raw.get("tiers"), at, label)
    return OffersSpec(
        name=str(data.get("name", "")),
        currency=_currency(data.get("currency"), top),
        volume_unit=str(data.get("volume_unit", "units")),
        horizon_years=int(horizon),
        discount_rate=rate,
        offers=pd.DataFrame(rows),
        tiers=pd.DataFrame(tiers),
        path=name,
        sha256=digest,
    )


def read_volume_forecast(path: PathLike) -> pd.DataFrame:
    """Read a yearly volume forecast (``year, low, likely, high``) from CSV or XLSX.

    Returns
    -------
    pandas.DataFrame
        ``year`` (int), ``low``, ``likely``, ``high`` (float); ``attrs["path"]``, ``["sha256"]``.

    Examples
    --------
    >>> read_volume_forecast("data/sample/sourcing/volume_forecast.csv")["year"].tolist()
    [1, 2, 3, 4, 5]
    """
    frame, name, digest = _load_table(path, "volume_path", ("year", "low", "likely", "high"))
    rows = []
    for pos, raw in enumerate(frame.to_dict("records")):
        at = _At(name, row=pos + 2)
        year = _number(raw["year"], at, "year", minimum=1)
        if year != pos + 1:
            raise at.fail(
                "year",
                f"years must run 1, 2, 3, ... in order; expected {pos + 1}.",
                raw["year"],
                "Number the years from 1 (the first contract year) without gaps or repeats.",
            )
        low, likely, high = (_number(raw[c], at, c) for c in ("low", "likely", "high"))
        if not low <= likely <= high:
            raise at.fail(
                "likely",
                f"need low <= likely <= high; low is {low:g}, high {high:g}.",
                likely,
                "Check the order of the three estimates.",
            )
        rows.append({"year": int(year), "low": low, "likely": likely, "high": high})
    out = pd.DataFrame(rows)
    out.attrs.update(path=name, sha256=digest)
    return out


@dataclass(frozen=True)
class ScoringSpec:
    """A validated scoring file.

    Attributes
    ----------
    criteria : pandas.DataFrame
        ``criterion, weight, direction, method, scale_min, scale_max, source``.
    scores : pandas.DataFrame
        Offers (index) x criteria given in the file (not those with ``source: tco``).
    tco_criterion : str or None
        The criterion whose values come from the TCO model.
    path, sha256 : str
    """

    criteria: pd.DataFrame
    scores: pd.DataFrame
    tco_criterion: str | None
    path: str
    sha256: str


def read_scoring(path: PathLike) -> ScoringSpec:
    """Read scoring criteria, weights and marks from a YAML file.

    Examples
    --------
    >>> spec = read_scoring("data/sample/sourcing/scoring.yaml")
    >>> spec.tco_criterion, round(float(spec.criteria["weight"].sum()), 6)
    ('price', 1.0)
    """
    data, name, digest = _load_yaml(path, "scoring_path")
    top = _At(name)
    _check_keys(data, ("criteria", "scores", "description"), top)
    raw_criteria = data.get("criteria")
    if not isinstance(raw_criteria, list) or not raw_criteria:
        raise top.fail(
            "criteria",
            "needs a list of criteria.",
            raw_criteria,
            "Add `criteria:` items with criterion and weight.",
        )
    rows = []
    for i, raw in enumerate(raw_criteria, start=1):
        at = _At(name, item=f"criterion {i}")
        if not isinstance(raw, dict) or _missing(raw.get("criterion")):
            raise at.fail("criterion", "every criterion needs a name.", raw, "")
        at = _At(name, item=f"criterion {i} ({raw['criterion']})")
        direction = str(raw.get("direction", "higher")).strip().lower()
        if direction not in ("higher", "lower"):
            raise at.fail(
                "direction",
                "must be higher or lower.",
                direction,
                "higher: more is better (quality); lower: less is better (price).",
            )
        method = str(raw.get("method", "ratio")).strip().lower()
        if method not in ("ratio", "minmax", "scale"):
            raise at.fail(
                "method",
                f"unknown normalisation.{did_you_mean(method, ('ratio', 'minmax', 'scale'))}",
                method,
                "Use ratio, minmax or scale.",
            )
        lo, hi = raw.get("scale_min"), raw.get("scale_max")
        if method == "scale":
            lo, hi = (
                _number(lo, at, "scale_min", minimum=None),
                _number(hi, at, "scale_max", minimum=None),
            )
            if not lo < hi:
                raise at.fail(
                    "scale_max", f"must be above scale_min ({lo:g}).", hi, "E.g. 1 and 5."
                )
        source = raw.get("source")
        if source is not None and source != "tco":
            raise at.fail("source", "the only source is tco.", source, "Remove it or write tco.")
        rows.append(
            {
                "criterion": str(raw["criterion"]).strip(),
                "weight": _number(raw.get("weight"), at, "weight"),
                "direction": direction,
                "method": method,
                "scale_min": math.nan if method != "scale" else lo,
                "scale_max": math.nan if method != "scale" else hi,
                "source": source or "",
            }
        )
    criteria = pd.DataFrame(rows)
    total = float(criteria["weight"].sum())
    if abs(total - 1.0) > _WEIGHT_TOL:
        fixed = (
            ", ".join(f"{r.criterion} {r.weight / total:.3f}" for r in criteria.itertuples())
            if total > 0
            else ""
        )
        raise top.fail(
            "weight",
            "the weights must sum to 1.",
            total,
            f"Divide each weight by their total ({fixed}); weights are decimals (0.4 for 40 %).",
        )
    tco = criteria.loc[criteria["source"] == "tco", "criterion"].tolist()
    if len(tco) > 1:
        raise top.fail("source", "only one criterion can come from the TCO.", tco, "")
    marked = [c for c in criteria["criterion"] if c not in tco]
    raw_scores = data.get("scores")
    if not isinstance(raw_scores, dict) or not raw_scores:
        raise top.fail(
            "scores",
            "needs a mapping offer -> marks.",
            raw_scores,
            "Add `scores:` with one entry per offer.",
        )
    table = {}
    for offer, marks in raw_scores.items():
        at = _At(name, item=f"scores of {offer}")
        if not isinstance(marks, dict):
            raise at.fail("scores", "must be a mapping criterion -> value.", marks, "")
        for key in marks:
            if key not in marked:
                raise at.fail(
                    str(key),
                    f"not a marked criterion.{did_you_mean(str(key), marked)}",
                    key,
                    f"Use {', '.join(marked)}.",
                )
        table[str(offer)] = {c: _number(marks.get(c), at, c, minimum=None) for c in marked}
    scores = pd.DataFrame.from_dict(table, orient="index", columns=marked)
    return ScoringSpec(criteria, scores, tco[0] if tco else None, name, digest)
