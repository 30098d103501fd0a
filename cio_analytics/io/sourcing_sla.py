"""Readers for a provider's SLA: monthly measurements and the contract's penalty bands.

SLA data (CSV/XLSX)
    ``month`` (``YYYY-MM``, one row per month), ``monthly_fee`` and one column per metric
    (decimals: 0.9985 for 99.85 %).
SLA contract (YAML)
    ``provider``, ``currency``, optional ``credit_cap`` (share of the monthly fee) and
    ``metrics``: a mapping metric -> ``{target, direction, bands}`` with bands
    ``{below: threshold, credit: share}`` (higher is better) or ``{above: ..., credit: ...}``
    (lower is better), listed from the mildest to the deepest.

A broken file raises :class:`~cio_analytics.exceptions.DataFileError` naming the file, the row
or YAML item, the column, the rule, the value and the fix.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pandas as pd

from ..exceptions import DataFileError
from ._sourcing_checks import (
    PathLike,
    _At,
    _check_keys,
    _currency,
    _load_table,
    _load_yaml,
    _missing,
    _number,
    _share,
)

__all__ = ["SLAContract", "read_sla_contract", "read_sla_data"]


def read_sla_data(path: PathLike) -> pd.DataFrame:
    """Read monthly SLA measurements (``month, monthly_fee``, one column per metric).

    Returns
    -------
    pandas.DataFrame
        ``month`` (pandas Period, monthly), ``monthly_fee`` and the metric columns (float),
        sorted by month.

    Examples
    --------
    >>> sla = read_sla_data("data/sample/sourcing/sla_monthly.csv")
    >>> len(sla), str(sla["month"].iloc[0])
    (18, '2025-04')
    """
    frame, name, digest = _load_table(path, "sla_path", ("month", "monthly_fee"))
    metrics = [c for c in frame.columns if c not in ("month", "monthly_fee")]
    if not metrics:
        raise DataFileError(
            "has no metric columns. Add one column per SLA metric (e.g. availability).", path=name
        )
    rows, seen = [], {}
    for pos, raw in enumerate(frame.to_dict("records")):
        at = _At(name, row=pos + 2)
        cell = raw["month"]
        if isinstance(cell, (datetime.date, pd.Timestamp)):  # an XLSX date cell
            cell = cell.strftime("%Y-%m")
        text = "" if _missing(cell) else str(cell).strip()
        try:
            if not re.fullmatch(r"\d{4}-\d{1,2}(-\d{1,2})?", text):
                raise ValueError
            month = pd.Period(text, freq="M")
        except (ValueError, TypeError):
            raise at.fail(
                "month",
                "cannot be read as a month.",
                raw["month"],
                "Write months as YYYY-MM, e.g. 2026-01.",
            ) from None
        if month in seen:
            raise at.fail(
                "month",
                f"duplicate month: {month} is already on row {seen[month]}.",
                raw["month"],
                "Keep one row per month.",
            )
        seen[month] = pos + 2
        row = {"month": month, "monthly_fee": _number(raw["monthly_fee"], at, "monthly_fee")}
        row.update({m: _number(raw[m], at, m, minimum=None) for m in metrics})
        rows.append(row)
    out = pd.DataFrame(rows).sort_values("month", kind="stable").reset_index(drop=True)
    out.attrs.update(path=name, sha256=digest)
    return out


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
    data, name, digest = _load_yaml(path, "contract_path")
    top = _At(name)
    _check_keys(data, ("provider", "currency", "credit_cap", "metrics", "description"), top)
    cap = data.get("credit_cap")
    cap = None if _missing(cap) else _share(cap, top, "credit_cap")
    metrics = data.get("metrics")
    if not isinstance(metrics, dict) or not metrics:
        raise top.fail(
            "metrics",
            "needs a mapping metric -> target and bands.",
            metrics,
            "Add `metrics: {availability: {target: 0.999, bands: [...]}}`.",
        )
    rows = []
    for metric, spec in metrics.items():
        at = _At(name, item=f"metric {metric}")
        if not isinstance(spec, dict):
            raise at.fail(str(metric), "must be a mapping with target, direction, bands.", spec, "")
        direction = str(spec.get("direction", "higher")).strip().lower()
        if direction not in ("higher", "lower"):
            raise at.fail(
                "direction",
                "must be higher or lower.",
                direction,
                "higher: more is better (availability); lower: less is better.",
            )
        key = "below" if direction == "higher" else "above"
        target = _number(spec.get("target"), at, "target", minimum=None)
        bands = spec.get("bands")
        if not isinstance(bands, list) or not bands:
            raise at.fail(
                "bands",
                "needs a list of penalty bands.",
                bands,
                f"Add `bands: [{{{key}: {target:g}, credit: 0.05}}]`.",
            )
        prev_t = prev_c = None
        for k, band in enumerate(bands, start=1):
            b_at = _At(name, item=f"metric {metric}, band {k}")
            if not isinstance(band, dict) or key not in band:
                raise b_at.fail(
                    key,
                    f"each band needs `{key}` (direction {direction}) and `credit`.",
                    band,
                    f"Write {{{key}: 0.995, credit: 0.10}}.",
                )
            thr = _number(band[key], b_at, key, minimum=None)
            credit = _share(band.get("credit"), b_at, "credit")
            if k == 1 and (
                (direction == "higher" and thr > target) or (direction == "lower" and thr < target)
            ):
                raise b_at.fail(
                    key,
                    f"the first band lies on the good side of the target {target:g}.",
                    thr,
                    "A month that meets the target must not pay a credit.",
                )
            if prev_t is not None:
                worse = thr < prev_t if direction == "higher" else thr > prev_t
                if not worse:
                    raise b_at.fail(
                        key,
                        f"penalty bands not ordered: list them from the mildest to the deepest, "
                        f"each {key} a worse level than the previous band ({prev_t:g}).",
                        thr,
                        "Sort the bands by threshold and remove duplicates.",
                    )
                if credit <= prev_c:
                    raise b_at.fail(
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
        path=name,
        sha256=digest,
    )
