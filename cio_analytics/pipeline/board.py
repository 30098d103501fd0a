"""``board-summary.html``: the whole pack on one A4 page for the board.

One line per report, in the pack's order: the decision and the ask (the verdict and its one
sentence), the money at stake and the flags the reader must know, each line linking to its
report. Then the top risks against appetite (from the risk review), the staffing ask (from the
staffing reports) and, where the pack prices alternatives to one another (hire more
service-desk staff, outsource the service desk, invest in its platform), a line that says they
are alternatives and which costs least on each stated basis. A report that failed is shown
as failed, never left out.

Every figure is read from what the reports recorded: the executive summary as data
(``NAME.summary.json``, :func:`~cio_analytics.reporting.record.read_summary`), the recorded
figures and tables. Nothing here words a decision or computes a figure a second time.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..exceptions import ParameterError
from ..reporting.record import figure_text, read_tables, tables_path
from .changes import (
    PackChanges,
    delta_html,
    headline_figures,
    pack_changes,
    short_titles,
    sparkline_svg,
    what_changed_html,
)
from .index import BOARD_SUMMARY, card_decision, job_summary, plain_text

__all__ = ["SERVICE_DESK_ALTERNATIVES", "Alternative", "write_board_summary"]


@dataclass(frozen=True)
class Alternative:
    """One option of a set the board chooses between, priced by a report's recorded figure.

    Attributes
    ----------
    option : str
        The option in the board's words (``"Outsource the service desk"``).
    costs : tuple of (basis, job, figure)
        Where its cost is recorded, per basis: ``basis`` names what the figure is (``"PV of
        5-year cost"``), ``job`` the pack job and ``figure`` the name the report recorded it
        under (:func:`~cio_analytics.reporting.record`).
    less : tuple of (basis, job, figure)
        Figures taken off the cost on that basis (an investment's NPV: the present value of
        what it saves, net of what it costs), so options compare on one basis.
    """

    option: str
    costs: tuple[tuple[str, str, str], ...]
    less: tuple[tuple[str, str, str], ...] = ()


#: The service desk's alternatives in the quarterly pack: keep it in-house (hire), keep it
#: in-house and invest in its platform, or outsource it; each priced as the present value of
#: the desk's cost over the sourcing horizon (the sourcing report's in-house and offer costs;
#: the platform lowers the in-house cost by its median simulated NPV, not the plan's). Options are compared only on a basis two
#: or more share: never an annual cost against a present value.
_DESK_PV = "present value of the service desk's cost over the sourcing horizon"
SERVICE_DESK_ALTERNATIVES: tuple[Alternative, ...] = (
    Alternative(
        "Keep the service desk in-house and hire",
        ((_DESK_PV, "sourcing-decision", "inhouse_pv_mean"),),
    ),
    Alternative(
        "Keep it in-house and invest in its platform",
        ((_DESK_PV, "sourcing-decision", "inhouse_pv_mean"),),
        less=((_DESK_PV, "investment-service-desk", "npv_p50"),),
    ),
    Alternative(
        "Outsource the service desk",
        ((_DESK_PV, "sourcing-decision", "best_pv_mean"),),
    ),
)

_CSS = """
:root{--ink:#1d2330;--muted:#5a6270;--line:#dfe3ea;--accent:#1f4e79;--ok:#1a7f37;--bad:#b42318}
*{box-sizing:border-box}
body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:0;color:var(--ink);
background:#fff;line-height:1.35;font-size:15px}
main{max-width:1120px;margin:0 auto;padding:1.5rem 1.5rem 2rem}
header{border-bottom:3px solid var(--accent);padding-bottom:.5rem;margin-bottom:.8rem}
h1{font-size:1.6rem;margin:0 0 .2rem} .sub{color:var(--muted);margin:0}
h2{font-size:1.1rem;margin:1rem 0 .35rem;color:var(--accent)}
table{width:100%;border-collapse:collapse}
th{text-align:left;font-size:.8rem;color:var(--muted);font-weight:600;border-bottom:2px solid var(--line);
padding:.2rem .4rem}
td{vertical-align:top;border-bottom:1px solid var(--line);padding:.35rem .4rem}
td.report{width:22%} td.report a{color:var(--accent);font-weight:600;text-decoration:none}
td.stake{width:13%;font-variant-numeric:tabular-nums}
td.stake b{display:block;white-space:nowrap} td.stake span{font-size:.8rem;color:var(--muted)}
.verdict{font-weight:700;color:var(--accent)} .good .verdict{color:var(--ok)}
.bad .verdict{color:var(--bad)}
.failed td{background:#fdecea} .failed .verdict{color:var(--bad)}
.flag.alt{border-left-color:var(--accent)}
.flag{display:block;margin-top:.15rem;padding-left:.45rem;border-left:3px solid #E69F00;
font-size:.9rem}
ul{margin:.2rem 0;padding-left:1.1rem} li{margin:.1rem 0}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:0 1.5rem}
.num{font-variant-numeric:tabular-nums;white-space:nowrap}
.muted,footer{color:var(--muted);font-size:.8rem}
footer{margin-top:.8rem}
a{color:var(--accent)}
.left-out{margin:.35rem 0 0;padding-left:.45rem;border-left:3px solid var(--muted);
font-size:.9rem}
.changes{border-left:4px solid var(--accent);padding:.1rem 0 .1rem .8rem;margin:.4rem 0 .2rem}
.changes h2{margin:0 0 .1rem} .changes h2 .muted{font-weight:400}
.changes b{font-variant-numeric:tabular-nums}
.delta{display:inline-block;margin-left:.35rem;font-size:.8rem;font-variant-numeric:tabular-nums;
white-space:nowrap} td.stake .delta{display:block;margin-left:0}
.delta.flat,.delta.new,.delta.text{color:var(--muted)}
.spark{vertical-align:middle;margin-left:.3rem;overflow:visible}
.spark polyline{fill:none;stroke:var(--accent);stroke-width:1.4} .spark circle{fill:var(--accent)}
@media print{
 @page{size:A4;margin:8mm 9mm}
 body{font-size:7.1pt;line-height:1.2} main{max-width:none;padding:0}
 a{color:inherit!important;text-decoration:none!important}
 .nav{display:none}
 header{margin-bottom:.2rem;padding-bottom:.2rem;border-bottom-width:2px} h1{font-size:12pt}
 h2{font-size:9pt;margin:.45rem 0 .15rem;break-after:avoid;page-break-after:avoid}
 th{font-size:6.5pt;padding:0 .3rem} td{padding:.08rem .3rem}
 td.stake span{font-size:6.5pt} .flag{font-size:6.6pt;margin-top:.05rem;border-left-width:2px}
 ul{margin:.1rem 0} li{margin:0}
 tr,li{break-inside:avoid;page-break-inside:avoid}
 .failed td{background:none}
 .muted,footer{font-size:6.8pt} footer{margin-top:.3rem} .left-out{font-size:6.6pt;margin-top:.15rem}
 .changes{border-left-width:2px;padding:0 0 0 .45rem;margin:.15rem 0 0}
 .changes h2{margin:0} .changes li{line-height:1.12} .delta{font-size:6.3pt}
 td.stake .delta.flat{display:none} body.with-changes{font-size:6.8pt}
 td.stake .delta{display:inline;margin-left:.25rem} td.stake .delta .abs{display:none}
 .spark{width:26px;height:8px;margin-left:.15rem}
}
"""


def _when(stamp: str | None) -> str:
    try:
        return datetime.fromisoformat(str(stamp)).strftime("%d %b %Y, %H:%M UTC").lstrip("0")
    except (TypeError, ValueError):
        return datetime.now(UTC).strftime("%d %b %Y, %H:%M UTC").lstrip("0")


def _link(job: dict[str, Any], text: str) -> str:
    href = (job.get("files") or {}).get("html")
    e = html.escape
    return f"<a href='{e(href)}'>{e(text)}</a>" if href else e(text)


def _stem(job: dict[str, Any]) -> str:
    return Path(str(job.get("notebook") or "")).stem


ALTERNATIVE_NOTE = (
    "One of the service desk's alternatives, not additive: choose one (see \u201cAlternatives\u201d "
    "below)."
)


def _change(changes: PackChanges | None, job: dict[str, Any], value: Any, kind: str | None):
    """A shown figure's change and trend line (HTML), "" without a previous period."""
    if changes is None:
        return ""
    change = changes.match(job, value, kind)
    # on one crowded page a line of two points says no more than the arrow: three or more
    since = changes.previous_period
    return delta_html(change, since) + sparkline_svg(change, width=56, height=16, min_points=3)


def _decision_row(
    job: dict[str, Any],
    folder: Path,
    stakes: bool,
    note: str = "",
    changes: PackChanges | None = None,
) -> str:
    e = html.escape
    title = str(job.get("title") or job["name"])
    if job["status"] != "ok":
        why = str(job.get("message") or "the report did not run")
        return (
            f"<tr class='failed' id='line-{e(job['name'])}'><td class='report'>"
            f"{_link(job, title)}</td><td><span class='verdict'>Failed:</span> no decision; "
            f"the report did not run ({e(why)}).</td>"
            + ("<td class='stake'>n/a</td>" if stakes else "")
            + "</tr>"
        )
    summary = job_summary(job, folder)
    verdict, rest, favourable = card_decision(job, summary)
    tone = {True: "good", False: "bad"}.get(favourable, "")
    if verdict:
        text = f"<span class='verdict'>{e(verdict)}</span>" + (f": {e(rest)}" if rest else "")
    else:
        text = e(rest) or "No decision recorded: see the report."
    flags = "".join(
        f"<span class='flag'>Note: {e(str(f))}</span>" for f in (summary or {}).get("flags") or ()
    )
    if note:
        flags = f"<span class='flag alt'>{e(note)}</span>" + flags
    if summary and summary.get("at_stake_text"):
        label = e(str(summary.get("at_stake_label") or "At stake"))
        moved = ""
        if changes is not None:
            at_stake = changes.match(job, summary.get("at_stake"), "money")
            moved = delta_html(at_stake, changes.previous_period)
        stake = f"<b>{e(str(summary['at_stake_text']))}</b><span>{label}</span>{moved}"
    else:
        stake = "<span>none stated</span>"
    return (
        f"<tr class='{tone}' id='line-{e(job['name'])}'><td class='report'>{_link(job, title)}"
        f"</td><td>{text}{flags}</td>"
        + (f"<td class='stake'>{stake}</td>" if stakes else "")
        + "</tr>"
    )


def _risk_items(
    job: dict[str, Any], folder: Path, n_top: int, changes: PackChanges | None = None
) -> list[str]:
    """The risk review's key numbers against appetite and its top risks, as list items."""
    e = html.escape
    if job["status"] != "ok":
        return [f"{_link(job, 'Risk review')}: failed; no risk figures this period."]
    items = []
    summary = job_summary(job, folder) or {}
    label = str(summary.get("range_label") or "P10 to P90")
    for k in (summary.get("key_numbers") or [])[:n_top]:
        span = f" ({e(label)}: {e(k['range_text'])})" if k.get("range_text") else ""
        items.append(
            f"{e(str(k.get('figure')))}: <span class='num'>{e(str(k.get('text')))}</span>{span}"
            + _change(changes, job, k.get("value"), k.get("kind"))
        )
    if not items:
        records = job.get("records") or {}
        for entry in list(records.values())[:n_top]:
            items.append(f"{e(str(entry.get('label')))}: {e(plain_text(entry))}")
    items += _top_risks(job, folder, n_top)
    return items


def _yes(value: Any) -> bool:
    """A recorded yes/no cell: True, 1, "Yes", "true" (a table shows words, not booleans).

    Examples
    --------
    >>> [_yes(v) for v in (True, "Yes", "No", "no", None, 0, float("nan"))]
    [True, True, False, False, False, False, False]
    """
    if isinstance(value, str):
        return value.strip().lower() in {"yes", "true", "y", "1"}
    try:
        return bool(value) and value == value
    except (TypeError, ValueError):
        return False


def _top_risks(job: dict[str, Any], folder: Path, n_top: int) -> list[str]:
    """Named risks from the risk review's recorded tables: the cyber scenarios outside
    appetite, then the register's risks with the largest share of the bad years."""
    e = html.escape
    name = (job.get("files") or {}).get("records")
    if not name:
        return []
    try:
        tables = read_tables(tables_path(Path(folder) / name))
    except (OSError, ValueError, KeyError):
        return []
    out = []
    cyber = tables.get("cyber")
    if cyber is not None:
        frame = cyber.frame
        flag = next((c for c in frame.columns if "appetite" in c.lower()), None)
        who = next((c for c in frame.columns if c.lower() in ("scenario", "risk")), None)
        if flag and who:
            breached = frame[flag].map(_yes)
            for _, row in frame.loc[breached.to_numpy(dtype=bool)].iterrows():
                out.append(
                    f"Outside appetite: {e(str(row[who]))} (cyber scenario)"
                    + _control_ask(row, frame.columns, getattr(cyber, "currency", None))
                )
    register = tables.get("by_risk")
    if register is not None:
        frame = register.frame
        who = next((c for c in frame.columns if c.lower() == "risk"), None)
        tail = next((c for c in frame.columns if "tail" in c.lower()), None)
        if who and tail:
            top = frame.sort_values(tail, ascending=False).head(n_top)
            named = ", ".join(
                f"{r[who]} ({plain_text({'value': float(r[tail]), 'unit': '%'})})"
                for _, r in top.iterrows()
            )
            out.append(f"Register risks with the largest share of the bad years: {e(named)}")
    return out


def _control_ask(row: Any, columns: Any, currency: str | None) -> str:
    """The ask a breaching cyber scenario carries: its control, the control's cost and the
    expected loss before and with it (the risk review's cyber table), or "" when the table
    names no control.

    Examples
    --------
    >>> import pandas as pd
    >>> cols = ["Scenario", "Expected ALE (EUR)", "Control", "Control cost (EUR)",
    ...         "Expected ALE with control (EUR)", "ROSI"]
    >>> row = pd.Series(["Ransomware", 1.5e6, "EDR", 120e3, 476e3, 7.58], index=cols)
    >>> _control_ask(row, cols, "EUR")
    '. Ask: EDR, EUR 120k a year, expected loss EUR 1.5M \u2192 EUR 476k (return 758 %)'
    """
    low = {str(c).lower(): c for c in columns}

    def find(*words: str) -> Any:
        return next((c for k, c in low.items() if all(w in k for w in words)), None)

    control, cost = low.get("control"), find("control cost")
    before = next(
        (c for k, c in low.items() if k.startswith("expected ale") and "control" not in k), None
    )
    after, rosi = find("with control"), low.get("rosi")
    if control is None or cost is None or not str(row[control]).strip():
        return ""

    def money(v: Any) -> str:
        return plain_text({"value": float(v), "unit": currency or ""})

    text = f". Ask: {html.escape(str(row[control]))}, {money(row[cost])} a year"
    if before is not None and after is not None:
        text += f", expected loss {money(row[before])} \u2192 {money(row[after])}"
    if rosi is not None and row[rosi] == row[rosi]:
        text += f" (return {100 * float(row[rosi]):,.0f} %)"
    return text


def _staffing_items(
    jobs: list[dict[str, Any]], folder: Path, changes: PackChanges | None = None
) -> list[str]:
    e = html.escape
    items = []
    for job in jobs:
        title = str(job.get("title") or job["name"])
        if job["status"] != "ok":
            items.append(f"{_link(job, title)}: failed; no staffing figures.")
            continue
        summary = job_summary(job, folder) or {}
        verdict, _, _ = card_decision(job, summary or None)
        numbers = [
            f"{e(str(k.get('figure')))} <span class='num'>{e(str(k.get('text')))}</span>"
            + _change(changes, job, k.get("value"), k.get("kind"))
            for k in (summary.get("key_numbers") or [])[:3]
        ]
        if not numbers:
            records = job.get("records") or {}
            numbers = [
                f"{e(str(records[n].get('label') or n))} "
                f"<span class='num'>{e(plain_text(records[n]))}</span>"
                for n in ("fte_needed", "fte_gap", "annual_cost")
                if n in records
            ]
        ask = f"<b>{e(verdict)}</b>" if verdict else ""
        items.append(f"{_link(job, title)}: {ask}{'; ' if ask else ''}{'; '.join(numbers)}")
    return items


def _recorded(jobs: dict[str, dict[str, Any]], job_name: str, figure: str):
    job = jobs.get(job_name)
    if not job or job["status"] != "ok":
        return None
    entry = (job.get("records") or {}).get(figure)
    if not entry or isinstance(entry.get("value"), bool):
        return None
    if not isinstance(entry.get("value"), (int, float)):
        return None
    return job, entry


def _alternative_items(
    jobs: dict[str, dict[str, Any]], alternatives: Sequence[Alternative]
) -> list[str]:
    """The alternatives' costs per basis and which is lowest (bases two or more share)."""
    e = html.escape
    priced: dict[str, list[tuple[str, float, str, tuple[Any, dict[str, Any]]]]] = {}
    for alt in alternatives:
        for basis, job_name, figure in alt.costs:
            found = _recorded(jobs, job_name, figure)
            if found is None:
                continue
            job, entry = found
            unit = entry.get("unit")
            value, text = float(entry["value"]), e(plain_text(entry))
            offsets = [_recorded(jobs, j, f) for b, j, f in alt.less if b == basis]
            if any(o is None for o in offsets):
                continue  # a part of this option's price is missing: not priced
            for other, off in offsets:
                value -= float(off["value"])
                what = str(off.get("label") or "saving")
                text += (
                    f" less {e(plain_text(off))} ({_link(other, what)}) = "
                    f"{e(figure_text({'value': value, 'unit': unit}))}"
                )
            priced.setdefault(basis, []).append((alt.option, value, text, (unit, job)))
    present = {o for rows in priced.values() for o, *_ in rows}
    if len(present) < 2:
        return []
    names = [a.option[:1].lower() + a.option[1:] for a in alternatives if a.option in present]
    items = [
        f"The reports price {len(names)} alternatives for the same service: "
        f"{e(', '.join(names[:-1]))} or {e(names[-1])}. Choose one."
    ]
    for basis, rows in priced.items():
        if len({o for o, *_ in rows}) < 2:
            continue
        rows = sorted(rows, key=lambda r: r[1])
        listed = "; ".join(
            f"{_link(where[1], option)}: <span class='num'>{text}</span>"
            for option, _, text, where in rows
        )
        gap = figure_text({"value": rows[1][1] - rows[0][1], "unit": rows[0][3][0]})
        items.append(
            f"On the {e(basis)}: <b>{e(rows[0][0])}</b> costs least, {e(gap)} less than the "
            f"next ({listed})."
        )
    return items


def write_board_summary(
    folder: str | Path,
    jobs: Sequence[dict[str, Any]],
    *,
    pack_title: str,
    period: str,
    run_end: str | None = None,
    alternatives: Sequence[Alternative] = SERVICE_DESK_ALTERNATIVES,
    n_top_risks: int = 3,
    history: str | Path | None = None,
    pack: str | None = None,
    changes: PackChanges | None = None,
    n_changes: int = 5,
    left_out: Sequence[Mapping[str, str]] = (),
) -> Path:
    """Write ``board-summary.html`` into ``folder``: every decision of the pack on one page.

    Parameters
    ----------
    folder : str or Path
        The pack's folder: the reports, their sidecars and the page written there.
    jobs : sequence of dict
        The manifest's jobs (``name, title, notebook, status, message, files, records``).
    pack_title, period : str
        The pack's title and period, as the index shows them.
    run_end : str, optional
        ISO time the run ended (default: now).
    alternatives : sequence of Alternative
        Options the board chooses between; shown when two or more were priced by the pack.
    n_top_risks : int, default 3
        How many risk figures and named risks to list.
    history : str or Path, optional
        The run history (:mod:`~cio_analytics.pipeline.history`). With it, the page opens
        with "What changed since <previous period>" (the ``n_changes`` most important:
        decisions that changed, risks that crossed the appetite, figures that moved more
        than 10 %), and the money at stake, risk and staffing figures show their change and
        trend line. Nothing of it when the history holds no earlier period of the pack.
    pack : str, optional
        The pack's name, its key in the history; required with ``history``.
    changes : PackChanges, optional
        The comparison ready-made (:func:`~cio_analytics.pipeline.changes.pack_changes`),
        instead of ``history``.
    n_changes : int, default 5
        How many changes the page lists (it must stay one A4 page).
    left_out : sequence of dict
        Reports of the pack this run did not build for its period (``job``, ``title``,
        ``reason``; the manifest's ``left_out``): counted in the header and named under the
        decisions with the reason, so the board sees what the page does not cover.

    Returns
    -------
    Path
        The page written.

    Examples
    --------
    >>> import tempfile
    >>> job = {"name": "x", "title": "X", "status": "failed", "message": "no data",
    ...        "files": {"html": "x.html"}, "records": {}}
    >>> page = write_board_summary(tempfile.mkdtemp(), [job], pack_title="Pack", period="2026Q4")
    >>> page.name, "Failed:" in page.read_text()
    ('board-summary.html', True)
    """
    e = html.escape
    folder = Path(folder)
    jobs = list(jobs)
    if changes is None and history is not None:
        if not pack:
            raise ParameterError(
                "`pack` is required with `history`: the run history keeps each pack's figures "
                "under its name. Pass pack=<the pack's name> (e.g. 'quarterly')."
            )
        changes = pack_changes(history, {"pack": {"name": pack}, "period": period, "jobs": jobs})
    changes = changes if changes is not None and changes.has_previous else None
    counts: dict[str, int] = {}
    for job in jobs:
        counts[job["status"]] = counts.get(job["status"], 0) + 1
    status = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    if left_out:
        status += f"; {len(left_out)} not built for this period"
    missing = (
        "<p class='left-out'>Not in this pack, no data for the period: "
        + "; ".join(
            f"<b>{e(str(x.get('title') or x.get('job')))}</b> ({e(str(x.get('reason') or ''))})"
            for x in left_out
        )
        + ".</p>"
        if left_out
        else ""
    )
    stakes = any(
        (job_summary(j, folder) or {}).get("at_stake_text") for j in jobs if j["status"] == "ok"
    )  # a column of "none stated" says nothing: shown once a report states its stake
    by_name = {j["name"]: j for j in jobs}
    alt = _alternative_items(by_name, alternatives)
    in_alternatives = set()
    if alt:  # the reports that price or size one of the alternatives
        in_alternatives = {job for a in alternatives for _, job, _ in (*a.costs, *a.less)}
        in_alternatives |= {j["name"] for j in jobs if _stem(j) == "service_desk_staffing"}
    rows = "".join(
        _decision_row(
            job,
            folder,
            stakes,
            ALTERNATIVE_NOTE if job["name"] in in_alternatives else "",
            changes,
        )
        for job in jobs
    )
    money = "<th>Money at stake</th>" if stakes else ""
    sections = []
    risk = [j for j in jobs if _stem(j) == "risk_review"]
    if risk:
        items = [i for j in risk for i in _risk_items(j, folder, n_top_risks, changes)]
        verdicts = []
        for j in risk:
            verdict, _, _ = card_decision(j, job_summary(j, folder))
            if verdict:
                verdicts.append(e(verdict))
        head = f" <span class='muted'>({'; '.join(verdicts)})</span>" if verdicts else ""
        sections.append(
            f"<section><h2>Top risks against appetite{head}</h2><ul>"
            + "".join(f"<li>{i}</li>" for i in items)
            + "</ul></section>"
        )
    staffing = [j for j in jobs if _stem(j) == "service_desk_staffing"]
    if staffing:
        sections.append(
            "<section><h2>The staffing ask</h2><ul>"
            + "".join(f"<li>{i}</li>" for i in _staffing_items(staffing, folder, changes))
            + "</ul></section>"
        )
    lower = "".join(sections)
    alternatives_html = (
        "<section class='alternatives'><h2>Alternatives: choose one</h2><ul>"
        + "".join(f"<li>{i}</li>" for i in alt)
        + "</ul></section>"
        if alt
        else ""
    )
    what_changed = ""
    if changes is not None:
        links = {j["name"]: (j.get("files") or {}).get("html") for j in jobs}
        ok = [j for j in jobs if j["status"] == "ok"]
        headline = headline_figures(changes, ok, {j["name"]: job_summary(j, folder) for j in ok})
        what_changed = what_changed_html(
            changes, short_titles(jobs), {k: v for k, v in links.items() if v}, limit=n_changes,
            headline=headline,
        )  # fmt: skip
    title = f"{pack_title}: board summary, {period}"
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title><style>{_CSS}</style></head>
<body{" class='with-changes'" if what_changed else ""}><main>
<header><h1>Board summary: {e(pack_title)}</h1>
<p class="sub">Period {e(period)} · run {e(_when(run_end))} · {len(jobs)} reports: {e(status)}
<span class="nav">· <a href="index.html">all reports</a></span></p></header>
{what_changed}<section><h2>Decisions and asks</h2>
<table><thead><tr><th>Report</th><th>Decision and ask</th>{money}</tr></thead>
<tbody>{rows}</tbody></table>{missing}</section>
{alternatives_html}
<div class="cols">{lower}</div>
<footer>Each line links to its report; every figure is the one the report recorded, money
compact (EUR 1.2M). Ranges are P10 to P90 unless a report says otherwise.</footer>
</main></body></html>
"""
    path = folder / BOARD_SUMMARY
    path.write_text(page, encoding="utf-8")
    return path
