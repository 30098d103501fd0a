"""Every table a report shows is in its workbook, with number formats a reader can trust
(issue 13 "Workbooks").

For each report of the quarterly pack (built once per session): each table of the HTML page
is found among the workbook's sheets, by its column headers (the page's headers are among the
sheet's, ignoring case) or, for a two-column table of figures, by its row labels (most of
them in the sheet's first column); the appendix tables (scenario parameters, input files) are
the "About" sheet's Parameters and Input files sections. Every sheet's numbers carry the
format of their unit: a percent column (or a row whose unit is %) a percent format, a money
column ("(EUR)") or a row in EUR a currency format, and no rate shown with ``#,##0.00``.
No browser: the HTML is parsed with the standard library.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cio_analytics.pipeline.pack import load_pack

ROOT = Path(__file__).resolve().parents[1]
JOBS = [job.name for job in load_pack("quarterly", root=ROOT).jobs]

CURRENCIES = ("EUR", "USD", "GBP", "CHF", "JPY", "SEK", "NOK", "DKK", "PLN", "CAD", "AUD")
_MONEY = re.compile(r"\((?:" + "|".join(CURRENCIES) + r")\)")
#: A percent column: "(% of budget)", "share", "probability"...; not "(95 %)", a confidence level.
_PERCENT = re.compile(
    r"(?<!\d )(?<!\d)%|\b(?:share|probability|chance|attainment|availability|utilisation|"
    r"utilization)\b",
    re.IGNORECASE,
)
_RATE = re.compile(
    r"\b(?:irr|mirr|rate|share|probability|discount rate|tax rate)\b|_rate\b", re.IGNORECASE
)
_PLAIN_DECIMALS = {"#,##0.00", "#,##0.00##", "0.00", "0.000", "#,##0.000", "#,##0.0000"}
#: Appendix tables and the "About" section that holds them.
_APPENDIX = {
    ("parameter", "value", "meaning"): "Parameters",
    ("parameter", "value"): "Parameters",
    ("data file", "size", "sha-256"): "Input files (SHA-256)",
}


class _Tables(HTMLParser):
    """Each <table>: its caption, header row and body rows as text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._open: list[dict] = []
        self._row: list[tuple[str, str]] | None = None
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._open.append({"caption": "", "head": [], "rows": [], "thead": False})
        elif not self._open:
            return
        elif tag == "thead":
            self._open[-1]["thead"] = True
        elif tag == "tr":
            self._row = []
        elif tag in {"td", "th"}:
            self._cell = []
        elif tag == "caption":
            self._caption = []

    def handle_endtag(self, tag):
        if not self._open:
            return
        t = self._open[-1]
        if tag in {"td", "th"} and self._cell is not None and self._row is not None:
            self._row.append((tag, " ".join("".join(self._cell).split())))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            first = not t["head"] and not t["rows"] and all(k == "th" for k, _ in self._row)
            (t["head"] if t["thead"] or first else t["rows"]).append(self._row)
            self._row = None
        elif tag == "thead":
            t["thead"] = False
        elif tag == "caption" and self._caption is not None:
            t["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag == "table":
            self.tables.append(self._open.pop())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def html_tables(path: Path) -> list[dict]:
    """The tables of a report page: ``caption``, ``header`` (list) and ``labels`` (first column)."""
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    out = []
    for t in parser.tables:
        header = [text for _, text in t["head"][-1]] if t["head"] else []
        labels = [row[0][1] for row in t["rows"] if row]
        out.append({"caption": t["caption"], "header": header, "labels": labels})
    return out


def _norm(text) -> str:
    return " ".join(str(text).replace("_", " ").split()).lower() if text is not None else ""


def _sheets(path: Path) -> dict[str, list[tuple]]:
    import openpyxl

    book = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows()) for ws in book.worksheets}


def missing_tables(page: Path, workbook: Path) -> list[str]:
    """The page's tables that no sheet of the workbook holds (caption or header, and why)."""
    sheets = _sheets(workbook)
    headers = {name: {_norm(c.value) for c in rows[0]} for name, rows in sheets.items() if rows}
    first_col = {name: {_norm(r[0].value) for r in rows} for name, rows in sheets.items() if rows}
    about = first_col.get("About", set())
    missing = []
    for t in html_tables(page):
        head = tuple(_norm(h) for h in t["header"] if _norm(h))
        if head in _APPENDIX:
            if _norm(_APPENDIX[head]) not in about:
                missing.append(f"{t['caption'] or head}: no '{_APPENDIX[head]}' in the About sheet")
            continue
        if not head and len(t["labels"]) and not t["caption"]:
            continue  # the provenance key-value list (run, pack, versions): the About sheet
        by_header = head and any(set(head) <= cols for cols in headers.values())
        labels = {_norm(x) for x in t["labels"] if _norm(x)}
        by_labels = labels and any(
            len(labels & col) >= 0.8 * len(labels) for col in first_col.values()
        )
        if not (by_header or by_labels):
            missing.append(f"{t['caption'] or 'table'} (columns {list(t['header'])})")
    return missing


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _has_currency(fmt: str) -> bool:
    return any(c in fmt for c in CURRENCIES) or any(s in fmt for s in "€$£")


