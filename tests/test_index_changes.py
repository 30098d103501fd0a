"""Quarter over quarter on the index and the board summary (issue 15, "What changed").

A pack's earlier periods are written into a real run history with ``record_run`` from their
manifests; this period's run is the manifest the pages are written from (the pipeline adds a
run to the history only after publishing it). The expected changes are worked out by hand from
the figures below, e.g. the landing from EUR 20M to EUR 22.5M is +EUR 2.5M, +12.5 %; the chance
of overrun from 70 % to 87.5 % is +17.5 percentage points, +25 %. The pages are then read as a
person sees them in headless Chromium (``tests/_visible_text.py``), and a small pack of real
notebooks is run twice with different parameters through ``cio-analytics run``.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import os
import re
from pathlib import Path

import pytest
from _visible_text import browser, check_page, missing_browser

from cio_analytics.pipeline.board import write_board_summary
from cio_analytics.pipeline.changes import (
    change_items,
    change_text,
    pack_changes,
    sparkline_svg,
    what_changed_html,
)
from cio_analytics.pipeline.history import FigureChange, record_run
from cio_analytics.pipeline.index import write_index
from cio_analytics.reporting.summary import Decision, executive_summary, key_numbers_frame

ROOT = Path(__file__).resolve().parents[1]
PERIODS = ["2025Q4", "2026Q1", "2026Q2", "2026Q3", "2026Q4"]

#: One row per period (oldest first): the figures the reports record.
LANDING = [18.0e6, 18.5e6, 19.0e6, 20.0e6, 22.5e6]
OVERRUN = [0.50, 0.55, 0.60, 0.70, 0.875]
VERDICT = ["Hold", "Hold", "Hold", "Hold", "Adjust"]
LOSS = [520e3, 510e3, 505e3, 500e3, 450e3]  # -10 % exactly: shown, not "moved"
WITHIN = ["Yes", "Yes", "Yes", "Yes", "No"]
BREACHES = [0, 0, 0, 0, 1]
FTE = [40.0, 40.5, 41.0, 41.5, 41.5]
HIRES = [None, None, None, None, 12]  # recorded from this period on: "new"
STAKE = [1.0e6, 1.0e6, 1.0e6, 1.0e6, 1.05e6]  # +5 %: shown, not "moved"
SPEND = [8000.0, 8000.0, 8000.0, 8000.0, 11200.0]  # +40 %, recorded but not a key number


def _rec(value, label, unit=None, fmt=None):
    return {"value": value, "label": label, "unit": unit, "fmt": fmt}


def _summary(folder: Path, name: str, decision: Decision) -> str:
    path = folder / f"{name}.summary.json"
    payload = executive_summary(decision, title=name).payload()
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path.name


def _job(name, notebook, title, records, summary=None):
    files = {"html": f"{name}.html", "notebook": f"{name}.ipynb"}
    if summary:
        files["summary"] = summary
    return {"name": name, "title": title, "notebook": f"notebooks/{notebook}.ipynb",
            "status": "ok", "message": "", "duration_s": 1.0, "files": files,
            "records": records}  # fmt: skip


def _run(i: int, folder: Path | None = None) -> dict:
    """The manifest of period ``PERIODS[i]``; with ``folder``, its summaries written there."""
    budget = {
        "decision": _rec(VERDICT[i], "Decision"),
        "at_stake": _rec(STAKE[i], "Cut to make", "EUR", ",.0f"),
        "landing_p50": _rec(LANDING[i], "Full-year landing, median", "EUR", ",.0f"),
        "landing_p10": _rec(LANDING[i] * 0.97, "Full-year landing, P10", "EUR", ",.0f"),
        "landing_p90": _rec(LANDING[i] * 1.03, "Full-year landing, P90", "EUR", ",.0f"),
        "probability_of_overrun": _rec(OVERRUN[i], "Chance of overrun", None, ".1%"),
        "spend_per_employee": _rec(SPEND[i], "IT spend per employee", "EUR", ",.0f"),
    }
    risk = {
        "decision": _rec("Outside appetite" if WITHIN[i] == "No" else "Within appetite", "Decision"),
        "within_appetite": _rec(WITHIN[i], "Within risk appetite"),
        "register_expected_loss": _rec(LOSS[i], "Register: expected annual loss", "EUR", ",.0f"),
        "n_fair_breaches": _rec(BREACHES[i], "Cyber scenarios outside appetite", "scenarios", ",.0f"),
    }  # fmt: skip
    staffing = {"fte_needed": _rec(FTE[i], "Scheduled FTE needed", "FTE", ",.1f")}
    if HIRES[i] is not None:
        staffing["hires"] = _rec(HIRES[i], "Hires in the plan", "people", ",.0f")
    summaries = {}
    if folder is not None:
        budget_decision = Decision(
            VERDICT[i],
            f"{VERDICT[i]}: the landing is above the budget.",
            key_numbers_frame([
                ("Full-year landing (median)", LANDING[i], LANDING[i] * 0.97, LANDING[i] * 1.03, "money"),
                ("Chance of overrun", OVERRUN[i], None, None, "percent"),
            ]),
            favourable=False, currency="EUR", at_stake=STAKE[i],
            at_stake_label="Cut to make",
        )  # fmt: skip
        risk_decision = Decision(
            risk["decision"]["value"],
            f"{risk['decision']['value']}: ransomware on the ERP exceeds the loss appetite.",
            key_numbers_frame([("Register: expected annual loss", LOSS[i], None, None, "money")]),
            favourable=False,
            currency="EUR",
        )
        staffing_decision = Decision(
            "Hire 12 agents",
            "Hire 12 agents: the service desk needs 41.5 FTE.",
            key_numbers_frame([("Scheduled FTE needed", FTE[i], None, None, "fte")]),
            currency="EUR",
        )
        summaries = {
            "budget-review": _summary(folder, "budget-review", budget_decision),
            "risk-review": _summary(folder, "risk-review", risk_decision),
            "staffing-growth": _summary(folder, "staffing-growth", staffing_decision),
        }
    jobs = [
        _job("budget-review", "budget_review", "Budget review: landing and adjustment", budget,
             summaries.get("budget-review")),
        _job("risk-review", "risk_review", "Risk register against appetite", risk,
             summaries.get("risk-review")),
        _job("staffing-growth", "service_desk_staffing", "Service desk staffing", staffing,
             summaries.get("staffing-growth")),
    ]  # fmt: skip
    return {"pack": {"name": "quarterly", "title": "Quarterly IT decision pack"},
            "period": PERIODS[i], "start": f"{PERIODS[i]}-start", "end": "2026-12-07T05:00:00+00:00",
            "duration_s": 3.0, "git": {}, "jobs": jobs}  # fmt: skip


def _pages(folder: Path, history: Path | None, i: int = len(PERIODS) - 1):
    manifest = _run(i, folder)
    for job in manifest["jobs"]:
        (folder / job["files"]["html"]).write_text("<html></html>", encoding="utf-8")
    board = write_board_summary(
        folder, manifest["jobs"], pack_title="Quarterly IT decision pack",
        period=PERIODS[i], run_end=manifest["end"], history=history, pack="quarterly",
    )  # fmt: skip
    index = write_index(folder / "index.html", manifest, history=history)
    return index, board


@pytest.fixture
def five(tmp_path):
    """Four earlier periods in the history; the pages of the fifth."""
    store = tmp_path / "history.duckdb"
    for i in range(len(PERIODS) - 1):
        record_run(_run(i), history=store)
    folder = tmp_path / "2026Q4"
    folder.mkdir()
    return (*_pages(folder, store), store)


@pytest.fixture
def two(tmp_path):
    """One earlier period in the history; the pages of the next."""
    store = tmp_path / "history.duckdb"
    record_run(_run(3), history=store)
    folder = tmp_path / "2026Q4"
    folder.mkdir()
    return (*_pages(folder, store), store)


def _plain(markup: str) -> str:
    """The text of some HTML: inline tags dropped, block tags a space (as a browser shows it)."""
    body = re.sub(r"<style>.*?</style>|<title>.*?</title>", " ", markup, flags=re.S)
    body = re.sub(r"</?(?:a|b|span)\b[^>]*>", "", body)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def _visible(page: Path) -> str:
    return _plain(page.read_text(encoding="utf-8"))


def _card(page: Path, job: str) -> str:
    text = page.read_text()
    start = text.index(f"id='job-{job}'")
    return text[start : text.index("</article>", start)]


# ---------------------------------------------------------------------- the changes, worked out
def test_the_changes_against_the_previous_period(five):
    *_, store = five
    changes = pack_changes(store, _run(4))
    assert changes.previous_period == "2026Q3" and changes.periods == tuple(PERIODS)
    assert [(c.job, c.text, c.previous_text) for c in changes.decisions] == [
        ("budget-review", "Adjust", "Hold"),
        ("risk-review", "Outside appetite", "Within appetite"),
    ]
    crossed = {(x.change.figure, x.within) for x in changes.crossings}
    assert crossed == {("within_appetite", False), ("n_fair_breaches", False)}
    moved = [c.figure for c in changes.moved]
    # spend +40 %, overrun +25 %, landing +12.5 %; the loss moved exactly 10 % (not more);
    # the landing's P10 and P90 are folded into its median
    assert moved == ["spend_per_employee", "probability_of_overrun", "landing_p50"]
    landing = changes.get("budget-review", "landing_p50")
    assert change_text(landing) == "\u25b2 +EUR 2.5M (+12.5 %)"
    overrun = changes.get("budget-review", "probability_of_overrun")
    assert change_text(overrun) == "\u25b2 +17.5 pp (+25 %)"
    loss = changes.get("risk-review", "register_expected_loss")
    assert change_text(loss) == "\u25bc -EUR 50k (-10 %)" and not loss.moved
    assert change_text(changes.get("staffing-growth", "fte_needed")) == "\u2192 no change"
    assert change_text(changes.get("staffing-growth", "hires")) == "new"
    summary = changes.summary().set_index("figure")
    assert summary.loc["landing_p50", "what"] == "moved"
    assert summary.loc["within_appetite", "what"] == "appetite"
    assert summary.loc["hires", "what"] == "new"


def test_a_long_list_says_how_many_more(five):
    *_, store = five
    page = what_changed_html(pack_changes(store, _run(4)), {}, per_group=1)
    moved = page[page.index("Figures that moved") :]
    assert moved.count("<li") == 2 and "And 2 more; the reports and their workbooks" in moved


def test_a_report_that_did_not_run_last_period_compares_with_its_own_last_period(tmp_path):
    """2026Q3 re-ran the risk review only (`--only`): the budget review's figures compare with
    2026Q2, its last period, and the page says so; they are not "new"."""
    store = tmp_path / "history.duckdb"
    record_run(_run(2), history=store)  # 2026Q2: every report
    partial = _run(3)
    partial["jobs"] = [j for j in partial["jobs"] if j["name"] == "risk-review"]
    record_run(partial, history=store)  # 2026Q3: the risk review only
    changes = pack_changes(store, _run(4))
    assert changes.previous_period == "2026Q3"
    landing = changes.get("budget-review", "landing_p50")
    assert landing.previous_period == "2026Q2" and not landing.new
    assert landing.change == LANDING[4] - LANDING[2]
    assert changes.get("risk-review", "register_expected_loss").previous_period == "2026Q3"
    assert changes.get("staffing-growth", "hires").new  # 2026Q2 ran it, without hires
    page = _plain(what_changed_html(changes, {"budget-review": "Budget review"}))
    assert "What changed since 2026Q3" in page
    assert "Budget review: Adjust, was Hold in 2026Q2" in page
    assert "Full-year landing, median: EUR 22.5M, was EUR 19M in 2026Q2 \u00b7 \u25b2" in page
    folder = tmp_path / "pack"
    folder.mkdir()
    manifest = _run(4, folder)
    index = write_index(folder / "index.html", manifest, changes=changes)
    budget = _visible_card(index, "budget-review")
    assert "\u25b2 +EUR 3.5M (+18.4 %) since 2026Q2" in budget  # the tile says it too
    assert "(-10 %) since" not in _visible_card(index, "risk-review")  # the page's period


def test_a_risk_back_within_the_appetite_is_a_crossing_too(tmp_path):
    store = tmp_path / "history.duckdb"
    record_run(_run(4), history=store)  # outside: No, 1 breach
    back = _run(3)
    back["period"] = "2027Q1"
    changes = pack_changes(store, back)
    assert {(x.change.figure, x.within) for x in changes.crossings} == {
        ("within_appetite", True),
        ("n_fair_breaches", True),
    }


def test_a_change_has_the_precision_of_its_figure():
    """A count recorded without a format changes by whole units, as the figure shows."""

    def fc(now, before, unit=None, fmt=None):
        return FigureChange("j", "f", "F", unit, fmt, "2026Q4", now, None, "2026Q3", before,
                            None, now - before, (now - before) / before, False, False, ())  # fmt: skip

    assert change_text(fc(33.0, 23.1, "projects")) == "\u25b2 +10 projects (+42.9 %)"
    assert change_text(fc(41.5, 40.0, "FTE", ",.1f")) == "\u25b2 +1.5 FTE (+3.8 %)"
    assert change_text(fc(0.9986, 0.9971, None, ".3%")) == "\u25b2 +0.15 pp (+0.2 %)"


def test_answers_come_after_the_figures_the_pages_show_and_dates_read_as_dates(five):
    *_, store = five
    run = _run(4)
    run["jobs"][0]["records"]["finish_p80"] = _rec("2027-07-08", "P80 finish date")
    before = _run(3)
    before["period"], before["start"] = "2026Q3", "again"
    before["jobs"][0]["records"]["finish_p80"] = _rec("2027-05-07", "P80 finish date")
    record_run(before, history=store)  # 2026Q3 re-run, now with the finish date
    changes = pack_changes(store, run)
    shown = frozenset({("budget-review", "landing_p50")})
    items = [(k, _plain(i)) for k, i in change_items(changes, {}, headline=shown)]
    kinds = [k for k, _ in items]
    assert kinds.index("answers") == kinds.index("moved") + 1  # after the landing (shown)
    assert items[kinds.index("moved")][1].startswith("budget-review · Full-year landing")
    assert "P80 finish date: 8 Jul 2027, was 7 May 2027" in items[kinds.index("answers")][1]


def test_the_trend_line_has_one_point_per_period():
    change = FigureChange(
        "j", "f", "Landing", "EUR", None, "2026Q4", 4.0, None, "2026Q3", 3.0, None, 1.0,
        1 / 3, False, True, (1.0, 2.0, None, 3.0, 4.0), tuple(PERIODS),
    )  # fmt: skip
    svg = sparkline_svg(change)
    assert svg.count("<circle") == 4  # the period without the figure has no point
    assert svg.count("<polyline") == 2  # and the line breaks there
    assert "2025Q4 EUR 1; 2026Q1 EUR 2; 2026Q3 EUR 3; 2026Q4 EUR 4" in svg  # values in words
    ys = [float(y) for y in re.findall(r"cy='([\d.]+)'", svg)]
    assert ys == sorted(ys, reverse=True)  # rising values climb the picture
    flat = FigureChange("j", "f", "F", None, None, "2026Q4", 4.0, None, None, None, None,
                        None, None, False, False, (4.0,), ("2026Q4",))  # fmt: skip
    assert sparkline_svg(flat) == ""  # one period: no line
    assert sparkline_svg(change, min_points=5) == ""  # four points: too few when five are asked


# ---------------------------------------------------------------------- the pages
def test_index_opens_with_what_changed_and_each_tile_shows_its_change(five):
    index, _, _ = five
    text = _visible(index)
    assert text.index("What changed since 2026Q3") < text.index("Budget review: landing")
    assert "Decisions that changed" in text
    assert "Budget review: landing and adjustment: Adjust, was Hold" in text
    assert "Risks that crossed the appetite" in text
    assert "Within risk appetite: No, was Yes (now outside the appetite)" in text
    assert "Cyber scenarios outside appetite: 1 scenarios, was 0 scenarios" in text
    assert "Figures that moved more than 10 %" in text
    assert "Full-year landing, median: EUR 22.5M, was EUR 20M · \u25b2 +EUR 2.5M (+12.5 %)" in text
    assert "expected annual loss: EUR 450k, was" not in text  # moved 10 %, not more
    budget = _visible_card(index, "budget-review")
    assert "EUR 22.5M" in budget and "\u25b2 +EUR 2.5M (+12.5 %)" in budget
    assert "\u25b2 +17.5 pp (+25 %)" in budget
    assert "Changed since 2026Q3: was Hold." in budget
    risk = _visible_card(index, "risk-review")
    assert "\u25bc -EUR 50k (-10 %)" in risk
    staffing = _card(index, "staffing-growth")
    assert "\u2192 no change" in staffing
    for job in ("budget-review", "risk-review", "staffing-growth"):
        for svg in re.findall(r"<svg class='spark'.*?</svg>", _card(index, job)):
            assert svg.count("<circle") == len(PERIODS)


def _visible_card(page: Path, job: str) -> str:
    return _plain(_card(page, job))


def test_board_summary_lists_the_top_five_changes(five):
    _, board, _ = five
    text = _visible(board)
    assert text.index("What changed since 2026Q3") < text.index("Decisions and asks")
    section = text[text.index("What changed") : text.index("Decisions and asks")]
    assert "the 5 most important of 7 changes" in section and "more than 10 %" in section
    assert section.count(", was ") == 5
    assert "Budget review: Adjust, was Hold" in section  # the short title on the board
    assert "Chance of overrun: 87.5 %, was 70.0 % · \u25b2 +17.5 pp (+25 %)" in section
    # a figure the pages show comes before a larger move of one they do not
    assert "IT spend per employee" not in section and "Full-year landing" not in section
    assert "IT spend per employee: EUR 11.2k, was EUR 8k" in _visible(board.parent / "index.html")
    page = board.read_text(encoding="utf-8")
    lines = re.findall(r"<svg class='spark'.*?</svg>", page)  # risk and staffing figures
    assert len(lines) == 2 and all(s.count("<circle") == len(PERIODS) for s in lines)
    line = page[page.index("id='line-budget-review'") :]
    stake = html.unescape(line[line.index("<td class='stake'>") : line.index("</tr>")])
    assert "title='EUR 1M in 2026Q3'>" in stake  # the money at stake, against last period
    assert _plain(stake).strip().endswith("\u25b2 +EUR 50k (+5 %)")


def test_two_periods_no_trend_beyond_them(two):
    index, board, _ = two
    svgs = re.findall(r"<svg class='spark'.*?</svg>", index.read_text())
    assert svgs and all(s.count("<circle") == 2 for s in svgs)
    assert "over 2026Q3 to 2026Q4 (2 periods)" in _visible(index)
    assert "What changed since 2026Q3" in _visible(board)
    assert "<svg" not in board.read_text()  # two points on a crowded page: the arrow says it


@pytest.mark.parametrize("history", ["none", "missing", "same period only"])
def test_a_pack_without_an_earlier_period_shows_no_changes(tmp_path, history):
    store = {"none": None, "missing": tmp_path / "nothing.duckdb"}.get(history)
    if history == "same period only":  # a re-run: its earlier run is no previous period
        store = tmp_path / "history.duckdb"
        record_run(_run(4), history=store)
    folder = tmp_path / "pack"
    folder.mkdir()
    index, board = _pages(folder, store)
    for page in (index, board):
        text = page.read_text()
        assert "What changed" not in text and "class='delta" not in text
        assert "<svg" not in text and "<h2></h2>" not in text


def test_a_history_that_cannot_be_read_is_said_in_a_line(tmp_path):
    store = tmp_path / "history.duckdb"
    store.write_text("not a database", encoding="utf-8")
    folder = tmp_path / "pack"
    folder.mkdir()
    index, board = _pages(folder, store)
    text = _visible(index)
    said = "Changes since the previous period are not shown: the run history history.duckdb"
    assert f"{said} cannot be read." in text
    assert str(tmp_path) not in index.read_text() and "What changed" not in text
    assert "What changed" not in _visible(board)


def test_nothing_changed_is_said_not_left_empty(tmp_path):
    store = tmp_path / "history.duckdb"
    record_run(_run(4), history=store)
    again = _run(4)
    again["period"] = "2027Q1"
    folder = tmp_path / "pack"
    folder.mkdir()
    index = write_index(folder / "index.html", again, history=store)
    assert (
        "No decision changed, no risk crossed the appetite and no figure moved more than 10 % "
        "since 2026Q4." in _visible(index)
    )


def test_board_summary_needs_the_pack_name_with_a_history(tmp_path):
    with pytest.raises(ValueError, match="`pack` is required with `history`"):
        write_board_summary(tmp_path, [], pack_title="P", period="2026Q4", history="h.duckdb")


def test_deck_decisions_slide_says_what_changed(tmp_path):
    from pptx import Presentation

    from cio_analytics.pipeline.deck import write_deck

    store = tmp_path / "history.duckdb"
    for i in range(len(PERIODS) - 1):
        record_run(_run(i), history=store)
    manifest = _run(4, tmp_path)
    deck = write_deck(
        tmp_path / "deck.pptx", manifest, tmp_path, changes=pack_changes(store, manifest)
    )
    slide = list(Presentation(deck).slides)[1]
    table = next(s for s in slide.shapes if s.has_table).table
    rows = [[c.text for c in r.cells] for r in table.rows][1:]
    assert rows[0][1:] == [
        "Adjust (was Hold in 2026Q3)",
        "EUR 1.1M (Cut to make), \u25b2 +EUR 50k (+5 %) since 2026Q3",
    ]
    assert rows[1][1] == "Outside appetite (was Within appetite in 2026Q3)"
    assert rows[2][1] == "Hire 12 agents"  # unchanged: as before


# ---------------------------------------------------------------------- as a person sees them
REASON = missing_browser()
if REASON and os.environ.get("CIO_ANALYTICS_REQUIRE_BROWSER"):
    raise RuntimeError(f"CIO_ANALYTICS_REQUIRE_BROWSER is set but {REASON}")
needs_browser = pytest.mark.skipif(REASON is not None, reason=str(REASON))


@pytest.mark.browser
@needs_browser
def test_pages_as_seen_in_a_browser(five):
    """The rendered text carries the deltas; every trend line has one point per period; the
    presentation rules find nothing; the board summary still prints on one A4 page."""
    import base64

    index, board, _ = five
    with browser() as driver:
        assert check_page(driver, index) == []
        driver.get(index.as_uri())
        changed = driver.find_element("css selector", "#what-changed").text
        assert "What changed since 2026Q3" in changed
        assert "Budget review: landing and adjustment: Adjust, was Hold" in changed
        assert "\u25b2 +EUR 2.5M (+12.5 %)" in changed
        tile = driver.find_element("css selector", "#job-budget-review .figs li").text
        assert "EUR 22.5M" in tile and "\u25b2 +EUR 2.5M (+12.5 %)" in tile
        points = driver.execute_script(
            "return [...document.querySelectorAll('svg.spark')].map("
            "s => [s.querySelectorAll('circle').length, s.getAttribute('aria-label'),"
            " s.getBoundingClientRect().width])"
        )
        assert points and all(n == len(PERIODS) for n, _, _ in points)
        assert all(label.startswith("Trend of ") and width > 40 for _, label, width in points)

        assert check_page(driver, board) == []
        driver.get(board.as_uri())
        assert (
            "the 5 most important of 7 changes"
            in driver.find_element("css selector", "#what-changed").text
        )
        pdf = base64.b64decode(
            driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"]
        )
        assert len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf)) == 1


# ---------------------------------------------------------------------- through `cio-analytics run`
@pytest.mark.slow
def test_a_pack_run_twice_shows_what_changed(tmp_path):
    """Two periods of a one-report pack, the second with a larger demand: the second index
    compares with the first through the history the first run wrote."""
    from cio_analytics.cli import main

    pack = ROOT / "tests" / "fixtures" / "packs" / "fixture.yaml"
    out = tmp_path / "reports"

    def run(period: str, scale: float, unit: str) -> int:
        argv = ["run", str(pack), "--only", "figures-retail", "--out", str(out), "--period",
                period, "-j", "1", "-p", f"figures-retail.scale={scale}",
                "-p", f"figures-retail.unit={unit}"]  # fmt: skip
        with contextlib.redirect_stdout(io.StringIO()):
            return main(argv)

    assert run("2026Q3", 1.0, "Retail") == 0
    first = (out / "2026Q3" / "index.html").read_text(encoding="utf-8")
    assert "What changed" not in first  # the first period has nothing to compare with
    assert run("2026Q4", 1.5, "Wholesale") == 0
    text = _visible(out / "2026Q4" / "index.html")
    assert "What changed since 2026Q3" in text
    assert "Figures that moved more than 10 %" in text
    assert re.search(r"Demand: [\d,]+ h, was [\d,]+ h · \u25b2 \+[\d,]+ h \(\+50 %\)", text)
    assert "Business unit: Wholesale, was Retail" in text
