"""notebooks/portfolio_review.ipynb runs clean under papermill and records its headline figures."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from _notebooks import count_charts, run_notebook

from cio_analytics.reporting.record import read_summary, read_tables, summary_path, tables_path

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "portfolio_review.ipynb"


def visible_text(outputs) -> str:
    """What a reader sees: the HTML and Markdown outputs without tags, styles and images."""
    parts = []
    for o in outputs:
        data = o.get("data", {})
        page = str(data.get("text/html", "") or data.get("text/markdown", ""))
        page = re.sub(r"<style.*?</style>|<img[^>]*>", " ", page, flags=re.S)
        parts.append(unescape(re.sub(r"<[^>]+>", " ", page)))
    return " ".join(" ".join(parts).split())


@pytest.mark.slow
def test_runs_with_small_parameters(tmp_path, monkeypatch):
    text, found, outputs = run_notebook(
        NOTEBOOK, tmp_path, monkeypatch, n_trials=2_000, n_scenarios=60, n_frontier_points=3
    )
    assert "**Fund " in text and "proved optimal" in text and "less budget" in text
    assert count_charts(outputs) >= 2  # the outcomes chart first, the frontier in its section
    assert found["value_p_low"] < found["value_p50"] < found["value_p_high"]
    assert found["value_p_low"] < found["expected_value"] < found["value_p_high"]
    assert 0 < found["budget_share_used"] <= 1 and found["selection_status"] == "proved optimal"
    assert found["n_dropped_at_cut"] >= 1 and found["value_lost_at_cut"] > 0
    summary = read_summary(summary_path(tmp_path / "records.jsonl"))
    assert summary["at_stake"] == found["budget_used"]
    assert summary["at_stake_label"].startswith("Budget committed, ")
    assert "Projects dropped at 10 % less budget" in (tmp_path / "records.jsonl").read_text()
    seen = visible_text(outputs)
    # the executive summary comes first; the chart states the key numbers' own trials
    assert seen.index("Executive summary") < seen.index("projects to fund")
    assert "come from the same 2,000 simulated outcomes" in seen
    # plain words, never the solver's vocabulary or raw values
    for raw in ("MIP gap", "shadow price", "status optimal", "150,000.0", "True", "False"):
        assert raw not in seen
    assert not re.search(r"\b[A-Z]{3}\d{2};[A-Z]{3}\d{2}\b", seen)  # "DAT04;DAT06" id lists
    assert not re.search(r"\b(developer|infrastructure|architect): one more FTE", seen)
    assert "Architects: one more FTE" in seen
    # the workbook holds every table the report shows, money as currency, shares as percent
    tables = read_tables(tables_path(tmp_path / "records.jsonl"))
    assert {"key_numbers", "recommended_projects", "budget_sweep", "budget_use",
            "marginal_values"} <= set(tables)  # fmt: skip
    projects = tables["recommended_projects"]
    assert len(projects.frame) == found["n_selected"]
    assert projects.formats["Expected NPV (EUR)"] == "currency"
    assert projects.formats["Share of portfolio risk"].startswith("percent")
