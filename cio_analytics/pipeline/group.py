"""The group index: every business unit's decisions and headline figures in one table.

A run of a pack for many units (:func:`~cio_analytics.pipeline.units.run_units`) publishes
``<period>/index.html``: one row per unit, linked to the unit's own index, with a column per
report holding the report's decision and its headline figure (the first key number of its
executive summary, as the report's tiles show it). Units that need attention come first: a
report that did not run, a decision against (an unfavourable verdict) or a note the reader must
know (a flag of the executive summary), most first. Clicking a column header sorts the table by
that column (a few lines of inline script; no network needed), clicking it again reverses it.

The wording and figures come from the reports' executive summaries as data
(``<job>.summary.json``, the same sidecars the unit's index and board summary read), so this
page words nothing a second time and formats no money itself.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .index import _when, card_decision, job_summary, record_figures

__all__ = ["UnitRow", "unit_rows", "write_group_index"]

_CSS = """
:root{--ink:#1d2330;--muted:#5a6270;--line:#dfe3ea;--accent:#1f4e79;--ok:#1a7f37;--bad:#b42318;
--warn:#8a5a00}
*{box-sizing:border-box}
body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:0;color:var(--ink);
background:#f5f7fa;line-height:1.35}
main{max-width:1400px;margin:0 auto;padding:1.6rem 1.2rem 2.5rem}
header{border-bottom:3px solid var(--accent);padding-bottom:.8rem;margin-bottom:1rem}
h1{font-size:1.7rem;margin:0 0 .3rem} .sub{color:var(--muted);margin:0}
.period{font-size:1.05rem;color:var(--ink);font-weight:600}
.hint{font-size:.85rem;color:var(--muted);margin:.5rem 0 .6rem}
.wrap{overflow-x:auto;background:#fff;border:1px solid var(--line);border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{padding:.5rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:#eef2f7;position:sticky;top:0}
th button{all:unset;cursor:pointer;font-weight:700;color:var(--ink)}
th button:focus-visible{outline:2px solid var(--accent)}
th button::after{content:" \\2195";color:var(--muted);font-weight:400}
th[aria-sort=ascending] button::after{content:" \\2191"}
th[aria-sort=descending] button::after{content:" \\2193"}
th .fig{display:block;font-weight:400;font-size:.78rem;color:var(--muted)}
th{min-width:8.5rem;max-width:12rem;font-size:.82rem} td{min-width:7.5rem}
th:first-child,td.unit{position:sticky;left:0;z-index:1;min-width:7rem}
td.unit{font-weight:700;white-space:nowrap;background:#fff} thead th:first-child{z-index:2}
td.unit a{color:var(--accent)}
tr.attention td.unit{border-left:4px solid #E69F00}
.verdict{display:block;font-weight:650} .good{color:var(--ok)} .bad{color:var(--bad)}
.value{display:block;font-variant-numeric:tabular-nums}
.label{display:block;font-size:.76rem;color:var(--muted)}
.why{display:block;font-size:.8rem;color:var(--warn)} .none{color:var(--muted)}
footer{margin-top:1.2rem;font-size:.8rem;color:var(--muted)}
@media print{
 @page{size:A4 landscape;margin:8mm}
 body{background:#fff;font-size:7pt} main{max-width:none;padding:0}
 a{color:inherit!important;text-decoration:none!important} .hint,.nav{display:none}
 .wrap{overflow:visible;border:0} table{font-size:6.5pt} th,td{padding:.15rem .25rem;min-width:0}
 th:first-child,td.unit{position:static}
 th button::after{content:""}
}
"""

#: Sorts the rows by the clicked column: numbers as numbers, else text; again reverses.
_SCRIPT = """
document.querySelectorAll('table.units th button').forEach(function (button) {
  button.addEventListener('click', function () {
    var th = button.closest('th'), table = th.closest('table'), body = table.tBodies[0];
    var col = Array.prototype.indexOf.call(th.parentNode.children, th);
    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    if (!th.hasAttribute('aria-sort') && th.dataset.first === 'descending') { dir = -1; }
    var key = function (row) { return row.children[col].dataset.sort || ''; };
    var rows = Array.prototype.slice.call(body.rows);
    var numeric = rows.every(function (r) { return key(r) === '' || !isNaN(parseFloat(key(r))); });
    rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      if (x === '' || y === '') { return (x === '') - (y === ''); }
      var c = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
      return c === 0 ? a.dataset.order - b.dataset.order : dir * c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
  });
});
"""


@dataclass(frozen=True)
class UnitRow:
    """One unit's line of the group index: its reports' cells and what needs attention."""

    name: str
    title: str
    folder: str
    order: int  # its place in the units file
    cells: dict[str, dict[str, Any]]  # by job name: verdict, favourable, text, label, sort
    failed: int  # reports that did not run
    against: int  # decisions against (unfavourable verdicts)
    flags: int  # notes the reader must know

    @property
    def score(self) -> int:
        """How much the unit needs attention: failed reports first, then decisions, notes."""
        return 100 * self.failed + 10 * self.against + self.flags


def _cell(job: dict[str, Any], folder: Path) -> dict[str, Any]:
    """One report's decision and headline figure for one unit."""
    if job["status"] != "ok":
        return {"verdict": "Did not run", "favourable": False, "failed": True, "flags": 0,
                "text": "", "label": "", "sort": ""}  # fmt: skip
    summary = job_summary(job, folder)
    verdict, rest, favourable = card_decision(job, summary)
    label, text, value = _headline(summary, job.get("records") or {})
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    return {
        "verdict": verdict or rest or "No decision recorded",
        "favourable": favourable,
        "failed": False,
        "flags": len((summary or {}).get("flags") or ()),
        "text": text,
        "label": label,
        "sort": repr(float(value)) if numeric else (text or verdict),
    }


def _headline(summary: dict[str, Any] | None, records: dict[str, Any]) -> tuple[str, str, Any]:
    """``(label, text, value)`` of a report's headline figure: the first key number of its
    executive summary, else its first recorded figure (as the unit's index shows them)."""
    numbers = (summary or {}).get("key_numbers") or []
    if numbers:
        first = numbers[0]
        return str(first.get("figure") or ""), str(first.get("text") or ""), first.get("value")
    figures = record_figures(records)
    if not figures:
        return "", "", None
    label, text, _ = figures[0]
    value = next((e.get("value") for e in records.values() if e.get("label") == label), None)
    return label, text, value


def unit_rows(manifest: dict[str, Any], folder: str | Path) -> list[UnitRow]:
    """The group index's rows, units needing attention first (most first), then file order.

    A unit's attention is its reports that did not run, its decisions against and its notes
    (flags), read from the reports' executive summaries in ``folder/<unit>/``.
    """
    rows = []
    for order, unit in enumerate(manifest["units"]):
        where = Path(folder) / unit["folder"]
        cells = {job["name"]: _cell(job, where) for job in unit["jobs"]}
        failed = sum(c["failed"] for c in cells.values())
        against = sum(c["favourable"] is False and not c["failed"] for c in cells.values())
        flags = sum(c["flags"] for c in cells.values())
        rows.append(
            UnitRow(
                unit["name"], unit["title"], unit["folder"], order, cells, failed, against, flags
            )
        )
    return sorted(rows, key=lambda r: (-r.score, r.order))


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _attention(row: UnitRow) -> str:
    parts = []
    if row.failed:
        parts.append(_plural(row.failed, "report did not run", "reports did not run"))
    if row.against:
        parts.append(_plural(row.against, "decision against", "decisions against"))
    if row.flags:
        parts.append(_plural(row.flags, "note to read", "notes to read"))
    return "; ".join(parts)


def _columns(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """``(job name, report title)`` per report, in pack order (the units' jobs, first seen)."""
    names: dict[str, str] = {}
    for unit in manifest["units"]:
        for job in unit["jobs"]:
            names.setdefault(job["name"], str(job.get("title") or job["name"]))
    return list(names.items())


def write_group_index(path: str | Path, manifest: dict[str, Any]) -> Path:
    """Write the group index of a units run from its manifest (``kind: units``); return it."""
    e = html.escape
    path = Path(path)
    rows = unit_rows(manifest, path.parent)
    columns = _columns(manifest)
    labels = {
        name: {r.cells[name]["label"] for r in rows if name in r.cells} for name, _ in columns
    }
    head = [
        "<th data-first='ascending'><button type='button'>Business unit</button></th>",
        "<th data-first='descending' aria-sort='descending'><button type='button'>"
        "Needs attention</button></th>",
    ]
    for name, title in columns:
        shared = labels[name].pop() if len(labels[name]) == 1 else ""
        labels[name] = shared
        fig = f"<span class='fig'>{e(shared)}</span>" if shared else ""
        head.append(f"<th><button type='button'>{e(title)}</button>{fig}</th>")
    body = []
    for row in rows:
        attention = _attention(row)
        cells = [
            f"<td class='unit' data-sort='{e(row.title)}'>"
            f"<a href='{e(row.folder)}/index.html'>{e(row.title)}</a></td>",
            f"<td data-sort='{row.score}'>"
            + (
                f"<span class='why'>{e(attention)}</span>"
                if attention
                else "<span class='none'>Nothing flagged</span>"
            )
            + "</td>",
        ]
        for name, _ in columns:
            cell = row.cells.get(name)
            if cell is None:
                cells.append(
                    "<td data-sort=''><span class='none'>Not in this unit's pack</span></td>"
                )
                continue
            tone = {True: " good", False: " bad"}.get(cell["favourable"], "")
            label = cell["label"] if cell["label"] != labels[name] else ""
            cells.append(
                f"<td data-sort='{e(cell['sort'])}'><span class='verdict{tone}'>"
                f"{e(cell['verdict'])}</span>"
                + (f"<span class='label'>{e(label)}</span>" if label and cell["text"] else "")
                + (f"<span class='value'>{e(cell['text'])}</span>" if cell["text"] else "")
                + "</td>"
            )
        klass = " class='attention'" if row.score else ""
        body.append(f"<tr data-order='{row.order}'{klass}>{''.join(cells)}</tr>")
    n_reports = sum(len(u["jobs"]) for u in manifest["units"])
    n_ok = sum(j["status"] == "ok" for u in manifest["units"] for j in u["jobs"])
    n_attention = sum(1 for r in rows if r.score)
    title = str(manifest.get("title") or "Group report pack")
    git = manifest.get("git") or {}
    commit = (git.get("commit") or "no git")[:12] + (" (modified)" if git.get("dirty") else "")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}: {e(manifest["period"])}</title><style>{_CSS}</style></head>
<body><main>
<header><h1>{e(title)}</h1>
<p class="sub"><span class="period">Period {e(manifest["period"])}</span> ·
{e(str(manifest["pack"].get("title") or ""))} · run {e(_when(manifest["end"]))} ·
{_plural(len(rows), "business unit", "business units")}, {n_reports} reports, {n_ok} ran ·
{_plural(n_attention, "unit needs", "units need")} attention</p></header>
<p class="hint">Units that need attention come first. Click a column heading to sort by it;
click a unit for its reports, board summary and slides.</p>
<div class="wrap"><table class="units">
<thead><tr>{"".join(head)}</tr></thead>
<tbody>{"".join(body)}</tbody></table></div>
<footer>Decisions and figures as each unit's reports show them. Built in
{manifest["duration_s"]:.0f} s from code {e(commit)}.
<span class="nav">Full provenance: <a href="manifest.json">manifest</a>.</span></footer>
</main><script>{_SCRIPT}</script></body></html>
"""
    path.write_text(page, encoding="utf-8")
    return path
