"""The one formatting module (issue 11): one set of defaults, explicit styles, one definition."""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.reporting import charts, formatting, tables
from cio_analytics.reporting.formatting import (
    format_money,
    format_number,
    format_percent,
    format_year,
)

PACKAGE = Path(__file__).resolve().parents[1] / "cio_analytics"


def test_the_issue_examples_have_one_answer_each():
    """Issue 11: tables gave 'EUR 1,234,567' and charts 'EUR 1.2M' for the same call; percent
    gave '8 %' or '8.5 %'. Now the style is an explicit argument and the defaults are one."""
    assert format_money(1234567, "EUR") == "EUR 1.2M"
    assert format_money(1234567, "EUR", style="compact") == "EUR 1.2M"
    assert format_money(1234567, "EUR", style="full") == "EUR 1,234,567"
    assert format_percent(0.0845) == "8.5 %"
    assert format_percent(0.08) == "8 %"
    for module in (charts, tables):
        assert module.format_money(1234567, "EUR") == "EUR 1.2M"
        assert module.format_percent(0.0845) == "8.5 %"


def test_every_import_path_gives_the_same_functions():
    """Notebooks import from reporting.charts and reporting.tables: the same objects."""
    import cio_analytics.reporting as reporting
    from cio_analytics.reporting.charts import formatting as chart_formatting

    for name in ("format_money", "format_percent", "format_number"):
        one = getattr(formatting, name)
        assert getattr(charts, name) is one
        assert getattr(chart_formatting, name) is one
        assert getattr(reporting, name) is one
    assert tables.format_money is formatting.format_money
    assert tables.format_percent is formatting.format_percent
    assert tables.is_missing is formatting.is_missing


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.845, "84.5 %"),
        (0.5, "50 %"),
        (0.9999, "99.99 %"),  # availability: not "100 %"
        (0.99999, "99.999 %"),
        (1.0, "100 %"),
        (0.0004, "0.04 %"),  # small odds: not "0 %"
        (0.0, "0 %"),
        (-0.0312, "-3.1 %"),
    ],
)
def test_percent_shows_the_decimals_that_matter(value, expected):
    assert format_percent(value) == expected


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-10.0, max_value=10.0, allow_nan=False))
def test_percent_reads_back_within_its_last_digit(x):
    """Domain: shares in [-10, 10] (-1000 % to 1000 %). The text parses back to 100 x within
    half a unit of its last shown digit; a non-zero share never reads 0 % and a share other
    than +-1 never reads +-100 % unless it is within 0.00005 of it (four decimals at most)."""
    text = format_percent(x)
    m = re.fullmatch(r"(-?)([\d,]+)(?:\.(\d+))? %", text)
    assert m, text
    shown = float((m.group(2) + "." + (m.group(3) or "0")).replace(",", ""))
    shown = -shown if m.group(1) else shown
    decimals = len(m.group(3) or "")
    assert abs(shown - 100 * x) <= 0.5 * 10.0**-decimals * (1 + 1e-9)
    if x != 0 and abs(100 * x) >= 0.00005:
        assert shown != 0
    if abs(abs(x) - 1) >= 5e-7:
        assert abs(shown) != 100


def test_full_money_is_for_tables_and_counts_and_years_are_plain():
    assert format_money(-1234567.891, "EUR", style="full") == "-EUR 1,234,568"
    assert format_money(1234.5, "EUR", style="full", decimals=2) == "EUR 1,234.50"
    assert format_money(500_000, "EUR"), format_money(500_000, "EUR", trim=False) == (
        "EUR 500k",
        "EUR 500.0k",
    )
    assert format_number(12345.6) == "12,346"
    assert format_year(2026) == "2026" and format_year(np.float64(2027.0)) == "2027"
    for missing in (None, float("nan"), pd.NA, pd.NaT, float("inf"), -math.inf):
        assert format_money(missing, "EUR") == "n/a"
        assert format_percent(missing) == "n/a"
        assert format_number(missing) == "n/a"


def test_style_is_checked():
    with pytest.raises(ParameterError, match="`style` must be one of"):
        format_money(1.0, "EUR", style="short")
    with pytest.raises(ParameterError, match="contradicts"):
        format_money(1.0, "EUR", style="compact", compact=False)
    assert format_money(1234567, "EUR", compact=False) == format_money(1234567, "EUR", style="full")


# Functions that format for display but are not a second number formatter: they dispatch to the
# formatting module by kind (format_value), style whole tables (format_table), or draw axis ticks
# (the tick formatters' __call__ methods are not module-level functions).
_NOT_NUMBER_FORMATTERS = {
    ("cio_analytics/reporting/tables.py", "format_table"),
    ("cio_analytics/reporting/tables.py", "format_value"),
}


def test_no_second_formatting_function_anywhere():
    """`def format_*` and `def _fmt*` live only in reporting/formatting.py (grep of issue 11)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).as_posix()
        if rel == "cio_analytics/reporting/formatting.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                node.name.startswith("format_") or node.name.startswith("_fmt")
            ):
                if (rel, node.name) not in _NOT_NUMBER_FORMATTERS:
                    found.append(f"{rel}:{node.lineno} {node.name}")
    assert not found, found


def test_recorded_figures_on_the_index_use_the_same_conventions():
    from cio_analytics.reporting.record import figure_text

    assert figure_text({"value": 1234567.0, "unit": "EUR", "fmt": ",.0f"}) == "EUR 1.2M"
    assert figure_text({"value": 0.0845, "unit": "%", "fmt": ".1%"}) == "8.5 %"
    assert figure_text({"value": 0.0845, "unit": "%"}) == "8.5 %"
    assert figure_text({"value": 44.25, "unit": "FTE", "fmt": ".1f"}) == "44.2 FTE"
