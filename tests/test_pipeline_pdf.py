"""The reports as PDF: ``<job>.pdf`` beside every ``<job>.html`` and ``board-pack.pdf``.

Unit tests render small synthetic pages; the pack tests read the session's quarterly pack
(tests/conftest.py) back with pypdf: pages, text on every page, no page ending on a heading,
one bookmark per report in the board pack.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import sys

import pytest

from cio_analytics.pipeline import pdf as pdfmod
from cio_analytics.pipeline.export import PRINT_CSS
from cio_analytics.pipeline.pdf import pdf_unavailable, write_board_pack_pdf, write_pdf

pypdf = pytest.importorskip("pypdf")
if pdf_unavailable():  # pragma: no cover - a machine without Pango
    pytest.skip(pdf_unavailable(), allow_module_level=True)

A4_PT = (595.28, 841.89)
FOOTER_PT = 16 / 25.4 * 72  # the bottom margin holds the footer


def _page(body: str) -> str:
    return f"<html><head><style>{PRINT_CSS}</style></head><body>{body}</body></html>"


def _lines(page, *, images: bool = False) -> list[tuple[float, str]]:
    """(y from the page bottom, text) of every text run above the footer; with ``images``
    also (bottom edge, "<image>") of every picture drawn (a chart below a heading)."""
    found: list[tuple[float, str]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            y = tm[5] * cm[3] + cm[5]
            if y > FOOTER_PT:
                found.append((y, text.strip()))

    def draw(operator, args, cm, tm):
        if images and operator == b"Do" and cm[3] > 0 and cm[5] > FOOTER_PT:
            found.append((cm[5], "<image>"))

    page.extract_text(visitor_text=visit, visitor_operand_before=draw)
    return found


def _headings(page_html: str) -> set[str]:
    texts = re.findall(r"(?is)<h[1-3]\b[^>]*>(.*?)</h[1-3]>", page_html)
    return {html.unescape(re.sub(r"<[^>]+>|¶", "", t)).strip() for t in texts} - {""}


def _last_line(page) -> str:
    """The text (or "<image>") lowest on the page, above the footer."""
    lines = _lines(page, images=True)
    return min(lines)[1] if lines else ""


def test_a4_with_the_provenance_open_and_a_footer(tmp_path):
    src = tmp_path / "r.html"
    src.write_text(
        _page(
            "<h1>Budget review</h1><p>Hold the forecast.</p>"
            "<details class='cioa-provenance'><summary>Appendix</summary>"
            "<p>Seed 2026, data file budget.csv</p></details>"
        )
    )
    out = write_pdf(src, tmp_path / "r.pdf", footer="Budget review · 2026Q4")
    reader = pypdf.PdfReader(out)
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_PT, abs=1)
    text = reader.pages[0].extract_text()
    assert "Seed 2026, data file budget.csv" in text  # the closed <details> prints open
    assert "Budget review · 2026Q4" in text and "1 / 1" in text


def test_a_heading_never_ends_a_page(tmp_path):
    """A text cell with a heading, then a chart too tall for the rest of the page: the heading
    moves to the next page with its chart instead of closing this one."""
    filler = "<div style='height:200mm'><p>The previous section.</p></div>"
    cell = "<div class='jp-Cell jp-MarkdownCell'><h2>Where the risk comes from</h2></div>"
    chart = "<div class='jp-Cell'><div class='jp-RenderedImage' style='height:120mm'></div></div>"
    src = tmp_path / "r.html"
    src.write_text(_page(f"<div class='jp-Cell'>{filler}</div>{cell}{chart}"))
    reader = pypdf.PdfReader(write_pdf(src, tmp_path / "r.pdf"))
    assert len(reader.pages) == 2
    assert _last_line(reader.pages[0]) != "Where the risk comes from"
    top = max(_lines(reader.pages[1]))[1]
    assert top == "Where the risk comes from"


def test_a_long_table_splits_between_rows_and_repeats_its_header(tmp_path):
    rows = "".join(f"<tr><td>Project {i}</td><td>{i * 1000:,}</td></tr>" for i in range(90))
    src = tmp_path / "t.html"
    src.write_text(
        _page(
            "<div class='jp-OutputArea-output'><table><thead><tr><th>Project name</th>"
            f"<th>Budget</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )
    )
    reader = pypdf.PdfReader(write_pdf(src, tmp_path / "t.pdf"))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert "Project name" in page.extract_text()
    every = "".join(p.extract_text() for p in reader.pages)
    assert every.count("Project 89") == 1  # no row lost or printed twice


def test_a_wide_table_fits_the_page_width(tmp_path):
    """Twelve columns of money: every cell is printed inside the right margin (13 mm).

    The right edge of each header's last line, "(EUR)", is estimated as its start plus half
    an em per character.
    """
    head = "".join(f"<th>Expected loss {i} (EUR)</th>" for i in range(12))
    row = "".join(f"<td>{1_234_567 + i:,}</td>" for i in range(12))
    src = tmp_path / "w.html"
    src.write_text(_page(f"<table><thead><tr>{head}</tr></thead><tr>{row}</tr></table>"))
    page = pypdf.PdfReader(write_pdf(src, tmp_path / "w.pdf")).pages[0]
    right: list[float] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip() == "(EUR)":
            right.append(tm[4] * cm[0] + cm[4] + 0.5 * font_size * len(text.strip()))

    page.extract_text(visitor_text=visit)
    assert "1,234,578" in page.extract_text()
    assert max(right) < A4_PT[0] - 13 / 25.4 * 72 + 2


def test_board_pack_has_a_bookmark_per_part_in_order(tmp_path):
    parts = []
    for name, n_sections in (("Board summary", 1), ("Risk review", 2), ("Budget review", 1)):
        src = tmp_path / f"{name}.html"
        body = "".join(
            f"<h2 style='break-before:page'>Section {i}</h2><p>{name}</p>"
            for i in range(n_sections)
        )
        src.write_text(_page(f"<h1>{name}</h1>{body}"))
        parts.append((name, write_pdf(src, tmp_path / f"{name}.pdf")))
    out = write_board_pack_pdf(tmp_path / "pack.pdf", parts, title="Pack 2026Q4")
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == sum(len(pypdf.PdfReader(p).pages) for _, p in parts)
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == ["Board summary", "Risk review", "Budget review"]
    starts = [reader.get_destination_page_number(item) for item in top]
    assert starts == sorted(starts) and starts[0] == 0
    assert reader.metadata.title == "Pack 2026Q4"


class _NoPango:
    """An import hook that fails like WeasyPrint on a machine without Pango."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': no such file\nmore detail")
        return None


