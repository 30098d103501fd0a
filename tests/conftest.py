"""Shared test set-up: hypothesis profiles, and the quarterly pack built once per session.

Hypothesis profiles (choose one with ``HYPOTHESIS_PROFILE=<name>`` or
``pytest --hypothesis-profile=<name>``):

``ci`` (the default, used by ``make test`` and ``.ci/run``)
    Derandomized: every run draws the same examples, so a landing never depends on luck. No
    example database (a stored failure from another run cannot change what CI sees), no
    deadline (the machines are shared), and the blob to replay any failure is printed.
``fuzz`` (used by ``make fuzz``)
    Random draws from ``--hypothesis-seed`` and :data:`FUZZ_FACTOR` times each test's
    ``max_examples``; a failure prints its falsifying example and replay blob.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest
from hypothesis import settings

QUARTERLY_PERIOD = "2026Q4"
#: The run day of the shared quarterly pack (its as-of date: the period ends after it).
QUARTERLY_TODAY = "2026-12-07"

#: ``make fuzz`` runs every hypothesis test with this many times its own ``max_examples``.
FUZZ_FACTOR = 20

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("fuzz", derandomize=False, database=None, deadline=None, print_blob=True)
# ``--hypothesis-profile`` may already have loaded a profile (hypothesis' plugin does it in
# pytest_configure); otherwise the environment chooses, and CI's profile is the default.
if settings.get_current_profile_name() == "default":
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


#: Doctests over 5 s (measured with ``pytest --durations=0``); a doctest takes no decorator.
SLOW_DOCTESTS = {
    "docs/continuity.md::continuity.md",
    "docs/portfolio.md::portfolio.md",
    "docs/risk-models.md::risk-models.md",
    "docs/staffing-planning.md::staffing-planning.md",
}
#: Fixtures that run a whole report pack (a minute or more): every test using one is slow,
#: not only the first (which pays the set-up), so ``make test-fast`` never builds a pack.
SLOW_FIXTURES = {"quarterly_pack", "quarterly", "runs", "pipeline_run"}


def pytest_collection_modifyitems(config, items):
    """Mark the slow doctests and pack-building tests; scale examples under ``fuzz``."""
    for item in items:
        if item.nodeid in SLOW_DOCTESTS or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    if settings.get_current_profile_name() == "fuzz":
        _scale_examples(items, FUZZ_FACTOR)


def _scale_examples(items, factor: int) -> None:
    """Multiply each hypothesis test's ``max_examples`` by ``factor``.

    A test's own ``@settings(max_examples=...)`` outranks any profile, so the factor is applied
    to the settings hypothesis reads when the test runs (once per test function, however
    many parametrized items share it).
    """
    from hypothesis import is_hypothesis_test

    scaled = set()
    for item in items:
        func = getattr(getattr(item, "obj", None), "__func__", getattr(item, "obj", None))
        if func is None or id(func) in scaled or not is_hypothesis_test(func):
            continue
        scaled.add(id(func))
        own = func._hypothesis_internal_use_settings
        func._hypothesis_internal_use_settings = settings(
            own, max_examples=own.max_examples * factor
        )


def _build_quarterly_pack(out: Path) -> tuple[int, str]:
    """The pack's run day is fixed (``QUARTERLY_TODAY``): a 2026Q4 pack built on the clock's
    day would date its figures differently from a test reading it after midnight."""
    from cio_analytics.cli import main
    from cio_analytics.pipeline.period import TODAY_ENV

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), pytest.MonkeyPatch.context() as mp:
        mp.setenv(TODAY_ENV, QUARTERLY_TODAY)
        code = main(["run", "quarterly", "--out", str(out), "--period", QUARTERLY_PERIOD,
                     "-p", "n_trials=1000"])  # fmt: skip
    return code, buf.getvalue()


@pytest.fixture(scope="session")
def quarterly_pack(tmp_path_factory) -> tuple[int, str, Path]:
    """Run the shipped quarterly pack through the real command with small trial counts.

    Returns ``(exit code, printed output, run folder)``; the folder is in pytest's tmp dir.
    Under pytest-xdist (``make test`` runs ``-n auto``) the first worker that needs the pack
    builds it under a file lock in the run's shared temporary folder and the others read it:
    the pack is built once per run, not once per worker. Tests only read the folder.
    """
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # one process: no xdist
        out = tmp_path_factory.mktemp("quarterly-reports")
        code, printed = _build_quarterly_pack(out)
        return code, printed, out / QUARTERLY_PERIOD
    import json

    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent  # common to every worker of this run
    out, done = shared / "quarterly-reports", shared / "quarterly-reports.json"
    with FileLock(str(shared / "quarterly-reports.lock")):
        if done.is_file():
            code, printed = json.loads(done.read_text(encoding="utf-8"))
        else:
            out.mkdir(exist_ok=True)
            code, printed = _build_quarterly_pack(out)
            done.write_text(json.dumps([code, printed]), encoding="utf-8")
    return code, printed, out / QUARTERLY_PERIOD
