"""Reading a CSV, XLSX or YAML file for the validated readers: one place for file-level errors.

Tables are read as typed (text from a CSV, cell objects from XLSX) so that the column parsers
of :mod:`._columns` can quote a bad cell exactly as the user wrote it.
"""

from __future__ import annotations

import csv
import os
import warnings
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .._validation import closest, did_you_mean
from ..exceptions import DataFileError, DataFileWarning
from ._columns import FileContext, is_missing
from .paths import resolve_data_path

__all__ = [
    "check_columns",
    "check_keys",
    "closest_column",
    "read_table",
    "read_yaml",
    "require_columns",
    "spreadsheet_row",
]

_EXCEL = (".xlsx", ".xlsm")
_TEXT = (".csv",)
#: How close (difflib ratio) an unknown header must be to a known column to count as a typo.
_TYPO_CUTOFF = 0.8
_SAVE_CSV = (
    "Save it as comma-separated CSV (in Excel: Save As > 'CSV UTF-8 (Comma delimited)'), "
    "with a decimal point in numbers (1234.56)."
)


def read_table(
    path: str | os.PathLike[str],
    *,
    parameter: str = "path",
    sheet: str | int | None = None,
    sheet_name: str | int | None = None,
) -> tuple[pd.DataFrame, FileContext]:
    """Read ``path`` (CSV or XLSX, resolved from the project root) into a DataFrame of cells.

    Every cell is kept as typed (CSV: text, empty cells ``""``; XLSX: the cell's value). Headers
    are stripped of white space and fully empty rows dropped. Returns the frame (0-based index)
    and the :class:`FileContext` naming the file as the user gave it and the spreadsheet row of
    every data row, for error messages.

    Parameters
    ----------
    path : str or PathLike
        The file, absolute or relative to the working directory or the project root.
    parameter : str
        The name of the caller's parameter, for a "no file" message.
    sheet : str or int, optional
        The worksheet of an XLSX file, by name or 0-based position; default the first.
        ``sheet_name`` is the same (pandas' spelling).

    Raises
    ------
    DataFileError
        No such file (or a folder), an unsupported type, a text file named ``.xlsx``, an
        unknown sheet (naming the sheets), a formula without a calculated value, a file
        separated by semicolons, a line with more cells than the header.

    Notes
    -----
    The frame's ``attrs`` hold ``sheet`` and ``sheets`` (the worksheet read and all of them)
    for an XLSX file, so :func:`check_columns` can point at the sheet holding the table.
    """
    resolved = resolve_data_path(path, parameter=parameter)
    name, suffix = str(path), resolved.suffix.lower()
    chosen = sheet if sheet is not None else (sheet_name if sheet_name is not None else 0)
    sheets: list[str] = []
    try:
        if suffix in _EXCEL:
            frame, sheets, chosen = _read_excel(resolved, name, chosen)
        elif suffix in _TEXT:
            frame = _read_csv(resolved, name)
        else:
            raise DataFileError(
                f"unsupported file type {suffix!r}. Save the table as .csv or .xlsx.", path=name
            )
    except DataFileError:
        raise
    except Exception as exc:  # parser errors from pandas / openpyxl
        raise DataFileError(
            f"cannot be read as a table ({type(exc).__name__}: {exc}). "
            "Check that it is a valid CSV (comma-separated, one header row) or XLSX file.",
            path=name,
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    keep = ~_empty_rows(frame, text=suffix in _TEXT) if len(frame.columns) else []
    rows = tuple((np.asarray(frame.index[keep], dtype=np.int64) + 2).tolist())
    frame = frame[keep].reset_index(drop=True)
    if sheets:
        frame.attrs.update(sheet=chosen, sheets=sheets)
    return frame, FileContext(name, rows=rows, resolved=resolved)


def _empty_rows(frame: pd.DataFrame, *, text: bool) -> np.ndarray:
    """True for each row whose every cell is missing (:func:`is_missing`), column by column
    over the rows still empty: a CSV's cells (``text``, all strings) by vectorised string
    operations, a spreadsheet's one by one."""
    empty = np.ones(len(frame), dtype=bool)
    for _, col in frame.items():
        if not empty.any():
            break
        values = col[empty]
        if text:
            blank = values.str.strip().eq("").to_numpy()
        else:
            blank = values.map(is_missing).to_numpy(dtype=bool)
        empty[np.flatnonzero(empty)[~blank]] = False
    return empty


def _read_csv(resolved: Path, name: str) -> pd.DataFrame:
    """A CSV as text cells; a semicolon-separated file or a ragged line gets a clear message."""
    try:
        with open(resolved, encoding="utf-8-sig") as fh:
            head = fh.readline()
    except UnicodeDecodeError:
        raise DataFileError(
            "is not UTF-8 text (it may be saved in a Windows code page, or be a binary file "
            "renamed .csv). Save it as 'CSV UTF-8 (Comma delimited)'.",
            path=name,
        ) from None
    if head.count(";") > head.count(","):
        cells = head.strip().split(";")
        raise DataFileError(
            f"this file uses semicolons (;) between columns (header {head.strip()!r} is "
            f"{len(cells)} columns: {', '.join(repr(c) for c in cells[:4])}"
            f"{', ...' if len(cells) > 4 else ''}), as spreadsheets with European settings "
            f"save CSV, often with decimal commas (1.234,56). {_SAVE_CSV}",
            path=name,
        )
    with open(resolved, encoding="utf-8-sig", newline="") as fh:
        lines = csv.reader(fh)
        width = len(next(lines, []))
        for cells in lines:
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                raise DataFileError(
                    f"has {len(cells)} cells but the header has {width} "
                    f"({', '.join(repr(c) for c in cells[: width + 2])}"
                    f"{', ...' if len(cells) > width + 2 else ''}). A decimal comma (1234,56) "
                    "or a comma inside a text cell splits a cell in two: write numbers with a "
                    "decimal point and put text holding commas in double quotes. "
                    f"{_SAVE_CSV}",
                    path=name,
                    row=lines.line_num,
                )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.ParserWarning)  # empty trailing cells
        return pd.read_csv(
            resolved, dtype=str, keep_default_na=False, skipinitialspace=True,
            skip_blank_lines=False, encoding="utf-8-sig", index_col=False,
        )  # fmt: skip


