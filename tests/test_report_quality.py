"""What a board member sees (issue 13 "Tests"): every page of the quarterly pack meets the
presentation rules of ``tests/_visible_text.py``.

The checker is first shown to find each kind of defect on a crafted page (and nothing on a
clean one, nor in code, nor in hidden text), then run on the index, the board summary (when
the pack has one) and every report of the pack built once per session. One headless Chromium
serves every page. There is no allow-list: a finding is a defect of the page, to be fixed there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _visible_text import browser, check_page, check_snapshot, missing_browser

from cio_analytics.pipeline.pack import load_pack

ROOT = Path(__file__).resolve().parents[1]
JOBS = [job.name for job in load_pack("quarterly", root=ROOT).jobs]
PAGES = ["index.html", "board-summary.html", *(f"{job}.html" for job in JOBS)]

REASON = missing_browser()
if REASON and os.environ.get("CIO_ANALYTICS_REQUIRE_BROWSER"):
    raise RuntimeError(f"CIO_ANALYTICS_REQUIRE_BROWSER is set but {REASON}")
needs_browser = pytest.mark.skipif(REASON is not None, reason=str(REASON))


@pytest.fixture(scope="module")
def driver():
    with browser() as d:
        yield d


# ------------------------------------------------------------------- the rules, without a page
def _page(*items, summary=True):
    return {"has_summary": summary, "items": [dict(i, section=i.get("section", 0)) for i in items]}


H1 = {"kind": "heading", "tag": "h1", "level": 1, "text": "Budget review 2026", "section": -1,
      "summary": True}  # fmt: skip


def _text(text, **kw):
    return {"kind": "text", "tag": "p", "text": text, "summary": True} | kw


def _cell(text, header, row="", **kw):
    return {"kind": "cell", "tag": "td", "text": text, "header": header, "row": row,
            "summary": False} | kw  # fmt: skip


@pytest.mark.parametrize(
    ("item", "rule", "found"),
    [
        (_text("use at most 5.99333 contractor FTE"), "decimals", "5.99333"),
        (_text("use at most 9.54 contractor FTE"), "decimals", "9.54"),
        (_text("spend 17,259,363.2709 this year"), "decimals", "17,259,363.2709"),
        (_text("Unused now 150,000.0"), "decimals", "150,000.0"),
        (_text("NPV EUR 1.24M"), "decimals", "1.24"),
        (_text("the winner leads by 12.345 %"), "decimals", "12.345"),
        (_cell("0.0276", "This year", "Share of revenue"), "share-as-decimal", "0.0276"),
        (_cell("-0.47", "Lease", "IRR"), "share-as-decimal", "-0.47"),
        (_cell("254,465.89", "Buy (EUR)"), "decimals", "254,465.89"),
        (_cell("2.5", "Projects (count)"), "decimals", "2.5"),
        (_text("actuals since 2,021"), "year-format", "2,021"),
        (_cell("2,026", "Budget year", "Service desk"), "year-format", "2,026"),
        (_cell("-0.9 %", "Gap (points)"), "unit-mismatch", "-0.9 %"),
        (_text("the isp_link fails most"), "code-name", "isp_link"),
        (_text("see p1_resolved_in_time"), "code-name", "p1_resolved_in_time"),
        (_cell("True", "Worth funding"), "raw-value", "True"),
        (_cell("NaN", "Cost (EUR)"), "raw-value", "NaN"),
        (_cell("None", "Value"), "raw-value", "None"),
        (_text("downtime nan hours"), "raw-value", "nan"),
        (_text("Fund 'Warm standby' now"), "repr", "'Warm standby'"),
        (_cell("DAT04;DAT06", "Systems"), "repr", "DAT04;DAT06"),
        (_cell("offer / Year", "", head=True), "repr", "offer / Year"),
        (_text("values array([1, 2])"), "repr", "array("),
    ],
)
def test_each_rule_finds_its_defect(item, rule, found):
    findings = check_snapshot(_page(H1, item), kind="index")
    assert [(f.rule, f.text) for f in findings] == [(rule, found)], findings


@pytest.mark.parametrize(
    "item",
    [
        _text("NPV EUR 1.2M, P10 to P90: EUR 0.4M to EUR 2.1M; 67.3 % chance it pays back"),
        _text("Fund the platform in 2026: 12.5 FTE, 3.5 years, 14 agents, run 07 Dec 2026, 06:12"),
        _text("Data: data/sample/risk_register.csv, period 2026Q4, case DAT04"),
        _cell("1,234,567", "Cost (EUR)"),
        _cell("99.86 %", "Availability after"),
        _text("availability 99.857 % against the 99.900 % target"),  # nines keep 3 decimals
        _cell("2,000", "Value", "Number of trials"),  # a count, not the year 2000
        _text("Every scenario ran with the same 2,000 Monte Carlo trials"),  # a count too
        _cell("2,060", "Calls per week", "Service desk"),  # calls (2025Q1's staffing report)
        _cell("-0.9", "Actual minus plan (points)", "Capex or opex"),  # points, not money
        _cell("0.926", "Year 1", "Discount factor"),  # a present-value table's factor
        _cell("40.0", "Price (points)", "Vendor B"),
        _text("Cut to make EUR 229.7kCut to make"),  # a label right after compact money
        _cell("0.93", "Rank correlation with NPV"),
        _cell("-0.54", "Trend, low (95 %)"),
        _cell("2.9", "Failures a year"),
        _text("The team's target and the vendors' offers"),
    ],
)
def test_what_follows_the_rules_is_not_a_finding(item):
    assert check_snapshot(_page(H1, item), kind="index") == []


def test_structure_rules():
    second = H1 | {"text": "Budget review (again)", "summary": False}
    empty = {"kind": "heading", "tag": "h2", "level": 2, "text": "", "summary": False}
    bare = {"kind": "heading", "tag": "h2", "level": 2, "text": "Decision", "summary": False}
    sub = {"kind": "heading", "tag": "h2", "level": 2, "text": "Method", "summary": False}
    broken = {"kind": "image", "tag": "img", "text": "", "loaded": False, "alt": "", "src": "x"}
    page = _page(_text("Intro before the summary", summary=False), H1, empty, bare, sub,
                 _text("How it was computed"), second, broken)  # fmt: skip
    rules = sorted(f.rule for f in check_snapshot(page, kind="report"))
    assert rules == ["empty-heading", "empty-heading", "image", "image", "summary-first", "title"]
    fine = _text("Cut EUR 1.2M")
    assert check_snapshot(_page(H1, fine), kind="report") == []
    missing = check_snapshot(_page(H1, fine, summary=False), kind="report")
    assert [f.where for f in missing] == ["the report has no executive summary"]
    assert check_snapshot(_page(H1, fine, summary=False), kind="index") == []


# ------------------------------------------------------------ the rules on a rendered page
CRAFTED = """<!doctype html><html><head><title>t</title></head><body>
<section id="executive-summary"><h1>Budget review 2026<a class="anchor-link">¶</a></h1>
<p>Cut EUR 1.2M from run costs; 5.99333 contractor FTE.</p></section>
<h2></h2>
<h2>Detail</h2>
<table><thead><tr><th>Component</th><th>Worth funding</th><th>Cost (EUR)</th></tr></thead>
<tbody><tr><td>isp_link</td><td>True</td><td>17,259,363.2709</td></tr></tbody></table>
<p>Use <code>patience_s</code> and <code>nan</code> in code, which is fine.</p>
<p style="display:none">hidden nan and core_switch</p>
<img alt="chart" src="data:image/png;base64,AAAA">
</body></html>"""


@pytest.mark.browser
@needs_browser
def test_the_checker_reads_what_the_browser_shows(driver, tmp_path):
    page = tmp_path / "crafted.html"
    page.write_text(CRAFTED, encoding="utf-8")
    found = {(f.rule, f.text) for f in check_page(driver, page)}
    assert found == {
        ("decimals", "5.99333"),
        ("empty-heading", ""),
        ("code-name", "isp_link"),
        ("raw-value", "True"),
        ("decimals", "17,259,363.2709"),
        ("image", "data:image/png;base64,AAAA"),
    }


# ------------------------------------------------------------------- every page of the pack
@pytest.fixture(scope="module")
def pack(quarterly_pack):
    code, stdout, folder = quarterly_pack
    assert code == 0, stdout
    return folder


@pytest.mark.browser
@needs_browser
@pytest.mark.parametrize("page", PAGES)
def test_page_meets_the_presentation_rules(pack, driver, page):
    path = pack / page
    if page == "board-summary.html" and not path.exists():
        pytest.skip("this pack has no board summary yet")
    findings = check_page(driver, path)
    assert findings == [], f"{page}: {len(findings)} findings\n" + "\n".join(map(str, findings))
