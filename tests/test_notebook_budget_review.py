"""notebooks/budget_review.ipynb runs clean under papermill, records its headline figures and
meets the board standard of issue 13 in what it shows (no raw floats, code names or True/False,
years plain, the cut dated from the run date, every shown table in the workbook)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from _notebooks import run_notebook

from cio_analytics.budget import landing_forecast
from cio_analytics.io import read_actuals, read_budget, read_commitments

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "budget_review.ipynb"


def visible_text(outputs) -> str:
    """What a reader sees: HTML outputs without styles and tags, else Markdown, else plain."""
    parts = []
    for o in outputs:
        data = o.get("data", {})
        if "text/html" in data:
            page = re.sub(r"<style.*?</style>", " ", str(data["text/html"]), flags=re.S)
            page = re.sub(r"<img [^>]*>", " ", page)
            parts.append(html.unescape(re.sub(r"<[^>]+>", " ", page)))
        elif "text/markdown" in data:
            parts.append(str(data["text/markdown"]))
        elif o.get("output_type") == "stream":
            parts.append(o.get("text", ""))
    return re.sub(r"[ \t]+", " ", "\n".join(parts))


def defects(text: str) -> dict[str, list[str]]:
    """Issue 13's defects of visible text: raw floats, thousands separators in years, code
    names (snake_case outside file paths), True/False/NaN/None."""
    body = text.split("Appendix: provenance")[0]  # hashes and versions are not prose
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
        NOTEBOOK, tmp_path, monkeypatch, n_trials=1_000, as_of="2026-12-07"
    )
    assert "landing at EUR" in text and "chance of overrun" in text
    # the notebook's figures are the library's figures for the same inputs and seed
    fc = landing_forecast(
        read_budget("data/sample/budget.csv"),
        read_actuals("data/sample/actuals.csv"),
        read_commitments("data/sample/commitments.csv"),
        n_trials=1_000,
        rng=2026,
    )
    assert found["landing_p50"] == pytest.approx(fc.landing_p50, rel=1e-12)
    assert found["probability_of_overrun"] == pytest.approx(fc.probability_of_overrun)
    assert found["landing_p10"] <= found["landing_p50"] <= found["landing_p90"]
    assert found["decision"] in {"On track", "Adjust", "Escalate"}
    assert found["recommended_cut"] >= 0 and found["spend_per_employee"] > 0
    assert found["at_stake"] == pytest.approx(found["recommended_cut"])

    # the cut is dated from the run date: on 7 Dec only December can act (issue 13)
    shown = visible_text(outputs)
    assert "Oct-Dec" not in shown
    assert "from grow/transform in December." in text
    assert "On 7 Dec 2026 only December is left of the 3 months" in shown
    # one title, the executive summary first, no empty heading
    assert text.startswith("# Budget review") and text.count("\n# ") == 0
    assert "cioa-summary" in outputs[0]["data"]["text/html"]
    assert not re.search(
        r"<h[1-3][^>]*>\s*</h[1-3]>",
        "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs),
    )
    assert defects(shown) == {k: [] for k in defects("")}
    # the mix gap is in points, the ratios each in their own unit
    assert "Actual minus plan (points)" in shown and "Capex or opex" in shown
    from cio_analytics.reporting.formatting import format_percent

    share = found["spend_share_of_revenue"]
    assert format_percent(share, 2) in shown and f"{share:.4f}" not in shown


@pytest.mark.slow
def test_workbook_holds_every_table_with_formats(tmp_path, monkeypatch):
    run_notebook(NOTEBOOK, tmp_path, monkeypatch, n_trials=500, as_of="2026-12-07")
    tables = {}
    for line in (tmp_path / "records.jsonl.tables.jsonl").read_text().splitlines():
        entry = json.loads(line)
        tables[entry["name"]] = entry
    shown = {"key_numbers", "top_variances", "recommended_adjustment", "landing_by_group", "mix",
             "spend_ratios", "ratio_levels", "ratio_trend"}  # fmt: skip
    assert shown <= set(tables)
    for name in shown - {"key_numbers"}:  # key numbers are the tiles' text
        formats = tables[name]["formats"]
        assert formats, name
        for column, spec in formats.items():
            is_rate = any(w in column for w in ("share", "Chance", "%", "Against the trend"))
            if is_rate:
                assert spec.startswith("percent"), (name, column, spec)
            if "(EUR)" in column:
                assert spec == "currency", (name, column, spec)
    records = {}
    for line in (tmp_path / "records.jsonl").read_text().splitlines():
        entry = json.loads(line)
        records[entry["name"]] = entry
    for name, entry in records.items():
        if isinstance(entry["value"], float) and entry["fmt"] == ",.0f":
            assert entry["unit"] == "EUR", name
    assert records["probability_of_overrun"]["fmt"] == ".1%"
    assert records["spend_share_of_revenue"]["fmt"] == ".1%"


def test_landing_fan_is_legible_at_1024_px():
    """Issue 13: the budget chart was small with a 7 px legend. Shown at its display width
    (figure inches x 96 px, at most 1024 px), no text is under 11 pt and the legend sits
    clear of the plot."""
    from types import SimpleNamespace as NS

    import pandas as pd
    from matplotlib.text import Text

    from cio_analytics.reporting.charts import landing_fan

    n = pd.Series(range(1, 13), dtype=float)
    m = pd.DataFrame({"month": pd.date_range("2026-01-01", periods=12, freq="MS")})
    m["cum_budget"] = 100.0 * n
    m["cum_actual"] = (105.0 * n).where(n <= 9)
    for col, k in (("cum_p10", 101.0), ("cum_p50", 105.0), ("cum_p90", 109.0)):
        m[col] = m["cum_actual"].fillna(k * n)
    fc = NS(monthly=m, n_months_reported=9, landing_p10=1212.0, landing_p50=1260.0,
            landing_p90=1308.0, budget_total=1200.0, probability_of_overrun=0.9,
            currency="EUR")  # fmt: skip
    adj = NS(reduction_recommended=80.0, landing_p50_after=1180.0)
    fig = landing_fan(fc, adj)
    assert fig.get_figwidth() * 96 <= 1024
    fig.canvas.draw()  # apply the constrained layout before measuring
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    small = [(t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() < 11]
    assert texts and small == []
    (legend,) = fig.legends
    assert legend.get_texts()[0].get_fontsize() >= 11
    axes_box = fig.axes[0].get_window_extent(renderer)
    assert not legend.get_window_extent(renderer).overlaps(axes_box)
    assert fig.get_suptitle() == "Landing EUR 60 over budget (median), 90 % chance of overrun"
