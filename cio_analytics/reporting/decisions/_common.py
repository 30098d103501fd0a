"""Shared wording helpers of the decision functions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _names(ids: Any, names: Any) -> list[str]:
    return [str(names.get(i, i)) for i in ids]


def _month_span(months: Sequence[Any]) -> str:
    """``"December"``, ``"November and December"`` or ``"October to December"``."""
    months = list(months)
    if not months:
        return ""
    if len(months) == 1:
        return f"{months[0]:%B}"
    if len(months) == 2:
        return f"{months[0]:%B} and {months[1]:%B}"
    return f"{months[0]:%B} to {months[-1]:%B}"


def _action_window(months: Sequence[Any], as_of: Any = None) -> tuple[list[Any], str]:
    """The months that can still act on ``as_of`` and their wording for a recommendation.

    ``months`` are the first days of the months an action was planned over (the months left
    in the forecast); a month can still act while it has not ended. Returns ``(left, text)``:
    ``text`` is ``"in December"``, ``"in November and December"``, ``"in October to
    December"``, ``"this year"`` when no months are given, or ``""`` when every month has
    passed (the caller flags it).

    Examples
    --------
    >>> import pandas as pd
    >>> months = list(pd.date_range("2026-10-01", periods=3, freq="MS"))
    >>> _action_window(months)[1], _action_window(months, "2026-12-07")[1]
    ('in October to December', 'in December')
    >>> _action_window(months, "2026-11-30")[1], _action_window(months, "2027-01-05")
    ('in November and December', ([], ''))
    """
    import pandas as pd

    months = [pd.Timestamp(m) for m in months]
    if not months:
        return [], "this year"
    if as_of is None:
        left = months
    else:
        day = pd.Timestamp(as_of).normalize()
        left = [m for m in months if m + pd.offsets.MonthEnd(0) >= day]
    return left, (f"in {_month_span(left)}" if left else "")
