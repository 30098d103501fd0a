"""Tables of one domain's results, shaped the way their readers expect them.

Display only: an investment case's cash flows with one column per year (as finance lays them
out), the cyber scenarios with one row per control. Each returns numbers (a DataFrame or a
Styler over one) so the same table can be recorded for the Excel workbook.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import renamed_kwargs
from .formatting import format_number
from .tables import _TABLE_STYLES, humanize

__all__ = ["cash_flow_table", "fair_controls_table"]


CASH_FLOW_LABELS = {
    "capex": "Capital expenditure",
    "opex_one_off": "One-off operating cost",
    "opex_recurring": "Recurring operating cost",
    "licence": "Licences",
    "staff": "Staff",
    "benefit": "Benefits",
    "depreciation": "Depreciation (not a cash flow)",
    "tax": "Tax",
    "net": "Net cash flow",
    "cumulative": "Cumulative cash flow",
    "discount_factor": "Discount factor",
    "discounted": "Discounted cash flow",
    "cumulative_discounted": "Cumulative discounted cash flow",
}
_TOTAL_ROWS = ("net", "cumulative", "cumulative_discounted")


def cash_flow_table(case_result: Any, *, caption: str | None = None) -> Any:
    """An investment case's cash flows the way finance reads them: one row per line, one
    column per year, totals in bold.

    Parameters
    ----------
    case_result : CaseResult
        From ``InvestmentCase.evaluate``; its ``cash_flows`` (one row per period) is transposed.
    caption : str, optional
        Default: "Cash flows by year (<currency>)".

    Returns
    -------
    pandas.io.formats.style.Styler
        Lines that are zero in every year are left out. Its ``data`` (numbers, unrounded: a ``Line`` column and one column per year) is what
        :func:`~cio_analytics.reporting.record.record_table` stores for the workbook.

    Examples
    --------
    >>> from cio_analytics.valuation import InvestmentCase, LineItem
    >>> case = InvestmentCase("Demo", (LineItem("build", "capex", 1000, start=0),
    ...     LineItem("savings", "benefit", 400, start=1)), horizon_years=2)
    >>> t = cash_flow_table(case.evaluate(discount_rate=0.1))
    >>> t.data.columns.tolist()[:3], t.data["Line"].tolist()[:2]
    (['Line', 'Year 0', 'Year 1'], ['Capital expenditure', 'Benefits'])
    """
    frame = case_result.cash_flows
    cur = case_result.currency
    always = (*_TOTAL_ROWS, "discount_factor", "discounted")
    lines = [
        c
        for c in frame.columns
        if c not in ("period", "year") and (c in always or frame[c].fillna(0).abs().sum() > 0)
    ]  # cost kinds the case does not have are left out
    years = [f"Year {y:g}" for y in frame["year"]]
    body = frame[lines].T.astype(float)
    body.columns = years
    body.insert(0, "Line", [CASH_FLOW_LABELS.get(c, humanize(c)) for c in lines])
    body = body.reset_index(drop=True)
    styler = body.style.hide(axis="index").set_table_styles(_TABLE_STYLES)
    styler = styler.set_table_attributes('class="cioa-table"')
    for i, line in enumerate(lines):
        fmt = (
            (lambda v: format_number(v, decimals=3))  # as present-value tables print it
            if line == "discount_factor"
            else (lambda v: format_number(v, decimals=0))
        )
        styler = styler.format(fmt, subset=pd.IndexSlice[[i], years])
        if line in _TOTAL_ROWS:
            styler = styler.set_properties(
                subset=pd.IndexSlice[[i], :],
                **{"font-weight": "700", "border-top": "1px solid #1f3b5c"},
            )
    styler = styler.set_properties(subset=years, **{"text-align": "right"})
    styler = styler.set_properties(subset=["Line"], **{"text-align": "left"})
    left = [{"selector": "th", "props": "text-align: left"}]
    styler = styler.set_table_styles({"Line": left}, overwrite=False)
    return styler.set_caption(caption or f"Cash flows by year ({cur}); costs negative")


@renamed_kwargs(level="percentile")
def fair_controls_table(fair_results: Sequence[Any], *, percentile: float = 0.9) -> pd.DataFrame:
    """One row per cyber scenario and control: the scenario's annual loss exposure, whether it
    breaches the appetite, and what each control costs and saves.

    Parameters
    ----------
    fair_results : sequence of FairResult
        From ``simulate_fair`` (a scenario without controls gets one row, control ``n/a``).
    percentile : float, default 0.9
        The bad-year quantile reported (0.9: P90).

    Returns
    -------
    pandas.DataFrame
        ``scenario, expected_ale, ale_p<percentile>, expected_shortfall, breaches_appetite,
        control, control_cost, expected_ale_with_control, rosi`` (numbers, unrounded).
    """
    q = f"ale_p{percentile * 100:g}"
    rows = []
    for f in fair_results:
        head = {
            "scenario": f.scenario.name,
            "expected_ale": f.expected_ale,
            q: float(np.quantile(f.ale, percentile)),
            "expected_shortfall": f.expected_shortfall,
            "breaches_appetite": bool(f.appetite_breached),
        }
        controls = list(f.controls.itertuples(index=False)) or [None]
        for c in controls:
            rows.append(
                head
                | {
                    "control": None if c is None else c.control,
                    "control_cost": np.nan if c is None else c.annual_cost,
                    "expected_ale_with_control": np.nan if c is None else c.expected_ale_after,
                    "rosi": np.nan if c is None else c.rosi,
                }
            )
    return pd.DataFrame(rows)
