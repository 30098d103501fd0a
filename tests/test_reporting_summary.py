"""Executive summaries, decision helpers, formatted tables, parameters and provenance blocks.

Rendering is checked on known answers: the sentence text, the formatted figures, the CSS of a
highlighted row, a closed <details> block, and "n/a" (never "nan") for missing values. The
figures the decision helpers quote are the library's own results, recomputed here.
"""

from __future__ import annotations

import hashlib
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.reporting import (
    Decision,
    executive_summary,
    format_table,
    investment_decision,
    parameters_table,
    provenance_appendix,
    risk_decision,
    staffing_decision,
)
from cio_analytics.reporting.decisions import point_forecast_fte
from cio_analytics.reporting.tables import (
    format_money,
    format_percent,
    format_value,
    humanize,
    report_table,
)
from cio_analytics.risk import PERT, Risk, simulate_case, simulate_register
from cio_analytics.valuation import InvestmentCase, LineItem

NAN_WORD = re.compile(r"\bnan\b", re.IGNORECASE)

# A 4-year pilot: 1,000 now, 400 a year for 4 years. NPV at 8 % = -1000 + 400 a(4, 8 %)
# = -1000 + 400 x 3.312127 = 324.85; IRR 21.86 % (textbook annuity; numpy-financial's
# irr([-1000, 400, 400, 400, 400]) = 0.218623).
PILOT = InvestmentCase(
    "Pilot",
    (
        LineItem("build", "capex", 1000, start=0),
        LineItem("savings", "benefit", 400, start=1, duration=4),
    ),
    horizon_years=4,
)


def visible(html_text: str) -> str:
    """The text a reader sees: styles and tags removed."""
    body = re.sub(r"(?is)<style\b.*?</style>", "", html_text)
    body = re.sub(r'src="data:[^"]*"', "", body)
    return re.sub(r"<[^>]+>", " ", body)


# ----------------------------------------------------------------------------- formatting
def test_money_and_percent_formats():
    # One convention with the charts (docs/charts.md): code, space, amount; minus first.
    assert format_money(1234567.891, "EUR", style="full") == "EUR 1,234,568"
    assert format_money(-1234567.891, "EUR", compact=True) == "-EUR 1.2M"
    assert format_money(412_345, "USD", compact=True) == "USD 412.3k"
    assert format_money(2.5e9, "EUR", compact=True) == "EUR 2.5bn"
    assert format_money(999_999, "EUR", compact=True) == "EUR 1M"  # no "1,000k"
    assert format_money(-0.2, "EUR", style="full") == "EUR 0"  # no negative zero
    assert format_percent(0.2186, 1) == "21.9 %" and format_percent(-0.05) == "-5 %"
    for missing in (None, float("nan"), np.nan, pd.NA, float("inf")):
        assert format_money(missing, "EUR") == "n/a"
        assert format_percent(missing) == "n/a"
        assert format_value(missing, "years") == "n/a"


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_compact_money_reads_back_within_rounding(x):
    text = format_money(x, "EUR", compact=True)
    assert "nan" not in text.lower() and "e+" not in text
    m = re.fullmatch(r"(-?)EUR ([0-9.,]+)(k|M|bn|tn|)", text)
    assert m, text
    scale = {"k": 1e3, "M": 1e6, "bn": 1e9, "tn": 1e12, "": 1.0}[m.group(3)]
    value = float(m.group(2).replace(",", "")) * scale * (-1 if m.group(1) else 1)
    assert value == pytest.approx(x, abs=0.05 * scale + 0.5)


def test_format_table_units_rounding_highlight_and_missing():
    table = pd.DataFrame(
        {
            "risk": ["Outage", "Breach", "Overrun"],
            "annual_cost": [60000.0, None, 25000.4],
            "roi": [0.85, -0.2, np.nan],
            "n_events": [3, 0, 12000],
        }
    )
    html_text = format_table(
        table,
        money=["annual_cost"],
        percent=["roi"],
        integer=["n_events"],
        currency="EUR",
        highlight=("roi", 0.0),
        tone="good",
    ).to_html()
    text = visible(html_text)
    assert "Annual cost (EUR)" in text and "ROI" in text and "Number of events" in text
    assert "60,000" in text and "25,000" in text and "12,000" in text
    assert "85.0 %" in text and "-20.0 %" in text
    assert text.count("n/a") == 2 and not NAN_WORD.search(text)
    assert "<th " not in html_text.split("<tbody>")[1]  # no index column
    # Only the first row crosses the threshold (ROI > 0): its cells carry the green background.
    styled = re.findall(r"#(T_\w+_row(\d)_col\d)[^{]*\{([^}]*)\}", html_text)
    green = {row for _, row, css in styled if "#dff0e3" in css}
    assert green == {"0"}


