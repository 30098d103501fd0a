"""notebooks/service_continuity.ipynb runs clean under papermill and records its headline figures."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from _notebooks import count_charts, run_notebook

from cio_analytics.continuity import ServiceModel, service_availability
from cio_analytics.io import read_service_structure
from cio_analytics.reporting.record import read_tables, tables_path

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "service_continuity.ipynb"


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
        NOTEBOOK, tmp_path, monkeypatch, n_trials=2_000, option="Warm standby DR site"
    )
    assert text.startswith("# Service continuity") and "**Fund “Warm standby DR site”**" in text
    assert "also worth funding: “Second ISP link”" in text
    assert count_charts(outputs) >= 1
    expected = service_availability(ServiceModel.from_spec(read_service_structure(
        "data/sample/continuity/online_ordering.yaml")))  # fmt: skip
    assert found["availability"] == pytest.approx(expected.availability, rel=1e-12)
    assert found["decision_option"] == "Warm standby DR site" and found["fund_option"] is True
    assert found["option_npv"] > 0 and found["best_recovery_tier"] == "Warm standby"
    assert 0 < found["prob_sla_breach"] <= 1
    seen = visible_text(outputs)
    # the executive summary first, with the SLA flag where the decision is
    assert seen.index("Executive summary") < seen.index("NPV at 8.0 % over each option")
    assert re.search(r"still below the 99\.900 % SLA: about \d+\.\d h of downtime a year", seen)
    # component ids read as names; no repr, code path or True/False on the page
    assert "Internet link (ISP)" in seen and "Core switch" in seen
    for raw in ("isp_link", "core_switch", "db_primary", "'Warm standby'", "docs/continuity.md",
                "(value)", "True", "False"):  # fmt: skip
        assert raw not in seen, raw
    # the two downtime figures (steady state, simulated) are both explained
    assert "steady-state" in seen and "simulated mean downtime" in seen
    assert found["option_cost_over_life"] == pytest.approx(100_000 + 40_000 * 5)
    assert found["meets_sla_with_option"] is False
    # the workbook holds every table the report shows
    tables = read_tables(tables_path(tmp_path / "records.jsonl"))
    assert {"key_numbers", "options", "components", "recovery_tiers", "disaster_losses"} <= set(
        tables
    )
    options = tables["options"]
    assert set(options.frame["Option"]) >= {"Warm standby DR site", "Second ISP link"}
    assert options.formats["NPV (EUR)"] == "currency"
    assert options.formats["Availability after"].startswith("percent")