def test_without_weasyprint_one_line_says_why(monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # not installed
    reason = pdf_unavailable.__wrapped__()
    assert reason.startswith("WeasyPrint cannot load (ModuleNotFoundError")
    assert "pip install weasyprint" in reason and "\n" not in reason
    monkeypatch.delitem(sys.modules, "weasyprint")  # installed, but Pango is missing
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])
    reason = pdf_unavailable.__wrapped__()
    assert reason.startswith("WeasyPrint cannot load (OSError: cannot load library 'libpango")
    assert "apt install libpango-1.0-0" in reason and "\n" not in reason


def test_skipped_pdf_is_not_listed_and_is_logged_once(monkeypatch, tmp_path):
    from cio_analytics.pipeline import runner
    from cio_analytics.pipeline.runner import JobSpec

    monkeypatch.setattr(pdfmod, "pdf_unavailable", lambda: "WeasyPrint cannot load (OSError: x)")
    spec = JobSpec(name="r", notebook="r.ipynb", title="R", parameters={}, out_dir=str(tmp_path),
                   root=str(tmp_path))  # fmt: skip
    (tmp_path / "r.html").write_text(_page("<h1>R</h1>"))
    files: dict[str, str] = {}
    line = runner._write_pdf(spec, tmp_path / "r.html", tmp_path / "r.pdf", files, [])
    assert line == "# PDF skipped: WeasyPrint cannot load (OSError: x)\n"
    assert "pdf" not in files and not (tmp_path / "r.pdf").exists()
    note = pdfmod.write_pack_pdf(tmp_path, {"jobs": []})
    assert note.startswith("PDFs skipped: WeasyPrint cannot load") and "\n" not in note
    assert not (tmp_path / "board-pack.pdf").exists()


