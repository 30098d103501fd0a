"""Named results a notebook records for the report index and workbook (JSON-lines sidecars).

A report notebook calls ``record("npv_p50", 1.2e6, label="NPV, median", unit="EUR")`` for each
headline figure and ``record_table("cash_flows", frame, formats={"npv": "currency"})`` for each
table finance should get in the report's Excel workbook. When the report pipeline runs the
notebook it sets ``CIO_ANALYTICS_RECORD_FILE`` in the kernel's environment; each ``record`` call
appends one JSON line there, each ``record_table`` call one line to the tables sidecar beside it
(``NAME.records.jsonl`` -> ``NAME.tables.jsonl``), and the index and workbook read them back.
Outside the pipeline (JupyterLab, plain papermill) nothing is written and the value is returned.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "AS_OF_ENV",
    "RECORD_ENV",
    "TABLE_FORMATS",
    "figure_text",
    "is_currency_unit",
    "outcomes_path",
    "read_outcomes",
    "read_records",
    "read_summary",
    "read_tables",
    "record",
    "record_outcomes",
    "record_summary",
    "record_table",
    "summary_path",
    "tables_path",
]

RECORD_ENV = "CIO_ANALYTICS_RECORD_FILE"
# The as-of date (ISO) of the run's period, set by the pipeline in each job's kernel; the
# executive summary shows it as "Data as of 30 Sep 2026" (reporting.summary).
AS_OF_ENV = "CIO_ANALYTICS_AS_OF"


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    raise TypeError(
        f"record() takes a number, text or bool; got {type(value).__name__}. "
        "Record each headline figure separately."
    )


def record(
    name: str,
    value: Any,
    *,
    label: str | None = None,
    unit: str | None = None,
    fmt: str | None = None,
) -> Any:
    """Record one named headline figure of a report and return ``value`` unchanged.

    Parameters
    ----------
    name : str
        Identifier, unique within the notebook (``"npv_p50"``).
    value : number, str or bool
        The figure. NaN and infinities are stored as null.
    label : str, optional
        Human label for the index page (``"NPV, median"``).
    unit : str, optional
        Unit or currency code (``"EUR"``, ``"%"``, ``"FTE"``).
    fmt : str, optional
        A format spec for display (``",.0f"``, ``".1%"``).
    """
    entry = {"name": str(name), "value": _plain(value), "label": label, "unit": unit, "fmt": fmt}
    target = os.environ.get(RECORD_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry) + "\n")
    return value


def read_records(path: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """Read a sidecar file back: ``{name: {"value", "label", "unit", "fmt"}}``; the last write wins."""
    out: dict[str, dict[str, Any]] = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                entry = json.loads(line)
                out[entry.pop("name")] = entry
    return out


_CURRENCY = re.compile(r"[A-Z]{3}")  # an ISO 4217 code such as EUR ...
_NOT_CURRENCY = {"FTE", "SLA", "ASA", "AHT", "KPI"}  # ... but not these units
_SPEC_DECIMALS = re.compile(r"\.(\d+)[%fFeEgG]?$")


def is_currency_unit(unit: Any) -> bool:
    """True for an ISO 4217 code such as ``"EUR"`` (not ``"FTE"``, ``"SLA"``, ...).

    Examples
    --------
    >>> is_currency_unit("EUR"), is_currency_unit("FTE"), is_currency_unit(None)
    (True, False, False)
    """
    return isinstance(unit, str) and bool(_CURRENCY.fullmatch(unit)) and unit not in _NOT_CURRENCY


def figure_text(entry: Mapping[str, Any]) -> str:
    """A recorded figure as the index page shows it, through the one formatting module.

    A figure in a currency (``unit="EUR"``) is compact money, as on a key-number tile; a
    percent spec (``fmt=".1%"``) or ``unit="%"`` gives a percentage with the spec's decimals;
    other numbers keep the spec's decimals (or the decimals that suit the value) and their
    unit. Missing values read "n/a", yes/no figures "Yes" or "No".

    Examples
    --------
    >>> figure_text({"value": 1234567.891, "fmt": ",.0f", "unit": "EUR"})
    'EUR 1.2M'
    >>> figure_text({"value": 0.1234, "fmt": ".1%", "unit": None})
    '12.3 %'
    >>> figure_text({"value": 2.46, "fmt": ".1f", "unit": "years"}), figure_text({"value": 12000})
    ('2.5 years', '12,000')
    >>> figure_text({"value": None, "unit": "h"}), figure_text({"value": float("nan")})
    ('n/a', 'n/a')
    >>> figure_text({"value": False})
    'No'
    """
    from .formatting import (
        MISSING,
        auto_decimals,
        format_money,
        format_number,
        format_percent,
        is_missing,
    )

    value, fmt, unit = entry.get("value"), entry.get("fmt") or "", entry.get("unit")
    if isinstance(value, (bool, np.bool_)):
        return "Yes" if value else "No"
    if is_missing(value):
        return MISSING
    if isinstance(value, str):
        return value
    spec = _SPEC_DECIMALS.search(fmt)
    decimals = int(spec.group(1)) if spec else None
    if fmt.endswith("%") or unit == "%":
        return format_percent(value, decimals)
    if isinstance(unit, str) and _CURRENCY.fullmatch(unit) and unit not in _NOT_CURRENCY:
        return format_money(value, unit)
    d = auto_decimals([value]) if decimals is None else min(decimals, 6)
    return format_number(value, decimals=d, unit=unit or None)


# ---------------------------------------------------------------------------------------------
# The executive summary as data (the index, the board summary and the slides read it)
# ---------------------------------------------------------------------------------------------


def summary_path(record_file: str | os.PathLike[str]) -> Path:
    """The summary sidecar beside a records sidecar (``x.records.jsonl`` -> ``x.summary.json``).

    Examples
    --------
    >>> summary_path("reports/2026Q4/risk-review.records.jsonl").name
    'risk-review.summary.json'
    """
    path = Path(record_file)
    if path.name.endswith(".records.jsonl"):
        return path.with_name(path.name[: -len(".records.jsonl")] + ".summary.json")
    return path.with_name(path.name + ".summary.json")


def record_summary(payload: Mapping[str, Any]) -> None:
    """Write a report's executive summary (:meth:`ExecutiveSummary.payload`) to its sidecar.

    Called by :func:`~cio_analytics.reporting.executive_summary`; outside the pipeline (no
    ``CIO_ANALYTICS_RECORD_FILE``) nothing is written. The last summary a notebook shows wins.
    """
    target = os.environ.get(RECORD_ENV)
    if not target:
        return
    path = summary_path(target)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(dict(payload), allow_nan=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_summary(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """Read a summary sidecar back (None when the report showed no executive summary)."""
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


# ---------------------------------------------------------------------------------------------
# Trial outcomes (a scenario comparison overlays the distributions of its runs)
# ---------------------------------------------------------------------------------------------


def outcomes_path(record_file: str | os.PathLike[str]) -> Path:
    """The outcomes sidecar beside a records sidecar (``x.records.jsonl`` -> ``x.outcomes.npz``).

    Examples
    --------
    >>> outcomes_path("reports/2026Q4/investment.records.jsonl").name
    'investment.outcomes.npz'
    """
    path = Path(record_file)
    if path.name.endswith(".records.jsonl"):
        return path.with_name(path.name[: -len(".records.jsonl")] + ".outcomes.npz")
    return path.with_name(path.name + ".outcomes.npz")


def record_outcomes(
    name: str, values: Any, *, label: str | None = None, unit: str | None = None
) -> None:
    """Record the trial outcomes of a report's headline figure (e.g. the NPV of every trial).

    Under the pipeline the values are added to ``NAME.outcomes.npz`` (float32, compressed: about
    40 kB for 10,000 trials) beside the records; a scenario comparison
    (``cio-analytics run PACK --scenarios FILE``) overlays them. Outside the pipeline nothing
    is written.

    Parameters
    ----------
    name : str
        Identifier of the figure (``"npv"``).
    values : array-like
        One value per trial, in trial order (NaN kept).
    label, unit : str, optional
        As for :func:`record` (``"NPV"``, ``"EUR"``).
    """
    target = os.environ.get(RECORD_ENV)
    if not target:
        return
    path = outcomes_path(target)
    found = read_outcomes(path) if path.is_file() else {}
    found[str(name)] = {
        "values": np.asarray(values, dtype=np.float32).ravel(),
        "label": label,
        "unit": unit,
    }
    meta = {k: {"label": v["label"], "unit": v["unit"]} for k, v in found.items()}
    tmp = path.with_name(path.name + ".part.npz")
    arrays = {f"v_{k}": v["values"] for k, v in found.items()}
    np.savez_compressed(tmp, __meta__=np.array(json.dumps(meta)), **arrays)
    os.replace(tmp, path)


def read_outcomes(path: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """Read an outcomes sidecar: ``{name: {"values": float array, "label", "unit"}}`` ({} if none)."""
    if not os.path.exists(path):
        return {}
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["__meta__"]))
        return {
            k: {
                "values": data[f"v_{k}"].astype(float),
                "label": m.get("label"),
                "unit": m.get("unit"),
            }
            for k, m in meta.items()
        }


# ---------------------------------------------------------------------------------------------
# Tables for the report's Excel workbook
# ---------------------------------------------------------------------------------------------

#: Column format kinds for :func:`record_table` (``"currency:2"``, ``"percent:1"``,
#: ``"number:3"`` set the decimals); any other text is taken as an Excel number format code.
TABLE_FORMATS = ("currency", "percent", "integer", "number", "date", "datetime", "text")
_EXCEL_MAX_ROWS, _EXCEL_MAX_COLUMNS = 1_048_575, 16_384  # below a header row


def tables_path(record_file: str | os.PathLike[str]) -> Path:
    """The tables sidecar beside a records sidecar (``x.records.jsonl`` -> ``x.tables.jsonl``).

    Examples
    --------
    >>> tables_path("reports/2026Q4/risk-review.records.jsonl").name
    'risk-review.tables.jsonl'
    >>> tables_path("/tmp/figures.jsonl").name
    'figures.jsonl.tables.jsonl'
    """
    path = Path(record_file)
    if path.name.endswith(".records.jsonl"):
        return path.with_name(path.name[: -len(".records.jsonl")] + ".tables.jsonl")
    return path.with_name(path.name + ".tables.jsonl")


def _check_format(column: str, spec: Any) -> str:
    from .._validation import did_you_mean
    from ..exceptions import ParameterError

    if not isinstance(spec, str) or not spec.strip():
        raise ParameterError(
            f"`formats[{column!r}]` must be a format kind {TABLE_FORMATS} or an Excel number "
            f"format code. Got {spec!r}."
        )
    kind, _, decimals = spec.partition(":")
    if kind in TABLE_FORMATS:
        if decimals and not (decimals.isdigit() and int(decimals) <= 10):
            raise ParameterError(
                f"`formats[{column!r}]`: the decimals after ':' must be a whole number 0-10. "
                f"Got {spec!r}; use e.g. 'currency:2'."
            )
        return spec
    if spec.replace(":", "").isalpha() and spec.islower():  # a misspelt kind, not a code
        raise ParameterError(
            f"`formats[{column!r}]` must be one of {TABLE_FORMATS} (optionally ':decimals') or "
            f"an Excel number format code such as '#,##0.0'. Got {spec!r}."
            + did_you_mean(kind, TABLE_FORMATS)
        )
    return spec


def _table_payload(name: str, frame: Any, title, formats, currency) -> dict[str, Any]:
    import pandas as pd

    from .._validation import did_you_mean
    from ..exceptions import ParameterError

    if hasattr(frame, "data") and hasattr(frame, "format") and hasattr(frame, "hide"):
        frame = frame.data  # a pandas Styler: store the numbers, not the display strings
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"record_table() takes a pandas DataFrame, Series or Styler; got "
            f"{type(frame).__name__}. Record single figures with record()."
        )
    index = frame.index
    if not (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1) or any(
        n is not None for n in index.names
    ):
        frame = frame.reset_index()
    if frame.shape[0] > _EXCEL_MAX_ROWS or frame.shape[1] > _EXCEL_MAX_COLUMNS:
        raise ParameterError(
            f"record_table({name!r}): a worksheet holds at most {_EXCEL_MAX_ROWS:,} rows and "
            f"{_EXCEL_MAX_COLUMNS:,} columns. Got {frame.shape[0]:,} x {frame.shape[1]:,}. "
            "Record a summary (quantiles, a histogram) instead of every trial."
        )
    columns = [
        " / ".join(str(p) for p in c if str(p)) if isinstance(c, tuple) else str(c)
        for c in frame.columns
    ]
    formats = dict(formats or {})
    for key in formats:
        if key not in columns:
            raise ParameterError(
                f"`formats` names column {key!r}, which table {name!r} does not have. "
                f"Columns: {columns}." + did_you_mean(str(key), columns)
            )
    formats = {k: _check_format(k, v) for k, v in formats.items()}
    dtypes, data = [], []
    for _, col in frame.items():
        if pd.api.types.is_bool_dtype(col):
            kind, values = "bool", col.astype(object)
        elif pd.api.types.is_integer_dtype(col):
            kind, values = "int", col.astype(object)
        elif pd.api.types.is_float_dtype(col):
            kind, values = "float", col.astype(float).astype(object)
        elif pd.api.types.is_datetime64_any_dtype(col):
            stamps = col.dt.tz_localize(None) if col.dt.tz is not None else col
            kind, values = "datetime", stamps.dt.strftime("%Y-%m-%dT%H:%M:%S.%f").astype(object)
        else:
            kind, values = "str", col.astype(object).map(_cell)
        missing = col.isna().tolist()
        dtypes.append(kind)
        data.append(
            [
                None if gone else (v if kind == "str" else _plain(v))
                for v, gone in zip(values.tolist(), missing, strict=True)
            ]
        )
    return {
        "name": str(name),
        "title": title,
        "currency": currency,
        "columns": columns,
        "dtypes": dtypes,
        "formats": formats,
        "data": [list(row) for row in zip(*data, strict=True)] if data else [],
        "n_rows": int(frame.shape[0]),
    }


def _cell(value: Any) -> Any:
    """An object-column value as JSON: numbers and bools stay, anything else becomes text."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return str(value)


