"""The Excel workbook beside each HTML report: the report's key tables, ready for finance.

The pipeline writes ``NAME.xlsx`` beside ``NAME.html`` from what the notebook recorded:

- one sheet per table recorded with :func:`~cio_analytics.reporting.record_table` (in recording
  order; sheet names made valid for Excel: at most 31 characters, none of ``[]:*?/\\``, unique
  ignoring case), with a bold frozen header row, an auto-filter, number formats (currency with
  thousands separators, percent, integers, dates) and column widths fitted to the content;
- a "Key figures" sheet (first) with every figure recorded with
  :func:`~cio_analytics.reporting.record`, its number format derived from the figure's ``fmt``;
- an "About" sheet (last): report title, pack, period, run date, status, parameters, input
  files with their SHA-256, and which sheet holds which table.

Cells hold the recorded numbers themselves (formats only change how Excel shows them), so
finance can compute on them without retyping. Missing values (NaN) are empty cells.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..reporting.record import RecordedTable

__all__ = ["excel_format", "python_fmt_to_excel", "sheet_names", "write_workbook"]

KEY_FIGURES, ABOUT = "Key figures", "About"
_INVALID = re.compile(r"[\[\]:*?/\\]")
_HEADER_FILL = "DCE6F1"
_DATE, _DATETIME = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
_SMALL = "#,##0.00##"  # 2 to 4 decimals: 0.25, 1.50, 0.0141


def sheet_names(names: Iterable[str], reserved: Iterable[str] = (KEY_FIGURES, ABOUT)) -> list[str]:
    """Valid, unique Excel sheet names for ``names`` (same order), avoiding ``reserved``.

    Excel's rules: 1-31 characters, none of ``[ ] : * ? / \\``, no leading or trailing
    apostrophe, unique ignoring case, and "History" is reserved.

    Examples
    --------
    >>> sheet_names(["cash flows", "a/b", "x" * 40, "X" * 40, "about", ""])
    ['cash flows', 'a_b', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'XXXXXXXXXXXXXXXXXXXXXXXXXXX (2)', 'about (2)', 'Table']
    """
    taken = {n.casefold() for n in reserved} | {"history"}
    out = []
    for raw in names:
        base = " ".join(_INVALID.sub("_", str(raw)).split()).strip("'").strip() or "Table"
        base = base[:31].rstrip()
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            name = base[: 31 - len(suffix)].rstrip() + suffix
        taken.add(name.casefold())
        out.append(name)
    return out


def _decimals(spec: str, default: int) -> int:
    _, _, d = spec.partition(":")
    return int(d) if d else default


def excel_format(
    spec: str | None, *, dtype: str = "float", currency: str | None = None, values: Any = None
) -> str:
    """The Excel number format code for a column format of :func:`record_table`.

    ``spec`` is a kind (``"currency"``, ``"percent:1"``, ``"integer"``, ``"number:2"``,
    ``"date"``, ``"datetime"``, ``"text"``), an Excel code (returned as given), or None (then
    chosen from ``dtype``: ``"int"``, ``"float"``, ``"datetime"``, ``"bool"``, ``"str"``; a
    float column whose largest magnitude in ``values`` is 1000 or more shows no decimals, else
    2 to 4 decimals; in the workbook each cell of such a column under 1000 in magnitude keeps
    its decimals, so a mixed column (an NPV beside a probability) never shows 0.67 as 1).

    Examples
    --------
    >>> excel_format("currency", currency="EUR")
    '#,##0" EUR"'
    >>> excel_format("currency:2"), excel_format("percent"), excel_format("percent:0")
    ('#,##0.00', '0.0%', '0%')
    >>> excel_format(None, dtype="int"), excel_format(None, dtype="float", values=[1.5, 2e6])
    ('#,##0', '#,##0')
    >>> excel_format(None, dtype="float", values=[0.25]), excel_format("#,##0.0")
    ('#,##0.00##', '#,##0.0')
    """
    if spec is None:
        if dtype == "int":
            return "#,##0"
        if dtype == "datetime":
            return _DATE
        if dtype == "float":
            finite = [abs(v) for v in (values or []) if v is not None and math.isfinite(v)]
            return "#,##0" if finite and max(finite) >= 1000 else _SMALL
        return "General"
    kind = spec.partition(":")[0]
    if kind == "currency":
        d = _decimals(spec, 0)
        code = "#,##0" + ("." + "0" * d if d else "")
        return code + (f'" {currency}"' if currency else "")
    if kind == "percent":
        d = _decimals(spec, 1)
        return "0" + ("." + "0" * d if d else "") + "%"
    if kind == "integer":
        return "#,##0"
    if kind == "number":
        d = _decimals(spec, 2)
        return "#,##0" + ("." + "0" * d if d else "")
    if kind == "date":
        return _DATE
    if kind == "datetime":
        return _DATETIME
    if kind == "text":
        return "@"
    return spec


_SPEC = re.compile(
    r"^(?:.?[<>=^])?[+\- ]?z?#?0?\d*(?P<group>[,_])?(?:\.(?P<prec>\d+))?(?P<type>[bcdeEfFgGnosxX%])?$"
)


def python_fmt_to_excel(fmt: str | None, value: Any = None) -> str:
    """The Excel number format showing a figure as Python's ``format(value, fmt)`` would.

    Examples
    --------
    >>> python_fmt_to_excel(",.0f"), python_fmt_to_excel(".1%"), python_fmt_to_excel(".2f")
    ('#,##0', '0.0%', '0.00')
    >>> python_fmt_to_excel(None, 1234), python_fmt_to_excel(None, 0.5), python_fmt_to_excel(".2e")
    ('#,##0', 'General', '0.00E+00')
    """
    m = _SPEC.match(fmt or "")
    if not fmt or not m:
        return "#,##0" if isinstance(value, int) and not isinstance(value, bool) else "General"
    kind, prec, group = m.group("type"), m.group("prec"), m.group("group")
    whole = "#,##0" if group else "0"
    if kind in (None, "g", "G", "n") and prec is None:
        return whole if isinstance(value, int) or (group and kind is None) else "General"
    if kind in ("d", "n"):
        return whole
    digits = int(prec) if prec is not None else 6
    frac = "." + "0" * digits if digits else ""
    if kind == "%":
        return whole + frac + "%"
    if kind in ("e", "E"):
        return "0" + frac + "E+00"
    if kind in ("f", "F", None, "g", "G"):
        return whole + frac
    return "General"


def _excel_value(value: Any, dtype: str) -> Any:
    if value is None:
        return None
    if dtype == "datetime":
        return value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _shown_width(values: list[Any], code: str, header: str) -> float:
    """Characters needed to show the column: header and the longest formatted value."""
    longest = len(header)
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if numbers:
        m = re.search(r"\.(0+)", code)
        decimals = len(m.group(1)) if m else 0
        literal = re.search(r'"([^"]*)"', code)
        extra = len(literal.group(1)) if literal else 0
        scale = 100 if code.endswith("%") else 1
        for v in (min(numbers), max(numbers)):
            longest = max(longest, len(f"{v * scale:,.{decimals}f}") + extra + 1)
    others = [v for v in values if v is not None and not isinstance(v, int | float)]
    if others:
        longest = max(longest, max(len(str(v)) for v in others[:5000]))
        if code in (_DATE, _DATETIME):
            longest = max(len(header), len(code))
    return min(60.0, longest + 2.5)


def _header(ws, labels: list[str]) -> None:
    from openpyxl.styles import Border, Font, PatternFill, Side

    ws.append(labels)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.border = Border(bottom=Side(style="thin", color="8EA9C1"))
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


#: Per-row formats of a long table (``figure, value, low, high, kind[, unit]``, like
#: ``Decision.summary()``): each row's ``kind`` names its unit.
_ROW_KINDS = {
    "money": "currency",
    "percent": "percent",
    "integer": "integer",
    "number": "number:2",
    "fte": "number:1",
    "years": "number:1",
    "hours": "number:1",
}
_LONG_VALUES = ("value", "low", "high")


def _row_codes(table: RecordedTable, columns: list[str]) -> list[str | None] | None:
    """The format code of each row of a long table with a ``kind`` column, else None."""
    if "kind" not in columns or not any(c in columns for c in _LONG_VALUES):
        return None
    frame = table.frame
    units = frame["unit"] if "unit" in columns else None
    codes = []
    for r, kind in enumerate(frame["kind"].astype(str).tolist()):
        spec = _ROW_KINDS.get(kind)
        unit = str(units.iloc[r]) if units is not None and units.iloc[r] else table.currency
        codes.append(None if spec is None else excel_format(spec, currency=unit or None))
    return codes


def _figure_code(entry: Mapping[str, Any], value: Any) -> str:
    """A key figure's format: its currency or percent when its unit or spec says so."""
    from ..reporting.record import is_currency_unit

    fmt, unit = entry.get("fmt") or "", entry.get("unit")
    if fmt.endswith("%") or unit == "%":
        return python_fmt_to_excel(fmt if fmt.endswith("%") else ".1%", value)
    if is_currency_unit(unit):
        return excel_format("currency", currency=unit)
    return python_fmt_to_excel(entry.get("fmt"), value)


