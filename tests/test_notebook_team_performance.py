"""notebooks/team_performance.ipynb runs clean under papermill and states the library's figures."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pandas as pd
import pytest
from _notebooks import run_notebook

from cio_analytics.pipeline.params import read_schema
from cio_analytics.reporting.record import read_records, read_tables

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "team_performance.ipynb"


def visible_text(outputs) -> str:
    """What a reader sees: HTML outputs without styles, images and tags, else Markdown."""
    parts = []
    for o in outputs:
        data = o.get("data", {})
        if "text/html" in data:
            page = re.sub(r"<style.*?</style>", " ", str(data["text/html"]), flags=re.S)
            page = re.sub(r"<img [^>]*>", " ", page)
            parts.append(html_lib.unescape(re.sub(r"<[^>]+>", " ", page)))
        elif "text/markdown" in data:
            parts.append(str(data["text/markdown"]))
    return re.sub(r"[ \t]+", " ", "\n".join(parts))


def defects(text: str) -> dict[str, list[str]]:
    """Issue 13's defects of visible text: raw floats, years with a separator, code names
    (snake_case outside file paths), True/False/NaN/None."""
    body = text.split("Appendix: provenance")[0]
    no_paths = re.sub(r"\S*[/\\]\S*", " ", body)
    return {
        "raw floats": re.findall(r"\d\.\d{3,}", body),
        "years with a separator": re.findall(r"\b2,0\d\d\b", body),
        "code names": re.findall(r"(?<![\w.-])[a-z]+(?:_[a-z0-9]+)+(?![\w.])", no_paths),
        "True/False/NaN": re.findall(r"\b(?:True|False|NaN|nan|None)\b", body),
    }


def run(tmp_path, monkeypatch, **parameters):
    return run_notebook(NOTEBOOK, tmp_path, monkeypatch, **parameters)


def test_parameters_schema():
    """The parameters the pack and the tests below rely on are declared."""
    schema = read_schema(NOTEBOOK)
    assert schema.problems == ()
    assert {"tickets_path", "seed", "n_trials", "capacity_fte"} <= set(schema.names)


@pytest.mark.slow
def test_sample_decision_names_the_real_change(tmp_path, monkeypatch):
    from cio_analytics.io import read_ticket_export
    from cio_analytics.performance import team_review, ticket_metrics

    text, found, outputs = run(tmp_path, monkeypatch, n_trials=200)
    metrics = ticket_metrics(read_ticket_export("data/sample/tickets_export.csv", months=12))
    last = team_review(metrics).verdict.set_index("team").loc["Service desk"]
    assert text.startswith("# Team performance")
    assert "**Act**: Service desk SLA attainment fell to" in text
    assert f"{last['sla_attainment'] * 100:.1f} % in October, below its control limit" in text
    assert "Network and Workplace stable" in text
    assert found["teams_worse"] == "Service desk" and found["chart_team"] == "Service desk"
    assert found["chart_team_attainment"] == pytest.approx(last["sla_attainment"], rel=1e-12)
    assert found["chart_team_lcl"] == pytest.approx(last["lcl"], rel=1e-12)
    assert found["chart_team_signal"] == "outside its control limits"  # words, not True
    assert found["sla_attainment"] == pytest.approx(metrics.sla_attainment, rel=1e-12)
    assert found["open_backlog"] == metrics.n_open
    assert found["teams_short"] == "Service desk"
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert "data:image/png;base64" in html[0]  # the one chart, in the executive summary

    # issue 13: the executive summary first, one title, no empty heading
    assert "cioa-summary" in outputs[0]["data"]["text/html"]
    assert text.count("\n# ") == 0
    assert not re.search(r"<h[1-3][^>]*>\s*</h[1-3]>", "".join(html))
    # no code names, True/False, raw floats; the P90 tile has its unit
    shown = visible_text(outputs)
    assert defects(shown) == {k: [] for k in defects("")}
    assert re.search(r"Service desk: P90 time to resolve, October 2026\s+\d+\.\d h", shown)
    assert "Short" in shown and "Worse" in shown and "80.5%" not in shown
    records = read_records(tmp_path / "records.jsonl")
    for name, entry in records.items():
        if isinstance(entry["value"], bool):
            raise AssertionError(f"{name} is recorded as True/False")
        if isinstance(entry["value"], int) and name.startswith(("n_", "open_")):
            assert entry["unit"], name  # a count carries its unit word
        if isinstance(entry["value"], float) and "attainment" in name:
            assert entry["fmt"] == ".1%", name
    tables = read_tables(tmp_path / "records.jsonl.tables.jsonl")
    assert {"key_numbers", "team_verdict", "signals", "by_team_month", "backlog_age",
            "capacity"} <= set(tables)  # fmt: skip
    verdict = tables["team_verdict"]
    assert all(v.startswith("percent") for k, v in verdict.formats.items() if "limit" in k)


@pytest.mark.slow
def test_other_team_and_cut_off(tmp_path, monkeypatch):
    """Charting a stable team on an export cut at an instant (31 Aug 2026, 18:00): the figures
    and the verdict are those of the library for the same cut-off, on the tickets of the 12
    months up to that day (a date-time's day sets the reading window, the instant the cut)."""
    from cio_analytics.io import read_ticket_export
    from cio_analytics.performance import team_review, ticket_metrics

    text, found, _ = run(
        tmp_path, monkeypatch, chart_team="Network", as_of="2026-08-31T18:00", n_trials=100
    )
    tickets = read_ticket_export("data/sample/tickets_export.csv", as_of="2026-08-31", months=12)
    assert tickets["opened_at"].min() < pd.Timestamp("2025-09-02")  # Sep 2025 to Aug 2026
    metrics = ticket_metrics(tickets, as_of="2026-08-31T18:00")
    review = team_review(metrics)
    assert (
        found["chart_team"] == "Network"
        and found["chart_team_signal"] == "within its control limits"
    )
    assert found["n_tickets"] == metrics.n_tickets
    assert found["teams_worse"] == (", ".join(review.teams_changed("worse")) or "none")
    assert ("**Hold**" in text) == (not review.teams_changed("worse"))


@pytest.mark.slow
def test_a_first_quarter_judges_fewer_months(tmp_path, monkeypatch):
    """Issue 15: as of 31 Mar 2025 the export holds three months (the sample's first quarter);
    the report keeps two months as the baseline and judges the third, as the library does with
    recent_months=1, instead of refusing the quarter."""
    from cio_analytics.io import read_ticket_export
    from cio_analytics.performance import team_review, ticket_metrics

    text, found, _ = run(tmp_path, monkeypatch, as_of="2025-03-31", n_trials=100)
    tickets = read_ticket_export("data/sample/tickets_export.csv", as_of="2025-03-31", months=12)
    metrics = ticket_metrics(tickets, as_of="2025-04-01")
    assert len(metrics.months) == 3
    review = team_review(metrics, recent_months=1)
    assert found["n_tickets"] == metrics.n_tickets
    assert found["teams_worse"] == (", ".join(review.teams_changed("worse")) or "none")
    assert text.startswith("# Team performance to March 2025")