# --- the session's quarterly pack --------------------------------------------------------------


@pytest.fixture(scope="module")
def pack(quarterly_pack):
    _code, stdout, folder = quarterly_pack
    manifest = json.loads((folder / "manifest.json").read_text())
    return folder, manifest, stdout


@pytest.mark.slow
def test_every_report_has_its_pdf(pack):
    folder, manifest, stdout = pack
    assert "PDFs skipped" not in stdout
    for job in manifest["jobs"]:
        assert job["files"]["pdf"] == f"{job['name']}.pdf", job["name"]
        reader = pypdf.PdfReader(folder / job["files"]["pdf"])
        assert len(reader.pages) >= 1
        log = (folder / job["files"]["log"]).read_text()
        assert re.search(r"# PDF written in \d+\.\d\d s", log), job["name"]


@pytest.mark.slow
def test_report_pages_are_never_blank_nor_end_on_a_heading(pack):
    folder, manifest, _ = pack
    for job in manifest["jobs"]:
        if job["status"] != "ok":
            continue
        headings = _headings((folder / job["files"]["html"]).read_text(encoding="utf-8"))
        assert headings, job["name"]
        reader = pypdf.PdfReader(folder / job["files"]["pdf"])
        for number, page in enumerate(reader.pages, 1):
            # no blank page: text, or a chart (its title is drawn in the picture), above the
            # footer, whose text (report title, page number) every page has
            assert _lines(page, images=True), f"{job['name']} page {number} is blank"
            assert f"{number} / {len(reader.pages)}" in page.extract_text()
            last = _last_line(page)
            assert last not in headings, f"{job['name']} page {number} ends on {last!r}"


@pytest.mark.slow
def test_board_pack_pdf_holds_every_report_in_pack_order(pack):
    folder, manifest, _ = pack
    reader = pypdf.PdfReader(folder / "board-pack.pdf")
    ok = [j for j in manifest["jobs"] if j["status"] == "ok"]
    top = [item for item in reader.outline if not isinstance(item, list)]
    front = "Board summary" if (folder / "board-summary.html").is_file() else "Contents"
    assert [item.title for item in top] == [front, "Contents", *(j["title"] for j in ok)]
    sizes = [len(pypdf.PdfReader(folder / j["files"]["pdf"]).pages) for j in ok]
    starts = [reader.get_destination_page_number(item) for item in top]
    assert [b - a for a, b in itertools.pairwise(starts[2:])] == sizes[:-1]
    assert len(reader.pages) == starts[2] + sum(sizes)
    # the contents page gives, for every report, the page of this PDF it starts on (1-based)
    contents = "".join(reader.pages[i].extract_text() for i in range(starts[1], starts[2]))
    numbers = [int(ln) for ln in contents.splitlines() if ln.strip().isdigit()]
    assert numbers == [start + 1 for start in starts[2:]], contents
    for job in ok:
        assert job["title"] in contents, job["title"]
    assert not list(folder.glob(".board-pack-front*"))


@pytest.mark.slow
def test_no_pdf_names_a_folder_of_this_machine(pack):
    """Links to files beside a page (the index's cards) would print as file:///<folder>/..."""
    folder, _, _ = pack
    for path in folder.glob("*.pdf"):
        for page in pypdf.PdfReader(path).pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A")
                uri = str(action.get_object().get("/URI", "")) if action else ""
                assert not uri.startswith("file:") and str(folder) not in uri, (path.name, uri)