def _table_sheet(ws, table: RecordedTable) -> None:
    from openpyxl.utils import get_column_letter

    frame = table.frame
    columns = [str(c) for c in frame.columns]
    _header(ws, columns)
    cols = []
    for i, name in enumerate(columns):
        dtype = table.dtypes[i]
        values = [_excel_value(v, dtype) for v in frame.iloc[:, i].astype(object).tolist()]
        values = [None if _missing(v) else v for v in values]
        code = excel_format(
            table.formats.get(name), dtype=dtype, currency=table.currency, values=values
        )
        if table.formats.get(name) is None and dtype == "datetime":
            if any(v is not None and (v.hour or v.minute or v.second) for v in values):
                code = _DATETIME
        cols.append((values, code))
        ws.column_dimensions[get_column_letter(i + 1)].width = _shown_width(values, code, name)
    for r in range(len(frame)):
        ws.append([values[r] for values, _ in cols])
    per_row = _row_codes(table, columns)
    for i, (_, code) in enumerate(cols):
        auto = table.formats.get(columns[i]) is None and table.dtypes[i] == "float"
        if per_row is not None and columns[i] in _LONG_VALUES:
            for r, (cell,) in enumerate(
                ws.iter_rows(min_row=2, min_col=i + 1, max_col=i + 1, max_row=len(frame) + 1)
            ):
                if per_row[r] is not None and isinstance(cell.value, int | float):
                    cell.number_format = per_row[r]
            continue
        if code != "General":
            for (cell,) in ws.iter_rows(min_row=2, min_col=i + 1, max_col=i + 1):
                value = cell.value
                small = auto and isinstance(value, float) and abs(value) < 1000
                small = small and not (code == "#,##0" and value.is_integer())  # 0 stays "0"
                cell.number_format = _SMALL if small else code
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(frame) + 1, 2)}"


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        return False


