"""notebooks/team_performance.ipynb runs clean under papermill and states the library's figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from _notebooks import run_notebook

from cio_analytics.pipeline.params import read_schema

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "team_performance.ipynb"


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
    metrics = ticket_metrics(read_ticket_export("data/sample/tickets_export.csv"))
    last = team_review(metrics).verdict.set_index("team").loc["Service desk"]
    assert text.startswith("# Team performance")
    assert "**Act**: Service desk SLA attainment fell to" in text
    assert f"{last['sla_attainment'] * 100:.1f} % in October, below its control limit" in text
    assert "Network and Workplace stable" in text
    assert found["teams_worse"] == "Service desk" and found["chart_team"] == "Service desk"
    assert found["chart_team_attainment"] == pytest.approx(last["sla_attainment"], rel=1e-12)
    assert found["chart_team_lcl"] == pytest.approx(last["lcl"], rel=1e-12)
    assert found["chart_team_signal"] is True
    assert found["sla_attainment"] == pytest.approx(metrics.sla_attainment, rel=1e-12)
    assert found["open_backlog"] == metrics.n_open
    assert found["teams_short"] == "Service desk"
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert "data:image/png;base64" in html[0]  # the one chart, in the executive summary


@pytest.mark.slow
def test_other_team_and_cut_off(tmp_path, monkeypatch):
    """Charting a stable team on an export cut before September: the figures and the verdict
    are those of the library for the same cut-off."""
    from cio_analytics.io import read_ticket_export
    from cio_analytics.performance import team_review, ticket_metrics

    text, found, _ = run(
        tmp_path, monkeypatch, chart_team="Network", as_of="2026-09-01", n_trials=100
    )
    metrics = ticket_metrics(
        read_ticket_export("data/sample/tickets_export.csv"), as_of="2026-09-01"
    )
    review = team_review(metrics)
    assert found["chart_team"] == "Network" and found["chart_team_signal"] is False
    assert found["n_tickets"] == metrics.n_tickets
    assert found["teams_worse"] == (", ".join(review.teams_changed("worse")) or "none")
    assert ("**Hold**" in text) == (not review.teams_changed("worse"))
