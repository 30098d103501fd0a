"""The shipped quarterly pack, end to end through the real command, with small trial counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cio_analytics.io import file_sha256
from cio_analytics.pipeline.export import report_noise
from cio_analytics.pipeline.pack import load_pack
from cio_analytics.reporting.record import read_records

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def quarterly(quarterly_pack):
    """The session's one build of the quarterly pack (tests/conftest.py): the browser tests read
    the same run, so the 11 reports are built once per test session, not twice."""
    return quarterly_pack


@pytest.mark.slow
def test_quarterly_pack_runs_clean(quarterly):
    code, stdout, folder = quarterly
    assert code == 0, stdout
    assert stdout.strip().splitlines()[-1] == f"Index: {folder / 'index.html'}"
    manifest = json.loads((folder / "manifest.json").read_text())
    pack = load_pack("quarterly", root=ROOT)
    assert [j["name"] for j in manifest["jobs"]] == [j.name for j in pack.jobs]
    for job in manifest["jobs"]:
        assert job["status"] == "ok", job["message"]
        assert job["parameters"]["n_trials"] == 1000
        html = (folder / job["files"]["html"]).read_text()
        assert report_noise(html) == [], job["name"]
        assert job["records"], f"{job['name']} recorded no figures"
        for info in job["inputs"].values():
            assert info["sha256"] == file_sha256(ROOT / info["resolved"])
    index = (folder / "index.html").read_text()
    assert all(job.title in index for job in pack.jobs)
    board = (folder / "board-summary.html").read_text()
    assert index.index('href="board-summary.html"') < index.index("<article")  # linked first
    assert all(f"id='line-{job.name}'" in board for job in pack.jobs)


def test_investment_figures_equal_the_library(quarterly):
    """The NPV in the sidecar is the library's NPV of the same case and rates."""
    from cio_analytics.io import read_case
    from cio_analytics.valuation import InvestmentCase

    folder = quarterly[2]
    records = read_records(folder / "investment-service-desk.records.jsonl")
    case = InvestmentCase.from_spec(read_case("data/sample/cases/service_desk_platform.yaml"))
    result = case.evaluate(discount_rate=0.08, tax_rate=0.25, currency="EUR")
    assert records["npv"]["value"] == pytest.approx(result.npv, rel=1e-12)
    assert records["irr"]["value"] == pytest.approx(result.irr, rel=1e-12)
