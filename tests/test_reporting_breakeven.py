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


# ------------------------------------------------- what would change the decision (issue 14)
def test_the_first_test_to_fail_is_the_decision_break_even():
    """Proceed needs NPV > 0 at 10 % and IRR >= 12 %: for the savings the IRR test fails first,
    at 1,000,000 / a(5, 12 %) = 277,410 (annuity factor 3.6048); for the build cost also the
    IRR test, at 300,000 x 3.6048 = 1,081,433."""
    from cio_analytics.reporting.decisions import decision_break_even

    found = decision_break_even(npv_break_even(CASE), irr_break_even(CASE, 0.12))
    by_input = {r.input: r for r in found}
    assert by_input["Savings"].criterion == "irr"
    assert by_input["Savings"].break_even_value == pytest.approx(1e6 / 3.604776, rel=1e-6)
    assert by_input["Build"].break_even_value == pytest.approx(300_000 * 3.604776, rel=1e-6)
    assert (by_input["Build"].holds_while, by_input["Savings"].holds_while) == ("below", "above")
    # the discount rate only moves the NPV test: its break-even is the IRR (15.24 %)
    assert by_input["discount_rate"].criterion == "npv"
    assert by_input["discount_rate"].break_even_value == pytest.approx(0.15238, abs=1e-5)


def test_a_choice_flips_where_the_other_option_catches_up():
    """Buy (900 now) or lease (320 a year, years 1-3) at 6 %: lease's NPV is -320 x 2.6730 =
    -855.36, so lease is chosen; it stays chosen while its payment is below 900 / 2.6730 =
    336.70, and while the buy price stays above 855.36 (the rejected option, `against`)."""
    from cio_analytics.reporting.decisions import what_would_change

    buy = InvestmentCase("Buy", [LineItem("Kit", "capex", 900.0)], horizon_years=3,
                         discount_rate=0.06)  # fmt: skip
    lease = InvestmentCase("Lease", [LineItem("Fee", "opex_recurring", 320.0, start=1)],
                           horizon_years=3, discount_rate=0.06)  # fmt: skip
    a = (1 - 1.06**-3) / 0.06
    view = what_would_change(
        npv_break_even(lease, threshold=-900.0, inputs=["Fee"]),
        against=[npv_break_even(buy, threshold=-320.0 * a, inputs=["Kit"])],
    )
    fee, kit = (next(p for p in view.points if p.result.input == n) for n in ("Fee", "Kit"))
    assert fee.result.break_even_value == pytest.approx(900.0 / a)
    assert (fee.result.holds_while, fee.result.decision_holds_at_base) == ("below", True)
    assert kit.result.break_even_value == pytest.approx(320.0 * a)
    assert (kit.result.holds_while, kit.result.decision_holds_at_base) == ("above", True)
    assert view.most_fragile is kit  # 855.36 is 5.0 % below 900; 336.70 is 5.2 % above 320
    assert kit.sentence() == (
        "The decision holds while kit stays above EUR 855 (5 % below plan); any lower and "
        "“Buy” has the better NPV."
    )


def test_no_flip_and_the_fragility_flag():
    """An input that cannot flip the decision is said in words and comes last; the flag is
    added only under the margin."""
    from cio_analytics.reporting.decisions import (
        investment_decision,
        what_would_change,
        with_fragility_flag,
    )

    view = what_would_change(
        tco_break_even(
            [Offer("Flat", recurring=12_000), Offer("Usage", tiers=TierSchedule.flat(10.0))],
            [1000, 1000, 1000],
            discount_rate=0.05,
        )
    )
    assert view.points[-1].result.input == "discount_rate"
    assert view.table().iloc[-1]["Break-even"] == "none in the range"
    assert view.table().iloc[-1]["Status"].startswith("No flip from -90 % to 100 %")
    # Usage (10 x 1,000 a year) beats Flat (12,000): Flat's prices need to fall by 1/6
    assert view.points[0].input == "Flat's prices" and view.subject == "Usage vs Flat"
    assert "Usage's prices" in [p.input for p in view.points]
    assert view.sentences()[0].startswith("The decision holds while Flat's prices stay above")
    cells = view.table().to_numpy().ravel().tolist() + view.sentences()
    assert not [c for c in cells if FORBIDDEN.search(str(c))]
    decision = investment_decision(CASE.evaluate(), hurdle_rate=0.12, min_probability_positive=0.6)
    assert view.most_fragile.margin == pytest.approx(1 / 6, rel=1e-9)
    assert with_fragility_flag(decision, view, margin=0.15) is decision
    flagged = with_fragility_flag(decision, view, margin=0.2)
    assert flagged.flags[-1].startswith("A move of less than 20 % flips the decision: it holds")
    figures = view.figures()
    assert figures.groupby("Input").size().eq(3).all()
    assert set(figures.loc[figures["Figure"] == "Margin", "kind"]) == {"percent"}
