"""``index.html``: the one-page overview of a report pack for management.

The page opens with the pack's title, the period and the run date, a line counting the reports
by status and, first, a link to the board summary (``board-summary.html``, see
:mod:`~cio_analytics.pipeline.board`). Then one card per report: its title (linked to the HTML
report), its status, its decision and the money at stake, the flags the reader must know, its
key numbers as the report's tiles show them (the value with its P10 to P90 range together),
and links to the report, its Excel workbook and the executed notebook.

The decision, money at stake, flags and key numbers come from the report's executive summary
as data (``NAME.summary.json``, :func:`~cio_analytics.reporting.record.read_summary`), so the
index never words a decision a second time. A report without that summary shows its recorded
``decision`` and its first headline figures (recorded with
:func:`~cio_analytics.reporting.record`), a P10/P50/P90 triple folded into one figure with its
range, solver statuses in plain words. It reads on a laptop (cards in a centred column) and
on paper (print styles: A4, no link decoration or navigation, no card split over two pages).
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from ..reporting.record import figure_text, read_summary
from .changes import (
    PackChanges,
    delta_html,
    headline_figures,
    pack_changes,
    sparkline_svg,
    what_changed_html,
)

__all__ = [
    "BOARD_SUMMARY",
    "MAX_FIGURES",
    "card_decision",
    "format_figure",
    "job_summary",
    "plain_text",
    "record_figures",
    "write_index",
]

#: Headline figures shown per report on the index when the report has no executive summary
#: (the first ones recorded); the report and its workbook hold them all.
MAX_FIGURES = 6

#: The board summary's file name in a pack (written by :mod:`~cio_analytics.pipeline.board`).
BOARD_SUMMARY = "board-summary.html"

_CSS = """
:root{--ink:#1d2330;--muted:#5a6270;--line:#dfe3ea;--accent:#1f4e79;--ok:#1a7f37;--bad:#b42318;
--warn:#8a5a00}
*{box-sizing:border-box}
body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:0;color:var(--ink);
background:#f5f7fa;line-height:1.4}
main{max-width:1120px;margin:0 auto;padding:2rem 1.5rem 3rem}
header{border-bottom:3px solid var(--accent);padding-bottom:.8rem;margin-bottom:1.2rem}
h1{font-size:1.7rem;margin:0 0 .3rem} .sub{color:var(--muted);margin:0}
.period{font-size:1.05rem;color:var(--ink);font-weight:600}
.board{display:inline-block;margin:.8rem 0 0;padding:.45rem 1rem;background:var(--accent);
color:#fff;border-radius:6px;font-weight:650;text-decoration:none}
.board:hover{text-decoration:underline}
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
.decision b{color:var(--accent)} .decision.good b{color:var(--ok)} .decision.bad b{color:var(--bad)}
.stake{margin:.15rem 0;font-size:.95rem} .stake b{font-variant-numeric:tabular-nums}
.flag{margin:.3rem 0;padding:.2rem .6rem;border-left:4px solid #E69F00;background:#fff8e6;
font-size:.9rem}
.problem{color:var(--bad);margin:.4rem 0}
.figs{display:grid;grid-template-columns:repeat(auto-fill,minmax(165px,1fr));gap:.6rem 1.2rem;
margin:.7rem 0 .3rem;padding:0;list-style:none}
.figs li{border-left:3px solid var(--line);padding-left:.6rem}
.figs .label{display:block;font-size:.8rem;color:var(--muted)}
.figs .value{font-size:1.15rem;font-weight:650;font-variant-numeric:tabular-nums}
.figs .range{display:block;font-size:.78rem;color:var(--muted);font-variant-numeric:tabular-nums}
.more,.small{font-size:.82rem;color:var(--muted)}
.links{margin-top:.6rem;font-size:.88rem} .links a{color:var(--accent);margin-right:1.1rem}
footer{margin-top:1.6rem;font-size:.8rem;color:var(--muted)}
.changes{background:#fff;border:1px solid var(--line);border-left:4px solid var(--accent);
border-radius:8px;padding:.8rem 1.2rem;margin-bottom:1rem}
.changes h2{font-size:1.2rem;margin:0 0 .2rem;color:var(--accent)}
.changes h3{font-size:.95rem;margin:.55rem 0 .15rem}
.changes ul{margin:.1rem 0;padding-left:1.1rem} .changes li{margin:.12rem 0}
.changes .muted{color:var(--muted);font-size:.85rem;margin:0 0 .2rem} .changes a{color:var(--accent)}
.changes b{font-variant-numeric:tabular-nums}
.changed{margin:.1rem 0;font-size:.9rem;color:var(--warn);font-weight:600}
.trend{display:flex;align-items:center;flex-wrap:wrap;gap:.1rem .45rem;margin-top:.15rem}
.delta{font-size:.8rem;font-variant-numeric:tabular-nums;white-space:nowrap}
.delta.flat,.delta.new,.delta.text{color:var(--muted)}
.spark{flex:none;overflow:visible} .spark polyline{fill:none;stroke:var(--accent);stroke-width:1.4}
.spark circle{fill:var(--accent)}
@media print{
 @page{size:A4;margin:8mm 9mm}
 body{background:#fff;font-size:7pt;line-height:1.15} main{max-width:none;padding:0}
 a{color:inherit!important;text-decoration:none!important}
 .links,.nav,.more{display:none}
 .board{background:none;color:var(--ink)!important;padding:0;margin:.1rem 0 0;font-size:7.5pt}
 header{margin-bottom:.25rem;padding-bottom:.2rem;border-bottom-width:2px} h1{font-size:12pt}
 .period{font-size:8pt}
 .cards{gap:.18rem}
 .card{box-shadow:none;break-inside:avoid;page-break-inside:avoid;padding:.15rem .45rem;border-radius:3px}
 .card h2{font-size:8.5pt} .decision{margin:.05rem 0 0;font-size:7pt}
 .stake{margin:0;font-size:7pt} .flag{margin:.05rem 0;padding:0 .35rem;font-size:6.5pt;border-left-width:2px}
 .figs{display:block;margin:.1rem 0 0} .figs li{display:inline;border:0;padding:0;margin-right:.5rem}
 .figs li+li::before{content:"· ";color:var(--muted)}
 .figs .label{display:inline;font-size:7pt} .figs .label::after{content:": "}
 .figs .value{font-size:7pt} .figs .range{display:inline;font-size:7pt}
 .figs .range::before{content:" ("} .figs .range::after{content:")"}
 .ok,.failed,.timeout{border:1px solid currentColor;font-size:5.5pt;padding:0 .35rem}
 footer{margin-top:.3rem;font-size:6pt}
 .changes{border:0;border-left:2px solid var(--accent);border-radius:0;padding:0 .45rem;
 margin-bottom:.2rem}
 .changes h2{font-size:8.5pt;margin:0} .changes h3{font-size:7pt;margin:.05rem 0 0}
 .changes ul{margin:0;padding-left:.8rem} .changes li{margin:0;font-size:6.5pt;break-inside:avoid}
 .changes .muted{font-size:6.5pt;margin:0} .changed{font-size:6.5pt;margin:0}
 .trend{display:inline} .delta{font-size:6.5pt} .delta::before{content:" "}
 .spark{display:inline;vertical-align:middle;width:26px;height:8px}
}
"""


#: A recorded figure as text (the formatting lives with the record contract in reporting).
format_figure = figure_text

#: Solver and plan statuses in plain words (a recorded status is a code word otherwise).
_STATUS_WORDS = {
    "optimal": "proved optimal",
    "feasible": "feasible, not proved optimal",
    "infeasible": "no plan meets every constraint",
    "unbounded": "no limit found (check the inputs)",
    "time_limit": "stopped at the time limit",
    "not_solved": "not solved",
}
_CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")  # snake_case: a code name, not a word
_RANGE = {"_p10": "low", "_p90": "high", "_p_low": "low", "_p_high": "high"}
_MIDDLE = ("_p50", "_mean", "")


def _when(stamp: str) -> str:
    """ISO time stamp -> '26 Nov 2026, 14:05 UTC' (the text as given when it does not parse)."""
    try:
        return datetime.fromisoformat(stamp).strftime("%d %b %Y, %H:%M UTC").lstrip("0")
    except (TypeError, ValueError):
        return str(stamp)


def job_summary(job: dict[str, Any], folder: str | Path) -> dict[str, Any] | None:
    """The executive summary a job's report showed (its ``files["summary"]``), or None.

    A missing or unreadable sidecar reads as None: the page then falls back to the records.
    """
    name = (job.get("files") or {}).get("summary")
    if not name:
        return None
    try:
        summary = read_summary(Path(folder) / name)
    except (OSError, ValueError):
        return None
    return summary if isinstance(summary, dict) else None


def _is_decision(name: str, entry: dict[str, Any]) -> bool:
    return isinstance(entry.get("value"), str) and (
        name == "decision" or name.endswith("_decision") or entry.get("label") == "Decision"
    )


def plain_text(entry: dict[str, Any]) -> str:
    """A recorded figure's text in plain words: statuses worded, code names humanized.

    Examples
    --------
    >>> plain_text({"value": "optimal"}), plain_text({"value": "warm_standby"})
    ('proved optimal', 'Warm standby')
    >>> plain_text({"value": 1234567.0, "unit": "EUR"})
    'EUR 1.2M'
    """
    value = entry.get("value")
    if isinstance(value, str):
        text = value.strip().strip("'\"")
        if text.lower() in _STATUS_WORDS:
            return _STATUS_WORDS[text.lower()]
        if _CODE.fullmatch(text):  # a code name: words, the first capitalised
            words = text.replace("_", " ")
            return words[:1].upper() + words[1:]
        return text
    return figure_text(entry)


def _strip_suffix(label: str) -> str:
    """'NPV P50' / 'NPV, median' / 'Portfolio NPV, P10' -> 'NPV' / 'Portfolio NPV'."""
    return re.sub(r"[,]?\s*(\((mean|median)\)|P\d\d|median|mean)\s*$", "", label).strip() or label


def record_figures(records: dict[str, dict[str, Any]]) -> list[tuple[str, str, str | None]]:
    """The recorded figures of a report as ``(label, value text, range text)``.

    The recorded ``decision`` is left out (the card shows it); a figure recorded with its P10
    and P90 (``npv_p10``, ``npv_p50``, ``npv_p90``) becomes one figure with its range.

    Examples
    --------
    >>> rec = {"npv_p10": {"value": -1e5, "label": "NPV P10", "unit": "EUR"},
    ...        "npv_p50": {"value": 6.5e4, "label": "NPV P50", "unit": "EUR"},
    ...        "npv_p90": {"value": 2e5, "label": "NPV P90", "unit": "EUR"},
    ...        "status": {"value": "optimal", "label": "Plan"}}
    >>> record_figures(rec)
    [('NPV', 'EUR 65k', 'P10 to P90: -EUR 100k to EUR 200k'), ('Plan', 'proved optimal', None)]
    """
    return [(label, text, span) for _, label, text, span in _record_items(records)]


def _record_items(records: dict[str, dict[str, Any]]) -> list[tuple[str, str, str, str | None]]:
    """:func:`record_figures` with each figure's recorded name first (its history key)."""
    bounds: dict[str, dict[str, str]] = {}
    for name in records:
        for suffix, end in _RANGE.items():
            if name.endswith(suffix):
                bounds.setdefault(name[: -len(suffix)], {})[end] = name
    middles: dict[str, str] = {}
    for base, ends in bounds.items():
        if len(ends) != 2:
            continue
        names = [base + m for m in _MIDDLE] + [f"expected_{base}"]
        middle = next((n for n in names if n in records), None)
        if middle is not None:
            middles[middle] = base
    skip = {n for b in middles.values() for n in bounds[b].values()}
    out = []
    for name, entry in records.items():
        if name in skip or _is_decision(name, entry):
            continue
        label = str(entry.get("label") or "") or plain_text({"value": name})
        span = None
        if name in middles:
            ends = bounds[middles[name]]
            low, high = (plain_text(records[ends[k]]) for k in ("low", "high"))
            span = f"P10 to P90: {low} to {high}"
            label = _strip_suffix(label)
        text = plain_text(entry)
        if name.endswith("mip_gap") and isinstance(entry.get("value"), (int, float)):
            gap = float(entry["value"])  # a solver's gap to its bound, in words
            label = "Best possible selection"
            text = (
                "proved optimal"
                if gap <= 1e-9
                else f"within {figure_text({**entry, 'fmt': '.2%'})}"
            )
        out.append((name, label, text, span))
    return out


def card_decision(job: dict[str, Any], summary: dict[str, Any] | None) -> tuple[str, str, Any]:
    """``(verdict, the rest of the sentence, favourable)`` a card or board line shows.

    From the executive summary when the report showed one, else the recorded ``decision``;
    ``("", "", None)`` when the report recorded neither.
    """
    if summary and (summary.get("verdict") or summary.get("sentence")):
        verdict = str(summary.get("verdict") or "")
        sentence = str(summary.get("sentence") or "")
        if verdict and sentence.startswith(verdict):
            sentence = sentence[len(verdict) :].lstrip(" :")
        return verdict, sentence, summary.get("favourable")
    records = job.get("records") or {}
    for name, entry in records.items():
        if _is_decision(name, entry):
            return plain_text(entry), "", None
    return "", "", None


def _decision_html(verdict: str, rest: str, favourable: Any) -> str:
    e = html.escape
    tone = {True: " good", False: " bad"}.get(favourable, "")
    lead = f"<b>{e(verdict)}</b>" + (": " if rest else "") if verdict else ""
    return f"<p class='decision{tone}'>{lead}{e(rest)}</p>"


def _figures_html(
    summary: dict[str, Any] | None,
    job: dict[str, Any],
    changes: PackChanges | None = None,
) -> tuple[str, int]:
    """The key-number list (from the summary, else the records) and how many were left out.

    With ``changes`` (a previous period in the history) each figure shows its change and
    its trend line.
    """
    e = html.escape
    records = job.get("records") or {}
    figures: list[tuple[str, str, str | None, Any]] = []
    if summary and summary.get("key_numbers"):
        label = str(summary.get("range_label") or "P10 to P90")
        for k in summary["key_numbers"]:
            change = changes.match(job, k.get("value"), k.get("kind")) if changes else None
            figures.append(
                (
                    str(k.get("figure") or ""),
                    str(k.get("text") or "n/a"),
                    f"{label}: {k['range_text']}" if k.get("range_text") else None,
                    change,
                )
            )
    else:
        for name, lab, val, span in _record_items(records):
            change = changes.get(job["name"], name) if changes else None
            figures.append((lab, val, span, change))
    shown = figures[:MAX_FIGURES]
    items = "".join(
        f"<li><span class='label'>{e(lab)}</span><span class='value'>{e(val)}</span>"
        + (f"<span class='range'>{e(span)}</span>" if span else "")
        + _trend_html(change, changes.previous_period if changes else None)
        + "</li>"
        for lab, val, span, change in shown
    )
    return (f"<ul class='figs'>{items}</ul>" if items else ""), len(figures) - len(shown)


def _trend_html(change: Any, since: str | None = None) -> str:
    """A figure's change and trend line in a tile (nothing without a previous period)."""
    delta, line = delta_html(change, since), sparkline_svg(change)
    return f"<span class='trend'>{delta}{line}</span>" if delta or line else ""


def _card(job: dict[str, Any], folder: Path, changes: PackChanges | None = None) -> str:
    e = html.escape
    files = job.get("files") or {}
    title = e(job.get("title") or job["name"])
    link = f"<a href='{e(files['html'])}'>{title}</a>" if files.get("html") else title
    summary = job_summary(job, folder) if job["status"] == "ok" else None
    status = job["status"]
    parts = [
        f"<article class='card' id='job-{e(job['name'])}'><div class='card-head'><h2>{link}</h2>"
        f"<span class='{e(status)}'>{e(status)}</span></div>"
    ]
    if status != "ok":
        parts.append(
            _decision_html("Not decided", "the report did not run; fix it and run it again.", False)
        )
        parts.append(f"<p class='problem'>{e(job.get('message') or 'The report did not run.')}</p>")
    else:
        verdict, rest, favourable = card_decision(job, summary)
        if verdict or rest:
            parts.append(_decision_html(verdict, rest, favourable))
        else:
            parts.append("<p class='decision'>No decision recorded: see the report.</p>")
        parts.append(_decision_change(job, changes))
        if summary and summary.get("at_stake_text"):
            what = e(str(summary.get("at_stake_label") or "At stake"))
            parts.append(f"<p class='stake'>{what}: <b>{e(str(summary['at_stake_text']))}</b></p>")
        for flag in (summary or {}).get("flags") or ():
            parts.append(f"<p class='flag'><strong>Note:</strong> {e(str(flag))}</p>")
    # a report that failed shows no figures: those recorded before the failure are partial
    figs, more = _figures_html(summary, job, changes) if status == "ok" else ("", 0)
    if figs:
        parts.append(figs)
    elif status == "ok":
        parts.append("<p class='small'>No key numbers recorded.</p>")
    if more > 0:
        parts.append(
            f"<p class='more'>{more} more figure{'s' if more > 1 else ''} in the report and "
            "workbook.</p>"
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


def _decision_change(job: dict[str, Any], changes: PackChanges | None) -> str:
    """ "Changed since 2026Q3: was Hold." under a card's decision when its verdict changed."""
    if changes is None:
        return ""
    for c in changes.decisions:
        if c.job == job["name"]:
            before = html.escape(plain_text({"value": c.previous_text}))
            since = html.escape(str(c.previous_period))
            return f"<p class='changed'>Changed since {since}: was {before}.</p>"
    return ""


def _what_changed(changes: PackChanges | None, jobs: list[dict[str, Any]], folder: Path) -> str:
    """The "What changed" section of the index ("" without a previous period)."""
    if changes is None:
        return ""
    if changes.unavailable:
        return (
            "<p class='small'>Changes since the previous period are not shown: "
            f"{html.escape(changes.unavailable)}.</p>"
        )
    if not changes.has_previous:
        return ""
    titles = {j["name"]: str(j.get("title") or j["name"]) for j in jobs}
    links = {j["name"]: f"#job-{j['name']}" for j in jobs}
    ok = [j for j in jobs if j["status"] == "ok"]
    headline = headline_figures(changes, ok, {j["name"]: job_summary(j, folder) for j in ok})
    periods = changes.periods
    note = f"Each key number below shows its change since {changes.previous_period}" + (
        f" and its trend line over {periods[0]} to {periods[-1]} ({len(periods)} periods)."
        if len(periods) > 1
        else "."
    )
    return what_changed_html(changes, titles, links, note=note, headline=headline)


def _left_out_html(left_out: Any) -> str:
    """The reports of the pack a run did not build for its period, and why, as one card."""
    if not left_out:
        return ""
    e = html.escape
    items = "".join(
        f"<li><b>{e(str(x.get('title') or x.get('job')))}</b>: {e(str(x.get('reason') or ''))}</li>"
        for x in left_out
    )
    return (
        '<aside class="card left-out"><div class="card-head"><h2>Not built for this period'
        f"</h2></div><p>These reports of the pack have no data up to the period's as-of date:"
        f"</p><ul>{items}</ul></aside>"
    )


def write_index(
    path: str | Path,
    manifest: dict[str, Any],
    *,
    history: str | Path | None = None,
    changes: PackChanges | None = None,
    manifest_href: str = "manifest.json",
    up: tuple[str, str] | None = None,
) -> Path:
    """Write the index page of a run from its manifest; return its path.

    The summaries the cards show are read from the jobs' sidecars in the index's folder. The
    link to the board summary is shown when ``board-summary.html`` is in that folder.

    With ``history`` (the run history, :mod:`~cio_analytics.pipeline.history`) the page
    compares this run with the pack's previous period there: a "What changed since
    <period>" section first (decisions that changed, risks that crossed the appetite,
    figures that moved more than 10 %), and on each card every key number's change and its
    trend line over the last periods (:mod:`~cio_analytics.pipeline.changes`). ``changes``
    gives that comparison ready-made instead. Without a previous period the page shows none
    of it.

    ``manifest_href`` is the footer's link to the run's manifest; ``up`` = ``(href, text)``
    a link above the title (a unit's index back to its group's).
    """
    e = html.escape
    path = Path(path)
    jobs = manifest["jobs"]
    counts: dict[str, int] = {}
    for job in jobs:
        counts[job["status"]] = counts.get(job["status"], 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    if manifest.get("left_out"):
        summary += f"; {len(manifest['left_out'])} not built for this period (see below)"
    git = manifest.get("git") or {}
    commit = (git.get("commit") or "no git")[:12] + (" (modified)" if git.get("dirty") else "")
    pack_title = manifest["pack"]["title"]
    title = f"{pack_title}: {manifest['period']}"
    if changes is None and history is not None:
        changes = pack_changes(history, manifest)
    what_changed = _what_changed(changes, jobs, path.parent)
    changes = changes if changes is not None and changes.has_previous else None
    body = "".join(_card(job, path.parent, changes) for job in jobs)
    body += _left_out_html(manifest.get("left_out") or ())
    if manifest.get("comparisons"):  # a scenarios run: one card per comparison, not per run
        from .comparison import comparison_cards

        body = comparison_cards(manifest["comparisons"])
    board = (
        f'<a class="board" href="{BOARD_SUMMARY}">Board summary: every decision on one page</a>'
        if (path.parent / BOARD_SUMMARY).is_file()
        else ""
    )
    up_link = f'<p class="nav"><a href="{e(up[0])}">{e(up[1])}</a></p>' if up else ""
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title><style>{_CSS}</style></head>
<body><main>
<header>{up_link}<h1>{e(pack_title)}</h1>
<p class="sub"><span class="period">Period {e(manifest["period"])}</span> · run
{e(_when(manifest["end"]))} · {len(jobs)} reports: {e(summary)}</p>{board}</header>
{what_changed}<section class="cards">{body}</section>
<footer>Figures as recorded by each report; each report ends with its parameters and input
files. Built in {manifest["duration_s"]:.0f} s from code {e(commit)}.
<span class="nav">Full provenance: <a href="{e(manifest_href)}">manifest</a>.</span></footer>
</main></body></html>
"""
    path.write_text(page, encoding="utf-8")
    return path
