"""``board-pack.pptx``: the pack as slides for the board room (python-pptx, 16:9).

A title slide (pack title, period, run date), one slide with every decision, then one slide per
report that ran: a title that states the decision ("Service desk platform: proceed"), its 3-5
key numbers with their P10-P90 ranges, the headline chart as a picture, and a footer with the
report's title and the period. Everything shown comes from each report's summary sidecar
(``<job>.summary.json``, :func:`cio_analytics.reporting.record.read_summary`): the slides repeat
the report's own wording and never compute a figure. The decision sentence and the report's
flags go into the speaker notes.

Layout is fixed in inches on a 13.33 x 7.5 in slide; no text is smaller than 12 pt and every
shape lies inside the slide.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..reporting.record import read_summary
from .changes import PackChanges, change_text, value_text

__all__ = ["deck_title", "write_deck"]

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
_MARGIN = 0.5
_INK, _MUTED, _ACCENT = (0x1F, 0x2D, 0x3D), (0x5B, 0x6B, 0x7B), (0x1F, 0x4E, 0x79)
_GOOD, _BAD = (0x1B, 0x7F, 0x4B), (0xB0, 0x3A, 0x2E)
_MAX_NUMBERS = 5


def _day(text: str) -> str:
    """An ISO date as the reports write dates (``"2026-12-07"`` -> ``"7 Dec 2026"``).

    Examples
    --------
    >>> _day("2026-12-07"), _day("Q4 close")
    ('7 Dec 2026', 'Q4 close')
    """
    from datetime import date

    try:
        day = date.fromisoformat(str(text)[:10])
    except ValueError:
        return str(text)
    return f"{day.day} {day:%b %Y}"


def deck_title(summary: Mapping[str, Any], fallback: str = "") -> str:
    """The slide title that states the decision: ``"<subject>: <verdict>"``.

    The subject is the summary's ``subject``, else the part of its title after the first
    colon, else the title; the verdict starts lower case unless it opens with an acronym.

    Examples
    --------
    >>> deck_title({"title": "Investment case: Service desk platform", "verdict": "Proceed"})
    'Service desk platform: proceed'
    >>> deck_title({"subject": "Laptops", "verdict": "Choose Lease", "title": "x"})
    'Laptops: choose Lease'
    >>> deck_title({"subject": "", "title": "Risk register", "verdict": "SLA at risk"})
    'Risk register: SLA at risk'
    >>> deck_title({}, fallback="Budget review")
    'Budget review'

    A verdict that already names its subject is the title on its own:

    >>> deck_title({"subject": "Lease: 500 laptops", "verdict": "Choose “Lease: 500 laptops”"})
    'Choose “Lease: 500 laptops”'
    """
    title = str(summary.get("title") or fallback or "").strip()
    subject = str(summary.get("subject") or "").strip()
    if not subject:
        subject = title.split(": ", 1)[1] if ": " in title else title
        subject = subject[:1].upper() + subject[1:]
    verdict = str(summary.get("verdict") or "").strip()
    if not verdict:
        return subject or fallback
    if subject and subject.lower() in verdict.lower():
        return verdict[:1].upper() + verdict[1:]
    subject = subject[:1].upper() + subject[1:]
    if not (len(verdict) > 1 and verdict[1].isupper()):
        verdict = verdict[:1].lower() + verdict[1:]
    return f"{subject}: {verdict}" if subject else verdict


def _rgb(color):
    from pptx.dml.color import RGBColor

    return RGBColor(*color)


def _text(slide, left, top, width, height, lines, *, anchor="top"):
    """A text box of ``lines``: each ``(text, size_pt, bold, color)``; sizes are >= 12 pt."""
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE}[anchor]
    frame.margin_left = frame.margin_right = Inches(0.05)
    frame.margin_top = frame.margin_bottom = Inches(0.03)
    for i, (text, size, bold, color) in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = text
        run.font.size = Pt(max(12, size))
        run.font.bold = bold
        run.font.color.rgb = _rgb(color)
    return box


def _title(slide, text: str, *, top=0.35, height=1.0, size=28) -> None:
    from pptx.util import Inches, Pt

    shape = slide.shapes.title
    shape.left, shape.top = Inches(_MARGIN), Inches(top)
    shape.width, shape.height = Inches(SLIDE_W_IN - 2 * _MARGIN), Inches(height)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.text = text
    for para in frame.paragraphs:
        para.alignment = 1  # left
        for run in para.runs:
            run.font.size = Pt(size)
            run.font.bold = True
            run.font.color.rgb = _rgb(_INK)


def _footer(slide, text: str, number: int) -> None:
    _text(slide, _MARGIN, SLIDE_H_IN - 0.5, SLIDE_W_IN - 2 * _MARGIN - 0.8, 0.35,
          [(text, 12, False, _MUTED)])  # fmt: skip
    _text(slide, SLIDE_W_IN - _MARGIN - 0.7, SLIDE_H_IN - 0.5, 0.7, 0.35,
          [(str(number), 12, False, _MUTED)])  # fmt: skip


def _notes(slide, summary: Mapping[str, Any]) -> None:
    parts = [str(summary.get("sentence") or "")]
    parts += [f"Flag: {f}" for f in summary.get("flags") or []]
    parts += [str(n) for n in summary.get("notes") or []]
    slide.notes_slide.notes_text_frame.text = "\n".join(p for p in parts if p)


def _number_lines(number: Mapping[str, Any], label: str) -> list:
    lines = [(str(number.get("figure", "")), 12, False, _MUTED),
             (str(number.get("text", "")), 22, True, _INK)]  # fmt: skip
    if number.get("range_text"):
        lines.append((f"{label}: {number['range_text']}", 12, False, _MUTED))
    return lines


def _picture(slide, png_base64: str, left, top, width, height) -> None:
    """The chart, as large as fits the box without distortion, centred in it."""
    from PIL import Image
    from pptx.util import Inches

    data = base64.b64decode(png_base64)
    with Image.open(io.BytesIO(data)) as img:
        aspect = img.width / img.height
    w, h = (width, width / aspect) if width / aspect <= height else (height * aspect, height)
    slide.shapes.add_picture(io.BytesIO(data), Inches(left + (width - w) / 2),
                             Inches(top + (height - h) / 2), Inches(w), Inches(h))  # fmt: skip


def _report_slide(prs, summary: Mapping[str, Any] | None, job: Mapping[str, Any], footer: str,
                  number: int, title: str) -> None:  # fmt: skip
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only"
    summary = summary or {}
    _title(slide, title, size=28 if len(title) <= 48 else 24)  # two lines at most
    numbers = list(summary.get("key_numbers") or [])[:_MAX_NUMBERS]
    label = str(summary.get("range_label") or "P10 to P90")
    chart = (summary.get("chart") or {}).get("png_base64")
    top, bottom = 1.55, SLIDE_H_IN - 0.65
    if not summary:
        _text(slide, _MARGIN, top, SLIDE_W_IN - 2 * _MARGIN, 1.0,
              [("This report shows no executive summary: see the report itself.", 18, False,
                _MUTED)])  # fmt: skip
    elif chart:
        col = 4.7
        step = (bottom - top) / max(len(numbers), 1)
        for i, num in enumerate(numbers):
            _text(slide, _MARGIN, top + i * step, col, step - 0.05, _number_lines(num, label))
        _picture(slide, chart, _MARGIN + col + 0.25, top, SLIDE_W_IN - 2 * _MARGIN - col - 0.25,
                 bottom - top)  # fmt: skip
    else:  # the key numbers alone: tiles, three to a row
        per_row = 3 if len(numbers) > 4 or len(numbers) == 3 else 2
        width = (SLIDE_W_IN - 2 * _MARGIN - (per_row - 1) * 0.3) / per_row
        rows = max(1, -(-len(numbers) // per_row))
        height = min(2.2, (bottom - top - (rows - 1) * 0.3) / rows)
        for i, num in enumerate(numbers):
            r, c = divmod(i, per_row)
            box = _text(slide, _MARGIN + c * (width + 0.3), top + r * (height + 0.3), width,
                        height, _number_lines(num, label), anchor="middle")  # fmt: skip
            box.fill.solid()
            box.fill.fore_color.rgb = _rgb((0xF2, 0xF5, 0xF8))
    _footer(slide, footer, number)
    _notes(slide, summary)


def _wrapped_lines(text: str, width_in: float) -> int:
    """About how many lines ``text`` takes at 12 pt in a cell ``width_in`` inches wide.

    Examples
    --------
    >>> _wrapped_lines("Proceed", 4.0), _wrapped_lines("x" * 100, 4.0)
    (1, 3)
    """
    per_line = max(1, int((width_in - 0.2) / 0.095))
    return max(1, -(-len(text) // per_line))


def _summary_slide(prs, rows: Sequence[tuple[str, str, str, bool | None]], footer: str) -> None:
    from pptx.util import Inches, Pt

    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _title(slide, "Decisions in this pack", size=28)
    top, width = 1.35, SLIDE_W_IN - 2 * _MARGIN
    widths = (4.9, 3.6, width - 8.5)
    header = ("Report", "Decision", "Money at stake")
    # Row heights from the lines each row's longest cell wraps to (about 0.095 in a character
    # at 12 pt), scaled down together if the rows would pass the footer.
    lines = [max(_wrapped_lines(text, w) for text, w in zip(row[:3], widths, strict=True))
             for row in [(*header, None), *rows]]  # fmt: skip
    heights = [0.08 + 0.2 * n for n in lines]
    room = SLIDE_H_IN - 0.6 - top
    if sum(heights) > room:
        heights = [h * room / sum(heights) for h in heights]
    shape = slide.shapes.add_table(len(heights), 3, Inches(_MARGIN), Inches(top), Inches(width),
                                   Inches(sum(heights)))  # fmt: skip
    table = shape.table
    for j, w in enumerate(widths):
        table.columns[j].width = Inches(w)
    for i, h in enumerate(heights):
        table.rows[i].height = Inches(h)
    for i, row in enumerate([(*header, None), *rows]):
        for j, text in enumerate(row[:3]):
            cell = table.cell(i, j)
            cell.text = text
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            for para in cell.text_frame.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(14 if i == 0 else 12)
                    run.font.bold = i == 0 or j == 1
                    if i and j == 1 and row[3] is not None:
                        run.font.color.rgb = _rgb(_GOOD if row[3] else _BAD)
    _footer(slide, footer, 2)


def _with_changes(changes, job, summary, verdict: str, stake: str) -> tuple[str, str]:
    """The decision and the money at stake with what changed since the previous period."""
    for c in changes.decisions:
        if c.job == job.get("name"):
            verdict = f"{verdict} (was {value_text(c, previous=True)} in {c.previous_period})"
    at_stake = changes.match(job, summary.get("at_stake"), "money")
    moved = change_text(at_stake)
    if stake and moved and moved != "new" and not moved.startswith("\u2192"):  # not unchanged
        stake = f"{stake}, {moved} since {at_stake.previous_period}"
    return verdict, stake


def write_deck(
    path: str | Path,
    manifest: Mapping[str, Any],
    folder: str | Path,
    *,
    run_date: str | None = None,
    changes: PackChanges | None = None,
) -> Path:
    """Write ``board-pack.pptx`` for the run described by ``manifest`` (its reports in ``folder``).

    Parameters
    ----------
    path : path
        The deck to write.
    manifest : mapping
        The run's manifest (:func:`~.manifest.build_manifest`): pack title, period, end time and
        the jobs in pack order with their status and files.
    folder : path
        The folder holding the reports and their ``<job>.summary.json``.
    run_date : str, optional
        The date on the title slide; default the date the run ended.
    changes : PackChanges, optional
        This run against the previous period (:func:`~.changes.pack_changes`): the decisions
        slide says which decisions changed ("Adjust (was Hold in 2026Q3)") and how the money
        at stake moved.

    Returns
    -------
    Path
        ``path``. Slides: title, decisions, then one per report whose status is ``ok``.
    """
    from pptx import Presentation
    from pptx.util import Emu

    folder = Path(folder)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12_192_000), Emu(6_858_000)  # 16:9, 13.33 x 7.5 in
    pack_title = str(manifest.get("pack", {}).get("title") or "Report pack")
    period = str(manifest.get("period") or "")
    run_date = run_date or str(manifest.get("end") or "")[:10]
    jobs = [j for j in manifest.get("jobs", []) if j.get("status") == "ok"]
    summaries = []
    for job in jobs:
        name = (job.get("files") or {}).get("summary")
        summaries.append(read_summary(folder / name) if name else None)

    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _title(slide, pack_title, top=2.2, height=1.4, size=40)
    _text(slide, _MARGIN, 3.7, SLIDE_W_IN - 2 * _MARGIN, 1.2,
          [(f"Period {period}" if period else "", 24, False, _ACCENT),
           (f"Run on {_day(run_date)}" if run_date else "", 18, False, _MUTED)])  # fmt: skip

    rows = []
    for job, summary in zip(jobs, summaries, strict=True):
        summary = summary or {}
        stake = summary.get("at_stake_text") or ""
        if stake and summary.get("at_stake_label"):
            stake = f"{stake} ({summary['at_stake_label']})"
        verdict = str(summary.get("verdict") or "No decision stated")
        if changes is not None and changes.has_previous:
            verdict, stake = _with_changes(changes, job, summary, verdict, stake)
        rows.append((str(job.get("title") or job.get("name")), verdict, stake or "-",
                     summary.get("favourable") if summary else None))  # fmt: skip
    _summary_slide(prs, rows, f"{pack_title} · {period}")

    titles = [
        deck_title(summary or {}, fallback=str(job.get("title") or job.get("name")))
        for job, summary in zip(jobs, summaries, strict=True)
    ]
    for i, (job, summary) in enumerate(zip(jobs, summaries, strict=True)):
        title = titles[i]
        job_title = str(job.get("title") or job.get("name"))
        if titles.count(title) > 1 and ": " in job_title:  # two variants of one report
            title = f"{title} ({job_title.split(': ', 1)[1]})"
        footer = f"{job_title} · {period}"
        _report_slide(prs, summary, job, footer, i + 3, title)
    prs.save(str(path))
    return Path(path)
