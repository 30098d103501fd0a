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


def _months_text(months: Sequence[Any]) -> str:
    """``"in Oct-Dec"``, ``"in Dec"`` or ``"this year"`` for the months left."""
    months = list(months)
    if not months:
        return "this year"
    if len(months) == 1:
        return f"in {months[0]:%b}"
    return f"in {months[0]:%b}-{months[-1]:%b}"