def test_format_table_highlight_with_a_predicate_and_errors():
    table = pd.DataFrame({"scenario": ["A", "B"], "breached": [True, False]})
    html_text = format_table(table, highlight=("breached", True), tone="bad").to_html()
    assert html_text.count("#f9d6d5") == 1  # one CSS rule, for the breached row
    assert "Yes" in visible(html_text) and "No" in visible(html_text)
    with pytest.raises(ParameterError, match="Did you mean 'breached'"):
        format_table(table, highlight=("breachd", True))
    with pytest.raises(ParameterError, match="`money` names column"):
        format_table(table, money=["cost"])
    with pytest.raises(ParameterError, match="tone"):
        format_table(table, tone="red")


def test_report_table_records_numbers_with_formats(tmp_path, monkeypatch):
    from cio_analytics.reporting.record import read_tables

    monkeypatch.setenv("CIO_ANALYTICS_RECORD_FILE", str(tmp_path / "x.records.jsonl"))
    flows = pd.DataFrame({"year": [0, 1], "net": [-1000.5, 600.25], "share": [0.1, 0.9]})
    report_table("flows", flows, money=["net"], percent=["share"], currency="EUR", caption="Flows")
    saved = read_tables(tmp_path / "x.tables.jsonl")["flows"]
    assert saved.frame["Net (EUR)"].tolist() == [-1000.5, 600.25]  # full precision
    assert saved.formats == {"Net (EUR)": "currency", "Share": "percent:1"}
    assert saved.title == "Flows" and saved.currency == "EUR"


# ------------------------------------------------------------------------ executive summary
def test_summary_renders_sentence_key_numbers_and_chart():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    fig.cioa_alt_text = "Histogram of the NPV over 1,000 trials."
    summary = executive_summary(
        "Proceed: 84% chance the NPV is positive.",
        [
            ("NPV at 8.0%", 412_345.0, -120_000.0, 690_000.0, "money"),
            ("Chance the NPV is positive", 0.84, None, None, "percent"),
            ("Payback", float("nan"), None, None, "years"),
        ],
        chart=fig,
        title="Investment case: Pilot",
        currency="EUR",
        favourable=True,
    )
    assert fig.number not in plt.get_fignums()  # closed: shown once, inside the summary
    page = summary._repr_html_()
    text = visible(page)
    assert page.index("<h1>Investment case: Pilot</h1>") < page.index('<p class="cioa-decision"')
    assert '<span class="cioa-verdict">Proceed:</span> 84% chance the NPV is positive.' in page
    assert "EUR 412.3k" in text and "P10 to P90: -EUR 120k to EUR 690k" in text
    assert "84 %" in text and "n/a" in text and not NAN_WORD.search(text)
    assert 'alt="Histogram of the NPV over 1,000 trials."' in page
    assert "--tone:#009E73" in page  # favourable: green
    md = summary._repr_markdown_()
    assert md.startswith("# Investment case: Pilot\n\n**Proceed**: 84% chance")
    assert "| NPV at 8.0% | EUR 412.3k | -EUR 120k to EUR 690k |" in md
    assert "| Payback | n/a | n/a |" in md


def test_summary_rejects_too_many_key_numbers():
    rows = [(f"k{i}", float(i)) for i in range(7)]
    with pytest.raises(ParameterError, match="3 to 5 key numbers"):
        executive_summary("Proceed: fine.", rows)


# ------------------------------------------------------------------------ decision helpers
def test_investment_decision_known_answer_and_thresholds():
    result = PILOT.evaluate(discount_rate=0.08)
    d = investment_decision(result, hurdle_rate=0.12, min_probability_positive=0.8)
    assert d.sentence == (
        "Proceed: the planned NPV is EUR 325 at 8.0 % and the IRR of 21.9 % clears the 12.0 % hurdle."
    )
    assert d.key_numbers["value"].iloc[0] == pytest.approx(324.8507, abs=1e-3)
    assert d.favourable is True and d.thresholds["hurdle_rate"] == 0.12
    high = investment_decision(result, hurdle_rate=0.25, min_probability_positive=0.8)
    assert high.decision == "Do not proceed"
    assert "the IRR of 21.9 % is below the 25.0 % hurdle" in high.sentence


