"""The quarterly pack as a person sees it: every page opened in headless Chromium.

For the index and each report: every image loaded, no console error, no visible "Traceback",
"Warning" or "nan", the executive summary first; a screenshot of each page (first screen and
whole page) goes to ``test-artifacts/screenshots/``. The index is also printed to PDF (A4) to
check that it fits one page and hides its links on paper.

Needs Debian's ``chromium`` and ``chromium-driver`` (no browser is downloaded) and selenium (the
``test`` extra). Without them these tests are skipped with the reason; ``.ci/run`` installs them
and sets ``CIO_ANALYTICS_REQUIRE_BROWSER=1``, which turns the skip into a failure.
``make test-browser`` runs only these tests.
"""

from __future__ import annotations

import base64
import importlib.util
import math
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from cio_analytics.pipeline.pack import load_pack

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-artifacts" / "screenshots"
JOBS = [job.name for job in load_pack("quarterly", root=ROOT).jobs]
SUMMARY = "#executive-summary, .cioa-summary"
WIDTH, HEIGHT = 1366, 900  # a laptop screen
FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run --hide-scrollbars"
    f" --window-size={WIDTH},{HEIGHT}"
).split()


def _missing() -> str | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        return "Chromium not found: apt-get install chromium chromium-driver (Debian)"
    if not shutil.which("chromedriver"):
        return "chromedriver not found: apt-get install chromium-driver (Debian)"
    if importlib.util.find_spec("selenium") is None:
        return "selenium not installed: pip install -e '.[test]'"
    return None


REASON = _missing()
if REASON and os.environ.get("CIO_ANALYTICS_REQUIRE_BROWSER"):
    raise RuntimeError(f"CIO_ANALYTICS_REQUIRE_BROWSER is set but {REASON}")
pytestmark = [pytest.mark.browser, pytest.mark.skipif(REASON is not None, reason=str(REASON))]


@pytest.fixture(scope="module")
def pack(quarterly_pack):
    code, stdout, folder = quarterly_pack
    assert code == 0, stdout
    return folder


@pytest.fixture(scope="module")
def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    profile = tempfile.mkdtemp(prefix="cioa-chromium-")
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=shutil.which("chromedriver"))
    browser = webdriver.Chrome(options=options, service=service)
    browser.set_page_load_timeout(30)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(driver, path: Path) -> list[dict]:
    """Load ``path``; return the console messages it logged."""
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(path.as_uri())
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "Promise.all([...document.images].map(i => i.complete ? 0 : i.decode().catch(() => 0)))"
        ".then(() => done(true));"
    )
    return driver.get_log("browser")


def _screenshots(driver, name: str) -> None:
    """The first screen as the reader sees it, and the whole page."""
    driver.save_screenshot(str(SHOTS / f"{name}.png"))
    height = driver.execute_script("return document.documentElement.scrollHeight")
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": WIDTH, "height": min(height, 16000), "scale": 1},
        },
    )
    (SHOTS / f"{name}-full.png").write_bytes(base64.b64decode(shot["data"]))


def _common_checks(driver, console: list[dict], name: str) -> str:
    errors = [m["message"] for m in console if m["level"] == "SEVERE"]
    assert errors == [], f"{name}: console errors {errors}"
    images = driver.execute_script(
        "return [...document.images].map(i => [i.naturalWidth, i.alt, i.src.slice(0, 40)])"
    )
    broken = [src for width, _, src in images if not width]
    assert broken == [], f"{name}: images that did not load: {broken}"
    assert all(alt for _, alt, _ in images), f"{name}: an image has no alt text"
    text = driver.execute_script("return document.body.innerText")
    for word, pattern in (
        ("Traceback", r"Traceback"),
        ("Warning", r"Warning"),
        ("nan", r"\bnan\b"),
    ):
        found = re.search(pattern, text, flags=re.IGNORECASE if word == "nan" else 0)
        assert not found, (
            f"{name}: visible text shows {word!r}: ...{text[max(0, found.start() - 80) : found.end() + 80]}..."
        )
    return text


