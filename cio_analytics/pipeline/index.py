"""``index.html``: the one-page overview of a report pack for management.

The page opens with the pack's title, the period and the run date, and a line counting the
reports by status. Then one card per report: its title (linked to the HTML report), its status,
the decision it recorded (a figure named ``decision``), its headline figures, recorded with
:func:`~cio_analytics.reporting.record` and formatted with their ``fmt`` and ``unit`` ("n/a"
where a figure has no value), and links to the report, its Excel workbook and the executed
notebook. It reads on a laptop (cards in a centred column, figures in a grid) and on paper
(print styles: A4, no link decoration or navigation, no card split over two pages).
"""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path
from typing import Any

from ..reporting.record import figure_text

__all__ = ["MAX_FIGURES", "format_figure", "write_index"]

#: Headline figures shown per report on the index (the first ones recorded); the report and
#: its workbook hold them all.
MAX_FIGURES = 10

_CSS = """
:root{--ink:#1d2330;--muted:#5a6270;--line:#dfe3ea;--accent:#1f4e79;--ok:#1a7f37;--bad:#b42318}
*{box-sizing:border-box}
body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:0;color:var(--ink);
background:#f5f7fa;line-height:1.4}
main{max-width:1120px;margin:0 auto;padding:2rem 1.5rem 3rem}
header{border-bottom:3px solid var(--accent);padding-bottom:.8rem;margin-bottom:1.2rem}
h1{font-size:1.7rem;margin:0 0 .3rem} .sub{color:var(--muted);margin:0}
.period{font-size:1.05rem;color:var(--ink);font-weight:600}
.cards{display:grid;gap:1rem}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem 1.2rem;
box-shadow:0 1px 2px rgba(16,24,40,.06)}
.card-head{display:flex;justify-content:space-between;align-items:baseline;gap:1rem}
.card h2{font-size:1.15rem;margin:0} .card h2 a{color:var(--accent);text-decoration:none}
.card h2 a:hover{text-decoration:underline}
.ok,.failed,.timeout{font-size:.78rem;font-weight:700;text-transform:uppercase;letter-spacing:.04em;
padding:.15rem .55rem;border-radius:999px;white-space:nowrap}
.ok{color:var(--ok);background:#e7f5ec} .failed,.timeout{color:var(--bad);background:#fdecea}
.decision{margin:.5rem 0 .2rem;font-size:1.02rem}
.decision b{color:var(--accent)}
.problem{color:var(--bad);margin:.4rem 0}
.figs{display:grid;grid-template-columns:repeat(auto-fill,minmax(185px,1fr));gap:.6rem 1.2rem;
margin:.7rem 0 .3rem;padding:0;list-style:none}
.figs li{border-left:3px solid var(--line);padding-left:.6rem}
.figs .label{display:block;font-size:.8rem;color:var(--muted)}
.figs .value{font-size:1.15rem;font-weight:650;font-variant-numeric:tabular-nums}
.more,.small{font-size:.82rem;color:var(--muted)}
.links{margin-top:.6rem;font-size:.88rem} .links a{color:var(--accent);margin-right:1.1rem}
footer{margin-top:1.6rem;font-size:.8rem;color:var(--muted)}
@media print{
 @page{size:A4;margin:11mm 12mm}
 body{background:#fff;font-size:8.5pt;line-height:1.25} main{max-width:none;padding:0}
 a{color:inherit!important;text-decoration:none!important}
 .links,.nav{display:none}
 header{margin-bottom:.5rem;padding-bottom:.35rem;border-bottom-width:2px} h1{font-size:14pt}
 .cards{gap:.35rem}
 .card{box-shadow:none;break-inside:avoid;page-break-inside:avoid;padding:.35rem .6rem;border-radius:4px}
 .card h2{font-size:10.5pt} .decision{margin:.15rem 0 0;font-size:9pt}
 .figs{grid-template-columns:repeat(5,1fr);gap:.2rem .7rem;margin:.3rem 0 0}
 .figs li{padding-left:.35rem;border-left-width:2px} .figs .label{font-size:7pt}
 .figs .value{font-size:9.5pt} .more{margin:.15rem 0 0;font-size:7pt}
 .ok,.failed,.timeout{border:1px solid currentColor;font-size:6.5pt;padding:0 .4rem}
 footer{margin-top:.6rem;font-size:7pt}
}
"""


