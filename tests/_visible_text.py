"""What a board member sees on a report page, checked against the presentation rules (issue 13).

A page is opened in headless Chromium (Debian's ``chromium`` and ``chromium-driver`` with
selenium, as in ``tests/test_browser.py``); one script reads what is rendered: the text of every
visible block outside code (table cells with their column header, headings with their level),
the images, and whether the executive summary comes first. :func:`check_snapshot` then applies
the rules and returns :class:`Finding` s (text, rule, where):

- ``decimals``: a number with more decimals than its unit allows (money 0 in full, 1 compact
  as in "EUR 1.2M"; percent 2 (3 for "nines" from 99 %: 99.857 % availability); FTE, hours,
  days, years 1; counts 0; a number with no unit 2,
  and none on a number of thousands);
- ``share-as-decimal``: a share or rate shown as a decimal (0.0276) in a percent column;
- ``year-format``: a year with a thousands separator ("2,026");
- ``unit-mismatch``: a "points" column showing percent signs;
- ``code-name``: a snake_case identifier outside code;
- ``raw-value``: a cell or tile that is True, False, NaN, None, NaT or "nan" anywhere;
- ``repr``: a quoted name ('Warm standby'), a list joined with ";" ("DAT04;DAT06"), a pandas
  header artefact ("offer / Year", "Unnamed: 0"), a Python repr (``array(``, ``Timestamp(``);
- ``empty-heading``: a heading with no text, or with nothing under it before the next heading
  of its level;
- ``title``: no h1, or more than one;
- ``summary-first``: a report whose first content is not its executive summary;
- ``image``: an image that did not load or has no alt text.

Command line (the lead runs it on a merged pack; one browser for all pages)::

    python -m tests._visible_text reports/2026Q4/*.html
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The executive summary block (``reporting.summary``; the older class names too).
SUMMARY = "#executive-summary, .cioa-summary, .cio-exec-summary, #cio-exec-summary"

#: Read the rendered page in one round trip: blocks of visible text in document order.
SNAPSHOT_JS = r"""
const SUMMARY = arguments[0];
const CODE = 'code,pre,kbd,samp,script,style,noscript,template,.anchor-link,'
  + '.jp-InputPrompt,.jp-OutputPrompt,.jp-InputArea,.jp-CodeMirrorEditor';
const BLOCK = 'td,th,h1,h2,h3,h4,h5,h6,li,p,caption,figcaption,dt,dd,summary,blockquote,'
  + 'div,section,article,header,footer,nav,main,body';
const shown = el => el.checkVisibility
  ? el.checkVisibility({checkVisibilityCSS: true, checkOpacity: true})
  : el.getClientRects().length > 0;
