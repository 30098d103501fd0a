"""Reading a CSV, XLSX or YAML file for the validated readers: one place for file-level errors.

Tables are read as typed (text from a CSV, cell objects from XLSX) so that the column parsers
of :mod:`._columns` can quote a bad cell exactly as the user wrote it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import yaml

from .._validation import closest, did_you_mean
from ..exceptions import DataFileError
from ._columns import FileContext, is_missing
from .paths import resolve_data_path

__all__ = ["check_keys", "read_table", "read_yaml", "require_columns", "spreadsheet_row"]

_EXCEL = (".xlsx", ".xlsm")
_TEXT = (".csv",)


def read_table(
    path: str | os.PathLike[str], *, parameter: str = "path", sheet_name: str | int = 0
) -> tuple[pd.DataFrame, FileContext]:
    """Read ``path`` (CSV or XLSX, resolved from the project root) into a DataFrame of cells.

    Every cell is kept as typed (CSV: text, empty cells ``""``; XLSX: the cell's value). Headers
    are stripped of white space and fully empty rows dropped. Returns the frame (0-based index)
    and the :class:`FileContext` naming the file as the user gave it and the spreadsheet row of
    every data row, for error messages.
    """
    resolved = resolve_data_path(path, parameter=parameter)
    name, suffix = str(path), resolved.suffix.lower()
    try:
        if suffix in _EXCEL:
            frame = pd.read_excel(resolved, sheet_name=sheet_name, dtype=object)
        elif suffix in _TEXT:
            frame = pd.read_csv(
                resolved, dtype=str, keep_default_na=False, skipinitialspace=True,
                skip_blank_lines=False,
            )  # fmt: skip
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
    keep = ~frame.map(is_missing).all(axis=1).to_numpy() if len(frame.columns) else []
    rows = tuple(int(i) + 2 for i in frame.index[keep])
    frame = frame[keep].reset_index(drop=True)
    return frame, FileContext(name, rows=rows, resolved=resolved)


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
    """Raise DataFileError for the first missing column (with a did-you-mean) or no data rows."""
    name = ctx.path if isinstance(ctx, FileContext) else ctx
    for col in columns:
        if col not in frame.columns:
            close = closest(col, frame.columns)
            fix = f" Rename the header {close!r} to {col!r}." if close else " Add the column."
            raise DataFileError(
                f"missing required column `{col}`. Found columns {list(frame.columns)}."
                f"{did_you_mean(col, frame.columns)}{fix}",
                path=name,
                column=col,
            )
    if frame.empty:
        raise DataFileError("holds no data rows. Add at least one row below the header.", path=name)


def spreadsheet_row(pos: int) -> int:
    """Spreadsheet row of the 0-based data position ``pos`` (the header is row 1).

    >>> spreadsheet_row(0)
    2
    """
    return int(pos) + 2
