"""Reading a CSV or XLSX table for the validated readers: one place for file-level errors."""

from __future__ import annotations

import os

import pandas as pd

from .._validation import closest, did_you_mean
from ..exceptions import DataFileError
from .paths import resolve_data_path

__all__ = ["read_table", "require_columns", "spreadsheet_row"]

_EXCEL = (".xlsx", ".xlsm")
_TEXT = (".csv",)


def read_table(
    path: str | os.PathLike[str],
    *,
    parameter: str = "path",
    as_text: bool = False,
    sheet_name: str | int = 0,
) -> tuple[pd.DataFrame, str]:
    """Read ``path`` (CSV or XLSX, resolved from the project root) into a DataFrame.

    Headers are stripped of white space and fully empty rows dropped. With ``as_text`` every
    cell is kept as written (text, no NaN), so the caller's own checks can quote it. Returns the
    frame and the file name as the user gave it, for error messages.
    """
    resolved = resolve_data_path(path, parameter=parameter)
    name, suffix = str(path), resolved.suffix.lower()
    try:
        if suffix in _EXCEL:
            frame = pd.read_excel(
                resolved, sheet_name=sheet_name, dtype=object if as_text else None
            )
        elif suffix in _TEXT:
            text = {"dtype": str, "keep_default_na": False} if as_text else {}
            frame = pd.read_csv(resolved, skipinitialspace=True, **text)
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
    if not as_text:
        frame = frame.dropna(how="all").reset_index(drop=True)
    return frame, name


def require_columns(frame: pd.DataFrame, columns, name: str) -> None:
    """Raise DataFileError for the first missing column (with a did-you-mean) or no data rows."""
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
    """Spreadsheet row of the 0-based data position ``pos`` (the header is row 1)."""
    return int(pos) + 2