def format_problems(workbook: Path) -> list[str]:
    """Numbers whose format does not match their unit, as ``sheet!cell: what``."""
    problems = []
    for name, rows in _sheets(workbook).items():
        if name == "About" or not rows:
            continue
        head = [_norm(c.value) for c in rows[0]]
        raw_head = [str(c.value or "") for c in rows[0]]
        unit_col = head.index("unit") if "unit" in head else None
        kind_col = head.index("kind") if "kind" in head else None
        for row in rows[1:]:
            label = str(row[0].value or "")
            unit = str(row[unit_col].value or "") if unit_col is not None else ""
            kind = str(row[kind_col].value or "") if kind_col is not None else ""
            for j, cell in enumerate(row[1:], start=1):
                if not _is_number(cell.value) or j >= len(raw_head):
                    continue
                col, fmt, where = raw_head[j], cell.number_format, f"{name}!{cell.coordinate}"
                long_row = unit_col is not None and head[j] in {"value", "low", "high"}
                percent = _PERCENT.search(col) or (long_row and (unit == "%" or kind == "percent"))
                money = _MONEY.search(col) or (long_row and unit in CURRENCIES)
                if percent and "%" not in fmt:
                    problems.append(f"{where} ({label} / {col}): a percent shown as {fmt!r}")
                elif money and not percent and not _has_currency(fmt):
                    problems.append(f"{where} ({label} / {col}): money shown as {fmt!r}")
                elif fmt in _PLAIN_DECIMALS and (_RATE.search(label) or _RATE.search(col)):
                    problems.append(f"{where} ({label} / {col}): a rate shown as {fmt!r}")
    return problems


# ------------------------------------------------------------------- the checks themselves
def _book(tmp_path: Path, rows: list[list], formats: dict[str, str]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "table"
    for row in rows:
        ws.append(row)
    for ref, fmt in formats.items():
        ws[ref].number_format = fmt
    about = book.create_sheet("About")
    about.append(["Parameters", None])
    path = tmp_path / "book.xlsx"
    book.save(path)
    return path


def test_format_checks_find_each_problem(tmp_path):
    rows = [["Metric", "Cost (EUR)", "Share used", "Value", "Unit"],
            ["irr", 1000.0, 0.25, -0.47, "%"], ["tco", 2000.0, 0.5, 3e5, "EUR"],
            ["discount_rate", 10.0, 0.1, 0.08, "per year"]]  # fmt: skip
    bad = _book(tmp_path, rows, {"B2": "#,##0", "C2": "0.00", "D2": "#,##0.00", "D3": "#,##0",
                                 "B3": '#,##0" EUR"', "C3": "0.0%", "B4": '#,##0" EUR"',
                                 "C4": "0.0%", "D4": "#,##0.00"})  # fmt: skip
    found = format_problems(bad)
    assert any("table!B2" in p and "money" in p for p in found)
    assert any("table!C2" in p and "percent" in p for p in found)
    assert any("table!D2" in p and "percent" in p for p in found)
    assert any("table!D3" in p and "money" in p for p in found)
    assert any("table!D4" in p and "rate shown as '#,##0.00'" in p for p in found)
    assert len(found) == 5, found
    good = _book(tmp_path, rows, {"B2": '#,##0" EUR"', "B3": '#,##0" EUR"', "C2": "0.0%",
                                  "C3": "0.0%", "D2": "0.0%", "D3": '#,##0" EUR"',
                                  "B4": '#,##0" EUR"', "C4": "0.0%", "D4": "0.00%"})  # fmt: skip
    assert format_problems(good) == []


def test_table_mapping_finds_a_table_missing_from_the_workbook(tmp_path):
    rows = [["Option", "Cost (EUR)"], ["A", 1.0]]
    book = _book(tmp_path, rows, {"B2": '#,##0" EUR"'})
    page = tmp_path / "page.html"
    page.write_text(
        "<table><caption>Options</caption><thead><tr><th>option</th><th>Cost (EUR)</th></tr>"
        "</thead><tbody><tr><td>A</td><td>1</td></tr></tbody></table>"
        "<table><thead><tr><th>Metric</th><th>Value</th></tr></thead>"
        "<tbody><tr><td>A</td><td>1</td></tr></tbody></table>"
        "<table><caption>Projects to fund</caption><thead><tr><th>Project</th><th>NPV</th>"
        "</tr></thead><tbody><tr><td>X</td><td>2</td></tr></tbody></table>"
        "<table><thead><tr><th>Parameter</th><th>Value</th><th>Meaning</th></tr></thead>"
        "<tbody><tr><td>seed</td><td>1</td><td>-</td></tr></tbody></table>",
        encoding="utf-8",
    )
    assert missing_tables(page, book) == ["Projects to fund (columns ['Project', 'NPV'])"]


# ------------------------------------------------------------------------ on the sample pack
@pytest.fixture(scope="module")
def pack(quarterly_pack):
    code, stdout, folder = quarterly_pack
    assert code == 0, stdout
    return folder


@pytest.mark.parametrize("job", JOBS)
def test_every_table_of_the_report_is_in_its_workbook(pack, job):
    missing = missing_tables(pack / f"{job}.html", pack / f"{job}.xlsx")
    assert missing == [], f"{job}: tables not in {job}.xlsx: {missing}"


@pytest.mark.parametrize("job", JOBS)
def test_workbook_numbers_have_the_format_of_their_unit(pack, job):
    problems = format_problems(pack / f"{job}.xlsx")
    assert problems == [], f"{job}.xlsx:\n" + "\n".join(problems)
