"""The three what-if explorers as an analyst uses them: served by Voila, opened in headless
Chromium, one slider moved with the keyboard, the headline figure checked against the library.

Voila runs as a subprocess on a free port of 127.0.0.1 (stopped with its kernels in the
fixture's finalizer). For each explorer: wait for the headline figure, focus a slider's handle
and press the right arrow (one step), wait for the figure to change, and assert it is the
library's value for the new input, formatted as the explorer formats it. A screenshot of each
page (1024 x 768) goes to ``test-artifacts/screenshots/explore-*.png``.

Skips and the CIO_ANALYTICS_REQUIRE_BROWSER rule are those of tests/test_browser.py; Voila and
ipywidgets come with the ``test`` extra.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from test_browser import FLAGS, _missing

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-artifacts" / "screenshots"
FIGURE = ".cio-explore-figure"


def _reason() -> str | None:
    missing = _missing()
    if missing:
        return missing
    for module in ("voila", "ipywidgets"):
        if importlib.util.find_spec(module) is None:
            return f"{module} not installed: pip install -e '.[test]'"
    return None


REASON = _reason()
if REASON and os.environ.get("CIO_ANALYTICS_REQUIRE_BROWSER"):
    raise RuntimeError(f"CIO_ANALYTICS_REQUIRE_BROWSER is set but {REASON}")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(REASON is not None, reason=str(REASON)),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """``http://127.0.0.1:PORT``, served from notebooks/ until the module's tests end."""
    port = _free_port()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    env = {**os.environ, "CIO_ANALYTICS_HOME": str(ROOT)}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "voila", str(ROOT / "notebooks"), "--no-browser",
             f"--port={port}", "--Voila.ip=127.0.0.1", "--strip_sources=True"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"voila did not start:\n{log.read_text(errors='replace')[-3000:]}")
                time.sleep(0.5)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # voila and the kernels it started
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


@pytest.fixture(scope="module")
def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    profile = tempfile.mkdtemp(prefix="cioa-chromium-")
    flags = [f for f in FLAGS if not f.startswith("--window-size")]
    for flag in [*flags, "--window-size=1024,768", f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    browser = webdriver.Chrome(
        options=options, service=Service(executable_path=shutil.which("chromedriver"))
    )
    browser.set_page_load_timeout(120)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _expected_investment(step: int) -> str:
    from cio_analytics.reporting.explore import InvestmentExplorer

    ex = InvestmentExplorer.from_files(
        case_path="data/sample/cases/service_desk_platform.yaml",
        uncertainty_path="data/sample/uncertain_case.yaml",
        n_trials=10_000,
        rng=2026,
    )
    return ex.compute(benefits=(100 + step) / 100).npv_text


def _expected_staffing(step: int) -> str:
    from cio_analytics.reporting.explore import StaffingExplorer

    ex = StaffingExplorer.from_files(rng=2026, hiring=False)
    return ex.compute(growth=step / 100, handle_time_s=round(ex.base_handle_time_s)).fte_text


def _expected_risk(step: int) -> str:
    from cio_analytics.reporting.explore import RiskExplorer

    ex = RiskExplorer.from_files(n_trials=10_000, rng=2026)
    return ex.compute(magnitude=(100 + step) / 100).expected_loss_text


# notebook, index of the slider moved, its step, the library's figure for one step right
CASES = [
    ("explore_investment", 0, 1, _expected_investment),
    ("explore_staffing", 0, 1, _expected_staffing),
    ("explore_risk", 1, 5, _expected_risk),
]


@pytest.mark.parametrize(
    ("notebook", "index", "step", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_moving_a_slider_shows_the_library_value(voila, driver, notebook, index, step, expected):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{voila}/voila/render/{notebook}.ipynb")
    # an update replaces the readout's HTML, so the figure's element found one moment may be
    # gone the next: every read of it happens inside a wait that retries a stale element
    wait = WebDriverWait(
        driver, 120, poll_frequency=0.2, ignored_exceptions=(StaleElementReferenceException,)
    )
    before = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, FIGURE).text)
    assert before, "the headline figure is empty"
    page = driver.find_element(By.TAG_NAME, "body").text
    for word in ("Traceback", "Error", "nan", "None"):
        assert word not in page.split(), f"{notebook}: '{word}' on the page"
    driver.save_screenshot(str(SHOTS / f"{notebook}.png"))
    handle = driver.find_elements(By.CSS_SELECTOR, ".noUi-handle")[index]
    start = float(handle.get_attribute("aria-valuenow"))
    handle.click()
    handle.send_keys(Keys.ARROW_RIGHT)
    after = wait.until(
        lambda d: (t := d.find_element(By.CSS_SELECTOR, FIGURE).text) != before and t
    )
    moved = float(handle.get_attribute("aria-valuenow")) - start
    assert moved == pytest.approx(step), f"the slider moved {moved}, not one step of {step}"
    assert after == expected(step)
    driver.save_screenshot(str(SHOTS / f"{notebook}-moved.png"))