const summary = document.querySelector(SUMMARY);
const clean = s => (s || '').replace(/\s+/g, ' ').trim();
const cellContext = cell => {
  const table = cell.closest('table');
  const row = cell.parentElement;
  let header = '';
  const headRow = table.tHead && table.tHead.rows.length
    ? table.tHead.rows[table.tHead.rows.length - 1] : table.rows[0];
  if (headRow && headRow !== row && headRow.cells[cell.cellIndex]) {
    header = clean(headRow.cells[cell.cellIndex].textContent);
  }
  const first = row.cells[0] && row.cells[0] !== cell ? clean(row.cells[0].textContent) : '';
  const caption = table.caption ? clean(table.caption.textContent) : '';
  return {header, row: first, caption, head: !!cell.closest('thead') || headRow === row};
};
const items = [];
const byBlock = new Map();
let section = -1;
const walker = document.createTreeWalker(
  document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
let node;
while ((node = walker.nextNode())) {
  if (node.nodeType === 1) {
    if (node.closest(CODE) || !shown(node)) continue;
    if (/^H[1-6]$/.test(node.tagName)) {
      const item = {kind: 'heading', tag: node.tagName.toLowerCase(),
        level: +node.tagName[1], text: '', section,
        summary: !!(summary && summary.contains(node))};
      byBlock.set(node, item);
      section = items.length;
      items.push(item);
    } else if (node.tagName === 'IMG') {
      items.push({kind: 'image', tag: 'img', text: node.alt || '', section,
        loaded: node.complete && node.naturalWidth > 0, alt: node.alt || '',
        src: (node.getAttribute('src') || '').slice(0, 60),
        summary: !!(summary && summary.contains(node))});
    }
    continue;
  }
  const el = node.parentElement;
  if (!el || !node.textContent.trim() || el.closest(CODE) || !shown(el)) continue;
  const block = el.closest(BLOCK);
  let item = byBlock.get(block);
  if (!item) {
    const tag = block.tagName.toLowerCase();
    item = {kind: 'text', tag, text: '', section,
      summary: !!(summary && summary.contains(block))};
    if (tag === 'td' || tag === 'th') Object.assign(item, {kind: 'cell'}, cellContext(block));
    byBlock.set(block, item);
    items.push(item);
  }
  item.text += node.textContent;
}
for (const item of items) item.text = clean(item.text);
return {items, has_summary: !!summary, title: document.title};
"""

WAIT_FOR_IMAGES_JS = (
    "const done = arguments[arguments.length - 1];"
    "Promise.all([...document.images].map(i => i.complete ? 0 : i.decode().catch(() => 0)))"
    ".then(() => done(true));"
)


@dataclass(frozen=True)
class Finding:
    """One thing on a page that breaks the presentation rules."""

    text: str
    rule: str
    where: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.text!r} ({self.where})"


# ------------------------------------------------------------------------------ the rules
_CURRENCY = r"(?:EUR|USD|GBP|CHF|JPY|SEK|NOK|DKK|PLN|CAD|AUD|€|\$|£)"
_NUMBER = re.compile(r"(?<![\w.,/:])[-+\u2212]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w.]*\d)")
_COMPACT = re.compile(r"^\s?(?:k|M|bn|tn)(?![a-z])")  # "EUR 2.4M" even when a label follows
_PERCENT = re.compile(r"^\s?(?:%|pp\b|points?\b|pts\b|percentage points\b)")
_ONE_DECIMAL = re.compile(
    r"^\s?(?:[a-z]+\s)?(?:FTE|h|hrs?|hours?|years?|yrs?|months?|days?|d|weeks?|min|minutes?|s|"
    r"seconds?|x|×)\b",
    re.IGNORECASE,
)
_COUNT_NOUNS = (
    r"(?:projects?|risks?|tickets?|agents?|people|persons?|staff|incidents?|offers?|"
    r"trials?|scenarios?|contacts?|calls?|options?|items?|teams?|of \d)\b"
)
_COUNT = re.compile(r"^\s?" + _COUNT_NOUNS, re.IGNORECASE)
#: A count written like a year ("2,000 Monte Carlo trials", "2,050 open tickets"): a count's
#: noun after at most two words; only to tell such a count from a year with a separator.
_COUNT_NEAR = re.compile(r"^\s?(?:[A-Za-z-]+\s){0,2}?" + _COUNT_NOUNS, re.IGNORECASE)
_SNAKE = re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/-]|\.[a-z]{2,5}\b)")
_QUOTED = re.compile(r"(?<![\w'’])'[A-Za-z][^'\n]{0,60}'(?![\w])")
_JOINED = re.compile(r"\b[A-Za-z]*\d+[A-Za-z\d]*;[A-Za-z\d]+\b")
_HEADER_ARTEFACT = re.compile(r"^[a-z_][a-z0-9_]* / \S|^Unnamed: \d+|^level_\d+$")
_PY_REPR = re.compile(
    r"\barray\(|\bdtype[=:]|Timestamp\(|\bnp\.\w+\(|object at 0x|<NA>|\[\s*'|\{\s*'|Decimal\("
)
_RAW_CELLS = {"true", "false", "nan", "none", "nat", "<na>", "null", "inf", "-inf"}
_RAW_WORD = re.compile(r"\b(?:nan|NaN|NaT)\b")

#: Points (of a score, of a share) and standard errors: one decimal, whatever the row measures.
_POINTS_HEADER = re.compile(r"\bpoints?\b|\bstandard errors?\b", re.IGNORECASE)
#: A discount or growth factor: three decimals, as present-value tables print them (0.926).
_FACTOR_HEADER = re.compile(r"\bdiscount factors?\b", re.IGNORECASE)
_RATIO_HEADER = re.compile(
    r"\b(?:correlation|index|indices|score|ratio|factor|cpi|spi|weight|z)\b", re.IGNORECASE
)
_MONEY_HEADER = re.compile(
    rf"{_CURRENCY}|\b(?:cost|costs|npv|budget|spend|price|tco|capex|opex|savings?|loss|"
    r"losses|overrun|revenue|cash)\b",
    re.IGNORECASE,
)
#: A percent column: "(%)", "in %", "share", "probability"; not "(95 %)", a confidence level.
_PERCENT_HEADER = re.compile(
    r"(?<!\d )(?<!\d)%|\b(?:share|probability|availability|attainment|likelihood|chance|irr)\b",
    re.IGNORECASE,
)
#: A unit named by the header (plural or in brackets: "Year 0" is a period, not a unit).
_ONE_DECIMAL_HEADER = re.compile(
    r"\b(?:fte|hours|days|weeks|months|years)\b|\(h\b|\bh\)|\bh a\b", re.IGNORECASE
)
_COUNT_HEADER = re.compile(r"\b(?:count|number of|n)\b|^#", re.IGNORECASE)
_COUNT_NOUN_HEADER = re.compile(r"\b" + _COUNT_NOUNS, re.IGNORECASE)


def _decimals(token: str) -> int:
    return len(token.split(".", 1)[1]) if "." in token else 0


def _value(token: str) -> float:
    return float(token.replace(",", "").replace("\u2212", "-"))


#: What a column header (or a row label) says the unit is: (decimals allowed, the unit in words).
_LABEL_UNITS = {
    "points": (2, "points or standard errors"),
    "factor": (3, "a discount factor"),
    "ratio": (2, "a ratio or score"),
    "percent": (2, "percent"),
    "money": (0, "money in full"),
    "one": (1, "FTE, hours, days or years"),
    "count": (0, "count"),
}


def _unit_label(header: str, row: str) -> tuple[str, str] | None:
    """The unit a cell's column header names, else the one its row label names (a table of
    measures by period), as ``(kind, label)``; None when neither names one."""
    for label in (header, row):
        if not label:
            continue
        words = label.replace("_", " ")
        for kind, pattern in (
            ("points", _POINTS_HEADER),
            ("factor", _FACTOR_HEADER),
            ("ratio", _RATIO_HEADER),
            ("percent", _PERCENT_HEADER),
            ("money", _MONEY_HEADER),
            ("one", _ONE_DECIMAL_HEADER),
            ("count", _COUNT_HEADER),
        ):
            if pattern.search(words):
                return kind, label
    return None


def _number_findings(text: str, where: str, header: str = "", row: str = "") -> Iterator[Finding]:
    for m in _NUMBER.finditer(text):
        token = m.group(0)
        before = text[max(0, m.start() - 6) : m.start()]
        after = text[m.end() : m.end() + 24]
        if after[:1] in {":", "-", "/"} or (before[-1:] in {"-", "/"} and before[-2:-1].isdigit()):
            continue  # a time, a date or a range written without spaces
        d = _decimals(token)
        if re.match(r"^[12],\d{3}$", token) and 1900 <= _value(token) <= 2100:
            counted = any(
                _COUNT_HEADER.search(label) or _COUNT_NOUN_HEADER.search(label)
                for label in (header, row)
                if label
            )  # "Calls per week": 2,060 calls, not a year
            if (
                not re.search(rf"{_CURRENCY}\s?$", before)
                and not _COUNT_NEAR.match(after)
                and not counted
            ):
                yield Finding(token, "year-format", where)
                continue
        money = bool(re.search(rf"{_CURRENCY}\s?-?$", before))
        if money and _COMPACT.match(after):
            allowed, unit = 1, "compact money"
        elif money:
            allowed, unit = 0, "money in full"
        elif _PERCENT.match(after):
            # "nines" (99.857 % availability against a 99.90 % target) need their third decimal
            nines = 99.0 <= abs(_value(token)) < 100.0
            allowed, unit = (3, "percent near 100 (nines)") if nines else (2, "percent")
            if header and re.search(r"\bpoints?\b|\bpp\b", header) and "%" in after[:3]:
                yield Finding(text, "unit-mismatch", f"{where}: a points column shows %")
        elif _COUNT.match(after):
            allowed, unit = 0, "count"
        elif _ONE_DECIMAL.match(after):
            allowed, unit = 1, "FTE, hours, days or years"
        elif (label := _unit_label(header, row)) is not None:
            kind, label_text = label
            if kind == "percent" and d and abs(_value(token)) <= 1.5 and "%" not in text:
                yield Finding(token, "share-as-decimal", f"{where} ('{label_text}')")
                continue
            allowed, unit = _LABEL_UNITS[kind]
        elif "," in token:
            allowed, unit = 0, "a number of thousands"
        else:
            allowed, unit = 2, "a number without a unit"
        if d > allowed:
            yield Finding(
                token, "decimals", f"{where}: {d} decimals, {unit} takes at most {allowed}"
            )


def _text_findings(item: dict[str, Any], where: str) -> Iterator[Finding]:
    text = item["text"]
    body_cell = item["kind"] == "cell" and not item.get("head")
    header = item.get("header", "") if body_cell else ""
    row = item.get("row", "") if body_cell else ""
    if item["kind"] in {"cell", "text"} and text.strip().lower() in _RAW_CELLS:
        yield Finding(text, "raw-value", where)
        return
    yield from _number_findings(text, where, header, row)
    for m in _SNAKE.finditer(text):
        yield Finding(m.group(0), "code-name", where)
    if _RAW_WORD.search(text):
        yield Finding(_RAW_WORD.search(text).group(0), "raw-value", where)
    for pattern in (_QUOTED, _JOINED, _PY_REPR):
        for m in pattern.finditer(text):
            yield Finding(m.group(0), "repr", where)
    if item["kind"] == "cell" and item.get("head") and _HEADER_ARTEFACT.search(text):
        yield Finding(text, "repr", f"{where}: a table-header artefact")


def _where(item: dict[str, Any], items: list[dict[str, Any]]) -> str:
    section = items[item["section"]]["text"] if item.get("section", -1) >= 0 else "top"
    out = f"under '{section}'" if section else "under an empty heading"
    if item["kind"] == "cell":
        parts = [item.get("caption") and f"table '{item['caption']}'"]
        if item.get("head"):
            parts.append("header")
        else:
            parts += [item.get("header") and f"column '{item['header']}'",
                      item.get("row") and f"row '{item['row']}'"]  # fmt: skip
        out += ", " + ", ".join(p for p in parts if p) if any(parts) else ""
    elif item["kind"] == "heading":
        out = f"{item['tag']} {out}"
    return out


def check_snapshot(snapshot: dict[str, Any], *, kind: str = "report") -> list[Finding]:
    """Apply the rules to what :data:`SNAPSHOT_JS` read from a page.

    Parameters
    ----------
    snapshot : dict
        ``items`` (blocks of visible text, headings and images in document order) and
        ``has_summary``.
    kind : {"report", "index", "board"}
        Only a report must open with its executive summary.

    Examples
    --------
    >>> page = {"has_summary": False, "items": [
    ...     {"kind": "heading", "tag": "h1", "level": 1, "text": "Budget", "section": -1},
    ...     {"kind": "text", "tag": "p", "text": "Use 5.99333 FTE of isp_link", "section": 0}]}
    >>> [f.rule for f in check_snapshot(page, kind="index")]
    ['decimals', 'code-name']
    """
    items = snapshot["items"]
    findings: list[Finding] = []
    h1 = [i for i in items if i["kind"] == "heading" and i["level"] == 1]
    if not h1:
        findings.append(Finding("", "title", "the page has no h1 title"))
    elif len(h1) > 1:
        for i in h1[1:]:
            findings.append(Finding(i["text"], "title", f"a second h1 after '{h1[0]['text']}'"))
    for n, item in enumerate(items):
        where = _where(item, items)
        if item["kind"] == "image":
            if not item.get("loaded"):
                findings.append(Finding(item.get("src", ""), "image", f"did not load, {where}"))
            if not item.get("alt", "").strip():
                findings.append(Finding(item.get("src", ""), "image", f"no alt text, {where}"))
            continue
        if item["kind"] == "heading":
            if not item["text"].strip():
                findings.append(Finding("", "empty-heading", f"an empty {item['tag']}, {where}"))
                continue
            nxt = next(
                (
                    j
                    for j in items[n + 1 :]
                    if j["kind"] != "heading" or j["level"] <= item["level"]
                ),
                None,
            )
            if nxt is None or nxt["kind"] == "heading":
                findings.append(
                    Finding(item["text"], "empty-heading", f"nothing under this {item['tag']}")
                )
        findings.extend(_text_findings(item, where))
    if kind == "report":
        first = next((i for i in items if i["kind"] != "image" and i["text"].strip()), None)
        if not snapshot.get("has_summary"):
            findings.append(Finding("", "summary-first", "the report has no executive summary"))
        elif first is not None and not first.get("summary"):
            findings.append(
                Finding(first["text"][:80], "summary-first", "comes before the executive summary")
            )
    return findings


# ------------------------------------------------------------------------------ the browser
def missing_browser() -> str | None:
    """Why the checker cannot run here (no Chromium, chromedriver or selenium), or None."""
    import importlib.util

    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        return "Chromium not found: apt-get install chromium chromium-driver (Debian)"
    if not shutil.which("chromedriver"):
        return "chromedriver not found: apt-get install chromium-driver (Debian)"
    if importlib.util.find_spec("selenium") is None:
        return "selenium not installed: pip install -e '.[test]'"
    return None


@contextmanager
def browser(width: int = 1024, height: int = 768) -> Iterator[Any]:
    """One headless Chromium (selenium) for every page checked; closed on exit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    profile = tempfile.mkdtemp(prefix="cioa-visible-")
    for flag in (
        "--headless --no-sandbox --disable-gpu --disable-dev-shm-usage"
        " --disable-background-networking --disable-component-update --disable-sync"
        f" --no-first-run --hide-scrollbars --window-size={width},{height}"
        f" --user-data-dir={profile}"
    ).split():
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def page_kind(path: Path) -> str:
    """``index``, ``board`` (the board summary) or ``report``, from the file name."""
    name = Path(path).name
    return {"index.html": "index", "board-summary.html": "board"}.get(name, "report")