def test_investment_decision_with_several_rates_shows_the_mirr_not_one_of_them():
    """Flows -100, 230, -132 have two IRRs (10 % and 20 %): the page must not print either as
    "the IRR"; it says so and judges the MIRR against the hurdle (issue 16)."""
    from dataclasses import replace

    result = PILOT.evaluate(discount_rate=0.08)
    several = replace(result, irr=0.1, irr_status="several roots", mirr=0.15)
    d = investment_decision(several, hurdle_rate=0.12, min_probability_positive=0.8)
    assert "several rates (see MIRR)" in d.sentence
    assert "the MIRR of 15.0 % clears the 12.0 % hurdle" in d.sentence
    assert "IRR of 10" not in d.sentence
    assert "MIRR (several IRRs)" in list(d.key_numbers["figure"])
    low = investment_decision(several, hurdle_rate=0.2, min_probability_positive=0.8)
    assert low.decision == "Do not proceed"


def test_investment_decision_with_monte_carlo():
    risk = simulate_case(PILOT, {"savings": PERT(150, 400, 500)}, 400, rng=7)
    result = PILOT.evaluate(discount_rate=0.08)
    p = 1 - risk.probability_npv_negative
    d = investment_decision(result, risk, hurdle_rate=0.1, min_probability_positive=0.5)
    assert d.sentence.startswith(
        f"Proceed: {format_percent(p)} chance the NPV is positive (at least 50 %"
    )
    row = d.key_numbers.iloc[0]
    assert (row["low"], row["high"]) == (risk.npv_p10, risk.npv_p90)
    strict = investment_decision(result, risk, hurdle_rate=0.1, min_probability_positive=0.99)
    assert strict.sentence.startswith(f"Do not proceed: only {format_percent(p)} chance")


def test_investment_decision_validates_thresholds():
    result = PILOT.evaluate(discount_rate=0.08)
    with pytest.raises(ParameterError, match="min_probability_positive"):
        investment_decision(result, hurdle_rate=0.1, min_probability_positive=70)


@pytest.fixture(scope="module")
def register():
    risks = [
        Risk("Outage", PERT(100_000, 200_000, 600_000), probability=0.3, mitigation_cost=10_000,
             mitigated_probability=0.1),
        Risk("Overrun", PERT(10_000, 50_000, 90_000), probability=0.5),
    ]  # fmt: skip
    appetite = pd.DataFrame({"loss": [100_000.0], "max_probability": [0.05]})
    return simulate_register(risks, 4000, appetite=appetite, currency="EUR", rng=3)


def test_risk_decision_sentence_and_ranges(register):
    # P(annual loss > 100,000) is about P(outage) = 0.3 > 0.05: the appetite is breached.
    d = risk_decision(register, max_expected_loss=1e9)
    assert d.decision == "Outside appetite" and d.favourable is False
    assert d.sentence.startswith("Outside appetite: the register exceeds the loss exceedance")
    assert "within the EUR 1bn limit" in d.sentence
    assert "1 of 1 mitigations return more than they cost" in d.sentence
    first = d.key_numbers.iloc[0]
    assert first["value"] == register.expected_loss
    assert first["low"] == pytest.approx(np.quantile(register.total_before, 0.1))
    assert first["high"] == pytest.approx(np.quantile(register.total_before, 0.9))
    low_limit = risk_decision(register, max_expected_loss=1000.0)
    assert "is above the EUR 1k limit, and the register exceeds" in low_limit.sentence


def test_staffing_decision_range_and_verdicts():
    from cio_analytics.io import read_staffing_forecast
    from cio_analytics.staffing import staffing_plan

    forecast = read_staffing_forecast("data/sample/staffing_forecast.csv").head(96)
    kw = dict(target_service_level=0.8, answer_time_s=20.0, shrinkage=0.3, hours_per_fte_week=37.5,
              cost_per_fte_year=58_000.0, currency="EUR")  # fmt: skip
    point = staffing_plan(forecast, **kw)
    d = staffing_decision(point, current_fte=point.total_fte + 2, team="service desk")
    assert d.decision == "Staffed" and "(2.0 FTE to spare)" in d.sentence
    assert "at the point forecast" in d.sentence
    assert d.key_numbers["low"].isna().all()
    if "calls_sd" in forecast.columns:
        sure = staffing_plan(forecast, percentile=0.8, n_trials=50, rng=1, **kw)
        assert point_forecast_fte(sure) == pytest.approx(point.total_fte)
        short = staffing_decision(sure, current_fte=0.0)
        assert short.decision == "No hiring plan closes the gap"
        assert "80 % confidence" in short.range_label
        assert short.key_numbers.iloc[0]["low"] == pytest.approx(point.total_fte)