def record_table(
    name: str,
    frame: Any,
    *,
    title: str | None = None,
    formats: dict[str, str] | None = None,
    currency: str | None = None,
) -> Any:
    """Record a table for the report's Excel workbook and return ``frame`` unchanged.

    Parameters
    ----------
    name : str
        Identifier, unique within the notebook; the worksheet's name (shortened to Excel's
        31 characters when needed).
    frame : pandas.DataFrame, Series or Styler
        The table. A Styler's underlying numbers are stored, not its display strings. A
        non-default index (named, or not ``0..n-1``) becomes the first column(s).
    title : str, optional
        What the table shows, for the workbook's "About" sheet (``"Cash flows by year"``).
    formats : dict, optional
        Column -> number format: ``"currency"``, ``"percent"``, ``"integer"``, ``"number"``,
        ``"date"``, ``"datetime"``, ``"text"``, with optional decimals (``"percent:1"``,
        ``"currency:2"``), or an Excel format code (``"#,##0.0"``). Columns not named get a
        format from their type (integers ``#,##0``; decimals ``#,##0`` or ``#,##0.00``; dates).
    currency : str, optional
        Currency code for the ``"currency"`` columns (``"EUR"``): shown as ``1,234 EUR``.

    Returns
    -------
    The ``frame`` argument, so a notebook can display what it records.

    Notes
    -----
    Inside the report pipeline (``CIO_ANALYTICS_RECORD_FILE`` set) one JSON line is appended to
    the tables sidecar (:func:`tables_path`): the columns, their types, the formats and the
    values (floats exactly, NaN as null, dates as ISO text). No pickle. Outside the pipeline
    nothing is checked or written.

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({"year": [0, 1], "cash_flow": [-1000.0, 600.0]})
    >>> record_table("flows", flows, formats={"cash_flow": "currency"}) is flows
    True
    """
    target = os.environ.get(RECORD_ENV)
    if target:
        payload = _table_payload(name, frame, title, formats, currency)
        with open(tables_path(target), "a", encoding="utf-8") as fh:
            fh.write(json.dumps(payload, allow_nan=False) + "\n")
    return frame


