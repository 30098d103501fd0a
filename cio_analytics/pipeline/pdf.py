"""PDF copies of the reports: ``<job>.pdf`` beside each ``<job>.html``, and ``board-pack.pdf``.

Each report's PDF is rendered by WeasyPrint from the very HTML file the reader opens, so the two
cannot disagree. The page rules live in the HTML itself (``@media print`` in
:mod:`.export`: A4, headings kept with what follows, charts and tables never split, code hidden);
for the PDF the provenance ``<details>`` is opened and each page gets a footer with the report's
title and the page number. WeasyPrint needs the system's Pango; on a machine without it
:func:`pdf_unavailable` says why, and the pack is published without PDFs (one line says so).

``board-pack.pdf`` is not rendered a second time: the reports' PDFs are concatenated with pypdf
behind the board summary (or the index) and a contents page that gives the page of this PDF on
which each report starts, with one bookmark per report and its section headings under it. Each
report keeps its own footer ("page n / m" of that report), so a report printed alone and the same
report in the pack read the same.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["pdf_unavailable", "write_board_pack_pdf", "write_pack_pdf", "write_pdf"]


@functools.cache
def pdf_unavailable() -> str | None:
    """Why no PDF can be written on this machine, or None when WeasyPrint works.

    WeasyPrint loads Pango (a C library) when imported: a missing library is an ``OSError``,
    a missing package an ``ImportError``; either becomes one sentence naming the fix.

    Examples
    --------
    >>> pdf_unavailable() is None or pdf_unavailable().startswith("WeasyPrint")
    True
    """
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return (
            f"WeasyPrint cannot load ({type(exc).__name__}: {first}); install it with "
            "pip install weasyprint, and Pango (Debian/Ubuntu: apt install libpango-1.0-0 "
            "libpangoft2-1.0-0)"
        )
    return None


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal.

    Examples
    --------
    >>> _css_string('Risk "cyber" review')
    '"Risk \\\\22 cyber\\\\22  review"'
    """
    return '"' + re.sub(r'["\\\n]', lambda m: f"\\{ord(m.group(0)):x} ", text) + '"'


def _page_css(footer: str) -> str:
    return (
        "@page{size:A4;margin:14mm 13mm 16mm 13mm;"
        "@bottom-left{content:"
        + _css_string(footer)
        + ";font-size:8pt;color:#5b6b7b;font-family:sans-serif}"
        '@bottom-right{content:counter(page) " / " counter(pages);font-size:8pt;color:#5b6b7b;'
        "font-family:sans-serif}}"
    )


_RELATIVE_LINK = re.compile(r"""(?i)\shref=(["'])(?![a-z][a-z0-9+.-]*:|#)[^"']*\1""")


def _printable(page: str) -> str:
    """The report's HTML as printed: every ``<details>`` open (provenance shows in print), and
    no link to a file beside it (WeasyPrint would write it as ``file:///<this machine's
    folder>/...``, a path of the machine that built the pack and a dead link anywhere else).

    Examples
    --------
    >>> _printable("<details><a href='risk.html'>Risk</a> <a href='#top'>top</a></details>")
    "<details open><a>Risk</a> <a href='#top'>top</a></details>"
    """
    page = _RELATIVE_LINK.sub("", page)
    return re.sub(r"(?i)<details(?![^>]*\bopen\b)", "<details open", page)


def write_pdf(html_path: str | Path, pdf_path: str | Path, *, footer: str = "") -> Path:
    """Render the HTML report ``html_path`` to ``pdf_path`` (A4) with WeasyPrint.

    Parameters
    ----------
    html_path, pdf_path : path
        The report page (images embedded) and the PDF to write.
    footer : str
        Text at the bottom left of every page (the report's title and period); the page number
        and page count are at the bottom right.

    Returns
    -------
    Path
        ``pdf_path``.

    Raises
    ------
    RuntimeError
        When WeasyPrint cannot load (:func:`pdf_unavailable` says why).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "r.html").write_text("<h1>Report</h1><p>Proceed.</p>")
    >>> write_pdf(folder / "r.html", folder / "r.pdf").read_bytes()[:5]
    b'%PDF-'
    """
    reason = pdf_unavailable()
    if reason is not None:
        raise RuntimeError(reason)
    from weasyprint import CSS, HTML

    html_path, pdf_path = Path(html_path), Path(pdf_path)
    page = _printable(html_path.read_text(encoding="utf-8"))
    document = HTML(string=page, base_url=str(html_path.parent)).render(
        stylesheets=[CSS(string=_page_css(footer))]
    )
    document.write_pdf(pdf_path)
    return pdf_path


def write_board_pack_pdf(
    path: str | Path, parts: Sequence[tuple[str, str | Path]], *, title: str = ""
) -> Path:
    """Concatenate PDFs into ``path``: one bookmark per part (its label), the part's own
    bookmarks (its headings) under it; the reader opens with the bookmarks shown.

    Parameters
    ----------
    path : path
        The PDF to write (``board-pack.pdf``).
    parts : sequence of (label, pdf path)
        In pack order: the board summary (or the index) first, then every report.
    title : str
        The document title (PDF metadata).

    Returns
    -------
    Path
        ``path``.
    """
    from pypdf import PdfWriter

    writer = PdfWriter()
    for label, pdf in parts:
        writer.append(str(pdf), outline_item=label)
    writer.page_mode = "/UseOutlines"
    if title:
        writer.add_metadata({"/Title": title})
    with open(path, "wb") as fh:
        writer.write(fh)
    return Path(path)


