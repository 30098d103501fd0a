"""The index cards and the board summary, built from synthetic jobs (no notebook is run).

Each job is what the manifest lists: ``name, title, notebook, status, message, files,
records``; the executive summaries are written as the pipeline writes them, from
:meth:`ExecutiveSummary.payload`.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from cio_analytics.pipeline.board import (
    SERVICE_DESK_ALTERNATIVES,
    Alternative,
    write_board_summary,
)
from cio_analytics.pipeline.index import BOARD_SUMMARY, record_figures, write_index
from cio_analytics.reporting.summary import Decision, executive_summary, key_numbers_frame


def _summary(folder: Path, name: str, decision: Decision) -> str:
    payload = executive_summary(decision, title=name).payload()
    path = folder / f"{name}.summary.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path.name


def _job(name, notebook, *, status="ok", records=None, summary=None, message=""):
    files = {
        "html": f"{name}.html",
        "notebook": f"{name}.ipynb",
        "records": f"{name}.records.jsonl",
    }
    if summary:
        files["summary"] = summary
    return {
        "name": name,
        "title": f"Report {name}",
        "notebook": f"notebooks/{notebook}.ipynb",
        "status": status,
        "message": message,
        "duration_s": 1.0,
        "files": files,
        "records": records or {},
    }


def _rec(value, label, unit=None, fmt=None):
    return {"value": value, "label": label, "unit": unit, "fmt": fmt}


@pytest.fixture
def pack(tmp_path):
    """A pack of five reports: three with a summary, one without, one failed."""
    platform = Decision(
        "Proceed",
        "Proceed: 67 % chance the NPV is positive.",
        key_numbers_frame(
            [
                ("NPV", 176764.13, -129119.19, 222373.92, "money"),
                ("IRR", 0.2041, None, None, "percent"),
            ]
        ),
        favourable=True,
        currency="EUR",
        at_stake=1_580_827.19,
        at_stake_label="Investment",
        flags=("The plan NPV is above the simulated median: the risks are skewed.",),
    )
    risk = Decision(
        "Outside appetite",
        "Outside appetite: ransomware on the ERP exceeds the loss appetite.",
        key_numbers_frame(
            [("Register: expected annual loss", 391879.2, 98029.8, 747214.0, "money")]
        ),
        favourable=False,
        currency="EUR",
    )
    staffing = Decision(
        "Hire 12",
        "Hire 12: the service desk needs 41.5 FTE.",
        key_numbers_frame([("Scheduled FTE needed", 41.45, 38.3, 44.1, "fte")]),
        currency="EUR",
        at_stake=2_404_293.33,
        at_stake_label="Annual cost of the plan",
    )
    jobs = [
        _job(
            "investment-service-desk",
            "investment_case",
            records={
                "decision": _rec("Proceed", "Decision"),
                "eac": _rec(340473.46, "Equivalent annual cost", "EUR", ",.0f"),
                "npv": _rec(176764.13, "NPV at 8.0%", "EUR", ",.0f"),
                "npv_p50": _rec(65013.52, "NPV P50", "EUR", ",.0f"),
            },
            summary=_summary(tmp_path, "investment-service-desk", platform),
        ),
        _job("risk-review", "risk_review", summary=_summary(tmp_path, "risk-review", risk)),
        _job(
            "staffing-baseline",
            "service_desk_staffing",
            records={
                "annual_cost": _rec(2404293.33, "Annual cost of the plan", "EUR", ",.0f"),
                "inhouse_pv_mean": _rec(10974934.0, "PV of cost, in-house", "EUR", ",.0f"),
            },
            summary=_summary(tmp_path, "staffing-baseline", staffing),
        ),
        _job(
            "sourcing-decision",
            "sourcing_decision",
            records={
                "decision": _rec("Choose Vendor B", "Decision"),
                "best_pv_mean": _rec(8380613.9, "PV of 5-year cost, lowest offer (mean)", "EUR"),
                "best_pv_p10": _rec(7956882.9, "PV of cost, lowest offer, P10", "EUR"),
                "best_pv_p90": _rec(8856296.0, "PV of cost, lowest offer, P90", "EUR"),
                "inhouse_pv_mean": _rec(10974934.0, "PV of cost, in-house (mean)", "EUR"),
                "solver_status": _rec("optimal", "Plan status"),
                "fund": _rec(True, "Fund the option"),
                "mip_gap": _rec(0.0, "MIP gap to the bound", None, ".2%"),
            },
        ),
        _job(
            "budget-review",
            "budget_review",
            status="failed",
            message="DataFileError: no budget",
            records={"landing_p50": _rec(1.7e7, "Full-year landing, median", "EUR")},
        ),
    ]
    for job in jobs:
        (tmp_path / job["files"]["html"]).write_text("<html></html>", encoding="utf-8")
    board = write_board_summary(tmp_path, jobs, pack_title="Pack", period="2026Q4")
    manifest = {
        "jobs": jobs,
        "pack": {"title": "Pack"},
        "period": "2026Q4",
        "end": "2026-12-07T05:00:00+00:00",
        "duration_s": 12.0,
    }
    index = write_index(tmp_path / "index.html", manifest)
    return tmp_path, jobs, board.read_text(encoding="utf-8"), index.read_text(encoding="utf-8")


def _visible(page: str) -> str:
    body = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _section(page: str, element_id: str) -> str:
    start = page.index(f"id='{element_id}'")
    end = page.find("</article>", start)
    end = page.find("</tr>", start) if end < 0 or "<tr" in page[start - 30 : start] else end
    return page[start:end]


def test_board_summary_lists_every_report_and_links_it(pack):
    folder, jobs, board, _ = pack
    assert (folder / BOARD_SUMMARY).is_file()
    for job in jobs:
        row = _section(board, f"line-{job['name']}")
        assert f"href='{job['name']}.html'" in row
    assert "Proceed" in _section(board, "line-investment-service-desk")
    assert "EUR 1.6M" in _section(board, "line-investment-service-desk")  # money at stake
    assert "Investment" in _section(board, "line-investment-service-desk")
    assert "skewed" in _section(board, "line-investment-service-desk")  # the flag
    # no summary: the recorded decision
    assert "Choose Vendor B" in _section(board, "line-sourcing-decision")


def test_board_summary_shows_a_failed_report_as_failed(pack):
    _, _, board, _ = pack
    row = _section(board, "line-budget-review")
    assert "class='failed'" in board[board.index("line-budget-review") - 40 :][:60]
    assert "Failed" in row and "no budget" in row


def test_board_summary_has_risks_staffing_and_alternatives(pack):
    _, _, board, _ = pack
    text = _visible(board)
    risks = text[text.index("Top risks against appetite") :]
    assert "Outside appetite" in risks
    assert "EUR 391.9k" in risks and "EUR 98k to EUR 747.2k" in risks
    staffing = text[text.index("The staffing ask") :]
    assert "Hire 12" in staffing and "41.5 FTE" in staffing
    alternatives = re.sub(r"\s+", " ", text[text.index("Alternatives: choose one") :])
    assert "3 alternatives for the same service" in alternatives
    # one basis for every option (never an annual cost against a present value): the PV of
    # the desk's cost; the platform lowers the in-house cost by its NPV
    assert "annual cost" not in alternatives.lower()
    assert (
        "On the present value of the service desk's cost over the sourcing horizon: Outsource "
        "the service desk costs least, EUR 2.5M less than the next" in alternatives
    )
    # the platform's median simulated NPV, not the plan's (80 % of trials fall below the plan)
    assert "EUR 11M less EUR 65k ( NPV P50 ) = EUR 10.9M" in alternatives
    # the reports that price an alternative say it is one, not an extra ask
    for name in ("investment-service-desk", "staffing-baseline", "sourcing-decision"):
        assert "not additive: choose one" in _visible(_section(board, f"line-{name}")), name
    assert "not additive" not in _visible(_section(board, "line-risk-review"))
    assert (
        alternatives.index("( Outsource the service desk :")
        < alternatives.index("Keep it in-house and invest in its platform :")
        < alternatives.index("Keep the service desk in-house and hire :")
    )


def test_alternatives_need_two_priced_options(tmp_path):
    job = _job("staffing-baseline", "service_desk_staffing", records={
        "annual_cost": _rec(2.4e6, "Annual cost of the plan", "EUR")})  # fmt: skip
    page = write_board_summary(tmp_path, [job], pack_title="P", period="2026Q4").read_text()
    assert "Alternatives" not in page
    assert "Money at stake" not in page  # no report states one: no column of "none stated"
    one = (Alternative("A", (("annual cost", "staffing-baseline", "annual_cost"),)),)
    part = (  # an option whose offset is not recorded is not priced
        Alternative("A", (("cost", "staffing-baseline", "annual_cost"),)),
        Alternative("B", (("cost", "staffing-baseline", "annual_cost"),),
                    less=(("cost", "investment-service-desk", "npv"),)),
    )  # fmt: skip
    assert (
        "Alternatives"
        not in write_board_summary(
            tmp_path, [job], pack_title="P", period="2026Q4", alternatives=part
        ).read_text()
    )
    assert (
        "Alternatives"
        not in write_board_summary(
            tmp_path, [job], pack_title="P", period="2026Q4", alternatives=one
        ).read_text()
    )
    assert len(SERVICE_DESK_ALTERNATIVES) == 3


def test_index_links_the_board_summary_first(pack):
    _, _, _, index = pack
    body = index[index.index("<body") :]
    first = re.search(r"href=['\"]([^'\"]+)['\"]", body).group(1)
    assert first == BOARD_SUMMARY


def test_every_index_card_shows_its_decision(pack):
    _, jobs, _, index = pack
    for job in jobs:
        card = _section(index, f"job-{job['name']}")
        assert "class='decision" in card, job["name"]
    card = _section(index, "job-investment-service-desk")
    assert "<b>Proceed</b>: 67 % chance" in card
    assert "Investment: <b>EUR 1.6M</b>" in card
    assert "skewed" in card  # the flag
    # the value and its P10-P90 range together, as on the report's tile
    tile = re.search(r"<li><span class='label'>NPV</span>.*?</li>", card).group(0)
    assert "EUR 176.8k" in tile and "P10 to P90: -EUR 129.1k to EUR 222.4k" in tile
    failed = _section(index, "job-budget-review")
    assert "Not decided" in failed and "no budget" in failed
    assert "class='figs'" not in failed  # figures recorded before a failure are partial


def test_index_card_without_summary_folds_the_range_and_uses_plain_words(pack):
    _, _, _, index = pack
    card = _visible(_section(index, "job-sourcing-decision"))
    assert "Choose Vendor B" in card
    assert "P10 to P90: EUR 8M to EUR 8.9M" in card
    assert "P10," not in card and "proved optimal" in card and "Yes" in card
    assert "Best possible selection proved optimal" in re.sub(r"\s+", " ", card)
    assert "MIP" not in card and "0.00 %" not in card


def test_pages_show_no_code_or_raw_values(pack):
    _, _, board, index = pack
    for name, page in (("board", board), ("index", index)):
        text = _visible(page)
        for bad in (r"\bTrue\b", r"\bFalse\b", r"\bNone\b", r"\bnan\b", r"\b[a-z]+_[a-z_]+\b"):
            found = re.search(bad, text)
            assert not found, (
                f"{name}: {found.group(0)!r} in {text[found.start() - 60 : found.end() + 60]!r}"
            )
        assert not re.search(r"\d\.\d{3,}", text), name  # no raw float


def test_record_figures_keeps_an_unpaired_percentile():
    """A P90 recorded without its P10 stays a figure of its own."""
    rec = {"cost_p90": _rec(7e5, "Cost, bad year (P90)", "EUR"), "cost": _rec(4e5, "Cost", "EUR")}
    assert record_figures(rec) == [
        ("Cost, bad year (P90)", "EUR 700k", None),
        ("Cost", "EUR 400k", None),
    ]


def test_top_risks_name_only_the_cyber_scenarios_that_breach(tmp_path, monkeypatch):
    """The cyber table says Yes/No (words, not booleans): "No" is not a breach."""
    import pandas as pd

    from cio_analytics.reporting.record import RECORD_ENV, record_table

    records = tmp_path / "risk-review.records.jsonl"
    records.write_text("", encoding="utf-8")
    monkeypatch.setenv(RECORD_ENV, str(records))
    record_table("cyber", pd.DataFrame({"Scenario": ["Ransomware on the ERP", "Email fraud"],
                                        "Breaches appetite": ["Yes", "No"]}))  # fmt: skip
    monkeypatch.delenv(RECORD_ENV)
    job = _job("risk-review", "risk_review")
    job["files"]["records"] = records.name
    page = write_board_summary(tmp_path, [job], pack_title="P", period="2026Q4").read_text()
    assert "Outside appetite: Ransomware on the ERP" in page
    assert "Email fraud" not in page


def test_a_breaching_cyber_scenario_carries_its_control_as_the_ask(tmp_path, monkeypatch):
    """Issue 13: the board summary lists every ask. A cyber scenario outside appetite names its
    control, what it costs a year and the expected loss before and with it, from the risk
    review's cyber table (money compact, the return on the control in whole percent)."""
    import pandas as pd

    from cio_analytics.reporting.record import RECORD_ENV, record_table

    records = tmp_path / "risk-review.records.jsonl"
    records.write_text("", encoding="utf-8")
    monkeypatch.setenv(RECORD_ENV, str(records))
    record_table(
        "cyber",
        pd.DataFrame({"Scenario": ["Ransomware on the ERP", "Email fraud"],
                      "Expected ALE (EUR)": [1_506_532.3, 83_942.2],
                      "Breaches appetite": ["Yes", "No"],
                      "Control": ["EDR and immutable backups", "Call-back procedure"],
                      "Control cost (EUR)": [120_000.0, 20_000.0],
                      "Expected ALE with control (EUR)": [476_436.1, 25_969.0],
                      "ROSI": [7.5841, 1.8987]}),
        currency="EUR",
    )  # fmt: skip
    monkeypatch.delenv(RECORD_ENV)
    job = _job("risk-review", "risk_review")
    job["files"]["records"] = records.name
    page = write_board_summary(tmp_path, [job], pack_title="P", period="2026Q4").read_text()
    text = _visible(page)
    assert (
        "Outside appetite: Ransomware on the ERP (cyber scenario). Ask: EDR and immutable "
        "backups, EUR 120k a year, expected loss EUR 1.5M \u2192 EUR 476.4k (return 758 %)"
        in re.sub(r"\s+", " ", text)
    )
    assert "Call-back procedure" not in text  # within appetite: no ask
