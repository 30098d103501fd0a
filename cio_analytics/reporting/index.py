"""``index.html``: one page for management listing every report of a run.

Each row: the report (linked), its status, its duration, and the key figures the notebook
recorded with :func:`~cio_analytics.reporting.record` (read back from its sidecar file),
formatted with the ``fmt`` and ``unit`` the notebook gave.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import Any

__all__ = ["format_figure", "write_index"]

_CSS = """
body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:2rem;color:#1d2330}
h1{font-size:1.6rem;margin-bottom:.2rem} .sub{color:#5a6270;margin-top:0}
table{border-collapse:collapse;width:100%;margin-top:1rem} th,td{padding:.5rem .7rem;
border-bottom:1px solid #dfe3ea;text-align:left;vertical-align:top} th{background:#f3f5f8}
.ok{color:#1a7f37;font-weight:600} .failed,.timeout{color:#b42318;font-weight:600}
.figs{margin:0;padding:0;list-style:none} .figs li{white-space:nowrap}
.num{font-variant-numeric:tabular-nums} .small{font-size:.85rem;color:#5a6270}
"""


def format_figure(entry: dict[str, Any]) -> str:
    """A recorded figure as text: its ``fmt`` if any, thousands separators, then its unit.

    Examples
    --------
    >>> format_figure({"value": 1234567.891, "fmt": ",.0f", "unit": "EUR"})
    '1,234,568 EUR'
    >>> format_figure({"value": 0.1234, "fmt": ".1%", "unit": None})
    '12.3%'
    >>> format_figure({"value": None, "unit": "h"})
    'n/a'
    """
    value, fmt, unit = entry.get("value"), entry.get("fmt"), entry.get("unit")
    if value is None:
        return "n/a"
    if isinstance(value, bool) or isinstance(value, str):
        text = str(value)
    elif fmt:
        try:
            text = format(value, fmt)
        except (ValueError, TypeError):
            text = str(value)
    elif isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, float) and math.isfinite(value):
        text = f"{value:,.2f}" if abs(value) >= 100 else f"{value:.4g}"
    else:
        text = str(value)
    return f"{text} {unit}" if unit and not (fmt or "").endswith("%") else text


def _row(job: dict[str, Any]) -> str:
    e = html.escape
    files = job.get("files") or {}
    title = e(job.get("title") or job["name"])
    link = f"<a href='{e(files['html'])}'>{title}</a>" if files.get("html") else title
    figs = "".join(
        f"<li><span>{e(str(entry.get('label') or name))}</span>: "
        f"<b class='num'>{e(format_figure(entry))}</b></li>"
        for name, entry in (job.get("records") or {}).items()
    )
    status = job["status"]
    note = f"<div class='small'>{e(job.get('message') or '')}</div>" if status != "ok" else ""
    extra = " · ".join(
        f"<a href='{e(files[k])}'>{label}</a>"
        for k, label in (("notebook", "notebook"), ("log", "log"))
        if files.get(k)
    )
    return (
        f"<tr><td>{link}<div class='small'>{e(job['name'])} · {extra}</div></td>"
        f"<td class='{e(status)}'>{e(status)}{note}</td>"
        f"<td class='num'>{job.get('duration_s', 0):.1f} s</td>"
        f"<td><ul class='figs'>{figs or '<li>-</li>'}</ul></td></tr>"
    )


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
    title = f"{manifest['pack']['title']}: {manifest['period']}"
    body = "".join(_row(job) for job in jobs)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title><style>{_CSS}</style></head>
<body><h1>{e(title)}</h1>
<p class="sub">{len(jobs)} reports: {e(summary)} · built {e(manifest["end"][:16].replace("T", " "))} UTC
in {manifest["duration_s"]:.0f} s · code {e(commit)} ·
<a href="manifest.json">manifest</a></p>
<table><thead><tr><th>Report</th><th>Status</th><th>Duration</th><th>Key figures</th></tr></thead>
<tbody>{body}</tbody></table></body></html>
"""
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path