def _read_excel(resolved: Path, name: str, sheet: str | int) -> tuple[pd.DataFrame, list[str], str]:
    """The chosen worksheet as cell objects, its name, and the names of all sheets."""
    with open(resolved, "rb") as fh:
        magic = fh.read(8)
    if not magic.startswith(b"PK"):
        if magic.startswith(b"\xd0\xcf\x11\xe0"):
            what, fix = "an old binary Excel workbook (.xls)", "Save it as .xlsx in Excel."
        else:
            what = "a text file (probably CSV renamed to .xlsx), not an Excel workbook"
            fix = "Rename it to .csv, or open it in Excel and save it as .xlsx."
        raise DataFileError(f"is {what}. {fix}", path=name)
    try:
        book = pd.ExcelFile(resolved, engine="openpyxl")
    except zipfile.BadZipFile:
        raise DataFileError(
            "is not a valid Excel workbook (the file is damaged or is another zip file). "
            "Open it in Excel and save it as .xlsx.",
            path=name,
        ) from None
    with book:
        sheets = [str(s) for s in book.sheet_names]
        listed = ", ".join(repr(s) for s in sheets)
        if isinstance(sheet, bool) or not isinstance(sheet, (int, str)):
            raise DataFileError(
                f"`sheet` must be a sheet name or a 0-based position. Got {sheet!r}. The "
                f"workbook's sheets are {listed}.",
                path=name,
            )
        if isinstance(sheet, int) and not 0 <= sheet < len(sheets):
            raise DataFileError(
                f"has no sheet number {sheet} (0-based); its {len(sheets)} sheet(s) are "
                f"{listed}. Pass sheet= one of these names.",
                path=name,
            )
        if isinstance(sheet, str) and sheet not in sheets:
            raise DataFileError(
                f"has no sheet {sheet!r}; its sheets are {listed}.{did_you_mean(sheet, sheets)} "
                "Pass sheet= one of these names.",
                path=name,
            )
        chosen = sheets[sheet] if isinstance(sheet, int) else sheet
        # keep_default_na=False: 'n/a', 'NA' or '-' typed in a cell stay text, so a message can
        # quote them as typed (empty cells read as '').
        frame = pd.read_excel(book, sheet_name=chosen, dtype=object, keep_default_na=False)
    _check_formulas(resolved, name, chosen, frame)
    return frame, sheets, chosen


