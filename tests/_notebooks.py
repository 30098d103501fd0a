"""Running a report notebook under papermill in tests: one runner for every notebook test.

Every ``tests/test_notebook_<notebook>.py`` runs its notebook through :func:`run_notebook`; the
checks every committed notebook must pass (no outputs, parameters cell, thinness) are one
parametrized test in ``tests/test_reporting_hygiene.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def run_notebook(notebook: str | Path, tmp_path: Path, monkeypatch, **parameters):
    """Execute ``notebook`` from the project root with ``parameters``; fail on any error or
    stderr output.

    ``notebook`` is a path or the name of a notebook in ``notebooks/`` (``"budget_review"``).
    Returns ``(markdown text, recorded figures {name: value}, outputs)``.
    """
    import papermill

    path = Path(notebook)
    if not path.suffix:
        path = NOTEBOOKS / f"{notebook}.ipynb"
    records = tmp_path / "records.jsonl"
    monkeypatch.setenv("CIO_ANALYTICS_RECORD_FILE", str(records))
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(path),
        str(out),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(ROOT),
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    text = "\n".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    found = {}
    if records.exists():
        for line in records.read_text().splitlines():
            entry = json.loads(line)
            found[entry["name"]] = entry["value"]
    return text, found, outputs


def count_charts(outputs) -> int:
    """Charts on the page: PNG outputs plus PNGs embedded in HTML (the executive summary)."""
    n = 0
    for o in outputs:
        data = o.get("data", {})
        n += "image/png" in data
        n += str(data.get("text/html", "")).count("data:image/png;base64,")
    return n
