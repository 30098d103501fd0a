"""Readers for investment cases: a YAML case file and CSV/XLSX line-item tables.

Line-item table (CSV or XLSX, one header row)
    ``name`` (text), ``kind`` (one of :data:`LINE_ITEM_KINDS`), ``amount`` (number per period,
    in the case currency, 0 or more: costs and benefits are entered as positive numbers and the
    kind gives the sign; a negative amount is refused, see :data:`SIGN_RULE`), optional ``start``
    (period the item starts, whole number >= 0, 0 is now; empty: 0 for capex and one-off opex,
    1 for the rest), ``duration`` (periods, whole number
    >= 1; empty: 1 for capex and one-off opex, to the horizon for the rest), ``escalation``
    (annual decimal growth in (-1, 1], default 0) and ``depreciation_years`` (capex only, whole
    number >= 1; empty: the case's default).

YAML case file
    ``name``, ``currency`` (three-letter code), ``horizon_years``, ``discount_rate`` (annual
    decimal), optional ``tax_rate`` (decimal in [0, 1), default 0), ``depreciation_years``
    (straight-line life of capex in years; omit for no depreciation), ``periods_per_year``
    (1 or 12), ``description``, and either ``line_items`` (a list of mappings with the columns
    above) or ``line_items_file`` (a CSV/XLSX table, relative to the YAML file's folder or the
    project root).

A broken file raises :class:`~cio_analytics.exceptions.DataFileError` naming the file, the
spreadsheet row (header is row 1) or YAML item, the column, the rule, the value and the fix.
Nothing is returned half-built: the whole file is checked before anything is returned. The
readers return plain validated data (a DataFrame, a :class:`CaseSpec`); the model is built from
them in :mod:`cio_analytics.valuation.case`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import DataFileError
from ..valuation._spec import (
    KIND_ALIASES,
    LINE_ITEM_COLUMNS,
    LINE_ITEM_KINDS,
    SIGN_RULE,
    CaseSpec,
    sign_error_text,
)
from ._columns import (
    FileContext,
    cells_of,
    currencies,
    integers,
    is_missing,
    money,
    rates,
    scalar,
    texts,
)
from ._tables import check_columns, check_keys, read_table, read_yaml

__all__ = [
    "KIND_ALIASES",
    "LINE_ITEM_COLUMNS",
    "LINE_ITEM_KINDS",
    "SIGN_RULE",
    "CaseSpec",
    "read_case",
    "read_line_items",
]

PathLike = str | os.PathLike[str]

_REQUIRED = LINE_ITEM_COLUMNS[:3]
_CASE_KEYS = (
    "name",
    "description",
    "currency",
    "horizon_years",
    "discount_rate",
    "tax_rate",
    "depreciation_years",
    "periods_per_year",
    "line_items",
    "line_items_file",
)


def _clean_items(frame: pd.DataFrame, ctx: FileContext) -> pd.DataFrame:
    """Validate line items (table rows or YAML mappings, as a frame of cells) column by column."""
    kind_cells = frame["kind"].map(
        lambda v: v if is_missing(v) else str(v).strip().lower().replace("-", "_").replace(" ", "_")
    )
    out = pd.DataFrame(
        {
            "name": texts(frame["name"], "name", ctx,
                          fix="Every line item needs a name: give it a short label."),
            "kind": texts(kind_cells, "kind", ctx, aliases=KIND_ALIASES, choices=LINE_ITEM_KINDS),
            "amount": money(frame["amount"], "amount", ctx, fix="Enter 0 if there is no amount."),
            "start": integers(cells_of(frame, "start"), "start", ctx, optional=True, minimum=0,
                              fix="Period 0 is now.", kind="periods"),
            "duration": integers(cells_of(frame, "duration"), "duration", ctx, optional=True,
                                 minimum=1, fix="Leave it empty to run to the end of the horizon.",
                                 kind="periods"),
            "escalation": rates(cells_of(frame, "escalation"), "escalation", ctx, optional=True,
                                interval="(-1, 1]", fix="Enter annual growth, e.g. 0.03."),
            "depreciation_years": integers(
                cells_of(frame, "depreciation_years"), "depreciation_years", ctx, optional=True,
                minimum=1, fix="Enter the asset life in years.", kind="duration_years",
            ),
        }
    )  # fmt: skip
    out["escalation"] = out["escalation"].fillna(0.0)
    negative = np.flatnonzero(out["amount"].to_numpy() < 0)
    if negative.size:
        p = int(negative[0])
        rule, fix = sign_error_text(out["name"].iloc[p], out["kind"].iloc[p], out["amount"].iloc[p])
        raise ctx.error("amount", rule, frame["amount"].iloc[p], fix, pos=p)
    wrong = np.flatnonzero(out["depreciation_years"].notna() & (out["kind"] != "capex"))
    if wrong.size:
        p = int(wrong[0])
        raise ctx.error(
            "depreciation_years",
            f"only capex is depreciated; this item is {out['kind'].iloc[p]}.",
            frame["depreciation_years"].iloc[p],
            "Leave the cell empty or change the kind to capex.",
            pos=p,
        )
    return out.astype({c: float for c in LINE_ITEM_COLUMNS[2:]} | {"name": str, "kind": str})


def read_line_items(path: PathLike, *, sheet_name: str | int = 0) -> pd.DataFrame:
    """Read and validate a CSV or XLSX table of investment-case line items.

    Parameters
    ----------
    path : str or path-like
        A ``.csv`` or ``.xlsx`` file, absolute or relative to the working directory or the
        project root.
    sheet_name : str or int, default 0
        The worksheet of an XLSX file.

    Returns
    -------
    pandas.DataFrame
        One row per line item with the columns :data:`LINE_ITEM_COLUMNS` (see module notes).

    Raises
    ------
    DataFileError
        Missing file or column, unknown kind (with a did-you-mean hint), text in a numeric
        column, a negative amount (the kind gives the sign), a number beyond its plausible
        magnitude, a duration below 1, a rate given as a percentage; naming the spreadsheet row.

    Examples
    --------
    >>> items = read_line_items("data/sample/cases/service_desk_line_items.csv")
    >>> sorted(set(items["kind"]))[:2]
    ['benefit', 'capex']
    """
    raw, ctx = read_table(path, sheet_name=sheet_name)
    raw.columns = [c.lower() for c in raw.columns]
    check_columns(raw, _REQUIRED, LINE_ITEM_COLUMNS[3:], ctx, what="a line-item table")
    return _clean_items(raw, ctx)


def read_case(path: PathLike) -> CaseSpec:
    """Read and validate one investment case from a YAML file.

    Parameters
    ----------
    path : str or path-like
        A ``.yaml``/``.yml`` file, absolute or relative to the working directory or the
        project root.

    Returns
    -------
    CaseSpec
        The validated settings and line-item table; build the model with
        :meth:`cio_analytics.valuation.InvestmentCase.from_spec`.

    Raises
    ------
    DataFileError
        Unreadable YAML, unknown or missing keys, bad values, bad line items.

    Examples
    --------
    >>> spec = read_case("data/sample/cases/service_desk_platform.yaml")
    >>> spec.currency, spec.horizon_years
    ('EUR', 5)
    """
    data, ctx = read_yaml(path)
    name, resolved = ctx.path, ctx.resolved
    if not isinstance(data, dict):
        raise DataFileError(
            "must hold a mapping of case settings (name:, currency:, line_items: ...).", path=name
        )
    top = ctx.at("")
    check_keys(data, _CASE_KEYS, top)
    for key in ("name", "currency", "horizon_years", "discount_rate"):
        if is_missing(data.get(key)):
            raise top.error(key, "is required.", None, f"Add `{key}:` to the case file.")
    currency = str(scalar(currencies, data["currency"], "currency", top))
    horizon = int(scalar(integers, data["horizon_years"], "horizon_years", top, minimum=1,
                         fix="E.g. 5 for five years.", kind="duration_years"))  # fmt: skip
    rate = float(scalar(rates, data["discount_rate"], "discount_rate", top, interval="(-1, 1]",
                        fix="E.g. 0.08."))  # fmt: skip
    tax = data.get("tax_rate")
    tax = 0.0 if is_missing(tax) else float(scalar(rates, tax, "tax_rate", top, interval="[0, 1)",
                                                   fix="E.g. 0.25."))  # fmt: skip
    dep = data.get("depreciation_years")
    dep = None if is_missing(dep) else int(scalar(integers, dep, "depreciation_years", top,
                                                  minimum=1, fix="E.g. 5.",
                                                  kind="duration_years"))  # fmt: skip
    ppy = data.get("periods_per_year", 1)
    if ppy not in (1, 12):
        raise top.error("periods_per_year", "must be 1 or 12.", ppy, "Use 1 (yearly) or 12.")
    has_items, has_file = "line_items" in data, "line_items_file" in data
    if has_items == has_file:
        raise top.error(
            "line_items",
            "give exactly one of `line_items` and `line_items_file`.",
            None,
            "List the items in the YAML or point to a CSV/XLSX table.",
        )
    if has_file:
        table = _resolve_sibling(data["line_items_file"], resolved)
        items = read_line_items(table)
    else:
        raw_items = data["line_items"]
        if not isinstance(raw_items, list) or not raw_items:
            raise top.error(
                "line_items", "must be a non-empty list.", raw_items, "Add `- name: ...` entries."
            )
        for i, raw in enumerate(raw_items, start=1):
            where = ctx.at(f"line_items item {i}")
            if not isinstance(raw, dict):
                raise where.error("line_items", "must be a mapping.", raw, "Use `name: ...` keys.")
            check_keys(raw, LINE_ITEM_COLUMNS, where)
        frame = pd.DataFrame(raw_items, columns=list(LINE_ITEM_COLUMNS), dtype=object)
        labels = (f"line_items item {i}" for i in range(1, len(raw_items) + 1))
        items = _clean_items(frame, ctx.listed(labels))
    return CaseSpec(
        name=str(data["name"]).strip(),
        description=str(data.get("description") or "").strip(),
        currency=currency,
        horizon_years=horizon,
        discount_rate=rate,
        tax_rate=tax,
        depreciation_years=dep,
        periods_per_year=int(ppy),
        line_items=items,
        path=name,
        sha256=ctx.sha256,
    )


def _resolve_sibling(value: Any, yaml_path: Path) -> str:
    """A line-item file named in a YAML case: next to the YAML file, else as a data path."""
    sibling = yaml_path.parent / str(value)
    return str(sibling) if sibling.is_file() else str(value)
