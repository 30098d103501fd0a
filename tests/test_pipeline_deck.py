"""``board-pack.pptx``: title slide, decisions slide, one slide per report; re-read with
python-pptx (and converted by LibreOffice where it is installed)."""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import subprocess

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Pt

from cio_analytics.pipeline.deck import deck_title, write_deck


def _png(width=1024, height=600) -> str:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (30, 80, 120)).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


def _number(figure, text, range_text=None):
    return {"figure": figure, "text": text, "range_text": range_text}


def _summary(title, verdict, numbers, chart=True, **extra):
    return {
        "title": title,
        "verdict": verdict,
        "sentence": f"{verdict}: because.",
        "favourable": True,
        "flags": ["Winner by a thin margin"],
        "notes": [],
        "subject": "",
        "range_label": "P10 to P90",
        "at_stake_text": "EUR 1.2M",
        "at_stake_label": "capital committed",
        "key_numbers": numbers,
        "chart": {"png_base64": _png(), "alt": "a chart"} if chart else None,
        **extra,
    }


@pytest.fixture
def run(tmp_path):
    jobs = []
    summaries = {
        "invest": _summary(
            "Investment case: Service desk platform", "Proceed",
            [_number("NPV at 8.0 %", "EUR 176.8k", "-EUR 130.4k to EUR 222.3k"),
             _number("IRR", "20.4 %", "-1.5 % to 22.9 %"), _number("Payback", "3.0 years")],
        ),
        "budget": _summary(
            "Budget review: landing forecast", "Hold", chart=False,
            numbers=[_number(f"Figure {i}", f"EUR {i}.0M") for i in range(5)],
        ),
    }  # fmt: skip
    for name, summary in summaries.items():
        (tmp_path / f"{name}.summary.json").write_text(json.dumps(summary))
        jobs.append({"name": name, "title": summary["title"], "status": "ok",
                     "files": {"summary": f"{name}.summary.json"}})  # fmt: skip
    jobs.insert(1, {"name": "broken", "title": "Broken", "status": "failed", "files": {}})
    jobs.append({"name": "plain", "title": "Team performance", "status": "ok", "files": {}})
    manifest = {"pack": {"title": "Quarterly IT decision pack"}, "period": "2026Q4",
                "end": "2026-12-07T05:00:00+00:00", "jobs": jobs}  # fmt: skip
    path = write_deck(tmp_path / "board-pack.pptx", manifest, tmp_path)
    return path, manifest


def _texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def _check_layout(prs) -> None:
    """Every shape inside the slide; every sized run at 12 pt or more."""
    for number, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= prs.slide_width, (number, shape.name)
            assert shape.top + shape.height <= prs.slide_height, (number, shape.name)
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames = [c.text_frame for r in shape.table.rows for c in r.cells]
            for frame in frames:
                for para in frame.paragraphs:
                    for run in para.runs:
                        assert run.font.size is None or run.font.size >= Pt(12), (
                            number, run.text)  # fmt: skip


def test_slides_title_decisions_then_each_report_that_ran(run):
    path, _ = run
    prs = Presentation(path)
    assert prs.slide_width * 9 == prs.slide_height * 16  # 16:9
    slides = list(prs.slides)
    assert len(slides) == 2 + 3  # the failed report has no slide
    assert slides[0].shapes.title.text == "Quarterly IT decision pack"
    assert "2026Q4" in _texts(slides[0]) and "7 Dec 2026" in _texts(slides[0])
    table = next(s for s in slides[1].shapes if s.has_table).table
    cells = [[c.text for c in r.cells] for r in table.rows]
    assert cells[0] == ["Report", "Decision", "Money at stake"]
    assert cells[1] == ["Investment case: Service desk platform", "Proceed",
                        "EUR 1.2M (capital committed)"]  # fmt: skip
    assert [r[0] for r in cells[1:]] == ["Investment case: Service desk platform",
                                         "Budget review: landing forecast",
                                         "Team performance"]  # fmt: skip
    assert cells[3][1:] == ["No decision stated", "-"]
    titles = [s.shapes.title.text for s in slides[2:]]
    assert titles == ["Service desk platform: proceed", "Landing forecast: hold",
                      "Team performance"]  # fmt: skip
    _check_layout(prs)


def test_report_slide_numbers_chart_footer_and_notes(run):
    prs = Presentation(run[0])
    invest, budget, plain = list(prs.slides)[2:]
    pictures = [s for s in invest.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    assert pictures[0].width / pictures[0].height == pytest.approx(1024 / 600, rel=0.01)
    text = _texts(invest)
    for part in ("EUR 176.8k", "P10 to P90: -EUR 130.4k to EUR 222.3k", "3.0 years",
                 "Investment case: Service desk platform · 2026Q4"):  # fmt: skip
        assert part in text
    notes = invest.notes_slide.notes_text_frame.text
    assert "Proceed: because." in notes and "Flag: Winner by a thin margin" in notes
    assert not [s for s in budget.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert all(f"EUR {i}.0M" in _texts(budget) for i in range(5))
    assert "no executive summary" in _texts(plain)


def test_deck_title_keeps_acronyms():
    assert deck_title({"title": "Continuity: DR options", "verdict": "SLA missed"}) == (
        "DR options: SLA missed"
    )


# --- the session's quarterly pack --------------------------------------------------------------


@pytest.mark.slow
def test_quarterly_deck(quarterly_pack):
    _, _, folder = quarterly_pack
    manifest = json.loads((folder / "manifest.json").read_text())
    ok = [j for j in manifest["jobs"] if j["status"] == "ok"]
    prs = Presentation(folder / "board-pack.pptx")
    slides = list(prs.slides)
    assert len(slides) == 2 + len(ok)
    for job, slide in zip(ok, slides[2:], strict=True):
        assert slide.shapes.title.text.strip(), job["name"]
        name = job["files"].get("summary")
        summary = json.loads((folder / name).read_text()) if name else {}
        has_chart = bool((summary.get("chart") or {}).get("png_base64"))
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == int(has_chart), job["name"]
        assert job["title"] in _texts(slide)
    _check_layout(prs)


OFFICE = shutil.which("soffice")
if OFFICE is None and os.environ.get("CIO_ANALYTICS_REQUIRE_OFFICE"):
    raise RuntimeError("CIO_ANALYTICS_REQUIRE_OFFICE is set but LibreOffice (soffice) is missing")


@pytest.mark.slow
@pytest.mark.skipif(OFFICE is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_converts_the_deck(quarterly_pack, tmp_path):  # pragma: no cover
    """The deck opens in LibreOffice: converted headless to PDF, one page per slide. A private
    user profile (no shared lock with another soffice); the process ends with the call."""
    _, _, folder = quarterly_pack
    subprocess.run(
        [OFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(folder / "board-pack.pptx")],
        check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(tmp_path / "board-pack.pdf")
    assert len(reader.pages) == len(Presentation(folder / "board-pack.pptx").slides)