def _key_figures_sheet(ws, records: Mapping[str, Mapping[str, Any]]) -> None:
    _header(ws, ["Figure", "Value", "Unit", "Identifier"])
    for name, entry in records.items():
        value = entry.get("value")
        if isinstance(value, bool):
            value = "Yes" if value else "No"
        elif value is None or (isinstance(value, float) and not math.isfinite(value)):
            value = "n/a"
        ws.append([entry.get("label") or name, value, entry.get("unit") or "", name])
        cell = ws.cell(row=ws.max_row, column=2)
        if isinstance(value, int | float):
            cell.number_format = _figure_code(entry, value)
    widths = {"A": 44, "B": 20, "C": 10, "D": 30}
    for col, width in widths.items():
        ws.column_dimensions[col].width = width


def _about_sheet(ws, about: list[tuple[str, Any]]) -> None:
    from openpyxl.styles import Alignment, Font

    for label, value in about:
        if isinstance(value, list | dict | tuple):
            value = repr(value)
        ws.append([label, value])
        if value is None and label:
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=12)
        elif label:
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        ws.cell(row=ws.max_row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 90


def write_workbook(
    path: str | Path,
    *,
    title: str,
    tables: Mapping[str, RecordedTable] | None = None,
    records: Mapping[str, Mapping[str, Any]] | None = None,
    pack: str = "",
    period: str = "",
    run_date: str = "",
    status: str = "ok",
    parameters: Mapping[str, Any] | None = None,
    inputs: Mapping[str, str] | None = None,
) -> Path:
    """Write a report's workbook: "Key figures", one sheet per table, "About"; return its path.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write (replaced if it exists).
    title : str
        The report's title (first line of "About", and the workbook's title property).
    tables : mapping of name -> RecordedTable, optional
        From :func:`~cio_analytics.reporting.record.read_tables`.
    records : mapping of name -> {"value", "label", "unit", "fmt"}, optional
        From :func:`~cio_analytics.reporting.read_records`.
    pack, period, run_date, status : str
        Shown on "About".
    parameters, inputs : mapping, optional
        The job's parameters and its input files (``name -> "path (sha256 ...)"``).
    """
    from openpyxl import Workbook

    tables = dict(tables or {})
    wb = Workbook()
    wb.properties.title, wb.properties.creator = title, "cio-analytics"
    figures = wb.active
    figures.title = KEY_FIGURES
    _key_figures_sheet(figures, records or {})
    names = sheet_names(tables)
    for sheet, table in zip(names, tables.values(), strict=True):
        _table_sheet(wb.create_sheet(sheet), table)
    about = [
        (title, None),
        ("Pack", pack),
        ("Period", period),
        ("Run date (UTC)", run_date),
        ("Status", status),
        ("", ""),
        ("Sheets", None),
        (KEY_FIGURES, "headline figures of the report (label, value, unit, identifier)"),
        *((s, t.title or t.name) for s, t in zip(names, tables.values(), strict=True)),
        ("", ""),
        ("Parameters", None),
        *((str(k), v) for k, v in (parameters or {}).items()),
    ]
    if inputs:
        about += [("", ""), ("Input files (SHA-256)", None), *inputs.items()]
    about += [
        ("", ""),
        ("Made by", "cio-analytics report pipeline; values are the report's own numbers"),
    ]
    _about_sheet(wb.create_sheet(ABOUT), about)
    path = Path(path)
    wb.save(path)
    return path