def test_index_as_seen_in_a_browser(pack, driver):
    index = pack / "index.html"
    console = _open(driver, index)
    _screenshots(driver, "index")
    text = _common_checks(driver, console, "index")
    assert driver.find_element("css selector", "h1").text == "Quarterly IT decision pack"
    assert "Period 2026Q4" in text and re.search(r"run \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC", text)
    cards = driver.find_elements("css selector", "article.card")
    assert len(cards) == len(JOBS)
    for card, job in zip(cards, JOBS, strict=True):
        assert card.get_attribute("id") == f"job-{job}"
        assert card.find_element("css selector", ".card-head span").text.lower() == "ok"
        assert card.find_elements("css selector", ".figs li"), f"{job}: no headline figures"
    hrefs = driver.execute_script("return [...document.links].map(a => a.getAttribute('href'))")
    for job in JOBS:
        for target in (f"{job}.html", f"{job}.xlsx", f"{job}.ipynb"):
            assert target in hrefs, f"index does not link {target}"
    for href in hrefs:
        assert (pack / href).is_file(), f"index links a missing file: {href}"

    # On paper: A4, links hidden, one page for the whole pack.
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = driver.execute_script(
            "return [...document.querySelectorAll('.links')].every(e => e.offsetParent === null)"
        )
        assert hidden, "the links show on paper"
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = base64.b64decode(
        driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"]
    )
    (SHOTS / "index.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    allowed = max(1, math.ceil(len(JOBS) / 7))  # about seven report cards fit on an A4 page
    assert pages <= allowed, f"the printed index takes {pages} A4 pages (see {SHOTS / 'index.pdf'})"


@pytest.mark.parametrize("job", JOBS)
def test_report_as_seen_in_a_browser(pack, driver, job):
    console = _open(driver, pack / f"{job}.html")
    _screenshots(driver, job)
    _common_checks(driver, console, job)
    # The first thing on the page is the executive summary (or, before the summary blocks
    # exist, the report's title followed by its decision), and it starts on the first screen.
    first = driver.execute_script(
        "const cells = [...document.querySelectorAll('.jp-Cell')]"
        "  .filter(c => c.offsetParent !== null && c.innerText.trim());"
        "return cells.length ? cells[0] : null;"
    )
    assert first is not None, f"{job}: the report shows nothing"
    summary = driver.find_elements("css selector", SUMMARY)
    if summary:
        top = driver.execute_script(
            "return arguments[0].getBoundingClientRect().top + window.scrollY", summary[0]
        )
        inside = driver.execute_script(
            "return arguments[0].contains(arguments[1])", first, summary[0]
        )
        assert inside, f"{job}: the executive summary is not the first content"
        assert top < HEIGHT / 2, f"{job}: the executive summary starts {top:.0f} px down"
    else:
        heading = first.find_elements("css selector", "h1")
        assert heading, f"{job}: the report does not open with its title"
        lines = [s for s in first.text.splitlines() if s.strip()]
        assert len(lines) >= 2, f"{job}: no decision text follows the title: {lines}"


def _print_pages(driver, name: str) -> int:
    """Print the open page to PDF (A4 from its print CSS); save it; return its page count."""
    pdf = base64.b64decode(
        driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"]
    )
    (SHOTS / f"{name}.pdf").write_bytes(pdf)
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_board_summary_as_seen_in_a_browser(pack, driver):
    """One line per report linking an existing report, and one A4 page on paper."""
    page = pack / "board-summary.html"
    console = _open(driver, page)
    _screenshots(driver, "board-summary")
    text = _common_checks(driver, console, "board-summary")
    assert len(driver.find_elements("css selector", "h1")) == 1
    for heading in ("Decisions and asks", "Top risks against appetite", "The staffing ask"):
        assert heading in text, f"board summary has no {heading!r} section"
    lines = driver.find_elements("css selector", "tr[id^='line-']")
    assert [line.get_attribute("id") for line in lines] == [f"line-{job}" for job in JOBS]
    for line, job in zip(lines, JOBS, strict=True):
        links = [a.get_attribute("href") for a in line.find_elements("css selector", "a")]
        assert links, f"{job}: the board line links no report"
        assert all(Path(href.removeprefix("file://")).is_file() for href in links), links
        assert line.find_element("css selector", "td:nth-child(2)").text.strip(), job
    hrefs = driver.execute_script("return [...document.links].map(a => a.getAttribute('href'))")
    for href in hrefs:
        assert (pack / href).is_file(), f"board summary links a missing file: {href}"
    pages = _print_pages(driver, "board-summary")
    assert pages == 1, f"the printed board summary takes {pages} A4 pages"


def test_every_index_card_shows_a_decision(pack, driver):
    """The board summary is the index's first link; each card states a decision."""
    _open(driver, pack / "index.html")
    first = driver.execute_script("return document.links[0].getAttribute('href')")
    assert first == "board-summary.html"
    cards = driver.find_elements("css selector", "article.card")
    assert len(cards) == len(JOBS)
    for card, job in zip(cards, JOBS, strict=True):
        decision = card.find_elements("css selector", ".decision")
        assert decision and decision[0].text.strip(), f"{job}: the card shows no decision"
        assert "No decision recorded" not in decision[0].text, f"{job}: no decision recorded"
        for item in card.find_elements("css selector", ".figs li"):
            assert not re.search(
                r"\bP10\b.*\bP90\b", item.find_element("css selector", ".label").text
            )
