"""The examples of docs/valuation-rates.md run and give the numbers the page shows."""

from __future__ import annotations

import doctest
from pathlib import Path

PAGE = Path(__file__).resolve().parents[1] / "docs" / "valuation-rates.md"


def test_valuation_rates_page_examples_run():
    """Every ``>>>`` example on the page (Excel's documented answers among them) passes."""
    result = doctest.testfile(
        str(PAGE), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted >= 30
    assert result.failed == 0