def _check_formulas(resolved: Path, name: str, sheet: str, frame: pd.DataFrame) -> None:
    """Refuse formulas whose calculated values were never stored (they read back as empty).

    A workbook saved by Excel or LibreOffice stores every formula's value; one written by a
    program that does not calculate (openpyxl, some exports) stores none. Only a sheet whose
    formulas are *all* without a value is refused, so a calculated formula that returns ""
    (``=IF(A2>0, A2, "")``) is not mistaken for an uncalculated one.
    """
    if not frame.map(is_missing).to_numpy().any():
        return
    import openpyxl

    first = None
    book = openpyxl.load_workbook(resolved, read_only=True, data_only=False)
    try:
        for row in book[sheet].iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                r, c = cell.row - 2, cell.column - 1
                if r < 0 or r >= len(frame) or c >= len(frame.columns):
                    continue
                if not is_missing(frame.iat[r, c]):
                    return  # the sheet was calculated
                if first is None:
                    first = (cell.coordinate, str(cell.value), cell.row, str(frame.columns[c]))
    finally:
        book.close()
    if first is not None:
        coordinate, formula, row, column = first
        raise DataFileError(
            f"cell {coordinate} holds the formula {formula!r} but no calculated value: it is an "
            "uncalculated formula (the workbook was written by a program that does not "
            "calculate). Open and save the workbook in Excel (or LibreOffice) so the values are "
            "stored, or type the value.",
            path=name,
            row=row,
            column=column.strip(),
        )


