"""Readers for investment cases: a YAML case file and CSV/XLSX line-item tables.

Line-item table (CSV or XLSX, one header row)
    ``name`` (text), ``kind`` (one of :data:`LINE_ITEM_KINDS`), ``amount`` (number per period,
    in the case currency; enter costs and benefits as positive numbers), optional ``start``
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

import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .._validation import did_you_mean, short_repr
from ..exceptions import DataFileError
from ..valuation._spec import KIND_ALIASES, LINE_ITEM_COLUMNS, LINE_ITEM_KINDS, CaseSpec
from ._tables import read_table, require_columns
from .paths import file_sha256, resolve_data_path

__all__ = [
    "KIND_ALIASES",
    "LINE_ITEM_COLUMNS",
    "LINE_ITEM_KINDS",
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


class _Where:
    """Where a value came from, to build DataFileError messages."""

    def __init__(self, path: str, row: int | None = None, item: str = "") -> None:
        self.path, self.row, self.item = path, row, item

    def error(self, column: str, rule: str, value: Any, fix: str) -> DataFileError:
        got = "empty" if _missing(value) else short_repr(value)
        return DataFileError(
            f"{self.item}{rule} Got {got}. {fix}".strip(),
            path=self.path,
            row=self.row,
            column=column,
        )


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _number(value: Any, where: _Where, column: str) -> float:
    if isinstance(value, bool):
        raise where.error(column, "expected a number.", value, "Enter a plain number.")
    if isinstance(value, str):
        try:  # no thousands separators: "1,5" could mean 1.5 or 15
            value = float(value.strip())
        except ValueError:
            raise where.error(
                column,
                "expected a number.",
                value,
                "Enter a plain number without currency signs, words or thousands separators "
                "(e.g. 120000 or 0.5).",
            ) from None
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise where.error(column, "expected a number.", value, "Enter a plain number.") from None
    if not math.isfinite(out):
        raise where.error(column, "expected a finite number.", value, "Enter a plain number.")
    return out


def _whole(value: Any, where: _Where, column: str, minimum: int, fix: str) -> int:
    out = _number(value, where, column)
    if out != int(out) or out < minimum:
        raise where.error(column, f"must be a whole number, {minimum} or more.", value, fix)
    return int(out)


def _rate(value: Any, where: _Where, column: str, fix: str, *, tax: bool = False) -> float:
    """A decimal rate: in (-1, 1] (growth, discount) or, with ``tax``, in [0, 1)."""
    out = _number(value, where, column)
    ok = (0.0 <= out < 1.0) if tax else (-1.0 < out <= 1.0)
    if not ok:
        hint = f" Rates are decimals: use {out / 100:g} for {out:g} %." if out > 1 else ""
        bounds = "[0, 1)" if tax else "(-1, 1]"
        raise where.error(column, f"must be a decimal in {bounds}.", value, (fix + hint).strip())
    return out


def _kind(value: Any, where: _Where) -> str:
    text = "" if _missing(value) else str(value).strip().lower().replace("-", "_").replace(" ", "_")
    text = KIND_ALIASES.get(text, text)
    if text not in LINE_ITEM_KINDS:
        raise where.error(
            "kind",
            f"unknown kind.{did_you_mean(text, LINE_ITEM_KINDS)}",
            value,
            f"Use one of {', '.join(LINE_ITEM_KINDS)}.",
        )
    return text


def _clean_item(raw: dict[str, Any], where: _Where) -> dict[str, Any]:
    """Validate one line item (a table row or a YAML mapping) into plain Python values."""
    name = raw.get("name")
    if _missing(name):
        raise where.error("name", "every line item needs a name.", name, "Give it a short label.")
    kind = _kind(raw.get("kind"), where)
    if _missing(raw.get("amount")):
        raise where.error("amount", "expected a number.", None, "Enter 0 if there is no amount.")
    amount = _number(raw.get("amount"), where, "amount")
    start = raw.get("start")
    start = math.nan if _missing(start) else _whole(start, where, "start", 0, "Period 0 is now.")
    duration = raw.get("duration")
    if _missing(duration):
        duration = math.nan
    else:
        number = _number(duration, where, "duration")
        if number < 1 or number != int(number):
            raise where.error(
                "duration",
                "must be a whole number of periods, 1 or more.",
                duration,
                "Leave it empty to run to the end of the horizon.",
            )
        duration = int(number)
    escalation = raw.get("escalation")
    escalation = (
        0.0
        if _missing(escalation)
        else _rate(escalation, where, "escalation", "Enter annual growth, e.g. 0.03.")
    )
    dep = raw.get("depreciation_years")
    if _missing(dep):
        dep = math.nan
    else:
        dep = _whole(dep, where, "depreciation_years", 1, "Enter the asset life in years.")
        if kind != "capex":
            raise where.error(
                "depreciation_years",
                f"only capex is depreciated; this item is {kind}.",
                dep,
                "Leave the cell empty or change the kind to capex.",
            )
    return {
        "name": str(name).strip(),
        "kind": kind,
        "amount": amount,
        "start": start,
        "duration": duration,
        "escalation": escalation,
        "depreciation_years": dep,
    }


def _frame(items: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(items, columns=list(LINE_ITEM_COLUMNS))
    return frame.astype(
        {
            "name": str,
            "kind": str,
            "amount": float,
            "start": float,
            "duration": float,
            "escalation": float,
            "depreciation_years": float,
        }
    )


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
        column, a duration below 1, a rate given as a percentage; naming the spreadsheet row.

    Examples
    --------
    >>> items = read_line_items("data/sample/cases/service_desk_line_items.csv")
    >>> sorted(set(items["kind"]))[:2]
    ['benefit', 'capex']
    """
    raw, name = read_table(path, as_text=True, sheet_name=sheet_name)
    raw.columns = [c.lower() for c in raw.columns]
    require_columns(raw, _REQUIRED, name)
    if raw.empty:
        raise DataFileError("has no line items. Add at least one row under the header.", path=name)
    records = raw.replace({np.nan: None}).to_dict("records")
    items = [_clean_item(rec, _Where(name, row=i + 2)) for i, rec in enumerate(records)]
    return _frame(items)


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
    resolved = resolve_data_path(path, parameter="path")
    name = str(path)
    try:
        with open(resolved, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise DataFileError(f"is not valid YAML ({exc}).", path=name) from None
    if not isinstance(data, dict):
        raise DataFileError(
            "must hold a mapping of case settings (name:, currency:, line_items: ...).", path=name
        )
    top = _Where(name)
    for key in data:
        if key not in _CASE_KEYS:
            raise top.error(
                str(key),
                f"unknown key.{did_you_mean(str(key), _CASE_KEYS)}",
                key,
                f"Use only {', '.join(_CASE_KEYS)}.",
            )
    for key in ("name", "currency", "horizon_years", "discount_rate"):
        if _missing(data.get(key)):
            raise top.error(key, "is required.", None, f"Add `{key}:` to the case file.")
    currency = str(data["currency"]).strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise top.error("currency", "must be a 3-letter code.", data["currency"], "E.g. EUR, USD.")
    horizon = _whole(data["horizon_years"], top, "horizon_years", 1, "E.g. 5 for five years.")
    rate = _rate(data["discount_rate"], top, "discount_rate", "E.g. 0.08.")
    tax = data.get("tax_rate")
    tax = 0.0 if _missing(tax) else _rate(tax, top, "tax_rate", "E.g. 0.25.", tax=True)
    dep = data.get("depreciation_years")
    dep = None if _missing(dep) else _whole(dep, top, "depreciation_years", 1, "E.g. 5.")
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
        cleaned = []
        for i, raw in enumerate(raw_items, start=1):
            where = _Where(name, item=f"line_items item {i}: ")
            if not isinstance(raw, dict):
                raise where.error("line_items", "must be a mapping.", raw, "Use `name: ...` keys.")
            for key in raw:
                if key not in LINE_ITEM_COLUMNS:
                    raise where.error(
                        str(key),
                        f"unknown key.{did_you_mean(str(key), LINE_ITEM_COLUMNS)}",
                        key,
                        f"Use only {', '.join(LINE_ITEM_COLUMNS)}.",
                    )
            cleaned.append(_clean_item(raw, where))
        items = _frame(cleaned)
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
        sha256=file_sha256(resolved),
    )


def _resolve_sibling(value: Any, yaml_path: Path) -> str:
    """A line-item file named in a YAML case: next to the YAML file, else as a data path."""
    sibling = yaml_path.parent / str(value)
    return str(sibling) if sibling.is_file() else str(value)
