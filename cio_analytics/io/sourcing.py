"""Readers for sourcing decisions: vendor offers, volume forecast, scoring, and the SLA.

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
SLA data (CSV/XLSX)
    ``month`` (``YYYY-MM``, one row per month), ``monthly_fee`` and one column per metric
    (decimals: 0.9985 for 99.85 %).
SLA contract (YAML)
    ``provider``, ``currency``, optional ``credit_cap`` (share of the monthly fee) and
    ``metrics``: a mapping metric -> ``{target, direction, bands}`` with bands
    ``{below: threshold, credit: share}`` (higher is better) or ``{above: ..., credit: ...}``
    (lower is better), listed from the mildest to the deepest.

A broken file raises :class:`~cio_analytics.exceptions.DataFileError` naming the file, the row
(spreadsheet numbering, header is row 1) or YAML item, the column, the rule, the value and the
fix. The readers return plain validated data; the models are in :mod:`cio_analytics.sourcing`.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._validation import did_you_mean
from ..exceptions import DataFileError
from . import _columns
from ._as_of import keep_last_months, keep_up_to
from ._columns import (
    FileContext,
    currencies,
    integers,
    is_missing,
    money,
    numbers,
    rates,
    scalar,
)
from ._tables import check_columns, check_keys, read_table, read_yaml, require_columns

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

PathLike = str | os.PathLike[str]
#: Money and volumes in the sourcing files are positive amounts.
_AMOUNT = {
    "minimum": 0.0,
    "fix": "Prices, fees and volumes are positive amounts; enter the size of the cost.",
}


def _yaml(path: PathLike, parameter: str) -> tuple[dict, FileContext]:
    data, ctx = read_yaml(path, parameter=parameter)
    if not isinstance(data, dict):
        raise DataFileError("must hold a mapping of settings (key: value).", path=ctx.path)
    return data, ctx


def _currency(value: Any, ctx: FileContext) -> str:
    return str(scalar(currencies, value, "currency", ctx))


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


def _tiers(raw: Any, at: FileContext, offer: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise at.error(
            "tiers",
            "needs a list of tiers.",
            raw,
            "Add `tiers: [{from_volume: 0, unit_price: 9.5}]` (one tier for a flat price).",
        )
    rows, prev = [], None
    for k, tier in enumerate(raw, start=1):
        t_at = at.at(f"{at.item}, tier {k}")
        if not isinstance(tier, dict):
            raise t_at.error("tiers", "must be a mapping {from_volume, unit_price}.", tier, "")
        start = scalar(numbers, tier.get("from_volume"), "from_volume", t_at, **_AMOUNT)
        price = scalar(numbers, tier.get("unit_price"), "unit_price", t_at, **_AMOUNT)
        if prev is None and start != 0:
            raise t_at.error(
                "from_volume",
                "the first tier must start at 0.",
                start,
                "Start the first tier at 0 so every unit has a price.",
            )
        if prev is not None and start <= prev:
            raise t_at.error(
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
    data, ctx = _yaml(path, "offers_path")
    top = ctx.at("")
    check_keys(
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
    horizon = scalar(numbers, data.get("horizon_years"), "horizon_years", top, minimum=1.0)
    if horizon != int(horizon):
        raise top.error("horizon_years", "must be a whole number of years.", horizon, "E.g. 5.")
    rate = scalar(rates, data.get("discount_rate"), "discount_rate", top, interval="(-1, 1]")
    offers = data.get("offers")
    if not isinstance(offers, list) or not offers:
        raise top.error(
            "offers", "needs a list of offers.", offers, "Add `offers:` with one item per vendor."
        )
    rows, tiers, seen = [], [], set()
    for i, raw in enumerate(offers, start=1):
        at = ctx.at(f"offer {i}")
        if not isinstance(raw, dict):
            raise at.error("offers", "must be a mapping.", raw, "Write `- name: Vendor A` ...")
        check_keys(raw, _OFFER_KEYS, at)
        label = raw.get("name")
        if is_missing(label):
            raise at.error("name", "every offer needs a name.", label, "Name the vendor.")
        label = str(label).strip()
        if label in seen:
            raise at.error("name", "offer names must be unique.", label, "Rename one of them.")
        seen.add(label)
        at = ctx.at(f"offer {i} ({label})")
        scheme_raw = raw.get("scheme", "graduated")
        scheme = _SCHEMES.get(str(scheme_raw).strip().lower())
        if scheme is None:
            raise at.error(
                "scheme",
                f"unknown tier scheme.{did_you_mean(str(scheme_raw), _SCHEMES)}",
                scheme_raw,
                "Use graduated (each unit at its tier's price) or all_units.",
            )
        opt = {k: raw.get(k, 0) for k in ("one_off", "recurring", "exit_cost", "committed_volume")}
        rows.append(
            {
                "name": label,
                **{
                    k: scalar(numbers, v if not is_missing(v) else 0, k, at, **_AMOUNT)
                    for k, v in opt.items()
                },
                "escalation": scalar(
                    rates,
                    raw.get("escalation", 0) or 0,
                    "escalation",
                    at,
                    interval="(-1, 1]",
                ),
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
        path=ctx.path,
        sha256=ctx.sha256,
    )


def read_volume_forecast(path: PathLike, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a yearly volume forecast (``year, low, likely, high``) from CSV or XLSX.

    Parameters
    ----------
    path : str or PathLike
        CSV or XLSX file, relative to the project root or absolute.
    sheet : str or int, optional
        The worksheet of an XLSX file (name or 0-based position); default the first.

    Returns
    -------
    pandas.DataFrame
        ``year`` (int), ``low``, ``likely``, ``high`` (float); ``attrs["path"]``, ``["sha256"]``.

    Examples
    --------
    >>> read_volume_forecast("data/sample/sourcing/volume_forecast.csv")["year"].tolist()
    [1, 2, 3, 4, 5]
    """
    frame, ctx = read_table(path, parameter="volume_path", sheet=sheet)
    check_columns(frame, ("year", "low", "likely", "high"), (), ctx, what="a volume forecast")
    years = integers(frame["year"], "year", ctx, minimum=1, maximum=100.0,
                     fix="Number the contract years 1, 2, 3, ...")  # fmt: skip
    off = np.flatnonzero(years != np.arange(1, len(years) + 1))
    if off.size:
        p = int(off[0])
        raise ctx.error(
            "year", f"years must run 1, 2, 3, ... in order; expected {p + 1}.",
            frame["year"].iloc[p],
            "Number the years from 1 (the first contract year) without gaps or repeats.", pos=p,
        )  # fmt: skip
    low, likely, high = (numbers(frame[c], c, ctx, **_AMOUNT) for c in ("low", "likely", "high"))
    bad = np.flatnonzero((low > likely) | (likely > high))
    if bad.size:
        p = int(bad[0])
        raise ctx.error(
            "likely", f"need low <= likely <= high; low is {low[p]:g}, high {high[p]:g}.",
            frame["likely"].iloc[p], "Check the order of the three estimates.", pos=p,
        )  # fmt: skip
    out = pd.DataFrame({"year": years, "low": low, "likely": likely, "high": high})
    out.attrs.update(path=ctx.path, sha256=ctx.sha256)
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
    data, ctx = _yaml(path, "scoring_path")
    top = ctx.at("")
    check_keys(data, ("criteria", "scores", "description"), top)
    raw_criteria = data.get("criteria")
    if not isinstance(raw_criteria, list) or not raw_criteria:
        raise top.error(
            "criteria",
            "needs a list of criteria.",
            raw_criteria,
            "Add `criteria:` items with criterion and weight.",
        )
    rows = []
    for i, raw in enumerate(raw_criteria, start=1):
        at = ctx.at(f"criterion {i}")
        if not isinstance(raw, dict) or is_missing(raw.get("criterion")):
            raise at.error("criterion", "every criterion needs a name.", raw, "")
        at = ctx.at(f"criterion {i} ({raw['criterion']})")
        direction = str(raw.get("direction", "higher")).strip().lower()
        if direction not in ("higher", "lower"):
            raise at.error(
                "direction",
                "must be higher or lower.",
                direction,
                "higher: more is better (quality); lower: less is better (price).",
            )
        method = str(raw.get("method", "ratio")).strip().lower()
        if method not in ("ratio", "minmax", "scale"):
            raise at.error(
                "method",
                f"unknown normalisation.{did_you_mean(method, ('ratio', 'minmax', 'scale'))}",
                method,
                "Use ratio, minmax or scale.",
            )
        lo, hi = raw.get("scale_min"), raw.get("scale_max")
        if method == "scale":
            lo, hi = (
                scalar(numbers, lo, "scale_min", at),
                scalar(numbers, hi, "scale_max", at),
            )
            if not lo < hi:
                raise at.error(
                    "scale_max", f"must be above scale_min ({lo:g}).", hi, "E.g. 1 and 5."
                )
        source = raw.get("source")
        if source is not None and source != "tco":
            raise at.error("source", "the only source is tco.", source, "Remove it or write tco.")
        rows.append(
            {
                "criterion": str(raw["criterion"]).strip(),
                "weight": scalar(numbers, raw.get("weight"), "weight", at, **_AMOUNT),
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
        raise top.error(
            "weight",
            "the weights must sum to 1.",
            total,
            f"Divide each weight by their total ({fixed}); weights are decimals (0.4 for 40 %).",
        )
    tco = criteria.loc[criteria["source"] == "tco", "criterion"].tolist()
    if len(tco) > 1:
        raise top.error("source", "only one criterion can come from the TCO.", tco, "")
    marked = [c for c in criteria["criterion"] if c not in tco]
    raw_scores = data.get("scores")
    if not isinstance(raw_scores, dict) or not raw_scores:
        raise top.error(
            "scores",
            "needs a mapping offer -> marks.",
            raw_scores,
            "Add `scores:` with one entry per offer.",
        )
    table = {}
    for offer, marks in raw_scores.items():
        at = ctx.at(f"scores of {offer}")
        if not isinstance(marks, dict):
            raise at.error("scores", "must be a mapping criterion -> value.", marks, "")
        check_keys(marks, marked, at)
        table[str(offer)] = {c: scalar(numbers, marks.get(c), c, at) for c in marked}
    scores = pd.DataFrame.from_dict(table, orient="index", columns=marked)
    return ScoringSpec(criteria, scores, tco[0] if tco else None, ctx.path, ctx.sha256)


def read_sla_data(
    path: PathLike,
    *,
    sheet: str | int | None = None,
    as_of: Any = None,
    months: int | None = None,
) -> pd.DataFrame:
    """Read monthly SLA measurements (``month, monthly_fee``, one column per metric).

    Every column other than ``month`` and ``monthly_fee`` is a metric, so no column is
    unknown; months are ISO (``2026-01``).

    Parameters
    ----------
    path : str or PathLike
        CSV or XLSX file, relative to the project root or absolute.
    sheet : str or int, optional
        The worksheet of an XLSX file (name or 0-based position); default the first.
    as_of : date or str, optional
        Keep only the months dated up to this date (``"2026-09-30"``, ``"2026-09"`` or a quarter
        ``"2026Q3"``: the period a report is built for); a file with none is refused.
    months : int, optional
        Keep only the last ``months`` months (up to ``as_of``), e.g. 18 for a year and a half
        of trend whatever older months the file holds; default every month.

    Returns
    -------
    pandas.DataFrame
        ``month`` (pandas Period, monthly), ``monthly_fee`` and the metric columns (float),
        sorted by month.

    Examples
    --------
    >>> sla = read_sla_data("data/sample/sourcing/sla_monthly.csv")
    >>> len(sla), str(sla["month"].iloc[0])
    (21, '2025-01')
    >>> recent = read_sla_data("data/sample/sourcing/sla_monthly.csv", as_of="2026Q3", months=18)
    >>> len(recent), str(recent["month"].iloc[0]), str(recent["month"].iloc[-1])
    (18, '2025-04', '2026-09')
    """
    frame, ctx = read_table(path, parameter="sla_path", sheet=sheet)
    require_columns(frame, ("month", "monthly_fee"), ctx)
    metrics = [c for c in frame.columns if c not in ("month", "monthly_fee")]
    if not metrics:
        raise DataFileError(
            "has no metric columns. Add one column per SLA metric (e.g. availability).",
            path=ctx.path,
        )
    month = _columns.months(frame["month"], "month", ctx, date_format="%Y-%m").dt.to_period("M")
    dup = np.flatnonzero(month.duplicated().to_numpy())
    if dup.size:
        p = int(dup[0])
        first = int(np.flatnonzero((month == month.iloc[p]).to_numpy())[0])
        raise ctx.error(
            "month", f"duplicate month: {month.iloc[p]} is already on row {ctx.row(first)}.",
            frame["month"].iloc[p], "Keep one row per month.", pos=p,
        )  # fmt: skip
    out = pd.DataFrame({"month": month, "monthly_fee": money(frame["monthly_fee"], "monthly_fee",
                                                             ctx, **_AMOUNT)})  # fmt: skip
    for m in metrics:
        out[m] = numbers(frame[m], m, ctx)
    out = out.sort_values("month", kind="stable").reset_index(drop=True)
    out.attrs.update(path=ctx.path, sha256=ctx.sha256)
    out = keep_up_to(out, "month", as_of, path=ctx.path, what="SLA months", monthly=True)
    return keep_last_months(out, "month", months)


@dataclass(frozen=True)
class SLAContract:
    """A validated SLA contract: penalty bands per metric and the monthly credit cap.

    Attributes
    ----------
    provider, currency : str
    credit_cap : float or None
        Most credit in a month, share of the monthly fee.
    bands : pandas.DataFrame
        ``metric, target, direction, threshold, credit``, mildest band first per metric.
    path, sha256 : str
    """

    provider: str
    currency: str
    credit_cap: float | None
    bands: pd.DataFrame
    path: str
    sha256: str


def read_sla_contract(path: PathLike) -> SLAContract:
    """Read an SLA contract's targets and penalty bands from a YAML file.

    Examples
    --------
    >>> c = read_sla_contract("data/sample/sourcing/sla_contract.yaml")
    >>> c.credit_cap, c.bands.query("metric == 'availability'")["credit"].tolist()
    (0.15, [0.05, 0.1, 0.15])
    """
    data, ctx = _yaml(path, "contract_path")
    top = ctx.at("")
    check_keys(data, ("provider", "currency", "credit_cap", "metrics", "description"), top)
    cap = data.get("credit_cap")
    cap = None if is_missing(cap) else scalar(rates, cap, "credit_cap", top)
    metrics = data.get("metrics")
    if not isinstance(metrics, dict) or not metrics:
        raise top.error(
            "metrics",
            "needs a mapping metric -> target and bands.",
            metrics,
            "Add `metrics: {availability: {target: 0.999, bands: [...]}}`.",
        )
    rows = []
    for metric, spec in metrics.items():
        at = ctx.at(f"metric {metric}")
        if not isinstance(spec, dict):
            raise at.error(
                str(metric), "must be a mapping with target, direction, bands.", spec, ""
            )
        direction = str(spec.get("direction", "higher")).strip().lower()
        if direction not in ("higher", "lower"):
            raise at.error(
                "direction",
                "must be higher or lower.",
                direction,
                "higher: more is better (availability); lower: less is better.",
            )
        key = "below" if direction == "higher" else "above"
        target = scalar(numbers, spec.get("target"), "target", at)
        bands = spec.get("bands")
        if not isinstance(bands, list) or not bands:
            raise at.error(
                "bands",
                "needs a list of penalty bands.",
                bands,
                f"Add `bands: [{{{key}: {target:g}, credit: 0.05}}]`.",
            )
        prev_t = prev_c = None
        for k, band in enumerate(bands, start=1):
            b_at = ctx.at(f"metric {metric}, band {k}")
            if not isinstance(band, dict) or key not in band:
                raise b_at.error(
                    key,
                    f"each band needs `{key}` (direction {direction}) and `credit`.",
                    band,
                    f"Write {{{key}: 0.995, credit: 0.10}}.",
                )
            thr = scalar(numbers, band[key], key, b_at)
            credit = scalar(rates, band.get("credit"), "credit", b_at)
            if k == 1 and (
                (direction == "higher" and thr > target) or (direction == "lower" and thr < target)
            ):
                raise b_at.error(
                    key,
                    f"the first band lies on the good side of the target {target:g}.",
                    thr,
                    "A month that meets the target must not pay a credit.",
                )
            if prev_t is not None:
                worse = thr < prev_t if direction == "higher" else thr > prev_t
                if not worse:
                    raise b_at.error(
                        key,
                        f"penalty bands not ordered: list them from the mildest to the deepest, "
                        f"each {key} a worse level than the previous band ({prev_t:g}).",
                        thr,
                        "Sort the bands by threshold and remove duplicates.",
                    )
                if credit <= prev_c:
                    raise b_at.error(
                        "credit",
                        f"penalty bands not ordered: a deeper band must earn a larger "
                        f"credit than the previous band ({prev_c:g}).",
                        credit,
                        "Raise this credit or correct the previous one.",
                    )
            rows.append(
                {
                    "metric": str(metric),
                    "target": target,
                    "direction": direction,
                    "threshold": thr,
                    "credit": credit,
                }
            )
            prev_t, prev_c = thr, credit
    return SLAContract(
        provider=str(data.get("provider", "")),
        currency=_currency(data.get("currency", "EUR"), top),
        credit_cap=cap,
        bands=pd.DataFrame(rows),
        path=ctx.path,
        sha256=ctx.sha256,
    )
