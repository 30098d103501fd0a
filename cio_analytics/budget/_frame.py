"""Input checks shared by the budget models: spend tables, groupings, months."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_frame, did_you_mean, short_repr
from ..exceptions import ParameterError

__all__ = ["DIMENSIONS", "KEY", "as_by", "check_spend", "month_list", "reported_months"]

#: Classification columns and their allowed values (the same as the readers').
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "category": ("run", "grow", "transform"),
    "expense_type": ("capex", "opex"),
    "sourcing": ("internal", "external"),
}
#: The key of a spend row: one row per month and key in a budget or actuals table.
KEY = ("month", "cost_centre", "line", "category", "expense_type", "sourcing")
_REQUIRED = ("month", "cost_centre", "category", "expense_type", "sourcing", "amount")


def check_spend(frame: Any, name: str, *, allow_negative: bool) -> pd.DataFrame:
    """A copy of a budget/actuals table with every key column, checked for the model.

    The readers in :mod:`cio_analytics.io.budget` already enforce the full schema; this check
    covers a DataFrame built by hand: required columns, numeric amounts, duplicates.
    """
    check_frame(
        frame,
        name,
        _REQUIRED,
        fix="Read the file with cio_analytics.io.read_budget / read_actuals (one row per month "
        "and key), or add the columns.",
    )
    out = frame.copy()
    if "line" not in out.columns:
        out["line"] = ""
    for col in ("volume", "unit_price"):
        if col not in out.columns:
            out[col] = np.nan
    out["month"] = pd.to_datetime(out["month"]).dt.to_period("M").dt.to_timestamp()
    try:
        amount = out["amount"].to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(
            f"`{name}['amount']` must hold numbers only. Convert it with pd.to_numeric."
        ) from None
    if not np.isfinite(amount).all():
        pos = int(np.flatnonzero(~np.isfinite(amount))[0])
        raise ParameterError(f"`{name}['amount']` row {pos} is {amount[pos]!r}; fill it with 0.")
    if not allow_negative and (amount < 0).any():
        pos = int(np.flatnonzero(amount < 0)[0])
        raise ParameterError(
            f"`{name}['amount']` must be 0 or more (a budget cannot be negative). Got "
            f"{amount[pos]:g} in row {pos}."
        )
    out["amount"] = amount
    for col, allowed in DIMENSIONS.items():
        bad = ~out[col].isin(allowed).to_numpy()
        if bad.any():
            got = out[col].iloc[int(np.flatnonzero(bad)[0])]
            raise ParameterError(
                f"`{name}['{col}']` must be one of {', '.join(map(repr, allowed))}. Got "
                f"{short_repr(got)}.{did_you_mean(got, allowed)}"
            )
    dup = out.duplicated(list(KEY)).to_numpy()
    if dup.any():
        row = out.iloc[int(np.flatnonzero(dup)[0])]
        raise ParameterError(
            f"`{name}` holds a duplicated row ({', '.join(f'{c}={row[c]!s}' for c in KEY)}). "
            "Keep one row per month and key (sum the amounts)."
        )
    return out


def as_by(by: Any, name: str = "by", allowed: Sequence[str] = KEY) -> tuple[str, ...]:
    """A grouping given as a column name or a sequence of names, checked against ``allowed``."""
    if by is None:
        return ()
    cols = (by,) if isinstance(by, str) else tuple(by)
    for col in cols:
        if col not in allowed:
            raise ParameterError(
                f"`{name}` may only name {', '.join(map(repr, allowed))}. Got {short_repr(col)}."
                f"{did_you_mean(col, allowed)}"
            )
    if len(set(cols)) != len(cols):
        raise ParameterError(f"`{name}` names a column twice: {cols}.")
    return cols


def month_list(months: Iterable[Any], name: str) -> list[pd.Timestamp]:
    """Months given as strings/timestamps, as sorted unique month starts."""
    try:
        stamps = pd.to_datetime(pd.Series(list(months), dtype=object).astype(str))
    except (TypeError, ValueError):
        raise ParameterError(
            f"`{name}` must list months such as '2026-01'. Got {short_repr(months)}."
        ) from None
    return sorted(set(stamps.dt.to_period("M").dt.to_timestamp()))


def reported_months(actuals: pd.DataFrame, budget_months: Sequence[pd.Timestamp]) -> int:
    """Number of months reported: the actuals must be the first months of the budget, no gap."""
    got = sorted(pd.unique(actuals["month"]))
    expected = list(budget_months[: len(got)])
    if len(got) > len(budget_months) or [pd.Timestamp(m) for m in got] != expected:
        fmt = [f"{pd.Timestamp(m):%Y-%m}" for m in got]
        raise ParameterError(
            f"the actuals must cover the budget's first months without a gap (from "
            f"{budget_months[0]:%Y-%m}); got months {fmt}. Add the missing months (amount 0 if "
            "there was no spend) or check that budget and actuals are for the same year."
        )
    return len(got)
