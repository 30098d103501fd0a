"""The model inputs a scenarios file may change, checked against the data they change.

``cio-analytics run PACK --scenarios FILE`` checks every override before anything runs. A report
notebook with an ``adjustments`` parameter takes model inputs: the investment case
(``benefits: -20 %``, a kind, a line item by its name, ``horizon_years``; checked against the
case file the job reads with :func:`cio_analytics.valuation.adjust_case`), the vendor offers
(an offer's name: a change of its prices; :func:`cio_analytics.sourcing.adjust_offers`) or the
service-desk forecast (``calls``, ``handle_time_s``; :func:`cio_analytics.staffing.adjust_forecast`)
or the risk register (``frequency``, ``magnitude``, ``control_effectiveness``;
:func:`cio_analytics.risk.adjust_risks`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..risk import REGISTER_ADJUSTMENTS, adjust_risks
from ..sourcing import Offer, adjust_offers
from ..staffing import FORECAST_ADJUSTMENTS, adjust_forecast
from ..valuation import InvestmentCase, adjust_case
from ..valuation._spec import KIND_ALIASES
from ..valuation.adjust import CASE_SETTINGS, CATEGORY_ADJUSTMENTS
from .cases import read_case
from .sourcing import read_offers

__all__ = ["case_inputs", "check_case_input", "check_model_input", "model_inputs"]


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


def model_inputs(parameters: Mapping[str, Any]) -> list[str]:
    """The model inputs of a report run with ``parameters`` (its file parameters resolved):
    the case's when it reads a case, the forecast's when it staffs a desk, the register's when
    it simulates a risk register, else none.

    Examples
    --------
    >>> model_inputs({"history_path": "data/sample/ticket_history.csv"})
    ['calls', 'handle_time_s']
    """
    if "case_path" in parameters:
        return case_inputs(parameters.get("case_path"))
    if "offers_path" in parameters:
        return [o.name for o in _offers(parameters.get("offers_path"))]
    if "history_path" in parameters or "forecast_path" in parameters:
        return list(FORECAST_ADJUSTMENTS)
    if "register_path" in parameters:
        return list(REGISTER_ADJUSTMENTS)
    return []


def check_model_input(parameters: Mapping[str, Any], key: str, value: Any) -> None:
    """Raise :class:`~cio_analytics.exceptions.ParameterError` when ``key: value`` is not a
    change the report's model takes."""
    if "case_path" in parameters:
        check_case_input(parameters.get("case_path"), key, value)
    elif "offers_path" in parameters:
        adjust_offers(_offers(parameters.get("offers_path")), {key: value})
    elif "history_path" in parameters or "forecast_path" in parameters:
        adjust_forecast(pd.DataFrame({"calls": [1.0], "handle_time_s": [1.0]}), {key: value})
    elif "register_path" in parameters:
        adjust_risks((), (), {key: value})


def _offers(offers_path: Any) -> tuple[Offer, ...]:
    if not offers_path:
        return ()
    spec = read_offers(offers_path)
    return Offer.from_tables(spec.offers, spec.tiers)


def _case(case_path: str | os.PathLike[str]) -> InvestmentCase:
    return InvestmentCase.from_spec(read_case(case_path))