def snapshot(driver: Any, path: Path) -> dict[str, Any]:
    """Open ``path`` in ``driver``, wait for its images and read what it shows."""
    driver.get(Path(path).resolve().as_uri())
    driver.execute_async_script(WAIT_FOR_IMAGES_JS)
    return driver.execute_script(SNAPSHOT_JS, SUMMARY)


def check_page(driver: Any, path: Path, *, kind: str | None = None) -> list[Finding]:
    """The findings of one HTML page opened in ``driver`` (see :func:`browser`)."""
    return check_snapshot(snapshot(driver, path), kind=kind or page_kind(path))


def check_pages(paths: Iterable[Path]) -> dict[str, list[Finding]]:
    """Findings per page name, all pages in one browser session."""
    out: dict[str, list[Finding]] = {}
    with browser() as driver:
        for path in paths:
            out[Path(path).name] = check_page(driver, Path(path))
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m tests._visible_text PAGE.html ...``: print findings per page; exit 1 if any."""
    paths = [Path(p) for p in (sys.argv[1:] if argv is None else argv)]
    if not paths:
        print("usage: python -m tests._visible_text reports/2026Q4/*.html")
        return 2
    reason = missing_browser()
    if reason:
        print(f"cannot check pages: {reason}")
        return 2
    results = check_pages(paths)
    total = 0
    for name, findings in results.items():
        total += len(findings)
        print(f"{name}: {len(findings)} finding{'' if len(findings) == 1 else 's'}")
        for f in findings:
            print(f"  {f}")
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main())
