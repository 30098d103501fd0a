"""notebooks/risk_review.ipynb runs clean under papermill and records its headline figures."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest
from _notebooks import count_charts, run_notebook

from cio_analytics.reporting.record import read_records, read_tables

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "risk_review.ipynb"


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


@pytest.mark.slow
def test_runs_with_small_parameters(tmp_path, monkeypatch):
    text, found, outputs = run_notebook(
        NOTEBOOK, tmp_path, monkeypatch, n_trials=5_000, max_expected_loss=100_000.0
    )
    assert "**Outside appetite**: the register's expected annual loss" in text  # above 100k
    assert "is above the EUR 100k limit" in text
    # The executive summary is the report's first output (nothing printed before it).
    assert "cioa-summary" in outputs[0]["data"]["text/html"]
    assert count_charts(outputs) >= 1
    assert found["within_appetite"] == "No"
    # issue 13: the index card has a decision and the money at stake
    assert found["decision"] == "Outside appetite"
    assert found["at_stake"] == pytest.approx(
        found["register_expected_loss"] + found["fair_total_ale"]
    )
    # issue 17: the fitted overrun distribution is named with its AIC and used below
    assert f"Cost overruns fitted: **{found['overrun_family']}**, AIC" in text
    assert found["overrun_family"] == "Lognormal"  # a label, not the class name LogNormal
    assert (
        found["register_p_level"]
        > found["register_expected_loss"]
        > found["register_expected_loss_after"]
    )
    assert found["fair_total_ale"] > 0 and found["n_fair_breaches"] >= 1

    # issue 13: a flag for each curve outside the appetite, stated with the decision
    shown = visible_text(outputs)
    assert "Note: The register's expected annual loss, EUR" in shown  # above the 100k limit
    assert re.search(
        r"Note: “Ransomware on the ERP” is outside the appetite: an annual loss "
        r"above EUR [\d.]+[kM] has a [\d.]+ % chance against at most [\d.]+ %",
        shown,
    )
    # no code names, True/False, raw floats in what the reader sees; one title, summary first
    assert defects(shown) == {k: [] for k in defects("")}
    assert "probability | " not in shown and "LogNormal" not in shown
    assert text.count("\n# ") == 0
    records = read_records(tmp_path / "records.jsonl")
    for name, entry in records.items():
        assert not isinstance(entry["value"], bool), name
        if name.startswith("n_"):
            assert entry["unit"], name  # counts carry a unit word
        if entry["fmt"] == ",.0f" and isinstance(entry["value"], float):
            assert entry["unit"] == "EUR", name
    tables = read_tables(tmp_path / "records.jsonl.tables.jsonl")
    assert {"key_numbers", "by_risk", "mitigations", "cyber", "overrun_fits"} <= set(tables)
    for t in tables.values():
        for column, spec in t.formats.items():
            if any(w in column for w in ("Share", "Chance", "ROI", "ROSI")):
                assert spec.startswith("percent"), (t.name, column, spec)
