"""The comparison reports of a scenarios run, and their cards on its index.

After every scenario's run of a job has finished, :func:`write_plans` writes the job's
comparison plan (``JOB.scenarios.json``: the runs, their status and what each scenario
changes) beside them; ``notebooks/scenario_comparison.ipynb`` reads it with
:func:`cio_analytics.reporting.scenarios.compare_scenarios` and becomes the comparison report
(``JOB--comparison.html``: the decision under each scenario, the figures side by side, the
outcome distributions overlaid). :func:`comparison_entries` gives the index one entry per
comparison and :func:`comparison_cards` draws them: one card with the decision per scenario,
read from each run's executive summary (``NAME.summary.json``), never worded a second time.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from .index import card_decision, job_summary
from .pack import Pack
from .scenarios import BASE, ScenarioPlan

__all__ = [
    "COMPARISON_NOTEBOOK",
    "comparison_cards",
    "comparison_entries",
    "comparison_notebook",
    "write_plans",
]

#: The notebook that turns a comparison plan into the comparison report.
COMPARISON_NOTEBOOK = Path("notebooks") / "scenario_comparison.ipynb"


def comparison_notebook(root: Path) -> Path:
    """The comparison notebook of the project at ``root`` (else the one shipped with the package)."""
    for candidate in (root / COMPARISON_NOTEBOOK, Path(__file__).parents[2] / COMPARISON_NOTEBOOK):
        if candidate.is_file():
            return candidate
    shipped = Path(__file__).parents[1] / "_shipped" / COMPARISON_NOTEBOOK
    return shipped


def comparison_name(job: str) -> str:
    """The comparison report's name in the run folder (``JOB--comparison``)."""
    return f"{job}--comparison"


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def write_plans(
    folder: Path, plan: ScenarioPlan, pack: Pack, results: list[dict[str, Any]]
) -> dict[str, str]:
    """Write ``JOB.scenarios.json`` per compared job into ``folder``: ``{job: file name}``."""
    status = {r["name"]: r["status"] for r in results}
    titles = {j.name: j.title for j in pack.jobs}
    written = {}
    for job in plan.jobs:
        runs = plan.runs_of(job)
        data = {
            "title": f"Scenarios compared: {titles.get(job, job)}",
            "file": plan.scenarios.path.name,
            "job": job,
            "seed": runs[0].parameters.get("seed"),
            "runs": [
                {
                    "scenario": r.scenario,
                    "run": r.name,
                    "status": status.get(r.name, "failed"),
                    "changes": [[k, _plain(v)] for k, v in r.changes],
                }
                for r in runs
            ],
            "skipped": list(plan.skipped.get(job, ())),
        }
        name = f"{job}.scenarios.json"
        (folder / name).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        written[job] = name
    return written


def _label(name: str) -> str:
    text = name.replace("_", " ")
    return "Base" if name == BASE else text[:1].upper() + text[1:]


def comparison_entries(
    folder: Path, plan: ScenarioPlan, pack: Pack, jobs: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One index entry per comparison: its report, its status and the decision per scenario."""
    by_name = {j["name"]: j for j in jobs}
    titles = {j.name: j.title for j in pack.jobs}
    entries = []
    for job in plan.jobs:
        report = by_name.get(comparison_name(job), {"status": "failed", "files": {}})
        scenarios = []
        for r in plan.runs_of(job):
            result = by_name.get(r.name, {"status": "failed", "files": {}, "records": {}})
            summary = job_summary(result, folder) if result["status"] == "ok" else None
            verdict, _, favourable = card_decision(result, summary)
            if result["status"] != "ok":
                verdict, favourable = "Not decided: the report did not run", False
            first = ((summary or {}).get("key_numbers") or [None])[0]
            scenarios.append(
                {
                    "scenario": r.scenario,
                    "label": _label(r.scenario),
                    "verdict": verdict or "Not decided",
                    "favourable": favourable,
                    "html": (result.get("files") or {}).get("html"),
                    "headline": f"{first['figure']}: {first['text']}" if first else None,
                }
            )
        ok = report["status"] == "ok" and all(
            by_name.get(r.name, {}).get("status") == "ok" for r in plan.runs_of(job)
        )
        entries.append(
            {
                "job": job,
                "title": f"Scenarios compared: {titles.get(job, job)}",
                "html": (report.get("files") or {}).get("html"),
                "status": "ok" if ok else "failed",
                "scenarios": scenarios,
            }
        )
    return entries


def comparison_cards(comparisons: list[dict[str, Any]]) -> str:
    """The index cards of a scenarios run: one per comparison, the decision per scenario."""
    e = html.escape
    cards = []
    for c in comparisons:
        items = []
        for s in c["scenarios"]:
            tone = {True: " good", False: " bad"}.get(s.get("favourable"), "")
            link = (
                f"<a href='{e(s['html'])}'>{e(s['label'])}</a>" if s.get("html") else e(s["label"])
            )
            items.append(
                f"<li><span class='label'>{link}</span>"
                f"<span class='value decision{tone}'><b>{e(s['verdict'])}</b></span>"
                + (f"<span class='range'>{e(s['headline'])}</span>" if s.get("headline") else "")
                + "</li>"
            )
        verdicts = {s["verdict"] for s in c["scenarios"]}
        lead = (
            f"<b>{e(next(iter(verdicts)))}</b> in every scenario."
            if len(verdicts) == 1
            else "<b>The decision depends on the scenario.</b>"
        )
        title = e(c["title"])
        head = f"<a href='{e(c['html'])}'>{title}</a>" if c.get("html") else title
        link = f"<a href='{e(c['html'])}'>Comparison report</a>" if c.get("html") else ""
        cards.append(
            f"<article class='card' id='comparison-{e(c['job'])}'><div class='card-head'>"
            f"<h2>{head}</h2><span class='{e(c['status'])}'>{e(c['status'])}</span></div>"
            f"<p class='decision'>{lead} The decision under each scenario:</p>"
            f"<ul class='figs'>{''.join(items)}</ul><div class='links'>{link}</div></article>"
        )
    return "".join(cards)