#: A recorded figure as text (the formatting lives with the record contract in reporting).
format_figure = figure_text


def _when(stamp: str) -> str:
    """ISO time stamp -> '26 Nov 2026, 14:05 UTC' (the text as given when it does not parse)."""
    try:
        return datetime.fromisoformat(stamp).strftime("%d %b %Y, %H:%M UTC").lstrip("0")
    except (TypeError, ValueError):
        return str(stamp)


def _is_decision(name: str, entry: dict[str, Any]) -> bool:
    return isinstance(entry.get("value"), str) and (
        name == "decision" or name.endswith("_decision") or entry.get("label") == "Decision"
    )


def _card(job: dict[str, Any]) -> str:
    e = html.escape
    files = job.get("files") or {}
    title = e(job.get("title") or job["name"])
    link = f"<a href='{e(files['html'])}'>{title}</a>" if files.get("html") else title
    records = job.get("records") or {}
    decision = [(n, r) for n, r in records.items() if _is_decision(n, r)][:1]
    figures = [(n, r) for n, r in records.items() if (n, r) not in decision]
    shown = figures[:MAX_FIGURES]
    figs = "".join(
        f"<li><span class='label'>{e(str(entry.get('label') or name))}</span>"
        f"<span class='value'>{e(format_figure(entry))}</span></li>"
        for name, entry in shown
    )
    status = job["status"]
    parts = [
        f"<article class='card' id='job-{e(job['name'])}'><div class='card-head'><h2>{link}</h2>"
        f"<span class='{e(status)}'>{e(status)}</span></div>"
    ]
    if decision:
        entry = decision[0][1]
        label = e(str(entry.get("label") or "Decision"))
        parts.append(f"<p class='decision'>{label}: <b>{e(format_figure(entry))}</b></p>")
    if status != "ok":
        parts.append(f"<p class='problem'>{e(job.get('message') or 'The report did not run.')}</p>")
    if figs:
        parts.append(f"<ul class='figs'>{figs}</ul>")
    elif status == "ok":
        parts.append("<p class='small'>No headline figures recorded.</p>")
    if len(figures) > len(shown):
        parts.append(
            f"<p class='more'>{len(figures) - len(shown)} more figure"
            f"{'s' if len(figures) - len(shown) > 1 else ''} in the report and workbook.</p>"
        )
    links = [
        f"<a href='{e(files[key])}'>{label}</a>"
        for key, label in (
            ("html", "Report"),
            ("excel", "Excel workbook"),
            ("notebook", "Notebook"),
            ("log", "Log"),
        )
        if files.get(key) and (key != "log" or status != "ok")
    ]
    duration = f"<span class='small'>ran {job.get('duration_s') or 0:.1f} s</span>"
    parts.append(f"<div class='links'>{''.join(links)}{duration}</div></article>")
    return "".join(parts)


def write_index(path: str | Path, manifest: dict[str, Any]) -> Path:
    """Write the index page of a run from its manifest; return its path."""
    e = html.escape
    jobs = manifest["jobs"]
    counts: dict[str, int] = {}
    for job in jobs:
        counts[job["status"]] = counts.get(job["status"], 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    git = manifest.get("git") or {}
    commit = (git.get("commit") or "no git")[:12] + (" (modified)" if git.get("dirty") else "")
    pack_title = manifest["pack"]["title"]
    title = f"{pack_title}: {manifest['period']}"
    body = "".join(_card(job) for job in jobs)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title><style>{_CSS}</style></head>
<body><main>
<header><h1>{e(pack_title)}</h1>
<p class="sub"><span class="period">Period {e(manifest["period"])}</span> · run
{e(_when(manifest["end"]))} · {len(jobs)} reports: {e(summary)}</p></header>
<section class="cards">{body}</section>
<footer>Figures as recorded by each report; each report ends with its parameters and input
files. Built in {manifest["duration_s"]:.0f} s from code {e(commit)}.
<span class="nav">Full provenance: <a href="manifest.json">manifest</a>.</span></footer>
</main></body></html>
"""
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path
