"""The model inputs a scenarios file may change, checked against the data file they change.

``cio-analytics run PACK --scenarios FILE`` checks every override before anything runs; a model
input of the investment case (``benefits: -20 %``, a line item by its name, ``horizon_years``)
is checked here against the case file the job reads, with the valuation domain's own rules
(:func:`cio_analytics.valuation.adjust_case`).
"""

from __future__ import annotations

import os
from typing import Any

from ..valuation import InvestmentCase, adjust_case
from ..valuation._spec import KIND_ALIASES
from ..valuation.adjust import CASE_SETTINGS, CATEGORY_ADJUSTMENTS
from .cases import read_case

__all__ = ["case_inputs", "check_case_input"]


def case_inputs(case_path: str | os.PathLike[str] | None) -> list[str]:
    """The inputs of a case a scenario may change: groups, kinds, settings, its line items.

    Examples
    --------
    >>> names = case_inputs("data/sample/cases/service_desk_platform.yaml")
    >>> "benefits" in names and "horizon_years" in names and "SaaS subscription" in names
    True
    """
    items = list(_case(case_path).item_names) if case_path else []
    return [*CATEGORY_ADJUSTMENTS, "benefit", *KIND_ALIASES, *CASE_SETTINGS, *items]


def check_case_input(case_path: str | os.PathLike[str] | None, key: str, value: Any) -> None:
    """Raise :class:`~cio_analytics.exceptions.ParameterError` when ``key: value`` cannot
    change the case in ``case_path`` (an unknown input, a malformed change)."""
    if case_path:
        adjust_case(_case(case_path), {key: value})


def _case(case_path: str | os.PathLike[str]) -> InvestmentCase:
    return InvestmentCase.from_spec(read_case(case_path))
