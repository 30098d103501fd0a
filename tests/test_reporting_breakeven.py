"""Break-even sentences and tables: the numbers of the domains, phrased by the formatting module."""

from __future__ import annotations

import re

import pytest

from cio_analytics.exceptions import ParameterError
from cio_analytics.reporting.decisions import (
    break_even_sentence,
    break_even_sentences,
    break_even_table,
)
from cio_analytics.sourcing import Offer, TierSchedule, tco_break_even
from cio_analytics.staffing import service_level_break_even
from cio_analytics.valuation import InvestmentCase, LineItem, irr_break_even, npv_break_even

CASE = InvestmentCase(
    "Platform",
    [LineItem("Build", "capex", 1_000_000), LineItem("Savings", "benefit", 300_000)],
    horizon_years=5,
    discount_rate=0.10,
)
FORBIDDEN = re.compile(r"nan|None|True|False|_|\d\.\d{3,}")


def test_the_issue_sentence_for_a_benefit():
    """Issue 14: 'the decision holds while benefits stay above EUR X (Y % below plan)';
    1,000,000 / a(5, 10 %) = 263,797 (Brealey-Myers annuity factor 3.7908): 12.1 % below
    300,000."""
    text = break_even_sentence(npv_break_even(CASE), "Savings", labels={"Savings": "benefits"})
    assert (
        text == "NPV stays positive while benefits stay above EUR 264k a year (12.1 % below plan)."
    )


def test_sentences_for_every_domain_read_clean():
    """No code name, raw float, NaN or boolean in any sentence or table cell."""
    analyses = [
        npv_break_even(CASE),
        irr_break_even(CASE, 0.12),
        service_level_break_even(100, 1800, 180, 13, target_service_level=0.8, answer_time_s=20),
        tco_break_even(
            [Offer("Flat", recurring=12_000), Offer("Usage", tiers=TierSchedule.flat(10.0))],
            [1000, 1000, 1000],
            discount_rate=0.05,
        ),
    ]
    for analysis in analyses:
        texts = break_even_sentences(analysis)
        cells = break_even_table(analysis).to_numpy().ravel().tolist()
        assert len(texts) == len(analysis.results)
        for text in texts + cells:
            assert not FORBIDDEN.search(str(text)), text


def test_plan_that_misses_the_target_says_what_would_meet_it():
    """13 agents answer 79.6 % of 100 calls in 20 s (Call Centre Helper's worked example):
    the target would be met below about 99.7 contacts."""
    res = service_level_break_even(100, 1800, 180, 13, target_service_level=0.8, answer_time_s=20)
    text = break_even_sentence(res, "calls")
    assert text.startswith("The 80 % service level would be met once contact volume falls below")
    assert "below plan" in text


def test_no_flip_and_wrong_argument():
    res = tco_break_even(
        [Offer("Flat", recurring=12_000), Offer("Usage", tiers=TierSchedule.flat(10.0))],
        [1000, 1000, 1000],
        discount_rate=0.05,
    )
    text = break_even_sentence(res, "discount_rate")
    assert (
        text
        == "The discount rate does not flip the decision anywhere from -90 % to 100 %: it holds."
    )
    table = break_even_table(res)
    assert table.loc[3, "Break-even"] == "no flip in range"
    assert table.loc[0, "Plan"] == "1,000 units a year"
    with pytest.raises(ParameterError, match="BreakEvenAnalysis"):
        break_even_sentence(res.results[0], "volume")