@dataclass(frozen=True)
class RecordedTable:
    """A table read back from a tables sidecar (:func:`read_tables`)."""

    name: str
    title: str | None
    frame: Any  # pandas.DataFrame
    dtypes: tuple[str, ...]
    formats: dict[str, str]
    currency: str | None


def read_tables(path: str | os.PathLike[str]) -> dict[str, RecordedTable]:
    """Read a tables sidecar back: ``{name: RecordedTable}`` in recording order; the last
    write of a name wins. A missing file reads as no tables."""
    import pandas as pd

    out: dict[str, RecordedTable] = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            entry = json.loads(line)
            columns, dtypes = entry["columns"], entry["dtypes"]
            rows = entry["data"]
            cols = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
            frame = pd.DataFrame(
                {
                    i: _restore(list(values), kind)
                    for i, (values, kind) in enumerate(zip(cols, dtypes, strict=True))
                }
            )
            frame.columns = columns
            out.pop(entry["name"], None)
            out[entry["name"]] = RecordedTable(
                name=entry["name"],
                title=entry.get("title"),
                frame=frame,
                dtypes=tuple(dtypes),
                formats=dict(entry.get("formats") or {}),
                currency=entry.get("currency"),
            )
    return out


def _restore(values: list[Any], kind: str) -> Any:
    import pandas as pd

    if kind == "datetime":
        return pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601")
    if kind == "float":
        return pd.Series([np.nan if v is None else v for v in values], dtype=float)
    if kind == "int" and None not in values:
        return pd.Series(values, dtype="int64")
    if kind == "bool" and None not in values:
        return pd.Series(values, dtype=bool)
    if kind == "str" and all(isinstance(v, str) or v is None for v in values):
        return pd.Series(values, dtype=pd.Series(["x"]).dtype)  # pandas' default text dtype
    return pd.Series(values, dtype=object)
