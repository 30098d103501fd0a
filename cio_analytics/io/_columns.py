"""The one column-parsing layer of the readers: every cell of every data file is read here.

Each parser takes the column as a :class:`pandas.Series` of cells *as typed* (text from a CSV,
Python objects from an XLSX sheet or a YAML file), the column name and the :class:`FileContext`
of the file, and returns clean values or raises :class:`~cio_analytics.exceptions.DataFileError`
in one form::

    <file>, row <spreadsheet row>, column `<column>`: <rule> Got <value as typed>. <fix>

A YAML value is checked by the same parsers through :meth:`FileContext.at` (the location of the
value, e.g. ``offer 2 (Vendor B)``, takes the place of the row) and :func:`scalar`.

Parsers
-------
:func:`numbers`, :func:`integers`, :func:`money`, :func:`rates` (decimals, with a hint when a
percentage was typed), :func:`texts` (required or optional, choices, unique), :func:`flags`
(yes/no, true/false, 1/0), :func:`dates` and :func:`months`, :func:`id_lists`.

Dates
-----
ISO 8601 (``2026-01-05``, ``2026-01-05 08:30``, ``2026-01``) is always accepted, and so are date
cells of a spreadsheet. Another format is accepted only when the caller states it
(``date_format="%d/%m/%Y"``) or when exactly one reading fits the whole column: a day above 12
somewhere (``13/04/2026``) proves the column is day-first. A column that could be read day-first
and month-first alike is refused, naming two of its values, rather than guessed.

Examples
--------
>>> ctx = FileContext("costs.csv")
>>> numbers(pd.Series(["12", " 3.5", ""]), "amount", ctx, optional=True)
array([12. ,  3.5,  nan])
>>> numbers(pd.Series(["12", "n/a"]), "amount", ctx)
Traceback (most recent call last):
...
cio_analytics.exceptions.DataFileError: costs.csv, row 3, column `amount`: expected a number. Got 'n/a'. Enter a plain number without currency signs, words or thousands separators (e.g. 120000 or 0.5).
>>> dates(pd.Series(["05/01/2026", "13/01/2026"]), "day", ctx).dt.strftime("%Y-%m-%d").tolist()
['2026-01-05', '2026-01-13']
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._validation import MAGNITUDES, column_kind, did_you_mean, magnitude_breach, short_repr
from ..exceptions import DataFileError
from .paths import file_sha256

__all__ = [
    "FileContext",
    "cells_of",
    "currencies",
    "dates",
    "flags",
    "id_lists",
    "integers",
    "is_missing",
    "money",
    "months",
    "numbers",
    "rates",
    "scalar",
    "texts",
]

#: Cells that spreadsheets and exports write for "no value" (compared lower-case).
NA_WORDS = frozenset({"n/a", "na", "nan", "null", "none", "#n/a", "<na>", "nat", "-"})
TRUE_WORDS = frozenset({"true", "yes", "y", "t", "1", "x"})
FALSE_WORDS = frozenset({"false", "no", "n", "f", "0"})
_NUMBER_FIX = (
    "Enter a plain number without currency signs, words or thousands separators "
    "(e.g. 120000 or 0.5)."
)
_MONEY_FIX = (
    "Enter the amount as a plain number, without currency signs or thousands separators "
    "(e.g. 120000; a decimal point, not a comma)."
)
#: Date formats tried, beyond ISO 8601, when the caller states none (one must fit the column).
_DATE_PARTS = ("%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%m-%d-%Y", "%Y/%m/%d",
               "%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y")  # fmt: skip
_CANDIDATES = (
    *(d + t for d in _DATE_PARTS for t in ("", " %H:%M", " %H:%M:%S")),
    "%b %Y", "%B %Y", "%m/%Y", "%Y/%m",
)  # fmt: skip
_NO_VALUE = object()


@dataclass(frozen=True)
class FileContext:
    """Where the cells come from: the file as the user named it, and the row of each cell.

    Attributes
    ----------
    path : str
        The file as named by the caller (used in every message).
    rows : tuple of int, optional
        Spreadsheet row (header is row 1) of each data position; default ``position + 2``.
    item : str, optional
        For a YAML value: where it sits (``offer 2 (Vendor B)``); messages then carry no row.
    items : tuple of str, optional
        For a YAML list read as a table: where each position sits (``line_items item 3``).
    resolved : pathlib.Path, optional
        The file on disk (for :attr:`sha256`).
    """

    path: str
    rows: tuple[int, ...] | None = None
    item: str | None = None
    items: tuple[str, ...] | None = None
    resolved: Path | None = None

    def row(self, pos: int) -> int | None:
        """Spreadsheet row of data position ``pos`` (None for a YAML value)."""
        if self.item is not None or self.items is not None:
            return None
        if self.rows is not None:
            return int(self.rows[int(pos)])
        from ._tables import spreadsheet_row

        return spreadsheet_row(pos)

    def at(self, item: str) -> FileContext:
        """The context of a YAML value at ``item`` (e.g. ``"offer 2 (Vendor B)"``)."""
        return replace(self, item=item, rows=None, items=None)

    def listed(self, items: Iterable[str]) -> FileContext:
        """The context of a YAML list read as a table: one location per position."""
        return replace(self, items=tuple(items), item=None, rows=None)

    def error(
        self,
        column: str | None,
        rule: str,
        value: Any = _NO_VALUE,
        fix: str = "",
        *,
        pos: int | None = None,
    ) -> DataFileError:
        """A DataFileError in the shared form: file, row, column, rule, value as typed, fix."""
        got = "" if value is _NO_VALUE else f" Got {typed(value)}."
        where = self.items[int(pos)] if self.items is not None and pos is not None else self.item
        prefix = f"{where}: " if where else ""
        return DataFileError(
            f"{prefix}{rule}{got} {fix}".strip(),
            path=self.path,
            row=None if pos is None else self.row(pos),
            column=column,
        )

    @property
    def sha256(self) -> str:
        """SHA-256 of the file (empty when the file is not known)."""
        return file_sha256(self.resolved) if self.resolved is not None else ""


def is_missing(value: Any) -> bool:
    """True for an empty cell: None, NaN, NaT or blank text (not for 'n/a', which was typed)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def typed(value: Any) -> str:
    """A cell as the user typed it, for messages: ``'n/a'``, ``12``, or ``empty``."""
    if is_missing(value):
        return "empty"
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    return short_repr(value)