def read_yaml(path: str | os.PathLike[str], *, parameter: str = "path") -> tuple[Any, FileContext]:
    """Load a YAML file: its data and the :class:`FileContext` naming it."""
    resolved = resolve_data_path(path, parameter=parameter)
    name = str(path)
    try:
        with open(resolved, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise DataFileError(f"is not valid YAML ({exc}).", path=name) from None
    return data, FileContext(name, resolved=resolved)


def check_keys(data: Mapping[str, Any], allowed: Iterable[str], ctx: FileContext) -> None:
    """Refuse the first key of a YAML mapping that is not in ``allowed`` (with a did-you-mean)."""
    allowed = tuple(allowed)
    for key in data:
        if key not in allowed:
            raise ctx.error(
                str(key),
                f"unknown key.{did_you_mean(str(key), allowed)}",
                key,
                f"Use only {', '.join(allowed)}.",
            )


def require_columns(frame: pd.DataFrame, columns, ctx: FileContext | str) -> None:
    """Raise DataFileError for the first missing column (with a did-you-mean) or no data rows.

    In a workbook of several sheets, the message names the sheet read and the sheets that do
    hold the column, with the ``sheet=`` to pass.
    """
    name = ctx.path if isinstance(ctx, FileContext) else ctx
    for col in columns:
        if col not in frame.columns:
            close = closest(col, frame.columns)
            fix = f" Rename the header {close!r} to {col!r}." if close else " Add the column."
            raise DataFileError(
                f"missing required column `{col}`. Found columns {list(frame.columns)}."
                f"{did_you_mean(col, frame.columns)}{fix}{_sheet_hint(frame, ctx, columns)}",
                path=name,
                column=col,
            )
    if frame.empty:
        raise DataFileError(
            f"holds no data rows. Add at least one row below the header."
            f"{_sheet_hint(frame, ctx, columns)}",
            path=name,
        )


def _sheet_hint(frame: pd.DataFrame, ctx: FileContext | str, columns: Iterable[str]) -> str:
    """For a workbook: which sheet was read, and which sheets hold ``columns``."""
    sheets = frame.attrs.get("sheets") or []
    resolved = ctx.resolved if isinstance(ctx, FileContext) else None
    if len(sheets) < 2 or resolved is None:
        return ""
    wanted = set(columns)
    fits = []
    with pd.ExcelFile(resolved, engine="openpyxl") as book:
        for other in sheets:
            if other == frame.attrs.get("sheet"):
                continue
            head = pd.read_excel(book, sheet_name=other, nrows=0)
            if wanted <= {str(c).strip() for c in head.columns}:
                fits.append(other)
    listed = ", ".join(repr(x) for x in sheets)
    where = f" This is sheet {frame.attrs.get('sheet')!r} of a workbook with sheets {listed}."
    if fits:
        return f"{where} Sheet {fits[0]!r} holds the table: pass sheet={fits[0]!r}."
    return f"{where} Pass sheet= the name of the sheet that holds the table."


def check_columns(
    frame: pd.DataFrame,
    required: Iterable[str],
    optional: Iterable[str] = (),
    ctx: FileContext | str = "",
    *,
    prefixes: Iterable[str] = (),
    what: str = "this file",
) -> None:
    """Check a table's header: required columns present, no misspelt column, extras named.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table from :func:`read_table`.
    required : iterable of str
        Columns the file must have.
    optional : iterable of str
        Columns the reader uses when present.
    ctx : FileContext or str
        The file, for messages.
    prefixes : iterable of str
        Families of columns the reader takes by prefix (``cost_`` for ``cost_2027``).
    what : str
        The kind of file, for messages ("a ticket export").

    Raises
    ------
    DataFileError
        A required column is missing, the file has no data rows, or a header is close to a
        known column the file does not have (a typo such as ``reopened_coutn`` for
        ``reopened_count``, which would otherwise be dropped and read as empty).

    Warns
    -----
    DataFileWarning
        Columns that are neither known nor close to a known column: they are ignored, and
        named so a user sees what was not read.

    Examples
    --------
    >>> frame = pd.DataFrame({"team": ["A"], "reopened_coutn": ["2"]})
    >>> check_columns(frame, ["team"], ["reopened_count"], "tickets.csv")
    Traceback (most recent call last):
    ...
    cio_analytics.exceptions.DataFileError: tickets.csv, column `reopened_coutn`: unknown column; did you mean `reopened_count`? A misspelt column would be ignored (read as empty). Rename the header to `reopened_count`, or remove the column if it holds something else.
    """
    required, optional, prefixes = tuple(required), tuple(optional), tuple(prefixes)
    require_columns(frame, required, ctx)
    name = ctx.path if isinstance(ctx, FileContext) else ctx
    known = (*required, *optional)
    absent = [c for c in known if c not in frame.columns]
    unknown = []
    for header in frame.columns:
        if header in known or any(header.startswith(p) and header != p for p in prefixes):
            continue
        close = closest_column(header, absent)
        if close is not None:
            raise DataFileError(
                f"unknown column; did you mean `{close}`? A misspelt column would be ignored "
                f"(read as empty). Rename the header to `{close}`, or remove the column if it "
                "holds something else.",
                path=name,
                column=header,
            )
        unknown.append(header)
    if unknown:
        listed = ", ".join(f"`{c}`" for c in unknown)
        families = "".join(f", {p}<...>" for p in prefixes)
        warnings.warn(
            f"{name}: ignored {len(unknown)} column(s) not read by {what}: {listed}. The "
            f"columns read are {', '.join(known)}{families}. Rename a column if it was meant "
            "as one of these; otherwise it is safe to ignore.",
            DataFileWarning,
            stacklevel=3,
        )


def closest_column(header: str, candidates: Iterable[str]) -> str | None:
    """The known column a header is a likely typo of (close by spelling, case ignored).

    >>> closest_column("handle_times_", ["handle_time_min", "first_contact"])
    'handle_time_min'
    >>> closest_column("assignee", ["handle_time_min", "first_contact"]) is None
    True
    """
    import difflib

    lowered = {str(c).lower(): str(c) for c in candidates}
    hit = difflib.get_close_matches(str(header).lower(), list(lowered), n=1, cutoff=_TYPO_CUTOFF)
    return lowered[hit[0]] if hit else None


def spreadsheet_row(pos: int) -> int:
    """Spreadsheet row of the 0-based data position ``pos`` (the header is row 1).

    >>> spreadsheet_row(0)
    2
    """
    return int(pos) + 2
