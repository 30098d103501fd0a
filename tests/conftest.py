"""Shared fixtures: the quarterly pack built once per test session (kernels are slow to start)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

QUARTERLY_PERIOD = "2026Q4"


@pytest.fixture(scope="session")
def quarterly_pack(tmp_path_factory) -> tuple[int, str, Path]:
    """Run the shipped quarterly pack through the real command with small trial counts.

    Returns ``(exit code, printed output, run folder)``; the folder is in pytest's tmp dir.
    """
    from cio_analytics.cli import main

    out = tmp_path_factory.mktemp("quarterly-reports")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["run", "quarterly", "--out", str(out), "--period", QUARTERLY_PERIOD,
                     "-p", "n_trials=1000"])  # fmt: skip
    return code, buf.getvalue(), out / QUARTERLY_PERIOD
