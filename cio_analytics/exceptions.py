"""The project's exceptions.

Every input error raised by cio-analytics is a :class:`CioAnalyticsError`, which is also a
:class:`ValueError`, so callers may catch either. Messages follow one form: what (parameter,
file, row, column), the rule, the value received, and the likely fix.
"""

from __future__ import annotations

__all__ = [
    "CioAnalyticsError",
    "ConvergenceError",
    "DataFileError",
    "DataFileWarning",
    "ParameterError",
]


class CioAnalyticsError(ValueError):
    """Base class of every error cio-analytics raises for bad input."""


class ParameterError(CioAnalyticsError):
    """A function argument or report parameter breaks its rule."""


class DataFileError(CioAnalyticsError):
    """A data file (CSV, XLSX, YAML) is missing, unreadable or breaks its schema.

    Parameters
    ----------
    message : str
        The rule that was broken and the likely fix.
    path : str, optional
        The file, as the user named it.
    row : int, optional
        1-based row number as a spreadsheet user sees it (header is row 1).
    column : str, optional
        The column name.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path, self.row, self.column = path, row, column
        where = []
        if path is not None:
            where.append(str(path))
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column `{column}`")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class ConvergenceError(CioAnalyticsError):
    """A solver found no answer and the caller asked for an exception instead of NaN."""


class DataFileWarning(UserWarning):
    """A data file was read, but holds something the reader ignored (e.g. an unknown column).

    The message names the file and what was ignored, so a misspelt optional column cannot
    vanish unnoticed. Turn it into an error with ``warnings.simplefilter("error",
    DataFileWarning)``.
    """