def cells_of(frame: pd.DataFrame, name: str) -> pd.Series:
    """The cells of column ``name``, or empty cells when the file has no such column."""
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _cells(values: pd.Series | Iterable[Any]) -> pd.Series:
    """The cells as a 0-based object Series (positions, not labels)."""
    if isinstance(values, pd.Series):
        return pd.Series(values.to_numpy(dtype=object), dtype=object)
    return pd.Series(list(values), dtype=object)


def _blank(cells: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Mask of empty cells and the stripped text of every cell."""
    text = cells.where(~cells.isna(), "").astype(str).str.strip().astype(object)
    return (text == "").to_numpy(dtype=bool).copy(), text


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def numbers(
    values: pd.Series,
    column: str,
    ctx: FileContext,
    *,
    optional: bool = False,
    minimum: float | None = None,
    strict: bool = False,
    below: float | None = None,
    maximum: float | None = None,
    whole: bool = False,
    fix: str = "",
    format_fix: str = _NUMBER_FIX,
    kind: str | None = None,
) -> np.ndarray:
    """Cells as floats; with ``optional`` an empty (or 'n/a') cell is NaN.

    Parameters
    ----------
    values : pandas.Series
        The column's cells as typed (text, numbers, None/NaN for empty).
    column : str
        The column name, for messages.
    ctx : FileContext
        The file and the spreadsheet row (or YAML location) of each cell.
    optional : bool, default False
        Allow empty cells (and the usual "no value" words such as 'n/a'), read as NaN.
    minimum, strict, below, maximum : float or bool, optional
        Bounds: ``minimum`` (with ``strict`` the value must be greater), ``below`` (strictly
        less), ``maximum`` (at most).
    whole : bool, default False
        Ask for whole numbers.
    fix, format_fix : str
        Appended to a bound's message, and to the message for text that is not a number.
    kind : str, optional
        The kind of quantity, a key of :data:`cio_analytics._validation.MAGNITUDES`
        (``"amount"``, ``"calls"``, ``"headcount"``, ``"year"``, ``"duration_s"``, ...): its
        plausible range is enforced with a message naming the bound. Default: from the column
        name (:func:`cio_analytics._validation.column_kind`), else ``"number"`` (within 1e15).

    Returns
    -------
    numpy.ndarray of float

    Raises
    ------
    DataFileError
        For the first cell that is not a number or breaks a bound, quoting it as typed.

    Examples
    --------
    >>> numbers(pd.Series(["3", "4.5"]), "calls", FileContext("f.csv"), minimum=0)
    array([3. , 4.5])
    """
    cells = _cells(values)
    empty, text = _blank(cells)
    if optional:
        empty |= text.str.lower().isin(NA_WORDS).to_numpy()
    flag = cells.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
    out = pd.to_numeric(text.where(~empty, None), errors="coerce").to_numpy(dtype=float)
    bad = (~empty & (np.isnan(out) | np.isinf(out))) | flag
    if not optional:
        bad |= empty
    if bad.any():
        p = _first(bad)
        raise ctx.error(column, "expected a number.", cells.iloc[p], format_fix, pos=p)
    extra = f" {fix}" if fix else ""
    checks = []
    if minimum is not None:
        rule = f"greater than {minimum:g}" if strict else f"{minimum:g} or more"
        rule = f"must be a whole number, {rule}." if whole else f"must be {rule}."
        checks.append(((out <= minimum) if strict else (out < minimum), rule))
    if below is not None:
        checks.append((out >= below, f"must be below {below:g}."))
    if maximum is not None:
        checks.append((out > maximum, f"must be {maximum:g} or less."))
    if whole:
        checks.append(
            (out != np.round(out), rule if minimum is not None else "must be a whole number.")
        )
    for mask, rule in checks:
        mask = mask & ~np.isnan(out)
        if mask.any():
            p = _first(mask)
            raise ctx.error(column, rule, cells.iloc[p], extra.strip(), pos=p)
    kind = kind or column_kind(column, minimum=minimum)
    breach = magnitude_breach(out, kind)
    if breach is not None:
        p, rule = breach
        raise ctx.error(column, rule, cells.iloc[p], MAGNITUDES[kind].fix, pos=p)
    return out


def integers(
    values: pd.Series, column: str, ctx: FileContext, *, minimum: float | None = None, **kw: Any
) -> np.ndarray:
    """Whole numbers (int64; float with NaN for empty cells when ``optional``).

    A value beyond 2**53 (not a whole number a float can hold exactly, and far beyond any
    count, year or duration) is refused rather than wrapped into a negative int64.
    """
    out = numbers(values, column, ctx, minimum=minimum, whole=True, **kw)
    huge = np.abs(np.nan_to_num(out)) > 2.0**53
    if huge.any():
        p = _first(huge)
        raise ctx.error(
            column, "is too large for a whole number (the limit is 2**53).",
            _cells(values).iloc[p], "Check the cell: it is probably a typing or export error.",
            pos=p,
        )  # fmt: skip
    return out if np.isnan(out).any() else out.astype(np.int64)


def money(values: pd.Series, column: str, ctx: FileContext, **kw: Any) -> np.ndarray:
    """Amounts of money (floats in the file's currency), with the money fix for bad text.

    Bounded by the ``"amount"`` magnitude (at most 1e12 per line or period) unless ``kind``
    says otherwise.
    """
    kw.setdefault("kind", "amount")
    return numbers(values, column, ctx, format_fix=_MONEY_FIX, **kw)


def rates(
    values: pd.Series,
    column: str,
    ctx: FileContext,
    *,
    interval: str = "[0, 1]",
    optional: bool = False,
    fix: str = "",
) -> np.ndarray:
    """Decimal rates or shares in ``interval`` (``"[0, 1]"``, ``"[0, 1)"`` or ``"(-1, 1]"``).

    A value above 1 gets the hint that rates are decimals (write 0.3 for 30 %).

    Parameters
    ----------
    values : pandas.Series
        The column's cells as typed (text, numbers, None/NaN for empty).
    column : str
        The column name, for messages.
    ctx : FileContext
        The file and the spreadsheet row (or YAML location) of each cell.
    interval : str, default "[0, 1]"
        The allowed interval, in interval notation.
    optional : bool, default False
        Empty cells are NaN instead of an error.
    fix : str
        Appended to the message.

    Examples
    --------
    >>> rates(pd.Series(["30"]), "shrinkage", FileContext("f.csv"), interval="[0, 1)")
    Traceback (most recent call last):
    ...
    cio_analytics.exceptions.DataFileError: f.csv, row 2, column `shrinkage`: must be a decimal in [0, 1). Got '30'. Write 0.3 for 30 % (rates and shares are decimals).
    """
    lo_open, hi_open = interval[0] == "(", interval[-1] == ")"
    lo, hi = (float(x) for x in interval[1:-1].split(","))
    out = numbers(values, column, ctx, optional=optional)
    bad = ((out <= lo) if lo_open else (out < lo)) | ((out >= hi) if hi_open else (out > hi))
    if bad.any():
        p = _first(bad)
        x = out[p]
        hint = f" Write {x / 100:g} for {x:g} % (rates and shares are decimals)." if x > 1 else ""
        raise ctx.error(
            column, f"must be a decimal in {interval}.", _cells(values).iloc[p],
            f"{fix}{hint}".strip(), pos=p,
        )  # fmt: skip
    return out


def texts(
    values: pd.Series,
    column: str,
    ctx: FileContext,
    *,
    optional: bool = False,
    lower: bool = False,
    choices: Iterable[str] | None = None,
    aliases: Mapping[str, str] | None = None,
    unique: bool = False,
    fix: str = "",
) -> np.ndarray:
    """Stripped text (object array); empty cells are ``""`` when ``optional``, refused otherwise.

    ``lower`` folds case; ``aliases`` maps common spellings; ``choices`` lists the allowed
    values (with a did-you-mean hint); ``unique`` refuses a value seen in an earlier row.

    Examples
    --------
    >>> texts(pd.Series([" Run", "grow "]), "category", FileContext("f.csv"), lower=True,
    ...       choices=("run", "grow", "transform")).tolist()
    ['run', 'grow']
    """
    cells = _cells(values)
    empty, text = _blank(cells)
    if not optional and empty.any():
        p = _first(empty)
        raise ctx.error(
            column, "must not be empty.", cells.iloc[p], fix or "Fill in the cell.", pos=p
        )
    if lower:
        text = text.str.lower()
    if aliases:
        text = text.map(lambda t: aliases.get(t, t))
    if choices is not None:
        allowed = tuple(choices)
        bad = ~(text.isin(allowed).to_numpy() | (empty & optional))
        if bad.any():
            p = _first(bad)
            raise ctx.error(
                column,
                f"unknown {column}; allowed values are {', '.join(map(repr, allowed))}."
                f"{did_you_mean(text.iloc[p], allowed)}",
                cells.iloc[p], fix, pos=p,
            )  # fmt: skip
    if unique:
        dup = text.duplicated().to_numpy() & ~empty
        if dup.any():
            p = _first(dup)
            first = _first((text == text.iloc[p]).to_numpy())
            where = f" (first in row {ctx.row(first)})" if ctx.row(first) is not None else ""
            raise ctx.error(
                column, f"{text.iloc[p]!r} appears twice{where}; each value must be unique.",
                fix=fix or "Remove the duplicated row or give it its own name.", pos=p,
            )  # fmt: skip
    return text.to_numpy(dtype=object)


def currencies(values: pd.Series, column: str, ctx: FileContext) -> np.ndarray:
    """Three-letter currency codes (ISO 4217 form, upper case), e.g. ``EUR``."""
    codes = np.char.upper(texts(values, column, ctx, fix="E.g. EUR or USD.").astype(str))
    bad = ~(np.char.str_len(codes) == 3) | ~np.char.isalpha(codes)
    if bad.any():
        p = _first(bad)
        raise ctx.error(column, "must be a three-letter code.", _cells(values).iloc[p],
                        "E.g. EUR or USD.", pos=p)  # fmt: skip
    return codes.astype(object)


def flags(
    values: pd.Series, column: str, ctx: FileContext, *, empty: bool | None = False
) -> np.ndarray | pd.Series:
    """Yes/no cells (true/false, yes/no, y/n, t/f, 1/0, x) as booleans.

    An empty cell is ``empty``: False or True, or None for "unknown" (the result is then a
    pandas ``boolean`` Series holding NA).

    Examples
    --------
    >>> flags(pd.Series(["yes", "0", ""]), "mandatory", FileContext("f.csv")).tolist()
    [True, False, False]
    """
    cells = _cells(values)
    blank, text = _blank(cells)
    text = text.str.lower().str.replace(r"^([01])\.0+$", r"\1", regex=True)
    is_true = text.isin(TRUE_WORDS).to_numpy()
    bad = ~(is_true | text.isin(FALSE_WORDS).to_numpy() | blank)
    if bad.any():
        p = _first(bad)
        raise ctx.error(
            column, "expected yes/no (or true/false, 1/0).", cells.iloc[p],
            "Leave the cell empty when unknown." if empty is None
            else f"Write yes/no, true/false or 1/0 (empty means {'yes' if empty else 'no'}).",
            pos=p,
        )  # fmt: skip
    if empty is None:
        out = pd.array(is_true, dtype="boolean")
        out[blank] = pd.NA
        return pd.Series(out)
    return np.where(blank, bool(empty), is_true)


def _parse(text: pd.Series, fmt: str) -> pd.Series:
    return pd.to_datetime(text, format=fmt, errors="coerce")


def _iso(text: pd.Series, column: str, ctx: FileContext) -> pd.Series:
    try:
        out = pd.to_datetime(text, format="ISO8601", errors="coerce")
    except ValueError:  # mixed UTC offsets
        raise ctx.error(
            column, "mixes time zones (UTC offsets).", fix="Export local times without offsets."
        ) from None
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_localize(None)
    return out


def dates(
    values: pd.Series,
    column: str,
    ctx: FileContext,
    *,
    optional: bool = False,
    date_format: str | None = None,
    what: str = "date",
) -> pd.Series:
    """Dates or date-times (``datetime64[ns]``, time-zone naive; NaT for empty if ``optional``).

    ISO 8601 and spreadsheet date cells are always read. Other text is read with
    ``date_format`` if given, else with the one format of a known list that fits every such
    cell of the column and reads them all the same way; a column that fits a day-first and a
    month-first format with different dates is refused, naming two of its values.

    Parameters
    ----------
    values : pandas.Series
        The column's cells as typed (text, numbers, None/NaN for empty).
    column : str
        The column name, for messages.
    ctx : FileContext
        The file and the spreadsheet row (or YAML location) of each cell.
    optional : bool, default False
        Empty cells are NaT instead of an error.
    date_format : str, optional
        The file's format for cells that are not ISO 8601 (``strptime`` codes).
    what : str, default "date"
        The word used in messages ("date", "date-time", "month").

    Returns
    -------
    pandas.Series of datetime64[ns]

    Examples
    --------
    >>> ctx = FileContext("f.csv")
    >>> dates(pd.Series(["03/04/2026", "05/06/2026"]), "day", ctx)
    Traceback (most recent call last):
    ...
    cio_analytics.exceptions.DataFileError: f.csv, row 2, column `day`: the dates are ambiguous: '03/04/2026' and '05/06/2026' read as '%d/%m/%Y' and as '%m/%d/%Y' give different dates, and no value in the column settles it. Write ISO 8601 dates (2026-04-03) or pass the format as `date_format`, e.g. date_format='%d/%m/%Y'.
    >>> dates(pd.Series(["03/04/2026"]), "day", ctx, date_format="%d/%m/%Y").iloc[0]
    Timestamp('2026-04-03 00:00:00')
    """
    cells = _cells(values)
    empty, text = _blank(cells)
    native = cells.map(lambda v: isinstance(v, (datetime.date, np.datetime64))).to_numpy(bool)
    out = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    if native.any():
        stamps = pd.to_datetime(cells[native].map(pd.Timestamp))
        if getattr(stamps.dt, "tz", None) is not None:
            stamps = stamps.dt.tz_localize(None)
        out[native] = stamps.astype("datetime64[ns]")
    todo = ~native & ~empty
    iso = _iso(text.where(todo, None), column, ctx)
    out[todo] = iso[todo]
    rest = todo & iso.isna().to_numpy()
    if rest.any():
        out[rest] = _other_format(text, rest, column, ctx, date_format, what)
    if not optional and empty.any():
        p = _first(empty)
        raise ctx.error(column, "must not be empty.", cells.iloc[p], f"Enter a {what}.", pos=p)
    return out.astype("datetime64[ns]")


def _other_format(
    text: pd.Series, rest: np.ndarray, column: str, ctx: FileContext, fmt: str | None, what: str
) -> pd.Series:
    """Non-ISO cells (``rest``) read by the stated format or the one format fitting them all."""
    sub = text[rest]
    example = {"month": "'2026-01'", "date": "'2026-01-05'"}.get(what, "'2026-01-05 08:30'")
    if fmt is not None:
        parsed = _parse(sub, fmt)
        if parsed.isna().any():
            p = int(sub.index[_first(parsed.isna().to_numpy())])
            raise ctx.error(
                column, f"expected a {what} in ISO 8601 or the stated format {fmt!r}.",
                text.iloc[p], f"Write it as ISO 8601 (e.g. {example}) or as {fmt!r}.", pos=p,
            )  # fmt: skip
        return parsed
    unique = pd.Series(sub.unique())
    tried = {f: _parse(unique, f) for f in _CANDIDATES}
    fits = {f: r for f, r in tried.items() if r.notna().all()}
    if not fits:
        best = max(tried, key=lambda f: int(tried[f].notna().sum()))
        missed = set(unique[tried[best].isna().to_numpy()])
        p = int(sub.index[_first(sub.isin(missed).to_numpy())])
        raise ctx.error(
            column, f"expected a {what}.", text.iloc[p],
            f"Write dates as ISO 8601, e.g. {example}, or pass the file's format as "
            "`date_format` (e.g. date_format='%d/%m/%Y').", pos=p,
        )  # fmt: skip
    formats = list(fits)
    first = fits[formats[0]]
    for other in formats[1:]:
        differ = (fits[other] != first).to_numpy()
        if differ.any():
            examples = list(unique[differ])[:2]
            shown = " and ".join(repr(e) for e in examples)
            p = int(sub.index[_first(sub.isin(examples[:1]).to_numpy())])
            raise ctx.error(
                column,
                f"the {what}s are ambiguous: {shown} read as {formats[0]!r} and as "
                f"{other!r} give different dates, and no value in the column settles it.",
                fix="Write ISO 8601 dates (2026-04-03) or pass the format as `date_format`, "
                f"e.g. date_format={formats[0]!r}.",
                pos=p,
            )
    return pd.Series(first.to_numpy(), index=unique).reindex(sub.to_numpy()).set_axis(sub.index)


def months(values: pd.Series, column: str, ctx: FileContext, **kw: Any) -> pd.Series:
    """Months (``2026-01``, ``2026-01-01``, ``Jan 2026``) as the first day of the month."""
    out = dates(values, column, ctx, what="month", **kw)
    return out.dt.to_period("M").dt.to_timestamp().astype("datetime64[ns]")


def id_lists(
    values: pd.Series, column: str, ctx: FileContext, *, separators: str = ";"
) -> list[tuple[str, ...]]:
    """Lists of ids or names in one cell, split on any of ``separators``; empty -> ``()``."""
    _, text = _blank(_cells(values))
    for sep in separators[1:]:
        text = text.str.replace(sep, separators[0], regex=False)
    return [tuple(p.strip() for p in cell.split(separators[0]) if p.strip()) for cell in text]


def scalar(parser: Callable[..., Any], value: Any, key: str, ctx: FileContext, **kw: Any) -> Any:
    """Check one YAML value with a column parser: ``scalar(numbers, v, "budget", ctx.at(...))``."""
    out = parser(pd.Series([value], dtype=object), key, ctx, **kw)
    first = out.iloc[0] if isinstance(out, pd.Series) else out[0]
    return first.item() if isinstance(first, np.generic) else first