def test_decision_summary_is_a_record_friendly_table():
    d = investment_decision(
        PILOT.evaluate(discount_rate=0.08), hurdle_rate=0.1, min_probability_positive=0.5
    )
    assert isinstance(d, Decision)
    table = d.summary()
    assert list(table.columns) == ["figure", "value", "low", "high", "kind", "unit", "range"]
    assert table["value"].dtype == float and set(table["unit"]) <= {"EUR", ""}


# ------------------------------------------------------------------ parameters and provenance
def test_parameters_table_formats_values():
    styler = parameters_table(
        discount_rate=0.08, n_trials=10_000, seed=2026, comparison_case_path="",
        cost_per_fte_year=58_000.0, answer_time_s=20.0, currency="EUR", growth=0.15,
    )  # fmt: skip
    values = dict(zip(styler.data["Parameter"], styler.data["Value"], strict=True))
    assert values == {
        "Discount rate": "8 %", "Number of trials": "10,000", "Seed": "2026",
        "Comparison case path": "not set", "Cost per FTE year": "EUR 58,000",
        "Answer time (s)": "20 s", "Currency": "EUR", "Growth": "15 %",
    }  # fmt: skip


def test_parameters_table_reads_the_notebook_schema():
    namespace = {"discount_rate": 0.08, "unrelated": 1, "__name__": "__main__"}
    from cio_analytics.pipeline.params import read_schema

    schema = read_schema("notebooks/investment_case.ipynb")
    namespace |= {p.name: p.default for p in schema.params}
    styler = parameters_table(namespace, notebook="notebooks/investment_case.ipynb")
    assert list(styler.data["Parameter"]) == [humanize(p.name) for p in schema.params]
    assert "Unrelated" not in set(styler.data["Parameter"])
    assert "annual discount rate" in " ".join(styler.data["Meaning"])
    with pytest.raises(ParameterError, match="no value for"):
        parameters_table({"discount_rate": 0.08}, notebook="notebooks/investment_case.ipynb")


def test_provenance_block_is_collapsed_and_hashes_files():
    path = "data/sample/risk_appetite.csv"
    block = provenance_appendix(seed=2026, files=[path, "", None], packages=["numpy"])
    page = block._repr_html_()
    opening = page[: page.index(">") + 1]
    assert opening.startswith("<details") and "open" not in opening
    with open(path, "rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() in page
    text = visible(page)
    assert "2026" in text and np.__version__ in text and "Python" in text
    assert page.count("<code>data/sample") == 1  # empty and None paths skipped
    assert not NAN_WORD.search(text)


def test_executive_summary_writes_its_summary_sidecar_under_the_pipeline(tmp_path, monkeypatch):
    """The index, board summary and slides read what the report showed, not a second copy."""
    from cio_analytics.reporting.record import RECORD_ENV, read_summary, summary_path
    from cio_analytics.reporting.summary import Decision, executive_summary, key_numbers_frame

    sidecar = tmp_path / "job.records.jsonl"
    monkeypatch.setenv(RECORD_ENV, str(sidecar))
    d = Decision(
        "Proceed",
        "Proceed: 84% chance the NPV is positive.",
        key_numbers_frame([("NPV", 412000.0, 120000.0, 690000.0, "money"), ("IRR", 0.204)]),
        True,
        "EUR",
        at_stake=1.5e6,
        at_stake_label="Investment",
    )
    executive_summary(d, title="Investment case: platform")
    got = read_summary(summary_path(sidecar))
    assert got["verdict"] == "Proceed" and got["title"] == "Investment case: platform"
    assert got["at_stake_text"] == "EUR 1.5M" and got["at_stake_label"] == "Investment"
    npv = got["key_numbers"][0]
    assert (npv["text"], npv["range_text"], npv["low"]) == (
        "EUR 412k",
        "EUR 120k to EUR 690k",
        1.2e5,
    )
    assert got["key_numbers"][1]["range_text"] is None and got["chart"] is None
    monkeypatch.delenv(RECORD_ENV)
    assert read_summary(tmp_path / "none.summary.json") is None