def _contents_html(title: str, period: str, rows: Sequence[tuple[str, str, int]]) -> str:
    """The contents page: every report's title, its decision and the page it starts on.

    Examples
    --------
    >>> "<td class='page'>3</td>" in _contents_html("Pack", "2026Q4", [("Risk", "Proceed", 3)])
    True
    """
    body = "".join(
        f"<tr><td>{html.escape(name)}<div class='verdict'>{html.escape(verdict)}</div></td>"
        f"<td class='page'>{page}</td></tr>"
        for name, verdict, page in rows
    )
    heading = " · ".join(html.escape(p) for p in (title, period) if p)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Contents</title>"
        "<style>body{font-family:sans-serif;color:#1f2933;font-size:11pt}"
        "h1{font-size:20pt;font-weight:500;margin:0 0 2mm}p.sub{color:#5b6b7b;margin:0 0 8mm}"
        "table{width:100%;border-collapse:collapse}td{padding:2.5mm 0;border-bottom:1px solid "
        "#d9e2ec;vertical-align:top}td.page{text-align:right;width:22mm;font-weight:600}"
        "th{text-align:left;color:#5b6b7b;font-weight:500;font-size:9pt;border-bottom:1px solid "
        "#9aa5b1;padding-bottom:1.5mm}th.page{text-align:right}"
        ".verdict{color:#5b6b7b;font-size:9.5pt;margin-top:0.8mm}tr{break-inside:avoid}</style>"
        f"</head><body><h1>Contents</h1><p class='sub'>{heading}</p><table><thead><tr>"
        "<th>Report</th><th class='page'>Page</th></tr></thead><tbody>"
        f"{body}</tbody></table></body></html>"
    )


def _verdict(folder: Path, job: Mapping[str, Any]) -> str:
    """The report's decision in a few words, from its summary sidecar ('' without one)."""
    from ..reporting.record import read_summary

    name = (job.get("files") or {}).get("summary")
    if not name or not (folder / name).is_file():
        return ""
    try:
        summary = read_summary(folder / name)
    except (OSError, ValueError):
        return ""
    return str(summary.get("verdict") or "").strip().rstrip(":")


def write_pack_pdf(folder: str | Path, manifest: Mapping[str, Any]) -> str | None:
    """``board-pack.pdf`` in ``folder``: the board summary (else the index), a contents page
    (each report's title, decision and the page of this PDF it starts on), then the PDF of every
    report that ran, in pack order.

    Returns None when written, else the one line saying why not (no WeasyPrint, or an error).
    """
    from .errors import is_output_fault

    reason = pdf_unavailable()
    if reason is not None:
        return f"PDFs skipped: {reason}. The HTML reports are complete."
    folder = Path(folder)
    pack_title = str(manifest.get("pack", {}).get("title") or "Report pack")
    period = str(manifest.get("period") or "")
    summary = folder / "board-summary.html"
    front, label = (summary, "Board summary") if summary.is_file() else (folder / "index.html",
                                                                          "Contents")  # fmt: skip
    front_pdf = folder / ".board-pack-front.pdf"
    contents_pdf = folder / ".board-pack-front-contents.pdf"
    contents_html = folder / ".board-pack-front-contents.html"
    target = folder / "board-pack.pdf"
    footer = " · ".join(p for p in (pack_title, period) if p)
    try:
        from pypdf import PdfReader

        write_pdf(front, front_pdf, footer=footer)
        reports: list[tuple[str, str, Path]] = []
        for job in manifest.get("jobs", []):
            name = (job.get("files") or {}).get("pdf")
            if job.get("status") == "ok" and name and (folder / name).is_file():
                title = str(job.get("title") or job.get("name"))
                reports.append((title, _verdict(folder, job), folder / name))
        sizes = [len(PdfReader(str(pdf)).pages) for _, _, pdf in reports]
        n_front = len(PdfReader(str(front_pdf)).pages)
        n_contents = 1
        for _ in range(3):  # the page numbers depend on how long the contents page is
            rows, page = [], n_front + n_contents + 1
            for (title, verdict, _), size in zip(reports, sizes, strict=True):
                rows.append((title, verdict, page))
                page += size
            contents_html.write_text(_contents_html(pack_title, period, rows), encoding="utf-8")
            write_pdf(contents_html, contents_pdf, footer=footer)
            length = len(PdfReader(str(contents_pdf)).pages)
            if length == n_contents:
                break
            n_contents = length
        parts: list[tuple[str, str | Path]] = [(label, front_pdf), ("Contents", contents_pdf)]
        parts += [(title, pdf) for title, _, pdf in reports]
        write_board_pack_pdf(target, parts, title=f"{pack_title} {period}".strip())
    except Exception as exc:  # the reports and their own PDFs stand without the pack PDF
        if is_output_fault(exc):
            raise
        target.unlink(missing_ok=True)
        return f"board-pack.pdf not written: {type(exc).__name__}: {exc}"
    finally:
        for scratch in (front_pdf, contents_pdf, contents_html):
            scratch.unlink(missing_ok=True)
    return None
