"""Readers for the budget-steering files: budget, actuals, commitments and IT spend history.

Each reader takes a path (CSV or XLSX; relative to the project root or absolute), checks the file
against its schema and returns a clean DataFrame. A broken file raises
:class:`~cio_analytics.exceptions.DataFileError` naming the file, the spreadsheet row (header is
row 1), the column, the rule, the value found and the fix.

Schemas
-------
budget, actuals
    ``month`` (a month: ``2026-01``, ``2026-01-01`` or ``Jan 2026``), ``cost_centre`` (text),
    ``category`` (``run``, ``grow`` or ``transform``), ``expense_type`` (``capex`` or ``opex``),
    ``sourcing`` (``internal`` or ``external``), ``amount`` (money; >= 0 in a budget, any sign in
    actuals: credit notes are negative), optional ``line`` (cost line, e.g. "Cloud hosting"),
    ``volume`` (units bought, >= 0) and ``unit_price`` (money per unit, >= 0). When both volume
    and unit price are given, ``amount`` must equal their product (within 0.5 % or 1 currency
    unit); with a volume alone the unit price is ``amount / volume``. Empty volume cells mean "no
    volume data for this row". One row per month and key (cost centre, line, category, expense
    type, sourcing); no month missing inside the reported period, for the file as a whole or
    for any cost centre.
commitments
    ``cost_centre``, ``month`` (when the invoice is expected), ``amount`` (>= 0), optional
    ``category``, ``expense_type``, ``sourcing``, ``line`` and ``description``.
IT spend history
    ``year`` (whole number), ``it_spend`` (> 0; may be empty in the last row only: the current
    year, whose spend comes from the forecast), ``employees`` (> 0), ``revenue`` (> 0). One row per
    year, consecutive years.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_int
from ..exceptions import DataFileError
from ._as_of import as_of_date, keep_up_to
from ._columns import FileContext, cells_of, integers, money, months, numbers, texts
from ._tables import check_columns, read_table

__all__ = [
    "BUDGET_DIMENSIONS",
    "read_actuals",
    "read_budget",
    "read_commitments",
    "read_it_spend_history",
]

PathLike = str | os.PathLike[str]

#: The classification columns of budget and actuals, and the values each may take (in order).
BUDGET_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "category": ("run", "grow", "transform"),
    "expense_type": ("capex", "opex"),
    "sourcing": ("internal", "external"),
}
_HINTS = {
    "category": "run = keep the lights on, grow = improve the business, transform = new "
    "capabilities (Gartner's run-grow-transform model)",
    "expense_type": "capex = capitalised investment, opex = operating expense",
    "sourcing": "internal = own staff and assets, external = suppliers and contractors",
}
_KEY = ("month", "cost_centre", "line", "category", "expense_type", "sourcing")


def _choice(frame: pd.DataFrame, col: str, ctx: FileContext) -> np.ndarray:
    """A classification column, lower-cased and checked against its allowed values."""
    return texts(frame[col], col, ctx, lower=True, choices=BUDGET_DIMENSIONS[col],
                 fix=f"{_HINTS[col]}. Correct the spelling or map the value to one of these.")  # fmt: skip


def _volumes(frame: pd.DataFrame, out: pd.DataFrame, ctx: FileContext) -> None:
    """Optional ``volume`` / ``unit_price``; fills NaN where the file holds no volume data."""
    volume, price = (
        numbers(cells_of(frame, c), c, ctx, optional=True, minimum=0.0,
                fix="Volumes and unit prices cannot be negative.")
        for c in ("volume", "unit_price")
    )  # fmt: skip
    amount = out["amount"].to_numpy()
    both = ~np.isnan(volume) & ~np.isnan(price)
    off = both & (np.abs(amount - volume * price) > 0.005 * np.abs(amount) + 1.0)
    if off.any():
        pos = int(np.flatnonzero(off)[0])
        raise ctx.error(
            "amount",
            f"amount {amount[pos]:,.2f} is not volume x unit_price ({volume[pos]:g} x "
            f"{price[pos]:g} = {volume[pos] * price[pos]:,.2f}). Correct one of the three, or "
            "leave unit_price empty to derive it as amount / volume.",
            pos=pos,
        )
    only_volume = ~np.isnan(volume) & np.isnan(price)
    zero = only_volume & (volume == 0) & (amount != 0)
    if zero.any():
        pos = int(np.flatnonzero(zero)[0])
        raise ctx.error(
            "volume",
            f"volume is 0 but amount is {amount[pos]:,.2f}, so no unit price follows. "
            "Give the volume bought, or leave the cell empty when the row has no volume data.",
            pos=pos,
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        derived = np.where(volume > 0, amount / volume, 0.0)
    price = np.where(only_volume, derived, price)
    price = np.where(np.isnan(volume), np.nan, price)
    out["volume"] = volume
    out["unit_price"] = price


def _check_duplicates(out: pd.DataFrame, key: list[str], ctx: FileContext, what: str) -> None:
    dup = out.duplicated(key, keep="first").to_numpy()
    if dup.any():
        pos = int(np.flatnonzero(dup)[0])
        same = np.ones(len(out), dtype=bool)
        for col in key:
            same &= (out[col] == out[col].iloc[pos]).to_numpy()
        first = int(np.flatnonzero(same)[0])
        where = ", ".join(
            f"{c}={out[c].iloc[pos]:%Y-%m}" if c == "month" else f"{c}={out[c].iloc[pos]!r}"
            for c in key
        )
        raise ctx.error(
            "month",
            f"duplicate {what} row ({where}); first seen in row {ctx.row(first)}. Keep one row per "
            "month and key: add the amounts together if both are real, delete one if it was "
            "pasted twice.",
            pos=pos,
        )


def _check_gaps(out: pd.DataFrame, ctx: FileContext, what: str) -> None:
    """No month missing inside the period, for the file and for every cost centre."""
    months = out["month"].dt.to_period("M")
    rows = out["_row"].to_numpy()
    for label, mask in [("the file", np.ones(len(out), dtype=bool))] + [
        (f"cost centre {cc!r}", (out["cost_centre"] == cc).to_numpy())
        for cc in pd.unique(out["cost_centre"])
    ]:
        present = np.unique(months[mask].to_numpy())
        ordinals = np.array([p.ordinal for p in present])
        jumps = np.flatnonzero(np.diff(ordinals) > 1)
        if jumps.size:
            before, after = present[jumps[0]], present[jumps[0] + 1]
            missing = [str(before + i) for i in range(1, after.ordinal - before.ordinal)]
            first_after = int(rows[mask & (months == after).to_numpy()].min())
            raise DataFileError(
                f"month(s) {', '.join(missing)} missing from {what} for {label}: rows jump from "
                f"{before} to {after}. Add the missing month's rows (amount 0 if there truly "
                "was no spend), or check the export's date filter.",
                path=ctx.path,
                row=first_after,
                column="month",
            )


def _one_year(
    out: pd.DataFrame, year: Any, default: Any, *, path: str, what: str, missing_ok: bool = False
) -> pd.DataFrame:
    """The rows of one calendar year: ``year``, else ``default``, else the file's latest year.

    A file may hold several budget years (2025 and 2026, one block of months each); a budget
    review reads one. Raises DataFileError naming the years the file holds when ``year`` has no
    row (an empty frame instead with ``missing_ok``).
    """
    if out.empty:
        return out
    held = out["month"].dt.year
    if year is None:
        year = default if default is not None else int(held.max())
    else:
        year = check_int(year, "year", minimum=1900)
    keep = (held == int(year)).to_numpy()
    if keep.all():
        return out
    if not keep.any() and not missing_ok:
        years = ", ".join(str(y) for y in sorted(held.unique()))
        raise DataFileError(
            f"no {what} for the year {int(year)}; the file holds {years}. Choose one of those "
            "years, or add the rows of that year to the file.",
            path=path,
            column="month",
        )
    sel = out.loc[keep].reset_index(drop=True)
    sel.attrs.update(out.attrs)
    return sel


def _read_spend(
    path: PathLike,
    parameter: str,
    what: str,
    *,
    allow_negative: bool,
    date_format: str | None,
    sheet: str | int | None,
) -> pd.DataFrame:
    frame, ctx = read_table(path, parameter=parameter, sheet=sheet)
    required = ["month", "cost_centre", "category", "expense_type", "sourcing", "amount"]
    check_columns(frame, required, ("line", "volume", "unit_price"), ctx, what=what)
    out = pd.DataFrame({"month": months(frame["month"], "month", ctx, date_format=date_format)})
    out["cost_centre"] = texts(frame["cost_centre"], "cost_centre", ctx)
    out["line"] = texts(cells_of(frame, "line"), "line", ctx, optional="line" not in frame)
    for col in BUDGET_DIMENSIONS:
        out[col] = _choice(frame, col, ctx)
    out["amount"] = money(
        frame["amount"], "amount", ctx, minimum=None if allow_negative else 0.0,
        fix="A budget cannot be negative: enter savings as lower amounts on the lines they reduce.",
    )  # fmt: skip
    _volumes(frame, out, ctx)
    _check_duplicates(out, list(_KEY), ctx, what)
    out["_row"] = [ctx.row(i) for i in range(len(out))]
    _check_gaps(out, ctx, what)
    out = out.drop(columns="_row")
    out = out.sort_values(list(_KEY), kind="stable").reset_index(drop=True)
    out.attrs["path"] = ctx.path
    return out


def read_budget(
    path: PathLike,
    *,
    date_format: str | None = None,
    sheet: str | int | None = None,
    year: int | None = None,
    as_of: Any = None,
) -> pd.DataFrame:
    """Read and check a budget: planned spend by month, cost centre and category.

    Parameters
    ----------
    path : str or PathLike
        CSV or XLSX with ``month``, ``cost_centre``, ``category`` (run/grow/transform),
        ``expense_type`` (capex/opex), ``sourcing`` (internal/external), ``amount`` (money,
        >= 0) and optionally ``line``, ``volume`` and ``unit_price`` (planned units and price per
        unit, for price/volume variances).
    date_format : str, optional
        The format of ``month`` when it is not ISO 8601 (e.g. ``"%m/%Y"``). By default a
        non-ISO format is used only when it is the one reading of the column.
    sheet : str or int, optional
        The worksheet of an XLSX file (name or 0-based position); default the first.
    year : int, optional
        The budget year to read when the file holds several (one block of twelve months each).
        Default: the year of ``as_of``, else the latest year in the file.
    as_of : date or str, optional
        The as-of date of the period a report is built for (``"2025-09-30"``, ``"2025-09"`` or
        ``"2025Q3"``): selects its year's budget when ``year`` is not given.

    Returns
    -------
    pandas.DataFrame
        Columns ``month`` (datetime64, first day of the month), ``cost_centre``, ``line`` (""
        when the file has none), ``category``, ``expense_type``, ``sourcing`` (lower case),
        ``amount``, ``volume`` and ``unit_price`` (NaN where the row has no volume data), sorted.

    Raises
    ------
    DataFileError
        Missing column, text in an amount, a negative budget, an unknown category, expense type
        or sourcing (with a did-you-mean hint), a month that does not parse, an amount that is
        not volume x unit price, a duplicated row, a month missing inside the year, or a
        ``year`` the file does not hold.

    Examples
    --------
    >>> budget = read_budget("data/sample/budget.csv")
    >>> budget["month"].dt.month.nunique(), sorted(budget["category"].unique())
    (12, ['grow', 'run', 'transform'])
    >>> earlier = read_budget("data/sample/budget.csv", as_of="2025Q3")  # the file holds 2025 too
    >>> int(budget["month"].dt.year.max()), int(earlier["month"].dt.year.max())
    (2026, 2025)
    """
    out = _read_spend(
        path, "budget_path", "the budget", allow_negative=False, date_format=date_format,
        sheet=sheet,
    )  # fmt: skip
    cut = as_of_date(as_of)
    return _one_year(out, year, None if cut is None else cut.year, path=out.attrs["path"],
                     what="budget")  # fmt: skip


def read_actuals(
    path: PathLike,
    *,
    date_format: str | None = None,
    sheet: str | int | None = None,
    as_of: Any = None,
    year: int | None = None,
) -> pd.DataFrame:
    """Read and check actual spend (invoiced or accrued) by month, cost centre and category.

    Same schema as :func:`read_budget`; amounts may be negative (credit notes). The months in
    the file are the reported period (e.g. January to September at the Q3 close) and must have
    no gap.

    Parameters
    ----------
    path : str or PathLike
        CSV or XLSX file.
    date_format : str, optional
        The format of ``month`` when it is not ISO 8601 (e.g. ``"%m/%Y"``). By default a
        non-ISO format is used only when it is the one reading of the column.
    sheet : str or int, optional
        The worksheet of an XLSX file (name or 0-based position); default the first.

    as_of : date or str, optional
        Keep only the months up to this date (``"2026-09-30"``, ``"2026-09"`` or a quarter
        ``"2026Q3"``: the period a report is built for); a file with none is refused.
    year : int, optional
        The budget year whose actuals to read when the file holds several. Default: the
        latest year among the months kept (the year of ``as_of`` when it has actuals).

    Returns
    -------
    pandas.DataFrame
        Same columns as :func:`read_budget`.

    Raises
    ------
    DataFileError
        As :func:`read_budget` (except negative amounts), and a month missing inside the
        reported period (for the file or for a cost centre).

    Examples
    --------
    >>> actuals = read_actuals("data/sample/actuals.csv")
    >>> f"{actuals['month'].max():%Y-%m}"
    '2026-09'
    >>> f"{read_actuals('data/sample/actuals.csv', as_of='2026Q2')['month'].max():%Y-%m}"
    '2026-06'
    >>> q4 = read_actuals("data/sample/actuals.csv", as_of="2025Q4")
    >>> f"{q4['month'].min():%Y-%m} to {q4['month'].max():%Y-%m}"
    '2025-01 to 2025-12'
    """
    out = _read_spend(
        path, "actuals_path", "the actuals", allow_negative=True, date_format=date_format,
        sheet=sheet,
    )  # fmt: skip
    out = keep_up_to(out, "month", as_of, path=out.attrs["path"], what="actuals", monthly=True)
    return _one_year(out, year, None, path=out.attrs["path"], what="actuals")


def read_commitments(
    path: PathLike,
    *,
    date_format: str | None = None,
    sheet: str | int | None = None,
    year: int | None = None,
    as_of: Any = None,
) -> pd.DataFrame:
    """Read committed spend not yet invoiced (purchase orders, signed milestones).

    Parameters
    ----------
    path : str or PathLike
        CSV or XLSX with ``cost_centre``, ``month`` (when the invoice is expected) and
        ``amount`` (>= 0), optionally ``category``, ``expense_type``, ``sourcing``, ``line`` and
        ``description``.
    date_format : str, optional
        The format of ``month`` when it is not ISO 8601 (e.g. ``"%m/%Y"``). By default a
        non-ISO format is used only when it is the one reading of the column.
    sheet : str or int, optional
        The worksheet of an XLSX file (name or 0-based position); default the first.
    year : int, optional
        The budget year whose commitments to read when the file holds several. Default: the
        year of ``as_of``, else the latest year in the file.
    as_of : date or str, optional
        The as-of date of the period a report is built for: selects its year's commitments
        when ``year`` is not given (none when the file holds none for that year).

    Returns
    -------
    pandas.DataFrame
        ``cost_centre``, ``month`` (datetime64, month start), ``amount`` and the optional
        columns present (classifications lower case), in file order.

    Raises
    ------
    DataFileError
        Missing column, a month that does not parse, text in or a negative amount, an unknown
        category.

    Examples
    --------
    >>> commitments = read_commitments("data/sample/commitments.csv")
    >>> bool((commitments["amount"] > 0).all())
    True
    """
    frame, ctx = read_table(path, parameter="commitments_path", sheet=sheet)
    check_columns(frame, ["cost_centre", "month", "amount"],
                  (*BUDGET_DIMENSIONS, "line", "description"), ctx, what="the commitments")  # fmt: skip
    out = pd.DataFrame({"cost_centre": texts(frame["cost_centre"], "cost_centre", ctx)})
    out["month"] = months(frame["month"], "month", ctx, date_format=date_format)
    out["amount"] = money(
        frame["amount"],
        "amount",
        ctx,
        minimum=0.0,
        fix="A commitment is spend still to be invoiced.",
    )
    for col in BUDGET_DIMENSIONS:
        if col in frame.columns:
            out[col] = _choice(frame, col, ctx)
    if "line" in frame.columns:
        out["line"] = texts(frame["line"], "line", ctx)
    if "description" in frame.columns:
        out["description"] = texts(frame["description"], "description", ctx, optional=True)
    out.attrs["path"] = ctx.path
    cut = as_of_date(as_of)
    return _one_year(out, year, None if cut is None else cut.year, path=ctx.path,
                     what="commitments", missing_ok=True)  # fmt: skip


def read_it_spend_history(
    path: PathLike, *, sheet: str | int | None = None, year: int | None = None
) -> pd.DataFrame:
    """Read the organisation's yearly IT spend, headcount and revenue.

    Parameters
    ----------
    path : str or PathLike
        CSV or XLSX with ``year``, ``it_spend`` (total IT spend of the year, capex plus opex,
        money), ``employees`` (headcount of the whole organisation) and ``revenue`` (money, same
        currency). ``it_spend`` may be empty in the last row: the current year, whose spend
        comes from the landing forecast.
    sheet : str or int, optional
        The worksheet of an XLSX file (name or 0-based position); default the first.
    year : int, optional
        The year being reviewed (a past period's budget year): the rows up to it, its spend
        left empty (it is the year the landing forecast estimates, even when the file already
        holds its outcome). Default: every row, the last as the current year.

    Returns
    -------
    pandas.DataFrame
        ``year`` (int), ``it_spend`` (NaN for the current year), ``employees``, ``revenue``,
        sorted by year.

    Raises
    ------
    DataFileError
        Missing column, text in a number, a value of 0 or less, a missing spend anywhere but
        the last year, a duplicated or missing year.

    Examples
    --------
    >>> history = read_it_spend_history("data/sample/it_spend_history.csv")
    >>> int(history["year"].iloc[-1]), bool(np.isnan(history["it_spend"].iloc[-1]))
    (2026, True)
    >>> in_2025 = read_it_spend_history("data/sample/it_spend_history.csv", year=2025)
    >>> in_2025["year"].tolist()[-2:], bool(np.isnan(in_2025["it_spend"].iloc[-1]))
    ([2024, 2025], True)
    """
    frame, ctx = read_table(path, parameter="history_path", sheet=sheet)
    name = ctx.path
    check_columns(frame, ["year", "it_spend", "employees", "revenue"], (), ctx,
                  what="an IT spend history")  # fmt: skip
    years = integers(frame["year"], "year", ctx, minimum=1900.0, maximum=2200.0,
                     fix="Write the calendar year, e.g. 2026.")  # fmt: skip
    order = np.argsort(years, kind="stable")
    out = pd.DataFrame({"year": years})
    for col in ("employees", "revenue"):
        out[col] = numbers(frame[col], col, ctx, minimum=0.0, strict=True)
    spend = money(frame["it_spend"], "it_spend", ctx, optional=True, minimum=0.0, strict=True)
    last = int(order[-1])
    early = np.flatnonzero(np.isnan(spend) & (np.arange(len(frame)) != last))
    if early.size:
        raise ctx.error(
            "it_spend",
            f"is empty for year {years[early[0]]}; only the latest year (the one being "
            "forecast) may leave it_spend empty.",
            fix="Fill in that year's total IT spend.",
            pos=int(early[0]),
        )
    out["it_spend"] = spend
    dup = out["year"].duplicated().to_numpy()
    if dup.any():
        pos = int(np.flatnonzero(dup)[0])
        raise ctx.error(
            "year",
            f"year {years[pos]} appears twice. Keep one row per year.",
            pos=pos,
        )
    sorted_years = years[order]
    jump = np.flatnonzero(np.diff(sorted_years) != 1)
    if jump.size:
        a, b = sorted_years[jump[0]], sorted_years[jump[0] + 1]
        raise ctx.error(
            "year",
            f"years jump from {a} to {b}. Give every year in between (trends need consecutive "
            "years).",
            pos=int(order[jump[0] + 1]),
        )
    out = out.iloc[order][["year", "it_spend", "employees", "revenue"]].reset_index(drop=True)
    out.attrs["path"] = name
    if year is not None:
        from .._validation import check_int

        wanted = check_int(year, "year")
        if wanted not in set(out["year"]):
            raise DataFileError(
                f"no row for the year {wanted} (the year being reviewed); the file holds "
                f"{out['year'].iloc[0]} to {out['year'].iloc[-1]}. Add that year's employees "
                "and revenue (its it_spend may stay empty).",
                path=name,
                column="year",
            )
        out = out[out["year"] <= wanted].reset_index(drop=True)
        out.loc[out.index[-1], "it_spend"] = np.nan
        out.attrs["path"] = name
    return out
